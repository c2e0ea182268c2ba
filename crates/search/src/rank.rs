//! Ranking: a query plan becomes one tantivy query.
//!
//! The score of a document is a sum of BM25 evidence, from weakest to strongest:
//! - each query syllable: typed without diacritics, in the folded view (it finds every spelling);
//!   typed with them, in the exact view only, with a reward — a syllable typed with its marks means
//!   that syllable (`Nhật`, not `nhất`; `đường`, not `Dương`), as in the result set;
//! - each pair of adjacent query syllables as a folded bigram (word evidence: `an toàn thông tin` as a
//!   run, not four scattered syllables; `hợp tác` apart from `hợp tác xã` only by what surrounds it);
//! - each alternative of a concept (acronym ↔ expansion, country alias, English glossary) as a phrase;
//! - a concept naming a country rewards documents whose country facet is that country;
//! - documents matching every concept get their score raised by half again, so that matching more
//!   of the query wins without demanding all of it.
//!
//! Titles count more than bodies. Quoted phrases must match; excluded words must not.

use std::ops::Bound;

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use hoptac_analyzer::bigram;
use hoptac_indexer::schema::Fields;

use crate::phrase::PairedPhrase;
use crate::union::{Combine, SparseUnion};

use crate::query::{AltKind, Concept, Plan, QTerm};

/// Weights of the evidence; rules, not per-query constants.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Weights {
    /// Title matches count this many times a body match.
    pub title: f32,
    /// Reward for the exact spelling of a syllable typed with diacritics.
    pub exact: f32,
    /// Adjacent-syllable (bigram) evidence.
    pub bigram: f32,
    /// An alternative spelling of a concept.
    pub alternative: f32,
    /// A country concept matching the document's country facet.
    pub country_facet: f32,
    /// Extra share of the score for documents matching every concept.
    pub all_concepts: f32,
    /// The whole query run as a phrase.
    pub phrase: f32,
    /// Share of a multi-syllable word's weight its syllables and bigrams carry on their own.
    pub word_parts: f32,
    /// Floor of the coverage factor: a document matching none of the concepts keeps this share.
    pub coverage_floor: f32,
    /// Exponent of the coverage share: higher punishes a missing concept more.
    pub coverage_power: f32,
    /// Coverage credit for a country named in the text but not among the document's country facets
    /// (a passing mention), as a share of a full match.
    pub country_mention: f32,
    /// Score factor for a document not about a (foreign) country the query names: a query naming a
    /// country wants documents about it, and a passing mention is not that.
    pub country_absent: f32,
    /// A result set smaller than this is relaxed (see [`crate::set`]).
    pub relax_below: usize,
    /// A document of the result set may miss one concept in every this many (a foreign country
    /// aside); 0 demands every concept.
    pub miss_one_in: usize,
    /// How many of the best first-phase results the rerank window re-scores; every page deeper
    /// keeps first-phase order, so pages neither repeat nor skip a result.
    pub rerank_depth: usize,
    /// A result set larger than this is not scored whole: the evidence scores the best this many
    /// of it by the evidence's terms alone, found by a pruned search (see
    /// [`crate::first_phase`]); 0 scores every set whole.
    pub first_phase: usize,
}

