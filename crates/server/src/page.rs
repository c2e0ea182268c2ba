//! The search page at `/` and the document page at `/doc/{id}`: server-rendered HTML.
//!
//! Everything a user can do works without JavaScript: the query, filters and page live in the URL,
//! facet values and pages are plain links, the year range is a plain form; `app.js` only adds
//! suggestions as you type. Templates (minijinja, HTML auto-escaping on for every template) and
//! assets are compiled into the binary. The only HTML inserted unescaped is what
//! [`Snippet::to_html`](hoptac_search::Snippet::to_html) produced: the text escaped, `<mark>` added.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use minijinja::{context, AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

use super::error::AppError;
use super::params::{SearchParams, Unknown, MAX_PER_PAGE, MAX_RESULT_WINDOW};
use super::state::AppState;
use hoptac_search::facets::FacetValue;
use hoptac_search::{Dim, SearchResponse};

const BASE: &str = include_str!("templates/base.html");
const SEARCH: &str = include_str!("templates/search.html");
const DOC: &str = include_str!("templates/doc.html");
const ERROR: &str = include_str!("templates/error.html");
const CSS: &str = include_str!("assets/app.css");
const JS: &str = include_str!("assets/app.js");

/// A short hash of the assets, put in their URLs so a browser never uses a stale copy and may
/// cache the current one forever.
static ASSET_VERSION: LazyLock<String> = LazyLock::new(|| {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    CSS.hash(&mut h);
    JS.hash(&mut h);
    format!("{:x}", h.finish() & 0xffff_ffff)
});

static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    for (name, source) in [
        ("base.html", BASE),
        ("search.html", SEARCH),
        ("doc.html", DOC),
        ("error.html", ERROR),
    ] {
        env.add_template(name, source)
            .expect("the bundled templates parse (checked by a test)");
    }
    env.add_global("asset_version", ASSET_VERSION.as_str());
    env
});

fn render<S: Serialize>(name: &str, ctx: S) -> Result<String, AppError> {
    TEMPLATES
        .get_template(name)
        .and_then(|t| t.render(ctx))
        .map_err(AppError::internal)
}

/// An error of the page: the API's [`AppError`] (same status, same decision), answered as the HTML
/// error page in Vietnamese instead of JSON.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError(e)
    }
}

impl From<hoptac_search::SearchError> for PageError {
    fn from(e: hoptac_search::SearchError) -> Self {
        PageError(e.into())
    }
}

impl From<hoptac_indexer::IdError> for PageError {
    fn from(e: hoptac_indexer::IdError) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        error_page(&self.0)
    }
}

/// The page for an error (the HTML twin of the API's JSON error).
pub fn error_page(e: &AppError) -> Response {
    let (title, advice) = match e.status {
        StatusCode::NOT_FOUND => (
            "Không tìm thấy trang",
            "Tài liệu hoặc trang này không có trong chỉ mục.",
        ),
        StatusCode::BAD_REQUEST => (
            "Yêu cầu không hợp lệ",
            "Địa chỉ tìm kiếm có tham số không dùng được.",
        ),
        StatusCode::SERVICE_UNAVAILABLE => (
            "Máy chủ đang bận",
            "Yêu cầu mất quá nhiều thời gian; hãy thử lại với truy vấn ngắn hơn.",
        ),
        _ => ("Đã xảy ra lỗi", "Máy chủ không trả lời được yêu cầu này."),
    };
    let html = render(
        "error.html",
        context! {
            title => title,
            advice => advice,
            detail => &e.vi,
            status => e.status.as_u16(),
            form => SearchView::empty_form(),
        },
    )
    .unwrap_or_else(|_| format!("<!doctype html><title>{}</title>", e.status));
    (e.status, Html(html)).into_response()
}

/// `GET /assets/app.css`.
pub async fn css() -> Response {
    asset("text/css; charset=utf-8", CSS)
}

/// `GET /assets/app.js`.
pub async fn js() -> Response {
    asset("text/javascript; charset=utf-8", JS)
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        body,
    )
        .into_response()
}

