//! Phrases found through their adjacent pairs: positions read only where every pair occurs.
//!
//! A phrase of syllables (`an toàn thông tin`) can only occur in a document that has each of its
//! adjacent pairs (`an toan`, `toan thong`, `thong tin`), and a pair's postings (the bigram view)
//! are far shorter than its syllables' (`thong` and `tin` are in most documents). tantivy's
//! `PhraseQuery` walks the intersection of the syllables alone and, as every scorer must stand on its
//! first match when made, read positions across the intersection up to the first phrase as soon as
//! it was built — in every segment, for every phrase of a query, before the result set was looked at:
//! a phrase rare in a segment whose syllables are common cost that segment's syllable intersection.
//! At ×10 building phrase scorers was a tenth of all query time.
//!
//! Here the pairs lead the intersection (its members ordered by length, the pairs being the
//! shortest), and positions are compared only for documents that have every pair and syllable. A
//! match and its score are those of `PhraseQuery` (BM25 of the phrase's frequency, the idf of its
//! syllables summed), since pairs are present wherever the phrase is.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term, TERMINATED};

use crate::probe::{Probe, Probed};

/// The syllables `terms` (a field with positions) adjacent and in order, looked for only where the
/// `pairs` (the same text's bigram field) all occur. Scores as `PhraseQuery` over `terms`.
#[derive(Clone, Debug)]
pub struct PairedPhrase {
    terms: Vec<Term>,
    pairs: Vec<Term>,
    present: Vec<Term>,
}

impl PairedPhrase {
    /// A phrase of at least two syllables and the keys of its adjacent pairs.
    pub fn new(terms: Vec<Term>, pairs: Vec<Term>) -> Self {
        assert!(terms.len() >= 2, "a phrase has two syllables or more");
        PairedPhrase {
            terms,
            pairs,
            present: Vec::new(),
        }
    }

    /// The phrase only in documents that also have each of `present` (the exact spelling of a
    /// syllable typed with diacritics): more members of the intersection, scoring nothing.
    pub fn requiring(mut self, present: Vec<Term>) -> Self {
        self.present = present;
        self
    }
}

impl Query for PairedPhrase {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let bm25 = match scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => Some(Bm25Weight::for_terms(statistics_provider, &self.terms)?),
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(PairedPhraseWeight {
            terms: self.terms.clone(),
            pairs: self.pairs.clone(),
            present: self.present.clone(),
            bm25,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for t in &self.terms {
            visitor(t, true);
        }
        for t in self.pairs.iter().chain(&self.present) {
            visitor(t, false);
        }
    }
}

struct PairedPhraseWeight {
    terms: Vec<Term>,
    pairs: Vec<Term>,
    present: Vec<Term>,
    bm25: Option<Bm25Weight>,
}

impl PairedPhraseWeight {
    fn phrase_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<PairedPhraseScorer>> {
        // The syllables (with positions) first, then the pairs and the spellings required
        // (documents only).
        let syllables = self.terms.len();
        let mut postings = Vec::with_capacity(syllables + self.pairs.len() + self.present.len());
        let wanted = self
            .terms
            .iter()
            .map(|t| (t, IndexRecordOption::WithFreqsAndPositions))
            .chain(self.pairs.iter().map(|p| (p, IndexRecordOption::Basic)))
            .chain(self.present.iter().map(|t| (t, IndexRecordOption::Basic)));
        for (term, option) in wanted {
            match reader
                .inverted_index(term.field())?
                .read_postings(term, option)?
            {
                Some(p) => postings.push(p),
                None => return Ok(None),
            }
        }
        let field = self.terms[0].field();
        let fieldnorms = match (&self.bm25, reader.fieldnorms_readers().get_field(field)?) {
            (Some(_), Some(f)) => f,
            _ => FieldNormReader::constant(reader.max_doc(), 1),
        };
        // Leapfrog order: the shortest postings lead.
        let mut order: Vec<usize> = (0..postings.len()).collect();
        order.sort_by_key(|&i| postings[i].doc_freq());
        let mut scorer = PairedPhraseScorer {
            postings,
            syllables,
            order,
            bm25: self.bm25.as_ref().map(|w| w.boost_by(boost)),
            fieldnorms,
            left: Vec::new(),
            right: Vec::new(),
            count: 0,
            doc: 0,
            missed: false,
        };
        scorer.settle(0);
        Ok(Some(scorer))
    }
}

impl Weight for PairedPhraseWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.phrase_scorer(reader, boost)? {
            Some(s) if s.doc != TERMINATED => Box::new(s),
            _ => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let not_found = || TantivyError::InvalidArgument(format!("document #{doc} does not match"));
        let mut s = self.phrase_scorer(reader, 1.0)?.ok_or_else(not_found)?;
        if s.seek(doc) != doc {
            return Err(not_found());
        }
        Ok(Explanation::new("phrase, through its pairs", s.score()))
    }
}

