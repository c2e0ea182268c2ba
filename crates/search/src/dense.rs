//! A result set decided as bit sets where its terms are common.
//!
//! The set ([`crate::set`]) is an intersection of concepts, each a union of its ways of being said
//! (a syllable in the title or the body, a pair and its spellings, a phrase, a country's facet).
//! tantivy walks it document by document: the rarest concept leads, every other concept is sought
//! to each document it proposes, and each union moves its terms through a window of 4,096
//! documents to answer. For a rare leader that is the cheapest way. For a set of common syllables
//! (`phải làm`, `việt nam`: a third of the index at ×10) it costs a few hundred instructions per
//! document of the set — more than the rest of the counting pass together.
//!
//! There, the set is decided as PostgreSQL's bitmap scans decide a `BitmapAnd`: each term's
//! postings are read straight into a bit per document (a block of 128 decoded at a time), unions
//! are `OR`ed and intersections `AND`ed 64 documents at a time, and the set is walked as a bit set:
//! a few instructions per posting read. What is not a term (a phrase, a range of years) is walked
//! with its own scorer, and only asked about the documents the rarer clauses of its intersection
//! left (`probe`, as the walk asks it); it is walked whole only where nothing narrows it, as the
//! walk would.
//!
//! Which way a segment takes is decided from its terms' document frequencies (a dictionary
//! lookup each): [`Shape::cost`] estimates how many documents the walk would be led through
//! (`lead`) and how many postings the bit sets would read (`postings`). A segment is decided as
//! bit sets when the set combines several clauses, its lead is at least [`DENSE_MIN_LEAD`]
//! documents and its postings at most [`DENSE_POSTINGS_PER_LEAD`] times its lead. Either way the
//! set holds the same documents (tests below, and every answer of the bench mix compared).

use tantivy::postings::BlockSegmentPostings;
use tantivy::query::{
    AllQuery, BooleanQuery, EmptyQuery, EnableScoring, Occur, Query, TermQuery, Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, SegmentReader, Term, TERMINATED};

use crate::probe::{probe, Kind, Probe};
use crate::union::SparseUnion;
use crate::unscored::Unscored;

/// Fewest documents a walk must be led through for bit sets to pay: below it, allocating and
/// clearing a bit per document of the segment costs more than the walk saves. (At ×10, 8,192
/// and 16,384 cost the ten slowest eval queries 1 % and 6 % more instructions.)
pub(crate) const DENSE_MIN_LEAD: u64 = 4096;

/// Most postings read per document of the lead for bit sets to pay. A walk costs a seek in every
/// other concept per document of its lead (a few hundred instructions in unions of common terms);
/// a bit set costs a few instructions per posting (BENCHMARKS.md, "Queries, sixth round").
pub(crate) const DENSE_POSTINGS_PER_LEAD: u64 = 32;

/// A set query as set operations over terms, with what is not a term (a phrase, a range of
/// years) left to be walked.
pub(crate) enum Shape {
    /// The documents holding the term.
    Term(Term),
    /// Every document.
    All,
    /// No document.
    Nothing,
    /// The documents in every one.
    And(Vec<Shape>),
    /// The documents in at least `n` (1: a union).
    AtLeast(usize, Vec<Shape>),
    /// The documents of the first not in any of the others.
    AndNot(Box<Shape>, Vec<Shape>),
    /// The documents a query's own scorer finds, walked one by one.
    Walk(Box<dyn Weight>),
}