impl Weights {
    /// Applies `name=value` overrides separated by commas (tuning and evaluation).
    pub fn with_overrides(mut self, spec: &str) -> Result<Weights, String> {
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| format!("expected name=value, got {part:?}"))?;
            let v: f32 = value
                .trim()
                .parse()
                .map_err(|_| format!("{value:?} is not a number"))?;
            let count = match name.trim() {
                "relax_below" => Some(&mut self.relax_below),
                "rerank_depth" => Some(&mut self.rerank_depth),
                "first_phase" => Some(&mut self.first_phase),
                "miss_one_in" => Some(&mut self.miss_one_in),
                _ => None,
            };
            if let Some(slot) = count {
                if v < 0.0 || v.fract() != 0.0 {
                    return Err(format!("{name} must be a whole number, got {value:?}"));
                }
                *slot = v as usize;
                continue;
            }
            let slot = match name.trim() {
                "title" => &mut self.title,
                "exact" => &mut self.exact,
                "bigram" => &mut self.bigram,
                "alternative" => &mut self.alternative,
                "country_facet" => &mut self.country_facet,
                "all_concepts" => &mut self.all_concepts,
                "phrase" => &mut self.phrase,
                "word_parts" => &mut self.word_parts,
                "coverage_floor" => &mut self.coverage_floor,
                "coverage_power" => &mut self.coverage_power,
                "country_mention" => &mut self.country_mention,
                "country_absent" => &mut self.country_absent,
                other => return Err(format!("unknown weight {other:?}")),
            };
            *slot = v;
        }
        Ok(self)
    }
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            title: 1.5,
            exact: 0.5,
            bigram: 1.5,
            alternative: 1.0,
            country_facet: 1.5,
            all_concepts: 0.5,
            phrase: 2.0,
            word_parts: 0.3,
            coverage_floor: 0.3,
            coverage_power: 2.0,
            country_mention: 0.5,
            country_absent: 0.5,
            relax_below: 10,
            miss_one_in: 3,
            rerank_depth: 200,
            first_phase: 1000,
        }
    }
}

/// Filters, already resolved to canonical facet values.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Filters {
    /// Any of these countries.
    pub country: Vec<String>,
    /// Any of these ministries.
    pub ministry: Vec<String>,
    /// Any of these topics.
    pub topic: Vec<String>,
    /// Any of these years.
    pub year: Vec<u64>,
    /// From this year on.
    pub year_from: Option<u64>,
    /// Up to this year.
    pub year_to: Option<u64>,
}

/// A facet dimension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dim {
    /// Country.
    Country,
    /// Ministry.
    Ministry,
    /// Year.
    Year,
    /// Topic.
    Topic,
}

impl Dim {
    /// All dimensions, in display order.
    pub const ALL: [Dim; 4] = [Dim::Country, Dim::Ministry, Dim::Year, Dim::Topic];

    /// The facet root name.
    pub fn name(self) -> &'static str {
        match self {
            Dim::Country => "country",
            Dim::Ministry => "ministry",
            Dim::Year => "year",
            Dim::Topic => "topic",
        }
    }
}

impl Filters {
    /// True when the dimension is filtered.
    pub fn has(&self, dim: Dim) -> bool {
        match dim {
            Dim::Country => !self.country.is_empty(),
            Dim::Ministry => !self.ministry.is_empty(),
            Dim::Topic => !self.topic.is_empty(),
            Dim::Year => {
                !self.year.is_empty() || self.year_from.is_some() || self.year_to.is_some()
            }
        }
    }

    /// The values chosen in a dimension of names (country, ministry, topic); none for the year,
    /// which is filtered by numbers.
    pub fn chosen(&self, dim: Dim) -> &[String] {
        match dim {
            Dim::Country => &self.country,
            Dim::Ministry => &self.ministry,
            Dim::Topic => &self.topic,
            Dim::Year => &[],
        }
    }

    /// True when nothing is filtered.
    pub fn is_empty(&self) -> bool {
        Dim::ALL.iter().all(|d| !self.has(*d))
    }

    /// The filter clauses, leaving one dimension out (for its facet counts).
    pub fn clauses(&self, f: &Fields, except: Option<Dim>) -> Vec<Box<dyn Query>> {
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        let any_of = |field: Field, values: &[String]| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(
                values
                    .iter()
                    .map(|v| {
                        let q: Box<dyn Query> = Box::new(TermQuery::new(
                            Term::from_field_text(field, v),
                            IndexRecordOption::Basic,
                        ));
                        (Occur::Should, q)
                    })
                    .collect(),
            ))
        };
        if except != Some(Dim::Country) && !self.country.is_empty() {
            out.push(any_of(f.country, &self.country));
        }
        if except != Some(Dim::Ministry) && !self.ministry.is_empty() {
            out.push(any_of(f.ministry, &self.ministry));
        }
        if except != Some(Dim::Topic) && !self.topic.is_empty() {
            out.push(any_of(f.topic, &self.topic));
        }
        if except != Some(Dim::Year) {
            if !self.year.is_empty() {
                out.push(Box::new(BooleanQuery::new(
                    self.year
                        .iter()
                        .map(|y| {
                            let q: Box<dyn Query> = Box::new(TermQuery::new(
                                Term::from_field_u64(f.year, *y),
                                IndexRecordOption::Basic,
                            ));
                            (Occur::Should, q)
                        })
                        .collect(),
                )));
            }
            if self.year_from.is_some() || self.year_to.is_some() {
                let lo = self.year_from.map_or(Bound::Unbounded, |y| {
                    Bound::Included(Term::from_field_u64(f.year, y))
                });
                let hi = self.year_to.map_or(Bound::Unbounded, |y| {
                    Bound::Included(Term::from_field_u64(f.year, y))
                });
                out.push(Box::new(RangeQuery::new(lo, hi)));
            }
        }
        out
    }
}

