//! `GET /api/search.csv` and `GET /api/search.ris`: a whole result set (up to
//! [`MAX_EXPORT`](crate::export::MAX_EXPORT) documents) for a spreadsheet or a reference manager.
//!
//! They take the search's parameters (`page` and `per_page` aside: the export is the set, not a
//! page) and answer the same documents in the same order as `/api/search`, or newest first with
//! `sort=newest`. Not kept in the answer cache: an export is large and seldom repeated.

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::export::{self, MAX_EXPORT};
use crate::params::{SearchParams, Unknown};
use crate::state::AppState;
use hoptac_search::Hit;

/// The whole result set of a search, without snippets.
async fn hits(state: &AppState, raw: Option<&str>) -> Result<Vec<Hit>, AppError> {
    let mut params = SearchParams::parse(raw.unwrap_or(""), Unknown::Reject)?;
    params.page = None;
    params.per_page = None;
    let mut request = params.request();
    request.offset = 0;
    request.limit = MAX_EXPORT;
    request.snippet_chars = 0;
    request.facet_limit = 0;
    state
        .blocking(move |e, deadline| Ok(e.search_within(&request, deadline)?.hits))
        .await
}

fn download(content_type: &'static str, file: &'static str, body: impl IntoResponse) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, HeaderValue::from_static(file)),
        ],
        body,
    )
        .into_response()
}

/// The result set as CSV (UTF-8 with a byte-order mark).
#[utoipa::path(
    get,
    path = "/api/search.csv",
    tag = "search",
    params(SearchParams),
    responses(
        (status = 200, description = "id, title, date, url, countries, ministries, topics, score", content_type = "text/csv"),
        (status = 400, description = "A parameter is unknown or out of range", body = crate::error::ErrorBody),
    )
)]
pub async fn csv(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let hits = hits(&state, raw.as_deref()).await?;
    Ok(download(
        "text/csv; charset=utf-8",
        "attachment; filename=\"hoptac.csv\"",
        export::csv(&hits),
    ))
}

/// The result set as RIS records (`TY  - NEWS`), for Zotero or EndNote.
#[utoipa::path(
    get,
    path = "/api/search.ris",
    tag = "search",
    params(SearchParams),
    responses(
        (status = 200, description = "One RIS record per document", content_type = "application/x-research-info-systems"),
        (status = 400, description = "A parameter is unknown or out of range", body = crate::error::ErrorBody),
    )
)]
pub async fn ris(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let hits = hits(&state, raw.as_deref()).await?;
    Ok(download(
        "application/x-research-info-systems; charset=utf-8",
        "attachment; filename=\"hoptac.ris\"",
        export::ris(&hits),
    ))
}
