//! Query-string parameters of a search, shared by `/api/search` and the page at `/`.
//!
//! Parsed by hand rather than by serde: repeated parameters (`country=Hàn Quốc&country=Nhật Bản`)
//! mean "any of them", which `serde_urlencoded` cannot express, and every mistake must become a 400
//! that names the parameter. The same struct also describes the parameters in the OpenAPI document,
//! so the description cannot drift from the parser.

use utoipa::IntoParams;

use super::error::AppError;
use hoptac_search::{Filters, SearchRequest, Sort};

/// Results per page when not given.
pub const DEFAULT_PER_PAGE: u64 = 10;
/// Most results per page.
pub const MAX_PER_PAGE: u64 = 100;
/// Deepest result reachable by paging: beyond it a page costs more than it is worth to anyone.
pub const MAX_RESULT_WINDOW: u64 = 10_000;
/// Characters of `q` that are read; the rest is ignored (a query is a few words, not a document).
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Values of one filter parameter at most.
pub const MAX_VALUES: usize = 50;
/// Characters of one filter value at most.
pub const MAX_VALUE_CHARS: usize = 200;
/// Snippet length, characters.
pub const SNIPPET_CHARS: usize = 240;
/// Values per facet dimension (years: all).
pub const FACET_LIMIT: usize = 20;

/// Parameters of a search.
#[derive(Clone, Debug, Default, PartialEq, Eq, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// What to search for: words with or without diacritics, `"a phrase"`, `-excluded`. May be
    /// empty when filters are given; longer than 1000 characters, the rest is ignored.
    pub q: Option<String>,
    /// Only documents about one of these countries, in any spelling (`han quoc`, `Korea`).
    #[param(style = Form, explode)]
    pub country: Vec<String>,
    /// Only documents naming one of these ministries.
    #[param(style = Form, explode)]
    pub ministry: Vec<String>,
    /// Only documents on one of these topics.
    #[param(style = Form, explode)]
    pub topic: Vec<String>,
    /// Only documents from one of these years.
    #[param(style = Form, explode)]
    pub year: Vec<u64>,
    /// Only documents from this year on.
    pub year_from: Option<u64>,
    /// Only documents up to this year.
    pub year_to: Option<u64>,
    /// Page number, from 1.
    #[param(minimum = 1, default = 1)]
    pub page: Option<u64>,
    /// Results per page, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 10)]
    pub per_page: Option<u64>,
    /// `relevance` (best first, the default) or `newest` (newest first, undated last).
    #[param(value_type = Option<String>)]
    pub sort: Option<Sort>,
    /// `false` lists every reprint of a release; by default a release reprinted by several outlets
    /// shows once, at its best-ranked publication, the others in its `duplicates`.
    pub collapse: Option<bool>,
}

/// How to treat parameters a search does not know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unknown {
    /// 400: an API client with a typo should hear about it.
    Reject,
    /// Ignore: a shared link may carry tracking parameters.
    Ignore,
}

/// The parameter names of a search.
pub const SEARCH_PARAMS: [&str; 11] = [
    "q",
    "country",
    "ministry",
    "topic",
    "year",
    "year_from",
    "year_to",
    "page",
    "per_page",
    "sort",
    "collapse",
];

fn year(name: &str, value: &str) -> Result<u64, AppError> {
    match value.trim().parse::<u64>() {
        Ok(y) if y <= 9999 => Ok(y),
        _ => Err(AppError::bad_parameter(format!(
            "{name} must be a year (0 to 9999), not {value:?}"
        ))
        .in_vietnamese(format!(
            "{name} phải là một năm (0 đến 9999), không phải {value:?}"
        ))),
    }
}

fn boolean(name: &str, value: &str) -> Result<bool, AppError> {
    match value.trim() {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        other => Err(AppError::bad_parameter(format!(
            "{name} must be true or false, not {other:?}"
        ))
        .in_vietnamese(format!(
            "{name} phải là true hoặc false, không phải {other:?}"
        ))),
    }
}

