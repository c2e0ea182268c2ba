//! Preparing files for the index on every core.
//!
//! A whole-corpus pass reads each file, decodes and cleans it, extracts its facets and sketches its
//! text for reprints before the one writer can take it — a third of indexing's CPU, which ran on
//! one thread while tantivy's indexing threads waited for documents. Here [`in_order`] runs that
//! work ([`Preparer::prepare`]) on worker threads and hands the results to the writer in the corpus
//! listing's order, so the index, its reprint groups and the summary are what a single thread
//! would have made.
//!
//! Workers run at most [`AHEAD`] files ahead of the writer: one slow file (a 14 MB report) cannot
//! make the others pile up in memory.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};

use hoptac_analyzer::views::Analysis;

use crate::clean::Cleaner;
use crate::corpus::{content_hash, read_limited};
use crate::extract::Extractor;
use crate::load::load;
use crate::reprint::Sketch;
use crate::Document;

/// How many files the workers may prepare ahead of the one the writer waits for.
pub const AHEAD: usize = 256;

/// A worker's stack: a main thread's (8 MiB), not a spawned thread's 2 MiB default. Cleaning an
/// HTML page nested 50,000 elements deep needs more than 2 MiB (`tests/bounded.rs`).
pub const WORKER_STACK: usize = 8 * 1024 * 1024;

/// A file made ready for the writer.
#[derive(Debug)]
pub enum Prepared {
    /// It could not be read (the reason).
    Unreadable(String),
    /// Its content is the version already indexed.
    Unchanged,
    /// It was read but is not a document (the reason).
    Failed(String),
    /// A document, its reprint sketch, and whether it is longer than the token cap; the analyses
    /// of its title and body, for the index's views when it is written
    /// ([`Analysis::offer`]; none for a truncated document).
    Ready {
        doc: Box<Document>,
        sketch: Sketch,
        truncated: bool,
        analyses: Vec<Arc<Analysis>>,
    },
}

/// What preparing a file needs: the compiled cleaner and extractor, and the limits. Shared by a
/// whole-corpus pass's workers and a single file's update, so both make the same document.
#[derive(Debug)]
pub struct Preparer {
    pub cleaner: Cleaner,
    pub extractor: Extractor,
    /// Files larger than this are not read.
    pub max_file_bytes: u64,
    /// Tokens analysed per field; a longer document is reported as truncated.
    pub max_tokens: usize,
}

impl Preparer {
    /// Reads the file at `path` (document `id`) and prepares it (see [`Self::prepare_read`]).
    pub fn prepare(&self, id: &str, path: &Path, unchanged_hash: Option<&str>) -> Prepared {
        match read_limited(path, self.max_file_bytes) {
            Ok(bytes) => self.prepare_read(id, path, &bytes, unchanged_hash),
            Err(reason) => Prepared::Unreadable(reason),
        }
    }

    /// Loads and extracts the bytes read from `path`, unless their content hash is
    /// `unchanged_hash` (the indexed version, when the configuration did not change).
    pub fn prepare_read(
        &self,
        id: &str,
        path: &Path,
        bytes: &[u8],
        unchanged_hash: Option<&str>,
    ) -> Prepared {
        let hash = content_hash(bytes);
        if unchanged_hash == Some(hash.as_str()) {
            return Prepared::Unchanged;
        }
        let raw = match load(path, bytes, &self.cleaner) {
            Ok(raw) => raw,
            Err(e) => return Prepared::Failed(e.to_string()),
        };
        // Analysed once, here on a worker: for the facets, then handed to the index's views.
        let title = Arc::new(Analysis::of(&raw.title));
        let body = Arc::new(Analysis::of(&raw.body));
        let doc = self
            .extractor
            .document(id.to_string(), hash, raw, &title, &body);
        let truncated = [&doc.title, &doc.body]
            .iter()
            .any(|t| hoptac_analyzer::exceeds_token_cap(t, self.max_tokens));
        // A truncated text's views analyse its beginning only: not this analysis.
        let analyses = if truncated {
            Vec::new()
        } else {
            vec![title, body]
        };
        Prepared::Ready {
            analyses,
            sketch: Sketch::of(&doc.body),
            truncated,
            doc: Box::new(doc),
        }
    }
}

