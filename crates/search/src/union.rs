//! Sparse unions: the evidence's disjunctions, evaluated only at the documents asked for.
//!
//! The evidence ([`crate::rank::Ranker::evidence`]) is only ever run inside the result set: tantivy
//! walks the set and *seeks* the evidence to each of its documents. tantivy's own union (the
//! scorer of a `BooleanQuery` of `Should` clauses, and of `DisjunctionMaxQuery`) answers a seek by
//! scoring every document of every clause in a window of 4,096 documents ahead, which pays off when
//! the union is walked from start to end, and costs a union's whole length when it is visited at a
//! few hundred documents of a set. At ×10 that window scoring was a quarter of all query time. The
//! union here moves each clause to the target and combines the scores of the clauses standing on
//! it, so its cost grows with the set, not with the clauses' postings.
//!
//! How the matching clauses' scores are combined ([`Combine`]):
//! - **sum**, as a `BooleanQuery` of `Should` clauses scores;
//! - **best of**, plus `tie` × the others, as tantivy's `DisjunctionMaxQuery` scores (a concept said
//!   several ways counts by the best of them);
//! - **coordinated**: the sum, multiplied by `1 + Σ weight` of the tiers whose `need` (clauses
//!   matched) is met — documents matching all of a query's concepts (or all but one of four or
//!   more) gain a share of their score again. As a `BooleanQuery` per tier, every concept's
//!   sub-queries were evaluated once more per tier; here each is evaluated once.
//!
//! A union holds a handful of clauses: a linear scan over them beats a heap.

use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term, TERMINATED};

use crate::probe::{probe, Kind, Probe, Probed};

/// How a union combines the scores of its clauses matching a document.
#[derive(Clone, Debug, PartialEq)]
pub enum Combine {
    /// The sum of the scores.
    Sum,
    /// The best score plus `tie` × the sum of the others.
    Best {
        /// Share of the other clauses' scores added to the best one's.
        tie: f32,
    },
    /// The sum, times `1 + Σ weight` of the `(need, weight)` tiers whose `need` is met.
    Coordinated {
        /// `(clauses matched at least, extra share of the sum)`.
        tiers: Vec<(usize, f32)>,
    },
}

impl Combine {
    fn combine(&self, scores: impl Iterator<Item = Score>) -> Score {
        match self {
            Combine::Sum => scores.sum(),
            Combine::Best { tie } => {
                let (mut best, mut sum) = (0.0f32, 0.0f32);
                for s in scores {
                    best = best.max(s);
                    sum += s;
                }
                best + (sum - best) * tie
            }
            Combine::Coordinated { tiers } => {
                let (mut sum, mut matched) = (0.0f32, 0usize);
                for s in scores {
                    sum += s;
                    matched += 1;
                }
                let bonus: f32 = tiers
                    .iter()
                    .filter(|(need, _)| matched >= *need)
                    .map(|(_, w)| w)
                    .sum();
                sum * (1.0 + bonus)
            }
        }
    }

    /// A clause alone scores as itself.
    fn is_identity_for_one(&self) -> bool {
        match self {
            Combine::Sum | Combine::Best { .. } => true,
            Combine::Coordinated { tiers } => tiers.iter().all(|(need, _)| *need > 1),
        }
    }
}

/// A union of queries whose scorers are moved only to the documents asked for.
#[derive(Debug)]
pub struct SparseUnion {
    clauses: Vec<Box<dyn Query>>,
    combine: Combine,
    need: usize,
}

impl SparseUnion {
    /// The union of `clauses`, their scores combined by `combine`.
    pub fn new(clauses: Vec<Box<dyn Query>>, combine: Combine) -> Self {
        SparseUnion {
            clauses,
            combine,
            need: 1,
        }
    }

    /// The documents matching at least `need` of `clauses`, their scores summed: a long query's
    /// result set, which may miss a concept. tantivy's own (`BooleanQuery` with a minimum of
    /// `Should` clauses) has no seek of its own and walks every document of every clause to reach
    /// a target; this one seeks each clause.
    pub fn at_least(clauses: Vec<Box<dyn Query>>, need: usize) -> Self {
        SparseUnion {
            clauses,
            combine: Combine::Sum,
            need: need.max(1),
        }
    }

    /// The clauses, and how many of them a document must match.
    pub(crate) fn parts(&self) -> (&[Box<dyn Query>], usize) {
        (&self.clauses, self.need)
    }
}

