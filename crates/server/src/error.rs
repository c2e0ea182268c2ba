//! The one error type of the HTTP layer.
//!
//! Every failure, from a bad parameter to a timeout, becomes an [`AppError`], answered as
//! `{"error": {"code", "message"}}` with its status. Keeping one type means a status code is decided
//! in one place, and no handler can leak a bare 500 or a Rust error string to a client. The page
//! wraps the same error in its own type ([`crate::page::PageError`]), which renders it as HTML; this
//! module knows nothing of pages.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use hoptac_indexer::{IdError, IndexerError};
use hoptac_search::SearchError;

/// An error answered to a client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine-readable code (`bad_parameter`, `not_found`, …).
    pub code: &'static str,
    /// What went wrong, for a person.
    pub message: String,
    /// The same, in Vietnamese, for the page (which never shows the English `message`).
    pub vi: Option<String>,
}

/// The JSON body of every API error.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What the error is.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable code: `bad_parameter`, `unknown_parameter`, `not_found`, `method_not_allowed`,
    /// `payload_too_large`, `head_too_large`, `timeout`, `internal`; for writes also `unauthorized`, `bad_document`,
    /// `unsupported_media_type`, `rebuilding`, `read_only`.
    pub code: String,
    /// Explanation.
    pub message: String,
}

impl AppError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        AppError {
            status,
            code,
            message: message.into(),
            vi: None,
        }
    }

    /// The error as the page says it, in Vietnamese.
    pub fn in_vietnamese(mut self, vi: impl Into<String>) -> Self {
        self.vi = Some(vi.into());
        self
    }

    /// 400: a parameter has a value that cannot be used.
    pub fn bad_parameter(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_parameter", message)
    }

    /// 400: a parameter this endpoint does not know (a typo would otherwise be silently ignored).
    pub fn unknown_parameter(name: &str, known: &[&str]) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "unknown_parameter",
            format!(
                "unknown parameter {name:?}; this endpoint takes: {}",
                known.join(", ")
            ),
        )
        .in_vietnamese(format!("không có tham số {name:?}"))
    }

    /// 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// 405.
    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "this endpoint does not answer this method",
        )
    }

    /// 401: a write without the admin token.
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "this endpoint needs the admin token: Authorization: Bearer <token>",
        )
    }

    /// 400: a document that cannot be indexed (nothing is written).
    pub fn bad_document(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_document", message)
    }

    /// 415: a body that is neither JSON nor a multipart upload.
    pub fn unsupported_media_type(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            message,
        )
    }

    /// 503: the server cannot do this now (`rebuilding`, `read_only`).
    pub fn unavailable(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, code, message)
    }

    /// 413.
    pub fn payload_too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("request bodies are limited to {limit} bytes"),
        )
    }

    /// 431: a request head (request line and headers) over the limit.
    pub fn head_too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "head_too_large",
            format!("the request line and headers are limited to {limit} bytes"),
        )
    }

    /// A body an extractor (JSON, multipart) refused, by the status it chose: 413 over the body
    /// limit (a chunked body has no length to refuse it by beforehand), 415 for a content type the
    /// extractor does not take, 400 for anything it could not read. The extractor's own text says
    /// what was wrong (a JSON syntax error with its line and column, an unknown field…).
    pub fn rejected_body(status: StatusCode, text: String, limit: usize) -> Self {
        match status {
            StatusCode::PAYLOAD_TOO_LARGE => Self::payload_too_large(limit),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Self::unsupported_media_type(text),
            _ => Self::bad_document(text),
        }
    }

    /// 503: the request took longer than the server allows.
    pub fn timeout() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            "the request took too long; try a shorter query or fewer results",
        )
    }

    /// 500, logged; the client gets no internals.
    pub fn internal(error: impl std::fmt::Display) -> Self {
        tracing::error!("internal error: {error}");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error; the server log says more",
        )
    }

    /// The JSON body.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: self.message.clone(),
            },
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.code,
            self.message
        )
    }
}

impl std::error::Error for AppError {}

impl From<SearchError> for AppError {
    fn from(e: SearchError) -> Self {
        match e {
            SearchError::BadRequest(m) => AppError::bad_parameter(m),
            SearchError::NotFound(id) => AppError::not_found(format!("no document with id {id:?}")),
            SearchError::Cancelled => AppError::timeout(),
            SearchError::Unavailable(m) => AppError::unavailable("unavailable", m),
            e => AppError::internal(e),
        }
    }
}

impl From<IdError> for AppError {
    fn from(e: IdError) -> Self {
        AppError::bad_parameter(e.to_string())
    }
}

impl From<IndexerError> for AppError {
    fn from(e: IndexerError) -> Self {
        match e {
            IndexerError::BadId(e) => e.into(),
            e => AppError::internal(e),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body())).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shape_is_error_code_message() {
        let body = serde_json::to_value(AppError::bad_parameter("page must be at least 1").body())
            .unwrap();
        assert_eq!(
            body,
            serde_json::json!({"error": {"code": "bad_parameter", "message": "page must be at least 1"}})
        );
    }

    #[test]
    fn an_error_is_answered_as_json_whatever_asked() {
        let r = AppError::not_found("no document with id \"x\"").into_response();
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            r.headers()[axum::http::header::CONTENT_TYPE],
            "application/json"
        );
    }

    #[test]
    fn rejected_bodies_keep_their_kind() {
        let big = AppError::rejected_body(StatusCode::PAYLOAD_TOO_LARGE, "x".into(), 10);
        assert_eq!(
            (big.status, big.code),
            (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
        );
        let ct = AppError::rejected_body(StatusCode::UNSUPPORTED_MEDIA_TYPE, "ct".into(), 10);
        assert_eq!(ct.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let bad = AppError::rejected_body(StatusCode::UNPROCESSABLE_ENTITY, "line 1".into(), 10);
        assert_eq!(
            (bad.status, bad.code),
            (StatusCode::BAD_REQUEST, "bad_document")
        );
        assert_eq!(bad.message, "line 1");
    }

    #[test]
    fn search_errors_map_to_statuses() {
        let nf: AppError = SearchError::NotFound("x.txt".into()).into();
        assert_eq!(nf.status, StatusCode::NOT_FOUND);
        let bad: AppError = SearchError::BadRequest("nope".into()).into();
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        let io: AppError =
            SearchError::Index(hoptac_indexer::IndexerError::NoIndex("/tmp/x".into())).into();
        assert_eq!(io.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!io.message.contains("/tmp/x"), "internals leaked");
        let stopped: AppError = SearchError::Cancelled.into();
        assert_eq!(
            (stopped.status, stopped.code),
            (StatusCode::SERVICE_UNAVAILABLE, "timeout")
        );
        let busy: AppError = SearchError::Unavailable("cannot start a thread".into()).into();
        assert_eq!(busy.status, StatusCode::SERVICE_UNAVAILABLE);
    }
}