/// `GET /`: the search page (newest documents when nothing is asked).
pub async fn home(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, PageError> {
    let params =
        SearchParams::parse(raw.as_deref().unwrap_or(""), Unknown::Ignore).map_err(PageError)?;
    let params = canonical(&state, params);
    let request = params.request();
    let (res, _) = state.search(request).await.map_err(PageError)?;
    let view = SearchView::build(&params, &res);
    render("search.html", view).map(Html).map_err(PageError)
}

/// `GET /doc/{id}`: one document, the query's words marked; the search's parameters ride along so
/// the page can link back to it.
pub async fn document(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, PageError> {
    let Path(id) = id.map_err(|e| PageError(AppError::bad_parameter(e.body_text())))?;
    hoptac_indexer::corpus::corpus_relative(&id)?;
    let params =
        SearchParams::parse(raw.as_deref().unwrap_or(""), Unknown::Ignore).map_err(PageError)?;
    let params = canonical(&state, params);
    let q = params.query().to_string();
    let (doc, title, body, related, reprints) = state
        .blocking(move |e, deadline| {
            let doc = e.document(&id)?;
            deadline.check()?;
            let title = e.highlight(&q, &doc.title).to_html();
            let body = e.highlight(&q, &doc.body);
            let related = e.related(&id, RELATED_SHOWN, deadline)?;
            let reprints = e.reprints(&id)?;
            Ok((doc, title, body, related, reprints))
        })
        .await
        .map_err(PageError)?;
    let related = related
        .into_iter()
        .map(|(_, d)| RelatedView {
            href: format!("/doc/{}{}", encode_path(&d.id), query_suffix(&params)),
            date: shown_date(d.date.as_deref(), d.year),
            title: d.title,
        })
        .collect();
    let view = DocView {
        form: SearchView::form(&params),
        back: format!("/{}", query_suffix(&params)),
        title_text: doc.title.clone(),
        title_html: title,
        marks: body.highlights.len(),
        body_html: body.to_html(),
        date: shown_date(doc.date.as_deref(), doc.year),
        date_iso: doc.date.clone().or_else(|| doc.year.map(|y| y.to_string())),
        source: doc.url.as_deref().and_then(source_link),
        tags: tags(
            &params,
            [&doc.country[..], &doc.ministry[..], &doc.topic[..]],
            usize::MAX,
        ),
        id: doc.id,
        q: params.query().to_string(),
        related,
        reprints: reprint_links(&params, &reprints),
    };
    render("doc.html", view).map(Html).map_err(PageError)
}

/// Any other path: the HTML 404.
pub async fn not_found() -> PageError {
    PageError(AppError::not_found("no such page"))
}

/// Country filters under their canonical names, so `han quoc` in a URL selects the `Hàn Quốc`
/// facet value and links point at one spelling.
fn canonical(state: &AppState, mut p: SearchParams) -> SearchParams {
    let engine = state.engine();
    let ctx = engine.context();
    let mut out: Vec<String> = Vec::new();
    for c in &p.country {
        let c = ctx.canonical_country(c).unwrap_or(c).to_string();
        if !out.contains(&c) {
            out.push(c);
        }
    }
    p.country = out;
    p
}

fn query_suffix(p: &SearchParams) -> String {
    let qs = p.to_query_string();
    if qs.is_empty() {
        String::new()
    } else {
        format!("?{qs}")
    }
}

fn href(p: &SearchParams) -> String {
    format!("/{}", query_suffix(p))
}

/// `p` changed by `f`, back on page 1 (a new selection starts from the best results).
fn changed(p: &SearchParams, f: impl FnOnce(&mut SearchParams)) -> String {
    let mut p = p.clone();
    f(&mut p);
    p.page = None;
    href(&p)
}

/// Percent-encodes a document id for a URL path, keeping `/` (ids are corpus-relative paths).
pub fn encode_path(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `2010-05-14` → `14/05/2010`, as dates are written in Vietnamese.
/// What a result or a document page shows as its date: the date line, or for an undated document
/// the year its text supports (`năm 2015`), as the CLI shows it.
fn shown_date(date: Option<&str>, year: Option<u64>) -> Option<String> {
    date.map(vi_date)
        .or_else(|| year.map(|y| format!("năm {y}")))
}

fn vi_date(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!("{d}/{m}/{y}"),
        [y, m] => format!("{m}/{y}"),
        _ => iso.to_string(),
    }
}

/// `12345` → `12.345` (Vietnamese thousands separator).
fn vi_number(n: u64) -> String {
    let digits = n.to_string();
    let mut groups = Vec::new();
    let mut end = digits.len();
    while end > 3 {
        groups.push(&digits[end - 3..end]);
        end -= 3;
    }
    groups.push(&digits[..end]);
    groups.reverse();
    groups.join(".")
}

#[derive(Debug, Serialize, PartialEq, Eq)]
struct Link {
    label: String,
    href: String,
}

/// The source of a document as a link labelled with its host — only for http(s) URLs: a
/// `javascript:` URL in a document must never become a link.
fn source_link(url: &str) -> Option<Link> {
    let (scheme, rest) = url.trim().split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    if host.is_empty() {
        return None;
    }
    Some(Link {
        label: host.trim_start_matches("www.").to_string(),
        href: url.trim().to_string(),
    })
}

#[derive(Debug, Serialize)]
struct Tag {
    dim: &'static str,
    label: String,
    href: String,
}

/// Facet values shown per dimension under a result (the document page shows them all): enough to
/// see what a document is about without burying the snippet.
const TAGS_PER_DIM: usize = 3;

/// A document's facet values as links that add them to the search's filters, at most `per_dim`
/// of each dimension.
fn tags(p: &SearchParams, [country, ministry, topic]: [&[String]; 3], per_dim: usize) -> Vec<Tag> {
    let mut out = Vec::new();
    for (dim, values) in [
        ("country", country),
        ("ministry", ministry),
        ("topic", topic),
    ] {
        for v in values.iter().take(per_dim) {
            out.push(Tag {
                dim,
                label: v.clone(),
                href: changed(p, |p| {
                    let list = list_mut(p, dim);
                    if !list.contains(v) {
                        list.push(v.clone());
                    }
                }),
            });
        }
    }
    out
}

fn list_mut<'a>(p: &'a mut SearchParams, dim: &str) -> &'a mut Vec<String> {
    match dim {
        "country" => &mut p.country,
        "ministry" => &mut p.ministry,
        _ => &mut p.topic,
    }
}