impl Clone for SparseUnion {
    fn clone(&self) -> Self {
        SparseUnion {
            clauses: self.clauses.iter().map(|q| q.box_clone()).collect(),
            combine: self.combine.clone(),
            need: self.need,
        }
    }
}

impl Query for SparseUnion {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .clauses
            .iter()
            .map(|q| q.weight(scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(SparseUnionWeight {
            weights,
            combine: self.combine.clone(),
            need: self.need,
            scored: scoring.is_scoring_enabled(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for q in &self.clauses {
            q.query_terms(visitor);
        }
    }
}

struct SparseUnionWeight {
    weights: Vec<Box<dyn Weight>>,
    combine: Combine,
    need: usize,
    /// Whether the search scores: if not, a document is decided as soon as `need` clauses match.
    scored: bool,
}

impl Weight for SparseUnionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut children = Vec::with_capacity(self.weights.len());
        for w in &self.weights {
            let s = w.scorer(reader, boost)?;
            if s.doc() != TERMINATED {
                children.push(s);
            }
        }
        if children.len() < self.need.max(1) {
            return Ok(Box::new(EmptyScorer));
        }
        if children.len() == 1 && self.combine.is_identity_for_one() {
            return Ok(children.pop().expect("one clause"));
        }
        let kinds: Vec<Kind> = children.iter().map(|c| Kind::of(c.as_ref())).collect();
        if kinds.iter().all(|k| *k == Kind::Other) {
            let mut scorer = SparseUnionScorer {
                docs: Vec::with_capacity(children.len()),
                children,
                combine: self.combine.clone(),
                need: self.need,
                doc: 0,
            };
            scorer.settle();
            return Ok(Box::new(scorer));
        }
        let at = children.iter().map(|c| c.doc()).collect();
        // Clauses that may compare positions (phrases, unions of them) are asked last.
        let mut order: Vec<usize> = (0..children.len()).collect();
        order.sort_by_key(|&i| kinds[i] != Kind::Other);
        let mut scorer = ProbingUnionScorer {
            exact: vec![true; children.len()],
            at,
            kinds,
            bounds: Vec::with_capacity(children.len()),
            children,
            order,
            combine: self.combine.clone(),
            need: self.need,
            scored: self.scored,
            doc: 0,
            missed: false,
        };
        scorer.seek_first(0);
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut s = self.scorer(reader, 1.0)?;
        if s.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document #{doc} does not match"
            )));
        }
        Ok(Explanation::new("sparse union", s.score()))
    }
}

/// A union of clauses that seek exactly and cheaply (terms, tantivy's own queries): each clause is
/// sought to the document asked for; `doc` is the least of their documents that `need` of them
/// stand on. A probe of it is a seek.
struct SparseUnionScorer {
    children: Vec<Box<dyn Scorer>>,
    combine: Combine,
    need: usize,
    doc: DocId,
    /// Scratch space for the clauses' documents (`need` above one).
    docs: Vec<DocId>,
}

impl SparseUnionScorer {
    /// Stands on the least document of the clauses that enough of them match. With `need` above
    /// one, the candidate is the `need`-th least of the clauses' documents (no document before it
    /// has `need` clauses), and the clauses behind it seek to it: walking them one document at a
    /// time read every document of every clause (a long unaccented query's concepts are common
    /// syllables).
    fn settle(&mut self) -> DocId {
        loop {
            let docs = self.children.iter().map(|c| c.doc());
            let candidate = nth_least(&mut self.docs, docs, self.need);
            let on_it = || {
                self.children
                    .iter()
                    .filter(|c| c.doc() == candidate)
                    .count()
            };
            if candidate == TERMINATED || self.need <= 1 || on_it() >= self.need {
                self.doc = candidate;
                return candidate;
            }
            for c in &mut self.children {
                if c.doc() < candidate {
                    c.seek(candidate);
                }
            }
        }
    }
}

impl DocSet for SparseUnionScorer {
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
        size_hint(&self.children)
    }

    fn cost(&self) -> u64 {
        cost(&self.children)
    }
}

impl Scorer for SparseUnionScorer {
    fn score(&mut self) -> Score {
        let SparseUnionScorer {
            children,
            combine,
            doc,
            ..
        } = self;
        combine.combine(
            children
                .iter_mut()
                .filter(|c| c.doc() == *doc)
                .map(|c| c.score()),
        )
    }
}

