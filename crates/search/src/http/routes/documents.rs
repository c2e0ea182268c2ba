//! `GET /api/documents/{id}`: one whole document with its metadata.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use std::path::PathBuf;

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
        (status = 400, description = "Not a document id (`..`, hidden parts, control characters)", body = ErrorBody),
        (status = 404, description = "No document with this id", body = ErrorBody),
    )
)]
pub async fn document(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Json<DocumentBody>, AppError> {
    let Path(id) = id.map_err(|e| AppError::bad_parameter(e.body_text()))?;
    corpus_relative(&id)?;
    params::only(raw.as_deref().unwrap_or(""), &[])?;
    let doc = state.blocking(move |e, _| e.document(&id)).await?;
    Ok(Json(doc.into()))
}

/// A document id as a path inside the corpus, or why it cannot be one: no empty, `.`/`..` or
/// hidden components, no backslashes or control characters (NUL included).
///
/// Every route that takes an id checks it with this one rule — the reads too, though they only look
/// the id up in the index — so a traversal attempt or a control character gets the same 400
/// whichever method carries it, and an id that DELETE would refuse is never served by GET. The
/// indexer skips hidden files, so no indexed id is refused; a file whose name holds a control
/// character or a backslash is searchable but cannot be fetched by id.
pub fn corpus_relative(id: &str) -> Result<PathBuf, AppError> {
    let ok = !id.is_empty()
        && id.len() <= 4096
        && !id.chars().any(|c| c.is_control() || c == '\\')
        && id
            .split('/')
            .all(|part| !part.is_empty() && !part.starts_with('.'));
    if ok {
        Ok(id.split('/').collect())
    } else {
        Err(AppError::bad_parameter(
            "not a document id: ids are corpus-relative paths without '.', '..', hidden or empty parts, backslashes or control characters",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_stay_inside_the_corpus() {
        assert!(corpus_relative("incoming/a.json").is_ok());
        assert!(corpus_relative("báo cáo/2023 #1.md").is_ok());
        for bad in [
            "",
            "../etc/passwd",
            "a/../../b",
            "/abs",
            "a//b",
            ".git/config",
            "a\\b",
            "a\u{0}b",
            "a\nb",
            "a\u{1b}[31m",
            &"a".repeat(4097),
        ] {
            assert!(corpus_relative(bad).is_err(), "{bad:?}");
        }
    }
}