#[derive(Debug, Serialize)]
struct FacetItem {
    value: String,
    count: Option<String>,
    href: String,
    selected: bool,
}

#[derive(Debug, Serialize)]
struct FacetGroup {
    name: &'static str,
    label: &'static str,
    items: Vec<FacetItem>,
}

#[derive(Debug, Serialize)]
struct Bar {
    /// The first year of the bar.
    year: u64,
    /// What the bar stands for, in its title: `2017`, or `1990–1999` for a decade.
    span: String,
    label: String,
    count: u64,
    href: String,
    selected: bool,
    /// Height in twentieths of the tallest bar (CSS classes `h0`…`h20`: no inline styles, so
    /// the Content-Security-Policy can forbid them).
    level: u64,
}

#[derive(Debug, Serialize)]
struct PageLink {
    n: u64,
    href: String,
    current: bool,
    gap: bool,
}

#[derive(Debug, Serialize)]
struct Pagination {
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<PageLink>,
}

#[derive(Debug, Serialize)]
struct HitView {
    rank: u64,
    title: String,
    href: String,
    date: Option<String>,
    date_iso: Option<String>,
    source: Option<Link>,
    snippet_html: String,
    tags: Vec<Tag>,
    /// The other publications of the same release ("N bản đăng lại").
    duplicates: Vec<RelatedView>,
}

/// Links to a release's other publications, as a page lists them.
fn reprint_links(p: &SearchParams, reprints: &[hoptac_search::Reprint]) -> Vec<RelatedView> {
    reprints
        .iter()
        .map(|r| RelatedView {
            title: r.title.clone(),
            href: format!("/doc/{}{}", encode_path(&r.id), query_suffix(p)),
            date: shown_date(r.date.as_deref(), None),
        })
        .collect()
}

/// What the search form carries: the query, and the filters as hidden fields so a new query keeps
/// them (they are shown, and removable, next to the results).
#[derive(Debug, Serialize)]
struct Form {
    q: String,
    hidden: Vec<(String, String)>,
}

