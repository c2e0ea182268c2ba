//! The whole index as one answer: every document, newest first, and the facet counts of them all —
//! what a search with neither words nor filters shows (the page before anything is typed, a feed
//! of everything, a query of function words alone such as `của`).
//!
//! Answered by walking the index, that is the costliest search there is: every document's date
//! and facets read (22 ms at ×10, 380,980 documents, for a page of ten). It only changes when the
//! index does, so it is made once per searcher generation (after a commit, by the first search
//! that asks) and kept.

use std::sync::{Arc, Mutex};

use tantivy::query::AllQuery;
use tantivy::{DocAddress, Searcher};

use crate::facets::{self, SegmentFacetsCache, Tally};
use crate::rank::Dim;
use crate::{Deadline, SearchError};

/// The fast field of the order "newest first" (`yyyymmdd`, 0 when undated).
const DATE_KEY: &str = "date_key";

/// Every document of one searcher generation, newest first, with its count and facets.
pub(crate) struct WholeIndex {
    generation: u64,
    /// Documents alive.
    pub(crate) count: usize,
    /// Facet counts of every dimension over all of them.
    pub(crate) tally: Tally,
    /// All of them, newest first; ties (the same day, the undated) in index order, as tantivy's
    /// own top-documents collector orders them.
    pub(crate) newest: Vec<DocAddress>,
}

/// The whole index of the latest searcher generation asked about.
#[derive(Clone, Default)]
pub(crate) struct WholeIndexCache(Arc<Mutex<Option<Arc<WholeIndex>>>>);

impl WholeIndexCache {
    /// The whole index as `searcher` sees it: kept if made for its generation, else made now (two
    /// searches asking at once may both make it; the last made is kept).
    pub(crate) fn get(
        &self,
        searcher: &Searcher,
        facet_cache: &SegmentFacetsCache,
        deadline: &Deadline,
    ) -> Result<Arc<WholeIndex>, SearchError> {
        let generation = searcher.generation().generation_id();
        if let Some(whole) = self.lock().as_ref() {
            if whole.generation == generation {
                return Ok(Arc::clone(whole));
            }
        }
        let whole = Arc::new(WholeIndex::read(
            searcher,
            generation,
            facet_cache,
            deadline,
        )?);
        *self.lock() = Some(Arc::clone(&whole));
        Ok(whole)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Arc<WholeIndex>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl WholeIndex {
    fn read(
        searcher: &Searcher,
        generation: u64,
        facet_cache: &SegmentFacetsCache,
        deadline: &Deadline,
    ) -> Result<WholeIndex, SearchError> {
        let tally = searcher.search(
            &*deadline.bound(Box::new(AllQuery)),
            &facets::collector("facets", &Dim::ALL, facet_cache),
        )?;
        deadline.check()?;
        let mut dated: Vec<(u64, DocAddress)> = Vec::with_capacity(searcher.num_docs() as usize);
        for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
            let dates = segment.fast_fields().u64(DATE_KEY)?;
            for doc in segment.doc_ids_alive() {
                let date = dates.first(doc).unwrap_or(0);
                dated.push((date, DocAddress::new(ordinal as u32, doc)));
            }
            deadline.check()?;
        }
        dated.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        Ok(WholeIndex {
            generation,
            count: dated.len(),
            tally,
            newest: dated.into_iter().map(|(_, d)| d).collect(),
        })
    }
}
