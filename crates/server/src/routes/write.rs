//! `POST /api/documents` and `DELETE /api/documents/{id}`: adding, replacing and removing documents
//! on a running server.
//!
//! The corpus folder stays the one source of truth: a posted document is first saved as a file
//! (`corpus/incoming/ID.json`, or the uploaded file's own format), written to a hidden temporary
//! file, flushed to disk and renamed into place, and only then indexed, so a rebuild from the corpus
//! reproduces the index. A delete removes the file first, then the document. Both go through the
//! server's one writer and answer once the commit is searchable. When the server has an admin token
//! both need `Authorization: Bearer <token>`; a request without it is refused before its body is
//! read, and nothing changes.

use std::path::Path as FsPath;

use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use hoptac_indexer::corpus::{corpus_relative, derived_id, valid_id};

use crate::error::{AppError, ErrorBody};
use crate::state::AppState;

/// A facet value or several.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum OneOrMany {
    /// One value.
    One(String),
    /// Several values.
    Many(Vec<String>),
}

/// A document to add or replace, as JSON.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDocument {
    /// Id (letters, digits, `-`, `_`, `.`; at most 128 characters; not starting with `.`). Saved as
    /// `incoming/ID.json`, which is the document's id in the index. Without it, an id is derived
    /// from the title and the content. The same id again replaces the document.
    pub id: Option<String>,
    /// Title.
    pub title: String,
    /// Text.
    pub body: String,
    /// Publication date (`YYYY-MM-DD`, `YYYY-MM`, `YYYY`, or a Vietnamese date line).
    pub date: Option<String>,
    /// Source URL.
    pub url: Option<String>,
    /// Countries, kept beside the ones extracted from the text.
    pub country: Option<OneOrMany>,
    /// Ministries.
    pub ministry: Option<OneOrMany>,
    /// Topics.
    pub topic: Option<OneOrMany>,
}

/// A file upload (`multipart/form-data`).
#[derive(Debug, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct Upload {
    /// The file: `.txt`, `.md`, `.html` or `.json`, read as `hoptac index` reads it.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    /// Id (as for JSON; default: the file name without its extension). Saved as
    /// `incoming/ID.EXT`.
    pub id: Option<String>,
}

/// The id of the document saved.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Created {
    /// Its id in the index (`incoming/…`), for `GET`/`DELETE /api/documents/{id}`.
    pub id: String,
}

/// Checks the admin token, when the server has one.
fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), AppError> {
    let Some(token) = state.admin_token() else {
        return Ok(());
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match given {
        Some(g) if constant_time_eq(g.as_bytes(), token.as_bytes()) => Ok(()),
        _ => Err(AppError::unauthorized()),
    }
}

/// Compares without returning early at the first difference (the time taken does not tell an
/// attacker how much of a guess was right).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Adds or replaces a document.
#[utoipa::path(
    post,
    path = "/api/documents",
    tag = "documents",
    request_body(
        description = "A document as JSON, or a file upload (field `file`, optional field `id`)",
        content(
            (NewDocument = "application/json"),
            (Upload = "multipart/form-data"),
        )
    ),
    security((), ("admin_token" = [])),
    responses(
        (status = 201, description = "Saved under corpus/incoming/ and indexed: searchable now", body = Created),
        (status = 400, description = "A bad id, a missing title or body, a file that cannot be read", body = ErrorBody),
        (status = 401, description = "The server has an admin token and the request did not bring it", body = ErrorBody),
        (status = 413, description = "The body is over the limit", body = ErrorBody),
        (status = 415, description = "Neither JSON nor multipart/form-data", body = ErrorBody),
        (status = 503, description = "The index is being rebuilt, or the server cannot write it", body = ErrorBody),
    )
)]
pub async fn create(State(state): State<AppState>, req: Request) -> Result<Response, AppError> {
    authorize(&state, req.headers())?;
    // The media type alone, compared whole: a prefix test would let `application/jsonx` or
    // `application/json-patch+json` through to a reader that treats them differently.
    let media_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let (name, bytes) = if media_type == "application/json" {
        let Json(doc) = Json::<NewDocument>::from_request(req, &state)
            .await
            .map_err(|e| {
                AppError::rejected_body(e.status(), e.body_text(), state.max_body_bytes())
            })?;
        from_json(doc)?
    } else if media_type == "multipart/form-data" {
        let multipart = Multipart::from_request(req, &state).await.map_err(|e| {
            AppError::rejected_body(e.status(), e.body_text(), state.max_body_bytes())
        })?;
        from_upload(multipart, state.max_body_bytes()).await?
    } else {
        return Err(AppError::unsupported_media_type(
            "send application/json or multipart/form-data",
        ));
    };
    let id = state
        .write(move |live| live.save_incoming(&name, &bytes))
        .await?
        .map_err(|reason| {
            AppError::bad_document(format!("the document cannot be indexed: {reason}"))
        })?;
    Ok((StatusCode::CREATED, Json(Created { id })).into_response())
}

