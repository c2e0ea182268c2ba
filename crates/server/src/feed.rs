//! `GET /feed.atom`: every search as an Atom feed (RFC 4287), newest first.
//!
//! A researcher following a subject subscribes to the search instead of repeating it, as GovInfo
//! and FragDenStaat offer a feed per search. The feed takes the page's parameters (`q`, the
//! filters, `per_page`), so the page links to its own feed. Its entries are the result set newest
//! first: a document POSTed or dropped into the corpus is in the feed of a matching search as soon
//! as it is searchable.
//!
//! Every element RFC 4287 requires is written: the feed's `id`, `title`, `updated`, `author`, a
//! `self` and an `alternate` link; each entry's `id` (its document page), `title`, `updated` (its
//! date; an undated document its year's first day, or the feed's time), an `alternate` link, a
//! `summary` holding the snippet as HTML, and a `category` per country, ministry and topic.

use std::fmt::Write as _;

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};

use super::error::AppError;
use super::page::encode_path;
use super::params::{SearchParams, Unknown};
use super::state::AppState;
use hoptac_search::{Hit, SearchResponse, Sort};

/// Entries in a feed when `per_page` is not given.
pub const FEED_ENTRIES: u64 = 20;

/// The media type of an Atom feed.
pub const ATOM: &str = "application/atom+xml; charset=utf-8";

/// Escapes text for XML content and attribute values.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all (a document may hold them).
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// An RFC 3339 timestamp for an entry: its date at midnight UTC, else its year's first day.
fn entry_updated(hit: &Hit) -> Option<String> {
    let date = hit.date.as_deref().filter(|d| {
        d.len() == 10
            && d.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                _ => b.is_ascii_digit(),
            })
    });
    match (date, hit.year) {
        (Some(d), _) => Some(format!("{d}T00:00:00Z")),
        (None, Some(y)) if (1..=9999).contains(&y) => Some(format!("{y:04}-01-01T00:00:00Z")),
        _ => None,
    }
}

/// The current time as RFC 3339.
fn now() -> String {
    time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc())
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_string())
}

/// The feed's title: what the search is for.
fn title(p: &SearchParams) -> String {
    let mut parts = Vec::new();
    if !p.query().trim().is_empty() {
        parts.push(format!("“{}”", p.query().trim()));
    }
    for values in [&p.country, &p.ministry, &p.topic] {
        parts.extend(values.iter().cloned());
    }
    parts.extend(p.year.iter().map(|y| format!("năm {y}")));
    match (p.year_from, p.year_to) {
        (Some(a), Some(b)) => parts.push(format!("{a}–{b}")),
        (Some(a), None) => parts.push(format!("từ {a}")),
        (None, Some(b)) => parts.push(format!("đến {b}")),
        (None, None) => {}
    }
    if parts.is_empty() {
        "hoptac: tài liệu mới nhất".to_string()
    } else {
        format!("hoptac: {}", parts.join(" · "))
    }
}

/// The feed of `res`, the answer to `p`, for a server reached at `base` (`http://host`).
pub fn atom(base: &str, p: &SearchParams, res: &SearchResponse) -> String {
    let mut page = p.clone();
    page.page = None;
    page.sort = None;
    page.per_page = None;
    let qs = page.to_query_string();
    let suffix = if qs.is_empty() {
        String::new()
    } else {
        format!("?{qs}")
    };
    let self_href = format!("{base}/feed.atom{suffix}");
    let page_href = format!("{base}/{suffix}");
    let updated = res
        .hits
        .iter()
        .filter_map(entry_updated)
        .max()
        .unwrap_or_else(now);
    let mut out = String::with_capacity(1024 + res.hits.len() * 1024);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"vi\">\n");
    let _ = writeln!(out, "  <id>{}</id>", xml(&self_href));
    let _ = writeln!(out, "  <title>{}</title>", xml(&title(p)));
    let _ = writeln!(out, "  <updated>{updated}</updated>");
    out.push_str("  <author><name>hoptac</name></author>\n");
    out.push_str("  <generator>hoptac</generator>\n");
    let _ = writeln!(
        out,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        xml(&self_href)
    );
    let _ = writeln!(
        out,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml(&page_href)
    );
    let query = if p.query().trim().is_empty() {
        String::new()
    } else {
        let mut s = form_urlencoded::Serializer::new(String::new());
        s.append_pair("q", p.query());
        format!("?{}", s.finish())
    };
    for h in &res.hits {
        let doc = format!("{base}/doc/{}", encode_path(&h.id));
        out.push_str("  <entry>\n");
        let _ = writeln!(out, "    <id>{}</id>", xml(&doc));
        let _ = writeln!(out, "    <title>{}</title>", xml(&h.title));
        let _ = writeln!(
            out,
            "    <updated>{}</updated>",
            entry_updated(h).unwrap_or_else(|| updated.clone())
        );
        let _ = writeln!(
            out,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            xml(&format!("{doc}{query}"))
        );
        if let Some(url) = &h.url {
            let _ = writeln!(out, "    <link rel=\"related\" href=\"{}\"/>", xml(url));
        }
        for c in h.country.iter().chain(&h.ministry).chain(&h.topic) {
            let _ = writeln!(out, "    <category term=\"{}\"/>", xml(c));
        }
        let _ = writeln!(
            out,
            "    <summary type=\"html\">{}</summary>",
            xml(&h.snippet)
        );
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// The address the client reached this server by, for the feed's absolute links.
fn base(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// `GET /feed.atom`: the search's newest documents as Atom.
pub async fn feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let mut params = SearchParams::parse(raw.as_deref().unwrap_or(""), Unknown::Ignore)?;
    params.page = None;
    let mut request = params.request();
    request.sort = Sort::Newest;
    request.offset = 0;
    request.limit = params.per_page.unwrap_or(FEED_ENTRIES) as usize;
    let (res, _) = state.search(request).await?;
    let body = atom(&base(&headers), &params, &res);
    Ok((
        [(header::CONTENT_TYPE, HeaderValue::from_static(ATOM))],
        body,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_drops_what_xml_cannot_carry() {
        assert_eq!(
            xml("<mark>Hàn & \"Quốc\"</mark>\u{1}"),
            "&lt;mark&gt;Hàn &amp; &quot;Quốc&quot;&lt;/mark&gt;"
        );
    }

    #[test]
    fn an_entry_is_dated_by_its_date_or_its_year() {
        let mut h = Hit {
            id: "a.txt".into(),
            title: "t".into(),
            date: Some("2010-05-14".into()),
            year: Some(2010),
            url: None,
            score: 0.0,
            snippet: String::new(),
            passage: Default::default(),
            country: vec![],
            ministry: vec![],
            topic: vec![],
            duplicates: vec![],
        };
        assert_eq!(entry_updated(&h).as_deref(), Some("2010-05-14T00:00:00Z"));
        h.date = None;
        assert_eq!(entry_updated(&h).as_deref(), Some("2010-01-01T00:00:00Z"));
        h.year = None;
        assert_eq!(entry_updated(&h), None);
    }

    #[test]
    fn the_title_says_what_the_search_is_for() {
        let p = SearchParams::parse(
            "q=an+to%C3%A0n&country=H%C3%A0n+Qu%E1%BB%91c&year=2010",
            Unknown::Reject,
        )
        .unwrap();
        assert_eq!(title(&p), "hoptac: “an toàn” · Hàn Quốc · năm 2010");
    }
}