/// A union holding clauses that compare positions (phrases, or unions of them): each clause is
/// only ever probed at the documents the union is asked about ([`crate::probe`]), and one that
/// missed keeps the bound its probe gave instead of being moved to its next match.
pub(crate) struct ProbingUnionScorer {
    children: Vec<Box<dyn Scorer>>,
    /// Where each clause stands: its document when `exact`, else a bound below which it has no
    /// match (it missed a probe and stands on nothing).
    at: Vec<DocId>,
    exact: Vec<bool>,
    kinds: Vec<Kind>,
    /// Scratch space for the clauses' bounds after a miss.
    bounds: Vec<DocId>,
    /// The order clauses are probed in: the costly ones (phrases) last.
    order: Vec<usize>,
    combine: Combine,
    need: usize,
    /// Whether scores are asked for (every matching clause is then probed).
    scored: bool,
    doc: DocId,
    /// A probe of the union missed since `doc` was found: `doc` is no match to stand on.
    missed: bool,
}

impl ProbingUnionScorer {
    /// Whether clause `i` matches `target` (not before any document it was asked about).
    fn probe_clause(&mut self, i: usize, target: DocId) -> bool {
        if self.at[i] > target {
            return false;
        }
        if self.exact[i] && self.at[i] == target {
            return true;
        }
        match probe(&mut self.children[i], self.kinds[i], target) {
            Probe::Found => {
                self.at[i] = target;
                self.exact[i] = true;
                true
            }
            Probe::Beyond(bound) => {
                self.at[i] = bound;
                self.exact[i] = false;
                false
            }
        }
    }

    /// Stands on the first document at or after `target` that enough clauses match, probing each
    /// candidate: the least document the clauses' bounds allow (for `need` clauses, the
    /// `need`-th least).
    fn seek_first(&mut self, mut target: DocId) -> DocId {
        loop {
            match self.probe(target) {
                Probe::Found => return target,
                Probe::Beyond(TERMINATED) => {
                    self.doc = TERMINATED;
                    self.missed = false;
                    return TERMINATED;
                }
                Probe::Beyond(next) => target = next,
            }
        }
    }
}

impl Probed for ProbingUnionScorer {
    fn probe(&mut self, target: DocId) -> Probe {
        if target == TERMINATED {
            return Probe::Beyond(TERMINATED);
        }
        // Scored, every clause is probed (the score combines them all); unscored, only until
        // `need` match, or too few are left to.
        let (mut matched, mut left) = (0, self.children.len());
        for k in 0..self.order.len() {
            if (!self.scored && matched >= self.need) || matched + left < self.need {
                break;
            }
            left -= 1;
            if self.probe_clause(self.order[k], target) {
                matched += 1;
            }
        }
        if matched >= self.need {
            self.doc = target;
            self.missed = false;
            return Probe::Found;
        }
        self.missed = true;
        // No clause matches before its bound (a clause on `target`, or not asked about it, may
        // match next after it), so no document before the `need`-th least bound has `need`.
        let bound = |at: DocId| if at <= target { target + 1 } else { at };
        let bounds = self.at.iter().map(|&at| bound(at));
        Probe::Beyond(nth_least(&mut self.bounds, bounds, self.need))
    }
}

impl DocSet for ProbingUnionScorer {
    fn advance(&mut self) -> DocId {
        debug_assert!(!self.missed, "advanced after a missed probe: seek instead");
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        self.seek_first(self.doc + 1)
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if !self.missed && self.doc >= target {
            return self.doc;
        }
        self.seek_first(target)
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        size_hint(&self.children)
    }

    fn cost(&self) -> u64 {
        cost(&self.children)
    }
}

impl Scorer for ProbingUnionScorer {
    fn score(&mut self) -> Score {
        let ProbingUnionScorer {
            children,
            combine,
            doc,
            at,
            exact,
            ..
        } = self;
        combine.combine(
            children
                .iter_mut()
                .zip(at.iter().zip(exact.iter()))
                .filter(|(_, (at, exact))| **exact && **at == *doc)
                .map(|(c, _)| c.score()),
        )
    }
}

/// The `n`-th least of `docs` (`TERMINATED` when there are fewer), sorted in `scratch` (for
/// `n = 1`, their minimum): no document before it can have `n` clauses, when each clause matches
/// nothing before its own document.
fn nth_least(scratch: &mut Vec<DocId>, docs: impl Iterator<Item = DocId>, n: usize) -> DocId {
    if n <= 1 {
        return docs.min().unwrap_or(TERMINATED);
    }
    scratch.clear();
    scratch.extend(docs);
    scratch.sort_unstable();
    scratch.get(n - 1).copied().unwrap_or(TERMINATED)
}

