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
//! syllables summed), since pairs are present wherever the phrase is. A phrase of two syllables
//! (`Hoa Kỳ`, an alias of a country the query names, in most documents of a set about it) is its
//! pair: the pair's postings and frequency, no positions read at all.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term, TERMINATED};

/// The syllables `terms` (a field with positions) adjacent and in order, looked for only where the
/// `pairs` (the same text's bigram field) all occur. Scores as `PhraseQuery` over `terms`.
#[derive(Clone, Debug)]
pub struct PairedPhrase {
    terms: Vec<Term>,
    pairs: Vec<Term>,
}

impl PairedPhrase {
    /// A phrase of at least two syllables and the keys of its adjacent pairs.
    pub fn new(terms: Vec<Term>, pairs: Vec<Term>) -> Self {
        assert!(terms.len() >= 2, "a phrase has two syllables or more");
        PairedPhrase { terms, pairs }
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
            bm25,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for t in &self.terms {
            visitor(t, true);
        }
    }
}

struct PairedPhraseWeight {
    terms: Vec<Term>,
    pairs: Vec<Term>,
    bm25: Option<Bm25Weight>,
}

impl PairedPhraseWeight {
    fn phrase_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<PairedPhraseScorer>> {
        // The syllables (with positions) first, then the pairs (documents only). Two syllables
        // are their one pair: its postings alone, with its frequency as the phrase's.
        let syllables = if self.is_one_pair() {
            0
        } else {
            self.terms.len()
        };
        let pair_option = if syllables == 0 && self.bm25.is_some() {
            IndexRecordOption::WithFreqs
        } else {
            IndexRecordOption::Basic
        };
        let mut postings = Vec::with_capacity(syllables + self.pairs.len());
        let wanted = self.terms[..syllables]
            .iter()
            .map(|t| (t, IndexRecordOption::WithFreqsAndPositions))
            .chain(self.pairs.iter().map(|p| (p, pair_option)));
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
        };
        scorer.settle(0);
        Ok(Some(scorer))
    }
}

impl PairedPhraseWeight {
    /// Two syllables and their pair: the pair is indexed exactly where the two stand in a row
    /// (never across punctuation, as the phrase is looked for), so the pair's postings are the
    /// phrase's and its frequency the phrase's frequency — no positions to read.
    fn is_one_pair(&self) -> bool {
        self.terms.len() == 2 && self.pairs.len() == 1
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
struct PairedPhraseScorer {
    /// The syllables' postings, in phrase order, then the pairs'.
    postings: Vec<SegmentPostings>,
    /// How many of `postings` are the syllables' (none for a phrase of two: its pair says all).
    syllables: usize,
    /// Indices into `postings`, shortest first: the intersection's order.
    order: Vec<usize>,
    bm25: Option<Bm25Weight>,
    fieldnorms: FieldNormReader,
    left: Vec<u32>,
    right: Vec<u32>,
    count: u32,
    doc: DocId,
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
        if self.syllables == 0 {
            // Two syllables, found as their pair: the pair's frequency.
            return self.postings[0].term_freq();
        }
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

impl DocSet for PairedPhraseScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        self.settle(self.doc + 1)
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
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
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::PhraseQuery;
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
        for t in TEXTS {
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
}
