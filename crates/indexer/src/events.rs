//! A folder watcher's events → the index brought up to date.
//!
//! A watcher (the server's, through `notify`) reports batches of events, each with the paths it
//! touched. [`Plan::of`] turns a batch into the paths to bring up to date, or a full pass when the
//! batch cannot be trusted path by path; [`LiveIndex::apply`] carries the plan out in one commit.
//! Hidden and temporary files (the `.NAME.tmp` files [`crate::corpus::save_file`] writes, editors'
//! swap files) are left out. A folder created or moved in, a folder gone, or events the kernel
//! dropped make the batch a full incremental pass, which catches up with anything.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::live::{Change, LiveIndex, Summary};
use crate::load::format_of;
use crate::IndexerError;

/// One file-system event, as a watcher reports it.
#[derive(Clone, Debug, Default)]
pub struct PathEvent {
    /// The paths it touched (absolute, under the watched folder).
    pub paths: Vec<PathBuf>,
    /// A creation or a rename: a folder so touched may hold files that have no events of their own.
    pub appeared: bool,
    /// The watcher lost track (events dropped) and asks for a full pass.
    pub need_rescan: bool,
}

/// What a batch of events asks for.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Paths to bring up to date, sorted, each once.
    pub paths: Vec<PathBuf>,
    /// A full pass instead.
    pub rescan: bool,
}

/// What applying a plan did.
#[derive(Debug)]
pub enum Applied {
    /// A full pass, with its summary.
    Pass(Summary),
    /// Each path's change.
    Paths(Vec<Change>),
}

impl Plan {
    /// A full pass (the watcher reported errors instead of events).
    pub fn rescan() -> Plan {
        Plan {
            paths: Vec::new(),
            rescan: true,
        }
    }

    /// True when there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.rescan
    }

    /// The plan for a batch of events under the watched folder `root`.
    pub fn of(root: &Path, events: &[PathEvent]) -> Plan {
        let mut paths = BTreeSet::new();
        let mut rescan = false;
        for e in events {
            rescan |= e.need_rescan;
            for p in &e.paths {
                if hidden(root, p) {
                    continue;
                }
                if p.is_dir() {
                    // A folder created, moved in or renamed: its files may have no events of their
                    // own. (A folder's other events — its times changing — say nothing about
                    // documents.)
                    rescan |= e.appeared;
                } else if !p.exists() && format_of(p).is_none() {
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
}

/// True for a path outside `root` or with a hidden component under it.
fn hidden(root: &Path, path: &Path) -> bool {
    path.strip_prefix(root)
        .map(|rel| {
            rel.components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        })
        .unwrap_or(true)
}

impl LiveIndex {
    /// Carries out a plan made for the watched folder `root` (the corpus folder, perhaps spelled
    /// another way: canonicalised), in one commit.
    pub fn apply(&mut self, plan: &Plan, root: &Path) -> Result<Applied, IndexerError> {
        if plan.rescan {
            return self.sync(&()).map(Applied::Pass);
        }
        let paths: Vec<PathBuf> = plan
            .paths
            .iter()
            .map(|p| self.corpus().join(p.strip_prefix(root).unwrap_or(p)))
            .collect();
        self.update_paths(&paths).map(Applied::Paths)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(appeared: bool, paths: &[&Path]) -> PathEvent {
        PathEvent {
            paths: paths.iter().map(|p| p.to_path_buf()).collect(),
            appeared,
            need_rescan: false,
        }
    }

    #[test]
    fn files_are_planned_hidden_ones_skipped_folders_rescanned() {
        let dir = tempfile::tempdir().unwrap();
        let c = dir.path();
        std::fs::write(c.join("a.txt"), "x").unwrap();
        std::fs::write(c.join(".a.txt.1.tmp"), "x").unwrap();
        let p = Plan::of(
            c,
            &[
                ev(true, &[&c.join("a.txt")]),
                ev(true, &[&c.join(".a.txt.1.tmp")]),
                ev(false, &[&c.join("gone.md")]),
            ],
        );
        assert_eq!(
            p,
            Plan {
                paths: vec![c.join("a.txt"), c.join("gone.md")],
                rescan: false
            }
        );
        std::fs::create_dir(c.join("sub")).unwrap();
        assert!(Plan::of(c, &[ev(true, &[&c.join("sub")])]).rescan);
        assert!(!Plan::of(c, &[ev(false, &[&c.join("sub")])]).rescan);
        assert!(Plan::of(c, &[ev(false, &[&c.join("old")])]).rescan);
        let lost = PathEvent {
            need_rescan: true,
            ..PathEvent::default()
        };
        assert!(Plan::of(c, &[lost]).rescan);
    }

    #[test]
    fn a_plan_is_applied_under_the_corpus_as_the_index_spells_it() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        let opts =
            crate::IndexOptions::new(&corpus, dir.path().join("index"), crate::Config::builtin());
        let mut live = LiveIndex::open(&opts).unwrap();
        let root = corpus.canonicalize().unwrap();
        std::fs::write(root.join("a.txt"), "Hợp tác\n\nViệt Nam – Hàn Quốc.").unwrap();
        let plan = Plan::of(&root, &[ev(true, &[&root.join("a.txt")])]);
        match live.apply(&plan, &root).unwrap() {
            Applied::Paths(changes) => assert_eq!(changes, vec![Change::Added("a.txt".into())]),
            other => panic!("{other:?}"),
        }
        match live.apply(&Plan::rescan(), &root).unwrap() {
            Applied::Pass(s) => assert_eq!((s.unchanged, s.documents), (1, 1)),
            other => panic!("{other:?}"),
        }
    }
}
