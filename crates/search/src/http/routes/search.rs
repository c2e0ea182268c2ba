//! `GET /api/search`: ranked hits with highlighted snippets, and facet counts.

use axum::extract::{RawQuery, State};
use axum::Json;
use serde::Serialize;

use crate::http::error::{AppError, ErrorBody};
use crate::http::params::{SearchParams, Unknown};
use crate::http::state::AppState;
use crate::{FacetCountsByDim, Hit};

/// A page of results.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchBody {
    /// Matching documents in all.
    pub total: usize,
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
) -> Result<Json<SearchBody>, AppError> {
    let params = SearchParams::parse(raw.as_deref().unwrap_or(""), Unknown::Reject)?;
    let request = params.request();
    let res = state.blocking(move |e| e.search(&request)).await?;
    Ok(Json(SearchBody {
        total: res.total,
        // Microseconds are noise at this scale; round so the JSON stays readable.
        took_ms: (res.took_ms * 1000.0).round() / 1000.0,
        page: params.page(),
        per_page: params.per_page(),
        hits: res.hits,
        facets: res.facets,
    }))
}