impl Shape {
    /// The shape of `query` as tantivy matches it: terms, all documents, nothing, booleans and
    /// sparse unions of them; anything else becomes a [`Shape::Walk`] of its weight built with
    /// `scoring` (which scores nothing: the set is unscored).
    pub(crate) fn of(query: &dyn Query, scoring: EnableScoring<'_>) -> tantivy::Result<Shape> {
        if let Some(term) = query.downcast_ref::<TermQuery>() {
            return Ok(Shape::Term(term.term().clone()));
        }
        if query.is::<AllQuery>() {
            return Ok(Shape::All);
        }
        if query.is::<EmptyQuery>() {
            return Ok(Shape::Nothing);
        }
        if let Some(unscored) = query.downcast_ref::<Unscored>() {
            return Shape::of(&*unscored.0, scoring);
        }
        if let Some(union) = query.downcast_ref::<SparseUnion>() {
            let (clauses, need) = union.parts();
            let shapes = clauses
                .iter()
                .map(|c| Shape::of(&**c, scoring))
                .collect::<tantivy::Result<Vec<_>>>()?;
            return Ok(Shape::AtLeast(need, shapes));
        }
        let Some(boolean) = query.downcast_ref::<BooleanQuery>() else {
            return Ok(Shape::Walk(query.weight(scoring)?));
        };
        let min_should = boolean.get_minimum_number_should_match();
        let (mut must, mut should, mut not) = (Vec::new(), Vec::new(), Vec::new());
        for (occur, clause) in boolean.clauses() {
            let shape = Shape::of(&**clause, scoring)?;
            match occur {
                Occur::Must => must.push(shape),
                Occur::Should => should.push(shape),
                Occur::MustNot => not.push(shape),
            }
        }
        // tantivy's `BooleanWeight`: optional `Should` clauses only score when there is a `Must`;
        // without one, any of them matches; a minimum of them is required beside the `Must`s.
        let positive = match min_should {
            0 if must.is_empty() => Shape::AtLeast(1, should),
            0 => Shape::And(must),
            n => {
                must.push(Shape::AtLeast(n, should));
                Shape::And(must)
            }
        };
        Ok(if not.is_empty() {
            positive
        } else {
            Shape::AndNot(Box::new(positive), not)
        })
    }

    /// Whether walking it combines several postings (a single term is walked as cheaply as its
    /// bit set would be read).
    fn combines(&self) -> bool {
        !matches!(
            self,
            Shape::Term(_) | Shape::All | Shape::Nothing | Shape::Walk(_)
        )
    }

    /// In `segment`: how many documents a walk would be led through (`lead`: the rarest of an
    /// intersection, the sum of a union) and how many postings its bit sets would read (none for
    /// a walked query: it is asked about the documents the others leave, as a walk asks it, or
    /// walked as a walk would).
    ///
    /// An intersection stops at a clause leading through fewer than `floor` documents (its lead
    /// can only be smaller): a set that will be walked pays few lookups. Its walked clauses, whose
    /// scorers must be built to say their size, come last.
    fn cost(&self, segment: &SegmentReader, floor: u64) -> tantivy::Result<Cost> {
        Ok(match self {
            Shape::Term(term) => {
                let df = u64::from(
                    segment
                        .inverted_index(term.field())?
                        .doc_freq(term)
                        .map_err(tantivy::TantivyError::from)?,
                );
                Cost {
                    lead: df,
                    postings: df,
                }
            }
            Shape::All => Cost {
                lead: u64::from(segment.max_doc()),
                postings: 0,
            },
            Shape::Nothing => Cost::default(),
            Shape::And(all) => {
                let mut cost = Cost {
                    lead: u64::MAX,
                    postings: 0,
                };
                let (walked, read): (Vec<&Shape>, Vec<&Shape>) =
                    all.iter().partition(|s| matches!(s, Shape::Walk(_)));
                for shape in read.into_iter().chain(walked) {
                    let c = shape.cost(segment, floor)?;
                    cost.lead = cost.lead.min(c.lead);
                    cost.postings = cost.postings.saturating_add(c.postings);
                    if cost.lead < floor {
                        break;
                    }
                }
                if cost.lead == u64::MAX {
                    cost.lead = 0;
                }
                cost
            }
            Shape::AtLeast(n, any) => {
                // A document in `n` of them is in one of the `len - n + 1` rarest.
                let mut costs = any
                    .iter()
                    .map(|shape| shape.cost(segment, 0))
                    .collect::<tantivy::Result<Vec<Cost>>>()?;
                costs.sort_by_key(|c| c.lead);
                let leaders = (costs.len() + 1).saturating_sub(*n);
                Cost {
                    lead: costs
                        .iter()
                        .take(leaders)
                        .fold(0u64, |sum, c| sum.saturating_add(c.lead)),
                    postings: costs
                        .iter()
                        .fold(0u64, |sum, c| sum.saturating_add(c.postings)),
                }
            }
            Shape::AndNot(positive, not) => {
                let mut cost = positive.cost(segment, floor)?;
                for shape in not {
                    cost.postings = cost
                        .postings
                        .saturating_add(shape.cost(segment, 0)?.postings);
                }
                cost
            }
            Shape::Walk(weight) => {
                let docs = u64::from(weight.scorer(segment, 1.0)?.size_hint());
                Cost {
                    lead: docs,
                    postings: 0,
                }
            }
        })
    }

