//! A query that only filters inside a scored search: its clauses are built without scoring.
//!
//! The result set ([`crate::set`]) is the `Must` clause of the scored pass and scores nothing.
//! tantivy's `ConstScoreQuery` builds the query it wraps *with* scoring when the search scores:
//! every term of the set had its BM25 statistics looked up in every segment (a dictionary lookup
//! per term and segment) and every union of the set summed scores that were then replaced by a
//! constant. [`Unscored`] builds its query as an unscored search would (term statistics never
//! read, unions combining nothing) and scores every match zero. Where its terms are common in a
//! segment, it is decided there as bit sets ([`crate::dense`]).

use tantivy::query::{ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term};

use crate::dense::{BitsDocSet, Shape};

/// Matches what the wrapped query matches, scoring zero, without ever building it for scoring.
#[derive(Debug)]
pub(crate) struct Unscored(pub(crate) Box<dyn Query>);

impl Clone for Unscored {
    fn clone(&self) -> Self {
        Unscored(self.0.box_clone())
    }
}

impl Query for Unscored {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let unscored = match scoring.searcher() {
            Some(searcher) => EnableScoring::disabled_from_searcher(searcher),
            None => EnableScoring::disabled_from_schema(scoring.schema()),
        };
        Ok(Box::new(UnscoredWeight {
            inner: self.0.weight(unscored)?,
            shape: Shape::of(&*self.0, unscored)?,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct UnscoredWeight {
    inner: Box<dyn Weight>,
    /// The query as set operations, for the segments decided as bit sets.
    shape: Shape,
}

impl Weight for UnscoredWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        if self.shape.dense_in(reader)? {
            let docs = BitsDocSet::from(self.shape.bits(reader)?);
            return Ok(Box::new(ConstScorer::new(docs, 0.0)));
        }
        Ok(Box::new(ConstScorer::new(
            self.inner.scorer(reader, boost)?,
            0.0,
        )))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.inner.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document #{doc} does not match"
            )));
        }
        Ok(Explanation::new("matches, scored zero", 0.0))
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.inner.count(reader)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, Occur, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, STRING, TEXT};
    use tantivy::{doc, Index};

    use super::*;

    /// Records whether it was built for scoring, and matches as the query it wraps.
    #[derive(Clone, Debug)]
    struct Spy(TermQuery, Arc<AtomicBool>);

    impl Query for Spy {
        fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
            self.1.store(scoring.is_scoring_enabled(), Ordering::SeqCst);
            self.0.weight(scoring)
        }
    }

    #[test]
    fn the_set_matches_as_before_scores_nothing_and_is_built_unscored() {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let id = schema.add_text_field("id", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut w: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        for (i, text) in ["hop tac viet nam", "viet nam han quoc", "han quoc nhat ban"]
            .iter()
            .enumerate()
        {
            w.add_document(doc!(body => *text, id => i.to_string()))
                .unwrap();
        }
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term =
            |t: &str| TermQuery::new(Term::from_field_text(body, t), IndexRecordOption::WithFreqs);
        let scored = Arc::new(AtomicBool::new(true));
        let set: Box<dyn Query> = Box::new(Unscored(Box::new(Spy(term("viet"), scored.clone()))));
        let query = BooleanQuery::new(vec![
            (Occur::Must, set),
            (Occur::Should, Box::new(term("han"))),
        ]);
        let top = searcher
            .search(&query, &TopDocs::with_limit(10).order_by_score())
            .unwrap();
        assert!(
            !scored.load(Ordering::SeqCst),
            "the set was built for scoring"
        );
        // Both documents saying `viet`; only the evidence (`han`) scores.
        assert_eq!(top.len(), 2);
        let alone = searcher
            .search(&term("han"), &TopDocs::with_limit(10).order_by_score())
            .unwrap();
        // The document saying both scores as the evidence alone; the other, zero.
        let both = alone
            .iter()
            .find(|(_, a)| *a == top[0].1)
            .expect("the best says han");
        assert_eq!(top[0].0, both.0);
        assert_eq!(top[1].0, 0.0);
    }
}
