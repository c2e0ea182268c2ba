//! Related documents: the releases most like one a researcher is reading.
//!
//! More-like-this over the document's own distinctive syllable pairs: tantivy's
//! [`MoreLikeThisQuery`] given the document's title and body for the *bigram* fields, so the text is
//! analysed as it was indexed and the terms chosen are pairs of syllables (`an toàn`, `toàn thông`,
//! `chính phủ`, `Hàn Quốc`) — Vietnamese words span syllables, and single syllables (`an`, `phủ`)
//! say little. A pair is kept when at least [`MIN_DOC_FREQ`] documents have it (the document
//! itself and one other) and at most one in [`MAX_DOC_SHARE`] (`hợp tác` and `Việt Nam` are
//! everywhere); the best [`MAX_QUERY_TERMS`] by tf·idf make the query.
//!
//! tantivy's `with_document(address)` reads the document's *stored* fields, and hoptac stores the
//! text once, in the exact field, never in the bigram fields the query must search; so the text is
//! handed over with `with_document_fields`. On top of the text: documents about the same foreign
//! countries and on the same topics rank higher ([`COUNTRY_BOOST`], [`TOPIC_BOOST`]), the home
//! country (every document's) counting for nothing; the document itself and its reprints (one
//! release, other outlets: [`crate::reprints`]) are left out, and a reprint group among the
//! related documents shows once.

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, ConstScoreQuery, MoreLikeThisQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, OwnedValue};
use tantivy::{Searcher, Term};

use crate::{from_stored, reprints, Deadline, Document, Engine, SearchError};

/// A pair must occur in this many documents (the document and one more) to say anything.
pub const MIN_DOC_FREQ: u64 = 2;
/// A pair in more than one document in this many is too common to relate two documents.
pub const MAX_DOC_SHARE: u64 = 20;
/// Pairs in the query.
pub const MAX_QUERY_TERMS: usize = 100;
/// Score for each foreign country the two documents share.
pub const COUNTRY_BOOST: f32 = 5.0;
/// Score for each topic the two documents share.
pub const TOPIC_BOOST: f32 = 2.5;
/// Most related documents one request may ask for.
pub const MAX_RELATED: usize = 50;

impl Engine {
    /// Up to `limit` documents most like the document `id`, best first, with their scores.
    pub fn related(
        &self,
        id: &str,
        limit: usize,
        deadline: &Deadline,
    ) -> Result<Vec<(f32, Document)>, SearchError> {
        let searcher = self.reader.searcher();
        let doc = self.document_in(&searcher, id)?;
        let query = self.like(&searcher, &doc);
        let limit = limit.clamp(1, MAX_RELATED);
        // Reprints of one release are one related document: take more, show each group once.
        let top = TopDocs::with_limit(limit * 3).order_by_score();
        let found = searcher.search(&*deadline.bound(query), &top)?;
        deadline.check()?;
        reprints::collapse(&searcher, found)?
            .into_iter()
            .take(limit)
            .map(|(score, a)| Ok((score, from_stored(&self.fields, searcher.doc(a)?))))
            .collect()
    }

    /// The query for the documents like `doc`: its distinctive pairs, its foreign countries and
    /// topics; itself and its reprints excluded.
    fn like(&self, searcher: &Searcher, doc: &Document) -> Box<dyn Query> {
        let f = &self.fields;
        let text = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(MIN_DOC_FREQ)
            .with_max_doc_frequency((searcher.num_docs() / MAX_DOC_SHARE).max(MIN_DOC_FREQ + 1))
            .with_min_term_frequency(1)
            .with_max_query_terms(MAX_QUERY_TERMS)
            .with_boost_factor(1.0)
            .with_document_fields(vec![
                (f.title_bi, vec![OwnedValue::Str(doc.title.clone())]),
                (f.body_bi, vec![OwnedValue::Str(doc.body.clone())]),
            ]);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(text))];
        let home = self.context.home_country();
        for c in doc.country.iter().filter(|c| c.as_str() != home) {
            clauses.push((Occur::Should, constant(f.country, c, COUNTRY_BOOST)));
        }
        for t in &doc.topic {
            clauses.push((Occur::Should, constant(f.topic, t, TOPIC_BOOST)));
        }
        clauses.push((Occur::MustNot, constant(f.id, &doc.id, 0.0)));
        if !doc.group.is_empty() {
            clauses.push((Occur::MustNot, constant(f.group, &doc.group, 0.0)));
        }
        Box::new(BooleanQuery::new(clauses))
    }
}

/// A term that adds `score` when present.
fn constant(field: tantivy::schema::Field, text: &str, score: f32) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(
        Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::Basic,
        )),
        score,
    ))
}