    /// Whether `segment` is better decided as bit sets (see the module).
    pub(crate) fn dense_in(&self, segment: &SegmentReader) -> tantivy::Result<bool> {
        if !self.combines() {
            return Ok(false);
        }
        let cost = self.cost(segment, DENSE_MIN_LEAD)?;
        Ok(cost.lead >= DENSE_MIN_LEAD
            && cost.postings <= cost.lead.saturating_mul(DENSE_POSTINGS_PER_LEAD))
    }

    /// Its documents in `segment`, as a bit set (deleted documents included, as a term's postings
    /// include them; collectors leave them out).
    pub(crate) fn bits(&self, segment: &SegmentReader) -> tantivy::Result<Bits> {
        self.bits_within(segment, None)
    }

    /// Its documents among `within` (every document when `None`). Terms are read whole; a walked
    /// query is asked only about the documents of `within` (a phrase compares positions where the
    /// rarer concepts already agree, as the walk asks it), and walked whole only when nothing
    /// narrows it; an intersection takes its clauses rarest first, each within the ones before.
    fn bits_within(&self, segment: &SegmentReader, within: Option<&Bits>) -> tantivy::Result<Bits> {
        let max_doc = segment.max_doc();
        let narrowed = |mut bits: Bits| {
            if let Some(within) = within {
                bits.and(within);
            }
            bits
        };
        Ok(match self {
            Shape::Term(term) => {
                let mut bits = Bits::empty(max_doc);
                let postings = segment
                    .inverted_index(term.field())?
                    .read_block_postings(term, IndexRecordOption::Basic)
                    .map_err(tantivy::TantivyError::from)?;
                if let Some(postings) = postings {
                    bits.insert_postings(postings);
                }
                narrowed(bits)
            }
            Shape::All => within.cloned().unwrap_or_else(|| Bits::full(max_doc)),
            Shape::Nothing => Bits::empty(max_doc),
            Shape::And(all) => {
                let mut rarest_first = Vec::with_capacity(all.len());
                for shape in all {
                    rarest_first.push((shape.cost(segment, 0)?.lead, shape));
                }
                rarest_first.sort_by_key(|(lead, _)| *lead);
                let mut so_far: Option<Bits> = None;
                for (_, shape) in rarest_first {
                    let bits = shape.bits_within(segment, so_far.as_ref().or(within))?;
                    let empty = bits.is_empty();
                    so_far = Some(bits);
                    if empty {
                        break;
                    }
                }
                so_far.unwrap_or_else(|| Bits::empty(max_doc))
            }
            Shape::AtLeast(n, any) => {
                if *n > any.len() {
                    return Ok(Bits::empty(max_doc));
                }
                // `reached[j]`: the documents in at least `j + 1` of those seen so far.
                let mut reached: Vec<Bits> = Vec::with_capacity(*n);
                for shape in any {
                    let bits = shape.bits_within(segment, within)?;
                    for j in (0..*n).rev() {
                        if j == 0 {
                            match reached.first_mut() {
                                Some(first) => first.or(&bits),
                                None => reached.push(bits.clone()),
                            }
                        } else if j <= reached.len() {
                            let mut more = reached[j - 1].clone();
                            more.and(&bits);
                            match reached.get_mut(j) {
                                Some(r) => r.or(&more),
                                None => reached.push(more),
                            }
                        }
                    }
                }
                reached
                    .into_iter()
                    .nth(*n - 1)
                    .unwrap_or_else(|| Bits::empty(max_doc))
            }
            Shape::AndNot(positive, not) => {
                let mut bits = positive.bits_within(segment, within)?;
                for shape in not {
                    if bits.is_empty() {
                        break;
                    }
                    let excluded = shape.bits_within(segment, Some(&bits))?;
                    bits.and_not(&excluded);
                }
                bits
            }
            Shape::Walk(weight) => {
                let mut scorer = weight.scorer(segment, 1.0)?;
                let mut bits = Bits::empty(max_doc);
                match within {
                    Some(asked) => {
                        let kind = Kind::of(&*scorer);
                        let mut from = 0;
                        for doc in asked.docs() {
                            if doc < from {
                                continue;
                            }
                            match probe(&mut scorer, kind, doc) {
                                Probe::Found => bits.insert(doc),
                                Probe::Beyond(TERMINATED) => break,
                                Probe::Beyond(next) => from = next,
                            }
                        }
                    }
                    _ => {
                        let mut doc = scorer.doc();
                        while doc != TERMINATED {
                            bits.insert(doc);
                            doc = scorer.advance();
                        }
                        bits = narrowed(bits);
                    }
                }
                bits
            }
        })
    }
}

