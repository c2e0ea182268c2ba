//! `hoptac serve` against a hostile client, over real HTTP on an ephemeral loopback port: header
//! floods, path traversal and control characters in document ids, broken JSON, wrong content types,
//! writes without the right token and bodies that never finish. Each refusal must be the documented
//! status with the API's JSON error (or, where the HTTP layer refuses before the application sees
//! the request, a bare 4xx or a closed connection), must change nothing on disk or in the index,
//! and must leave the server answering the next search.
//!
//! Requests go through raw sockets wherever a client library would tidy them up first (dot
//! segments, escapes, control bytes, thousands of headers).

use hoptac_testkit as support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{raw_exchange, RawReply, Server, TOKEN};

/// A file beside the corpus folder that a traversal would reach (`corpus/../outside.txt`).
const OUTSIDE: &str = "outside.txt";
const OUTSIDE_TEXT: &str = "Hợp tác bí mật wallabyx, không thuộc kho tài liệu.\n";

/// A server guarding its writes with [`TOKEN`], not watching the folder (so every change on disk
/// comes from a request), with a file outside the corpus folder for traversals to aim at.
fn guarded(extra: &[&str]) -> Server {
    let dir = support::Folder::bundled();
    std::fs::write(dir.path().join(OUTSIDE), OUTSIDE_TEXT).unwrap();
    let mut flags = vec!["--no-watch", "--admin-token", TOKEN];
    flags.extend_from_slice(extra);
    Server::start(dir, &flags)
}

/// Sends a request as written and reads the answer, waiting at most 10 s.
fn raw(s: &Server, request: &[u8]) -> RawReply {
    raw_exchange(s.addr, request, Duration::from_secs(10))
}

/// `METHOD TARGET` with the admin token, no body, the connection closed after the answer.
fn raw_call(s: &Server, method: &str, target: &str) -> RawReply {
    raw(
        s,
        format!(
            "{method} {target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n\
             Content-Length: 0\r\nConnection: close\r\n\r\n"
        )
        .as_bytes(),
    )
}

/// The API's error shape: the status, a JSON body with a code and a message; returns the code.
fn api_error(r: &RawReply, status: u16, what: &str) -> String {
    assert_eq!(r.status, status, "{what}: {}\n{}", r.head, r.body);
    assert!(
        r.head
            .to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{what}: {}",
        r.head
    );
    let v: Value =
        serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("{what}: {e}: {}", r.body));
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{what}: {v}"
    );
    v["error"]["code"].as_str().unwrap().to_string()
}

/// Every file under `dir`, with its bytes: what the server may not change unasked.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap_or_default()));
            }
        }
    }
    out.sort();
    out
}

/// The temp folder's files except the index and the server's log, which change on their own.
fn files(s: &Server) -> Vec<(PathBuf, Vec<u8>)> {
    snapshot(s.dir())
        .into_iter()
        .filter(|(p, _)| {
            let rel = p.strip_prefix(s.dir()).unwrap();
            !rel.starts_with("index") && rel != Path::new("serve.log")
        })
        .collect()
}

/// The server still searches: the bundled corpus has Korean cooperation in it.
fn still_answers(s: &Server) {
    let res = s.search(&[("q", "an toan thong tin han quoc")]);
    assert!(res["total"].as_u64().unwrap() > 0, "{res}");
}

