//! The search pipeline, from a parsed query to a page, in the order it runs:
//!
//! 1. **Parse** ([`QueryContext::parse`](crate::QueryContext::parse)): the text becomes a [`Plan`]
//!    of concepts, each with its alternatives (acronym, alias, English name, synonym), quoted
//!    phrases and exclusions.
//! 2. **Result set** ([`ResultSet::begin`], [`ResultSet::widen`]): which concepts every document
//!    must say — all of them, a long query allowed to miss one in
//!    [`crate::Weights::miss_one_in`], relaxed when fewer than [`crate::Weights::relax_below`]
//!    documents match (see [`crate::set`]). Without filters the count that decides it is stage
//!    3's own, and the pass runs again only when the set was widened.
//! 3. **The set, counted, then scored**: one unscored pass counts the set and takes the facet
//!    counts of the dimensions not filtered; then the evidence query
//!    ([`Ranker::evidence`](crate::Ranker::evidence): BM25 over the views, phrase and exact
//!    boosts) scores the set whole, or, for a large set its terms mostly find, the best of a
//!    pruned first phase ([`crate::first_phase`]). The set (or its documents) is the `Must`
//!    clause, the evidence only `Should`, so scoring never widens what is counted. With one
//!    dimension filtered, stage 2's pass over the set on its text alone counts the filtered set
//!    too (the filter read from the facets it reads, [`facets::within`]), and stage 3 only scores.
//! 4. **Facets of filtered dimensions**: each counted over the set with the *other* filters, so a
//!    chosen value's alternatives keep their counts. With one dimension filtered those are the
//!    documents stage 2 counted, and its counts are taken in that pass.
//! 5. **Rerank window**: the best [`crate::Weights::rerank_depth`] first-phase results are re-scored by
//!    query coverage ([`crate::coverage`]); deeper results keep first-phase order, so pages
//!    neither repeat nor skip a result.
//! 6. **Collapse** ([`crate::reprints::collapse`]): each reprint group once, at its best-ranked
//!    member; more results are taken when reprints left the page short.
//! 7. **Page**: `offset`, `limit`; snippets and reprint lists are made by the caller
//!    ([`crate::Engine::search`]).
//!
//! A query of filters alone skips 2, 3's scoring and 5: the filtered documents, newest first. So
//! does a search sorted newest first ([`Sort::Newest`], a feed), after stage 2. A query of neither
//! words nor filters (function words alone included) is the whole index, whose order, count and
//! facets are kept per searcher generation ([`crate::whole`]).
//!
//! Every stage stops at the request's [`Deadline`]: its queries are bounded and the rerank and the
//! snippets look at the deadline between documents.

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur};
use tantivy::{DocAddress, Order};

use crate::facets::{self, FacetCountsByDim, Tally};
use crate::first_phase::{self, DocList, SetDocs};
use crate::query::{self, Plan};
use crate::rank::{Dim, Filters, FirstPhase};
use crate::set::{ResultSet, Selection};
use crate::{coverage, reprints, Deadline, Engine, SearchError, Sort};

/// A page of documents from the pipeline, with the set's count and facets.
pub(crate) struct Answer {
    pub(crate) docs: Vec<(f32, DocAddress)>,
    pub(crate) total: usize,
    pub(crate) facets: FacetCountsByDim,
    /// The concepts the set demanded, and what relaxing it gave up.
    pub(crate) selection: Selection,
}

/// The page asked for: which results, and how many values per facet dimension.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Page {
    pub(crate) offset: usize,
    pub(crate) limit: usize,
    pub(crate) facet_limit: usize,
    pub(crate) sort: Sort,
    /// Show each reprint group once, at its best-ranked member.
    pub(crate) collapse: bool,
}

/// How many ranked documents to take for a page: with collapsing, more than the page, since some
/// are reprints of others; [`Engine::answer`] takes more again when that was not enough.
fn to_fetch(page: &Page) -> usize {
    let wanted = page.offset + page.limit;
    if page.collapse {
        wanted * 2 + 10
    } else {
        wanted
    }
}

