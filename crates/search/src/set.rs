//! The result set: which documents a query is about, decided apart from how they rank.
//!
//! A document is in the set when it matches **every concept** of the plan by one of the concept's
//! ways of being said, in its title or body: the syllables as typed (folded, as a phrase), an
//! acronym or its expansion, a country's alias or its country facet, an English glossary name, a
//! synonym. Quoted phrases must match and excluded words must not; filters narrow the set. Each
//! concept is one union, the set their intersection, so tantivy leads with the rarest concept and
//! never visits the documents that share one common syllable with the query.
//!
//! Before: `an toàn thông tin Hàn Quốc` matched 35,842 of 38,098 documents (any one syllable).
//! After: the documents that say `an toàn thông tin` (or `ATTT`, `an ninh thông tin`) *and* name
//! Korea (`Hàn Quốc`, `Nam Hàn`, `Korea`, or carry the country facet) — a few hundred.
//!
//! **Long queries.** A query of many concepts is rarely said whole by one document, so one
//! concept in every [`Weights::miss_one_in`] (rounded down) may be missing, as with
//! Elasticsearch's `minimum_should_match`: `hợp tác quốc phòng Việt Nam Lào` has four concepts,
//! so a document about Laos that says two of `hợp tác`, `quốc phòng`, `Việt Nam` is in the set.
//! A foreign country the query names is never the one missing, and it is matched by the
//! documents *about* it (its country facet: named in the title or more than once), not by a
//! passing mention.
//!
//! An acronym matches as an acronym: where a text writes it in capitals (the `capitals` field), or
//! by its expansions — `artificial intelligence` finds `AI` and `trí tuệ nhân tạo`, never `ai`
//! (who).
//!
//! **Relaxation.** When fewer than [`Weights::relax_below`] documents are in the set (on a small
//! corpus, one per thousand documents plus one), it is widened step by step, until enough match:
//! 1. a word no document says is let go at once (it could only empty the set);
//! 2. a foreign country the query names matches where a text mentions it, too;
//! 3. the least informative concepts (the most frequent) are let go one at a time, as
//!    Meilisearch's `last` matching strategy drops words — but a query naming a foreign country
//!    keeps one concept besides it (`an toàn thông tin Hàn Quốc` never becomes every story on
//!    Korea).
//!
//! The answer says what was given up ([`Relaxation`]). It is decided on the text alone, so that a
//! filter only ever narrows what the facet counts promised.

use tantivy::collector::Count;
use tantivy::query::{AllQuery, BooleanQuery, EmptyQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use hoptac_analyzer::bigram;
use hoptac_indexer::schema::Fields;

use crate::coverage::concept_df;
use crate::query::{Alternative, Concept, Plan, QTerm};
use crate::rank::{phrase, spellings, Dim, Filters, Views, Weights};
use crate::union::{Combine, SparseUnion};
use crate::unscored::Unscored;
use crate::{Deadline, SearchError};

/// Which concepts the set demands, and what relaxing it gave up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selection {
    /// Indices into the plan's concepts ([`Plan::concepts`]) every document must match.
    pub required: Vec<usize>,
    /// Whether a foreign country the query names also matches where a text only mentions it
    /// (strictly, only the documents about it: its country facet).
    pub mentions: bool,
    /// Present when the set had to be relaxed.
    pub relaxation: Option<Relaxation>,
}

/// What a relaxed set gave up, for the page and the API.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Relaxation {
    /// The concepts no longer demanded, as typed (`hợp tác`).
    pub dropped: Vec<String>,
    /// How many documents match every concept (before relaxing, without filters).
    pub exact: usize,
    /// The foreign countries matched by a mention too, not only by the documents about them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mentioned: Vec<String>,
}

/// A selection begun by [`ResultSet::begin`]: step 1 taken, the rest waiting on a count.
#[derive(Clone, Debug)]
pub struct Start {
    /// Every concept but the words no document says.
    pub selection: Selection,
    /// The other concepts by document frequency, the next to let go first.
    by_df: Vec<(u64, usize)>,
    /// The concepts step 1 let go.
    dropped: Vec<usize>,
    /// Fewer documents than this make the set tiny.
    enough: usize,
}