fn from_json(doc: NewDocument) -> Result<(String, Vec<u8>), AppError> {
    if doc.title.trim().is_empty() && doc.body.trim().is_empty() {
        return Err(AppError::bad_document("title and body are both empty"));
    }
    let mut stored = serde_json::Map::new();
    stored.insert("title".into(), doc.title.clone().into());
    stored.insert("body".into(), doc.body.into());
    for (k, v) in [("date", doc.date), ("url", doc.url)] {
        if let Some(v) = v {
            stored.insert(k.into(), v.into());
        }
    }
    for (k, v) in [
        ("country", doc.country),
        ("ministry", doc.ministry),
        ("topic", doc.topic),
    ] {
        if let Some(v) = v {
            stored.insert(k.into(), serde_json::to_value(v).unwrap_or_default());
        }
    }
    let bytes = serde_json::to_vec_pretty(&stored).map_err(AppError::internal)?;
    let id = match doc.id {
        Some(id) => valid_id(&id)?.to_string(),
        None => derived_id(&doc.title, &bytes),
    };
    Ok((format!("{id}.json"), bytes))
}

async fn from_upload(mut form: Multipart, limit: usize) -> Result<(String, Vec<u8>), AppError> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        AppError::rejected_body(e.status(), e.body_text(), limit)
    };
    let mut id: Option<String> = None;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = form.next_field().await.map_err(bad)? {
        match field.name() {
            Some("id") => id = Some(field.text().await.map_err(bad)?),
            Some("file") => {
                let name = field.file_name().unwrap_or("").to_string();
                let bytes = field.bytes().await.map_err(bad)?;
                file = Some((name, bytes.to_vec()));
            }
            other => {
                return Err(AppError::bad_document(format!(
                    "unknown form field {:?}; the form takes `file` and `id`",
                    other.unwrap_or("")
                )))
            }
        }
    }
    let (name, bytes) = file.ok_or_else(|| AppError::bad_document("no `file` field"))?;
    let base = FsPath::new(&name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = match hoptac_indexer::load::format_of(FsPath::new(&base)) {
        Some(_) => FsPath::new(&base)
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default(),
        None => {
            return Err(AppError::bad_document(
                "the file must be .txt, .md, .html or .json",
            ))
        }
    };
    let id = match id.filter(|i| !i.is_empty()) {
        Some(id) => valid_id(&id)?.to_string(),
        None => {
            let stem = FsPath::new(&base)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            match valid_id(&stem) {
                Ok(s) => s.to_string(),
                Err(_) => derived_id(&stem, &bytes),
            }
        }
    };
    Ok((format!("{id}.{ext}"), bytes))
}

/// Removes a document: its file from the corpus folder, then the document from the index.
#[utoipa::path(
    delete,
    path = "/api/documents/{id}",
    tag = "documents",
    params(("id" = String, Path, description = "Document id (its corpus-relative path; `/` allowed)")),
    security((), ("admin_token" = [])),
    responses(
        (status = 204, description = "The file and the document are gone"),
        (status = 400, description = "Not a document id (`..`, hidden parts, control characters)", body = ErrorBody),
        (status = 401, description = "The server has an admin token and the request did not bring it", body = ErrorBody),
        (status = 404, description = "No such document or file", body = ErrorBody),
        (status = 503, description = "The index is being rebuilt, or the server cannot write it", body = ErrorBody),
    )
)]
pub async fn remove(
    State(state): State<AppState>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, AppError> {
    authorize(&state, &headers)?;
    let Path(id) = id.map_err(|e| AppError::bad_parameter(e.body_text()))?;
    corpus_relative(&id)?;
    let key = id.clone();
    let found = state.write(move |live| live.remove_document(&key)).await?;
    if found {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::not_found(format!("no document with id {id:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"secret-token-123", b"secret-token-123"));
        assert!(!constant_time_eq(b"secret-token-123", b"secret-token-124"));
        assert!(!constant_time_eq(b"secret", b"secret-token-123"));
    }
}
