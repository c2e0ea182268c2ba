//! Which documents of the result set the evidence scores.
//!
//! The evidence ([`crate::Ranker::evidence`]) is a deep query (concepts, their ways of being
//! said, phrases, coordination) and costs about a microsecond per document it scores. Scoring every
//! document of the set made a query's cost grow with the set: `việt nam` is in three documents
//! of four, 290,000 of them at ten times the corpus. A page needs only the best few hundred.
//!
//! 1. **The set** ([`SetDocs`]): one unscored pass counts it, takes its facet counts, and keeps
//!    its documents as a list when there are at most [`WHOLE_LIST`].
//! 2. **A set is scored whole**, exactly as before ([`DocList`] walks the kept list), unless it
//!    is larger than [`crate::Weights::first_phase`] and pruning it pays ([`worth_pruning`]).
//! 3. **Else it goes through a pruned first phase** ([`best_of_set`]): the evidence's terms as
//!    one flat disjunction ([`crate::Ranker::first_phase`]), run with tantivy's block-max WAND
//!    (`Weight::for_each_pruning`: blocks of postings whose best possible score cannot enter the
//!    top are skipped), keeping the best `first_phase` documents that are in the set. The
//!    evidence then scores those, and the rerank window takes the best of them.
//!
//! A pruned set's ranking is thus the evidence's over the documents its terms rank best: what the
//! terms cannot say (a phrase, matching every concept) moves a document only among those. The set,
//! its count and its facets are exact whatever its size.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::query::{
    Bm25Weight, ConstScoreQuery, EmptyScorer, EnableScoring, Explanation, Query, Scorer, TermQuery,
    Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{
    DocAddress, DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TantivyError, Term, TERMINATED,
};

use crate::deadline::CHECK_EVERY;
use crate::rank::FirstPhase;
use crate::{Deadline, SearchError};

/// A set of at most this many documents is kept as a list by the counting pass, so that scoring
/// it whole walks the list instead of the set's query (8 bytes a document: 1 MB at most).
pub(crate) const WHOLE_LIST: usize = 1 << 17;

/// How much cheaper the first phase's look at a document is than the evidence's scoring of one,
/// as measured over the bench's query mix at ten times the corpus (each set's two ways timed
/// side by side; BENCHMARKS.md): the first phase pays when the set's documents outnumber this
/// many times those the first phase looks at.
pub(crate) const PRUNE_FACTOR: u64 = 3;

/// Whether a set of `count` documents goes through the pruned first phase of depth `depth` (0:
/// never). To find the best `depth` of the set, the pruned search looks at about `depth / share`
/// documents of its terms' postings, `share` being the set's share of them (the longest
/// posting list standing for them); scoring the set whole scores `count`. So the first phase is
/// worth it when `count > PRUNE_FACTOR × depth × longest / count`: a set most of whose
/// documents its terms find (`việt nam`, a single word), not a narrow set of common syllables
/// (`thông tấn xã việt nam ký thỏa thuận`, where the pruned search would wade through every
/// document saying `việt` to find the few that say it all).
pub(crate) fn worth_pruning(
    searcher: &tantivy::Searcher,
    flat: &dyn Query,
    count: usize,
    depth: usize,
) -> Result<bool, SearchError> {
    if depth == 0 || count <= depth {
        return Ok(false);
    }
    let mut terms = Vec::new();
    flat.query_terms(&mut |t, _| terms.push(t.clone()));
    if terms.is_empty() {
        // Nothing for the first phase to find (a function word alone: `bị`): the set whole.
        return Ok(false);
    }
    let mut longest = 0u64;
    for t in &terms {
        longest = longest.max(searcher.doc_freq(t)?);
    }
    let count = count as u64;
    Ok(count * count > PRUNE_FACTOR * depth as u64 * longest)
}

/// The set's count, and its documents when there are few enough to score whole.
#[derive(Debug)]
pub(crate) struct Found {
    /// Documents in the set (deleted ones aside).
    pub(crate) count: usize,
    /// Every document of the set when `count` is at most the cap.
    pub(crate) docs: Option<DocList>,
}

/// Counts the set and keeps its documents up to a cap.
pub(crate) struct SetDocs {
    cap: usize,
}

impl SetDocs {
    /// Keeps the documents when there are at most `cap`.
    pub(crate) fn up_to(cap: usize) -> Self {
        SetDocs { cap }
    }
}

/// [`SetDocs`] on one segment.
pub(crate) struct SegmentSetDocs {
    segment: SegmentId,
    cap: usize,
    count: usize,
    docs: Vec<DocId>,
}

