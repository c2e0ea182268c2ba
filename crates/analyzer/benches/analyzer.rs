//! Throughput of each analyzer rule on real Vietnamese text (divan).
//!
//! ```sh
//! cargo bench -p hoptac-analyzer --bench analyzer
//! HOPTAC_BENCH_CORPUS=../shared/corpus HOPTAC_BENCH_BYTES=4000000 cargo bench -p hoptac-analyzer
//! ```
//!
//! The text is read when the bench starts, never stored in the repository: the `.txt` files of
//! `$HOPTAC_BENCH_CORPUS` (default `../shared/corpus` beside the repository) in path order, until
//! `$HOPTAC_BENCH_BYTES` bytes (default 4 MB). Every benchmark counts the bytes of that text, so divan
//! reports MB/s of Vietnamese text through the rule. The token rules (NFC, lower case, tone, fold)
//! run on the syllables of the text, split once before timing, as they run inside the analyzers; the
//! tokenizers and full analyzers run on each file's text.

use std::sync::OnceLock;

use divan::counter::BytesCount;
use divan::{black_box, Bencher};
use hoptac_analyzer::{
    bigram, bigram_analyzer, exact_analyzer, fold, folded_analyzer, lower, nfc, syllables, tone,
};
use tantivy::tokenizer::TokenStream;

mod common;

fn main() {
    divan::main();
}

struct Text {
    docs: Vec<String>,
    tokens: Vec<String>,
    bytes: usize,
}

fn text() -> &'static Text {
    static TEXT: OnceLock<Text> = OnceLock::new();
    TEXT.get_or_init(|| {
        let (docs, bytes) = common::corpus_text();
        let tokens = docs
            .iter()
            .flat_map(|d| {
                syllables(d)
                    .into_iter()
                    .map(|s| d[s.from..s.to].to_string())
            })
            .collect();
        Text {
            docs,
            tokens,
            bytes,
        }
    })
}

/// A token rule applied to every syllable of the text.
fn per_token(b: Bencher, rule: fn(&str, &mut String)) {
    let t = text();
    let mut out = String::with_capacity(64);
    b.counter(BytesCount::new(t.bytes)).bench_local(|| {
        for tok in &t.tokens {
            out.clear();
            rule(black_box(tok), &mut out);
            black_box(&out);
        }
    });
}

#[divan::bench]
fn rule_nfc(b: Bencher) {
    per_token(b, nfc::nfc_into);
}

#[divan::bench]
fn rule_lower(b: Bencher) {
    per_token(b, lower::lower_into);
}

#[divan::bench]
fn rule_tone(b: Bencher) {
    per_token(b, tone::canonical_tone_into);
}

#[divan::bench]
fn rule_fold(b: Bencher) {
    per_token(b, fold::fold_into);
}

#[divan::bench]
fn tokenizer_syllables(b: Bencher) {
    let t = text();
    b.counter(BytesCount::new(t.bytes)).bench_local(|| {
        for d in &t.docs {
            black_box(syllables(black_box(d)));
        }
    });
}

#[divan::bench]
fn tokenizer_bigrams(b: Bencher) {
    let t = text();
    b.counter(BytesCount::new(t.bytes)).bench_local(|| {
        for d in &t.docs {
            black_box(bigram::bigrams(black_box(d)));
        }
    });
}

/// A whole tantivy analyzer, token stream drained as the indexer does.
fn analyzer(b: Bencher, mut analyzer: tantivy::tokenizer::TextAnalyzer) {
    let t = text();
    b.counter(BytesCount::new(t.bytes)).bench_local(|| {
        let mut n = 0usize;
        for d in &t.docs {
            let mut stream = analyzer.token_stream(black_box(d));
            while stream.advance() {
                n += stream.token().text.len();
            }
        }
        black_box(n)
    });
}

#[divan::bench]
fn analyzer_exact(b: Bencher) {
    analyzer(b, exact_analyzer());
}

#[divan::bench]
fn analyzer_folded(b: Bencher) {
    analyzer(b, folded_analyzer());
}

#[divan::bench]
fn analyzer_bigram(b: Bencher) {
    analyzer(b, bigram_analyzer());
}