fn term(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

fn boost(q: Box<dyn Query>, w: f32) -> Box<dyn Query> {
    if (w - 1.0).abs() < f32::EPSILON {
        q
    } else {
        Box::new(BoostQuery::new(q, w))
    }
}

/// Evidence of any of `qs`, summed: a sparse union, since evidence is only sought to the documents
/// of the result set (see [`crate::union`]).
fn should(qs: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if qs.is_empty() {
        return Box::new(EmptyQuery);
    }
    Box::new(SparseUnion::new(qs, Combine::Sum))
}

/// The three views of one text field a form is matched in.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Views {
    /// Exact view (diacritics kept; no positions).
    pub exact: Field,
    /// Folded view, with positions.
    pub folded: Field,
    /// Folded syllable pairs.
    pub bigrams: Field,
}

impl Views {
    /// The body's views.
    pub fn body(f: &Fields) -> Views {
        Views {
            exact: f.body,
            folded: f.body_f,
            bigrams: f.body_bi,
        }
    }

    /// The title's views.
    pub fn title(f: &Fields) -> Views {
        Views {
            exact: f.title,
            folded: f.title_f,
            bigrams: f.title_bi,
        }
    }
}

/// A term that only has to be present (scored zero).
fn present(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(
        Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::Basic,
        )),
        0.0,
    ))
}

/// The exact spellings a form demands in a field: each syllable typed with diacritics, present
/// (scored zero). The exact view has no positions, so the spelling is demanded in the same field
/// as the folded phrase, not at its position.
pub(crate) fn spellings(views: Views, terms: &[QTerm]) -> Vec<(Occur, Box<dyn Query>)> {
    terms
        .iter()
        .filter(|t| t.diacritics)
        .map(|t| (Occur::Must, present(views.exact, &t.exact)))
        .collect()
}

/// A form (one syllable → a term query) in one field: the folded phrase, and the exact spelling of
/// every syllable typed with diacritics.
///
/// A phrase can only occur where each of its adjacent pairs does, and a pair's postings are far
/// shorter than its syllables' (`nam hàn` against `nam` and `hàn`, both in most documents): it is
/// looked for through its pairs ([`PairedPhrase`]), positions read only for the documents that
/// have every pair. A pair never spans punctuation, so neither does a phrase.
pub(crate) fn phrase(views: Views, terms: &[QTerm]) -> Box<dyn Query> {
    match terms {
        [] => Box::new(EmptyQuery),
        [one] if one.diacritics => term(views.exact, &one.exact),
        [one] => term(views.folded, &one.folded),
        many => Box::new(
            PairedPhrase::new(
                many.iter()
                    .map(|t| Term::from_field_text(views.folded, &t.folded))
                    .collect(),
                many.windows(2)
                    .map(|pair| {
                        Term::from_field_text(
                            views.bigrams,
                            &bigram::key(&pair[0].folded, &pair[1].folded),
                        )
                    })
                    .collect(),
            )
            .requiring(
                many.iter()
                    .filter(|t| t.diacritics)
                    .map(|t| Term::from_field_text(views.exact, &t.exact))
                    .collect(),
            ),
        ),
    }
}

