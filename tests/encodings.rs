//! Legacy encodings through the `hoptac` binary: the hand-made files of `tests/fixtures/encodings`
//! (TCVN3, VNI, Windows-1258, and HTML pages declaring their charset) are indexed with the encoding
//! they were found in, and found by queries typed in Unicode.

use std::path::Path;

use hoptac_testkit::{json, repo, run_hoptac, Folder};
use serde_json::Value;

fn hoptac(index: &Path, args: &[&str]) -> Value {
    json(&run_hoptac(index, args))
}

fn first_hit(index: &Path, query: &str) -> String {
    hoptac(index, &["search", query, "--json"])["hits"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn legacy_files_are_indexed_with_their_encoding_and_found_in_unicode() {
    let dir = Folder::empty();
    let index = dir.index_path();
    let corpus = repo().join("tests/fixtures/encodings/corpus");
    let summary = hoptac(
        &index,
        &["index", "--corpus", corpus.to_str().unwrap(), "--json"],
    );
    assert_eq!(summary["skipped"], Value::Array(vec![]), "{summary}");
    assert_eq!(summary["documents"], 5);

    for (id, encoding, title) in [
        (
            "bo-tttt-han-quoc-2010.txt",
            "tcvn3",
            "Việt Nam và Hàn Quốc tăng cường hợp tác về an toàn thông tin",
        ),
        (
            "so-tttt-nhat-ban-2008.txt",
            "vni-windows",
            "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH",
        ),
        (
            "ktxh-lao-2005.txt",
            "windows-1258",
            "Hội nghị Ủy ban liên Chính phủ Việt Nam - Lào về hợp tác kinh tế, văn hóa, khoa học kỹ thuật",
        ),
        (
            "trang-cp1258.html",
            "windows-1258",
            "Hợp tác bưu chính viễn thông Việt Nam - Campuchia",
        ),
        (
            "trang-tcvn3.html",
            "tcvn3",
            "Đoàn công tác Bộ Bưu chính, Viễn thông thăm Ấn Độ",
        ),
    ] {
        let doc = hoptac(&index, &["show", id, "--json"]);
        assert_eq!(doc["encoding"], encoding, "{id}");
        assert_eq!(doc["title"], title, "{id}");
    }

    let tcvn3 = hoptac(&index, &["show", "bo-tttt-han-quoc-2010.txt", "--json"]);
    assert_eq!(tcvn3["date"], "2010-05-14");
    assert!(tcvn3["country"]
        .as_array()
        .unwrap()
        .contains(&Value::from("Hàn Quốc")));

    assert_eq!(
        first_hit(&index, "an toàn thông tin Hàn Quốc"),
        "bo-tttt-han-quoc-2010.txt"
    );
    assert_eq!(
        first_hit(&index, "chuyen doi so Nhat Ban"),
        "so-tttt-nhat-ban-2008.txt"
    );
    assert_eq!(first_hit(&index, "Viêng Chăn"), "ktxh-lao-2005.txt");
    assert_eq!(
        first_hit(&index, "bưu chính Campuchia"),
        "trang-cp1258.html"
    );
    assert_eq!(first_hit(&index, "công viên phần mềm"), "trang-tcvn3.html");
}