/// How many ranked documents the next scored pass takes when collapsing reprints left the page
/// short: four times what the last pass took. That is the rerank window at least (a pass takes
/// [`crate::Weights::rerank_depth`] however few the page needs), so growing from what the page
/// wanted instead repeated the same pass when a release had more reprints than the window has
/// pages' worth (at ×30 every document has 29: three passes where two do).
fn next_fetch(fetched: usize, wanted: usize) -> usize {
    fetched.max(wanted) * 4
}

/// What one scored pass over the set found.
struct Pass {
    candidates: Vec<(f32, DocAddress)>,
    count: usize,
    tally: Tally,
    /// Which of the set's documents the evidence scores.
    scope: Scope,
}

/// Which documents of the set the evidence scores (see [`first_phase`]).
enum Scope {
    /// All of them, kept as a list by the counting pass.
    Listed(DocList),
    /// The best of the kept list by the first phase's terms (a large set pruning does not pay
    /// for; see [`first_phase::LIST_PHASE_FACTOR`]).
    ListedFirstPhase { docs: DocList, phase: FirstPhase },
    /// All of them, too many to keep: found again by the set's query.
    Set,
    /// The best of the pruned first phase, of a set of `count` documents (`kept` as a list when
    /// there were few enough).
    FirstPhase {
        count: usize,
        kept: Option<DocList>,
        phase: FirstPhase,
    },
}

