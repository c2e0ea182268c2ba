//! `GET /api/facets`: counts per facet value over the whole index.

use axum::extract::{RawQuery, State};
use axum::Json;
use utoipa::IntoParams;

use crate::error::{AppError, ErrorBody};
use crate::params;
use crate::state::AppState;
use hoptac_search::FacetCountsByDim;

/// Values per dimension when not given.
const DEFAULT_LIMIT: u64 = 100;
/// Most values per dimension.
const MAX_LIMIT: u64 = 10_000;

/// Parameters of `/api/facets`.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FacetsParams {
    /// Values per dimension, most frequent first (years: the most frequent, oldest first).
    #[param(minimum = 1, maximum = 10000, default = 100)]
    pub limit: Option<u64>,
}

impl FacetsParams {
    fn parse(raw: &str) -> Result<FacetsParams, AppError> {
        params::only(raw, &["limit"])?;
        let mut limit = None;
        for (_, v) in params::pairs(raw) {
            match v.trim().parse::<u64>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => limit = Some(n),
                _ => {
                    return Err(AppError::bad_parameter(format!(
                        "limit must be a number from 1 to {MAX_LIMIT}, not {v:?}"
                    )))
                }
            }
        }
        Ok(FacetsParams { limit })
    }
}

/// Facet counts over the whole index.
#[utoipa::path(
    get,
    path = "/api/facets",
    tag = "search",
    params(FacetsParams),
    responses(
        (status = 200, description = "Counts per country, ministry, year and topic", body = FacetCountsByDim),
        (status = 400, description = "A parameter is unknown or out of range", body = ErrorBody),
    )
)]
pub async fn facets(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<FacetCountsByDim>, AppError> {
    let p = FacetsParams::parse(raw.as_deref().unwrap_or(""))?;
    let limit = p.limit.unwrap_or(DEFAULT_LIMIT) as usize;
    let mut counts = state.blocking(move |e, _| e.facets(limit)).await?;
    counts.year =
        hoptac_search::facets::most_frequent_years(std::mem::take(&mut counts.year), limit);
    Ok(Json(counts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_keeps_the_most_frequent_years_oldest_first() {
        let fv = |value: &str, count| hoptac_search::FacetValue {
            value: value.into(),
            count,
        };
        let years = vec![fv("2010", 5), fv("2017", 40), fv("2018", 2), fv("2024", 9)];
        let kept: Vec<String> = hoptac_search::facets::most_frequent_years(years, 2)
            .into_iter()
            .map(|v| v.value)
            .collect();
        assert_eq!(kept, ["2017", "2024"]);
    }

    #[test]
    fn limit_is_checked() {
        assert_eq!(FacetsParams::parse("").unwrap().limit, None);
        assert_eq!(FacetsParams::parse("limit=5").unwrap().limit, Some(5));
        for bad in ["limit=0", "limit=x", "limit=10001", "top=3"] {
            assert!(FacetsParams::parse(bad).is_err(), "{bad}");
        }
    }
}