/// What the pruned first phase of a large set searches ([`Ranker::first_phase`]).
pub struct FirstPhase {
    /// The evidence's terms with their weights (BM25 boosts): searched as one flat disjunction
    /// ([`FirstPhase::terms`]), and bounded one by one where a search skips what cannot reach
    /// the best.
    pub weighted: Vec<(Term, f32)>,
    /// Facet terms whose documents the evidence raises by a constant (a country the query
    /// names: `country_facet`), with the constant. It outweighs a common word's BM25
    /// (`việt nam`), so the first phase adds it too.
    pub raised: Vec<(Term, f32)>,
}

impl FirstPhase {
    /// The weighted terms as one flat disjunction of boosted term queries, which tantivy prunes.
    pub fn terms(&self) -> BooleanQuery {
        BooleanQuery::new(
            self.weighted
                .iter()
                .map(|(t, weight)| (Occur::Should, Self::weighted_term(t, *weight)))
                .collect(),
        )
    }

    /// One weighted term's query: its BM25 (with frequencies), boosted by its weight.
    pub(crate) fn weighted_term(term: &Term, weight: f32) -> Box<dyn Query> {
        Box::new(BoostQuery::new(
            Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
            weight,
        ))
    }
}

/// Builds queries from plans.
#[derive(Clone, Debug)]
pub struct Ranker {
    /// Field handles.
    pub fields: Fields,
    /// Evidence weights.
    pub weights: Weights,
}

impl Ranker {
    /// A form in the body or the title, the title's match weighing `title_boost`.
    fn phrase_in_text(&self, terms: &[QTerm], title_boost: f32) -> Box<dyn Query> {
        let f = &self.fields;
        should(vec![
            phrase(Views::body(f), terms),
            boost(phrase(Views::title(f), terms), title_boost),
        ])
    }

