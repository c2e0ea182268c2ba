//! Facet counts: per dimension, for the query with every OTHER filter applied.
//!
//! That is the usual faceted-search convention: choosing `Hàn Quốc` narrows the results, but the
//! country list still shows Nhật Bản with its count, so the user can switch or add to the choice.

use serde::Serialize;
use tantivy::collector::{FacetCollector, FacetCounts};
use tantivy::schema::Facet;

use crate::rank::Dim;

/// One facet value and how many documents have it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FacetValue {
    /// The value (`Hàn Quốc`, `2010`).
    pub value: String,
    /// Matching documents.
    pub count: u64,
}

/// Counts of every dimension.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
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

/// A collector of the given dimensions.
pub fn collector(field_name: &str, dims: &[Dim]) -> FacetCollector {
    let mut c = FacetCollector::for_field(field_name);
    for d in dims {
        c.add_facet(Facet::from_path([d.name()]));
    }
    c
}

/// Reads one dimension's values out of collected counts: most frequent first (years: oldest first),
/// at most `limit` (years: all).
pub fn values(counts: &FacetCounts, dim: Dim, limit: usize) -> Vec<FacetValue> {
    let root = Facet::from_path([dim.name()]);
    let mut out: Vec<FacetValue> = counts
        .get(root)
        .map(|(facet, count)| FacetValue {
            value: facet
                .to_path()
                .last()
                .map(|s| s.to_string())
                .unwrap_or_default(),
            count,
        })
        .collect();
    if dim == Dim::Year {
        out.sort_by(|a, b| a.value.cmp(&b.value));
    } else {
        out.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
        out.truncate(limit);
    }
    out
}
