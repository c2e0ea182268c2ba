//! The large-corpus checks, ignored by default (minutes, and the 38k-document corpus beside the
//! repository): `scripts/crash-test` runs them, and `.ci/run` runs that.
//!
//! - `kill_nine_at_random_moments`: `hoptac index` on the whole corpus, `kill -9`ed at 20 random
//!   moments; after each kill the index opens and holds no document twice; a last run completes
//!   with one document per readable file.
//! - `searches_keep_answering_during_a_full_reindex`: a server whose index must be rebuilt (it
//!   was written by an "older" analyzer) rebuilds all of it in the background while a client
//!   searches without pause; every answer must be a 200 within a second.
//!
//! `HOPTAC_CRASH_CORPUS` names another corpus folder, `HOPTAC_CRASH_SEED` repeats a run's kill
//! moments, `HOPTAC_CRASH_KILLS` changes the number of kills.

use hoptac_testkit as support;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;
use support::{hoptac, repo, Server};

fn corpus() -> PathBuf {
    let dir = std::env::var_os("HOPTAC_CRASH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/corpus"));
    assert!(
        dir.is_dir(),
        "no corpus at {} (set HOPTAC_CRASH_CORPUS)",
        dir.display()
    );
    dir
}

/// xorshift64*: enough randomness for kill moments, and repeatable from a seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in [lo, hi).
    fn between(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (self.next() >> 11) as f64 / (1u64 << 53) as f64 * (hi - lo)
    }
}

/// Files the indexer reads (by extension), recursively, skipping hidden ones as it does.
fn document_files(dir: &Path) -> u64 {
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        if e.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let p = e.path();
        if p.is_dir() {
            n += document_files(&p);
        } else if hoptac_indexer::load::format_of(&p).is_some() {
            n += 1;
        }
    }
    n
}

