//! Answers kept for repeated searches, until the index changes.
//!
//! People repeat searches: the same query typed again, the back button, a page reloaded, a facet
//! clicked and unclicked. An answer is kept (least recently used out first) with the stamp of the
//! searcher that produced it — the engine instance and its reader generation — and served only
//! while the engine still answers from that very searcher: the first lookup after a commit, a
//! reload or a swapped-in engine sees another stamp and empties the cache, so a document added or
//! deleted is never missing from, or lingering in, a cached answer. A hit skips the per-core queue.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use lru::LruCache;

use hoptac_search::{SearchRequest, SearchResponse};

/// Which searcher produced an answer: (engine instance, reader generation).
pub type Stamp = (u64, u64);

struct Inner {
    stamp: Option<Stamp>,
    answers: LruCache<SearchRequest, Arc<SearchResponse>>,
}

/// The cache; `None` capacity (0 entries) turns it off.
pub struct ResponseCache(Option<Mutex<Inner>>);

impl ResponseCache {
    /// A cache of at most `entries` answers (0: none kept).
    pub fn new(entries: usize) -> Self {
        ResponseCache(NonZeroUsize::new(entries).map(|n| {
            Mutex::new(Inner {
                stamp: None,
                answers: LruCache::new(n),
            })
        }))
    }

    fn lock(&self) -> Option<std::sync::MutexGuard<'_, Inner>> {
        self.0
            .as_ref()
            .map(|m| m.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// The answer kept for `request`, if it was produced by the searcher `stamp` names.
    pub fn get(&self, stamp: Stamp, request: &SearchRequest) -> Option<Arc<SearchResponse>> {
        let mut inner = self.lock()?;
        if inner.stamp != Some(stamp) {
            inner.answers.clear();
            inner.stamp = Some(stamp);
            return None;
        }
        inner.answers.get(request).cloned()
    }

    /// Keeps an answer produced by the searcher `stamp` names; dropped if the cache has moved on
    /// to another searcher meanwhile.
    pub fn put(&self, stamp: Stamp, request: &SearchRequest, answer: Arc<SearchResponse>) {
        let Some(mut inner) = self.lock() else {
            return;
        };
        if inner.stamp.is_none() {
            inner.stamp = Some(stamp);
        }
        if inner.stamp == Some(stamp) {
            inner.answers.put(request.clone(), answer);
        }
    }

    /// Forgets every answer (a new engine was swapped in).
    pub fn clear(&self) {
        if let Some(mut inner) = self.lock() {
            inner.answers.clear();
            inner.stamp = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(total: usize) -> Arc<SearchResponse> {
        Arc::new(SearchResponse {
            total,
            took_ms: 1.0,
            hits: Vec::new(),
            facets: Default::default(),
            relaxed: false,
            relaxation: None,
            corrected: None,
        })
    }

    #[test]
    fn an_answer_is_served_only_from_the_searcher_that_made_it() {
        let cache = ResponseCache::new(8);
        let q = SearchRequest::text("hợp tác");
        assert!(cache.get((1, 1), &q).is_none());
        cache.put((1, 1), &q, answer(3));
        assert_eq!(cache.get((1, 1), &q).map(|a| a.total), Some(3));
        // A commit: the reader's generation moves on, the answer is gone.
        assert!(cache.get((1, 2), &q).is_none());
        // A search that started before the commit finishes after it: not kept.
        cache.put((1, 1), &q, answer(3));
        assert!(cache.get((1, 2), &q).is_none());
        // Another engine (a rebuilt index) whose reader counts from the same generation.
        cache.put((1, 2), &q, answer(4));
        assert!(cache.get((2, 2), &q).is_none());
    }

    #[test]
    fn requests_differing_in_anything_are_different_answers() {
        let cache = ResponseCache::new(8);
        let q = SearchRequest::text("hợp tác");
        let mut korea = q.clone();
        korea.filters.country = vec!["Hàn Quốc".into()];
        let mut page2 = q.clone();
        page2.offset = 10;
        cache.put((1, 1), &q, answer(3));
        assert!(cache.get((1, 1), &korea).is_none());
        assert!(cache.get((1, 1), &page2).is_none());
    }

    #[test]
    fn the_least_recently_used_answer_goes_first_and_zero_keeps_nothing() {
        let cache = ResponseCache::new(2);
        let [a, b, c] = ["a", "b", "c"].map(SearchRequest::text);
        cache.put((1, 1), &a, answer(1));
        cache.put((1, 1), &b, answer(2));
        assert!(cache.get((1, 1), &a).is_some());
        cache.put((1, 1), &c, answer(3));
        assert!(cache.get((1, 1), &b).is_none());
        assert!(cache.get((1, 1), &a).is_some());
        let off = ResponseCache::new(0);
        off.put((1, 1), &a, answer(1));
        assert!(off.get((1, 1), &a).is_none());
    }
}
