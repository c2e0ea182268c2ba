//! Throughput of snippets: finding a query's words in a hit's text and choosing its passage (divan).
//!
//! ```sh
//! cargo bench -p hoptac-search --bench snippets
//! HOPTAC_BENCH_CORPUS=../shared/corpus HOPTAC_BENCH_BYTES=4000000 cargo bench -p hoptac-search
//! ```
//!
//! Every hit of a page gets one, so the server spends a quarter of its time here at ×1. The text is
//! the analyzer bench's (`crates/analyzer/benches/common`: `$HOPTAC_BENCH_CORPUS`,
//! `$HOPTAC_BENCH_BYTES`); the counter is its bytes, so divan reports MB/s of text searched for each
//! query's words.

use std::sync::OnceLock;

use divan::counter::BytesCount;
use divan::{black_box, Bencher};
use hoptac_indexer::Config;
use hoptac_search::{Highlighter, QueryContext};

#[path = "../../analyzer/benches/common/mod.rs"]
mod common;

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
        let (docs, bytes) = common::corpus_text();
        Text { docs, bytes }
    })
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
