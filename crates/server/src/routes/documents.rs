//! `GET /api/documents/{id}`: one whole document with its metadata; `GET
//! /api/documents/{id}/related`: the documents most like it (see [`crate::related`]).

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};

use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use hoptac_indexer::Document;

use crate::error::{AppError, ErrorBody};
use crate::params;
use crate::state::AppState;

/// A document as indexed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DocumentBody {
    /// Stable id: the path relative to the corpus folder.
    pub id: String,
    /// Title as written.
    pub title: String,
    /// Full text as written (site furniture removed).
    pub body: String,
    /// ISO date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`), when known.
    pub date: Option<String>,
    /// Year, when known.
    pub year: Option<u64>,
    /// Source URL.
    pub url: Option<String>,
    /// Partner countries.
    pub country: Vec<String>,
    /// Ministries.
    pub ministry: Vec<String>,
    /// Topics.
    pub topic: Vec<String>,
    /// Source format: `txt`, `md`, `html` or `json`.
    pub format: String,
    /// Text encoding of the source file.
    pub encoding: String,
    /// The other publications of the same release (reprints by other outlets), newest first.
    pub duplicates: Vec<hoptac_search::Reprint>,
}

impl DocumentBody {
    fn new(d: Document, duplicates: Vec<hoptac_search::Reprint>) -> Self {
        DocumentBody {
            id: d.id,
            title: d.title,
            body: d.body,
            date: d.date,
            year: d.year,
            url: d.url,
            country: d.country,
            ministry: d.ministry,
            topic: d.topic,
            format: d.format,
            encoding: d.encoding,
            duplicates,
        }
    }
}

/// A document like another, as `/related` lists it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RelatedDocument {
    /// Document id.
    pub id: String,
    /// Title as written.
    pub title: String,
    /// ISO date, when known.
    pub date: Option<String>,
    /// Year, when known.
    pub year: Option<u64>,
    /// Source URL.
    pub url: Option<String>,
    /// How alike (more-like-this score, plus shared countries and topics).
    pub score: f32,
    /// Partner countries.
    pub country: Vec<String>,
    /// Topics.
    pub topic: Vec<String>,
}

/// The documents like one.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RelatedBody {
    /// The document they are like.
    pub id: String,
    /// Most alike first.
    pub related: Vec<RelatedDocument>,
}

/// Related documents when `limit` is not given.
pub const DEFAULT_RELATED: u64 = 10;

/// The OpenAPI entry of `GET /api/documents/{id}/related?limit=N`, the documents most like one. The
/// route is served by [`document`]: ids hold `/`, and axum's router cannot follow a wildcard with
/// another segment, so this function only carries the description.
#[utoipa::path(
    get,
    path = "/api/documents/{id}/related",
    tag = "documents",
    params(
        ("id" = String, Path, description = "Document id"),
        ("limit" = Option<u64>, Query, description = "How many, 1 to 50 (default 10)"),
    ),
    responses(
        (status = 200, description = "The most alike first", body = RelatedBody),
        (status = 400, description = "Not a document id, or limit out of range", body = ErrorBody),
        (status = 404, description = "No document with this id", body = ErrorBody),
    )
)]
#[allow(dead_code)]
fn related_openapi() {}

async fn related(state: AppState, id: String, raw: &str) -> Result<Response, AppError> {
    let mut limit = None;
    for (k, v) in form_urlencoded::parse(raw.as_bytes()) {
        match (k.as_ref(), v.trim().parse::<u64>()) {
            ("limit", Ok(n)) if (1..=hoptac_search::related::MAX_RELATED as u64).contains(&n) => {
                limit = Some(n)
            }
            ("limit", _) => {
                return Err(AppError::bad_parameter(format!(
                    "limit must be a whole number from 1 to {}, not {v:?}",
                    hoptac_search::related::MAX_RELATED
                )))
            }
            (other, _) => return Err(AppError::unknown_parameter(other, &["limit"])),
        }
    }
    let limit = limit.unwrap_or(DEFAULT_RELATED) as usize;
    let of = id.clone();
    let found = state
        .blocking(move |e, deadline| e.related(&of, limit, deadline))
        .await?;
    let related = found
        .into_iter()
        .map(|(score, d)| RelatedDocument {
            id: d.id,
            title: d.title,
            date: d.date,
            year: d.year,
            url: d.url,
            score: (score * 1000.0).round() / 1000.0,
            country: d.country,
            topic: d.topic,
        })
        .collect();
    Ok(Json(RelatedBody { id, related }).into_response())
}

/// One document by id.
#[utoipa::path(
    get,
    path = "/api/documents/{id}",
    tag = "documents",
    params(("id" = String, Path, description = "Document id (its corpus-relative path; `/` allowed)")),
    responses(
        (status = 200, description = "The document", body = DocumentBody),
        (status = 400, description = "Not a document id (`..`, hidden parts, control characters)", body = ErrorBody),
        (status = 404, description = "No document with this id", body = ErrorBody),
    )
)]
pub async fn document(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let Path(id) = id.map_err(|e| AppError::bad_parameter(e.body_text()))?;
    hoptac_indexer::corpus::corpus_relative(&id)?;
    let raw = raw.unwrap_or_default();
    // Ids hold `/`, so `…/related` is told from a document of that name by asking the index: a
    // document named `related` in a folder is served as itself.
    if let Some(of) = id.strip_suffix("/related") {
        let whole = id.clone();
        let exists = state
            .blocking(move |e, _| match e.document(&whole) {
                Ok(_) => Ok(true),
                Err(hoptac_search::SearchError::NotFound(_)) => Ok(false),
                Err(e) => Err(e),
            })
            .await?;
        if !exists {
            return related(state, of.to_string(), &raw).await;
        }
    }
    params::only(&raw, &[])?;
    let (doc, duplicates) = state
        .blocking(move |e, _| Ok((e.document(&id)?, e.reprints(&id)?)))
        .await?;
    Ok(Json(DocumentBody::new(doc, duplicates)).into_response())
}