    /// An acronym as written: scored as its folded form in the text, like any phrase, but only
    /// where the text writes every token of it in capitals (`AI`, never `ai`).
    fn in_capitals(&self, keys: &[QTerm], scored: Box<dyn Query>) -> Box<dyn Query> {
        let f = &self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, scored)];
        for t in keys {
            clauses.push((Occur::Must, present(f.capitals, &t.folded)));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// A syllable typed without diacritics in the folded view; typed with them, in the exact view
    /// only (its folded twins are other words), weighing `1 + exact`.
    fn syllable(&self, t: &QTerm) -> Box<dyn Query> {
        let f = &self.fields;
        let w = &self.weights;
        if t.diacritics {
            let weight = 1.0 + w.exact;
            return should(vec![
                boost(term(f.body, &t.exact), weight),
                boost(term(f.title, &t.exact), weight * w.title),
            ]);
        }
        should(vec![
            term(f.body_f, &t.folded),
            boost(term(f.title_f, &t.folded), w.title),
        ])
    }

    fn bigram(&self, a: &QTerm, b: &QTerm) -> Box<dyn Query> {
        let f = &self.fields;
        let key = bigram::key(&a.folded, &b.folded);
        boost(
            should(vec![
                term(f.body_bi, &key),
                boost(term(f.title_bi, &key), self.weights.title),
            ]),
            self.weights.bigram,
        )
    }

    /// The length a concept weighs as: the longest of its expansions and its syllables as typed,
    /// so that an acronym weighs what its expansion weighs.
    fn typed_len(c: &Concept) -> f32 {
        c.alternatives
            .iter()
            .filter(|a| a.kind == AltKind::Expansion)
            .map(|a| a.terms.len())
            .chain(std::iter::once(c.terms.iter().filter(|t| !t.stop).count()))
            .max()
            .unwrap_or(1)
            .max(1) as f32
    }

    fn concept(&self, c: &Concept) -> Box<dyn Query> {
        let f = &self.fields;
        let w = &self.weights;
        let mut typed: Vec<Box<dyn Query>> = Vec::new();
        let content: Vec<&QTerm> = c.terms.iter().filter(|t| !t.stop).collect();
        // A multi-syllable word is evidence as a whole: its syllables scattered count for little.
        let part = if content.len() > 1 { w.word_parts } else { 1.0 };
        for t in &content {
            typed.push(boost(self.syllable(t), part));
        }
        for pair in c.terms.windows(2) {
            typed.push(boost(self.bigram(&pair[0], &pair[1]), part));
        }
        if c.terms.len() > 2 {
            typed.push(self.phrase_in_text(&c.terms, w.title));
        }
        // The concept as typed and each alternative are ways of saying one thing: a document scores
        // by the best of them (plus a little for the others), never by their sum, so a concept with
        // many aliases does not outweigh the rest of the query.
        let mut ways: Vec<Box<dyn Query>> = vec![if c.capitals {
            // An acronym typed in capitals is evidence only where a text writes it so.
            self.in_capitals(&c.terms, should(typed))
        } else {
            should(typed)
        }];
        // An acronym stands for its expansion: the concept weighs what the expansion weighs, so
        // `TTXVN` counts in a query as much as `Thông tấn xã Việt Nam` does.
        let typed_len = Self::typed_len(c);
        for a in &c.alternatives {
            // A phrase's BM25 weight sums its syllables' IDFs: scale it to the typed length.
            let weight = w.alternative * typed_len / a.terms.len().max(1) as f32;
            let mut said = self.phrase_in_text(&a.terms, w.title);
            if a.capitals {
                said = self.in_capitals(&a.terms, said);
            }
            ways.push(boost(said, weight));
        }
        let mut qs: Vec<Box<dyn Query>> = vec![if ways.len() == 1 {
            ways.pop().expect("one way")
        } else {
            Box::new(SparseUnion::new(ways, Combine::Best { tie: 0.2 }))
        }];
        if let Some(country) = &c.country {
            qs.push(Box::new(ConstScoreQuery::new(
                Box::new(TermQuery::new(
                    Term::from_field_text(f.country, country),
                    IndexRecordOption::Basic,
                )),
                w.country_facet,
            )));
        }
        should(qs)
    }

    /// The pruned first phase of a large set ([`crate::first_phase`]): the evidence's terms as
    /// one flat disjunction, and the facet terms the evidence raises documents by. Each syllable
    /// and each pair of adjacent syllables of a concept, and each pair across concepts, in the
    /// views and with the weights the evidence gives it, a term named twice weighing the sum. A
    /// phrase of an alternative or in quotes is represented by its rarest pair (in `searcher`),
    /// weighing what all its pairs would: a document saying the phrase has it, and the common
    /// pairs of a long alternative (`cộng hòa`, `xã hội` in `Cộng hòa xã hội chủ nghĩa Việt
    /// Nam`) would only slow the search. Only term queries, so that tantivy prunes the
    /// disjunction with block-max WAND; what it cannot say (phrases, coordination, the best of a
    /// concept's ways, capitals) the evidence adds when it scores the documents this finds.
    pub fn first_phase(&self, plan: &Plan, searcher: &tantivy::Searcher) -> FirstPhase {
        let f = &self.fields;
        let w = &self.weights;
        let mut weights: Vec<(Term, f32)> = Vec::new();
        let mut add = |field: Field, text: &str, weight: f32| {
            let term = Term::from_field_text(field, text);
            match weights.iter_mut().find(|(t, _)| *t == term) {
                Some((_, sum)) => *sum += weight,
                None => weights.push((term, weight)),
            }
        };
        let syllable = |add: &mut dyn FnMut(Field, &str, f32), t: &QTerm, weight: f32| {
            if t.diacritics {
                let exact = weight * (1.0 + w.exact);
                add(f.body, &t.exact, exact);
                add(f.title, &t.exact, exact * w.title);
            } else {
                add(f.body_f, &t.folded, weight);
                add(f.title_f, &t.folded, weight * w.title);
            }
        };
        let pair = |add: &mut dyn FnMut(Field, &str, f32), a: &QTerm, b: &QTerm, weight: f32| {
            let key = bigram::key(&a.folded, &b.folded);
            add(f.body_bi, &key, weight * w.bigram);
            add(f.title_bi, &key, weight * w.bigram * w.title);
        };
        let phrase =
            |add: &mut dyn FnMut(Field, &str, f32), terms: &[QTerm], weight: f32| match terms {
                [one] => syllable(add, one, weight),
                many => {
                    let in_docs = |p: &[QTerm]| {
                        let key = bigram::key(&p[0].folded, &p[1].folded);
                        searcher
                            .doc_freq(&Term::from_field_text(f.body_bi, &key))
                            .unwrap_or(u64::MAX)
                    };
                    if let Some(rarest) = many.windows(2).min_by_key(|p| in_docs(p)) {
                        let pairs = (many.len() - 1) as f32;
                        pair(add, &rarest[0], &rarest[1], weight * pairs / w.bigram);
                    }
                }
            };
        for c in plan.concepts() {
            let content: Vec<&QTerm> = c.terms.iter().filter(|t| !t.stop).collect();
            let part = if content.len() > 1 { w.word_parts } else { 1.0 };
            for t in &content {
                syllable(&mut add, t, part);
            }
            for p in c.terms.windows(2) {
                pair(&mut add, &p[0], &p[1], part);
            }
            // An alternative weighs what the concept as typed weighs (see `concept`).
            let typed_len = Self::typed_len(c);
            for a in &c.alternatives {
                let weight = w.alternative * typed_len / a.terms.len().max(1) as f32;
                phrase(&mut add, &a.terms, weight);
            }
        }
        for run in &plan.runs {
            for p in run.windows(2) {
                if let (Some(a), Some(b)) = (p[0].terms.last(), p[1].terms.first()) {
                    pair(&mut add, a, b, 0.5);
                }
            }
        }
        for p in &plan.phrases {
            phrase(&mut add, p, 1.0);
        }
        let mut raised: Vec<(Term, f32)> = Vec::new();
        for country in plan.concepts().filter_map(|c| c.country.as_deref()) {
            let term = Term::from_field_text(f.country, country);
            match raised.iter_mut().find(|(t, _)| *t == term) {
                Some((_, by)) => *by += w.country_facet,
                None => raised.push((term, w.country_facet)),
            }
        }
        FirstPhase {
            weighted: weights,
            raised,
        }
    }

    /// The first-phase score of a plan: every piece of evidence as a SHOULD clause. It matches
    /// more than the result set ([`crate::set`]) and is only ever run inside it.
    pub fn evidence(&self, plan: &Plan) -> Box<dyn Query> {
        let concepts: Vec<&Concept> = plan.concepts().collect();
        // Coordination: documents matching all concepts (or all but one of four or more) gain a
        // share of their score again — matching more of the query wins, without demanding all of it.
        let n = concepts.len();
        let tiers: Vec<(usize, f32)> = [
            (n, self.weights.all_concepts),
            (n.saturating_sub(1), self.weights.all_concepts / 2.0),
        ]
        .into_iter()
        .filter(|&(need, _)| n > 1 && need >= 2 && (need == n || n >= 4))
        .collect();
        let mut evidence: Vec<Box<dyn Query>> = Vec::new();
        if n > 0 {
            evidence.push(Box::new(SparseUnion::new(
                concepts.iter().map(|c| self.concept(c)).collect(),
                Combine::Coordinated { tiers },
            )));
        }
        // Bigrams across concept boundaries: proximity of consecutive concepts.
        for run in &plan.runs {
            for pair in run.windows(2) {
                if let (Some(a), Some(b)) = (pair[0].terms.last(), pair[1].terms.first()) {
                    evidence.push(boost(self.bigram(a, b), 0.5));
                }
            }
        }
        // The whole run as typed, as a phrase: the strongest evidence that the document says it.
        for run in &plan.runs {
            let terms: Vec<QTerm> = run.iter().flat_map(|c| c.terms.clone()).collect();
            if terms.len() > 2 && run.len() > 1 {
                evidence.push(boost(
                    self.phrase_in_text(&terms, self.weights.title),
                    self.weights.phrase,
                ));
            }
        }
        // Quoted phrases (which the set demands) score like any evidence.
        for p in &plan.phrases {
            evidence.push(self.phrase_in_text(p, self.weights.title));
        }
        should(evidence)
    }
}
