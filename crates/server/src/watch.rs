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

use std::path::Path;
use std::time::Duration;

use notify_debouncer_full::notify::event::{EventKind, ModifyKind};
use notify_debouncer_full::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use hoptac_indexer::{Applied, PathEvent, Plan};

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

/// The indexer's view of a debounced batch: each event's paths, whether it is a creation or a
/// rename (a folder so touched may hold files without events of their own), and whether the
/// watcher lost track. Errors instead of events mean a full pass.
fn plan(corpus: &Path, batch: DebounceEventResult) -> Plan {
    let events = match batch {
        Ok(events) => events,
        Err(errors) => {
            for e in errors {
                tracing::warn!("watcher: {e}");
            }
            return Plan::rescan();
        }
    };
    let events: Vec<PathEvent> = events
        .iter()
        .map(|e| PathEvent {
            paths: e.paths.clone(),
            appeared: matches!(
                e.kind,
                EventKind::Create(_) | EventKind::Modify(ModifyKind::Name(_))
            ),
            need_rescan: e.need_rescan(),
        })
        .collect();
    Plan::of(corpus, &events)
}

fn apply(state: &AppState, corpus: &Path, batch: DebounceEventResult) {
    let plan = plan(corpus, batch);
    if plan.is_empty() {
        return;
    }
    let done = state.write_now(|live| {
        live.apply(&plan, corpus).map(|applied| match applied {
            Applied::Pass(s) => format!(
                "full pass: added {}, updated {}, removed {}, unchanged {}, skipped {}",
                s.added,
                s.updated,
                s.removed,
                s.unchanged,
                s.skipped.len()
            ),
            Applied::Paths(changes) => changes
                .iter()
                .filter(|c| c.changed())
                .map(|c| format!("{c:?}"))
                .collect::<Vec<_>>()
                .join(", "),
        })
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
    use notify_debouncer_full::notify::event::{CreateKind, MetadataKind, RenameMode};
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
    fn creations_and_renames_of_folders_ask_for_a_full_pass() {
        let dir = tempfile::tempdir().unwrap();
        let c = dir.path();
        std::fs::write(c.join("a.txt"), "x").unwrap();
        std::fs::create_dir(c.join("sub")).unwrap();
        let p = plan(
            c,
            Ok(vec![ev(
                EventKind::Create(CreateKind::File),
                &[&c.join("a.txt")],
            )]),
        );
        assert_eq!(p.paths, vec![c.join("a.txt")]);
        assert!(!p.rescan);
        for kind in [
            EventKind::Create(CreateKind::Folder),
            EventKind::Modify(ModifyKind::Name(RenameMode::To)),
        ] {
            assert!(plan(c, Ok(vec![ev(kind, &[&c.join("sub")])])).rescan);
        }
        let times = EventKind::Modify(ModifyKind::Metadata(MetadataKind::WriteTime));
        assert!(!plan(c, Ok(vec![ev(times, &[&c.join("sub")])])).rescan);
        assert!(plan(c, Err(Vec::new())).rescan);
    }
}
