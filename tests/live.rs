//! A live corpus, end to end: `hoptac serve` on a temporary copy of the bundled corpus, watching the
//! folder, with documents posted and deleted over real HTTP on an ephemeral loopback port.
//!
//! Changes become visible asynchronously (the watcher debounces), so the tests poll the server until
//! a generous deadline; a wait is never an assertion by itself.

use hoptac_testkit as support;

use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use support::{hoptac, reply, repo, run, Folder, Server, TOKEN};

#[test]
fn dropped_edited_renamed_and_deleted_files_are_reflected() {
    let server = Server::start(Folder::bundled(), &[]);
    let corpus = server.corpus();
    let before = server.count();
    assert_eq!(before, 5);

    // Drop: found.
    std::fs::write(
        corpus.join("moi.txt"),
        "Hội nghị hợp tác quokkavil Việt Nam – Úc\n\nHai bên thảo luận về quokkavil và hạ tầng số.\n",
    )
    .unwrap();
    server.eventually_hits("quokkavil", &["moi.txt"]);
    assert_eq!(server.count(), before + 1);

    // Edit: the old text no longer matches, the new one does, one document still.
    std::fs::write(
        corpus.join("moi.txt"),
        "Hội nghị hợp tác wombatra Việt Nam – Úc\n\nHai bên thảo luận về wombatra.\n",
    )
    .unwrap();
    server.eventually_hits("wombatra", &["moi.txt"]);
    assert!(server.all_ids("quokkavil").is_empty());
    assert_eq!(server.count(), before + 1);

    // Rename into a new folder: one document, under the new id.
    std::fs::create_dir_all(corpus.join("2024")).unwrap();
    std::fs::rename(corpus.join("moi.txt"), corpus.join("2024/doi-ten.txt")).unwrap();
    server.eventually_hits("wombatra", &["2024/doi-ten.txt"]);
    assert_eq!(server.count(), before + 1);
    let old = reply(
        server
            .agent
            .get(&server.url("/api/documents/moi.txt"))
            .call(),
    );
    assert_eq!(old.status, 404, "{}", old.body);

    // An editor's temporary and hidden files are not documents.
    std::fs::write(corpus.join(".moi.txt.swp"), "wombatra bí mật").unwrap();
    std::fs::write(corpus.join("2024/doi-ten.txt~"), "wombatra sao lưu").unwrap();

    // Delete: gone.
    std::fs::remove_file(corpus.join("2024/doi-ten.txt")).unwrap();
    server.eventually_hits("wombatra", &[]);
    assert_eq!(server.count(), before);

    // A folder moved in with its files: all of them found.
    let outside = server.dir().join("lo");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(
        outside.join("a.md"),
        "# Hợp tác kangarix\n\nkangarix một.\n",
    )
    .unwrap();
    std::fs::write(
        outside.join("b.md"),
        "# Hợp tác kangarix hai\n\nkangarix hai.\n",
    )
    .unwrap();
    std::fs::rename(&outside, corpus.join("lo")).unwrap();
    server.eventually("a folder moved in is indexed", || {
        match server.all_ids("kangarix").len() {
            2 => Ok(()),
            n => Err(format!("{n} hits")),
        }
    });
    // …and moved out again: none left.
    std::fs::rename(corpus.join("lo"), &outside).unwrap();
    server.eventually_hits("kangarix", &[]);
    assert_eq!(server.count(), before);
}

#[test]
fn a_file_written_in_pieces_is_indexed_whole() {
    let server = Server::start(Folder::bundled(), &[]);
    let path = server.corpus().join("dai.txt");
    // Written in several flushes with pauses longer than the watcher's debounce: whatever the
    // watcher saw in between, the final index holds the whole file, once.
    let mut f = std::fs::File::create(&path).unwrap();
    use std::io::Write;
    writeln!(f, "Báo cáo hợp tác dingolia\n").unwrap();
    f.flush().unwrap();
    for i in 0..5 {
        writeln!(f, "Đoạn {i} về dingolia và hợp tác.").unwrap();
        f.flush().unwrap();
        std::thread::sleep(Duration::from_millis(150));
    }
    writeln!(f, "Kết thúc bằng platypora.").unwrap();
    drop(f);
    server.eventually_hits("platypora", &["dai.txt"]);
    assert_eq!(server.all_ids("dingolia"), ["dai.txt"]);
    let doc = reply(
        server
            .agent
            .get(&server.url("/api/documents/dai.txt"))
            .call(),
    )
    .json();
    assert!(doc["body"].as_str().unwrap().contains("Đoạn 4"), "{doc}");
    assert_eq!(server.count(), 6);
}

