//! End-to-end tests of `hoptac serve`: the real binary indexes a temporary copy of the bundled corpus
//! (plus a few hostile documents) and listens on an ephemeral loopback port; the tests talk to it
//! over real HTTP — through a small client, and through raw sockets where a client would be too
//! polite (oversized bodies, slow headers, broken percent-escapes).

use hoptac_testkit as support;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{ids, Folder, Server};

const KOREA_ATTT: &str = "001_ee5d0284acdd5462.txt";
const KOREA_2010: &str = "000_98408a7511f8acb5.txt";
const XSS: &str = "xss.txt";
const NESTED: &str = "báo cáo/2023 #1.md";

/// A temp folder with a copy of corpus/ and hostile extras: a document carrying `<script>`, and one
/// in a sub-folder whose name has a space and diacritics.
fn corpus_copy() -> Folder {
    Folder::bundled()
        .with(
            XSS,
            "Thử nghiệm <script>alert(1)</script> hợp tác\n\n\
             Văn bản thử nghiệm có <script>alert(1)</script> và <img src=x onerror=alert(2)> trong nội dung. \
             Đây là thử nghiệm an toàn cho trang kết quả.\n",
        )
        .with(
            NESTED,
            "# Báo cáo thường niên về hợp tác với Lào\n\nViệt Nam và Lào ký kết hợp tác. Lào và Việt Nam.\n",
        )
}

