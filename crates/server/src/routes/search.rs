//! `GET /api/search`: ranked hits with highlighted snippets, and facet counts.

use std::time::Instant;

use axum::extract::{RawQuery, State};
use axum::http::HeaderName;
use axum::response::IntoResponse;
use axum::Json;
use serde::Serialize;

use crate::error::{AppError, ErrorBody};
use crate::params::{SearchParams, Unknown};
use crate::state::AppState;
use hoptac_search::{FacetCountsByDim, Hit, Relaxation};

/// A page of results.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchBody {
    /// Documents in the result set: those about the query (every concept said, in one of its
    /// forms), narrowed by the filters.
    pub total: usize,
    /// True when too few documents say every concept, so the set demands fewer of them.
    pub relaxed: bool,
    /// When `relaxed`: the concepts no longer demanded and how many documents say them all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relaxation: Option<Relaxation>,
    /// The query as it was searched, when it was read differently from how it was typed: Telex or
    /// VNI keystrokes decoded (`howpj tacs` → `hợp tác`), a mistyped word corrected (`thôgn` →
    /// `thông`). Absent for a query searched as typed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corrected: Option<String>,
    /// Time the engine took, milliseconds.
    pub took_ms: f64,
    /// This page, from 1.
    pub page: u64,
    /// Results per page.
    pub per_page: u64,
    /// The results of this page, best first (newest first when there is no query text).
    pub hits: Vec<Hit>,
    /// Counts per facet value, each dimension counted with every OTHER filter applied, so the
    /// alternatives to a chosen value keep their counts.
    pub facets: FacetCountsByDim,
}

/// Searches the index.
#[utoipa::path(
    get,
    path = "/api/search",
    tag = "search",
    params(SearchParams),
    responses(
        (status = 200, description = "Results and facet counts", body = SearchBody),
        (status = 400, description = "A parameter is unknown or out of range", body = ErrorBody),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<impl IntoResponse, AppError> {
    let started = Instant::now();
    let params = SearchParams::parse(raw.as_deref().unwrap_or(""), Unknown::Reject)?;
    let request = params.request();
    let (res, cached) = state.search(request).await?;
    // A kept answer took no engine time: say how long it took to find it.
    let took_ms = if cached {
        started.elapsed().as_secs_f64() * 1000.0
    } else {
        res.took_ms
    };
    let body = SearchBody {
        total: res.total,
        relaxed: res.relaxed,
        relaxation: res.relaxation.clone(),
        corrected: res.corrected.clone(),
        // Microseconds are noise at this scale; round so the JSON stays readable.
        took_ms: (took_ms * 1000.0).round() / 1000.0,
        page: params.page(),
        per_page: params.per_page(),
        hits: res.hits.clone(),
        facets: res.facets.clone(),
    };
    let cache = if cached { "hit" } else { "miss" };
    Ok(([(CACHE_HEADER, cache)], Json(body)))
}

/// Whether an answer came from the cache of repeated searches (`hit`) or the engine (`miss`).
pub const CACHE_HEADER: HeaderName = HeaderName::from_static("x-hoptac-cache");