#[derive(Debug, Serialize)]
struct SearchView {
    form: Form,
    q: String,
    landing: bool,
    total: String,
    total_n: u64,
    /// Said when the result set was relaxed: what the results do not all contain.
    relaxed: Option<String>,
    /// When the query was read differently (keystrokes, a typo): the reading, and the link that
    /// searches it as typed in the box.
    corrected: Option<(String, String)>,
    took_ms: String,
    first: u64,
    last: u64,
    hits: Vec<HitView>,
    facets: Vec<FacetGroup>,
    histogram: Vec<Bar>,
    year_form_hidden: Vec<(String, String)>,
    year_from: Option<u64>,
    year_to: Option<u64>,
    active: Vec<Link>,
    clear_href: Option<String>,
    pagination: Option<Pagination>,
    /// The same search as an Atom feed, a CSV and a RIS file.
    outputs: Outputs,
}

/// Where the current search is offered in other forms.
#[derive(Debug, Serialize)]
struct Outputs {
    feed: String,
    csv: String,
    ris: String,
}

impl Outputs {
    /// The search without its page (a feed and an export are the whole set).
    fn of(p: &SearchParams) -> Outputs {
        let mut whole = p.clone();
        whole.page = None;
        whole.per_page = None;
        let qs = whole.to_query_string();
        let at = |path: &str| {
            if qs.is_empty() {
                path.to_string()
            } else {
                format!("{path}?{qs}")
            }
        };
        Outputs {
            feed: at("/feed.atom"),
            csv: at("/api/search.csv"),
            ris: at("/api/search.ris"),
        }
    }
}

/// Related documents a document page lists ("Tài liệu liên quan").
pub const RELATED_SHOWN: usize = 5;

/// One of a document's related documents, as its page links it.
#[derive(Debug, Serialize)]
struct RelatedView {
    title: String,
    href: String,
    date: Option<String>,
}

#[derive(Debug, Serialize)]
struct DocView {
    related: Vec<RelatedView>,
    /// The same release published by other outlets.
    reprints: Vec<RelatedView>,
    form: Form,
    back: String,
    id: String,
    q: String,
    title_text: String,
    title_html: String,
    body_html: String,
    marks: usize,
    date: Option<String>,
    date_iso: Option<String>,
    source: Option<Link>,
    tags: Vec<Tag>,
}

const DIMS: [(Dim, &str, &str); 4] = [
    (Dim::Country, "country", "Quốc gia"),
    (Dim::Ministry, "ministry", "Bộ/ngành"),
    (Dim::Year, "year", "Năm"),
    (Dim::Topic, "topic", "Chủ đề"),
];

/// Most bars the year histogram draws: a wider span of years is drawn by decade, so bars stay
/// wide enough to see and click and their labels do not overlap (a corpus citing 1900 and 2025).
const HISTOGRAM_BARS: u64 = 30;

impl SearchView {
    fn form(p: &SearchParams) -> Form {
        let mut hidden = Vec::new();
        for (name, values) in [
            ("country", &p.country),
            ("ministry", &p.ministry),
            ("topic", &p.topic),
        ] {
            for v in values {
                hidden.push((name.to_string(), v.clone()));
            }
        }
        for y in &p.year {
            hidden.push(("year".into(), y.to_string()));
        }
        if let Some(y) = p.year_from {
            hidden.push(("year_from".into(), y.to_string()));
        }
        if let Some(y) = p.year_to {
            hidden.push(("year_to".into(), y.to_string()));
        }
        if p.per_page.is_some() {
            hidden.push(("per_page".into(), p.per_page().to_string()));
        }
        Form {
            q: p.query().to_string(),
            hidden,
        }
    }

    fn empty_form() -> Form {
        Self::form(&SearchParams::default())
    }