/// A union's size: its longest clause's.
fn size_hint(children: &[Box<dyn Scorer>]) -> u32 {
    children.iter().map(|c| c.size_hint()).max().unwrap_or(0)
}

/// A union's cost: its clauses' together.
fn cost(children: &[Box<dyn Scorer>]) -> u64 {
    children.iter().map(|c| c.cost()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::{
        BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, Occur, QueryClone,
        TermQuery,
    };
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, DocAddress, Index, Searcher};

    const TEXTS: [&str; 6] = [
        "hợp tác an toàn thông tin Hàn Quốc",
        "hợp tác Hàn Quốc",
        "an toàn giao thông",
        "Hàn Quốc Nhật Bản hợp tác hợp tác",
        "thời tiết",
        "an toàn thông tin",
    ];

    fn corpus() -> (Searcher, tantivy::schema::Field) {
        let mut b = Schema::builder();
        let body = b.add_text_field("body", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut w = index.writer(15_000_000).unwrap();
        for text in TEXTS {
            w.add_document(doc!(body => text)).unwrap();
        }
        w.commit().unwrap();
        (index.reader().unwrap().searcher(), body)
    }

    fn word(body: tantivy::schema::Field, w: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(body, w),
            IndexRecordOption::WithFreqs,
        ))
    }

    fn ranked(searcher: &Searcher, q: &dyn Query) -> Vec<(f32, DocAddress)> {
        searcher
            .search(q, &TopDocs::with_limit(10).order_by_score())
            .unwrap()
    }

    fn assert_same(a: &[(f32, DocAddress)], b: &[(f32, DocAddress)]) {
        assert_eq!(a.len(), b.len());
        for ((sa, da), (sb, db)) in a.iter().zip(b) {
            assert_eq!(da, db);
            assert!((sa - sb).abs() < 1e-4, "{sa} vs {sb}");
        }
    }

    /// A sum scores as tantivy's `BooleanQuery` of `Should` clauses.
    #[test]
    fn a_sum_scores_as_should_clauses_do() {
        let (searcher, body) = corpus();
        let words = ["hợp", "toàn", "tiết"];
        let boolean = BooleanQuery::new(
            words
                .iter()
                .map(|w| (Occur::Should, word(body, w)))
                .collect(),
        );
        let sparse = SparseUnion::new(words.iter().map(|w| word(body, w)).collect(), Combine::Sum);
        let a = ranked(&searcher, &boolean);
        assert_eq!(a.len(), 6);
        assert_same(&a, &ranked(&searcher, &sparse));
    }

    /// Best-of scores as tantivy's `DisjunctionMaxQuery` with the same tie breaker, both run inside
    /// a set as the evidence is (alone, tantivy runs a disjunction of terms with block-max WAND,
    /// which sums their scores).
    #[test]
    fn best_of_scores_as_disjunction_max_does() {
        let (searcher, body) = corpus();
        let words = ["hàn", "thông", "hợp"];
        let within = |evidence: Box<dyn Query>| {
            let set = BooleanQuery::new(
                words
                    .iter()
                    .map(|w| (Occur::Should, word(body, w)))
                    .collect(),
            );
            BooleanQuery::new(vec![
                (
                    Occur::Must,
                    Box::new(ConstScoreQuery::new(Box::new(set), 0.0)) as Box<dyn Query>,
                ),
                (Occur::Should, evidence),
            ])
        };
        let dismax = DisjunctionMaxQuery::with_tie_breaker(
            words.iter().map(|w| word(body, w)).collect(),
            0.2,
        );
        let sparse = SparseUnion::new(
            words.iter().map(|w| word(body, w)).collect(),
            Combine::Best { tie: 0.2 },
        );
        let a = ranked(&searcher, &within(Box::new(dismax)));
        assert_eq!(a.len(), 5);
        assert_same(&a, &ranked(&searcher, &within(Box::new(sparse))));
        // The best clause counts in full, the others a fifth: less than their sum.
        let sum = SparseUnion::new(words.iter().map(|w| word(body, w)).collect(), Combine::Sum);
        let summed = ranked(&searcher, &within(Box::new(sum)));
        let first = |r: &[(f32, DocAddress)], d: DocAddress| r.iter().find(|x| x.1 == d).unwrap().0;
        let all = DocAddress::new(0, 0);
        assert!(first(&a, all) < first(&summed, all) - 0.1);
    }

    /// Coordinated scores as the `BooleanQuery` formulation it replaces: each concept once, plus per
    /// tier a boosted "at least `need` concepts" clause.
    #[test]
    fn coordinated_scores_as_the_boolean_formulation_does() {
        let (searcher, body) = corpus();
        let words = ["hợp", "hàn", "toàn"];
        let tiers = vec![(3, 0.5), (2, 0.25)];
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = words
            .iter()
            .map(|w| (Occur::Should, word(body, w)))
            .collect();
        for (need, weight) in &tiers {
            let q = BooleanQuery::with_minimum_required_clauses(
                words
                    .iter()
                    .map(|w| (Occur::Should, word(body, w)))
                    .collect(),
                *need,
            );
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(q), *weight)),
            ));
        }
        let boolean = BooleanQuery::new(clauses);
        let coordinated = SparseUnion::new(
            words.iter().map(|w| word(body, w)).collect(),
            Combine::Coordinated {
                tiers: tiers.clone(),
            },
        );
        let a = ranked(&searcher, &boolean);
        assert_eq!(a.len(), 5);
        assert_same(&a, &ranked(&searcher, &coordinated));
        // The bonus is there: the document matching all three concepts gains the most.
        let all = a[0].1;
        let plain = SparseUnion::new(words.iter().map(|w| word(body, w)).collect(), Combine::Sum);
        let p = ranked(&searcher, &plain);
        let base = p.iter().find(|(_, d)| *d == all).unwrap().0;
        assert!((a[0].0 - base * 1.75).abs() < 1e-4);
    }

    /// At least `need` of the clauses: the documents tantivy's minimum of `Should` clauses
    /// matches, alone and sought inside a set, and none when fewer clauses could match.
    #[test]
    fn at_least_matches_as_a_minimum_of_should_clauses() {
        let (searcher, body) = corpus();
        let words = ["hợp", "hàn", "toàn", "tin"];
        for need in 1..=5 {
            let boolean = BooleanQuery::with_minimum_required_clauses(
                words
                    .iter()
                    .map(|w| (Occur::Should, word(body, w)))
                    .collect(),
                need,
            );
            let sparse = SparseUnion::at_least(words.iter().map(|w| word(body, w)).collect(), need);
            let docs = |q: &dyn Query| -> Vec<DocAddress> {
                let mut d: Vec<DocAddress> =
                    ranked(&searcher, q).into_iter().map(|x| x.1).collect();
                d.sort();
                d
            };
            assert_eq!(docs(&boolean), docs(&sparse), "need {need}");
            let within = |q: Box<dyn Query>| {
                BooleanQuery::new(vec![(Occur::Must, word(body, "quốc")), (Occur::Must, q)])
            };
            assert_eq!(
                docs(&within(Box::new(boolean))),
                docs(&within(Box::new(sparse))),
                "need {need}, inside a set"
            );
        }
        let two = SparseUnion::at_least(words.iter().map(|w| word(body, w)).collect(), 3);
        let found: Vec<u32> = ranked(&searcher, &two).iter().map(|x| x.1.doc_id).collect();
        assert_eq!(
            found,
            vec![0],
            "only the first text says three of the words"
        );
        let none = SparseUnion::at_least(words.iter().map(|w| word(body, w)).collect(), 5);
        assert!(ranked(&searcher, &none).is_empty());
    }

    /// Inside a set (a `Must` clause), the union is sought to the set's documents and scores them
    /// as tantivy's union does, nested or not.
    #[test]
    fn sought_inside_a_set_it_scores_as_the_should_union() {
        let (searcher, body) = corpus();
        let evidence = |sparse: bool| -> Box<dyn Query> {
            let inner: Vec<Box<dyn Query>> = vec![word(body, "toàn"), word(body, "tin")];
            let inner: Box<dyn Query> = if sparse {
                Box::new(SparseUnion::new(inner, Combine::Sum))
            } else {
                Box::new(BooleanQuery::new(
                    inner.into_iter().map(|q| (Occur::Should, q)).collect(),
                ))
            };
            let outer = vec![inner, word(body, "hàn"), word(body, "tác")];
            if sparse {
                Box::new(SparseUnion::new(outer, Combine::Sum))
            } else {
                Box::new(BooleanQuery::new(
                    outer.into_iter().map(|q| (Occur::Should, q)).collect(),
                ))
            }
        };
        let within = |sparse: bool| {
            BooleanQuery::new(vec![
                (Occur::Must, word(body, "hợp").box_clone()),
                (Occur::Should, evidence(sparse)),
            ])
        };
        let a = ranked(&searcher, &within(false));
        assert_eq!(a.len(), 3);
        assert_same(&a, &ranked(&searcher, &within(true)));
    }
}