impl Selection {
    /// Every concept, each foreign country by its facet: the strict set.
    pub fn all(concepts: usize) -> Self {
        Selection {
            required: (0..concepts).collect(),
            mentions: false,
            relaxation: None,
        }
    }
}

/// Builds the set's queries for one plan.
pub struct ResultSet<'a> {
    fields: &'a Fields,
    plan: &'a Plan,
    concepts: Vec<&'a Concept>,
    weights: &'a Weights,
    home: &'a str,
}

impl<'a> ResultSet<'a> {
    /// The set of a plan; `home` is the corpus's own country, which a query may name without
    /// being about it.
    pub fn new(fields: &'a Fields, plan: &'a Plan, weights: &'a Weights, home: &'a str) -> Self {
        ResultSet {
            fields,
            plan,
            concepts: plan.concepts().collect(),
            weights,
            home,
        }
    }

    fn is_foreign_country(&self, i: usize) -> bool {
        self.concepts[i]
            .country
            .as_deref()
            .is_some_and(|c| c != self.home)
    }

    /// Step 1 of relaxation, which needs no count: every concept but the words no document says.
    pub fn begin(&self, searcher: &Searcher) -> Start {
        // A concept no document says goes first (it can only empty the set), then the most
        // frequent: the concepts whose absence costs the least. A foreign country the query names
        // is what it is about, and is never let go.
        let mut by_df: Vec<(u64, usize)> = (0..self.concepts.len())
            .filter(|&i| !self.is_foreign_country(i))
            .map(|i| (concept_df(searcher, self.fields, self.concepts[i]), i))
            .collect();
        by_df.sort_by(|a, b| {
            (a.0 > 0)
                .cmp(&(b.0 > 0))
                .then(b.0.cmp(&a.0))
                .then(b.1.cmp(&a.1))
        });
        let mut selection = Selection::all(self.concepts.len());
        let mut dropped = Vec::new();
        // 1. A word no document says is let go at once: no document says every concept.
        for &(_, i) in by_df.iter().filter(|(df, _)| *df == 0) {
            if selection.required.len() < 2 {
                break;
            }
            selection.required.retain(|&r| r != i);
            dropped.push(i);
        }
        let enough = tiny_below(self.weights.relax_below, searcher.num_docs());
        Start {
            selection,
            by_df,
            dropped,
            enough,
        }
    }

    /// Steps 2 and 3, given how many documents (without filters) match the selection of
    /// [`ResultSet::begin`]: widens it until enough match, and says what was given up.
    pub fn widen(
        &self,
        searcher: &Searcher,
        start: Start,
        mut found: usize,
        deadline: &Deadline,
    ) -> Result<Selection, SearchError> {
        let Start {
            selection: mut chosen,
            by_df,
            mut dropped,
            enough,
        } = start;
        let count = |chosen: &Selection| -> Result<usize, SearchError> {
            let q = deadline.bound(self.query(chosen, &Filters::default(), None));
            let n = searcher.search(&*q, &Count)?;
            deadline.check()?;
            Ok(n)
        };
        let exact = if dropped.is_empty() { found } else { 0 };
        // 2. A foreign country matched where it is only mentioned, too.
        let countries: Vec<usize> = chosen
            .required
            .iter()
            .copied()
            .filter(|&i| self.is_foreign_country(i))
            .collect();
        if found < enough && !countries.is_empty() {
            chosen.mentions = true;
            found = count(&chosen)?;
        }
        // 3. The most frequent concepts let go, one at a time; a query naming a foreign country
        //    keeps at least one concept besides it (the country alone is not what was asked).
        let keep_one = usize::from(!countries.is_empty());
        for (_, i) in by_df.into_iter().filter(|(df, _)| *df > 0) {
            let others = chosen.required.len() - countries.len();
            if found >= enough || chosen.required.len() < 2 || others <= keep_one {
                break;
            }
            chosen.required.retain(|&r| r != i);
            dropped.push(i);
            found = count(&chosen)?;
        }
        if !dropped.is_empty() || chosen.mentions {
            chosen.relaxation = Some(Relaxation {
                dropped: dropped
                    .into_iter()
                    .map(|i| self.concepts[i].as_typed())
                    .collect(),
                exact,
                mentioned: if chosen.mentions {
                    countries
                        .iter()
                        .filter_map(|&i| self.concepts[i].country.clone())
                        .collect()
                } else {
                    Vec::new()
                },
            });
        }
        Ok(chosen)
    }