fn sort(value: &str) -> Result<Sort, AppError> {
    match value.trim() {
        "relevance" => Ok(Sort::Relevance),
        "newest" => Ok(Sort::Newest),
        other => Err(AppError::bad_parameter(format!(
            "sort must be relevance or newest, not {other:?}"
        ))
        .in_vietnamese(format!(
            "sort phải là relevance hoặc newest, không phải {other:?}"
        ))),
    }
}

fn number(name: &str, value: &str) -> Result<u64, AppError> {
    value.trim().parse::<u64>().map_err(|_| {
        AppError::bad_parameter(format!("{name} must be a whole number, not {value:?}"))
            .in_vietnamese(format!(
                "{name} phải là một số nguyên, không phải {value:?}"
            ))
    })
}

fn once<T>(slot: &mut Option<T>, name: &str, value: T) -> Result<(), AppError> {
    if slot.is_some() {
        return Err(
            AppError::bad_parameter(format!("{name} is given more than once"))
                .in_vietnamese(format!("{name} được cho nhiều lần")),
        );
    }
    *slot = Some(value);
    Ok(())
}

fn push_value(list: &mut Vec<String>, name: &str, value: &str) -> Result<(), AppError> {
    let value = value.trim();
    if value.chars().count() > MAX_VALUE_CHARS {
        return Err(AppError::bad_parameter(format!(
            "{name} values are limited to {MAX_VALUE_CHARS} characters"
        ))
        .in_vietnamese(format!(
            "giá trị của {name} dài tối đa {MAX_VALUE_CHARS} ký tự"
        )));
    }
    if list.len() >= MAX_VALUES {
        return Err(
            AppError::bad_parameter(format!("{name} is limited to {MAX_VALUES} values"))
                .in_vietnamese(format!("{name} có tối đa {MAX_VALUES} giá trị")),
        );
    }
    if !list.iter().any(|v| v == value) {
        list.push(value.to_string());
    }
    Ok(())
}

/// Pairs of a raw query string, `+` and percent-escapes decoded (invalid UTF-8 replaced).
pub fn pairs(raw: &str) -> impl Iterator<Item = (String, String)> + '_ {
    form_urlencoded::parse(raw.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned()))
}

/// Rejects parameters outside `known`.
pub fn only(raw: &str, known: &[&str]) -> Result<(), AppError> {
    for (k, _) in pairs(raw) {
        if !known.contains(&k.as_str()) {
            return Err(AppError::unknown_parameter(&k, known));
        }
    }
    Ok(())
}

impl SearchParams {
    /// Parses and checks a raw query string. Empty values are ignored (an HTML form sends its empty
    /// fields), a value may be repeated for the filters only.
    pub fn parse(raw: &str, unknown: Unknown) -> Result<SearchParams, AppError> {
        let mut p = SearchParams::default();
        for (k, v) in pairs(raw) {
            if v.trim().is_empty() && k != "q" {
                continue;
            }
            match k.as_str() {
                "q" => {
                    let q: String = v.chars().take(MAX_QUERY_CHARS).collect();
                    once(&mut p.q, "q", q)?
                }
                "country" => push_value(&mut p.country, "country", &v)?,
                "ministry" => push_value(&mut p.ministry, "ministry", &v)?,
                "topic" => push_value(&mut p.topic, "topic", &v)?,
                "year" => {
                    let y = year("year", &v)?;
                    if p.year.len() >= MAX_VALUES {
                        return Err(AppError::bad_parameter(format!(
                            "year is limited to {MAX_VALUES} values"
                        ))
                        .in_vietnamese(format!("năm có tối đa {MAX_VALUES} giá trị")));
                    }
                    if !p.year.contains(&y) {
                        p.year.push(y);
                    }
                }
                "year_from" => once(&mut p.year_from, "year_from", year("year_from", &v)?)?,
                "year_to" => once(&mut p.year_to, "year_to", year("year_to", &v)?)?,
                "page" => once(&mut p.page, "page", number("page", &v)?)?,
                "per_page" => once(&mut p.per_page, "per_page", number("per_page", &v)?)?,
                "sort" => once(&mut p.sort, "sort", sort(&v)?)?,
                "collapse" => once(&mut p.collapse, "collapse", boolean("collapse", &v)?)?,
                other => {
                    if unknown == Unknown::Reject {
                        return Err(AppError::unknown_parameter(other, &SEARCH_PARAMS));
                    }
                }
            }
        }
        p.check()?;
        Ok(p)
    }

