//! Coordination: the concepts of a query scored once, with a bonus for documents matching enough
//! of them.
//!
//! A document's concept evidence is the sum of its concepts' scores; matching at least `need`
//! concepts earns `weight` × that sum again, per tier (all concepts; all but one of four or more).
//! Written as a BooleanQuery per tier, every concept's sub-queries — syllables, bigrams, phrases,
//! alternatives — were evaluated once for the evidence and once more per tier, two or three times
//! in all over every matching document; this query evaluates each once and scores the same.

use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term, TERMINATED};

/// Concepts summed, the sum multiplied by `1 + Σ weight` of the tiers whose `need` is met.
#[derive(Debug)]
pub struct CoordinatedQuery {
    concepts: Vec<Box<dyn Query>>,
    tiers: Vec<(usize, f32)>,
}

impl CoordinatedQuery {
    /// Concept queries and `(need, weight)` tiers.
    pub fn new(concepts: Vec<Box<dyn Query>>, tiers: Vec<(usize, f32)>) -> Self {
        CoordinatedQuery { concepts, tiers }
    }
}

impl Clone for CoordinatedQuery {
    fn clone(&self) -> Self {
        CoordinatedQuery {
            concepts: self.concepts.iter().map(|q| q.box_clone()).collect(),
            tiers: self.tiers.clone(),
        }
    }
}

impl Query for CoordinatedQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .concepts
            .iter()
            .map(|q| q.weight(scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(CoordinatedWeight {
            weights,
            tiers: self.tiers.clone(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for q in &self.concepts {
            q.query_terms(visitor);
        }
    }
}

struct CoordinatedWeight {
    weights: Vec<Box<dyn Weight>>,
    tiers: Vec<(usize, f32)>,
}

impl Weight for CoordinatedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut children = Vec::with_capacity(self.weights.len());
        for w in &self.weights {
            let s = w.scorer(reader, boost)?;
            if s.doc() != TERMINATED {
                children.push(s);
            }
        }
        if children.is_empty() {
            return Ok(Box::new(EmptyScorer));
        }
        let doc = children.iter().map(|c| c.doc()).min().unwrap_or(TERMINATED);
        Ok(Box::new(CoordinatedScorer {
            children,
            tiers: self.tiers.clone(),
            doc,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut s = self.scorer(reader, 1.0)?;
        if s.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document #{doc} does not match"
            )));
        }
        Ok(Explanation::new("concepts, coordinated", s.score()))
    }
}

/// The union of the concepts' scorers (a handful: a linear scan beats a heap).
struct CoordinatedScorer {
    children: Vec<Box<dyn Scorer>>,
    tiers: Vec<(usize, f32)>,
    doc: DocId,
}

impl CoordinatedScorer {
    fn settle(&mut self) -> DocId {
        self.doc = self
            .children
            .iter()
            .map(|c| c.doc())
            .min()
            .unwrap_or(TERMINATED);
        self.doc
    }
}

impl DocSet for CoordinatedScorer {
    fn advance(&mut self) -> DocId {
        let current = self.doc;
        for c in &mut self.children {
            if c.doc() == current {
                c.advance();
            }
        }
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for c in &mut self.children {
            if c.doc() < target {
                c.seek(target);
            }
        }
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.children
            .iter()
            .map(|c| c.size_hint())
            .max()
            .unwrap_or(0)
    }
}

impl Scorer for CoordinatedScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        let (mut sum, mut matched) = (0.0, 0);
        for c in &mut self.children {
            if c.doc() == doc {
                sum += c.score();
                matched += 1;
            }
        }
        let bonus: f32 = self
            .tiers
            .iter()
            .filter(|(need, _)| matched >= *need)
            .map(|(_, w)| w)
            .sum();
        sum * (1.0 + bonus)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, BoostQuery, Occur, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index};

    /// Scores equal to the BooleanQuery formulation it replaces: each concept once, plus per tier a
    /// boosted "at least `need` concepts" clause.
    #[test]
    fn scores_as_the_boolean_formulation_does() {
        let mut b = Schema::builder();
        let body = b.add_text_field("body", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut w = index.writer(15_000_000).unwrap();
        for text in [
            "hợp tác an toàn thông tin Hàn Quốc",
            "hợp tác Hàn Quốc",
            "an toàn giao thông",
            "Hàn Quốc Nhật Bản hợp tác hợp tác",
            "thời tiết",
        ] {
            w.add_document(doc!(body => text)).unwrap();
        }
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let concept = |word: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(body, word),
                IndexRecordOption::WithFreqs,
            ))
        };
        let words = ["hợp", "hàn", "toàn"];
        let tiers = vec![(3, 0.5), (2, 0.25)];
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            words.iter().map(|w| (Occur::Should, concept(w))).collect();
        for (need, weight) in &tiers {
            let q = BooleanQuery::with_minimum_required_clauses(
                words.iter().map(|w| (Occur::Should, concept(w))).collect(),
                *need,
            );
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(q), *weight)),
            ));
        }
        let boolean = BooleanQuery::new(clauses);
        let coordinated = CoordinatedQuery::new(words.iter().map(|w| concept(w)).collect(), tiers);
        let top = TopDocs::with_limit(10).order_by_score();
        let a = searcher.search(&boolean, &top).unwrap();
        let b = searcher.search(&coordinated, &top).unwrap();
        assert_eq!(a.len(), 4);
        assert_eq!(a.len(), b.len());
        for ((sa, da), (sb, db)) in a.iter().zip(&b) {
            assert_eq!(da, db);
            assert!((sa - sb).abs() < 1e-4, "{sa} vs {sb}");
        }
        // The bonus is there: the document matching all three concepts gains the most.
        let all = a[0].1;
        let plain = BooleanQuery::new(words.iter().map(|w| (Occur::Should, concept(w))).collect());
        let p = searcher.search(&plain, &top).unwrap();
        let base = p.iter().find(|(_, d)| *d == all).unwrap().0;
        assert!((a[0].0 - base * 1.75).abs() < 1e-4);
    }
}