/// Stands on a document having every pair and the syllables in a row (`count` times).
pub(crate) struct PairedPhraseScorer {
    /// The syllables' postings, in phrase order, then the pairs', then the spellings required.
    postings: Vec<SegmentPostings>,
    /// How many of `postings` are the syllables'.
    syllables: usize,
    /// Indices into `postings`, shortest first: the intersection's order.
    order: Vec<usize>,
    bm25: Option<Bm25Weight>,
    fieldnorms: FieldNormReader,
    left: Vec<u32>,
    right: Vec<u32>,
    count: u32,
    doc: DocId,
    /// A probe missed since `doc` was settled on: `doc` is no match to stand on.
    missed: bool,
}

impl PairedPhraseScorer {
    fn member(&mut self, k: usize) -> &mut SegmentPostings {
        &mut self.postings[self.order[k]]
    }

    /// The first document at or after `target` in every member (leapfrog), or TERMINATED.
    fn intersect(&mut self, target: DocId) -> DocId {
        let mut candidate = target;
        'next: loop {
            let lead = self.member(0);
            if lead.doc() < candidate {
                lead.seek(candidate);
            }
            candidate = lead.doc();
            if candidate == TERMINATED {
                return TERMINATED;
            }
            for k in 1..self.order.len() {
                let m = self.member(k);
                if m.doc() < candidate {
                    m.seek(candidate);
                }
                if m.doc() != candidate {
                    candidate = m.doc();
                    if candidate == TERMINATED {
                        return TERMINATED;
                    }
                    continue 'next;
                }
            }
            return candidate;
        }
    }

    /// How many times the syllables stand in a row in the current document (every member on it).
    fn phrase_count(&mut self) -> u32 {
        let n = self.syllables as u32;
        // Each syllable's positions shifted so that a phrase's syllables meet at one value.
        self.postings[0].positions_with_offset(n - 1, &mut self.left);
        for i in 1..self.syllables {
            self.postings[i].positions_with_offset(n - 1 - i as u32, &mut self.right);
            keep_common(&mut self.left, &self.right);
            if self.left.is_empty() {
                return 0;
            }
        }
        self.left.len() as u32
    }

    /// Moves to the first phrase at or after `target`.
    fn settle(&mut self, target: DocId) -> DocId {
        self.missed = false;
        let mut at = target;
        loop {
            let doc = self.intersect(at);
            if doc == TERMINATED {
                self.doc = TERMINATED;
                return TERMINATED;
            }
            let count = self.phrase_count();
            if count > 0 {
                self.doc = doc;
                self.count = count;
                return doc;
            }
            at = doc + 1;
        }
    }
}

/// `left` ∩ `right` (both ascending), into `left`.
fn keep_common(left: &mut Vec<u32>, right: &[u32]) {
    let (mut i, mut j, mut kept) = (0, 0, 0);
    while i < left.len() && j < right.len() {
        match left[i].cmp(&right[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                left[kept] = left[i];
                kept += 1;
                i += 1;
                j += 1;
            }
        }
    }
    left.truncate(kept);
}

impl Probed for PairedPhraseScorer {
    /// The members moved to `target`, shortest first; positions compared only if all stand on it.
    fn probe(&mut self, target: DocId) -> Probe {
        if !self.missed && self.doc == target {
            return Probe::Found;
        }
        for k in 0..self.order.len() {
            let m = self.member(k);
            if m.doc() < target {
                m.seek(target);
            }
            let at = m.doc();
            if at != target {
                // The phrase is only where every member is: not before this one's next document.
                self.missed = true;
                return Probe::Beyond(at);
            }
        }
        let count = self.phrase_count();
        if count == 0 {
            self.missed = true;
            return Probe::Beyond(target + 1);
        }
        self.missed = false;
        self.doc = target;
        self.count = count;
        Probe::Found
    }
}

impl DocSet for PairedPhraseScorer {
    fn advance(&mut self) -> DocId {
        debug_assert!(!self.missed, "advanced after a missed probe: seek instead");
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        self.settle(self.doc + 1)
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if !self.missed && self.doc >= target {
            return self.doc;
        }
        self.settle(target)
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        // The shortest postings, which lead.
        self.postings[self.order[0]].doc_freq()
    }
}

