//! Deadlines that stop a search: a time and a flag its requester can raise.
//!
//! A search answered `timeout` must not run on: on two cores, two abandoned searches hold every
//! search slot and every later request waits behind them. So the work itself looks at the
//! deadline — every query the pipeline runs is wrapped in [`Deadline::bound`], whose scorer checks
//! it every [`CHECK_EVERY`] documents and stops the collection when it has passed; between stages
//! and between per-document steps (coverage, snippets) the pipeline calls [`Deadline::check`]. A
//! stopped search returns [`SearchError::Cancelled`], never a partial answer.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

use crate::SearchError;

/// Documents a bounded scorer steps through between two looks at the clock (a look costs tens of
/// nanoseconds; a thousand documents take tens of microseconds).
pub const CHECK_EVERY: u32 = 1024;

/// When a search must stop.
#[derive(Clone, Debug, Default)]
pub struct Deadline {
    at: Option<Instant>,
    cancelled: Option<Arc<AtomicBool>>,
}

impl Deadline {
    /// No deadline: the CLI, evaluation.
    pub fn none() -> Self {
        Deadline::default()
    }

    /// Stop at `at`.
    pub fn at(at: Instant) -> Self {
        Deadline {
            at: Some(at),
            cancelled: None,
        }
    }

    /// Also stop when `flag` is raised (the request was given up, the server is stopping).
    pub fn or_when(mut self, flag: Arc<AtomicBool>) -> Self {
        self.cancelled = Some(flag);
        self
    }

    /// True when there is nothing to watch.
    pub fn is_none(&self) -> bool {
        self.at.is_none() && self.cancelled.is_none()
    }

    /// True once the time has come or the flag was raised.
    pub fn passed(&self) -> bool {
        self.cancelled
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
            || self.at.is_some_and(|at| Instant::now() >= at)
    }

    /// [`SearchError::Cancelled`] once the deadline has passed.
    pub fn check(&self) -> Result<(), SearchError> {
        if self.passed() {
            Err(SearchError::Cancelled)
        } else {
            Ok(())
        }
    }

    /// `query`, its collection stopped when the deadline passes (see the module). The caller
    /// calls [`Deadline::check`] after the search: a stopped collection is incomplete.
    pub fn bound(&self, query: Box<dyn Query>) -> Box<dyn Query> {
        if self.is_none() {
            return query;
        }
        Box::new(Bounded {
            inner: query,
            deadline: self.clone(),
        })
    }
}

/// A query whose scorers stop at a deadline.
#[derive(Debug)]
struct Bounded {
    inner: Box<dyn Query>,
    deadline: Deadline,
}

impl Clone for Bounded {
    fn clone(&self) -> Self {
        Bounded {
            inner: self.inner.box_clone(),
            deadline: self.deadline.clone(),
        }
    }
}

impl Query for Bounded {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(BoundedWeight {
            inner: self.inner.weight(scoring)?,
            deadline: self.deadline.clone(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct BoundedWeight {
    inner: Box<dyn Weight>,
    deadline: Deadline,
}

impl Weight for BoundedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(BoundedScorer {
            inner: self.inner.scorer(reader, boost)?,
            stopped: self.deadline.passed(),
            deadline: self.deadline.clone(),
            left: CHECK_EVERY,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }
}

struct BoundedScorer {
    inner: Box<dyn Scorer>,
    deadline: Deadline,
    left: u32,
    stopped: bool,
}

impl BoundedScorer {
    /// Counts one step; true when the collection must stop here.
    fn must_stop(&mut self) -> bool {
        self.left -= 1;
        if self.left == 0 {
            self.left = CHECK_EVERY;
            self.stopped = self.deadline.passed();
        }
        self.stopped
    }
}

impl DocSet for BoundedScorer {
    fn advance(&mut self) -> DocId {
        if self.stopped || self.must_stop() {
            return TERMINATED;
        }
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.stopped || self.must_stop() {
            return TERMINATED;
        }
        self.inner.seek(target)
    }

    fn doc(&self) -> DocId {
        if self.stopped {
            TERMINATED
        } else {
            self.inner.doc()
        }
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for BoundedScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::Count;
    use tantivy::query::AllQuery;
    use tantivy::schema::{Schema, STRING};
    use tantivy::{doc, Index};

    fn index(docs: usize) -> Index {
        let mut b = Schema::builder();
        let id = b.add_text_field("id", STRING);
        let index = Index::create_in_ram(b.build());
        let mut w = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for i in 0..docs {
            w.add_document(doc!(id => i.to_string())).unwrap();
        }
        w.commit().unwrap();
        index
    }

    #[test]
    fn a_deadline_not_reached_changes_nothing() {
        let searcher = index(5000).reader().unwrap().searcher();
        let d = Deadline::at(Instant::now() + std::time::Duration::from_secs(60));
        let n = searcher
            .search(&*d.bound(Box::new(AllQuery)), &Count)
            .unwrap();
        assert_eq!(n, 5000);
        assert!(d.check().is_ok());
    }

    #[test]
    fn a_raised_flag_stops_the_collection_within_a_check() {
        let searcher = index(5000).reader().unwrap().searcher();
        let flag = Arc::new(AtomicBool::new(true));
        let d = Deadline::none().or_when(Arc::clone(&flag));
        let n = searcher
            .search(&*d.bound(Box::new(AllQuery)), &Count)
            .unwrap();
        assert_eq!(n, 0);
        assert!(matches!(d.check(), Err(SearchError::Cancelled)));
    }

    #[test]
    fn a_flag_raised_during_the_collection_stops_it_within_a_check() {
        let searcher = index(10_000).reader().unwrap().searcher();
        let flag = Arc::new(AtomicBool::new(false));
        let d = Deadline::none().or_when(Arc::clone(&flag));
        let query = d.bound(Box::new(AllQuery));
        let weight = query
            .weight(EnableScoring::disabled_from_searcher(&searcher))
            .unwrap();
        let mut scorer = weight.scorer(searcher.segment_reader(0), 1.0).unwrap();
        for _ in 0..10 {
            scorer.advance();
        }
        flag.store(true, Ordering::Relaxed);
        let mut after = 0;
        while scorer.advance() != TERMINATED {
            after += 1;
        }
        assert!(after < CHECK_EVERY, "{after} documents after the flag");
        assert!(d.check().is_err());
    }

    #[test]
    fn no_deadline_is_no_wrapper() {
        assert!(Deadline::none().is_none());
        assert!(!Deadline::none().passed());
    }
}