/// The HTML entities the templates write, decoded (to read links as a browser does).
fn unescape(html: &str) -> String {
    html.replace("&#x2f;", "/")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn counts(v: &Value, dim: &str) -> Vec<(String, u64)> {
    v[dim]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["value"].as_str().unwrap().to_string(),
                f["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn count_of(v: &Value, dim: &str, value: &str) -> Option<u64> {
    counts(v, dim)
        .into_iter()
        .find(|(v, _)| v == value)
        .map(|(_, c)| c)
}

#[test]
fn search_finds_korea_with_and_without_diacritics_and_marks_the_words_as_written() {
    let s = Server::start(corpus_copy(), &[]);
    for q in ["an toàn thông tin Hàn Quốc", "an toan thong tin han quoc"] {
        let res = s.search(&[("q", q)]);
        let hits = res["hits"].as_array().unwrap();
        assert_eq!(hits[0]["id"], KOREA_ATTT, "{q}: {:?}", ids(&res));
        assert!(ids(&res).contains(&KOREA_2010.to_string()));
        // The documents about the query, not every document that shares a syllable with it.
        assert_eq!(res["total"], 2, "{q}: {:?}", ids(&res));
        assert_eq!(res["relaxed"], false);
        assert!(res.get("relaxation").is_none());
        let snippet = hits[0]["snippet"].as_str().unwrap();
        assert!(
            snippet.contains("<mark>Hàn Quốc</mark>")
                || snippet.contains("<mark>an toàn thông tin</mark>"),
            "{q}: {snippet}"
        );
        for key in ["total", "took_ms", "page", "per_page", "hits", "facets"] {
            assert!(!res[key].is_null(), "{key} missing");
        }
        for key in [
            "id", "title", "date", "year", "url", "score", "snippet", "country", "ministry",
            "topic",
        ] {
            assert!(hits[0].get(key).is_some(), "hit field {key} missing");
        }
        assert!(hits[0].get("passage").is_none());
        for dim in ["country", "ministry", "year", "topic"] {
            assert!(res["facets"][dim].is_array(), "facet {dim} missing");
        }
        assert_eq!(
            (res["page"].as_u64(), res["per_page"].as_u64()),
            (Some(1), Some(10))
        );
    }
    // Typed with diacritics, the exact spelling is marked; typed without, every spelling is.
    let res = s.search(&[("q", "tin học hoá")]);
    assert_eq!(res["hits"][0]["id"], KOREA_2010);
    assert!(res["hits"][0]["snippet"]
        .as_str()
        .unwrap()
        .contains("<mark>Tin học hóa</mark>"));
}

/// A syllable typed with diacritics matches its own spelling (either tone placement), not its
/// folded twins; typed without, it matches them all; an acronym typed in capitals matches where a
/// text writes it so. The same rule decides the set, the snippets and the document page.
#[test]
fn diacritics_typed_match_their_spelling_in_the_set_snippets_and_the_document_page() {
    let dir = corpus_copy();
    let corpus = dir.path().join("corpus");
    std::fs::write(
        corpus.join("oda-nhat.txt"),
        "Nhật Bản tài trợ vốn ODA cho cầu Bạch Đằng\n\nChính phủ Nhật Bản nhất trí cho vay vốn ODA \
         xây cầu dài nhất; ông Oda Hiroshi dự lễ ký.\n",
    )
    .unwrap();
    std::fs::write(
        corpus.join("nhat-tri.txt"),
        "Hai bên nhất trí về kế hoạch\n\nÔng Oda nhất trí với ông Dương về phương án thứ nhất.\n",
    )
    .unwrap();
    let s = Server::start(dir, &[]);
    let typed = s.search(&[("q", "ODA Nhật Bản")]);
    assert_eq!(ids(&typed), ["oda-nhat.txt"], "{typed}");
    let snippet = typed["hits"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("<mark>ODA</mark>"), "{snippet}");
    for twin in ["<mark>nhất</mark>", "<mark>Oda</mark>"] {
        assert!(!snippet.contains(twin), "{twin} marked: {snippet}");
    }
    // `Nhật Bản`'s alias `Nhật` does not find `nhất` either; typed without diacritics, every
    // spelling is meant.
    assert!(!s.all_ids("Nhật Bản").contains(&"nhat-tri.txt".to_string()));
    assert!(!s.all_ids("đường").contains(&"nhat-tri.txt".to_string()));
    assert!(s.all_ids("duong").contains(&"nhat-tri.txt".to_string()));
    let doc = s.get_with("/doc/oda-nhat.txt", &[("q", "ODA Nhật Bản")]);
    assert_eq!(doc.status, 200);
    assert!(doc.body.contains("<mark>Nhật Bản</mark>"), "{}", doc.body);
    assert!(doc.body.contains("<mark>ODA</mark>"));
    assert!(!doc.body.contains("<mark>nhất</mark>"));
    assert!(!doc.body.contains("<mark>Oda</mark>"));
}

#[test]
fn a_query_no_document_says_whole_is_relaxed_and_says_so() {
    let s = Server::start(corpus_copy(), &[]);
    let res = s.search(&[("q", "an toàn thông tin Hàn Quốc qwzxv")]);
    assert_eq!(res["relaxed"], true, "{res}");
    assert_eq!(res["relaxation"]["exact"], 0);
    assert_eq!(res["relaxation"]["dropped"], serde_json::json!(["qwzxv"]));
    assert_eq!(res["hits"][0]["id"], KOREA_ATTT);
    assert_eq!(res["total"], 2);
    // The page says it above the results.
    let page = s.get_with("/", &[("q", "an toàn thông tin Hàn Quốc qwzxv")]);
    let b = unescape(&page.body);
    assert!(
        b.contains("Không có tài liệu nào chứa đủ các từ; hiển thị tài liệu chứa phần lớn các từ"),
        "{b}"
    );
    assert!(b.contains("“qwzxv”"));
    // Typed whole, it is not.
    let page = s.get_with("/", &[("q", "an toàn thông tin Hàn Quốc")]);
    assert!(!page.body.contains("id=\"relaxed\""));
}

#[test]
fn the_error_page_speaks_vietnamese() {
    let s = Server::start(corpus_copy(), &[]);
    let page = s.get_with("/", &[("q", "hợp tác"), ("page", "0")]);
    assert_eq!(page.status, 400);
    let b = unescape(&page.body);
    assert!(b.contains("số trang phải từ 1 trở lên"), "{b}");
    assert!(!b.contains("must be"), "English on the page: {b}");
    // The API keeps its English message.
    let api = s.get_with("/api/search", &[("q", "hợp tác"), ("page", "0")]);
    assert!(api.body.contains("page must be at least 1"), "{}", api.body);
}

#[test]
fn filters_or_within_a_facet_and_counts_follow_the_other_filters() {
    let s = Server::start(corpus_copy(), &[]);
    let all = s.get("/api/facets").json();
    // `limit` holds for every dimension, years included (the most frequent, oldest first).
    let two = s.get_with("/api/facets", &[("limit", "2")]).json();
    for dim in ["country", "ministry", "year", "topic"] {
        assert!(
            two[dim].as_array().unwrap().len() <= 2,
            "{dim}: {}",
            two[dim]
        );
    }
    assert!(
        all["year"].as_array().unwrap().len() > 2,
        "the corpus has more than two years"
    );
    let korea = s.search(&[("country", "Hàn Quốc")]);
    assert_eq!(korea["total"], 3);
    // Any spelling of a country filters the same.
    assert_eq!(s.search(&[("country", "han quoc")])["total"], 3);
    assert_eq!(s.search(&[("country", "Korea")])["total"], 3);
    // The country counts ignore the country filter (so Hungary can still be added) ...
    assert_eq!(counts(&korea["facets"], "country"), counts(&all, "country"));
    // ... while the other dimensions count only Korea's documents.
    let korea_years: u64 = counts(&korea["facets"], "year")
        .iter()
        .map(|(_, c)| c)
        .sum();
    let all_years: u64 = counts(&all, "year").iter().map(|(_, c)| c).sum();
    assert!(
        korea_years <= 3 && korea_years < all_years,
        "{korea_years} {all_years}"
    );
    // Repeated values mean any of them.
    let hungary: BTreeSet<String> = s.ids(&[("country", "Hungary")]).into_iter().collect();
    let korea_ids: BTreeSet<String> = ids(&korea).into_iter().collect();
    let either = s.search(&[("country", "Hàn Quốc"), ("country", "Hungary")]);
    let either_ids: BTreeSet<String> = ids(&either).into_iter().collect();
    assert!(!hungary.is_empty());
    assert_eq!(either_ids, &korea_ids | &hungary);
    assert_eq!(either["total"].as_u64().unwrap() as usize, either_ids.len());
    // Filters of different facets narrow each other; the year count of Korea is for Korea only.
    let k2010 = s.search(&[("country", "Hàn Quốc"), ("year", "2010")]);
    assert_eq!(ids(&k2010), [KOREA_2010]);
    assert_eq!(count_of(&k2010["facets"], "year", "2010"), Some(1));
    assert_eq!(
        count_of(&k2010["facets"], "country", "Hàn Quốc"),
        Some(1),
        "country counts must apply the year filter"
    );
    // A year range.
    let recent = s.search(&[("year_from", "2017"), ("year_to", "2024")]);
    for h in recent["hits"].as_array().unwrap() {
        let y = h["year"].as_u64().unwrap();
        assert!((2017..=2024).contains(&y), "{y}");
    }
    // With a query: counts are for the query, under the other filters.
    let q = s.search(&[("q", "hợp tác"), ("country", "Hàn Quốc")]);
    assert!(q["total"].as_u64().unwrap() <= 3);
    let korea_count = count_of(&q["facets"], "country", "Hàn Quốc").unwrap();
    assert_eq!(korea_count, q["total"].as_u64().unwrap());
}

#[test]
fn pages_partition_the_results_and_parameters_are_checked() {
    let s = Server::start(corpus_copy(), &[]);
    let everything = s.ids(&[("q", "hợp tác"), ("per_page", "100")]);
    assert!(everything.len() >= 5, "{everything:?}");
    let mut paged = Vec::new();
    for page in 1..=4 {
        let p = page.to_string();
        let res = s.search(&[("q", "hợp tác"), ("per_page", "2"), ("page", &p)]);
        assert_eq!(res["page"], page);
        assert_eq!(res["per_page"], 2);
        assert_eq!(res["total"].as_u64().unwrap() as usize, everything.len());
        let page_ids = ids(&res);
        assert!(page_ids.len() <= 2);
        paged.extend(page_ids);
    }
    assert_eq!(paged, everything);
    let beyond = s.search(&[("q", "hợp tác"), ("page", "50")]);
    assert!(beyond["hits"].as_array().unwrap().is_empty());
    assert_eq!(beyond["total"].as_u64().unwrap() as usize, everything.len());

    for (params, code) in [
        (vec![("q", "x"), ("page", "0")], "bad_parameter"),
        (vec![("q", "x"), ("per_page", "101")], "bad_parameter"),
        (vec![("q", "x"), ("per_page", "0")], "bad_parameter"),
        (vec![("q", "x"), ("page", "two")], "bad_parameter"),
        (vec![("year", "2010x")], "bad_parameter"),
        (
            vec![("year_from", "2020"), ("year_to", "2010")],
            "bad_parameter",
        ),
        (vec![("q", "x"), ("page", "100000")], "bad_parameter"),
        (vec![("q", "x"), ("colour", "red")], "unknown_parameter"),
        (vec![("facet", "color")], "unknown_parameter"),
    ] {
        let r = s.get_with("/api/search", &params);
        assert_eq!(r.error_code(400), code, "{params:?}");
    }
    assert_eq!(
        s.get_with("/api/suggest", &[("q", "x"), ("limit", "1000")])
            .error_code(400),
        "bad_parameter"
    );
    assert_eq!(
        s.get_with("/api/facets", &[("top", "3")]).error_code(400),
        "unknown_parameter"
    );
}

#[test]
fn documents_by_id_404s_413s_and_405s_are_json_errors() {
    let s = Server::start(corpus_copy(), &[]);
    let doc = s.get(&format!("/api/documents/{KOREA_2010}"));
    assert_eq!(doc.status, 200);
    let doc = doc.json();
    assert_eq!(doc["id"], KOREA_2010);
    assert_eq!(doc["date"], "2010-05-14");
    assert!(doc["body"].as_str().unwrap().len() > 200);
    assert!(doc["country"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "Hàn Quốc"));
    // Ids are paths: a nested one with a space, diacritics and `#` comes back percent-decoded.
    let nested = s.get("/api/documents/b%C3%A1o%20c%C3%A1o/2023%20%231.md");
    assert_eq!(nested.status, 200, "{}", nested.body);
    assert_eq!(nested.json()["id"], NESTED);

    assert_eq!(
        s.get("/api/documents/no-such-doc.txt").error_code(404),
        "not_found"
    );
    assert_eq!(s.get("/api/nothing-here").error_code(404), "not_found");

    let (status, body) = s.raw(
        b"POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
          Content-Length: 10485760\r\nConnection: close\r\n\r\n{\"q\":",
    );
    assert_eq!(status, 413, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["error"]["code"], "payload_too_large");

    let (status, body) = s.raw(
        b"POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
    );
    assert_eq!(status, 405, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["error"]["code"], "method_not_allowed");

    let health = s.get("/api/health").json();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["documents"], 7);
    assert_eq!(health["analyzer"], health["index"]["analyzer"]);
    assert!(health["index"]["schema"].is_string());

    let api = s.get("/api/openapi.json").json();
    assert!(api["openapi"].as_str().unwrap().starts_with("3."));
    assert!(api["paths"]["/api/search"]["get"]["parameters"].is_array());
}

#[test]
fn unreadable_queries_are_answered_never_500() {
    let s = Server::start(corpus_copy(), &[]);
    let long = "hợp tác ".repeat(1300);
    assert!(long.len() > 10_000);
    for q in [
        "\"unclosed",
        "(((",
        "-",
        "&&&",
        "\u{1}\u{7}\u{1b}[31m",
        "\u{0}",
        "-\"",
        "\"\"",
        "*?~^:\\/",
        long.as_str(),
    ] {
        let res = s.search(&[("q", q)]);
        assert!(res["total"].is_u64(), "{q:?}");
    }
    // Escapes no client would send.
    for path in [
        "/api/search?q=%FF%FE%FD",
        "/api/search?q=%",
        "/api/search?q=%zz&country=%",
        "/api/search?q=a&&&=&country",
        "/api/suggest?q=%C3",
    ] {
        let (status, body) = s
            .raw(format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes());
        assert_eq!(status, 200, "{path}: {body}");
    }
    // A head beyond the limit is refused by the HTTP layer, not by a crash.
    let huge = format!(
        "GET /api/search?q={} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "a".repeat(200_000)
    );
    let (status, _) = s.raw(huge.as_bytes());
    assert!(
        status == 0 || (400..500).contains(&status),
        "oversized head: {status}"
    );
    // The server is still fine.
    assert_eq!(s.get("/api/health").status, 200);
}

#[test]
fn document_text_is_escaped_in_json_and_in_pages() {
    let s = Server::start(corpus_copy(), &[]);
    let res = s.search(&[("q", "thử nghiệm")]);
    assert_eq!(res["hits"][0]["id"], XSS);
    let snippet = res["hits"][0]["snippet"].as_str().unwrap();
    assert!(
        snippet.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{snippet}"
    );
    assert!(
        !snippet.contains("<script") && !snippet.contains("<img"),
        "{snippet}"
    );
    assert!(snippet.contains("<mark>thử nghiệm</mark>"), "{snippet}");

    let page = s.get_with("/", &[("q", "thử nghiệm")]);
    assert_eq!(page.status, 200);
    assert!(page.content_type.starts_with("text/html"));
    assert!(page.csp.contains("script-src 'self'"), "{}", page.csp);
    assert!(
        !page.body.contains("<script>alert"),
        "unescaped script in page"
    );
    assert!(!page.body.contains("<img src=x"), "unescaped img in page");
    assert!(page.body.contains("&lt;script&gt;alert(1)"));

    let doc = s.get_with("/doc/xss.txt", &[("q", "thử nghiệm")]);
    assert_eq!(doc.status, 200);
    assert!(
        !doc.body.contains("<script>alert"),
        "unescaped script in document page"
    );
    assert!(!doc.body.contains("<img src=x"));
    assert!(doc.body.contains("<mark>thử nghiệm</mark>"));
    // The only scripts are the page's own.
    assert_eq!(doc.body.matches("<script").count(), 1);
}

#[test]
fn the_page_works_without_javascript() {
    let s = Server::start(corpus_copy(), &[]);
    let landing = s.get("/");
    assert_eq!(landing.status, 200);
    assert!(landing.body.contains("lang=\"vi\""));
    assert!(landing.body.contains("Tài liệu mới nhất"));
    assert!(landing.body.contains("autofocus"));

    let page = s.get_with("/", &[("q", "an toan thong tin han quoc")]);
    assert_eq!(page.status, 200);
    let b = &unescape(&page.body);
    assert!(b.contains("<mark>"), "no highlight");
    for label in ["Quốc gia", "Bộ/ngành", "Năm", "Chủ đề"] {
        assert!(b.contains(label), "facet group {label} missing");
    }
    // Facet values are links that add the filter to the URL.
    assert!(
        b.contains("country=H%C3%A0n+Qu%E1%BB%91c"),
        "no link filtering by Hàn Quốc"
    );
    assert!(b.contains("class=\"histogram\""));
    assert!(b.contains("/doc/001_ee5d0284acdd5462.txt?q=an+toan+thong+tin+han+quoc"));

    let filtered = s.get_with(
        "/",
        &[("q", "an toan thong tin han quoc"), ("country", "Hàn Quốc")],
    );
    assert!(
        filtered.body.contains("aria-current=\"true\""),
        "selected value not marked"
    );
    assert!(filtered.body.contains("Bỏ tất cả bộ lọc"));

    let none = s.get_with("/", &[("q", "zzzxxyy")]);
    assert_eq!(none.status, 200);
    assert!(none.body.contains("Không tìm thấy tài liệu nào"));

    let bad = s.get_with("/", &[("q", "x"), ("page", "0")]);
    assert_eq!(bad.status, 400);
    assert!(bad.content_type.starts_with("text/html"));
    assert!(bad.body.contains("Yêu cầu không hợp lệ"));

    let missing = s.get("/doc/nope.txt");
    assert_eq!(missing.status, 404);
    assert!(missing.content_type.starts_with("text/html"));
    assert_eq!(s.get("/nowhere").status, 404);

    let css = s.get("/assets/app.css");
    assert_eq!(css.status, 200);
    assert!(css.content_type.starts_with("text/css"));
    let js = s.get("/assets/app.js");
    assert!(js.content_type.starts_with("text/javascript"));
    assert!(js.body.contains("/api/suggest"));
}

#[test]
fn suggestions_complete_without_diacritics() {
    let s = Server::start(corpus_copy(), &[]);
    let r = s.get_with("/api/suggest", &[("q", "han q")]).json();
    assert_eq!(r["suggestions"][0]["text"], "Hàn Quốc");
    assert_eq!(r["suggestions"][0]["kind"], "country");
    let r = s
        .get_with("/api/suggest", &[("q", "an toan thong tin han q")])
        .json();
    assert_eq!(r["suggestions"][0]["query"], "an toan thong tin Hàn Quốc");
    let r = s.get_with("/api/suggest", &[("q", "")]).json();
    assert_eq!(r["suggestions"].as_array().unwrap().len(), 0);
}

#[test]
fn a_slow_client_is_cut_off_and_others_are_served_meanwhile() {
    let s = Server::start(corpus_copy(), &["--timeout", "1"]);
    let mut slow = TcpStream::connect(s.addr).unwrap();
    slow.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    // Meanwhile others get answers.
    assert_eq!(s.get("/api/health").status, 200);
    slow.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let started = Instant::now();
    let mut buf = Vec::new();
    let closed = slow.read_to_end(&mut buf);
    assert!(
        closed.is_ok(),
        "the server did not close the connection: {closed:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert!(!String::from_utf8_lossy(&buf).contains("200 OK"));
}

#[test]
fn serve_brings_the_index_up_to_date_at_start() {
    let dir = corpus_copy();
    let s = Server::start(dir, &[]);
    assert_eq!(s.get("/api/health").json()["documents"], 7);
    let dir = s.stop();
    std::fs::write(
        dir.path().join("corpus/new.txt"),
        "Hợp tác với Campuchia\n\nViệt Nam và Campuchia ký kết hợp tác. Campuchia.\n",
    )
    .unwrap();
    std::fs::remove_file(dir.path().join("corpus").join(XSS)).unwrap();
    let s = Server::start(dir, &[]);
    assert_eq!(s.get("/api/health").json()["documents"], 7);
    assert_eq!(s.ids(&[("q", "Campuchia")])[0], "new.txt");
    assert_eq!(
        s.get(&format!("/api/documents/{XSS}")).error_code(404),
        "not_found"
    );
}

#[test]
fn exposing_the_server_needs_an_admin_token() {
    let dir = corpus_copy();
    let out = support::run(
        support::hoptac(&dir.path().join("index"))
            .args(["serve", "--addr", "0.0.0.0:0", "--corpus"])
            .arg(dir.path().join("corpus")),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("admin token"), "{err}");
    assert!(
        !dir.path().join("index").exists(),
        "indexed before refusing"
    );
    let out = Command::new(support::bin())
        .args(["serve", "--addr", "0.0.0.0:0", "--admin-token", "short"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn an_unreadable_saved_config_is_said_in_the_health_and_searches_still_answer() {
    let dir = Folder::bundled();
    let index = dir.path().join("index");
    let corpus = dir.path().join("corpus");
    support::run_hoptac(&index, &["index", "--corpus", corpus.to_str().unwrap()]);
    std::fs::write(index.join("hoptac-config.json"), "{ not json").unwrap();
    // Without a corpus folder the server serves the index as it is (it rewrites nothing).
    std::fs::remove_dir_all(&corpus).unwrap();
    let server = Server::start(dir, &[]);
    let health = server.get("/api/health").json();
    let warnings = health["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{health}");
    assert!(
        warnings[0].as_str().unwrap().contains("hoptac-config.json"),
        "{health}"
    );
    assert!(
        server.log().contains("hoptac-config.json"),
        "{}",
        server.log()
    );
    assert_eq!(
        server.get_with("/api/search", &[("q", "Hàn Quốc")]).status,
        200
    );
}

#[test]
fn keystrokes_and_typos_are_read_as_meant_and_said() {
    let dir = corpus_copy();
    // `tax` spells `tã` in Telex; the corpus knows it as an English word.
    std::fs::write(
        dir.path().join("corpus/tax.txt"),
        "Ưu đãi thuế cho nhà đầu tư\n\nCorporate tax incentives: Việt Nam giảm thuế (tax) cho dự án \
         công nghệ cao.\n",
    )
    .unwrap();
    let s = Server::start(dir, &[]);
    let base = s.search(&[("q", "an toàn thông tin Hàn Quốc")]);
    assert!(
        base.get("corrected").is_none(),
        "a correct query is never corrected"
    );
    for (typed, meant) in [
        (
            "an toanf thoong tin Hanf Quoocs",
            "an toàn thông tin Hàn Quốc",
        ),
        (
            "an toan2 tho6ng tin Han2 Quo6c1",
            "an toàn thông tin Hàn Quốc",
        ),
        ("an toàn thôgn tin Hàn Quốc", "an toàn thông tin Hàn Quốc"),
    ] {
        let res = s.search(&[("q", typed)]);
        assert_eq!(res["corrected"], meant, "{typed}");
        assert_eq!(res["hits"][0]["id"], base["hits"][0]["id"], "{typed}");
        assert_eq!(res["total"], base["total"], "{typed}");
        // The marks fall on the words found.
        let snippet = res["hits"][0]["snippet"].as_str().unwrap();
        assert!(snippet.contains("<mark>"), "{typed}: {snippet}");
        // The page offers the reading as a link.
        let page = s.get_with("/", &[("q", typed)]);
        assert!(page.body.contains("Có phải bạn muốn tìm"), "{typed}");
        assert!(
            page.body.contains(&format!("<strong>{meant}</strong>")),
            "{typed}"
        );
    }
    // Words the corpus has, English ones included, are left as typed.
    for q in [
        "Hàn Quốc",
        "hop tac",
        "ASEAN",
        "e-government",
        "tax",
        "tax incentives",
    ] {
        let res = s.search(&[("q", q)]);
        assert!(res.get("corrected").is_none(), "{q}: {}", res["corrected"]);
    }
}

#[test]
fn an_undated_document_shows_the_year_its_text_supports() {
    let dir = corpus_copy();
    std::fs::write(
        dir.path().join("corpus/lao.txt"),
        "Hợp tác với Lào về giáo dục trong năm 2015\n\nNăm 2015, Bộ Giáo dục và Đào tạo Việt Nam \
         và Lào ký kết chương trình hợp tác giáo dục. Trong năm 2015 hai bên trao đổi sinh viên.\n",
    )
    .unwrap();
    let s = Server::start(dir, &[]);
    let res = s.search(&[("q", "Lào giáo dục")]);
    assert_eq!(res["hits"][0]["id"], "lao.txt");
    assert!(res["hits"][0]["date"].is_null());
    assert_eq!(res["hits"][0]["year"], 2015);
    let page = s.get_with("/", &[("q", "Lào giáo dục")]);
    assert!(
        page.body
            .contains(r#"<time datetime="2015">năm 2015</time>"#),
        "{}",
        page.body
    );
    let doc = s.get("/doc/lao.txt");
    assert!(
        doc.body
            .contains(r#"<time datetime="2015">năm 2015</time>"#),
        "{}",
        doc.body
    );
}