impl Scorer for PairedPhraseScorer {
    fn score(&mut self) -> Score {
        match &self.bm25 {
            Some(w) => w.score(self.fieldnorms.fieldnorm_id(self.doc), self.count),
            None => 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::{probe, Kind};
    use crate::union::{Combine, SparseUnion};
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, Occur, PhraseQuery, TermQuery};
    use tantivy::schema::{Field, Schema, TextFieldIndexing, TextOptions};
    use tantivy::tokenizer::{SimpleTokenizer, TextAnalyzer, Token, TokenStream, Tokenizer};
    use tantivy::{doc, DocAddress, Index, Searcher};

    /// Adjacent word pairs joined by `_`, as the bigram view keys them.
    #[derive(Clone, Default)]
    struct Pairs;

    struct PairStream {
        tokens: Vec<Token>,
        at: usize,
    }

    impl TokenStream for PairStream {
        fn advance(&mut self) -> bool {
            self.at += 1;
            self.at <= self.tokens.len()
        }
        fn token(&self) -> &Token {
            &self.tokens[self.at - 1]
        }
        fn token_mut(&mut self) -> &mut Token {
            &mut self.tokens[self.at - 1]
        }
    }

    impl Tokenizer for Pairs {
        type TokenStream<'a> = PairStream;
        fn token_stream<'a>(&'a mut self, text: &'a str) -> PairStream {
            let words: Vec<&str> = text.split_whitespace().collect();
            let tokens = words
                .windows(2)
                .enumerate()
                .map(|(i, w)| Token {
                    position: i,
                    text: format!("{}_{}", w[0], w[1]),
                    ..Token::default()
                })
                .collect();
            PairStream { tokens, at: 0 }
        }
    }

    const TEXTS: [&str; 6] = [
        "hop tac an toan thong tin voi han quoc",
        "an toan giao thong va thong tin",
        "thong tin an toan",
        "an toan thong tin an toan thong tin",
        "thoi tiet",
        "bao dam an toan thong tin mang",
    ];

    fn corpus() -> (Searcher, Field, Field) {
        index_of(&TEXTS)
    }

