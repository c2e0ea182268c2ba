//! `GET /api/documents/{id}`: one whole document with its metadata.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::Json;
use serde::Serialize;

use hoptac_indexer::Document;

use crate::http::error::{AppError, ErrorBody};
use crate::http::params;
use crate::http::state::AppState;

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
}

impl From<Document> for DocumentBody {
    fn from(d: Document) -> Self {
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
        }
    }
}

/// One document by id.
#[utoipa::path(
    get,
    path = "/api/documents/{id}",
    tag = "documents",
    params(("id" = String, Path, description = "Document id (its corpus-relative path; `/` allowed)")),
    responses(
        (status = 200, description = "The document", body = DocumentBody),
        (status = 404, description = "No document with this id", body = ErrorBody),
    )
)]
pub async fn document(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Json<DocumentBody>, AppError> {
    let Path(id) = id.map_err(|e| AppError::bad_parameter(e.body_text()))?;
    params::only(raw.as_deref().unwrap_or(""), &[])?;
    let doc = state.blocking(move |e| e.document(&id)).await?;
    Ok(Json(doc.into()))
}