impl Engine {
    /// The pipeline from a plan to a page: the result set, its count and facets, its
    /// first-phase order, the rerank window, the page.
    pub(crate) fn answer(
        &self,
        searcher: &tantivy::Searcher,
        plan: &Plan,
        filters: &Filters,
        page: Page,
        deadline: &Deadline,
    ) -> Result<Answer, SearchError> {
        let Page {
            offset,
            limit,
            facet_limit,
            sort,
            collapse,
        } = page;
        let weights = &self.ranker.weights;
        let set = ResultSet::new(&self.fields, plan, weights, self.context.home_country());
        let unfiltered: Vec<Dim> = Dim::ALL.into_iter().filter(|d| !filters.has(*d)).collect();
        let mut facet_counts = FacetCountsByDim::default();
        // The one dimension filtered, if only one is: its counts need no pass of their own.
        let filtered: Vec<Dim> = Dim::ALL.into_iter().filter(|d| filters.has(*d)).collect();
        let lone = match filtered.as_slice() {
            [d] => Some(*d),
            _ => None,
        };
        let (docs, total, selection, mut lone_counts) = if plan.is_empty() || sort == Sort::Newest {
            // Filters only, or newest first: the set in date order, no scoring.
            let selection = if plan.is_empty() {
                Selection::all(0)
            } else {
                let start = set.begin(searcher);
                let found = searcher.search(
                    &*deadline.bound(set.query(&start.selection, &Filters::default(), None)),
                    &Count,
                )?;
                deadline.check()?;
                set.widen(searcher, start, found, deadline)?
            };
            let query = set.query(&selection, filters, None);
            // With neither words nor filters the set is the whole index: its order, count and
            // facets are kept for the searcher's generation instead of walked again.
            let whole = if plan.is_empty() && filters.is_empty() {
                Some(self.whole.get(searcher, &self.facet_cache, deadline)?)
            } else {
                None
            };
            let as_ranked = |docs: Vec<(Option<u64>, DocAddress)>| -> Vec<(f32, DocAddress)> {
                docs.into_iter().map(|(_, a)| (0.0, a)).collect()
            };
            let newest = |n: usize| -> Result<Vec<(f32, DocAddress)>, SearchError> {
                if let Some(whole) = &whole {
                    return Ok(whole
                        .newest
                        .iter()
                        .take(n.max(1))
                        .map(|&a| (0.0, a))
                        .collect());
                }
                let top = TopDocs::with_limit(n.max(1))
                    .order_by_fast_field::<u64>("date_key", Order::Desc);
                let docs = searcher.search(&*deadline.bound(query.box_clone()), &top)?;
                deadline.check()?;
                Ok(as_ranked(docs))
            };
            let mut fetch = to_fetch(&page);
            let (mut docs, count) = match &whole {
                Some(whole) => {
                    for d in &unfiltered {
                        *facet_counts.get_mut(*d) = facets::values(&whole.tally, *d, facet_limit);
                    }
                    (newest(fetch)?, whole.count)
                }
                None => {
                    let top = TopDocs::with_limit(fetch.max(1))
                        .order_by_fast_field::<u64>("date_key", Order::Desc);
                    let (docs, count, counts) = searcher.search(
                        &*deadline.bound(query.box_clone()),
                        &(
                            top,
                            Count,
                            facets::collector("facets", &unfiltered, &self.facet_cache),
                        ),
                    )?;
                    deadline.check()?;
                    for d in &unfiltered {
                        *facet_counts.get_mut(*d) = facets::values(&counts, *d, facet_limit);
                    }
                    (as_ranked(docs), count)
                }
            };
            let mut got = docs.len();
            if collapse {
                docs = reprints::collapse(searcher, docs)?;
                while docs.len() < offset + limit && got < count {
                    fetch *= 4;
                    let more = newest(fetch)?;
                    got = more.len();
                    docs = reprints::collapse(searcher, more)?;
                }
            }
            let page = docs.into_iter().skip(offset).take(limit).collect();
            (page, count, selection, None)
        } else {
            // Without filters the pass counts the set it scores, and that count decides
            // whether to relax: the set is counted once unless it is tiny (a set widened since
            // is passed over again).
            let start = set.begin(searcher);
            let begun = start.selection.clone();
            let wanted = to_fetch(&page);
            let mut lone_counts = None;
            let mut filtered_set = None;
            let (selection, first) = if filters.is_empty() {
                let pass =
                    self.scored_pass(searcher, &set, plan, &begun, filters, wanted, deadline)?;
                (
                    set.widen(searcher, start, pass.count, deadline)?,
                    Some(pass),
                )
            } else {
                // With filters the set is judged on the text alone (see `set`). With one
                // dimension filtered, that dimension's counts are over the same documents (the
                // set with the *other* filters: none), so they are taken in the same pass.
                // The same pass counts the filtered set and its other facets (the filter
                // decided from the facets it reads), which the scored pass then need not count
                // again, unless the set is widened.
                let text = deadline.bound(set.query(&begun, &Filters::default(), None));
                let found = match lone {
                    Some(d) => {
                        let filtered = facets::within(
                            "facets",
                            facets::DimFilter::of(filters, d),
                            self.set_collector(filters),
                            &self.facet_cache,
                        );
                        let (found, counts, counted) = searcher.search(
                            &*text,
                            &(
                                Count,
                                facets::collector("facets", &[d], &self.facet_cache),
                                filtered,
                            ),
                        )?;
                        lone_counts = Some(counts);
                        filtered_set = Some(counted);
                        found
                    }
                    None => searcher.search(&*text, &Count)?,
                };
                deadline.check()?;
                (set.widen(searcher, start, found, deadline)?, None)
            };
            let widened =
                selection.required != begun.required || selection.mentions != begun.mentions;
            if widened {
                lone_counts = None;
                filtered_set = None;
            }
            // The first pass serves unless the set was widened since.
            let pass = match (first, filtered_set) {
                (Some(pass), _) if !widened => pass,
                (_, Some((found, tally))) => self.pass_over(
                    searcher, &set, plan, &selection, filters, found, tally, wanted, deadline,
                )?,
                _ => {
                    self.scored_pass(searcher, &set, plan, &selection, filters, wanted, deadline)?
                }
            };
            for d in &unfiltered {
                *facet_counts.get_mut(*d) = facets::values(&pass.tally, *d, facet_limit);
            }
            let mut got = pass.candidates.len();
            let mut docs = self.ranked(searcher, plan, pass.candidates, deadline)?;
            if collapse {
                docs = reprints::collapse(searcher, docs)?;
                while docs.len() < offset + limit && got < pass.count {
                    let fetch = next_fetch(got, wanted);
                    let more = self.candidates(
                        searcher,
                        &set,
                        plan,
                        &selection,
                        filters,
                        &pass.scope,
                        fetch,
                        deadline,
                    )?;
                    let before = got;
                    got = more.len();
                    docs =
                        reprints::collapse(searcher, self.ranked(searcher, plan, more, deadline)?)?;
                    if got <= before {
                        // Nothing more to rank (a pruned set's documents none of its terms find).
                        break;
                    }
                }
            }
            let page = docs.into_iter().skip(offset).take(limit).collect();
            (page, pass.count, selection, lone_counts)
        };
        for &d in &filtered {
            let counts = match lone_counts.take() {
                Some(counts) => counts,
                None => {
                    let q = deadline.bound(set.query(&selection, filters, Some(d)));
                    let counts = searcher
                        .search(&*q, &facets::collector("facets", &[d], &self.facet_cache))?;
                    deadline.check()?;
                    counts
                }
            };
            *facet_counts.get_mut(d) =
                facets::values_keeping(&counts, d, facet_limit, filters.chosen(d));
        }
        Ok(Answer {
            docs,
            total,
            facets: facet_counts,
            selection,
        })
    }

