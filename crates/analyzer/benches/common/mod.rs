//! The corpus text the benchmarks read: shared by the analyzer's and the snippets' benches
//! (`#[path]`-included by the latter; not a bench itself).
//!
//! The `.txt` files of `$HOPTAC_BENCH_CORPUS` (default `../shared/corpus` beside the repository) in
//! path order, until `$HOPTAC_BENCH_BYTES` bytes (default 4 MB); read when a bench starts, never stored
//! in the repository.

use std::path::{Path, PathBuf};

/// The documents read and their bytes together (what the benches count).
pub fn corpus_text() -> (Vec<String>, usize) {
    let root = std::env::var_os("HOPTAC_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"));
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
        "bench text: {} documents, {:.1} MB from {}",
        docs.len(),
        bytes as f64 / 1e6,
        root.display()
    );
    (docs, bytes)
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
