//! End-to-end tests of the `hoptac` binary: index a temporary copy of the bundled corpus, then search,
//! filter, count facets and show documents through the command line, as a user would.

use hoptac_testkit as support;

use support::{json, run_hoptac as hoptac, Folder};

/// A temp folder with a copy of corpus/ and an index built from it by `hoptac index`.
fn indexed() -> Folder {
    let f = Folder::bundled();
    let out = f.hoptac_index(&[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    f
}

const KOREA_ATTT: &str = "001_ee5d0284acdd5462.txt";
const KOREA_2010: &str = "000_98408a7511f8acb5.txt";

#[test]
fn korea_information_security_ranks_first_however_typed() {
    let f = indexed();
    for q in [
        "an toàn thông tin Hàn Quốc",
        "an toan thong tin han quoc",
        "ATTT Hàn Quốc",
    ] {
        let ids = f.search_ids(q);
        assert_eq!(ids[0], KOREA_ATTT, "{q}: {ids:?}");
        assert!(ids.contains(&KOREA_2010.to_string()), "{q}: {ids:?}");
        // Only the documents about the query: not the bundled releases on other countries.
        assert!(ids.len() < 5, "{q}: {ids:?}");
    }
}

#[test]
fn other_tone_placement_finds_tin_hoc_hoa_and_highlights_it_as_written() {
    let f = indexed();
    let res = f.hoptac_search(&["tin học hoá"]);
    assert_eq!(res["hits"][0]["id"], KOREA_2010);
    let snippet = res["hits"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("<mark>Tin học hóa</mark>"), "{snippet}");
}

#[test]
fn filters_alone_find_korea_2010() {
    let f = indexed();
    let res = f.hoptac_search(&["--country", "Hàn Quốc", "--year", "2010"]);
    let ids = support::ids(&res);
    assert_eq!(ids, [KOREA_2010]);
}

#[test]
fn country_filter_accepts_any_spelling() {
    let f = indexed();
    let a = f.hoptac_search(&["--country", "han quoc"]);
    let b = f.hoptac_search(&["--country", "Korea"]);
    assert_eq!(a["total"], 3);
    assert_eq!(a["total"], b["total"]);
}

#[test]
fn facets_list_countries_and_years() {
    let f = indexed();
    let facets = json(&hoptac(&f.index_path(), &["facets", "--json"]));
    let values = |dim: &str| -> Vec<String> {
        facets[dim]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["value"].as_str().unwrap().to_string())
            .collect()
    };
    for c in ["Hàn Quốc", "Hungary"] {
        assert!(
            values("country").contains(&c.to_string()),
            "{:?}",
            values("country")
        );
    }
    assert_eq!(values("year"), ["2010", "2017", "2018", "2024"]);
    assert!(values("ministry").contains(&"Bộ Thông tin và Truyền thông".to_string()));
    assert!(values("topic").contains(&"An toàn thông tin".to_string()));
}

#[test]
fn nfd_and_nfc_find_each_other() {
    let f = Folder::bundled();
    let nfd: String = unicode_nfd("Hợp tác phát triển nguồn nhân lực Thụy Điển");
    std::fs::write(
        f.corpus().join("nfd.txt"),
        format!("{nfd}\n\n{nfd} trong lĩnh vực khoa học.\n"),
    )
    .unwrap();
    std::fs::write(
        f.corpus().join("nfc.txt"),
        "Xúc tiến thương mại với Đan Mạch\n\nXúc tiến thương mại với Đan Mạch.\n",
    )
    .unwrap();
    assert!(f.hoptac_index(&[]).status.success());
    assert_eq!(f.search_ids("nguồn nhân lực Thụy Điển")[0], "nfd.txt");
    assert_eq!(
        f.search_ids(&unicode_nfd("xúc tiến Đan Mạch"))[0],
        "nfc.txt"
    );
}

/// Decomposes the Vietnamese letters used in these tests (a tiny NFD, so the test does not share
/// the normaliser it is testing).
fn unicode_nfd(s: &str) -> String {
    let table = [
        ('ợ', "o\u{31b}\u{323}"),
        ('á', "a\u{301}"),
        ('ồ', "o\u{302}\u{300}"),
        ('â', "a\u{302}"),
        ('ự', "u\u{31b}\u{323}"),
        ('ụ', "u\u{323}"),
        ('Đ', "Đ"),
        ('ể', "e\u{302}\u{309}"),
        ('ĩ', "i\u{303}"),
        ('ọ', "o\u{323}"),
        ('ú', "u\u{301}"),
        ('ế', "e\u{302}\u{301}"),
        ('ư', "u\u{31b}"),
        ('ạ', "a\u{323}"),
        ('ớ', "o\u{31b}\u{301}"),
        ('ị', "i\u{323}"),
        ('ơ', "o\u{31b}"),
        ('ệ', "e\u{302}\u{323}"),
    ];
    s.chars()
        .map(|c| {
            table
                .iter()
                .find(|(k, _)| *k == c)
                .map(|(_, v)| v.to_string())
                .unwrap_or_else(|| c.to_string())
        })
        .collect()
}

#[test]
fn malformed_files_are_reported_and_skipped() {
    let f = Folder::bundled();
    let c = f.corpus();
    std::fs::write(c.join("empty.txt"), "").unwrap();
    std::fs::write(c.join("binary.txt"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0").unwrap();
    std::fs::write(c.join("latin1.txt"), b"H\xe9llo caf\xe9\n").unwrap();
    std::fs::write(c.join("zero.json"), b"").unwrap();
    std::fs::write(c.join("array.json"), b"[1, 2, 3]").unwrap();
    std::fs::write(
        c.join("ok.json"),
        r#"{"title": "Hợp tác với Lào", "body": "Việt Nam và Lào ký kết."}"#,
    )
    .unwrap();
    let out = f.hoptac_index(&[]);
    let summary = json(&out);
    let skipped: Vec<&str> = summary["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["path"].as_str().unwrap())
        .collect();
    for name in [
        "empty.txt",
        "binary.txt",
        "latin1.txt",
        "zero.json",
        "array.json",
    ] {
        assert!(skipped.contains(&name), "{name} not reported: {summary}");
    }
    assert_eq!(summary["documents"], 6);
    assert_eq!(f.search_ids("hợp tác với Lào")[0], "ok.json");
}

#[test]
fn human_summary_names_each_skipped_file_and_its_reason() {
    let f = Folder::bundled();
    std::fs::write(f.corpus().join("empty.txt"), "").unwrap();
    let corpus = f.corpus();
    let out = hoptac(
        &f.index_path(),
        &["index", "--corpus", corpus.to_str().unwrap()],
    );
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("added 5, updated 0, removed 0, unchanged 0, skipped 1"),
        "{stdout}"
    );
    assert!(
        stderr.contains("empty.txt") && stderr.contains("empty"),
        "{stderr}"
    );
}

#[test]
fn nothing_indexable_is_a_failure() {
    let dir = support::Folder::empty();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("empty.txt"), "").unwrap();
    let out = hoptac(
        &dir.path().join("index"),
        &["index", "--corpus", corpus.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn reindexing_an_unchanged_corpus_changes_nothing() {
    let f = indexed();
    let again = json(&f.hoptac_index(&[]));
    assert_eq!(again["unchanged"], 5);
    let human = hoptac(
        &f.index_path(),
        &["index", "--corpus", f.corpus().to_str().unwrap()],
    );
    let said = String::from_utf8_lossy(&human.stdout);
    assert!(said.starts_with("up to date, 5 documents in "), "{said}");
    assert_eq!(again["added"], 0);
    assert_eq!(again["documents"], 5);
}

#[test]
fn show_prints_a_document_with_its_facets() {
    let f = indexed();
    let doc = json(&hoptac(&f.index_path(), &["show", KOREA_2010, "--json"]));
    assert_eq!(doc["id"], KOREA_2010);
    assert_eq!(doc["date"], "2010-05-14");
    assert!(doc["country"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "Hàn Quốc"));
    let body = doc["body"].as_str().unwrap();
    for furniture in [
        "Xem chi tiết icon",
        "imgNgoài",
        "Cổng dịch vụ công",
        "khai báo online tại đây",
        "Chính sách\npháp luật",
    ] {
        assert!(
            !body.contains(furniture),
            "site furniture was indexed: {furniture:?}"
        );
    }
    assert!(
        body.contains("\nNgoài những nội dung chính"),
        "the article lost a paragraph"
    );
    let missing = hoptac(&f.index_path(), &["show", "no-such-doc.txt"]);
    assert_eq!(missing.status.code(), Some(1));
}

#[test]
fn a_search_without_hits_succeeds_and_bad_usage_exits_2() {
    let f = indexed();
    let none = hoptac(&f.index_path(), &["search", "zzzyyyxxx"]);
    assert_eq!(none.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&none.stdout).contains("0 kết quả"));
    assert_eq!(hoptac(&f.index_path(), &["search"]).status.code(), Some(2));
    assert_eq!(
        hoptac(&f.index_path(), &["search", "x", "--page", "0"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        hoptac(&f.index_path(), &["frobnicate"]).status.code(),
        Some(2)
    );
}

#[test]
fn unreadable_queries_are_answered() {
    let f = indexed();
    for q in [
        "\"unclosed",
        "(((",
        "-",
        "&&&",
        "\u{7}\u{1b}",
        &"hợp tác ".repeat(1500),
    ] {
        let res = f.hoptac_search(&["--", q]);
        assert!(res["total"].is_u64(), "{q}");
    }
}

#[test]
fn missing_index_is_a_clear_error() {
    let dir = support::Folder::empty();
    let out = hoptac(&dir.path().join("nothing"), &["search", "hợp tác"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("hoptac index"));
}

#[test]
fn a_closed_pipe_ends_the_program_quietly() {
    let f = indexed();
    for args in [
        &["search", "hợp tác", "--limit", "50"][..],
        &["search", "--country", "Hàn Quốc", "--json"][..],
        &["facets"][..],
    ] {
        // The reader has gone before the first line is written (`hoptac search … | head -c 0`).
        let mut child = support::hoptac(&f.index_path())
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(out.status.success(), "{args:?}: {:?} {stderr}", out.status);
    }
}