/// What deciding a set costs one way and the other (see [`Shape::cost`]).
#[derive(Clone, Copy, Debug, Default)]
struct Cost {
    lead: u64,
    postings: u64,
}

/// One bit per document of a segment.
#[derive(Clone, Debug)]
pub(crate) struct Bits {
    words: Vec<u64>,
    max_doc: DocId,
}

impl Bits {
    fn empty(max_doc: DocId) -> Bits {
        Bits {
            words: vec![0; (max_doc as usize).div_ceil(64)],
            max_doc,
        }
    }

    fn full(max_doc: DocId) -> Bits {
        let mut bits = Bits {
            words: vec![u64::MAX; (max_doc as usize).div_ceil(64)],
            max_doc,
        };
        let tail = max_doc % 64;
        if let (Some(last), true) = (bits.words.last_mut(), tail != 0) {
            *last = (1u64 << tail) - 1;
        }
        bits
    }

    /// Sets the bits of every document of `postings`, a block at a time.
    fn insert_postings(&mut self, mut postings: BlockSegmentPostings) {
        loop {
            let docs = postings.docs();
            if docs.is_empty() {
                return;
            }
            for &doc in docs {
                self.insert(doc);
            }
            postings.advance();
        }
    }

    fn insert(&mut self, doc: DocId) {
        if let Some(word) = self.words.get_mut(doc as usize / 64) {
            *word |= 1u64 << (doc % 64);
        }
    }

    fn and(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
    }

    fn or(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    fn and_not(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= !b;
        }
    }

    fn is_empty(&self) -> bool {
        self.words.iter().all(|&w| w == 0)
    }

    fn len(&self) -> u32 {
        self.words.iter().map(|w| w.count_ones()).sum()
    }

    /// Its documents, in order.
    fn docs(&self) -> impl Iterator<Item = DocId> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                if rest == 0 {
                    return None;
                }
                let bit = rest.trailing_zeros();
                rest &= rest - 1;
                Some(i as DocId * 64 + bit)
            })
        })
    }
}

/// The documents of a [`Bits`], in order.
pub(crate) struct BitsDocSet {
    bits: Bits,
    /// The word the cursor is in, and its bits not yet returned.
    word: usize,
    rest: u64,
    doc: DocId,
    len: u32,
}

impl From<Bits> for BitsDocSet {
    fn from(bits: Bits) -> BitsDocSet {
        let len = bits.len();
        let rest = bits.words.first().copied().unwrap_or(0);
        let mut docs = BitsDocSet {
            bits,
            word: 0,
            rest,
            doc: 0,
            len,
        };
        docs.advance();
        docs
    }
}