#[test]
fn header_floods_are_refused_and_the_server_keeps_answering() {
    let s = guarded(&[]);
    let before = s.count();
    let request = |headers: &str| {
        format!(
            "GET /api/search?q=hop+tac HTTP/1.1\r\nHost: x\r\n{headers}Connection: close\r\n\r\n"
        )
    };
    // Hundreds of small headers: over hyper's count limit.
    let many: String = (0..500).map(|i| format!("X-Flood-{i}: {i}\r\n")).collect();
    let r = raw(&s, request(&many).as_bytes());
    assert!(
        r.status == 0 || r.status == 400 || r.status == 431,
        "500 headers: {}",
        r.head
    );
    still_answers(&s);
    // A megabyte in one header: over the read buffer.
    let huge = format!("X-Huge: {}\r\n", "a".repeat(1 << 20));
    let r = raw(&s, request(&huge).as_bytes());
    assert!(
        r.status == 0 || r.status == 400 || r.status == 431,
        "1 MiB header: {}",
        r.head
    );
    still_answers(&s);
    // Just over the configured 64 KiB, in one header or in ninety: these fit hyper's buffer, so
    // the server's own count refuses them, with the API's error.
    let one = format!("X-Big: {}\r\n", "a".repeat(70 * 1024));
    let ninety: String = (0..90)
        .map(|i| format!("X-Part-{i}: {}\r\n", "b".repeat(800)))
        .collect();
    for (what, headers) in [
        ("one 70 KiB header", &one),
        ("90 headers of 800 bytes", &ninety),
    ] {
        let r = raw(&s, request(headers).as_bytes());
        assert_eq!(api_error(&r, 431, what), "head_too_large");
        still_answers(&s);
    }
    // Under the limit, many headers are fine.
    let fifty: String = (0..50).map(|i| format!("X-Ok-{i}: {i}\r\n")).collect();
    let r = raw(&s, request(&fifty).as_bytes());
    assert_eq!(r.status, 200, "{}", r.head);
    // Many clients flooding at once: each is refused, none takes the server down.
    let flooders: Vec<_> = (0..16)
        .map(|_| {
            let addr = s.addr;
            let req = request(&many);
            std::thread::spawn(move || {
                raw_exchange(addr, req.as_bytes(), Duration::from_secs(10)).status
            })
        })
        .collect();
    for f in flooders {
        let status = f.join().unwrap();
        assert!(status == 0 || status == 400 || status == 431, "{status}");
    }
    still_answers(&s);
    assert_eq!(s.count(), before);
}

#[test]
fn traversal_ids_are_refused_on_every_method_and_nothing_outside_is_touched() {
    let s = guarded(&[]);
    let before = s.count();
    let files_before = files(&s);
    let targets = [
        "../outside.txt",
        "../../etc/passwd",
        "..%2Foutside.txt",
        "..%2F..%2Fetc%2Fpasswd",
        "%2e%2e%2foutside.txt",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "%2E%2E/outside.txt",
        "incoming%2F..%2F..%2Foutside.txt",
        "incoming/../../outside.txt",
        "%2Fetc%2Fpasswd",
        "..%5Coutside.txt",
        ".%2Foutside.txt",
        ".hidden",
        "a%2F%2Fb",
    ];
    for t in targets {
        let r = raw_call(&s, "GET", &format!("/api/documents/{t}"));
        assert_eq!(api_error(&r, 400, &format!("GET {t}")), "bad_parameter");
        assert!(
            !r.body.contains("wallabyx"),
            "GET {t} read the file outside"
        );
        let r = raw_call(&s, "DELETE", &format!("/api/documents/{t}"));
        assert_eq!(api_error(&r, 400, &format!("DELETE {t}")), "bad_parameter");
        // The page says it in HTML.
        let r = raw_call(&s, "GET", &format!("/doc/{t}"));
        assert_eq!(r.status, 400, "/doc/{t}: {}", r.head);
        assert!(!r.body.contains("wallabyx"));
        // There is no POST to a document's path: the id goes in the body.
        let r = raw_call(&s, "POST", &format!("/api/documents/{t}"));
        assert_eq!(
            api_error(&r, 405, &format!("POST {t}")),
            "method_not_allowed"
        );
    }
    // Ids in a posted body are names, never paths, escaped or not.
    for id in [
        "../outside",
        "../../etc/passwd",
        "..%2Foutside",
        "%2e%2e%2foutside",
        "/etc/passwd",
        "..\\outside",
        "incoming/../x",
        "..",
        ".",
    ] {
        let r = s.post_json(
            &serde_json::json!({"id": id, "title": "Hợp tác", "body": "wallabyx"}),
            Some(TOKEN),
        );
        assert_eq!(r.error_code(400), "bad_parameter", "{id:?}");
    }
    // An upload's id field is checked the same way.
    let boundary = "abuse-boundary-91c2";
    let form = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"id\"\r\n\r\n../outside\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.txt\"\r\n\r\n\
         Hợp tác wallabyx\r\n--{boundary}--\r\n"
    );
    let r = raw(
        &s,
        format!(
            "POST /api/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n\
             Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{form}",
            form.len()
        )
        .as_bytes(),
    );
    assert_eq!(
        api_error(&r, 400, "upload with id ../outside"),
        "bad_parameter"
    );
    assert_eq!(files(&s), files_before, "a file changed");
    assert_eq!(s.count(), before);
    assert!(s.all_ids("wallabyx").is_empty());

    // An upload named with a path keeps only its file name, and lands in incoming/.
    let r = s.upload(
        "../../outside.txt",
        "Hợp tác wallabyx.\n".as_bytes(),
        Some(TOKEN),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["id"], "incoming/outside.txt");
    assert!(s.corpus().join("incoming/outside.txt").is_file());
    assert_eq!(
        std::fs::read_to_string(s.dir().join(OUTSIDE)).unwrap(),
        OUTSIDE_TEXT
    );
    assert_eq!(s.count(), before + 1);
    still_answers(&s);
}