#[test]
fn posted_documents_replace_by_id_and_survive_a_rebuild() {
    let server = Server::start(Folder::bundled(), &["--no-watch"]);
    let before = server.count();
    let doc = |body: &str| {
        serde_json::json!({
            "id": "thong-cao-1",
            "title": "Thông cáo hợp tác Việt Nam – Hàn Quốc về echidnar",
            "body": body,
            "date": "2024-05-01",
            "url": "https://example.org/tc1",
            "country": "Hàn Quốc",
            "topic": ["Chuyển đổi số"],
        })
    };
    let r = server.post_json(&doc("Hai bên hợp tác về echidnar."), None);
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(
        r.json(),
        serde_json::json!({"id": "incoming/thong-cao-1.json"})
    );
    // Searchable as soon as the answer arrives, and saved in the corpus folder.
    assert_eq!(server.all_ids("echidnar"), ["incoming/thong-cao-1.json"]);
    assert!(server.corpus().join("incoming/thong-cao-1.json").is_file());

    // The same id again replaces it.
    let r = server.post_json(&doc("Nội dung mới về numbatix."), None);
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(server.all_ids("numbatix"), ["incoming/thong-cao-1.json"]);
    assert_eq!(
        server.all_ids("echidnar"),
        ["incoming/thong-cao-1.json"],
        "title"
    );
    assert_eq!(server.count(), before + 1);
    let shown = reply(
        server
            .agent
            .get(&server.url("/api/documents/incoming/thong-cao-1.json"))
            .call(),
    )
    .json();
    assert_eq!(shown["date"], "2024-05-01");
    assert_eq!(shown["url"], "https://example.org/tc1");
    assert!(shown["country"]
        .as_array()
        .unwrap()
        .contains(&"Hàn Quốc".into()));

    // Without an id, one is derived from the title and content.
    let r = server.post_json(
        &serde_json::json!({"title": "Hợp tác bilbyon", "body": "bilbyon"}),
        None,
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let derived = r.json()["id"].as_str().unwrap().to_string();
    assert!(
        derived.starts_with("incoming/hop-tac-bilbyon-") && derived.ends_with(".json"),
        "{derived}"
    );

    // A file upload, in its own format.
    let r = server.upload(
        "bao-cao.md",
        "# Báo cáo potoroon\n\nHợp tác về potoroon.\n".as_bytes(),
        None,
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["id"], "incoming/bao-cao.md");
    assert_eq!(server.all_ids("potoroon"), ["incoming/bao-cao.md"]);

    // Refused, and nothing written: bad ids, empty documents, binary uploads, other formats.
    let incoming = || {
        let mut names: Vec<String> = std::fs::read_dir(server.corpus().join("incoming"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let files = incoming();
    for bad_id in ["../../etc/x", "a/b", ".hidden", "a\u{7}b", &"x".repeat(129)] {
        let r = server.post_json(
            &serde_json::json!({"id": bad_id, "title": "t", "body": "b"}),
            None,
        );
        assert_eq!(r.status, 400, "{bad_id:?}: {}", r.body);
    }
    let r = server.post_json(&serde_json::json!({"title": " ", "body": ""}), None);
    assert_eq!(r.code(), "bad_document", "{}", r.body);
    let r = server.post_json(&serde_json::json!({"title": "t"}), None);
    assert_eq!(r.status, 400, "{}", r.body);
    let r = server.upload("rac.txt", &[0, 159, 146, 150, 0, 0, 1, 2, 0, 0], None);
    assert_eq!(r.code(), "bad_document", "{}", r.body);
    let r = server.upload("anh.png", b"\x89PNG", None);
    assert_eq!(r.code(), "bad_document", "{}", r.body);
    let r = reply(
        server
            .agent
            .post(&server.url("/api/documents"))
            .content_type("text/plain")
            .send("hợp tác"),
    );
    assert_eq!(r.status, 415, "{}", r.body);
    assert_eq!(incoming(), files);
    assert_eq!(server.count(), before + 3);

    // The corpus folder is the source of truth: a rebuild from it keeps every posted document.
    let dir = server.stop();
    let out = run(hoptac(&dir.path().join("index"))
        .args(["index", "--rebuild", "--corpus"])
        .arg(dir.path().join("corpus")));
    assert!(out.status.success(), "{out:?}");
    for (q, id) in [
        ("numbatix", "incoming/thong-cao-1.json"),
        ("potoroon", "incoming/bao-cao.md"),
    ] {
        let out = run(hoptac(&dir.path().join("index")).args(["search", q, "--json"]));
        assert!(out.status.success(), "{out:?}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let ids = support::ids(&v);
        assert_eq!(ids, [id], "{q}");
    }
}

#[test]
fn writes_need_the_admin_token_when_one_is_set() {
    let server = Server::start(Folder::bundled(), &["--no-watch", "--admin-token", TOKEN]);
    let before = server.count();
    let doc = serde_json::json!({"id": "bi-mat", "title": "Hợp tác quollax", "body": "quollax"});
    for token in [None, Some("wrong-token-wrong-token"), Some("")] {
        let r = server.post_json(&doc, token);
        assert_eq!(r.status, 401, "{token:?}: {}", r.body);
        assert_eq!(r.code(), "unauthorized");
        let r = server.upload("x.txt", "Hợp tác quollax".as_bytes(), token);
        assert_eq!(r.status, 401, "{token:?}: {}", r.body);
    }
    assert!(!server.corpus().join("incoming").exists());
    assert_eq!(server.count(), before);

    let r = server.post_json(&doc, Some(TOKEN));
    assert_eq!(r.status, 201, "{}", r.body);
    let id = "incoming/bi-mat.json";
    for token in [None, Some("wrong-token-wrong-token")] {
        let r = server.delete(id, token);
        assert_eq!(r.status, 401, "{token:?}: {}", r.body);
        assert!(server.corpus().join(id).is_file());
        assert_eq!(server.all_ids("quollax"), [id]);
    }
    // Existing corpus files can be deleted too; reads stay open.
    let r = server.delete("000_98408a7511f8acb5.txt", Some(TOKEN));
    assert_eq!(r.status, 204, "{}", r.body);
    assert!(!server.corpus().join("000_98408a7511f8acb5.txt").exists());
    let r = server.delete(id, Some(TOKEN));
    assert_eq!(r.status, 204, "{}", r.body);
    assert!(!server.corpus().join(id).exists());
    assert!(server.all_ids("quollax").is_empty());
    assert_eq!(server.count(), before - 1);
    let r = server.delete(id, Some(TOKEN));
    assert_eq!(r.code(), "not_found", "{}", r.body);
    let r = server.delete("..%2F..%2Fetc%2Fpasswd", Some(TOKEN));
    assert!(r.status == 400 || r.status == 404, "{}", r.body);
}

#[test]
fn a_second_indexer_is_refused_while_the_server_holds_the_index() {
    let server = Server::start(Folder::bundled(), &[]);
    let dir = server.dir().to_path_buf();
    let out = run(hoptac(&dir.join("index"))
        .args(["index", "--corpus"])
        .arg(dir.join("corpus")));
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("in use by another hoptac process"),
        "unclear message: {err}"
    );
    // A rebuild would swap the folder under the server: refused too.
    let out = run(hoptac(&dir.join("index"))
        .args(["index", "--rebuild", "--corpus"])
        .arg(dir.join("corpus")));
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("in use by another hoptac process"));
    // Nothing was harmed: the server still answers and still writes.
    assert_eq!(server.count(), 5);
    let r = server.post_json(
        &serde_json::json!({"id": "sau", "title": "Hợp tác bandicor", "body": "bandicor"}),
        None,
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let dir = server.stop();
    let out = run(hoptac(&dir.path().join("index"))
        .args(["index", "--corpus"])
        .arg(dir.path().join("corpus")));
    assert!(out.status.success(), "{out:?}");
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(
        summary.contains("added 0, updated 0, removed 0, unchanged 6"),
        "{summary}"
    );
}

#[test]
fn a_changed_gazetteer_re_extracts_on_the_next_index_run() {
    let dir = Folder::bundled();
    let config = dir.path().join("index-config");
    std::fs::create_dir_all(&config).unwrap();
    for e in std::fs::read_dir(repo().join("index-config")).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), config.join(e.file_name())).unwrap();
        }
    }
    let index = |dir: &Path| {
        let out = run(hoptac(&dir.join("index"))
            .args(["index", "--corpus"])
            .arg(dir.join("corpus"))
            .arg("--config")
            .arg(dir.join("index-config")));
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let topics = |dir: &Path| -> Vec<String> {
        let out = run(hoptac(&dir.join("index")).args(["facets", "--json"]));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["topic"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["value"].as_str().unwrap().to_string())
            .collect()
    };
    index(dir.path());
    assert!(!topics(dir.path()).contains(&"Hợp tác thử nghiệm".to_string()));
    let mut t = std::fs::read_to_string(config.join("topics.toml")).unwrap();
    t.push_str("\n[[topic]]\nname = \"Hợp tác thử nghiệm\"\ntriggers = [\"ban hợp tác\"]\n");
    std::fs::write(config.join("topics.toml"), t).unwrap();
    let summary = index(dir.path());
    assert!(summary.contains("updated 5"), "{summary}");
    assert!(topics(dir.path()).contains(&"Hợp tác thử nghiệm".to_string()));
    // And once re-extracted, nothing more to do.
    assert!(index(dir.path()).contains("unchanged 5"));
}

#[test]
fn an_incompatible_index_is_rebuilt_in_the_background_while_serving() {
    let dir = Folder::bundled();
    let out = run(hoptac(&dir.path().join("index"))
        .args(["index", "--corpus"])
        .arg(dir.path().join("corpus")));
    assert!(out.status.success(), "{out:?}");
    // As if an older hoptac had written it: its analyzer version differs.
    let meta_path = dir.path().join("index/meta.json");
    let mut meta: Value = serde_json::from_slice(&std::fs::read(&meta_path).unwrap()).unwrap();
    let mut payload: Value = serde_json::from_str(meta["payload"].as_str().unwrap()).unwrap();
    payload["analyzer"] = "vi-0-old".into();
    meta["payload"] = payload.to_string().into();
    std::fs::write(&meta_path, meta.to_string()).unwrap();
    let out = run(hoptac(&dir.path().join("index")).args(["search", "Hàn Quốc"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("hoptac index --rebuild"));

    let server = Server::start(dir, &[]);
    // It answers at once, from the old index or the new one.
    let r = reply(
        server
            .agent
            .get(&server.url("/api/search"))
            .query("q", "Hàn Quốc")
            .call(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    server.eventually("the rebuilt index is swapped in", || {
        let h = reply(server.agent.get(&server.url("/api/health")).call()).json();
        if h["index"]["analyzer"] == h["analyzer"] && h["documents"] == 5 {
            Ok(())
        } else {
            Err(h.to_string())
        }
    });
    assert!(
        server.log().contains("in the background"),
        "{}",
        server.log()
    );
    // And the rebuilt index has the writer: posts work.
    server.eventually("writes are accepted after the rebuild", || {
        let r = server.post_json(
            &serde_json::json!({"id": "moi", "title": "Hợp tác dunnartix", "body": "dunnartix"}),
            None,
        );
        match r.status {
            201 => Ok(()),
            _ => Err(r.body),
        }
    });
    assert_eq!(server.all_ids("dunnartix"), ["incoming/moi.json"]);
}

#[test]
fn repeated_searches_are_answered_from_the_cache_until_the_index_changes() {
    let server = Server::start(Folder::bundled(), &["--no-watch"]);
    let q = [("q", "hợp tác Hàn Quốc")];
    let total = |r: &support::Reply| r.json()["total"].as_u64().unwrap();
    let first = server.get_with("/api/search", &q);
    assert_eq!((first.status, first.cache.as_str()), (200, "miss"));
    let again = server.get_with("/api/search", &q);
    assert_eq!(again.cache, "hit");
    assert_eq!(again.json()["hits"], first.json()["hits"]);
    // Another page or filter is another answer.
    let page2 = server.get_with("/api/search", &[q[0], ("page", "2"), ("per_page", "2")]);
    assert_eq!(page2.cache, "miss");

    // A posted document changes the index: the next answer is searched again and counts it.
    let r = server.post_json(
        &serde_json::json!({
            "id": "cache-1",
            "title": "Việt Nam – Hàn Quốc hợp tác về dugongvar",
            "body": "Hai bên hợp tác về dugongvar.",
        }),
        None,
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let after = server.get_with("/api/search", &q);
    assert_eq!(after.cache, "miss");
    assert_eq!(total(&after), total(&first) + 1);
    assert_eq!(server.get_with("/api/search", &q).cache, "hit");

    // Deleted: gone from the next answer at once.
    let d = server.delete("incoming/cache-1.json", None);
    assert!(d.status < 300, "{}", d.body);
    let deleted = server.get_with("/api/search", &q);
    assert_eq!(deleted.cache, "miss");
    assert_eq!(total(&deleted), total(&first));
    drop(server);

    // `--cache-entries 0`: every request is searched.
    let server = Server::start(Folder::bundled(), &["--no-watch", "--cache-entries", "0"]);
    for _ in 0..2 {
        assert_eq!(server.get_with("/api/search", &q).cache, "miss");
    }
}