    /// Stage 3 over the set: its count and the facets of the dimensions not filtered, in one
    /// unscored pass; then the evidence's scores of the best `wanted` (at least the rerank
    /// window), over the whole set when it is small, else over the best of a pruned first phase
    /// (see [`first_phase`]).
    #[allow(clippy::too_many_arguments)]
    fn scored_pass(
        &self,
        searcher: &tantivy::Searcher,
        set: &ResultSet<'_>,
        plan: &Plan,
        selection: &Selection,
        filters: &Filters,
        wanted: usize,
        deadline: &Deadline,
    ) -> Result<Pass, SearchError> {
        let (found, tally) = searcher.search(
            &*deadline.bound(set.query(selection, filters, None)),
            &self.set_collector(filters),
        )?;
        deadline.check()?;
        self.pass_over(
            searcher, set, plan, selection, filters, found, tally, wanted, deadline,
        )
    }

    /// What the counting pass collects of the set: its documents (a list, up to
    /// [`first_phase::WHOLE_LIST`]) and the facets of the dimensions not filtered.
    fn set_collector(&self, filters: &Filters) -> (SetDocs, facets::DimCounter) {
        let unfiltered: Vec<Dim> = Dim::ALL.into_iter().filter(|d| !filters.has(*d)).collect();
        (
            SetDocs::up_to(first_phase::WHOLE_LIST),
            facets::collector("facets", &unfiltered, &self.facet_cache),
        )
    }

    /// Stage 3 after the set is counted (`found`, its facets `tally`): which of its documents
    /// the evidence scores, and their scores.
    #[allow(clippy::too_many_arguments)]
    fn pass_over(
        &self,
        searcher: &tantivy::Searcher,
        set: &ResultSet<'_>,
        plan: &Plan,
        selection: &Selection,
        filters: &Filters,
        found: first_phase::Found,
        tally: Tally,
        wanted: usize,
        deadline: &Deadline,
    ) -> Result<Pass, SearchError> {
        let depth = self.ranker.weights.first_phase;
        let whole = |docs: Option<DocList>| docs.map_or(Scope::Set, Scope::Listed);
        // The first phase's terms are looked up (an alternative's rarest pair) only for a set
        // larger than its depth, once for every pass over the set.
        let scope = if depth == 0 || found.count <= depth {
            whole(found.docs)
        } else {
            let phase = self.ranker.first_phase(plan, searcher);
            if first_phase::worth_pruning(searcher, &phase.terms(), found.count, depth)? {
                Scope::FirstPhase {
                    count: found.count,
                    kept: found.docs,
                    phase,
                }
            } else {
                match found.docs {
                    Some(docs) if docs.len() > first_phase::LIST_PHASE_FACTOR * depth => {
                        Scope::ListedFirstPhase { docs, phase }
                    }
                    docs => whole(docs),
                }
            }
        };
        let candidates = self.candidates(
            searcher, set, plan, selection, filters, &scope, wanted, deadline,
        )?;
        Ok(Pass {
            candidates,
            count: found.count,
            tally,
            scope,
        })
    }