impl Collector for SetDocs {
    type Fruit = Found;
    type Child = SegmentSetDocs;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(SegmentSetDocs {
            segment: reader.segment_id(),
            cap: self.cap,
            count: 0,
            docs: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<(usize, SegmentId, Vec<DocId>)>) -> tantivy::Result<Found> {
        let count = fruits.iter().map(|f| f.0).sum();
        let docs = (count <= self.cap).then(|| {
            DocList::from_segments(fruits.into_iter().map(|(_, segment, docs)| (segment, docs)))
        });
        Ok(Found { count, docs })
    }
}

impl SegmentCollector for SegmentSetDocs {
    /// The segment's count, and its documents (emptied past the cap).
    type Fruit = (usize, SegmentId, Vec<DocId>);

    fn collect(&mut self, doc: DocId, _: Score) {
        self.count += 1;
        if self.count <= self.cap {
            self.docs.push(doc);
        } else if !self.docs.is_empty() {
            // More than the whole set may hold: the list will not be used.
            self.docs = Vec::new();
        }
    }

    fn harvest(self) -> Self::Fruit {
        (self.count, self.segment, self.docs)
    }
}

/// Matches the listed documents, scoring zero: the `Must` clause that has the evidence score
/// just those. Cloned and handed to each segment's scorer without copying the lists.
#[derive(Clone, Debug)]
pub(crate) struct DocList {
    by_segment: Arc<HashMap<SegmentId, Arc<[DocId]>>>,
    len: usize,
}

impl DocList {
    /// The documents at `docs` (addresses of `searcher`'s segments), in any order.
    pub(crate) fn new(searcher: &tantivy::Searcher, docs: &[DocAddress]) -> Self {
        let mut by_segment: HashMap<SegmentId, Vec<DocId>> = HashMap::new();
        for d in docs {
            let id = searcher.segment_reader(d.segment_ord).segment_id();
            by_segment.entry(id).or_default().push(d.doc_id);
        }
        Self::from_segments(by_segment)
    }

    /// Each segment's documents, in any order.
    fn from_segments(segments: impl IntoIterator<Item = (SegmentId, Vec<DocId>)>) -> Self {
        let mut len = 0;
        let by_segment = segments
            .into_iter()
            .filter(|(_, docs)| !docs.is_empty())
            .map(|(segment, mut docs)| {
                docs.sort_unstable();
                docs.dedup();
                len += docs.len();
                (segment, Arc::from(docs))
            })
            .collect();
        DocList {
            by_segment: Arc::new(by_segment),
            len,
        }
    }

    /// How many documents are listed.
    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

impl Query for DocList {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for DocList {
    fn scorer(&self, reader: &SegmentReader, _: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.by_segment.get(&reader.segment_id()) {
            Some(docs) => Box::new(Listed {
                docs: Arc::clone(docs),
                at: 0,
            }),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        match self.by_segment.get(&reader.segment_id()) {
            Some(docs) if docs.binary_search(&doc).is_ok() => {
                Ok(Explanation::new("listed, scored zero", 0.0))
            }
            _ => Err(TantivyError::InvalidArgument(format!(
                "document #{doc} is not listed"
            ))),
        }
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        let listed = self.by_segment.get(&reader.segment_id());
        Ok(match (listed, reader.alive_bitset()) {
            (None, _) => 0,
            (Some(docs), None) => docs.len() as u32,
            (Some(docs), Some(alive)) => docs.iter().filter(|&&d| alive.is_alive(d)).count() as u32,
        })
    }
}

/// The listed documents of one segment, in order, scoring zero.
struct Listed {
    docs: Arc<[DocId]>,
    at: usize,
}

impl DocSet for Listed {
    fn advance(&mut self) -> DocId {
        self.at = (self.at + 1).min(self.docs.len());
        self.doc()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let rest = &self.docs[self.at..];
        self.at += rest.partition_point(|&d| d < target);
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.docs.get(self.at).copied().unwrap_or(TERMINATED)
    }

    fn size_hint(&self) -> u32 {
        (self.docs.len() - self.at) as u32
    }
}

impl Scorer for Listed {
    fn score(&mut self) -> Score {
        0.0
    }
}

/// A document the first phase found, ordered by score, then earlier documents first (as tantivy's
/// `TopDocs` breaks ties).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Scored {
    score: Score,
    doc: DocAddress,
}

impl Eq for Scored {}

impl Ord for Scored {
    fn cmp(&self, other: &Self) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then_with(|| other.doc.cmp(&self.doc))
    }
}

impl PartialOrd for Scored {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The best `depth` documents offered so far, the least on top.
struct Best {
    heap: BinaryHeap<Reverse<Scored>>,
    depth: usize,
}

impl Best {
    fn new(depth: usize) -> Best {
        Best {
            heap: BinaryHeap::with_capacity(depth + 1),
            depth,
        }
    }

