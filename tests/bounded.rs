//! Bounded cost: documents no search can be stalled by, and a server that stops when told.
//!
//! The corpus is the bundled press releases plus four files a real corpus folder receives by
//! accident: 14 MB of one phrase (a log, a bad PDF conversion), 200,000 distinct tokens, a 5 MB
//! line without a space, and deeply nested HTML. They are indexed (the long ones by their
//! beginning, and `hoptac index` says so); a real server with a deadline of a few seconds answers
//! every query of a fixed list — common words, phrases, filters, the documents' own pages — with
//! 200; SIGTERM then stops it, with exit code 0. The test asserts answers and the exit, not
//! timings (those are in BENCHMARKS.md).

use hoptac_testkit as support;

use std::time::Duration;

use support::{json, run_hoptac, Folder, Server};

/// The server's request deadline for this test, in seconds.
const DEADLINE_SECS: &str = "5";

fn hostile_corpus() -> Folder {
    let dir = Folder::bundled();
    let corpus = dir.path().join("corpus");
    // 14 MB: a title, a blank line, one phrase 1.75 million times.
    let mut huge = String::from("Nhật ký máy chủ\n\n");
    huge.push_str(&"hợp tác ".repeat(1_750_000));
    std::fs::write(corpus.join("huge.txt"), &huge).unwrap();
    // 200,000 distinct tokens.
    let mut distinct = String::from("Danh mục mã\n\n");
    for i in 0..200_000u32 {
        distinct.push_str(&format!("ma{i:x}z "));
    }
    std::fs::write(corpus.join("distinct.txt"), &distinct).unwrap();
    // 5 MB without a space or a line break.
    let line = format!("Một dòng dài\n\n{}", "ươ".repeat(1_250_000));
    std::fs::write(corpus.join("oneline.txt"), &line).unwrap();
    // HTML nested 50,000 deep around a sentence.
    let depth = 50_000;
    let nested = format!(
        "<html><head><title>Lồng nhau</title></head><body>{}<p>Việt Nam và Nhật Bản hợp tác \
         về hạ tầng số.</p>{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    std::fs::write(corpus.join("nested.html"), nested).unwrap();
    dir
}

#[test]
fn hostile_documents_cannot_stall_the_server_and_sigterm_stops_it() {
    let dir = hostile_corpus();
    let index = dir.path().join("index");
    let out = run_hoptac(
        &index,
        &[
            "index",
            "--json",
            "--corpus",
            dir.path().join("corpus").to_str().unwrap(),
        ],
    );
    let summary = json(&out);
    assert_eq!(summary["documents"], 9, "{summary}");
    let truncated: Vec<&str> = summary["truncated"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    for name in ["huge.txt", "distinct.txt", "oneline.txt"] {
        assert!(
            truncated.contains(&name),
            "{name} not reported: {truncated:?}"
        );
    }

    let server = Server::start(
        dir,
        &["--no-index", "--no-watch", "--timeout", DEADLINE_SECS],
    );
    let queries: &[&[(&str, &str)]] = &[
        &[("q", "hợp")],
        &[("q", "hợp tác")],
        &[("q", "hợp tác a")],
        &[("q", "ư hợp tác")],
        &[("q", "tác hợp tác quốc tế")],
        &[("q", "\"hợp tác hợp tác\"")],
        &[("q", "hop tac")],
        &[("q", "an toàn thông tin Hàn Quốc")],
        &[("q", "ma1fz")],
        &[("q", "ươ")],
        &[("q", "hạ tầng số Nhật Bản")],
        &[("q", "xyz")],
        &[("q", "hợp tác"), ("country", "Hàn Quốc")],
        &[("q", "hợp tác"), ("page", "2")],
        &[("country", "Hàn Quốc")],
        &[("year", "2010")],
    ];
    for params in queries {
        let reply = server.get_with("/api/search", params);
        assert_eq!(reply.status, 200, "{params:?}: {}", reply.body);
        let body = reply.json();
        assert!(body["total"].as_u64().is_some(), "{params:?}: {body}");
        // The page answers too, with its snippets.
        let page = server.get_with("/", params);
        assert_eq!(page.status, 200, "page {params:?}");
    }
    let found = server.all_ids("hợp tác");
    assert!(found.iter().any(|id| id == "huge.txt"), "{found:?}");
    let past_cap = server.all_ids(&format!("ma{:x}z", 199_999));
    assert!(
        past_cap.is_empty(),
        "a token past the cap is not indexed: {past_cap:?}"
    );
    for path in [
        "/doc/huge.txt?q=h%E1%BB%A3p",
        "/doc/oneline.txt",
        "/doc/nested.html?q=h%E1%BA%A1+t%E1%BA%A7ng",
        "/api/documents/huge.txt",
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{path}");
    }
    // The whole text is stored and given back.
    let doc = server.get("/api/documents/huge.txt").json();
    assert!(doc["body"].as_str().unwrap().len() > 14_000_000);

    let (status, _) = server.terminate(Duration::from_secs(10));
    let status = status.expect("SIGTERM stops the server");
    assert_eq!(status.code(), Some(0), "{status:?}");
}