    /// The evidence's best `wanted` (at least the rerank window) of the documents of `scope`, best
    /// first.
    #[allow(clippy::too_many_arguments)]
    fn candidates(
        &self,
        searcher: &tantivy::Searcher,
        set: &ResultSet<'_>,
        plan: &Plan,
        selection: &Selection,
        filters: &Filters,
        scope: &Scope,
        wanted: usize,
        deadline: &Deadline,
    ) -> Result<Vec<(f32, DocAddress)>, SearchError> {
        let take = wanted.max(self.ranker.weights.rerank_depth);
        let scored: Box<dyn tantivy::query::Query> = match scope {
            Scope::Listed(docs) => Box::new(docs.clone()),
            Scope::ListedFirstPhase { docs, phase } => {
                let best = first_phase::best_of_list(
                    searcher,
                    phase,
                    docs,
                    self.ranker.weights.first_phase.max(take),
                    deadline,
                )?;
                Box::new(DocList::new(searcher, &best))
            }
            Scope::Set => set.query(selection, filters, None),
            Scope::FirstPhase { count, kept, phase } => {
                let depth = self.ranker.weights.first_phase.max(take);
                // The set's kept list answers "is this document in the set?" by a lookup; its
                // query would walk the set again (a phrase's positions read twice).
                let members: Box<dyn tantivy::query::Query> = match kept {
                    Some(docs) => Box::new(docs.clone()),
                    None => set.query(selection, filters, None),
                };
                let best = first_phase::best_of_set(searcher, phase, &*members, depth, deadline)?;
                if best.len() < depth.min(*count) {
                    // Documents of the set none of its terms find (a function word typed alone,
                    // an alias found instead): the evidence scores the set whole, so that every
                    // document counted can be paged to.
                    set.query(selection, filters, None)
                } else {
                    Box::new(DocList::new(searcher, &best))
                }
            }
        };
        let query = BooleanQuery::new(vec![
            (Occur::Must, scored),
            (Occur::Should, self.ranker.evidence(plan)),
        ]);
        let candidates = searcher.search(
            &*deadline.bound(Box::new(query)),
            &TopDocs::with_limit(take).order_by_score(),
        )?;
        deadline.check()?;
        Ok(candidates)
    }

    /// First-phase candidates in their final order: the rerank window re-scored, deeper results
    /// after it in first-phase order (the window is fixed, so pages neither repeat nor skip).
    fn ranked(
        &self,
        searcher: &tantivy::Searcher,
        plan: &Plan,
        mut candidates: Vec<(f32, DocAddress)>,
        deadline: &Deadline,
    ) -> Result<Vec<(f32, DocAddress)>, SearchError> {
        let deeper = candidates.split_off(candidates.len().min(self.ranker.weights.rerank_depth));
        let mut docs = self.rescore(searcher, plan, candidates, deadline)?;
        docs.extend(deeper);
        Ok(docs)
    }

    /// The rerank window re-scored by query coverage (see [`coverage`]), best first.
    fn rescore(
        &self,
        searcher: &tantivy::Searcher,
        plan: &Plan,
        docs: Vec<(f32, DocAddress)>,
        deadline: &Deadline,
    ) -> Result<Vec<(f32, DocAddress)>, SearchError> {
        let concepts: Vec<&query::Concept> = plan.concepts().collect();
        coverage::rescore(
            searcher,
            &self.fields,
            &self.ranker.weights,
            &concepts,
            self.context.home_country(),
            docs,
            deadline,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each pass after the first takes more than the last one took, whatever the page wanted.
    #[test]
    fn the_next_pass_takes_more_than_the_last_took() {
        // A page of 10 wants 30 ranked documents, but the pass took the rerank window of 200.
        assert_eq!(next_fetch(200, 30), 800);
        assert!(next_fetch(200, 30) > 200);
        // A pass that took what the page wanted grows from that.
        assert_eq!(next_fetch(30, 30), 120);
    }
}