impl DocSet for BitsDocSet {
    fn advance(&mut self) -> DocId {
        while self.rest == 0 {
            self.word += 1;
            match self.bits.words.get(self.word) {
                Some(&w) => self.rest = w,
                None => {
                    self.word = self.bits.words.len();
                    self.doc = TERMINATED;
                    return TERMINATED;
                }
            }
        }
        let bit = self.rest.trailing_zeros();
        self.rest &= self.rest - 1;
        self.doc = (self.word as DocId) * 64 + bit;
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        if target >= self.bits.max_doc {
            self.word = self.bits.words.len();
            self.rest = 0;
            self.doc = TERMINATED;
            return TERMINATED;
        }
        let word = target as usize / 64;
        if word > self.word {
            self.word = word;
            self.rest = self.bits.words[word];
        }
        // Only the bits at or after the target's.
        self.rest &= u64::MAX << (target % 64);
        self.advance()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.len
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::DocSetCollector;
    use tantivy::query::PhraseQuery;
    use tantivy::schema::{Field, Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter, Searcher};

    /// Documents 0..n, each saying, in this order, `a` (every 2nd), `b` (every 3rd), `c` (every
    /// 5th), `d` (every 7th), and `all`; one more says `lone`. Deleting `c` from the 11th on
    /// leaves deleted documents in the segment.
    fn index(n: u32) -> (Index, Field) {
        let mut schema = Schema::builder();
        let w = schema.add_text_field("w", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer(15_000_000).unwrap();
        for i in 0..n {
            let mut words: Vec<&str> = [("a", 2), ("b", 3), ("c", 5), ("d", 7)]
                .into_iter()
                .filter(|(_, every)| i % every == 0)
                .map(|(word, _)| word)
                .collect();
            words.push("all");
            writer.add_document(doc!(w => words.join(" "))).unwrap();
        }
        writer.add_document(doc!(w => "lone")).unwrap();
        writer.commit().unwrap();
        (index, w)
    }

    fn term(w: Field, t: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(w, t),
            IndexRecordOption::Basic,
        ))
    }

    fn phrase(w: Field, words: &[&str]) -> Box<dyn Query> {
        Box::new(PhraseQuery::new(
            words.iter().map(|t| Term::from_field_text(w, t)).collect(),
        ))
    }

    fn boolean(clauses: Vec<(Occur, Box<dyn Query>)>) -> Box<dyn Query> {
        Box::new(BooleanQuery::new(clauses))
    }

    fn shape(searcher: &Searcher, query: &dyn Query) -> Shape {
        Shape::of(query, EnableScoring::disabled_from_searcher(searcher)).unwrap()
    }

    /// The queries of every shape the set builds, and edge cases of tantivy's boolean rules.
    fn queries(w: Field) -> Vec<Box<dyn Query>> {
        use Occur::{Must, MustNot, Should};
        let mut out = vec![
            // Two concepts, each a union (a syllable in the title or the body).
            boolean(vec![
                (
                    Must,
                    boolean(vec![(Should, term(w, "a")), (Should, term(w, "c"))]),
                ),
                (
                    Must,
                    boolean(vec![(Should, term(w, "b")), (Should, term(w, "z"))]),
                ),
            ]),
            // A pair and its spellings, with a filter and an exclusion.
            boolean(vec![
                (
                    Must,
                    boolean(vec![(Must, term(w, "a")), (Must, term(w, "b"))]),
                ),
                (Must, term(w, "all")),
                (MustNot, term(w, "c")),
            ]),
            // A concept said by a phrase or a term, a concept required beside it.
            boolean(vec![
                (
                    Must,
                    Box::new(SparseUnion::new(
                        vec![phrase(w, &["b", "c"]), term(w, "d")],
                        crate::union::Combine::Sum,
                    )),
                ),
                (Must, term(w, "a")),
            ]),
            // Two of three concepts, one a phrase; a phrase excluded.
            boolean(vec![
                (
                    Must,
                    Box::new(SparseUnion::at_least(
                        vec![term(w, "a"), phrase(w, &["b", "c"]), term(w, "d")],
                        2,
                    )),
                ),
                (MustNot, phrase(w, &["c", "d"])),
            ]),
            // Optional clauses beside a required one match nothing more.
            boolean(vec![(Must, term(w, "a")), (Should, term(w, "lone"))]),
            // Only optional clauses: any of them.
            boolean(vec![(Should, term(w, "d")), (Should, term(w, "lone"))]),
            // Only exclusions: nothing.
            boolean(vec![(MustNot, term(w, "a"))]),
            // Everything but.
            boolean(vec![
                (Must, Box::new(AllQuery) as Box<dyn Query>),
                (MustNot, term(w, "b")),
            ]),
            // A term no document has, required.
            boolean(vec![(Must, term(w, "a")), (Must, term(w, "z"))]),
            boolean(vec![(Must, term(w, "a")), (Must, Box::new(EmptyQuery))]),
            boolean(vec![]),
            // Set queries are unscored wrappers of booleans.
            Box::new(Unscored(boolean(vec![
                (Must, term(w, "a")),
                (Must, term(w, "d")),
            ]))),
        ];
        for (need, clauses) in [(1, 3), (2, 3), (3, 3), (4, 3), (2, 4)] {
            let mut q = BooleanQuery::new(
                [
                    ("a", Must),
                    ("b", Should),
                    ("c", Should),
                    ("d", Should),
                    ("lone", Should),
                ]
                .into_iter()
                .take(clauses + 1)
                .map(|(t, occur)| (occur, term(w, t)))
                .collect(),
            );
            q.set_minimum_number_should_match(need);
            out.push(Box::new(q));
        }
        let mut two_of_three = BooleanQuery::new(vec![
            (Should, term(w, "b")),
            (Should, term(w, "c")),
            (Should, term(w, "d")),
        ]);
        two_of_three.set_minimum_number_should_match(2);
        out.push(Box::new(two_of_three));
        out
    }