    /// Keeps `doc` if it is among the best `depth` so far (a tie goes to the one kept first).
    fn offer(&mut self, doc: Scored) {
        self.heap.push(Reverse(doc));
        if self.heap.len() > self.depth {
            self.heap.pop();
        }
    }

    /// The least score kept, once `depth` documents are: what another must beat to be kept.
    fn least(&self) -> Option<Score> {
        if self.heap.len() < self.depth {
            return None;
        }
        self.heap.peek().map(|l| l.0.score)
    }

    /// The documents kept, best first.
    fn into_sorted(self) -> Vec<Scored> {
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|Reverse(s)| s)
            .collect()
    }
}

/// A kept list of more than this many times the first phase's depth goes through a first phase
/// of its own ([`best_of_list`]) when pruning does not pay: the terms score a document for less
/// than the evidence does, and the evidence then scores `depth` of them; measured over the bench
/// mix at ten times the corpus (BENCHMARKS.md), it pays from about eight times the depth. (With
/// the terms' scoring bounded, twice the depth was measured again: one set of 6,500 documents
/// 13 % cheaper, the other slow queries as before or up to 3 % dearer.)
pub(crate) const LIST_PHASE_FACTOR: usize = 8;

/// The best `depth` of the listed documents of a set by the first phase's terms and raised facets
/// (every listed document is a candidate, those none of the terms finds scoring zero), in index
/// order: for a set pruning does not pay for (its documents a small share of what its common
/// terms find), but too large to have the evidence score whole.
///
/// Each listed document is scored by seeking the terms to it ([`Ways`]), those that can add the
/// most first; once `depth` documents are kept, a document stops being scored as soon as what
/// its remaining terms could add at most ([`Ways::most`]) would not lift it above the least of
/// them (MaxScore, Turtle and Flood 1995). The common terms (`việt`, `nam`, `tại`: in most
/// documents, each seek decoding a block) add little and are sought last, so most documents are
/// never sought in them. The documents kept are those a full scoring keeps, ties going to the
/// earlier document as tantivy's `TopDocs` breaks them.
pub(crate) fn best_of_list(
    searcher: &tantivy::Searcher,
    phase: &FirstPhase,
    docs: &DocList,
    depth: usize,
    deadline: &Deadline,
) -> Result<Vec<DocAddress>, SearchError> {
    let ways = Ways::of(searcher, phase)?;
    let mut best = Best::new(depth.max(1));
    let mut calls = 0u32;
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let Some(listed) = docs.by_segment.get(&reader.segment_id()) else {
            continue;
        };
        let mut scorers = ways.scorers(reader)?;
        let alive = reader.alive_bitset();
        for &doc in listed.iter() {
            calls = calls.wrapping_add(1);
            if calls.is_multiple_of(CHECK_EVERY) {
                deadline.check()?;
            }
            if alive.is_some_and(|a| a.is_deleted(doc)) {
                continue;
            }
            if let Some(score) = ways.score(&mut scorers, doc, best.least()) {
                best.offer(Scored {
                    score,
                    doc: DocAddress::new(ord as SegmentOrdinal, doc),
                });
            }
        }
    }
    let mut best: Vec<DocAddress> = best.into_sorted().into_iter().map(|s| s.doc).collect();
    best.sort_unstable();
    Ok(best)
}

/// How much a sum of scores may differ from the same scores summed in another order, relative to
/// it: far above `f32` rounding over a few dozen terms, far below what tells documents apart.
const ROUNDING: Score = 1e-4;

/// The first phase's ways of scoring a listed document — its terms (BM25, boosted) and raised
/// facet terms (a constant) — with the most each can add to a document's score.
struct Ways {
    /// In the first phase's order: the terms, then the raised facets.
    weights: Vec<Box<dyn Weight>>,
    /// The order they are sought in: the most they can add, largest first.
    order: Vec<usize>,
    /// `most[k]`: what the ways from `order[k]` on can add at most, together.
    most: Vec<Score>,
}

impl Ways {
    fn of(searcher: &tantivy::Searcher, phase: &FirstPhase) -> Result<Ways, SearchError> {
        let scoring = EnableScoring::enabled_from_searcher(searcher);
        let mut weights: Vec<Box<dyn Weight>> = Vec::new();
        let mut bounds: Vec<Score> = Vec::new();
        for (term, weight) in &phase.weighted {
            weights.push(FirstPhase::weighted_term(term, *weight).weight(scoring)?);
            // BM25 with the statistics the term's scorer uses, boosted, at its largest: a term
            // frequency no length can match, in the shortest field. (tantivy's `max_score`
            // takes the longest field's length, which a text saying almost nothing but the term,
            // its length rounded down into a bucket, exceeds.)
            let bm25 = Bm25Weight::for_terms(searcher, std::slice::from_ref(term))?;
            bounds.push(bm25.boost_by(*weight).score(0, u32::MAX).max(0.0));
        }
        for (term, by) in &phase.raised {
            let having = TermQuery::new(term.clone(), IndexRecordOption::Basic);
            weights.push(ConstScoreQuery::new(Box::new(having), *by).weight(scoring)?);
            bounds.push(by.max(0.0));
        }
        let mut order: Vec<usize> = (0..weights.len()).collect();
        order.sort_by(|&a, &b| bounds[b].total_cmp(&bounds[a]));
        let mut most = vec![0.0; order.len() + 1];
        for k in (0..order.len()).rev() {
            most[k] = most[k + 1] + bounds[order[k]];
        }
        Ok(Ways {
            weights,
            order,
            most,
        })
    }

