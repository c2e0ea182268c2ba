//! Facet counts: per dimension, for the query with every OTHER filter applied.
//!
//! That is the usual faceted-search convention: choosing `Hàn Quốc` narrows the results, but the
//! country list still shows Nhật Bản with its count, so the user can switch or add to the choice.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::rank::{Dim, Filters};

/// One facet value and how many documents have it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetValue {
    /// The value (`Hàn Quốc`, `2010`).
    pub value: String,
    /// Matching documents.
    pub count: u64,
}

/// Counts of every dimension.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetCountsByDim {
    /// Countries.
    pub country: Vec<FacetValue>,
    /// Ministries.
    pub ministry: Vec<FacetValue>,
    /// Years, oldest first.
    pub year: Vec<FacetValue>,
    /// Topics.
    pub topic: Vec<FacetValue>,
}

impl FacetCountsByDim {
    /// The counts of one dimension.
    pub fn get_mut(&mut self, dim: Dim) -> &mut Vec<FacetValue> {
        match dim {
            Dim::Country => &mut self.country,
            Dim::Ministry => &mut self.ministry,
            Dim::Year => &mut self.year,
            Dim::Topic => &mut self.topic,
        }
    }
}

/// The facets of one segment, read once: each document's facet ordinals (sorted, distinct) and
/// each ordinal's `(dimension, value)` (`None` for the `/dim` roots). Counting then reads two flat
/// arrays per document instead of tantivy's multi-valued column and its dictionary.
struct SegmentFacets {
    /// `ords[starts[d]..starts[d + 1]]` are document `d`'s ordinals.
    starts: Vec<u32>,
    ords: Vec<u32>,
    labels: Vec<Option<(Dim, String)>>,
}

impl SegmentFacets {
    fn read(segment: &SegmentReader, field: &str) -> tantivy::Result<SegmentFacets> {
        let reader = segment.facet_reader(field)?;
        let mut labels = vec![None; reader.num_facets()];
        let mut terms = reader.facet_dict().stream()?;
        while terms.advance() {
            let ord = terms.term_ord() as usize;
            let Ok(facet) = Facet::from_encoded(terms.key().to_vec()) else {
                continue;
            };
            let path = facet.to_path();
            if let ([root, value], Some(slot)) = (path.as_slice(), labels.get_mut(ord)) {
                if let Some(dim) = Dim::ALL.into_iter().find(|d| d.name() == *root) {
                    *slot = Some((dim, value.to_string()));
                }
            }
        }
        let max_doc = segment.max_doc();
        let mut starts = Vec::with_capacity(max_doc as usize + 1);
        let mut ords = Vec::new();
        for doc in 0..max_doc {
            starts.push(ords.len() as u32);
            let from = ords.len();
            for ord in reader.facet_ords(doc) {
                if ords.len() == from || ords.last() != Some(&(ord as u32)) {
                    ords.push(ord as u32);
                }
            }
        }
        starts.push(ords.len() as u32);
        Ok(SegmentFacets {
            starts,
            ords,
            labels,
        })
    }
}

/// Facets per segment, kept across searches: a segment never changes, so it is read once.
/// tantivy's own `FacetCollector` streams the facet dictionary, reads the multi-valued column and
/// looks up each counted ordinal's term on every search — a tenth of an average query's time.
#[derive(Clone, Default)]
pub struct SegmentFacetsCache(Arc<Mutex<HashMap<SegmentId, Arc<SegmentFacets>>>>);

impl SegmentFacetsCache {
    /// Forgets the segments a searcher no longer has (merged away, deleted).
    pub fn retain(&self, searcher: &Searcher) {
        let live: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|s| s.segment_id())
            .collect();
        self.lock().retain(|id, _| live.contains(id));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SegmentId, Arc<SegmentFacets>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn facets(&self, segment: &SegmentReader, field: &str) -> tantivy::Result<Arc<SegmentFacets>> {
        if let Some(f) = self.lock().get(&segment.segment_id()) {
            return Ok(Arc::clone(f));
        }
        // Read outside the lock: a large segment takes a moment, and other searches go on.
        let facets = Arc::new(SegmentFacets::read(segment, field)?);
        self.lock()
            .insert(segment.segment_id(), Arc::clone(&facets));
        Ok(facets)
    }
}