    fn check(&self) -> Result<(), AppError> {
        if self.page == Some(0) {
            return Err(AppError::bad_parameter("page must be at least 1")
                .in_vietnamese("số trang phải từ 1 trở lên"));
        }
        match self.per_page {
            Some(0) => {
                return Err(AppError::bad_parameter("per_page must be at least 1")
                    .in_vietnamese("số kết quả mỗi trang phải từ 1 trở lên"))
            }
            Some(n) if n > MAX_PER_PAGE => {
                return Err(AppError::bad_parameter(format!(
                    "per_page must be at most {MAX_PER_PAGE}, not {n}"
                ))
                .in_vietnamese(format!(
                    "số kết quả mỗi trang tối đa là {MAX_PER_PAGE}, không phải {n}"
                )))
            }
            _ => {}
        }
        if self.page().saturating_mul(self.per_page()) > MAX_RESULT_WINDOW {
            return Err(AppError::bad_parameter(format!(
                "only the first {MAX_RESULT_WINDOW} results can be paged through; narrow the search"
            ))
            .in_vietnamese(format!(
                "chỉ xem được {MAX_RESULT_WINDOW} kết quả đầu; hãy thu hẹp tìm kiếm"
            )));
        }
        if let (Some(a), Some(b)) = (self.year_from, self.year_to) {
            if a > b {
                return Err(AppError::bad_parameter(format!(
                    "year_from ({a}) is after year_to ({b})"
                ))
                .in_vietnamese(format!("năm bắt đầu ({a}) sau năm kết thúc ({b})")));
            }
        }
        Ok(())
    }

    /// The page, from 1.
    pub fn page(&self) -> u64 {
        self.page.unwrap_or(1)
    }

    /// Results per page.
    pub fn per_page(&self) -> u64 {
        self.per_page.unwrap_or(DEFAULT_PER_PAGE)
    }

    /// The query text, empty when none.
    pub fn query(&self) -> &str {
        self.q.as_deref().unwrap_or("")
    }

    /// True when neither text nor a filter is given.
    pub fn is_empty(&self) -> bool {
        self.query().trim().is_empty() && self.filters().is_empty()
    }

    /// The filters.
    pub fn filters(&self) -> Filters {
        Filters {
            country: self.country.clone(),
            ministry: self.ministry.clone(),
            topic: self.topic.clone(),
            year: self.year.clone(),
            year_from: self.year_from,
            year_to: self.year_to,
        }
    }

    /// The engine request.
    pub fn request(&self) -> SearchRequest {
        let per_page = self.per_page() as usize;
        SearchRequest {
            query: self.query().to_string(),
            filters: self.filters(),
            offset: (self.page() as usize - 1) * per_page,
            limit: per_page,
            snippet_chars: SNIPPET_CHARS,
            facet_limit: FACET_LIMIT,
            sort: self.sort.unwrap_or_default(),
            keep_reprints: self.collapse == Some(false),
        }
    }