    fn build(p: &SearchParams, res: &SearchResponse) -> SearchView {
        let per_page = p.per_page();
        let total = res.total as u64;
        let first = (p.page() - 1) * per_page + 1;
        let last = first + res.hits.len() as u64 - 1;
        let hits = res
            .hits
            .iter()
            .enumerate()
            .map(|(i, h)| HitView {
                rank: first + i as u64,
                title: h.title.clone(),
                href: format!("/doc/{}{}", encode_path(&h.id), query_suffix(p)),
                date: shown_date(h.date.as_deref(), h.year),
                date_iso: h.date.clone().or_else(|| h.year.map(|y| y.to_string())),
                source: h.url.as_deref().and_then(source_link),
                snippet_html: h.snippet.clone(),
                duplicates: reprint_links(p, &h.duplicates),
                tags: tags(
                    p,
                    [&h.country[..], &h.ministry[..], &h.topic[..]],
                    TAGS_PER_DIM,
                ),
            })
            .collect();
        let mut facets = Vec::new();
        for (dim, name, label) in DIMS {
            if dim == Dim::Year {
                continue;
            }
            let values = match dim {
                Dim::Country => &res.facets.country,
                Dim::Ministry => &res.facets.ministry,
                _ => &res.facets.topic,
            };
            let selected = match dim {
                Dim::Country => &p.country,
                Dim::Ministry => &p.ministry,
                _ => &p.topic,
            };
            facets.push(FacetGroup {
                name,
                label,
                items: facet_items(p, name, values, selected),
            });
        }
        let mut active = Vec::new();
        for (_, name, label) in DIMS {
            if name == "year" {
                for y in &p.year {
                    active.push(Link {
                        label: format!("{label}: {y}"),
                        href: changed(p, |p| p.year.retain(|v| v != y)),
                    });
                }
                continue;
            }
            let values = match name {
                "country" => &p.country,
                "ministry" => &p.ministry,
                _ => &p.topic,
            };
            for v in values {
                active.push(Link {
                    label: format!("{label}: {v}"),
                    href: changed(p, |p| list_mut(p, name).retain(|x| x != v)),
                });
            }
        }
        if let Some(y) = p.year_from {
            active.push(Link {
                label: format!("Từ năm {y}"),
                href: changed(p, |p| p.year_from = None),
            });
        }
        if let Some(y) = p.year_to {
            active.push(Link {
                label: format!("Đến năm {y}"),
                href: changed(p, |p| p.year_to = None),
            });
        }
        let clear_href = (!active.is_empty()).then(|| {
            href(&SearchParams {
                q: p.q.clone(),
                per_page: p.per_page,
                ..Default::default()
            })
        });
        let mut year_form = SearchParams {
            year_from: None,
            year_to: None,
            ..p.clone()
        };
        year_form.page = None;
        SearchView {
            form: Self::form(p),
            q: p.query().to_string(),
            landing: p.is_empty(),
            total: vi_number(total),
            total_n: total,
            relaxed: res.relaxation.as_ref().map(relaxed_note),
            corrected: res.corrected.as_ref().map(|c| {
                let link = changed(p, |p| p.q = Some(c.clone()));
                (c.clone(), link)
            }),
            took_ms: format!("{:.1}", res.took_ms).replace('.', ","),
            first,
            last,
            hits,
            facets,
            histogram: histogram(p, &res.facets.year),
            year_form_hidden: Self::form(&year_form).hidden,
            year_from: p.year_from,
            year_to: p.year_to,
            active,
            clear_href,
            pagination: pagination(p, total),
            outputs: Outputs::of(p),
        }
    }
}