#[test]
fn nul_and_control_characters_in_ids_are_refused() {
    let s = guarded(&[]);
    let before = s.count();
    let files_before = files(&s);
    for t in [
        "a%00b.txt",
        "%00",
        "000_98408a7511f8acb5.txt%00.jpg",
        "a%0Ab",
        "a%0D%0AX-Injected:%201",
        "a%1B%5B31m",
        "a%07",
        "a%7F",
        "a%C2%85",
        "a%09b",
    ] {
        for method in ["GET", "DELETE"] {
            let r = raw_call(&s, method, &format!("/api/documents/{t}"));
            assert_eq!(
                api_error(&r, 400, &format!("{method} {t}")),
                "bad_parameter"
            );
            assert!(!r.head.contains("X-Injected"), "{}", r.head);
        }
        let r = raw_call(&s, "GET", &format!("/doc/{t}"));
        assert_eq!(r.status, 400, "/doc/{t}: {}", r.head);
    }
    // Bytes no client would send unescaped: the HTTP layer refuses the request line itself.
    for t in ["a\0b", "a\u{1}b", "a\u{7f}b"] {
        let r = raw(
            &s,
            format!("GET /api/documents/{t} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        );
        assert!(r.status == 0 || r.status == 400, "{t:?}: {}", r.head);
    }
    for id in ["a\u{0}b", "a\r\nb", "a\u{1b}b", "\u{85}"] {
        let r = s.post_json(
            &serde_json::json!({"id": id, "title": "Hợp tác", "body": "numbatq"}),
            Some(TOKEN),
        );
        assert_eq!(r.error_code(400), "bad_parameter", "{id:?}");
    }
    assert_eq!(files(&s), files_before);
    assert_eq!(s.count(), before);
    // A real id still works, by GET and by DELETE.
    let r = raw_call(&s, "GET", "/api/documents/000_98408a7511f8acb5.txt");
    assert_eq!(r.status, 200, "{}", r.head);
    let r = raw_call(&s, "DELETE", "/api/documents/000_98408a7511f8acb5.txt");
    assert_eq!(r.status, 204, "{}", r.head);
    assert_eq!(s.count(), before - 1);
}

#[test]
fn invalid_json_is_a_400_that_says_why_and_changes_nothing() {
    let s = guarded(&[]);
    let before = s.count();
    let files_before = files(&s);
    let deep = format!("{{\"title\":{}", "[".repeat(100_000));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "truncated",
            r#"{"title":"Hợp tác","body":"#.as_bytes().to_vec(),
        ),
        ("empty", Vec::new()),
        ("not an object", b"[1,2,3]".to_vec()),
        ("null", b"null".to_vec()),
        ("a trailing comma", br#"{"title":"t","body":"b",}"#.to_vec()),
        (
            "a number for the title",
            br#"{"title":5,"body":"b"}"#.to_vec(),
        ),
        ("no body field", br#"{"title":"t"}"#.to_vec()),
        (
            "an unknown field",
            br#"{"title":"t","body":"b","admin":true}"#.to_vec(),
        ),
        (
            "not UTF-8",
            b"{\"title\":\"\xff\xfe\",\"body\":\"b\"}".to_vec(),
        ),
        ("nested 100,000 deep", deep.into_bytes()),
        ("single quotes", b"{'title':'t','body':'b'}".to_vec()),
    ];
    for (what, body) in &cases {
        let mut req = format!(
            "POST /api/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        req.extend_from_slice(body);
        let r = raw(&s, &req);
        assert_eq!(api_error(&r, 400, what), "bad_document", "{what}");
        still_answers(&s);
    }
    // The reason is the parser's, with where it stopped.
    let r = s.post_json(&serde_json::json!({"title": 5, "body": "b"}), Some(TOKEN));
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("title"),
        "{}",
        r.body
    );
    assert_eq!(files(&s), files_before);
    assert!(!s.corpus().join("incoming").exists());
    assert_eq!(s.count(), before);
}

#[test]
fn bodies_of_the_wrong_type_are_refused() {
    let s = guarded(&[]);
    let before = s.count();
    let post = |content_type: Option<&str>, body: &str| {
        let ct = content_type
            .map(|c| format!("Content-Type: {c}\r\n"))
            .unwrap_or_default();
        raw(
            &s,
            format!(
                "POST /api/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n{ct}\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .as_bytes(),
        )
    };
    let json = r#"{"title":"Hợp tác","body":"quokkam"}"#;
    for ct in [
        None,
        Some("application/x-www-form-urlencoded"),
        Some("application/xml"),
        Some("text/json"),
        Some("application/jsonx"),
        Some("application/json-patch+json"),
        Some("application/merge-patch+json"),
        Some("multipart/mixed; boundary=zzz"),
    ] {
        let r = post(ct, json);
        assert_eq!(
            api_error(&r, 415, &format!("{ct:?}")),
            "unsupported_media_type"
        );
    }
    // A multipart type without its boundary, or JSON sent as multipart, cannot be read.
    let r = post(Some("multipart/form-data"), json);
    assert_eq!(
        api_error(&r, 400, "multipart without boundary"),
        "bad_document"
    );
    let r = post(Some("multipart/form-data; boundary=zzz"), json);
    assert_eq!(api_error(&r, 400, "JSON as multipart"), "bad_document");
    // The content type's parameters and case do not matter.
    let r = post(Some("Application/JSON; charset=utf-8"), json);
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(s.count(), before + 1);
}

#[test]
fn writes_without_the_right_token_are_401_before_the_body_is_read() {
    let s = guarded(&[]);
    let before = s.count();
    let files_before = files(&s);
    let json = r#"{"id":"trom","title":"Hợp tác","body":"dingoq"}"#;
    let doc = "000_98408a7511f8acb5.txt";
    for auth in [
        String::new(),
        format!("Authorization: Basic {TOKEN}\r\n"),
        format!("Authorization: bearer{TOKEN}\r\n"),
        format!("Authorization: Bearer {TOKEN}x\r\n"),
        format!("Authorization: Bearer {}\r\n", &TOKEN[..TOKEN.len() - 1]),
        format!("Authorization: Bearer {}\r\n", TOKEN.to_uppercase()),
        format!("X-Admin-Token: {TOKEN}\r\n"),
        "Authorization: Bearer \r\n".to_string(),
    ] {
        let r = raw(
            &s,
            format!(
                "POST /api/documents HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/json\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{json}",
                json.len()
            )
            .as_bytes(),
        );
        assert_eq!(
            api_error(&r, 401, &format!("POST {auth:?}")),
            "unauthorized"
        );
        let r = raw(
            &s,
            format!(
                "DELETE /api/documents/{doc} HTTP/1.1\r\nHost: x\r\n{auth}Connection: close\r\n\r\n"
            )
            .as_bytes(),
        );
        assert_eq!(
            api_error(&r, 401, &format!("DELETE {auth:?}")),
            "unauthorized"
        );
    }
    // The token in the query string is not the header.
    let r = raw(
        &s,
        format!(
            "DELETE /api/documents/{doc}?token={TOKEN} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .as_bytes(),
    );
    assert_eq!(api_error(&r, 401, "token in the query"), "unauthorized");
    // Broken JSON without the token is a 401, not a 400: nothing is read before the token.
    let r = raw(
        &s,
        b"POST /api/documents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
          Content-Length: 5\r\nConnection: close\r\n\r\n{{{{{",
    );
    assert_eq!(api_error(&r, 401, "broken JSON, no token"), "unauthorized");
    // A body announced but never sent: the 401 comes at once, not after waiting for it.
    let mut c = TcpStream::connect(s.addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    c.write_all(
        b"POST /api/documents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
          Content-Length: 100000\r\n\r\n{\"title\":",
    )
    .unwrap();
    let started = Instant::now();
    let mut head = [0u8; 12];
    c.read_exact(&mut head).expect("an answer before the body");
    assert_eq!(&head, b"HTTP/1.1 401");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    drop(c);

    assert_eq!(files(&s), files_before);
    assert_eq!(s.count(), before);
    assert_eq!(s.all_ids("dingoq"), Vec::<String>::new());
    assert_eq!(s.get(&format!("/api/documents/{doc}")).status, 200);
}

#[test]
fn a_body_that_trickles_in_is_cut_off_and_nothing_is_written() {
    let s = guarded(&["--timeout", "1"]);
    let before = s.count();
    let files_before = files(&s);
    let body = r#"{"id":"cham","title":"Hợp tác","body":"bilbyq chậm chạp"}"#.as_bytes();
    let mut c = TcpStream::connect(s.addr).unwrap();
    c.write_all(
        format!(
            "POST /api/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    )
    .unwrap();
    // One byte every 200 ms: the whole body would take over ten seconds.
    let mut writer = c.try_clone().unwrap();
    let trickle = std::thread::spawn(move || {
        for b in body.iter() {
            if writer.write_all(&[*b]).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    });
    // Meanwhile others are served.
    assert_eq!(s.get("/api/health").status, 200);
    still_answers(&s);
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    // Read until the server closes or has said everything it will say about this request.
    while let Ok(n) = c.read(&mut buf) {
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&buf[..n]);
        if String::from_utf8_lossy(&answer).contains("}}") {
            break;
        }
    }
    let waited = started.elapsed();
    let text = String::from_utf8_lossy(&answer).into_owned();
    assert!(waited < Duration::from_secs(5), "cut off after {waited:?}");
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 503"),
        "answered {text}"
    );
    if !text.is_empty() {
        assert!(text.contains("\"timeout\""), "{text}");
    }
    drop(c);
    trickle.join().unwrap();
    assert_eq!(files(&s), files_before);
    assert_eq!(s.count(), before);
    still_answers(&s);
}

#[test]
fn a_write_that_times_out_waiting_for_the_writer_is_never_made() {
    // One second to answer, and rounds of many POSTs at once of 100 KB each: they queue for the one
    // writer, which analyses and commits them one at a time, so the last of a round wait past the
    // deadline however fast the machine. Each answer must say what happened: a 201's document is
    // there, a 503's is not, and the count adds up.
    let s = guarded(&["--timeout", "1"]);
    let before = s.count();
    let body = "Văn bản thử nghiệm hàng đợi của bộ ghi chỉ mục. ".repeat(1800);
    let (mut created, mut timed_out) = (Vec::new(), Vec::new());
    for round in 0..6 {
        let answers: Vec<_> = (0..32)
            .map(|i| {
                let url = s.url("/api/documents");
                let body = body.clone();
                std::thread::spawn(move || {
                    let id = format!("hang-doi-{round}-{i}");
                    let doc = serde_json::json!({
                        "id": id,
                        "title": format!("Hợp tác xếp hàng {round} {i}"),
                        "body": body,
                    });
                    let r = support::reply(
                        support::agent()
                            .post(&url)
                            .header("Authorization", &format!("Bearer {TOKEN}"))
                            .content_type("application/json")
                            .send(doc.to_string()),
                    );
                    (id, r)
                })
            })
            .collect();
        for a in answers {
            let (id, r) = a.join().unwrap();
            match r.status {
                201 => created.push(id),
                503 => {
                    assert_eq!(r.code(), "timeout", "{}", r.body);
                    timed_out.push(id);
                }
                other => panic!("{id}: {other} {}", r.body),
            }
        }
        if !timed_out.is_empty() {
            break;
        }
    }
    assert!(
        !timed_out.is_empty(),
        "no write waited past the deadline; the case was not exercised"
    );
    // Let anything still queued finish before looking.
    std::thread::sleep(Duration::from_secs(2));
    for id in &created {
        let path = format!("incoming/{id}.json");
        assert!(s.corpus().join(&path).is_file(), "{path} missing");
        assert_eq!(s.get(&format!("/api/documents/{path}")).status, 200);
    }
    for id in &timed_out {
        let path = format!("incoming/{id}.json");
        assert!(
            !s.corpus().join(&path).exists(),
            "{path} written after its client was told 503"
        );
        assert_eq!(s.get(&format!("/api/documents/{path}")).status, 404);
    }
    assert_eq!(s.count(), before + created.len() as u64);
    eprintln!(
        "{} created, {} timed out unwritten",
        created.len(),
        timed_out.len()
    );
}