    /// The query string of these parameters (defaults left out), for links.
    pub fn to_query_string(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        if let Some(q) = self.q.as_deref().filter(|q| !q.trim().is_empty()) {
            s.append_pair("q", q);
        }
        for (name, values) in [
            ("country", &self.country),
            ("ministry", &self.ministry),
            ("topic", &self.topic),
        ] {
            for v in values {
                s.append_pair(name, v);
            }
        }
        for y in &self.year {
            s.append_pair("year", &y.to_string());
        }
        if let Some(y) = self.year_from {
            s.append_pair("year_from", &y.to_string());
        }
        if let Some(y) = self.year_to {
            s.append_pair("year_to", &y.to_string());
        }
        if self.page() > 1 {
            s.append_pair("page", &self.page().to_string());
        }
        if self.per_page() != DEFAULT_PER_PAGE {
            s.append_pair("per_page", &self.per_page().to_string());
        }
        if self.sort == Some(Sort::Newest) {
            s.append_pair("sort", "newest");
        }
        if self.collapse == Some(false) {
            s.append_pair("collapse", "false");
        }
        s.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;

    fn parse(raw: &str) -> Result<SearchParams, AppError> {
        SearchParams::parse(raw, Unknown::Reject)
    }

    #[test]
    fn repeated_filters_are_kept_in_order() {
        let p = parse("q=h%E1%BB%A3p+t%C3%A1c&country=H%C3%A0n+Qu%E1%BB%91c&country=Nh%E1%BA%ADt+B%E1%BA%A3n&year=2010&year=2017").unwrap();
        assert_eq!(p.query(), "hợp tác");
        assert_eq!(p.country, ["Hàn Quốc", "Nhật Bản"]);
        assert_eq!(p.year, [2010, 2017]);
    }

    #[test]
    fn bad_values_are_400s_naming_the_parameter() {
        for (raw, word) in [
            ("page=0", "page"),
            ("per_page=0", "per_page"),
            ("per_page=101", "per_page"),
            ("page=abc", "page"),
            ("page=-1", "page"),
            ("year=twenty", "year"),
            ("year=99999", "year"),
            ("year_from=2020&year_to=2010", "year_from"),
            ("page=1&page=2", "page"),
            ("page=2000&per_page=10", "first 10000"),
            ("page=18446744073709551615", "first"),
        ] {
            let e = parse(raw).unwrap_err();
            assert_eq!(e.status, StatusCode::BAD_REQUEST, "{raw}");
            assert_eq!(e.code, "bad_parameter", "{raw}");
            assert!(e.message.contains(word), "{raw}: {}", e.message);
        }
    }

    #[test]
    fn unknown_parameters_are_rejected_or_ignored() {
        let e = parse("q=x&colour=red").unwrap_err();
        assert_eq!(e.code, "unknown_parameter");
        assert!(e.message.contains("colour"));
        let p = SearchParams::parse("q=x&utm_source=mail", Unknown::Ignore).unwrap();
        assert_eq!(p.query(), "x");
    }

    #[test]
    fn empty_form_fields_are_ignored() {
        let p = parse("q=&country=&year_from=&year_to=&page=").unwrap();
        assert!(p.is_empty());
        assert_eq!(p.page(), 1);
    }

    #[test]
    fn long_queries_are_cut_not_refused() {
        let raw = format!("q={}", "a".repeat(10_000));
        assert_eq!(
            parse(&raw).unwrap().query().chars().count(),
            MAX_QUERY_CHARS
        );
    }

    #[test]
    fn query_string_round_trips() {
        let p = parse("q=an+to%C3%A0n&country=H%C3%A0n+Qu%E1%BB%91c&year=2010&year_from=2001&page=2&per_page=20").unwrap();
        assert_eq!(parse(&p.to_query_string()).unwrap(), p);
        assert_eq!(parse("").unwrap().to_query_string(), "");
    }

    #[test]
    fn request_pages_by_offset() {
        let r = parse("page=3&per_page=20").unwrap().request();
        assert_eq!((r.offset, r.limit), (40, 20));
    }
}