/// Runs `work` on every item with `threads` workers and gives each result to `sink` in the items'
/// order. Stops at the first error `sink` returns (the workers stop with it) and returns it.
pub fn in_order<'a, T, R, E>(
    items: &'a [T],
    threads: usize,
    work: impl Fn(&T) -> R + Sync,
    mut sink: impl FnMut(&'a T, R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Sync,
    R: Send,
{
    if threads <= 1 {
        return items.iter().try_for_each(|item| sink(item, work(item)));
    }
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    // How many results the writer has taken; workers wait while they are AHEAD past it.
    let taken = Mutex::new(0usize);
    let moved = Condvar::new();
    let (send, receive) = mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let send = send.clone();
            let (next, stop, taken, moved, work) = (&next, &stop, &taken, &moved, &work);
            let worker = std::thread::Builder::new().stack_size(WORKER_STACK);
            let spawned = worker.spawn_scoped(scope, move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= items.len() {
                    return;
                }
                let mut t = taken.lock().unwrap_or_else(|e| e.into_inner());
                while i >= *t + AHEAD && !stop.load(Ordering::Relaxed) {
                    t = moved.wait(t).unwrap_or_else(|e| e.into_inner());
                }
                drop(t);
                if stop.load(Ordering::Relaxed) || send.send((i, work(&items[i]))).is_err() {
                    return;
                }
            });
            if let Err(e) = spawned {
                // No thread to be had: the items this worker would have taken go to the others,
                // or, with none at all, are done below in place.
                tracing::warn!("preparing files on fewer threads: {e}");
            }
        }
        drop(send);
        let mut early: BTreeMap<usize, R> = BTreeMap::new();
        let mut result = Ok(());
        for (i, item) in items.iter().enumerate() {
            let r = loop {
                if let Some(r) = early.remove(&i) {
                    break r;
                }
                match receive.recv() {
                    Ok((k, r)) if k == i => break r,
                    Ok((k, r)) => {
                        early.insert(k, r);
                    }
                    // No worker left (none could be started, or one panicked, which the scope
                    // re-raises): the item is done here.
                    Err(_) => break work(item),
                }
            };
            *taken.lock().unwrap_or_else(|e| e.into_inner()) = i + 1;
            moved.notify_all();
            if let Err(e) = sink(item, r) {
                result = Err(e);
                break;
            }
        }
        {
            // Under the lock, so that no worker is between its check and its wait.
            let _t = taken.lock().unwrap_or_else(|e| e.into_inner());
            stop.store(true, Ordering::Relaxed);
        }
        moved.notify_all();
        // Unblock any worker still sending: the receiver goes when this closure returns.
        drop(receive);
        result
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_order_whatever_order_the_work_ends_in() {
        let items: Vec<u64> = (0..2_000).collect();
        let mut seen = Vec::new();
        let r: Result<(), ()> = in_order(
            &items,
            3,
            |&i| {
                // Early items take longest, so later ones finish first.
                if i % 97 == 0 {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
                i * 2
            },
            |&i, r| {
                assert_eq!(r, i * 2);
                seen.push(i);
                Ok(())
            },
        );
        assert!(r.is_ok());
        assert_eq!(seen, items);
    }

    #[test]
    fn the_first_error_stops_the_run() {
        let items: Vec<u32> = (0..10_000).collect();
        let done = AtomicUsize::new(0);
        let mut sunk = 0;
        let r = in_order(
            &items,
            2,
            |&i| {
                done.fetch_add(1, Ordering::Relaxed);
                i
            },
            |&i, _| {
                sunk += 1;
                if i == 10 {
                    Err("stop")
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(r, Err("stop"));
        assert_eq!(sunk, 11);
        // The workers stopped within their window ahead of the writer.
        assert!(done.load(Ordering::Relaxed) <= 11 + AHEAD + 2);
    }

    #[test]
    fn one_thread_runs_in_place() {
        let items = ["a", "b", "c"];
        let mut out = String::new();
        let r: Result<(), ()> = in_order(
            &items,
            1,
            |s| s.to_uppercase(),
            |_, s| {
                out.push_str(&s);
                Ok(())
            },
        );
        assert!(r.is_ok());
        assert_eq!(out, "ABC");
    }
}
