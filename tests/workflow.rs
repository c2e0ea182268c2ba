//! The researcher's workflow end to end, through a running `hoptac serve` and the CLI: every search
//! as an Atom feed (read back by an Atom parser), the whole result set as CSV (read back by a CSV
//! reader) and as RIS.

use hoptac_testkit as support;

use std::io::BufReader;

use serde_json::Value;
use support::{ids, json, run_hoptac, Server};

const KOREA_ATTT: &str = "001_ee5d0284acdd5462.txt";
const KOREA_2010: &str = "000_98408a7511f8acb5.txt";

fn feed(s: &Server, params: &[(&str, &str)]) -> atom_syndication::Feed {
    let r = s.get_with("/feed.atom", params);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.content_type.starts_with("application/atom+xml"),
        "{}",
        r.content_type
    );
    atom_syndication::Feed::read_from(BufReader::new(r.body.as_bytes()))
        .unwrap_or_else(|e| panic!("not an Atom feed: {e}\n{}", r.body))
}

fn entry_ids(f: &atom_syndication::Feed) -> Vec<String> {
    f.entries()
        .iter()
        .map(|e| e.id().rsplit("/doc/").next().unwrap().to_string())
        .collect()
}

#[test]
fn every_search_is_a_feed_newest_first_and_a_new_document_is_in_it_at_once() {
    let s = Server::start(support::Folder::bundled(), &[]);
    let q = [("q", "an toan thong tin han quoc")];
    let f = feed(&s, &q);
    // The feed's own elements (RFC 4287 §4.1.1).
    assert_eq!(f.id(), s.url("/feed.atom?q=an+toan+thong+tin+han+quoc"));
    assert!(f.title().as_str().contains("an toan thong tin han quoc"));
    assert!(!f.authors().is_empty(), "a feed without author");
    let rel = |links: &[atom_syndication::Link], rel: &str| {
        links
            .iter()
            .find(|l| l.rel() == rel)
            .map(|l| l.href().to_string())
    };
    assert_eq!(rel(f.links(), "self").as_deref(), Some(f.id()));
    assert_eq!(
        rel(f.links(), "alternate"),
        Some(s.url("/?q=an+toan+thong+tin+han+quoc"))
    );
    // The result set, newest first: the 2010 releases, the newer first.
    let entries = f.entries();
    assert_eq!(entries.len(), 2, "{:?}", entry_ids(&f));
    assert!(entries[0].updated() >= entries[1].updated());
    assert_eq!(*f.updated(), *entries[0].updated());
    for e in entries {
        assert!(e.id().starts_with(&s.url("/doc/")), "{}", e.id());
        assert!(!e.title().as_str().is_empty());
        let link = rel(e.links(), "alternate").expect("an entry without a link");
        assert!(
            link.contains("/doc/") && link.contains("q=an+toan"),
            "{link}"
        );
        let summary = e.summary().expect("an entry without a summary");
        assert_eq!(summary.r#type, atom_syndication::TextType::Html);
        assert!(summary.as_str().contains("<mark>"), "{}", summary.as_str());
        assert!(e.categories().iter().any(|c| c.term() == "Hàn Quốc"));
    }
    let mut ids = entry_ids(&f);
    ids.sort();
    assert_eq!(ids, [KOREA_2010, KOREA_ATTT]);

    // A document posted now leads the feed of a matching search.
    let r = s.post_json(
        &serde_json::json!({
            "id": "an-toan-2026",
            "title": "Việt Nam – Hàn Quốc ký kết hợp tác an toàn thông tin",
            "body": "Hai bên hợp tác về an toàn thông tin. Hàn Quốc chia sẻ kinh nghiệm.",
            "date": "2026-12-01",
            "country": "Hàn Quốc",
        }),
        None,
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let f = feed(&s, &q);
    assert_eq!(entry_ids(&f)[0], "incoming/an-toan-2026.json");
    assert_eq!(f.updated().to_rfc3339(), "2026-12-01T00:00:00+00:00");

    // A file dropped into the corpus folder, too.
    std::fs::write(
        s.corpus().join("moi.txt"),
        "Hàn Quốc hỗ trợ an toàn thông tin\nThứ tư, 02/12/2026 09:00\n\nHàn Quốc và Việt Nam hợp \
         tác về an toàn thông tin.\n",
    )
    .unwrap();
    s.eventually("the dropped file leads the feed", || {
        let first = entry_ids(&feed(&s, &q)).first().cloned();
        if first.as_deref() == Some("moi.txt") {
            Ok(())
        } else {
            Err(format!("{first:?}"))
        }
    });

    // The page offers the feed, in its head and as a link.
    let page = s.get_with("/", &q);
    assert!(page
        .body
        .contains("<link rel=\"alternate\" type=\"application/atom+xml\""));
    assert!(page.body.contains("Theo dõi (Atom)"));
    // Filters are part of the feed; unknown parameters (a tracker's) are not an error.
    let filters = [("country", "Hàn Quốc"), ("year", "2010")];
    let f = feed(&s, &[filters[0], filters[1], ("utm_source", "x")]);
    let mut want = s.ids(&filters);
    want.sort();
    let mut got = entry_ids(&f);
    got.sort();
    assert_eq!(got, want);
    assert!(f.title().as_str().contains("Hàn Quốc"));
}

#[test]
fn the_result_set_exports_as_csv_and_ris_through_the_api_and_the_cli() {
    let s = Server::start(support::Folder::bundled(), &["--no-watch"]);
    let search = s.search(&[("q", "hợp tác"), ("per_page", "100")]);
    let want: Vec<String> = ids(&search);
    let total = search["total"].as_u64().unwrap() as usize;
    assert_eq!(want.len(), total, "the bundled corpus fits one page");

    let r = s.get_with("/api/search.csv", &[("q", "hợp tác")]);
    assert_eq!(r.status, 200);
    assert!(r.content_type.starts_with("text/csv"), "{}", r.content_type);
    assert!(r.body.starts_with('\u{feff}'), "no byte-order mark");
    let mut reader = csv::Reader::from_reader(r.body.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        vec![
            "id",
            "title",
            "date",
            "url",
            "countries",
            "ministries",
            "topics",
            "score"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let got: Vec<String> = rows.iter().map(|r| r[0].to_string()).collect();
    assert_eq!(got, want, "the same documents in the same order");
    let korea = rows.iter().find(|r| &r[0] == KOREA_ATTT).unwrap();
    let hit = search["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == KOREA_ATTT)
        .unwrap();
    assert_eq!(&korea[1], hit["title"].as_str().unwrap());
    assert!(korea[4].split("; ").any(|c| c == "Hàn Quốc"), "{korea:?}");
    assert!(korea[7].parse::<f32>().unwrap() > 0.0);

    let r = s.get_with("/api/search.ris", &[("q", "hợp tác")]);
    assert_eq!(r.status, 200);
    assert!(r
        .content_type
        .starts_with("application/x-research-info-systems"));
    let records: Vec<&str> = r
        .body
        .split("ER  - \r\n")
        .filter(|x| !x.trim().is_empty())
        .collect();
    assert_eq!(records.len(), total);
    for (rec, id) in records.iter().zip(&want) {
        assert!(rec.starts_with("TY  - NEWS\r\n"), "{rec}");
        assert!(rec.contains(&format!("\r\nID  - {id}\r\n")), "{rec}");
        assert!(rec.contains("\r\nTI  - "), "{rec}");
    }
    let korea = records.iter().find(|r| r.contains(KOREA_ATTT)).unwrap();
    assert!(korea.contains("\r\nKW  - Hàn Quốc\r\n"), "{korea}");
    // An unknown parameter is a 400, as for the search.
    assert_eq!(s.get_with("/api/search.csv", &[("qq", "x")]).status, 400);

    // The CLI writes the same export.
    let dir = s.stop();
    let index = dir.path().join("index");
    let out = run_hoptac(&index, &["search", "hợp tác", "--format", "csv"]);
    assert!(out.status.success());
    assert!(out.stdout.starts_with(b"\xEF\xBB\xBF"));
    let mut reader = csv::Reader::from_reader(&out.stdout[3..]);
    let cli: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    assert_eq!(cli, want);
    let out = run_hoptac(&index, &["search", "hợp tác", "--format", "ris"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.matches("TY  - NEWS\r\n").count(), total);
    // Newest first, as the feed reads it.
    let out = run_hoptac(
        &index,
        &["search", "hợp tác", "--sort", "newest", "--format", "json"],
    );
    let dates: Vec<String> = json(&out)["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h: &Value| h["date"].as_str().map(String::from))
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
}

/// The Korea release republished by another outlet (its own title, date line and footer), and a
/// different article on the same visit.
fn corpus_with_a_reprint() -> support::Folder {
    let dir = support::Folder::bundled();
    let corpus = dir.path().join("corpus");
    let release = std::fs::read_to_string(corpus.join(KOREA_ATTT)).unwrap();
    let body: String = release.lines().skip(3).collect::<Vec<_>>().join("\n");
    std::fs::write(
        corpus.join(REPRINT),
        format!(
            "Việt Nam và Hàn Quốc mở chương mới trong hợp tác thông tin truyền thông\n\n\
             10:30, 07/08/2024\n\n{body}\n\nTheo Báo Điện tử Chính phủ\n"
        ),
    )
    .unwrap();
    std::fs::write(
        corpus.join(SAME_VISIT),
        "Bộ trưởng Nguyễn Mạnh Hùng gặp doanh nghiệp bán dẫn Hàn Quốc\n\n14:00, 02/08/2024\n\n\
         Trong chuyến công tác tại Hàn Quốc, Bộ trưởng Bộ Thông tin và Truyền thông Nguyễn Mạnh Hùng \
         đã gặp lãnh đạo một số tập đoàn bán dẫn. Các doanh nghiệp Hàn Quốc cho biết sẽ mở rộng đầu \
         tư vào Việt Nam, đào tạo kỹ sư thiết kế chip và xây dựng trung tâm nghiên cứu tại Hà Nội. \
         Bộ trưởng đề nghị các tập đoàn chuyển giao công nghệ, hợp tác với các trường đại học của \
         Việt Nam để phát triển nguồn nhân lực cho công nghiệp bán dẫn trong những năm tới.\n",
    )
    .unwrap();
    dir
}

const REPRINT: &str = "ban-sao.txt";
const SAME_VISIT: &str = "ban-dan.txt";

fn duplicates(v: &Value) -> Vec<String> {
    v["duplicates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_reprint_shows_once_with_its_other_publications_and_survives_writes() {
    let s = Server::start(corpus_with_a_reprint(), &["--no-watch"]);
    let q = [("q", "hợp tác thông tin truyền thông Hàn Quốc bán dẫn")];
    let res = s.search(&q);
    let shown = ids(&res);
    let pair = [KOREA_ATTT.to_string(), REPRINT.to_string()];
    let at: Vec<&String> = shown.iter().filter(|id| pair.contains(id)).collect();
    assert_eq!(
        at.len(),
        1,
        "the release and its reprint both listed: {shown:?}"
    );
    let hit = res["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| pair.contains(&h["id"].as_str().unwrap().to_string()))
        .unwrap();
    let other = if at[0] == KOREA_ATTT {
        REPRINT
    } else {
        KOREA_ATTT
    };
    assert_eq!(duplicates(hit), [other]);
    assert!(shown.contains(&SAME_VISIT.to_string()), "{shown:?}");
    // Counts are of documents: the reprint counts.
    assert_eq!(res["total"].as_u64().unwrap() as usize, shown.len() + 1);
    // Every publication, on request.
    let all = s.ids(&[q[0], ("collapse", "false")]);
    assert!(pair.iter().all(|id| all.contains(id)), "{all:?}");
    assert_eq!(
        s.get_with("/api/search", &[q[0], ("collapse", "maybe")])
            .status,
        400
    );
    // The document says its reprints; an article on the same visit is not one.
    let doc = s.get(&format!("/api/documents/{REPRINT}")).json();
    assert_eq!(duplicates(&doc), [KOREA_ATTT]);
    // Listed as it is published: its own title and date.
    let original = s.get(&format!("/api/documents/{KOREA_ATTT}")).json();
    let listed = &doc["duplicates"][0];
    assert!(!original["title"].as_str().unwrap().is_empty());
    assert!(original["date"].is_string(), "{original}");
    assert_eq!(listed["title"], original["title"]);
    assert_eq!(listed["date"], original["date"]);
    let doc = s.get(&format!("/api/documents/{SAME_VISIT}")).json();
    assert!(duplicates(&doc).is_empty());
    // The page shows the group once, with its reprint behind "1 bản đăng lại".
    let page = s.get_with("/", &q);
    assert_eq!(
        page.body.matches("1 bản đăng lại").count(),
        1,
        "{}",
        page.body
    );

    // A third publication POSTed joins the group; deleting the first leaves the others theirs.
    let release = std::fs::read_to_string(s.corpus().join(KOREA_ATTT)).unwrap();
    let body: String = release.lines().skip(3).collect::<Vec<_>>().join("\n");
    let r = s.post_json(
        &serde_json::json!({"id": "ban-sao-3", "title": "Hợp tác thông tin truyền thông Việt – Hàn", "body": body, "date": "2024-08-08"}),
        None,
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let doc = s.get(&format!("/api/documents/{REPRINT}")).json();
    let mut got = duplicates(&doc);
    got.sort();
    assert_eq!(got, [KOREA_ATTT, "incoming/ban-sao-3.json"]);
    assert_eq!(s.delete(KOREA_ATTT, None).status, 204);
    let doc = s.get(&format!("/api/documents/{REPRINT}")).json();
    assert_eq!(duplicates(&doc), ["incoming/ban-sao-3.json"]);

    // An incremental run over the unchanged corpus keeps the groups.
    let dir = s.stop();
    let index = dir.path().join("index");
    let out = run_hoptac(
        &index,
        &[
            "index",
            "--corpus",
            dir.path().join("corpus").to_str().unwrap(),
        ],
    );
    assert!(out.status.success());
    let s = Server::start(dir, &["--no-watch"]);
    let doc = s.get(&format!("/api/documents/{REPRINT}")).json();
    assert_eq!(duplicates(&doc), ["incoming/ban-sao-3.json"]);
}

#[test]
fn related_documents_are_alike_and_leave_out_the_documents_reprints() {
    let s = Server::start(corpus_with_a_reprint(), &["--no-watch"]);
    let r = s.get_with(
        &format!("/api/documents/{KOREA_ATTT}/related"),
        &[("limit", "3")],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["id"], KOREA_ATTT);
    let related: Vec<String> = v["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert!(related.len() <= 3 && !related.is_empty(), "{related:?}");
    assert!(!related.contains(&KOREA_ATTT.to_string()));
    assert!(
        !related.contains(&REPRINT.to_string()),
        "a reprint is not a related document"
    );
    // The other Korea release and the article on the same visit are the most alike.
    assert!(
        related[..2].contains(&SAME_VISIT.to_string())
            || related[..2].contains(&KOREA_2010.to_string()),
        "{related:?}"
    );
    assert_eq!(
        s.get(&format!("/api/documents/{KOREA_ATTT}/related?limit=0"))
            .status,
        400
    );
    assert_eq!(s.get("/api/documents/nope.txt/related").status, 404);
    // The document page lists them under "Tài liệu liên quan", and its reprint under its own head.
    let page = s.get(&format!("/doc/{KOREA_ATTT}"));
    assert!(page.body.contains("Tài liệu liên quan"));
    assert!(page.body.contains("Bản đăng lại (1)"));
}