    /// One scorer per way on a segment, in the ways' order.
    fn scorers(&self, reader: &SegmentReader) -> tantivy::Result<Vec<Box<dyn Scorer>>> {
        self.weights.iter().map(|w| w.scorer(reader, 1.0)).collect()
    }

    /// `doc`'s score, summed in the ways' order as their union sums it; `None` when it cannot
    /// exceed `least` (the least of the best so far, once there are enough).
    fn score(
        &self,
        scorers: &mut [Box<dyn Scorer>],
        doc: DocId,
        least: Option<Score>,
    ) -> Option<Score> {
        let mut so_far: Score = 0.0;
        for (k, &i) in self.order.iter().enumerate() {
            if let Some(least) = least {
                // What rounding may move, taken from the sizes summed (a weight may be negative).
                let slack = ROUNDING * (so_far.abs() + self.most[k] + least.abs());
                if so_far + self.most[k] + slack < least {
                    return None;
                }
            }
            let s = &mut scorers[i];
            if s.doc() < doc {
                s.seek(doc);
            }
            if s.doc() == doc {
                so_far += s.score();
            }
        }
        // Summed again in the ways' order: the score a full scoring gives, to the last bit (a
        // way's score is recomputed for the few documents scored whole, cheaper than keeping
        // each one's for every document looked at).
        Some(
            scorers
                .iter_mut()
                .filter(|s| s.doc() == doc)
                .fold(0.0, |sum, s| sum + s.score()),
        )
    }
}

/// The documents of `set` the evidence scores when the set is pruned: the best `depth` by the
/// first phase's terms and raised facets.
pub(crate) fn best_of_set(
    searcher: &tantivy::Searcher,
    phase: &FirstPhase,
    set: &dyn Query,
    depth: usize,
    deadline: &Deadline,
) -> Result<Vec<DocAddress>, SearchError> {
    let best = best_in(
        searcher,
        &phase.terms(),
        &phase.raised,
        set,
        depth,
        deadline,
    )?;
    Ok(best.into_iter().map(|(_, d)| d).collect())
}

/// The best `depth` documents of `set` by `flat` (a disjunction of term queries, which tantivy
/// prunes with block-max WAND) plus the constant of each `raised` term they have, best first,
/// with those scores. A document of the set none of the terms finds is never among them (the
/// evidence would score it zero). `set` and the raised terms are only asked about the documents
/// that could still enter the best `depth`: they are sought, never walked.
fn best_in(
    searcher: &tantivy::Searcher,
    flat: &dyn Query,
    raised: &[(Term, Score)],
    set: &dyn Query,
    depth: usize,
    deadline: &Deadline,
) -> Result<Vec<(Score, DocAddress)>, SearchError> {
    let unscored = EnableScoring::disabled_from_searcher(searcher);
    let flat = flat.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let set = set.weight(unscored)?;
    let raised = raised
        .iter()
        .map(|(term, by)| {
            let query = TermQuery::new(term.clone(), IndexRecordOption::Basic);
            Ok((query.weight(unscored)?, *by))
        })
        .collect::<tantivy::Result<Vec<_>>>()?;
    // A document's terms must score above the least of the best less what the raised terms
    // could add to it.
    let most: Score = raised.iter().map(|(_, by)| by).sum();
    let mut best = Best::new(depth);
    let mut least = Score::MIN;
    let mut stopped = false;
    // Documents offered, over every segment: the deadline is looked at every `CHECK_EVERY`.
    let mut calls = 0u32;
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let mut in_set = set.scorer(reader, 1.0)?;
        let mut having = raised
            .iter()
            .map(|(w, by)| Ok((w.scorer(reader, 1.0)?, *by)))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let alive = reader.alive_bitset();
        flat.for_each_pruning(least - most, reader, &mut |doc, score| {
            calls = calls.wrapping_add(1);
            if calls.is_multiple_of(CHECK_EVERY) && deadline.passed() {
                // Nothing scores above this: the search skips what is left of the segment.
                stopped = true;
                return Score::MAX;
            }
            if alive.is_some_and(|a| a.is_deleted(doc)) {
                return least - most;
            }
            if in_set.doc() < doc {
                in_set.seek(doc);
            }
            if in_set.doc() == doc {
                let mut total = score;
                for (docs, by) in having.iter_mut() {
                    if docs.doc() < doc {
                        docs.seek(doc);
                    }
                    if docs.doc() == doc {
                        total += *by;
                    }
                }
                best.offer(Scored {
                    score: total,
                    doc: DocAddress::new(ord as SegmentOrdinal, doc),
                });
                least = best.least().unwrap_or(least);
            }
            least - most
        })?;
        if stopped {
            deadline.check()?;
        }
    }
    Ok(best
        .into_sorted()
        .into_iter()
        .map(|s| (s.score, s.doc))
        .collect())
}