/// The line a relaxed result set shows above the results: how many documents say every word (if
/// any), which words the others may lack, and which countries they may only mention.
fn relaxed_note(r: &hoptac_search::Relaxation) -> String {
    let quoted = |words: &[String]| {
        words
            .iter()
            .map(|w| format!("“{w}”"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let head = if r.exact == 0 {
        "Không có tài liệu nào chứa đủ các từ".to_string()
    } else {
        format!("Chỉ {} tài liệu chứa đủ các từ", vi_number(r.exact as u64))
    };
    let mentioned = r.mentioned.join(", ");
    let shown = match (r.dropped.is_empty(), r.mentioned.is_empty()) {
        (false, true) => format!(
            "hiển thị tài liệu chứa phần lớn các từ (có thể thiếu {})",
            quoted(&r.dropped)
        ),
        (false, false) => format!(
            "hiển thị tài liệu chứa phần lớn các từ (có thể thiếu {}), kể cả tài liệu chỉ nhắc \
             đến {mentioned}",
            quoted(&r.dropped)
        ),
        (true, _) => format!("hiển thị cả tài liệu chỉ nhắc đến {mentioned}"),
    };
    format!("{head}; {shown}.")
}

fn facet_items(
    p: &SearchParams,
    name: &'static str,
    values: &[FacetValue],
    selected: &[String],
) -> Vec<FacetItem> {
    let mut items: Vec<FacetItem> = values
        .iter()
        .map(|v| {
            let on = selected.contains(&v.value);
            FacetItem {
                value: v.value.clone(),
                count: Some(vi_number(v.count)),
                href: changed(p, |p| {
                    let list = list_mut(p, name);
                    if on {
                        list.retain(|x| x != &v.value);
                    } else {
                        list.push(v.value.clone());
                    }
                }),
                selected: on,
            }
        })
        .collect();
    // A selected value always shows (and can be removed), even when the counts do not list it.
    for s in selected {
        if !values.iter().any(|v| &v.value == s) {
            items.insert(
                0,
                FacetItem {
                    value: s.clone(),
                    count: None,
                    href: changed(p, |p| list_mut(p, name).retain(|x| x != s)),
                    selected: true,
                },
            );
        }
    }
    items
}

fn histogram(p: &SearchParams, years: &[FacetValue]) -> Vec<Bar> {
    let mut counts: BTreeMap<u64, u64> = BTreeMap::new();
    for v in years {
        if let Ok(y) = v.value.parse::<u64>() {
            counts.insert(y, v.count);
        }
    }
    for y in &p.year {
        counts.entry(*y).or_insert(0);
    }
    let (Some(&lo), Some(&hi)) = (counts.keys().next(), counts.keys().next_back()) else {
        return Vec::new();
    };
    // One bar per year, or per decade when the years would not fit; empty ones filled in.
    let width = if hi - lo < HISTOGRAM_BARS { 1 } else { 10 };
    let mut bars: BTreeMap<u64, u64> = BTreeMap::new();
    for (year, count) in counts {
        *bars.entry(year - year % width).or_default() += count;
    }
    let (first, last) = (lo - lo % width, hi - hi % width);
    if (last - first) / width < HISTOGRAM_BARS {
        for start in (first..=last).step_by(width as usize) {
            bars.entry(start).or_insert(0);
        }
    }
    let max = bars.values().copied().max().unwrap_or(0).max(1);
    let n = bars.len();
    bars.into_iter()
        .enumerate()
        .map(|(i, (start, count))| {
            let end = start + width - 1;
            let on = if width == 1 {
                p.year.contains(&start)
            } else {
                p.year_from == Some(start) && p.year_to == Some(end)
            };
            // A label under every bar while they fit; beyond that the ends and the round years
            // away from them (the bar's own label is in its title and aria-label anyway).
            let round = if width == 1 { 5 } else { 50 };
            let labelled =
                n <= 8 || i == 0 || i + 1 == n || (start % round == 0 && i >= 3 && i + 4 <= n);
            Bar {
                year: start,
                span: if width == 1 {
                    start.to_string()
                } else {
                    format!("{start}–{end}")
                },
                label: if labelled {
                    start.to_string()
                } else {
                    String::new()
                },
                count,
                href: changed(p, |p| {
                    if width == 1 {
                        if on {
                            p.year.retain(|y| *y != start);
                        } else {
                            p.year.push(start);
                        }
                    } else if on {
                        (p.year_from, p.year_to) = (None, None);
                    } else {
                        p.year.clear();
                        (p.year_from, p.year_to) = (Some(start), Some(end));
                    }
                }),
                selected: on,
                level: if count == 0 {
                    0
                } else {
                    (count * 20).div_ceil(max).max(1)
                },
            }
        })
        .collect()
}

fn pagination(p: &SearchParams, total: u64) -> Option<Pagination> {
    let per_page = p.per_page();
    let reachable = total.min(MAX_RESULT_WINDOW);
    let pages = reachable.div_ceil(per_page).max(1);
    if pages <= 1 && p.page() == 1 {
        return None;
    }
    let current = p.page();
    let at = |n: u64| {
        let mut q = p.clone();
        q.page = (n > 1).then_some(n);
        href(&q)
    };
    let mut links = Vec::new();
    let mut last_shown = 0;
    for n in 1..=pages {
        let near = n + 2 >= current && n <= current + 2;
        if n == 1 || n == pages || near {
            if last_shown + 1 < n {
                links.push(PageLink {
                    n: 0,
                    href: String::new(),
                    current: false,
                    gap: true,
                });
            }
            links.push(PageLink {
                n,
                href: at(n),
                current: n == current,
                gap: false,
            });
            last_shown = n;
        }
    }
    debug_assert!(per_page <= MAX_PER_PAGE);
    Some(Pagination {
        prev: (current > 1).then(|| at(current - 1)),
        next: (current < pages).then(|| at(current + 1)),
        pages: links,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use hoptac_search::facets::FacetCountsByDim;
    use hoptac_search::Hit;

    fn params(raw: &str) -> SearchParams {
        SearchParams::parse(raw, Unknown::Reject).unwrap()
    }

    fn fv(value: &str, count: u64) -> FacetValue {
        FacetValue {
            value: value.into(),
            count,
        }
    }

    fn response(total: usize, hits: Vec<Hit>) -> SearchResponse {
        SearchResponse {
            total,
            took_ms: 1.25,
            hits,
            relaxed: false,
            relaxation: None,
            corrected: None,
            facets: FacetCountsByDim {
                country: vec![fv("Hàn Quốc", 3), fv("Nhật Bản", 1)],
                ministry: vec![fv("Bộ Thông tin và Truyền thông", 2)],
                year: vec![fv("2010", 2), fv("2013", 4)],
                topic: vec![],
            },
        }
    }

    #[test]
    fn a_relaxed_set_says_what_it_gave_up() {
        let dropped = hoptac_search::Relaxation {
            dropped: vec!["qwzxv".into()],
            exact: 0,
            mentioned: vec![],
        };
        assert_eq!(
            relaxed_note(&dropped),
            "Không có tài liệu nào chứa đủ các từ; hiển thị tài liệu chứa phần lớn các từ (có thể \
             thiếu “qwzxv”)."
        );
        let mentioned = hoptac_search::Relaxation {
            dropped: vec![],
            exact: 3,
            mentioned: vec!["Hàn Quốc".into()],
        };
        assert_eq!(
            relaxed_note(&mentioned),
            "Chỉ 3 tài liệu chứa đủ các từ; hiển thị cả tài liệu chỉ nhắc đến Hàn Quốc."
        );
    }

    fn empty_hit() -> Hit {
        Hit {
            id: String::new(),
            title: String::new(),
            date: None,
            year: None,
            url: None,
            score: 0.0,
            snippet: String::new(),
            passage: Default::default(),
            country: Vec::new(),
            ministry: Vec::new(),
            topic: Vec::new(),
            duplicates: vec![],
        }
    }

    fn hit(id: &str, title: &str, snippet: &str, url: Option<&str>) -> Hit {
        Hit {
            id: id.into(),
            title: title.into(),
            snippet: snippet.into(),
            url: url.map(String::from),
            date: Some("2010-05-14".into()),
            country: vec!["Hàn Quốc".into()],
            ..empty_hit()
        }
    }

    fn render_search(p: &SearchParams, res: &SearchResponse) -> String {
        render("search.html", SearchView::build(p, res)).unwrap()
    }

    #[test]
    fn templates_parse_and_render() {
        let p = params("q=h%E1%BB%A3p+t%C3%A1c");
        let html = render_search(
            &p,
            &response(
                1,
                vec![hit("a.txt", "Tiêu đề", "<mark>hợp tác</mark>", None)],
            ),
        );
        assert!(html.contains("<mark>hợp tác</mark>"));
        assert!(html.contains("Tiêu đề"));
        assert!(html.contains("lang=\"vi\""));
        let e = PageError(AppError::not_found("x")).into_response();
        assert_eq!(e.status(), StatusCode::NOT_FOUND);
        assert!(e.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
    }

    #[test]
    fn document_text_is_escaped_everywhere() {
        let p = params("q=%3Cscript%3E");
        let html = render_search(
            &p,
            &response(
                1,
                vec![hit(
                    "<x>.txt",
                    "<script>alert(1)</script>",
                    "&lt;script&gt;alert(1)&lt;/script&gt;",
                    Some("https://a.vn/\"><script>alert(2)</script>"),
                )],
            ),
        );
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)"));
    }

    #[test]
    fn only_http_urls_become_links() {
        assert_eq!(source_link("javascript:alert(1)"), None);
        assert_eq!(source_link("data:text/html,<b>"), None);
        assert_eq!(
            source_link("https://www.mic.gov.vn/tin/1.htm")
                .unwrap()
                .label,
            "mic.gov.vn"
        );
        assert_eq!(
            source_link("http://user@evil.example/").unwrap().label,
            "evil.example"
        );
    }

    #[test]
    fn facet_links_toggle_and_reset_the_page() {
        let p = params("q=x&country=H%C3%A0n+Qu%E1%BB%91c&page=2");
        let v = SearchView::build(&p, &response(30, vec![]));
        let countries = &v.facets[0];
        let korea = countries
            .items
            .iter()
            .find(|i| i.value == "Hàn Quốc")
            .unwrap();
        assert!(korea.selected);
        assert_eq!(korea.href, "/?q=x");
        let japan = countries
            .items
            .iter()
            .find(|i| i.value == "Nhật Bản")
            .unwrap();
        assert_eq!(
            japan.href,
            "/?q=x&country=H%C3%A0n+Qu%E1%BB%91c&country=Nh%E1%BA%ADt+B%E1%BA%A3n"
        );
        assert_eq!(v.active.len(), 1);
        assert_eq!(v.active[0].href, "/?q=x");
    }

    #[test]
    fn a_selected_value_missing_from_the_counts_still_shows() {
        let p = params("country=Lào");
        let v = SearchView::build(&p, &response(0, vec![]));
        assert!(v.facets[0]
            .items
            .iter()
            .any(|i| i.value == "Lào" && i.selected && i.count.is_none()));
    }

    #[test]
    fn histogram_fills_empty_years_and_scales() {
        let p = params("year=2010");
        let bars = histogram(&p, &response(0, vec![]).facets.year);
        let years: Vec<u64> = bars.iter().map(|b| b.year).collect();
        assert_eq!(years, [2010, 2011, 2012, 2013]);
        assert_eq!(bars[3].level, 20);
        assert_eq!(bars[0].level, 10);
        assert_eq!(bars[1].level, 0);
        assert!(bars[0].selected);
        assert_eq!(bars[0].href, "/");
    }

    #[test]
    fn a_century_of_years_is_drawn_by_decade() {
        let p = params("q=x");
        let years: Vec<FacetValue> = [(1905, 1), (1973, 2), (1975, 1), (2016, 40), (2017, 300)]
            .into_iter()
            .map(|(y, c)| fv(&y.to_string(), c))
            .collect();
        let bars = histogram(&p, &years);
        assert_eq!(bars.len(), 12, "1900s to 2010s, empty decades filled");
        assert_eq!(bars[0].span, "1900–1909");
        let seventies = bars.iter().find(|b| b.year == 1970).unwrap();
        assert_eq!(seventies.count, 3);
        assert!(
            seventies.href.contains("year_from=1970") && seventies.href.contains("year_to=1979")
        );
        assert_eq!(bars.last().unwrap().count, 340);
        // Within a span that fits, one bar per year.
        assert_eq!(histogram(&p, &years[3..]).len(), 2);
    }

    #[test]
    fn pagination_windows_around_the_current_page() {
        let p = params("q=x&page=5");
        let pg = pagination(&p, 200).unwrap();
        let shown: Vec<u64> = pg.pages.iter().map(|l| l.n).collect();
        assert_eq!(shown, [1, 0, 3, 4, 5, 6, 7, 0, 20]);
        assert_eq!(pg.prev.as_deref(), Some("/?q=x&page=4"));
        assert_eq!(pg.next.as_deref(), Some("/?q=x&page=6"));
        assert!(pagination(&params("q=x"), 7).is_none());
        let deep = pagination(&params("q=x"), 1_000_000).unwrap();
        assert_eq!(deep.pages.last().unwrap().n, MAX_RESULT_WINDOW / 10);
    }

    #[test]
    fn ids_are_encoded_for_paths() {
        assert_eq!(encode_path("a b/ç?.txt"), "a%20b/%C3%A7%3F.txt");
    }

    #[test]
    fn vietnamese_number_and_date_formats() {
        assert_eq!(vi_number(1234567), "1.234.567");
        assert_eq!(vi_number(12), "12");
        assert_eq!(vi_date("2010-05-14"), "14/05/2010");
        assert_eq!(vi_date("2010"), "2010");
        assert_eq!(shown_date(None, Some(2015)).as_deref(), Some("năm 2015"));
        assert_eq!(
            shown_date(Some("2010-05-14"), Some(2010)).as_deref(),
            Some("14/05/2010")
        );
        assert_eq!(shown_date(None, None), None);
    }
}