/// Counts per value of each wanted dimension.
#[derive(Clone, Debug, Default)]
pub struct Tally([HashMap<String, u64>; 4]);

fn slot(dim: Dim) -> usize {
    match dim {
        Dim::Country => 0,
        Dim::Ministry => 1,
        Dim::Year => 2,
        Dim::Topic => 3,
    }
}

/// Counts the facet values of the given dimensions among the matching documents.
pub struct DimCounter {
    field: String,
    wanted: [bool; 4],
    cache: SegmentFacetsCache,
}

/// A collector of the given dimensions, reading segments through the engine's cache.
pub fn collector(field_name: &str, dims: &[Dim], cache: &SegmentFacetsCache) -> DimCounter {
    let mut wanted = [false; 4];
    for d in dims {
        wanted[slot(*d)] = true;
    }
    DimCounter {
        field: field_name.to_string(),
        wanted,
        cache: cache.clone(),
    }
}

/// [`DimCounter`] on one segment: a count per facet ordinal.
pub struct DimSegmentCounter {
    facets: Arc<SegmentFacets>,
    wanted: [bool; 4],
    counts: Vec<u32>,
}

impl Collector for DimCounter {
    type Fruit = Tally;
    type Child = DimSegmentCounter;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<DimSegmentCounter> {
        let facets = self.cache.facets(segment, &self.field)?;
        Ok(DimSegmentCounter {
            counts: vec![0; facets.labels.len()],
            facets,
            wanted: self.wanted,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Tally>) -> tantivy::Result<Tally> {
        let mut out = Tally::default();
        for fruit in fruits {
            for (into, from) in out.0.iter_mut().zip(fruit.0) {
                for (value, n) in from {
                    *into.entry(value).or_default() += n;
                }
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for DimSegmentCounter {
    type Fruit = Tally;

    fn collect(&mut self, doc: DocId, _: Score) {
        let f = &*self.facets;
        let (Some(&from), Some(&to)) = (f.starts.get(doc as usize), f.starts.get(doc as usize + 1))
        else {
            return;
        };
        for &ord in &f.ords[from as usize..to as usize] {
            if let Some(c) = self.counts.get_mut(ord as usize) {
                *c += 1;
            }
        }
    }

    fn harvest(self) -> Tally {
        let mut out = Tally::default();
        for (ord, &n) in self.counts.iter().enumerate() {
            if n == 0 {
                continue;
            }
            if let Some(Some((dim, value))) = self.facets.labels.get(ord) {
                if self.wanted[slot(*dim)] {
                    *out.0[slot(*dim)].entry(value.clone()).or_default() += u64::from(n);
                }
            }
        }
        out
    }
}

/// The chosen values of one filtered dimension, as a test of a document's facets: the same
/// documents as the filter's query ([`Filters::clauses`]: the dimension's values are indexed as
/// terms and as facets alike), decided from the facets a counting pass already reads.
#[derive(Clone, Debug)]
pub struct DimFilter {
    dim: Dim,
    /// Any of these values (country, ministry, topic).
    values: Vec<String>,
    /// Any of these years, from `year_from` to `year_to` (year).
    years: Vec<u64>,
    year_from: Option<u64>,
    year_to: Option<u64>,
}

impl DimFilter {
    /// The filter of `filters` on `dim`.
    pub fn of(filters: &Filters, dim: Dim) -> DimFilter {
        DimFilter {
            dim,
            values: filters.chosen(dim).to_vec(),
            years: filters.year.clone(),
            year_from: filters.year_from,
            year_to: filters.year_to,
        }
    }

    /// Whether a document with the facet `value` of dimension `dim` passes.
    fn accepts(&self, dim: Dim, value: &str) -> bool {
        if dim != self.dim {
            return false;
        }
        if dim != Dim::Year {
            return self.values.iter().any(|v| v == value);
        }
        let Ok(year) = value.parse::<u64>() else {
            return false;
        };
        (self.years.is_empty() || self.years.contains(&year))
            && self.year_from.is_none_or(|from| year >= from)
            && self.year_to.is_none_or(|to| year <= to)
    }
}

/// `inner` over the documents that pass `filter`: a set counted on its text alone (for relaxing,
/// and for the filtered dimension's own counts) is counted with the filter in the same pass,
/// instead of walking its query a second time with the filter as a clause.
pub struct Within<C> {
    filter: DimFilter,
    inner: C,
    field: String,
    cache: SegmentFacetsCache,
}

/// `inner` over the documents of the facet field `field_name` that pass `filter`.
pub fn within<C: Collector>(
    field_name: &str,
    filter: DimFilter,
    inner: C,
    cache: &SegmentFacetsCache,
) -> Within<C> {
    Within {
        filter,
        inner,
        field: field_name.to_string(),
        cache: cache.clone(),
    }
}

/// [`Within`] on one segment: which facet ordinals pass, and the inner collector.
pub struct WithinSegment<C> {
    facets: Arc<SegmentFacets>,
    passing: Vec<bool>,
    inner: C,
    /// The documents of a block that pass.
    block: Vec<DocId>,
}

impl<C: SegmentCollector> WithinSegment<C> {
    fn passes(&self, doc: DocId) -> bool {
        let f = &*self.facets;
        let (Some(&from), Some(&to)) = (f.starts.get(doc as usize), f.starts.get(doc as usize + 1))
        else {
            return false;
        };
        f.ords[from as usize..to as usize]
            .iter()
            .any(|&ord| self.passing.get(ord as usize) == Some(&true))
    }
}

impl<C: Collector> Collector for Within<C> {
    type Fruit = C::Fruit;
    type Child = WithinSegment<C::Child>;

    fn for_segment(
        &self,
        ordinal: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let facets = self.cache.facets(segment, &self.field)?;
        let passing = facets
            .labels
            .iter()
            .map(|label| {
                label
                    .as_ref()
                    .is_some_and(|(dim, value)| self.filter.accepts(*dim, value))
            })
            .collect();
        Ok(WithinSegment {
            facets,
            passing,
            inner: self.inner.for_segment(ordinal, segment)?,
            block: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.inner.requires_scoring()
    }

    fn merge_fruits(
        &self,
        fruits: Vec<<C::Child as SegmentCollector>::Fruit>,
    ) -> tantivy::Result<C::Fruit> {
        self.inner.merge_fruits(fruits)
    }
}

impl<C: SegmentCollector> SegmentCollector for WithinSegment<C> {
    type Fruit = C::Fruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.passes(doc) {
            self.inner.collect(doc, score);
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        let mut block = std::mem::take(&mut self.block);
        block.clear();
        block.extend(docs.iter().copied().filter(|&d| self.passes(d)));
        if !block.is_empty() {
            self.inner.collect_block(&block);
        }
        self.block = block;
    }

    fn harvest(self) -> C::Fruit {
        self.inner.harvest()
    }
}

/// Reads one dimension's values out of collected counts: most frequent first (years: oldest first),
/// at most `limit` (years: all).
/// [`values`], and after them the `chosen` values that did not make the cut, with their counts
/// (a value the user filtered by keeps its count on the page, however far down the list it is).
pub fn values_keeping(
    counts: &Tally,
    dim: Dim,
    limit: usize,
    chosen: &[String],
) -> Vec<FacetValue> {
    let mut out = values(counts, dim, limit);
    for c in chosen {
        if !out.iter().any(|v| &v.value == c) {
            if let Some(&count) = counts.0[slot(dim)].get(c) {
                out.push(FacetValue {
                    value: c.clone(),
                    count,
                });
            }
        }
    }
    out
}

pub fn values(counts: &Tally, dim: Dim, limit: usize) -> Vec<FacetValue> {
    let mut out: Vec<FacetValue> = counts.0[slot(dim)]
        .iter()
        .map(|(value, &count)| FacetValue {
            value: value.clone(),
            count,
        })
        .collect();
    if dim == Dim::Year {
        out.sort_by(|a, b| a.value.cmp(&b.value));
    } else {
        most_frequent(&mut out, limit);
    }
    out
}

/// Keeps the `limit` values with the most documents, most first (ties by value).
fn most_frequent(values: &mut Vec<FacetValue>, limit: usize) {
    values.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
    values.truncate(limit);
}

/// The `limit` years with the most documents, oldest first: [`values`] gives every year (the
/// page's histogram draws them all); an API's `limit` holds for years too.
pub fn most_frequent_years(mut years: Vec<FacetValue>, limit: usize) -> Vec<FacetValue> {
    most_frequent(&mut years, limit);
    years.sort_by(|a, b| a.value.cmp(&b.value));
    years
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::FacetCollector;
    use tantivy::query::{AllQuery, TermQuery};
    use tantivy::schema::{FacetOptions, IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index, Term};

    /// Counts what tantivy's own facet collector counts, over several segments, deletes included,
    /// and keeps each dimension to itself.
    #[test]
    fn counts_as_tantivys_facet_collector() {
        let mut b = Schema::builder();
        let body = b.add_text_field("body", TEXT);
        let facets = b.add_facet_field("facets", FacetOptions::default());
        let index = Index::create_in_ram(b.build());
        let mut w = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let docs: [(&str, &[&str]); 5] = [
            (
                "hợp tác",
                &["/country/Hàn Quốc", "/country/Nhật Bản", "/year/2010"],
            ),
            (
                "hợp tác xã",
                &["/country/Hàn Quốc", "/ministry/Bộ Tài chính"],
            ),
            (
                "hợp tác",
                &["/country/Lào", "/year/2010", "/topic/giáo dục"],
            ),
            ("thời tiết", &["/country/Hàn Quốc"]),
            ("hợp tác", &["/year/2011"]),
        ];
        for (i, (text, fs)) in docs.iter().enumerate() {
            let mut d = doc!(body => *text);
            for f in *fs {
                d.add_facet(facets, Facet::from(*f));
            }
            w.add_document(d).unwrap();
            if i == 2 {
                w.commit().unwrap();
            }
        }
        w.delete_term(Term::from_field_text(body, "xã"));
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() >= 2);
        let cache = SegmentFacetsCache::default();
        let q = TermQuery::new(Term::from_field_text(body, "hợp"), IndexRecordOption::Basic);
        for query in [&q as &dyn tantivy::query::Query, &AllQuery] {
            let ours = searcher
                .search(query, &collector("facets", &Dim::ALL, &cache))
                .unwrap();
            let mut theirs = FacetCollector::for_field("facets");
            for d in Dim::ALL {
                theirs.add_facet(Facet::from_path([d.name()]));
            }
            let theirs = searcher.search(query, &theirs).unwrap();
            for d in Dim::ALL {
                let mut expected: Vec<FacetValue> = theirs
                    .get(Facet::from_path([d.name()]))
                    .map(|(f, count)| FacetValue {
                        value: f.to_path().last().unwrap().to_string(),
                        count,
                    })
                    .collect();
                expected.sort_by(|a, b| a.value.cmp(&b.value));
                let mut got = values(&ours, d, 100);
                got.sort_by(|a, b| a.value.cmp(&b.value));
                assert_eq!(got, expected, "{d:?}");
            }
        }
        let korea = values(
            &searcher
                .search(&q, &collector("facets", &[Dim::Country], &cache))
                .unwrap(),
            Dim::Country,
            10,
        );
        assert_eq!(korea[0].value, "Hàn Quốc");
        assert_eq!(korea[0].count, 1, "the deleted document is not counted");
        let only_country = searcher
            .search(&q, &collector("facets", &[Dim::Country], &cache))
            .unwrap();
        assert!(values(&only_country, Dim::Year, 10).is_empty());
    }
}
