//! `GET /api/suggest`: completions for what is being typed.

use axum::extract::{RawQuery, State};
use axum::Json;
use serde::Serialize;
use utoipa::IntoParams;

use crate::error::{AppError, ErrorBody};
use crate::params;
use crate::state::AppState;
use hoptac_search::suggest::Suggestion;

/// Suggestions when not told how many.
const DEFAULT_LIMIT: usize = 8;
/// Most suggestions.
const MAX_LIMIT: usize = 20;

/// Parameters of `/api/suggest`.
#[derive(Debug, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestParams {
    /// The partial query, with or without diacritics (`han q`); only its last 200 characters are
    /// looked at.
    pub q: Option<String>,
    /// Suggestions wanted, 1 to 20.
    #[param(minimum = 1, maximum = 20, default = 8)]
    pub limit: Option<usize>,
}

impl SuggestParams {
    fn parse(raw: &str) -> Result<SuggestParams, AppError> {
        params::only(raw, &["q", "limit"])?;
        let mut p = SuggestParams::default();
        for (k, v) in params::pairs(raw) {
            if k == "q" {
                p.q = Some(v);
            } else {
                match v.trim().parse::<usize>() {
                    Ok(n) if (1..=MAX_LIMIT).contains(&n) => p.limit = Some(n),
                    _ => {
                        return Err(AppError::bad_parameter(format!(
                            "limit must be a number from 1 to {MAX_LIMIT}, not {v:?}"
                        )))
                    }
                }
            }
        }
        Ok(p)
    }
}

/// Completions of a partial query.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SuggestBody {
    /// The query as received.
    pub q: String,
    /// Best first.
    pub suggestions: Vec<Suggestion>,
}

/// Completions for a partial query, diacritic-insensitive.
#[utoipa::path(
    get,
    path = "/api/suggest",
    tag = "search",
    params(SuggestParams),
    responses(
        (status = 200, description = "Completions, best first (none for an empty query)", body = SuggestBody),
        (status = 400, description = "A parameter is unknown or out of range", body = ErrorBody),
    )
)]
pub async fn suggest(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<SuggestBody>, AppError> {
    let p = SuggestParams::parse(raw.as_deref().unwrap_or(""))?;
    let q = p.q.unwrap_or_default();
    let suggestions = state
        .suggester()
        .suggest(&q, p.limit.unwrap_or(DEFAULT_LIMIT));
    Ok(Json(SuggestBody { q, suggestions }))
}
