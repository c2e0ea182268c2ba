//! The corpus folder watcher: a created, changed, renamed or deleted file is reflected in search
//! results within about a second.
//!
//! File-system events (inotify on Linux, through `notify`) are debounced by
//! `notify-debouncer-full` — an editor's save in several steps or a copy in progress becomes one
//! event once the path has been quiet for [`DEBOUNCE`] — and each batch is applied in one commit
//! through the server's writer: a path that exists is re-read until it is stable and indexed if its
//! content hash changed, a path that is gone has its document deleted (a rename is both). Hidden
//! and temporary files (the `.NAME.tmp` files POST writes, editors' swap files) are ignored. When
//! the kernel dropped events, or a whole folder moved, the batch becomes a full incremental pass
//! over the corpus, which catches up with anything.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use notify_debouncer_full::notify::event::{EventKind, ModifyKind};
use notify_debouncer_full::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use super::state::AppState;

/// How long a path must be quiet before its events are handled.
pub const DEBOUNCE: Duration = Duration::from_millis(300);

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    _debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
}

/// Watches `corpus` (recursively) and applies its changes through the server's writer.
pub fn watch(state: AppState, corpus: &Path) -> Result<Watcher, String> {
    let corpus = corpus
        .canonicalize()
        .map_err(|e| format!("{}: {e}", corpus.display()))?;
    let (tx, rx) = std::sync::mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, tx).map_err(|e| e.to_string())?;
    debouncer
        .watch(&corpus, RecursiveMode::Recursive)
        .map_err(|e| format!("watching {}: {e}", corpus.display()))?;
    std::thread::Builder::new()
        .name("hoptac-watch".into())
        .spawn(move || {
            for batch in rx {
                apply(&state, &corpus, batch);
            }
        })
        .map_err(|e| e.to_string())?;
    Ok(Watcher {
        _debouncer: debouncer,
    })
}

/// What a batch of events asks for.
#[derive(Debug, Default, PartialEq, Eq)]
struct Plan {
    /// Paths to bring up to date.
    paths: Vec<PathBuf>,
    /// A full pass instead.
    rescan: bool,
}

fn hidden(corpus: &Path, path: &Path) -> bool {
    path.strip_prefix(corpus)
        .map(|rel| {
            rel.components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        })
        .unwrap_or(true)
}

fn plan(corpus: &Path, batch: DebounceEventResult) -> Plan {
    let events = match batch {
        Ok(events) => events,
        Err(errors) => {
            for e in errors {
                tracing::warn!("watcher: {e}");
            }
            return Plan {
                paths: Vec::new(),
                rescan: true,
            };
        }
    };
    let mut paths = BTreeSet::new();
    let mut rescan = false;
    for e in &events {
        rescan |= e.need_rescan();
        for p in &e.paths {
            if hidden(corpus, p) {
                continue;
            }
            if p.is_dir() {
                // A folder created, moved in or renamed: its files may have no events of their own.
                // (A folder's other events — its times changing — say nothing about documents.)
                rescan |= matches!(
                    e.kind,
                    EventKind::Create(_) | EventKind::Modify(ModifyKind::Name(_))
                );
            } else if !p.exists() && hoptac_indexer::load::format_of(p).is_none() {
                // Gone, and not a document file: maybe a folder, whose documents must go too.
                rescan = true;
            } else {
                paths.insert(p.clone());
            }
        }
    }
    Plan {
        paths: paths.into_iter().collect(),
        rescan,
    }
}

fn apply(state: &AppState, corpus: &Path, batch: DebounceEventResult) {
    let plan = plan(corpus, batch);
    if plan.paths.is_empty() && !plan.rescan {
        return;
    }
    let done = state.write_now(|live| {
        if plan.rescan {
            live.sync(&()).map(|s| {
                format!(
                    "full pass: added {}, updated {}, removed {}, unchanged {}, skipped {}",
                    s.added,
                    s.updated,
                    s.removed,
                    s.unchanged,
                    s.skipped.len()
                )
            })
        } else {
            let paths: Vec<PathBuf> = plan
                .paths
                .iter()
                .map(|p| live.corpus().join(p.strip_prefix(corpus).unwrap_or(p)))
                .collect();
            live.update_paths(&paths).map(|changes| {
                changes
                    .iter()
                    .filter(|c| c.changed())
                    .map(|c| format!("{c:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
        }
    });
    match done {
        Some(Ok(what)) if !what.is_empty() => tracing::info!("watcher: {what}"),
        Some(Ok(_)) => {}
        Some(Err(e)) => tracing::error!("watcher: {e}"),
        None => {
            // Rebuilding or read-only: the rebuild ends with a full pass that catches up.
            tracing::debug!(
                "watcher: no writer; {} paths left for the next full pass",
                plan.paths.len()
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify_debouncer_full::notify::event::{CreateKind, RemoveKind};
    use notify_debouncer_full::notify::Event;
    use notify_debouncer_full::DebouncedEvent;

    fn ev(kind: EventKind, paths: &[&Path]) -> DebouncedEvent {
        let mut e = Event::new(kind);
        for p in paths {
            e = e.add_path(p.to_path_buf());
        }
        DebouncedEvent::new(e, std::time::Instant::now())
    }

    #[test]
    fn files_are_planned_hidden_ones_skipped_folders_rescanned() {
        let dir = tempfile::tempdir().unwrap();
        let c = dir.path();
        std::fs::write(c.join("a.txt"), "x").unwrap();
        std::fs::write(c.join(".a.txt.1.tmp"), "x").unwrap();
        let p = plan(
            c,
            Ok(vec![
                ev(EventKind::Create(CreateKind::File), &[&c.join("a.txt")]),
                ev(
                    EventKind::Create(CreateKind::File),
                    &[&c.join(".a.txt.1.tmp")],
                ),
                ev(EventKind::Remove(RemoveKind::File), &[&c.join("gone.md")]),
            ]),
        );
        assert_eq!(
            p,
            Plan {
                paths: vec![c.join("a.txt"), c.join("gone.md")],
                rescan: false
            }
        );
        std::fs::create_dir(c.join("sub")).unwrap();
        let p = plan(
            c,
            Ok(vec![ev(
                EventKind::Create(CreateKind::Folder),
                &[&c.join("sub")],
            )]),
        );
        assert!(p.rescan);
        let p = plan(
            c,
            Ok(vec![ev(
                EventKind::Remove(RemoveKind::Folder),
                &[&c.join("old")],
            )]),
        );
        assert!(p.rescan);
        assert!(plan(c, Err(Vec::new())).rescan);
    }
}