#[cfg(test)]
mod tests {
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, BoostQuery, Occur};
    use tantivy::schema::{Field, Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    use super::*;

    /// Words of the generated texts, the first ones the most frequent.
    const WORDS: [&str; 8] = ["viet", "nam", "hop", "tac", "han", "quoc", "dau", "tu"];

    /// A corpus of `n` generated texts in three segments, every seventh document deleted.
    fn corpus(n: u32) -> (Index, Field) {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut w: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut seed = 7u64;
        let mut next = |m: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        for i in 0..n {
            let len = 3 + next(30);
            let text: Vec<&str> = (0..len)
                .map(|_| WORDS[(next(WORDS.len() as u64) * next(WORDS.len() as u64)) as usize % 8])
                .collect();
            w.add_document(doc!(body => format!("d{i} {}", text.join(" "))))
                .unwrap();
            if i % (n / 3) == n / 3 - 1 {
                w.commit().unwrap();
            }
        }
        w.commit().unwrap();
        for i in (0..n).step_by(7) {
            w.delete_term(Term::from_field_text(body, &format!("d{i}")));
        }
        w.commit().unwrap();
        (index, body)
    }

    fn term(body: Field, word: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(body, word),
            IndexRecordOption::WithFreqs,
        ))
    }

    fn flat(body: Field, words: &[(&str, f32)]) -> BooleanQuery {
        BooleanQuery::new(
            words
                .iter()
                .map(|&(w, boost)| {
                    let q: Box<dyn Query> = Box::new(BoostQuery::new(term(body, w), boost));
                    (Occur::Should, q)
                })
                .collect(),
        )
    }

    /// The listed documents' addresses, in index order.
    fn addresses(searcher: &tantivy::Searcher, list: &DocList) -> Vec<DocAddress> {
        let mut out = Vec::new();
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            if let Some(docs) = list.by_segment.get(&reader.segment_id()) {
                out.extend(
                    docs.iter()
                        .map(|&d| DocAddress::new(ord as SegmentOrdinal, d)),
                );
            }
        }
        out
    }

    /// The documents saying `word`, unscored: the set of the tests.
    fn set(body: Field, word: &str) -> Box<dyn Query> {
        Box::new(crate::unscored::Unscored(term(body, word)))
    }

    #[test]
    fn the_counting_pass_keeps_the_set_only_when_small() {
        let (index, body) = corpus(300);
        let searcher = index.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() >= 3);
        let count = searcher.search(&*set(body, "han"), &Count).unwrap();
        let small = searcher
            .search(&*set(body, "han"), &SetDocs::up_to(count))
            .unwrap();
        assert_eq!(small.count, count);
        let docs = addresses(&searcher, &small.docs.expect("the set fits"));
        assert_eq!(docs.len(), count);
        // Every kept document is in the set, alive, once.
        let mut seen = std::collections::HashSet::new();
        for d in &docs {
            let reader = searcher.segment_reader(d.segment_ord);
            assert!(reader.alive_bitset().is_none_or(|a| a.is_alive(d.doc_id)));
            assert!(seen.insert(*d));
        }
        let large = searcher
            .search(&*set(body, "han"), &SetDocs::up_to(count - 1))
            .unwrap();
        assert_eq!(large.count, count);
        assert!(large.docs.is_none());
    }

    #[test]
    fn a_doc_list_matches_its_documents_and_lets_the_evidence_score_them_as_the_set_does() {
        let (index, body) = corpus(300);
        let searcher = index.reader().unwrap().searcher();
        let found = searcher
            .search(&*set(body, "quoc"), &SetDocs::up_to(usize::MAX))
            .unwrap();
        let list = found.docs.unwrap();
        assert_eq!(list.len(), found.count);
        assert_eq!(searcher.search(&list, &Count).unwrap(), found.count);
        // Built again from the documents' addresses, in any order: the same list.
        let mut shuffled = addresses(&searcher, &list);
        shuffled.reverse();
        let again = DocList::new(&searcher, &shuffled);
        assert_eq!(addresses(&searcher, &again), addresses(&searcher, &list));
        let evidence = || flat(body, &[("han", 1.0), ("dau", 2.0), ("tu", 0.5)]);
        let scored = |must: Box<dyn Query>| {
            let q = BooleanQuery::new(vec![
                (Occur::Must, must),
                (Occur::Should, Box::new(evidence())),
            ]);
            searcher
                .search(&q, &TopDocs::with_limit(1000).order_by_score())
                .unwrap()
        };
        assert_eq!(scored(Box::new(list)), scored(set(body, "quoc")));
    }

    #[test]
    fn the_first_phase_finds_the_best_of_the_set_by_its_terms_and_raised_facets() {
        let (index, body) = corpus(900);
        let searcher = index.reader().unwrap().searcher();
        let weights = [("viet", 0.3), ("han", 1.5), ("quoc", 1.0), ("tu", 2.0)];
        let query = flat(body, &weights);
        let cases = [
            ("han", 1, None),
            ("han", 10, None),
            ("quoc", 37, None),
            ("tu", 200, None),
            ("dau", 5000, None),
            // Documents saying `nam` raised by a constant larger than most terms' scores.
            ("han", 10, Some(("nam", 3.0))),
            ("tu", 50, Some(("nam", 1.5))),
        ];
        for (word, depth, raise) in cases {
            let raised: Vec<(Term, Score)> = raise
                .iter()
                .map(|&(w, by)| (Term::from_field_text(body, w), by))
                .collect();
            let best = best_in(
                &searcher,
                &query,
                &raised,
                &*set(body, word),
                depth,
                &Deadline::none(),
            )
            .unwrap();
            // What scoring the whole set with the same terms and constants ranks best.
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
                (Occur::Must, set(body, word)),
                (Occur::Should, Box::new(query.clone())),
            ];
            for (t, by) in &raised {
                let having = TermQuery::new(t.clone(), IndexRecordOption::Basic);
                clauses.push((
                    Occur::Should,
                    Box::new(ConstScoreQuery::new(Box::new(having), *by)),
                ));
            }
            let whole = BooleanQuery::new(clauses);
            // (A document of the set that none of the terms finds is never found.)
            let all: HashMap<DocAddress, Score> = searcher
                .search(&whole, &TopDocs::with_limit(10_000).order_by_score())
                .unwrap()
                .into_iter()
                .map(|(score, d)| (d, score))
                .collect();
            let found_by_terms = searcher
                .search(
                    &BooleanQuery::new(vec![
                        (Occur::Must, set(body, word)),
                        (Occur::Must, Box::new(query.clone())),
                    ]),
                    &Count,
                )
                .unwrap();
            let mut expected: Vec<(Score, DocAddress)> =
                all.iter().map(|(d, s)| (*s, *d)).collect();
            expected.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            expected.truncate(depth.min(found_by_terms));
            assert_eq!(best.len(), expected.len(), "{word} {depth}");
            for (i, ((score, doc), (top, _))) in best.iter().zip(&expected).enumerate() {
                // A document of the set, scored as it is (summed in another order: equal
                // within rounding)...
                let true_score = all.get(doc).expect("a document of the set");
                assert!((score - true_score).abs() < 1e-4, "{word} {depth} #{i}");
                // ...and as good as the whole set's i-th best: the best of the set, best first.
                assert!(
                    (score - top).abs() < 1e-4,
                    "{word} {depth} #{i}: {score} {top}"
                );
            }
        }
    }

    #[test]
    fn a_listed_set_s_first_phase_is_the_best_of_the_list_by_its_terms_and_raised_facets() {
        let (index, body) = corpus(900);
        let searcher = index.reader().unwrap().searcher();
        let listed = searcher
            .search(&*set(body, "quoc"), &SetDocs::up_to(usize::MAX))
            .unwrap()
            .docs
            .unwrap();
        let phase = FirstPhase {
            weighted: vec![
                (Term::from_field_text(body, "han"), 1.5),
                (Term::from_field_text(body, "tu"), 2.0),
            ],
            raised: vec![(Term::from_field_text(body, "nam"), 3.0)],
        };
        // A document's score by the terms and the raised facet, alone in a list.
        let scored = |d: &DocAddress| {
            let q = BooleanQuery::new(vec![
                (
                    Occur::Must,
                    Box::new(DocList::new(&searcher, &[*d])) as Box<dyn Query>,
                ),
                (Occur::Should, Box::new(phase.terms())),
                (
                    Occur::Should,
                    Box::new(ConstScoreQuery::new(
                        Box::new(TermQuery::new(
                            Term::from_field_text(body, "nam"),
                            IndexRecordOption::Basic,
                        )),
                        3.0,
                    )),
                ),
            ]);
            searcher
                .search(&q, &TopDocs::with_limit(1).order_by_score())
                .unwrap()[0]
                .0
        };
        let addressed = addresses(&searcher, &listed);
        let mut all: Vec<(Score, DocAddress)> = addressed.iter().map(|d| (scored(d), *d)).collect();
        all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for depth in [1, 20, 100, listed.len() + 5] {
            let best = best_of_list(&searcher, &phase, &listed, depth, &Deadline::none()).unwrap();
            assert_eq!(best.len(), depth.min(listed.len()));
            // Exactly the depth best of the list, a tie going to the earlier document (as
            // tantivy's `TopDocs` breaks it), in index order: what skipping the documents that
            // cannot reach the best leaves out is never one of them.
            let mut expected: Vec<DocAddress> = all.iter().take(depth).map(|s| s.1).collect();
            expected.sort_unstable();
            assert_eq!(best, expected, "{depth}");
        }
    }

    #[test]
    fn a_listed_document_is_scored_only_while_its_remaining_terms_could_lift_it_above_the_least() {
        let (index, body) = corpus(900);
        let searcher = index.reader().unwrap().searcher();
        // `quoc` is rarer than `viet`: its most comes first.
        let phase = FirstPhase {
            weighted: vec![
                (Term::from_field_text(body, "viet"), 1.0),
                (Term::from_field_text(body, "quoc"), 4.0),
            ],
            raised: Vec::new(),
        };
        let ways = Ways::of(&searcher, &phase).unwrap();
        assert_eq!(ways.order, vec![1, 0]);
        assert!(ways.most[0] > ways.most[1] && ways.most[1] > 0.0 && ways.most[2] == 0.0);
        let reader = &searcher.segment_readers()[0];
        let says = |word: &str| -> Vec<DocId> {
            let q = TermQuery::new(Term::from_field_text(body, word), IndexRecordOption::Basic);
            let mut s = q
                .weight(EnableScoring::disabled_from_searcher(&searcher))
                .unwrap()
                .scorer(reader, 1.0)
                .unwrap();
            let mut docs = Vec::new();
            while s.doc() != TERMINATED {
                docs.push(s.doc());
                s.advance();
            }
            docs
        };
        let (viet, quoc) = (says("viet"), says("quoc"));
        let only_viet = *viet.iter().find(|d| !quoc.contains(d)).unwrap();
        let both = *viet.iter().find(|d| quoc.contains(d)).unwrap();
        let score = |doc: DocId, least: Option<Score>| {
            ways.score(&mut ways.scorers(reader).unwrap(), doc, least)
        };
        // Without a least, or below what `viet` alone gives: scored, as in full.
        let alone = score(only_viet, None).unwrap();
        assert!(alone > 0.0);
        assert_eq!(score(only_viet, Some(alone / 2.0)), Some(alone));
        // Above what `viet` could give at most: never sought in `viet`.
        assert_eq!(score(only_viet, Some(ways.most[1] * 1.01)), None);
        // A document saying both is scored whole unless even both could not lift it.
        let full = score(both, None).unwrap();
        assert_eq!(score(both, Some(full * 0.99)), Some(full));
        assert_eq!(score(both, Some(ways.most[0] * 1.01)), None);
        // Saying neither scores zero, a candidate while the best are not yet chosen.
        let neither = (0..reader.max_doc())
            .find(|d| !viet.contains(d) && !quoc.contains(d))
            .unwrap();
        assert_eq!(score(neither, None), Some(0.0));
    }

    #[test]
    fn a_listed_document_s_bound_holds_for_a_text_of_one_word_and_for_negative_weights() {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut w: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        // Ninety-four times one word: a length tantivy rounds down, which a bound taken at the
        // longest length would fall short of.
        w.add_document(doc!(body => format!("nam {}", vec!["han"; 94].join(" "))))
            .unwrap();
        for i in 0..50 {
            w.add_document(doc!(body => format!("d{i} viet nam han quoc")))
                .unwrap();
        }
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let reader = &searcher.segment_readers()[0];
        let term = |word: &str| Term::from_field_text(body, word);
        // `quoc` first (its bound is the largest), then `han`, which alone scores the document.
        let phase = FirstPhase {
            weighted: vec![(term("quoc"), 10.0), (term("han"), 1.0)],
            raised: Vec::new(),
        };
        let ways = Ways::of(&searcher, &phase).unwrap();
        let score = |ways: &Ways, least: Option<Score>| {
            ways.score(&mut ways.scorers(reader).unwrap(), 0, least)
        };
        let full = score(&ways, None).unwrap();
        assert!(full > 0.0);
        assert_eq!(score(&ways, Some(full * 0.999)), Some(full));
        // Facets that lower a score: the document is kept above a least just below its score.
        let phase = FirstPhase {
            weighted: Vec::new(),
            raised: vec![(term("nam"), -1.0), (term("d0"), -0.5)],
        };
        let ways = Ways::of(&searcher, &phase).unwrap();
        assert_eq!(score(&ways, None), Some(-1.0));
        assert_eq!(score(&ways, Some(-1.00005)), Some(-1.0));
    }

    #[test]
    fn the_first_phase_stops_at_the_deadline() {
        let (index, body) = corpus(3000);
        let searcher = index.reader().unwrap().searcher();
        let query = flat(body, &[("viet", 1.0), ("nam", 1.0)]);
        let raised = Arc::new(std::sync::atomic::AtomicBool::new(true));
        let deadline = Deadline::none().or_when(raised);
        let best = best_in(&searcher, &query, &[], &*set(body, "viet"), 3000, &deadline);
        assert!(matches!(best, Err(SearchError::Cancelled)));
        // Not raised: the same search answers.
        let best = best_in(
            &searcher,
            &query,
            &[],
            &*set(body, "viet"),
            3000,
            &Deadline::none(),
        );
        assert!(best.unwrap().len() > 1000);
        // The first phase of a kept list too.
        let listed = searcher
            .search(&*set(body, "viet"), &SetDocs::up_to(usize::MAX))
            .unwrap()
            .docs
            .unwrap();
        assert!(listed.len() > CHECK_EVERY as usize);
        let phase = FirstPhase {
            weighted: vec![
                (Term::from_field_text(body, "viet"), 1.0),
                (Term::from_field_text(body, "nam"), 1.0),
            ],
            raised: Vec::new(),
        };
        let best = best_of_list(&searcher, &phase, &listed, 3000, &deadline);
        assert!(matches!(best, Err(SearchError::Cancelled)));
        let best = best_of_list(&searcher, &phase, &listed, 3000, &Deadline::none());
        assert_eq!(best.unwrap().len(), listed.len());
    }

    #[test]
    fn a_set_its_terms_mostly_find_is_pruned_a_narrow_one_is_not() {
        let (index, body) = corpus(900);
        let searcher = index.reader().unwrap().searcher();
        let query = flat(body, &[("viet", 1.0), ("han", 1.0)]);
        let longest = searcher
            .doc_freq(&Term::from_field_text(body, "viet"))
            .unwrap() as usize;
        // Most of what `viet` finds: worth pruning at a depth it holds many times over.
        assert!(worth_pruning(&searcher, &query, longest * 9 / 10, 10).unwrap());
        // A twentieth of it: the first phase would look at as many documents as scoring it whole.
        assert!(!worth_pruning(&searcher, &query, longest / 20, 10).unwrap());
        // No larger than the depth, or a depth of 0: scored whole.
        assert!(!worth_pruning(&searcher, &query, 10, 10).unwrap());
        assert!(!worth_pruning(&searcher, &query, longest, 0).unwrap());
        // No terms at all (a function word alone): nothing for a first phase to find.
        let nothing = BooleanQuery::new(Vec::new());
        assert!(!worth_pruning(&searcher, &nothing, longest, 10).unwrap());
    }
}
