//! A live corpus, end to end: `hoptac serve` on a temporary copy of the bundled corpus, watching the
//! folder, with documents posted and deleted over real HTTP on an ephemeral loopback port.
//!
//! Changes become visible asynchronously (the watcher debounces), so the tests poll the server until
//! a generous deadline; a wait is never an assertion by itself.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const TOKEN: &str = "a-test-admin-token-0123456789";
const DEADLINE: Duration = Duration::from_secs(30);

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn hoptac(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hoptac"));
    c.arg("--index")
        .arg(dir.join("index"))
        .current_dir(repo())
        .env_remove("HOPTAC_ADMIN_TOKEN")
        .env_remove("HOPTAC_INDEX");
    c
}

fn corpus_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    for e in std::fs::read_dir(repo().join("corpus")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), corpus.join(e.file_name())).unwrap();
    }
    dir
}

struct Server {
    dir: Option<tempfile::TempDir>,
    child: Child,
    addr: SocketAddr,
    agent: ureq::Agent,
}

struct Reply {
    status: u16,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

fn start(dir: tempfile::TempDir, extra: &[&str]) -> Server {
    let log = std::fs::File::create(dir.path().join("serve.log")).unwrap();
    let mut child = hoptac(dir.path())
        .args(["serve", "--addr", "127.0.0.1:0", "--corpus"])
        .arg(dir.path().join("corpus"))
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("start hoptac serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://")) else {
        let _ = child.kill();
        let _ = child.wait();
        let log = std::fs::read_to_string(dir.path().join("serve.log")).unwrap_or_default();
        panic!("hoptac serve did not start: {line:?}\n{log}");
    };
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    Server {
        dir: Some(dir),
        child,
        addr,
        agent,
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn reply(res: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
    let mut res = res.expect("HTTP request");
    Reply {
        status: res.status().as_u16(),
        body: res.body_mut().read_to_string().unwrap_or_default(),
    }
}

impl Server {
    fn dir(&self) -> &Path {
        self.dir.as_ref().unwrap().path()
    }

    fn corpus(&self) -> PathBuf {
        self.dir().join("corpus")
    }

    fn stop(mut self) -> tempfile::TempDir {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.dir.take().unwrap()
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Ids of the hits for a query (all of them, up to 100).
    fn ids(&self, q: &str) -> Vec<String> {
        let r = reply(
            self.agent
                .get(&self.url("/api/search"))
                .query("q", q)
                .query("per_page", "100")
                .call(),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect()
    }

    fn count(&self) -> u64 {
        let r = reply(self.agent.get(&self.url("/api/health")).call());
        r.json()["documents"].as_u64().unwrap()
    }

    fn post_json(&self, body: &Value, token: Option<&str>) -> Reply {
        let mut req = self
            .agent
            .post(&self.url("/api/documents"))
            .content_type("application/json");
        if let Some(t) = token {
            req = req.header("Authorization", &format!("Bearer {t}"));
        }
        reply(req.send(body.to_string()))
    }

    fn upload(&self, file_name: &str, bytes: &[u8], token: Option<&str>) -> Reply {
        let boundary = "hoptac-test-boundary-7d1f";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let mut req = self
            .agent
            .post(&self.url("/api/documents"))
            .content_type(&format!("multipart/form-data; boundary={boundary}"));
        if let Some(t) = token {
            req = req.header("Authorization", &format!("Bearer {t}"));
        }
        reply(req.send(&body[..]))
    }

    fn delete(&self, id: &str, token: Option<&str>) -> Reply {
        let mut req = self
            .agent
            .delete(&self.url(&format!("/api/documents/{id}")));
        if let Some(t) = token {
            req = req.header("Authorization", &format!("Bearer {t}"));
        }
        reply(req.call())
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir().join("serve.log")).unwrap_or_default()
    }

    /// Polls until `check` holds, or fails after [`DEADLINE`] with what was last seen.
    fn eventually(&self, what: &str, mut check: impl FnMut() -> Result<(), String>) {
        let started = Instant::now();
        loop {
            match check() {
                Ok(()) => return,
                Err(seen) if started.elapsed() > DEADLINE => {
                    panic!(
                        "{what}: not within {DEADLINE:?}; last seen: {seen}\n{}",
                        self.log()
                    )
                }
                Err(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    }

    fn eventually_hits(&self, q: &str, want: &[&str]) {
        self.eventually(&format!("search {q:?} → {want:?}"), || {
            let got = self.ids(q);
            if got == want {
                Ok(())
            } else {
                Err(format!("{got:?}"))
            }
        });
    }
}

fn run(c: &mut Command) -> Output {
    c.output().expect("run hoptac")
}

#[test]
fn dropped_edited_renamed_and_deleted_files_are_reflected() {
    let server = start(corpus_copy(), &[]);
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
    assert!(server.ids("quokkavil").is_empty());
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
        match server.ids("kangarix").len() {
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
    let server = start(corpus_copy(), &[]);
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
    assert_eq!(server.ids("dingolia"), ["dai.txt"]);
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
    let server = start(corpus_copy(), &["--no-watch"]);
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
    assert_eq!(server.ids("echidnar"), ["incoming/thong-cao-1.json"]);
    assert!(server.corpus().join("incoming/thong-cao-1.json").is_file());

    // The same id again replaces it.
    let r = server.post_json(&doc("Nội dung mới về numbatix."), None);
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(server.ids("numbatix"), ["incoming/thong-cao-1.json"]);
    assert_eq!(
        server.ids("echidnar"),
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
    assert_eq!(server.ids("potoroon"), ["incoming/bao-cao.md"]);

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
    let out = run(hoptac(dir.path())
        .args(["index", "--rebuild", "--corpus"])
        .arg(dir.path().join("corpus")));
    assert!(out.status.success(), "{out:?}");
    for (q, id) in [
        ("numbatix", "incoming/thong-cao-1.json"),
        ("potoroon", "incoming/bao-cao.md"),
    ] {
        let out = run(hoptac(dir.path()).args(["search", q, "--json"]));
        assert!(out.status.success(), "{out:?}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let ids: Vec<&str> = v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, [id], "{q}");
    }
}

#[test]
fn writes_need_the_admin_token_when_one_is_set() {
    let server = start(corpus_copy(), &["--no-watch", "--admin-token", TOKEN]);
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
        assert_eq!(server.ids("quollax"), [id]);
    }
    // Existing corpus files can be deleted too; reads stay open.
    let r = server.delete("000_98408a7511f8acb5.txt", Some(TOKEN));
    assert_eq!(r.status, 204, "{}", r.body);
    assert!(!server.corpus().join("000_98408a7511f8acb5.txt").exists());
    let r = server.delete(id, Some(TOKEN));
    assert_eq!(r.status, 204, "{}", r.body);
    assert!(!server.corpus().join(id).exists());
    assert!(server.ids("quollax").is_empty());
    assert_eq!(server.count(), before - 1);
    let r = server.delete(id, Some(TOKEN));
    assert_eq!(r.code(), "not_found", "{}", r.body);
    let r = server.delete("..%2F..%2Fetc%2Fpasswd", Some(TOKEN));
    assert!(r.status == 400 || r.status == 404, "{}", r.body);
}

#[test]
fn a_second_indexer_is_refused_while_the_server_holds_the_index() {
    let server = start(corpus_copy(), &[]);
    let dir = server.dir().to_path_buf();
    let out = run(hoptac(&dir)
        .args(["index", "--corpus"])
        .arg(dir.join("corpus")));
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("in use by another hoptac process"),
        "unclear message: {err}"
    );
    // A rebuild would swap the folder under the server: refused too.
    let out = run(hoptac(&dir)
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
    let out = run(hoptac(dir.path())
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
    let dir = corpus_copy();
    let config = dir.path().join("index-config");
    std::fs::create_dir_all(&config).unwrap();
    for e in std::fs::read_dir(repo().join("index-config")).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), config.join(e.file_name())).unwrap();
        }
    }
    let index = |dir: &Path| {
        let out = run(hoptac(dir)
            .args(["index", "--corpus"])
            .arg(dir.join("corpus"))
            .arg("--config")
            .arg(dir.join("index-config")));
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let topics = |dir: &Path| -> Vec<String> {
        let out = run(hoptac(dir).args(["facets", "--json"]));
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
    let dir = corpus_copy();
    let out = run(hoptac(dir.path())
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
    let out = run(hoptac(dir.path()).args(["search", "Hàn Quốc"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("hoptac index --rebuild"));

    let server = start(dir, &[]);
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
    assert_eq!(server.ids("dunnartix"), ["incoming/moi.json"]);
}
