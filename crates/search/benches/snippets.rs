//! Throughput of snippets: finding a query's words in a hit's text and choosing its passage (divan).
//!
//! ```sh
//! cargo bench -p hoptac-search --bench snippets
//! HOPTAC_BENCH_CORPUS=../shared/corpus HOPTAC_BENCH_BYTES=4000000 cargo bench -p hoptac-search
//! ```
//!
//! Every hit of a page gets one, so the server spends a quarter of its time here at ×1. The text is
//! read when the bench starts, never stored in the repository: the `.txt` files of
//! `$HOPTAC_BENCH_CORPUS` (default `../shared/corpus` beside the repository) in path order, until
//! `$HOPTAC_BENCH_BYTES` bytes (default 4 MB); the counter is those bytes, so divan reports MB/s of
//! text searched for each query's words.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use divan::counter::BytesCount;
use divan::{black_box, Bencher};
use hoptac_indexer::Config;
use hoptac_search::{Highlighter, QueryContext};

fn main() {
    divan::main();
}

struct Text {
    docs: Vec<String>,
    bytes: usize,
}

fn text() -> &'static Text {
    static TEXT: OnceLock<Text> = OnceLock::new();
    TEXT.get_or_init(|| {
        let root = std::env::var_os("HOPTAC_BENCH_CORPUS")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
            });
        let limit: usize = std::env::var("HOPTAC_BENCH_BYTES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(4_000_000);
        let mut files = Vec::new();
        collect(&root, &mut files);
        files.sort();
        assert!(
            !files.is_empty(),
            "no .txt files under {} (set HOPTAC_BENCH_CORPUS)",
            root.display()
        );
        let (mut docs, mut bytes) = (Vec::new(), 0);
        for f in files {
            if bytes >= limit {
                break;
            }
            if let Ok(s) = std::fs::read_to_string(&f) {
                bytes += s.len();
                docs.push(s);
            }
        }
        eprintln!(
            "snippets bench: {} documents, {:.1} MB from {}",
            docs.len(),
            bytes as f64 / 1e6,
            root.display()
        );
        Text { docs, bytes }
    })
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "txt") {
            out.push(p);
        }
    }
}

/// The snippet of every document of the text for `query`, 240 characters as the server asks.
fn snippets(b: Bencher, query: &str) {
    let t = text();
    let plan = QueryContext::new(&Config::builtin()).parse(query);
    let highlighter = Highlighter::new(plan.highlight_sequences());
    b.counter(BytesCount::new(t.bytes)).bench_local(|| {
        for d in &t.docs {
            black_box(highlighter.snippet(black_box(d), 240));
        }
    });
}

/// Typed as written: syllables matched in the exact view.
#[divan::bench]
fn with_diacritics(b: Bencher) {
    snippets(b, "an toàn thông tin Hàn Quốc");
}

/// Typed without diacritics: any spelling of each syllable.
#[divan::bench]
fn without_diacritics(b: Bencher) {
    snippets(b, "an toan thong tin han quoc");
}

/// An acronym in capitals beside a name.
#[divan::bench]
fn acronym(b: Bencher) {
    snippets(b, "ATTT Hàn Quốc");
}

/// A long query: many words to look for.
#[divan::bench]
fn long_query(b: Bencher) {
    snippets(b, "Việt Nam Hàn Quốc hợp tác xây dựng Chính phủ điện tử");
}
