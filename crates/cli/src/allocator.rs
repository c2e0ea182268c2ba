//! The process's allocator, and how it gives freed memory back to the system.

use std::os::raw::{c_int, c_long};

/// mimalloc instead of the system allocator: analysis and indexing allocate a small string per
/// token of every view, and glibc's malloc spent a seventh of indexing's CPU on them (BENCHMARKS.md,
/// "Indexing: one analysis, both cores"); mimalloc's thread-local free lists make those allocations
/// cheap on every thread.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its `mimalloc.h`, the same index in its v2 and v3): how many
/// milliseconds freed pages stay committed before they go back to the system (1,000 in mimalloc
/// v3, the version the `mimalloc` crate builds).
const PURGE_DELAY: c_int = 15;

/// How long the server keeps freed pages: 10 ms (mimalloc v2's default) instead of v3's second.
/// A search's working memory (its set's document lists, its scorers, the snippets' texts) lives
/// for milliseconds on whichever engine thread ran it; kept for a second, the pages freed by every
/// request of that second stay resident, and under load the server's peak RSS at ×1 went up to
/// 300–310 MB (`wrk -c8` over the bench mix). Alternating the settings on one build: VmHWM 277 /
/// 265 / 236 MB at 1,000 / 10 / 0 ms, requests/s at 8 connections 569 / 559 / 533 (three runs
/// each; BENCHMARKS.md "Misses and causes"). 10 ms keeps most of the saving and most of the
/// rate. Indexing keeps the default: there the delay saves page faults on a steady stream of
/// allocations.
const SERVER_PURGE_DELAY_MS: c_long = 10;

/// Sets the server's purge delay ([`SERVER_PURGE_DELAY_MS`]); called when the server is about to
/// answer, after the initial indexing (an index that must be rebuilt is rebuilt in the background
/// while the server answers, and that rebuild runs with the server's delay).
pub fn return_freed_memory_sooner() {
    // SAFETY: `mi_option_set` only stores an option's value; mimalloc reads it on its next purge.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, SERVER_PURGE_DELAY_MS) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index names the purge delay: it is the option whose default is mimalloc v3's 1,000 ms
    /// (a different mimalloc, whose option of that index were another, would fail here).
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        let default: c_long = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        assert_eq!(default, 1000);
        return_freed_memory_sooner();
        let set: c_long = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        assert_eq!(set, SERVER_PURGE_DELAY_MS);
    }
}