#[test]
#[ignore = "minutes on the 38k-document corpus: scripts/crash-test"]
fn kill_nine_at_random_moments() {
    let corpus = corpus();
    let files = document_files(&corpus);
    let tmp = support::Folder::empty();
    let index = tmp.path().join("index");
    let seed = std::env::var("HOPTAC_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    let kills: usize = std::env::var("HOPTAC_CRASH_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let mut rng = Rng(seed);
    println!(
        "crash test: {files} files in {}, {kills} kills, seed {seed}",
        corpus.display()
    );
    let started = Instant::now();
    let mut max_delay = 3.0;
    let mut killed = 0;
    let mut finished_early = 0;
    while killed < kills {
        let delay = rng.between(0.05, max_delay);
        let mut child = hoptac(&index)
            .args(["index", "--json", "--commit-every", "500", "--corpus"])
            .arg(&corpus)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs_f64(delay);
        let mut exited = None;
        while Instant::now() < deadline {
            if let Some(status) = child.try_wait().unwrap() {
                exited = Some(status);
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        if let Some(status) = exited {
            // The run completed before the kill: the corpus is fully indexed; start over so that
            // the remaining kills land in a run that has work to do.
            assert!(status.success(), "run exited with {status}");
            finished_early += 1;
            std::fs::remove_dir_all(&index).unwrap();
            max_delay = (max_delay * 0.8).max(0.5);
            continue;
        }
        // SIGKILL: no destructor, no flush, no lock released by hand.
        child.kill().unwrap();
        child.wait().unwrap();
        killed += 1;
        match hoptac_indexer::audit(&index) {
            Ok(a) => {
                println!(
                    "kill {killed:2} after {delay:5.2} s: {} documents, {} distinct ids, {} unreadable",
                    a.documents, a.distinct_ids, a.unreadable
                );
                assert_eq!(a.documents, a.distinct_ids, "duplicated documents: {a:?}");
                assert_eq!(a.unreadable, 0, "{a:?}");
                assert!(a.documents <= files);
            }
            Err(hoptac_indexer::IndexerError::NoIndex(_)) => {
                println!("kill {killed:2} after {delay:5.2} s: no index yet");
            }
            Err(e) => panic!("after kill {killed}: the index does not open: {e}"),
        }
    }
    let out = hoptac(&index)
        .args(["index", "--json", "--corpus"])
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    let skipped = summary["skipped"].as_array().unwrap().len() as u64;
    let documents = summary["documents"].as_u64().unwrap();
    let a = hoptac_indexer::audit(&index).unwrap();
    println!(
        "final run: {documents} documents = {files} files - {skipped} unreadable; {} distinct ids; \
         {killed} kills, {finished_early} runs finished before their kill; {:.0} s in all",
        a.distinct_ids,
        started.elapsed().as_secs_f64()
    );
    assert_eq!(documents, files - skipped);
    assert_eq!(a.documents, documents);
    assert_eq!(a.distinct_ids, documents);
}

#[test]
#[ignore = "minutes on the 38k-document corpus: scripts/crash-test"]
fn searches_keep_answering_during_a_full_reindex() {
    let corpus = corpus();
    let tmp = support::Folder::empty();
    let index = tmp.path().join("index");
    let out = hoptac(&index)
        .args(["index", "--corpus"])
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    // As if an older hoptac had written it: the server must rebuild all of it.
    let meta_path = index.join("meta.json");
    let mut meta: Value = serde_json::from_slice(&std::fs::read(&meta_path).unwrap()).unwrap();
    let mut payload: Value = serde_json::from_str(meta["payload"].as_str().unwrap()).unwrap();
    payload["analyzer"] = "vi-0-old".into();
    meta["payload"] = payload.to_string().into();
    std::fs::write(&meta_path, meta.to_string()).unwrap();

    let mut serve = hoptac(&index);
    serve
        // Without the cache of repeated searches: every search must reach the engine while the
        // index is rebuilt, not be answered from memory.
        .args([
            "serve",
            "--no-watch",
            "--cache-entries",
            "0",
            "--addr",
            "127.0.0.1:0",
        ])
        .arg("--corpus")
        .arg(&corpus);
    let server = Server::launch(tmp, serve);
    let url = server.url("");
    let agent = &server.agent;
    let queries = [
        "an toan thong tin han quoc",
        "Hàn Quốc",
        "chính phủ điện tử",
        "hợp tác Nhật Bản",
        "ATTT",
        "chuyển đổi số",
    ];
    let started = Instant::now();
    let mut max_pause = Duration::ZERO;
    let mut searches = 0u64;
    let mut errors = Vec::new();
    let mut latencies = Vec::new();
    let mut swapped = false;
    while started.elapsed() < Duration::from_secs(600) {
        let q = queries[searches as usize % queries.len()];
        let t = Instant::now();
        let r = agent.get(&format!("{url}/api/search")).query("q", q).call();
        let took = t.elapsed();
        searches += 1;
        latencies.push(took);
        max_pause = max_pause.max(took);
        match r {
            Ok(mut res) if res.status() == 200 => {
                let _ = res.body_mut().read_to_string();
            }
            Ok(mut res) => errors.push(format!(
                "{} {}",
                res.status(),
                res.body_mut().read_to_string().unwrap_or_default()
            )),
            Err(e) => errors.push(e.to_string()),
        }
        if searches.is_multiple_of(20) {
            let h: Value = agent
                .get(&format!("{url}/api/health"))
                .call()
                .ok()
                .and_then(|mut r| r.body_mut().read_to_string().ok())
                .and_then(|b| serde_json::from_str(&b).ok())
                .unwrap_or_default();
            if h["index"]["analyzer"] == h["analyzer"] {
                swapped = true;
                break;
            }
        }
    }
    drop(server);
    latencies.sort();
    let median = latencies[latencies.len() / 2];
    println!(
        "full reindex under search load: {searches} searches in {:.1} s, median {:.0} ms, max pause {:.0} ms, {} errors; rebuilt index swapped in: {swapped}",
        started.elapsed().as_secs_f64(),
        median.as_secs_f64() * 1000.0,
        max_pause.as_secs_f64() * 1000.0,
        errors.len()
    );
    assert!(swapped, "the rebuild did not finish within 10 minutes");
    assert!(errors.is_empty(), "{errors:?}");
    assert!(
        max_pause < Duration::from_secs(1),
        "a search waited {max_pause:?}"
    );
}
