//! `GET /api/health`: is the server up, and what index does it serve.

use axum::extract::{RawQuery, State};
use axum::Json;
use serde::Serialize;

use crate::error::{AppError, ErrorBody};
use crate::params;
use crate::state::AppState;

/// Versions recorded in the index by the build that wrote it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IndexInfo {
    /// Analyzer version the documents were analysed with.
    pub analyzer: String,
    /// Schema version.
    pub schema: String,
    /// Hash of the index-config the facets were extracted with.
    pub config: String,
}

/// Server health.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HealthBody {
    /// Always `ok` when the server answers.
    pub status: String,
    /// Documents in the index.
    pub documents: u64,
    /// The index's recorded versions (null for an index without them).
    pub index: Option<IndexInfo>,
    /// Analyzer version of this server (queries are analysed with it).
    pub analyzer: String,
    /// hoptac version.
    pub version: String,
    /// What the server works around, in words (empty when nothing): e.g. an index-config saved
    /// with the index that cannot be read, replaced by the built-in one.
    pub warnings: Vec<String>,
}

/// Document count and versions.
#[utoipa::path(
    get,
    path = "/api/health",
    tag = "server",
    responses(
        (status = 200, description = "The server is up", body = HealthBody),
        (status = 400, description = "A parameter was given", body = ErrorBody),
    )
)]
pub async fn health(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<HealthBody>, AppError> {
    params::only(raw.as_deref().unwrap_or(""), &[])?;
    let e = state.engine();
    Ok(Json(HealthBody {
        status: "ok".into(),
        documents: e.num_docs(),
        index: e.version().map(|v| IndexInfo {
            analyzer: v.analyzer.clone(),
            schema: v.schema.clone(),
            config: v.config.clone(),
        }),
        analyzer: hoptac_analyzer::ANALYZER_VERSION.into(),
        version: env!("CARGO_PKG_VERSION").into(),
        warnings: e.config_problem().map(String::from).into_iter().collect(),
    }))
}
