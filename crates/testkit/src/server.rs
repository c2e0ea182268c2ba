//! `hoptac serve` on an ephemeral loopback port, and a client that reads every answer.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::binary::{hoptac, ids};
use crate::folder::Folder;

/// The admin token the tests give a server that guards its writes.
pub const TOKEN: &str = "a-test-admin-token-0123456789";

/// How long [`Server::eventually`] waits for an asynchronous change (the watcher debounces).
pub const DEADLINE: Duration = Duration::from_secs(30);

/// A client that reports every status (the tests check error answers too), ignores any proxy
/// setting and never waits forever.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// An answer, read whole.
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub csp: String,
    /// `x-hoptac-cache`: `hit` when a search was answered from the cache of repeated searches.
    pub cache: String,
    pub body: String,
}

/// Reads an answer of the client (a transport error fails the test).
pub fn reply(res: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
    let mut res = res.expect("HTTP request");
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let content_type = header("content-type");
    let csp = header("content-security-policy");
    let cache = header("x-hoptac-cache");
    Reply {
        status: res.status().as_u16(),
        content_type,
        csp,
        cache,
        // Past ureq's 10 MB default: a stored document may be as large as the file limit.
        body: res
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()
            .unwrap_or_default(),
    }
}

impl Reply {
    /// The body as JSON; it must say it is JSON.
    pub fn json(&self) -> Value {
        assert!(
            self.content_type.starts_with("application/json"),
            "{} {}",
            self.content_type,
            self.body
        );
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// The API error's code, or "" when the body is not an error.
    pub fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Asserts the status and the API's error shape, and returns the code.
    pub fn error_code(&self, status: u16) -> String {
        assert_eq!(self.status, status, "{}", self.body);
        let v = self.json();
        assert!(v["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
        v["error"]["code"].as_str().unwrap().to_string()
    }
}

/// An answer read from a raw socket: status (0 when the server closed without answering), head
/// and body.
pub struct RawReply {
    pub status: u16,
    pub head: String,
    pub body: String,
}

/// Sends bytes as they are to `addr` and reads until the server closes the connection (or
/// `timeout` passes without a byte). A reset after a partial send counts as a close: the server may
/// hang up before reading everything a hostile client sends.
pub fn raw_exchange(addr: SocketAddr, request: &[u8], timeout: Duration) -> RawReply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(timeout)).unwrap();
    s.set_write_timeout(Some(timeout)).unwrap();
    let _ = s.write_all(request);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .map(|(h, b)| (h.to_string(), b.to_string()))
        .unwrap_or((text.clone(), String::new()));
    RawReply { status, head, body }
}

/// `hoptac serve` running on a temp folder (`corpus/`, `index/`, `serve.log`), killed when dropped.
pub struct Server {
    pub dir: Option<Folder>,
    pub child: Child,
    pub addr: SocketAddr,
    pub agent: ureq::Agent,
}

impl Server {
    /// `hoptac serve` on `dir/corpus` with its index in `dir/index`, on an ephemeral loopback
    /// port; `extra` flags are added.
    pub fn start(dir: Folder, extra: &[&str]) -> Server {
        let mut c = hoptac(&dir.path().join("index"));
        c.args(["serve", "--addr", "127.0.0.1:0", "--corpus"])
            .arg(dir.path().join("corpus"))
            .args(extra);
        Server::launch(dir, c)
    }

    /// Runs a `hoptac … serve` command whose log goes to `dir/serve.log`, and waits for the line
    /// that gives its address.
    pub fn launch(dir: Folder, mut command: Command) -> Server {
        let log = std::fs::File::create(dir.path().join("serve.log")).unwrap();
        let mut child = command
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
        let addr: SocketAddr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .unwrap();
        assert!(addr.ip().is_loopback());
        Server {
            dir: Some(dir),
            child,
            addr,
            agent: agent(),
        }
    }

    pub fn dir(&self) -> &Path {
        self.dir.as_ref().unwrap().path()
    }

    pub fn corpus(&self) -> PathBuf {
        self.dir().join("corpus")
    }

    /// Stops the server process, keeping its folder.
    pub fn stop(mut self) -> Folder {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.dir.take().unwrap()
    }

    /// Sends SIGTERM and waits up to `limit` for the process to exit: its exit status, or `None`
    /// when it was still running (it is then killed).
    pub fn terminate(mut self, limit: Duration) -> (Option<std::process::ExitStatus>, Duration) {
        let started = Instant::now();
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -TERM failed");
        while started.elapsed() < limit {
            if let Some(status) = self.child.try_wait().unwrap() {
                return (Some(status), started.elapsed());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        (None, started.elapsed())
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir().join("serve.log")).unwrap_or_default()
    }

    pub fn get_with(&self, path: &str, params: &[(&str, &str)]) -> Reply {
        let mut req = self.agent.get(&self.url(path));
        for (k, v) in params {
            req = req.query(*k, *v);
        }
        reply(req.call())
    }

    pub fn get(&self, path: &str) -> Reply {
        self.get_with(path, &[])
    }

    /// A search that must succeed.
    pub fn search(&self, params: &[(&str, &str)]) -> Value {
        let r = self.get_with("/api/search", params);
        assert_eq!(r.status, 200, "{params:?}: {}", r.body);
        r.json()
    }

    /// Ids of the hits on the first page.
    pub fn ids(&self, params: &[(&str, &str)]) -> Vec<String> {
        ids(&self.search(params))
    }

    /// Ids of all the hits for a query (up to 100).
    pub fn all_ids(&self, q: &str) -> Vec<String> {
        self.ids(&[("q", q), ("per_page", "100")])
    }

    /// Documents in the index, by `/api/health`.
    pub fn count(&self) -> u64 {
        self.get("/api/health").json()["documents"]
            .as_u64()
            .unwrap()
    }

    pub fn post_json(&self, body: &Value, token: Option<&str>) -> Reply {
        let mut req = self
            .agent
            .post(&self.url("/api/documents"))
            .content_type("application/json");
        if let Some(t) = token {
            req = req.header("Authorization", &format!("Bearer {t}"));
        }
        reply(req.send(body.to_string()))
    }

    pub fn upload(&self, file_name: &str, bytes: &[u8], token: Option<&str>) -> Reply {
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

    /// `DELETE /api/documents/{id}`; `id` goes into the path as given (escapes included).
    pub fn delete(&self, id: &str, token: Option<&str>) -> Reply {
        let mut req = self
            .agent
            .delete(&self.url(&format!("/api/documents/{id}")));
        if let Some(t) = token {
            req = req.header("Authorization", &format!("Bearer {t}"));
        }
        reply(req.call())
    }

    /// Sends bytes as they are and reads the whole answer (status, body).
    pub fn raw(&self, request: &[u8]) -> (u16, String) {
        let r = raw_exchange(self.addr, request, Duration::from_secs(30));
        (r.status, r.body)
    }

    /// Polls until `check` holds, or fails after [`DEADLINE`] with what was last seen.
    pub fn eventually(&self, what: &str, mut check: impl FnMut() -> Result<(), String>) {
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

    /// Polls until a search for `q` finds exactly `want`.
    pub fn eventually_hits(&self, q: &str, want: &[&str]) {
        self.eventually(&format!("search {q:?} → {want:?}"), || {
            let got = self.all_ids(q);
            if got == want {
                Ok(())
            } else {
                Err(format!("{got:?}"))
            }
        });
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