    /// The set as a query: the `required` concepts, quoted phrases, exclusions and filters (all but
    /// the dimension `except`, whose facet counts are being taken). Scores nothing.
    pub fn query(
        &self,
        chosen: &Selection,
        filters: &Filters,
        except: Option<Dim>,
    ) -> Box<dyn Query> {
        let required = &chosen.required;
        let (countries, others): (Vec<usize>, Vec<usize>) =
            required.iter().partition(|&&i| self.is_foreign_country(i));
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = countries
            .iter()
            .map(|&i| (Occur::Must, self.concept(i, chosen.mentions)))
            .collect();
        let may_miss = match self.weights.miss_one_in {
            0 => 0,
            every => required.len() / every,
        };
        if may_miss == 0 || others.len() <= may_miss {
            clauses.extend(
                others
                    .iter()
                    .map(|&i| (Occur::Must, self.concept(i, false))),
            );
        } else {
            let need = others.len() - may_miss;
            clauses.push((
                Occur::Must,
                Box::new(SparseUnion::at_least(
                    others.iter().map(|&i| self.concept(i, false)).collect(),
                    need,
                )),
            ));
        }
        for p in &self.plan.phrases {
            clauses.push((Occur::Must, self.form(p)));
        }
        for q in filters.clauses(self.fields, except) {
            clauses.push((Occur::Must, q));
        }
        if clauses.is_empty() {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        for e in &self.plan.excluded {
            clauses.push((Occur::MustNot, self.form(e)));
        }
        Box::new(Unscored(Box::new(BooleanQuery::new(clauses))))
    }

    /// One concept: a union of every way of saying it. A foreign country is matched by the
    /// documents about it (its country facet: named in the title or more than once), not by a
    /// passing mention.
    fn concept(&self, i: usize, mentions: bool) -> Box<dyn Query> {
        let f = self.fields;
        let c = self.concepts[i];
        if self.is_foreign_country(i) && !mentions {
            if let Some(country) = &c.country {
                return basic(f.country, country);
            }
        }
        let mut ways: Vec<Box<dyn Query>> = Vec::new();
        if c.capitals {
            ways.push(self.capitals(&c.terms));
        } else {
            ways.push(self.form(&c.terms));
        }
        let mut phrased = !c.capitals && is_phrase(&c.terms);
        for a in &c.alternatives {
            // A longer name that says the concept's own words (`Cộng hòa xã hội chủ nghĩa Việt
            // Nam` for `Việt Nam`) finds no document the concept's form does not: asking it is
            // all cost (ranking still rewards it, through the evidence).
            if !c.capitals && says_form(a, &c.terms) {
                continue;
            }
            ways.push(self.alternative(a));
            phrased |= !a.capitals && is_phrase(&a.terms);
        }
        if let Some(country) = &c.country {
            ways.push(basic(f.country, country));
        }
        any_of(ways, phrased)
    }

    fn alternative(&self, a: &Alternative) -> Box<dyn Query> {
        if a.capitals {
            self.capitals(&a.terms)
        } else {
            self.form(&a.terms)
        }
    }

    /// Tokens a text writes in capitals: every one of them (an acronym written in several tokens,
    /// `TP HCM`, has each).
    fn capitals(&self, keys: &[QTerm]) -> Box<dyn Query> {
        match keys {
            [] => Box::new(EmptyQuery),
            [one] => basic(self.fields.capitals, &one.folded),
            many => Box::new(BooleanQuery::new(
                many.iter()
                    .map(|k| (Occur::Must, basic(self.fields.capitals, &k.folded)))
                    .collect(),
            )),
        }
    }

    /// A form in the title or the body: a syllable as a term (exact when typed with diacritics,
    /// folded otherwise); two syllables as their bigram (a pair never spans punctuation, like a
    /// phrase, and needs no positions); longer forms as a phrase led by their bigrams. A syllable
    /// typed with diacritics must be spelled so in the same field.
    fn form(&self, terms: &[QTerm]) -> Box<dyn Query> {
        let one = |views: Views| -> Box<dyn Query> {
            match terms {
                [] => Box::new(EmptyQuery),
                [one] if one.diacritics => basic(views.exact, &one.exact),
                [one] => basic(views.folded, &one.folded),
                [a, b] => {
                    let mut clauses = vec![(
                        Occur::Must,
                        basic(views.bigrams, &bigram::key(&a.folded, &b.folded)),
                    )];
                    clauses.extend(spellings(views, terms));
                    Box::new(BooleanQuery::new(clauses))
                }
                _ => phrase(views, terms),
            }
        };
        any_of(
            vec![
                one(Views::body(self.fields)),
                one(Views::title(self.fields)),
            ],
            is_phrase(terms),
        )
    }
}

/// Whether every document matching the alternative `a` matches the form `terms` too: `a` is
/// longer and says `terms` as consecutive syllables (matched in the same title or body), spelled
/// as typed where they were typed with diacritics. A pair of its syllables is a bigram of that
/// field and each syllable spelled with diacritics is required as spelled, which is what the
/// form asks (see [`ResultSet::form`]), in the same view. One pair against one syllable typed
/// without diacritics is the exception: the pair is in the bigram view, the syllable in the
/// folded one, and a text past the token cap can hold the first and not the second.
fn says_form(a: &Alternative, terms: &[QTerm]) -> bool {
    let pair_for_folded_syllable = matches!(terms, [one] if !one.diacritics) && a.terms.len() == 2;
    !a.capitals
        && !pair_for_folded_syllable
        && !terms.is_empty()
        && a.terms.len() > terms.len()
        && a.terms.windows(terms.len()).any(|w| {
            w.iter().zip(terms).all(|(said, typed)| {
                said.folded == typed.folded
                    && (!typed.diacritics || said.diacritics && said.exact == typed.exact)
            })
        })
}

/// Whether a form is matched as a phrase (positions compared), not as terms.
fn is_phrase(terms: &[QTerm]) -> bool {
    terms.len() > 2
}

/// Documents matching any of `ways`. A union holding a phrase is sparse: tantivy's union answers
/// a seek by moving every way through a window of 4,096 documents ahead, which makes a phrase
/// compare positions in every document of the window that has its pairs, although the set only
/// asks about a few of them (the intersection's other concepts or a filter lead it). The sparse
/// union moves each way only to the document asked for ([`crate::union`]).
fn any_of(ways: Vec<Box<dyn Query>>, phrased: bool) -> Box<dyn Query> {
    if phrased {
        return Box::new(SparseUnion::new(ways, Combine::Sum));
    }
    Box::new(BooleanQuery::new(
        ways.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

/// How few documents make a set tiny: [`Weights::relax_below`], but no more than one per
/// thousand documents of the corpus (plus one), so that on a small corpus a handful of exact
/// matches is an answer and only an empty set is relaxed.
fn tiny_below(relax_below: usize, num_docs: u64) -> usize {
    let per_thousand = usize::try_from(num_docs / 1000).unwrap_or(usize::MAX);
    relax_below.min(per_thousand.saturating_add(1))
}

/// A term that only has to be present.
fn basic(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::Basic,
    ))
}

#[cfg(test)]
mod tests {
    use super::{says_form, tiny_below};
    use crate::query::{AltKind, Alternative, QTerm};

    /// Syllables as typed: `(exact, folded)`; diacritics when they differ.
    fn typed(words: &[(&str, &str)]) -> Vec<QTerm> {
        words
            .iter()
            .map(|(exact, folded)| QTerm {
                exact: exact.to_string(),
                folded: folded.to_string(),
                diacritics: exact != folded,
                stop: false,
            })
            .collect()
    }

    fn alias(words: &[(&str, &str)]) -> Alternative {
        Alternative {
            terms: typed(words),
            kind: AltKind::Alias,
            capitals: false,
        }
    }

    /// `Cộng hòa xã hội chủ nghĩa Việt Nam` says `Việt Nam`: every document naming the republic
    /// names the country as typed, so the set need not ask for it.
    #[test]
    fn a_longer_name_saying_the_concept_adds_nothing_to_the_set() {
        let viet_nam = typed(&[("việt", "viet"), ("nam", "nam")]);
        let republic = alias(&[
            ("cộng", "cong"),
            ("hòa", "hoa"),
            ("xã", "xa"),
            ("hội", "hoi"),
            ("chủ", "chu"),
            ("nghĩa", "nghia"),
            ("việt", "viet"),
            ("nam", "nam"),
        ]);
        assert!(says_form(&republic, &viet_nam));
        // `Lào` inside `Cộng hòa Dân chủ Nhân dân Lào`: one syllable, at the end.
        let laos = typed(&[("lào", "lao")]);
        let pdr = alias(&[
            ("cộng", "cong"),
            ("hòa", "hoa"),
            ("dân", "dan"),
            ("chủ", "chu"),
            ("nhân", "nhan"),
            ("dân", "dan"),
            ("lào", "lao"),
        ]);
        assert!(says_form(&pdr, &laos));
        // A pair for one syllable typed without diacritics is kept: the two are in different
        // views, each cut at the token cap on its own.
        assert!(!says_form(
            &alias(&[("nam", "nam"), ("hàn", "han")]),
            &typed(&[("han", "han")])
        ));
        assert!(says_form(
            &alias(&[("nam", "nam"), ("hàn", "han")]),
            &typed(&[("hàn", "han")])
        ));
    }

    /// `Socialist Republic of Viet Nam` does not spell `Việt` as typed, so it can find documents
    /// `Việt Nam` does not; typed without diacritics (`viet nam`), the query matches it folded.
    #[test]
    fn a_name_spelling_the_concept_otherwise_is_still_asked() {
        let english = alias(&[
            ("socialist", "socialist"),
            ("republic", "republic"),
            ("of", "of"),
            ("viet", "viet"),
            ("nam", "nam"),
        ]);
        assert!(!says_form(
            &english,
            &typed(&[("việt", "viet"), ("nam", "nam")])
        ));
        assert!(says_form(
            &english,
            &typed(&[("viet", "viet"), ("nam", "nam")])
        ));
        // Not said in a row: `Nam Việt` is not `Việt Nam`.
        let reversed = alias(&[("nước", "nuoc"), ("nam", "nam"), ("việt", "viet")]);
        assert!(!says_form(
            &reversed,
            &typed(&[("việt", "viet"), ("nam", "nam")])
        ));
        // An acronym matches in capitals only: never taken for the words it spells.
        let mut capitals = alias(&[("viet", "viet"), ("nam", "nam"), ("news", "news")]);
        capitals.capitals = true;
        assert!(!says_form(
            &capitals,
            &typed(&[("viet", "viet"), ("nam", "nam")])
        ));
    }

    #[test]
    fn a_large_corpus_relaxes_below_the_weight() {
        assert_eq!(tiny_below(10, 38_098), 10);
    }

    #[test]
    fn a_small_corpus_relaxes_only_an_empty_set() {
        assert_eq!(tiny_below(10, 5), 1);
        assert_eq!(tiny_below(10, 2_500), 3);
    }
}