    /// Every query's bit set holds the documents tantivy matches, in every segment, deleted
    /// documents aside, and its walk (`advance`, `seek`) finds them in order.
    #[test]
    fn bit_sets_hold_what_tantivy_matches() {
        let (index, w) = index(10_000);
        let mut writer: IndexWriter = index.writer(15_000_000).unwrap();
        writer.delete_term(Term::from_field_text(w, "lone"));
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        for query in queries(w) {
            let shape = shape(&searcher, &*query);
            let want = searcher.search(&*query, &DocSetCollector).unwrap();
            let mut got = std::collections::HashSet::new();
            for (ord, segment) in searcher.segment_readers().iter().enumerate() {
                let mut all = Vec::new();
                let mut docs = BitsDocSet::from(shape.bits(segment).unwrap());
                let size = docs.size_hint() as usize;
                while docs.doc() != TERMINATED {
                    all.push(docs.doc());
                    docs.advance();
                }
                assert_eq!(size, all.len());
                got.extend(
                    all.iter()
                        .filter(|&&d| !segment.is_deleted(d))
                        .map(|&d| tantivy::DocAddress::new(ord as u32, d)),
                );
                // Seeking lands on the first match at or after the target.
                let mut sought = BitsDocSet::from(shape.bits(segment).unwrap());
                for target in (0..segment.max_doc() + 70).step_by(37) {
                    let expected = all.iter().copied().find(|&d| d >= target);
                    let at = sought.seek(target);
                    assert_eq!(at, expected.unwrap_or(TERMINATED), "{query:?} at {target}");
                    if at == TERMINATED {
                        break;
                    }
                }
            }
            assert_eq!(got, want, "{query:?}");
        }
    }

    /// Terms are set operations; a phrase or a range is walked; a minimum of concepts counted.
    #[test]
    fn terms_are_set_operations_and_the_rest_is_walked() {
        let (index, w) = index(10);
        let searcher = index.reader().unwrap().searcher();
        let with_phrase = boolean(vec![
            (Occur::Must, term(w, "a")),
            (Occur::Must, phrase(w, &["a", "b"])),
        ]);
        assert!(matches!(
            shape(&searcher, &*with_phrase),
            Shape::And(ref all) if matches!(all[..], [Shape::Term(_), Shape::Walk(_)])
        ));
        let two_of_three = SparseUnion::at_least(vec![term(w, "a"), term(w, "b"), term(w, "c")], 2);
        assert!(
            matches!(shape(&searcher, &two_of_three), Shape::AtLeast(2, ref any) if any.len() == 3)
        );
    }

    /// Common terms combined are decided as bit sets; a rare leader, or a single term, is walked.
    #[test]
    fn bit_sets_when_the_lead_is_large_and_the_postings_few_per_lead() {
        let (index, w) = index(40_000);
        let searcher = index.reader().unwrap().searcher();
        let segment = &searcher.segment_readers()[0];
        let dense = |q: Box<dyn Query>| shape(&searcher, &*q).dense_in(segment).unwrap();
        // `a` and `b`: 20,000 and 13,334 documents, a lead of 13,334.
        assert!(dense(boolean(vec![
            (Occur::Must, term(w, "a")),
            (Occur::Must, term(w, "b")),
        ])));
        // Led by `lone` (one document): walked.
        assert!(!dense(boolean(vec![
            (Occur::Must, term(w, "a")),
            (Occur::Must, term(w, "lone")),
        ])));
        // One term: walked.
        assert!(!dense(term(w, "a")));
    }
}