    /// `n` texts of words drawn (deterministically) from a small vocabulary: each phrase of two
    /// or three of them occurs in some texts, its pairs in more.
    fn generated(n: usize) -> Vec<String> {
        const WORDS: [&str; 6] = ["an", "toan", "thong", "tin", "han", "quoc"];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 33) as usize
        };
        (0..n)
            .map(|_| {
                let len = 2 + next() % 7;
                (0..len)
                    .map(|_| WORDS[next() % WORDS.len()])
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    fn index_of<S: AsRef<str>>(texts: &[S]) -> (Searcher, Field, Field) {
        let mut b = Schema::builder();
        let text = b.add_text_field(
            "text",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer("simple")
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        );
        let pairs = b.add_text_field(
            "pairs",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer("pairs")
                    .set_index_option(IndexRecordOption::WithFreqs),
            ),
        );
        let index = Index::create_in_ram(b.build());
        index
            .tokenizers()
            .register("simple", TextAnalyzer::from(SimpleTokenizer::default()));
        index
            .tokenizers()
            .register("pairs", TextAnalyzer::from(Pairs));
        let mut w = index.writer(15_000_000).unwrap();
        for t in texts {
            let t = t.as_ref();
            w.add_document(doc!(text => t, pairs => t)).unwrap();
        }
        w.commit().unwrap();
        (index.reader().unwrap().searcher(), text, pairs)
    }

    fn queries(text: Field, pairs: Field, words: &[&str]) -> (PhraseQuery, PairedPhrase) {
        let terms: Vec<Term> = words
            .iter()
            .map(|w| Term::from_field_text(text, w))
            .collect();
        let keys = words
            .windows(2)
            .map(|w| Term::from_field_text(pairs, &format!("{}_{}", w[0], w[1])))
            .collect();
        (
            PhraseQuery::new(terms.clone()),
            PairedPhrase::new(terms, keys),
        )
    }

    fn ranked(searcher: &Searcher, q: &dyn Query) -> Vec<(f32, DocAddress)> {
        searcher
            .search(q, &TopDocs::with_limit(10).order_by_score())
            .unwrap()
    }

    /// The same documents as `PhraseQuery`, with the same scores: a repeated phrase counts twice,
    /// syllables present but apart (`an toan giao thong va thong tin`) do not match.
    #[test]
    fn matches_and_scores_as_the_phrase_query() {
        let (searcher, text, pairs) = corpus();
        for words in [
            &["an", "toan", "thong", "tin"][..],
            &["thong", "tin"],
            &["an", "toan"],
            &["tin", "an", "toan"],
            &["han", "quoc", "an"],
        ] {
            let (phrase, paired) = queries(text, pairs, words);
            let a = ranked(&searcher, &phrase);
            let b = ranked(&searcher, &paired);
            assert_eq!(a.len(), b.len(), "{words:?}");
            for ((sa, da), (sb, db)) in a.iter().zip(&b) {
                assert_eq!(da, db, "{words:?}");
                assert!((sa - sb).abs() < 1e-5, "{words:?}: {sa} vs {sb}");
            }
            assert_eq!(
                searcher.search(&phrase, &Count).unwrap(),
                searcher.search(&paired, &Count).unwrap()
            );
        }
        let (_, four) = queries(text, pairs, &["an", "toan", "thong", "tin"]);
        let found: Vec<u32> = ranked(&searcher, &four)
            .iter()
            .map(|(_, d)| d.doc_id)
            .collect();
        assert_eq!(found.len(), 3);
        assert_eq!(found[0], 3, "said twice ranks first");
        assert!(!found.contains(&1));
    }

    /// A phrase whose pair no document has matches nothing, whatever its syllables.
    #[test]
    fn a_missing_pair_matches_nothing() {
        let (searcher, text, pairs) = corpus();
        let (_, paired) = queries(text, pairs, &["tin", "thong"]);
        assert_eq!(searcher.search(&paired, &Count).unwrap(), 0);
    }

    /// Asked about one document, a phrase answers for it alone: a document with every pair but
    /// not the phrase is a miss bounded by the next document, not by the phrase's next match.
    #[test]
    fn a_probe_answers_for_one_document() {
        let (searcher, text, pairs) = index_of(&[
            "an toan thong tin",
            "toan thong tin va an toan",
            "thoi tiet",
            "bao dam an toan thong tin",
        ]);
        let (_, paired) = queries(text, pairs, &["an", "toan", "thong", "tin"]);
        let weight = paired
            .weight(EnableScoring::enabled_from_searcher(&searcher))
            .unwrap();
        let mut scorer = weight.scorer(searcher.segment_reader(0), 1.0).unwrap();
        let probe = |s: &mut Box<dyn Scorer>, t| probe(s, Kind::Phrase, t);
        assert_eq!(probe(&mut scorer, 0), Probe::Found);
        // Text 1 has every pair, not the phrase: positions compared there alone.
        assert_eq!(probe(&mut scorer, 1), Probe::Beyond(2));
        // Text 2 has no pair: the pairs' next document bounds the next match.
        assert_eq!(probe(&mut scorer, 2), Probe::Beyond(3));
        assert_eq!(probe(&mut scorer, 3), Probe::Found);
        let (_, paired) = queries(text, pairs, &["an", "toan", "thong", "tin"]);
        let weight = paired
            .weight(EnableScoring::enabled_from_searcher(&searcher))
            .unwrap();
        let mut scorer = weight.scorer(searcher.segment_reader(0), 1.0).unwrap();
        assert_eq!(probe(&mut scorer, 1), Probe::Beyond(2));
        assert_eq!(
            scorer.seek(2),
            3,
            "sought after a miss, it finds the next match"
        );
    }

    /// The documents of a scorer, walked from the start.
    fn walked(weight: &dyn Weight, reader: &SegmentReader) -> Vec<DocId> {
        let mut s = weight.scorer(reader, 1.0).unwrap();
        let mut out = Vec::new();
        while s.doc() != TERMINATED {
            out.push(s.doc());
            s.advance();
        }
        out
    }

    /// Probing phrases, and unions of phrases and terms (at least one, at least two), scored or
    /// not (unscored, a union stops asking once enough clauses match), at every `step`-th
    /// document: found exactly where they match, and a miss never bounds past the next match;
    /// sought afterwards, they stand on it.
    #[test]
    fn probes_agree_with_walking() {
        let texts = generated(400);
        let (searcher, text, pairs) = index_of(&texts);
        let reader = searcher.segment_reader(0);
        let phrase = |words: &[&str]| -> Box<dyn Query> { Box::new(queries(text, pairs, words).1) };
        let word = |w: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(text, w),
                IndexRecordOption::WithFreqs,
            ))
        };
        let cases: Vec<Box<dyn Query>> = vec![
            phrase(&["toan", "thong", "tin"]),
            phrase(&["han", "quoc"]),
            Box::new(SparseUnion::new(
                vec![
                    phrase(&["an", "toan", "thong"]),
                    phrase(&["tin", "han", "quoc"]),
                ],
                Combine::Sum,
            )),
            Box::new(SparseUnion::at_least(
                vec![
                    phrase(&["an", "toan", "thong"]),
                    phrase(&["quoc", "han"]),
                    word("tin"),
                ],
                2,
            )),
            Box::new(SparseUnion::at_least(
                vec![word("an"), word("thong"), word("quoc")],
                3,
            )),
        ];
        let modes = [
            EnableScoring::enabled_from_searcher(&searcher),
            EnableScoring::disabled_from_searcher(&searcher),
        ];
        for (q, scoring) in cases
            .iter()
            .flat_map(|q| modes.iter().map(move |m| (q, *m)))
        {
            let weight = q.weight(scoring).unwrap();
            let truth = walked(weight.as_ref(), reader);
            assert!(
                !truth.is_empty() && truth.len() < 300,
                "{} matches",
                truth.len()
            );
            for step in [1, 2, 3, 7] {
                let mut s = weight.scorer(reader, 1.0).unwrap();
                let kind = Kind::of(s.as_ref());
                let mut target = 0;
                while target < reader.max_doc() {
                    let next = truth.iter().copied().find(|&d| d >= target);
                    match probe(&mut s, kind, target) {
                        Probe::Found => assert_eq!(next, Some(target), "{q:?} at {target}"),
                        Probe::Beyond(bound) => {
                            assert_ne!(next, Some(target), "{q:?} at {target}");
                            assert!(bound > target);
                            assert!(bound <= next.unwrap_or(TERMINATED), "{q:?} at {target}");
                        }
                    }
                    if target % 5 == 4 {
                        // Sought after the probe, found or not: the next match.
                        assert_eq!(s.seek(target), next.unwrap_or(TERMINATED), "{q:?}");
                    }
                    target += step;
                }
            }
        }
    }

    /// Inside a set and a union (as the result set and the evidence use them), phrases match and
    /// score as tantivy's `PhraseQuery` in its `BooleanQuery`.
    #[test]
    fn inside_a_set_and_a_union_they_score_as_phrase_queries() {
        let texts = generated(400);
        let (searcher, text, pairs) = index_of(&texts);
        let word = |w: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(text, w),
                IndexRecordOption::WithFreqs,
            ))
        };
        let phrases: [&[&str]; 3] = [
            &["an", "toan", "thong"],
            &["quoc", "han"],
            &["tin", "an", "toan"],
        ];
        for need in [1, 2] {
            let ours: Vec<Box<dyn Query>> = phrases
                .iter()
                .map(|p| Box::new(queries(text, pairs, p).1) as Box<dyn Query>)
                .chain([word("tin")])
                .collect();
            let theirs: Vec<(Occur, Box<dyn Query>)> = phrases
                .iter()
                .map(|p| {
                    (
                        Occur::Should,
                        Box::new(queries(text, pairs, p).0) as Box<dyn Query>,
                    )
                })
                .chain([(Occur::Should, word("tin"))])
                .collect();
            let set = |union: Box<dyn Query>| {
                BooleanQuery::new(vec![(Occur::Must, word("han")), (Occur::Must, union)])
            };
            let a = searcher
                .search(
                    &set(Box::new(BooleanQuery::with_minimum_required_clauses(
                        theirs, need,
                    ))),
                    &TopDocs::with_limit(1000).order_by_score(),
                )
                .unwrap();
            let b = searcher
                .search(
                    &set(Box::new(SparseUnion::at_least(ours, need))),
                    &TopDocs::with_limit(1000).order_by_score(),
                )
                .unwrap();
            assert!(a.len() > 10, "need {need}: {} documents", a.len());
            let sorted = |v: &[(f32, DocAddress)]| {
                let mut v: Vec<(DocAddress, f32)> = v.iter().map(|&(s, d)| (d, s)).collect();
                v.sort_by_key(|x| x.0);
                v
            };
            let (a, b) = (sorted(&a), sorted(&b));
            assert_eq!(a.len(), b.len(), "need {need}");
            for ((da, sa), (db, sb)) in a.iter().zip(&b) {
                assert_eq!(da, db, "need {need}");
                assert!((sa - sb).abs() < 1e-4, "need {need}: {sa} vs {sb}");
            }
        }
    }
}
