//! Vietnamese text analysis for hoptac.
//!
//! Text is never rewritten in place: tokens are found in the original text (so offsets, and therefore
//! highlights, point at the words as written), and each token's text is then normalised by small
//! rules, one per module, composed here:
//!
//! ```text
//! original ─► syllable ─► nfc ─► lower ─► tone ─┬─► exact view   ("hóa", "hàn", "quốc")
//!                                                └─► fold ─► folded view ("hoa", "han", "quoc")
//! ```
//!
//! [`register`] installs the four analyzers (exact, folded, folded bigrams, capitals) on a tantivy index; the
//! same functions analyse queries, so documents and queries can never be analysed differently.

pub mod acronym;
pub mod bigram;
pub mod capitals;
pub mod decode;
pub mod filter;
pub mod fold;
pub mod keystrokes;
pub mod letters;
pub mod limit;
pub mod lower;
pub mod nfc;
pub mod orthography;
pub mod segment;
pub mod syllable;
pub mod tone;
pub mod views;

use tantivy::tokenizer::{TextAnalyzer, TokenFilter, TokenizerManager};

pub use acronym::AcronymTable;
pub use fold::{fold, has_diacritics};
pub use segment::Lexicon;
pub use syllable::{for_each_syllable, syllables, Kind, Syllable};

/// Name of the analyzer for the exact view (diacritics kept, tone placement canonical).
pub const VI_EXACT: &str = "vi_exact";
/// Name of the analyzer for the folded view (no diacritics, đ→d).
pub const VI_FOLDED: &str = "vi_folded";
/// Name of the analyzer emitting folded syllable bigrams.
pub const VI_BIGRAM: &str = "vi_bigram";
/// Name of the analyzer emitting the tokens written in capitals (acronyms as written).
pub const VI_CAPITALS: &str = "vi_capitals";

/// Changes whenever a rule changes what tokens a text yields; an index built with another version
/// must be rebuilt.
pub const ANALYZER_VERSION: &str = "vi-5";

/// The exact-view analyzer: syllables, NFC, lower case, canonical tone.
pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(syllable::SyllableTokenizer)
        .filter(filter::RuleFilter(Normalize))
        .build()
}

/// NFC, lower case and canonical tone as one filter: [`normalize_into`], which skips the rules a
/// token cannot need (ASCII tokens, text already in NFC, syllables whose tone cannot move) instead
/// of copying every token through three filters.
#[derive(Clone, Copy, Debug, Default)]
pub struct Normalize;

impl filter::TokenRule for Normalize {
    fn apply(&self, input: &str, out: &mut String) {
        normalize_into(input, out);
    }
}

/// The folded-view analyzer: the exact view, then folding.
pub fn folded_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(syllable::SyllableTokenizer)
        .filter(filter::RuleFilter(Normalize))
        .filter(filter::RuleFilter(fold::Fold))
        .build()
}

/// The folded bigram analyzer.
pub fn bigram_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(bigram::BigramTokenizer).build()
}

/// Tokens analysed per field value unless index-config says otherwise (see [`limit`]): twice the
/// longest press release of the 38,098-document corpus is about 20,000; this leaves room for long
/// reports.
pub const DEFAULT_MAX_TOKENS_PER_FIELD: usize = 100_000;

/// Registers hoptac's analyzers with the default token cap; call on every index opened, for
/// writing or reading.
pub fn register(manager: &TokenizerManager) {
    register_limited(manager, DEFAULT_MAX_TOKENS_PER_FIELD);
}

/// Registers hoptac's analyzers, each field value analysed up to `max_tokens` tokens (see
/// [`limit`]); the text is still stored whole.
pub fn register_limited(manager: &TokenizerManager, max_tokens: usize) {
    // The four views of a text share one analysis (see [`views`]).
    let cap = limit::Limit(max_tokens);
    manager.register(
        VI_EXACT,
        TextAnalyzer::builder(cap.transform(views::SyllableView(views::Form::Exact))).build(),
    );
    manager.register(
        VI_FOLDED,
        TextAnalyzer::builder(cap.transform(views::SyllableView(views::Form::Folded))).build(),
    );
    manager.register(
        VI_BIGRAM,
        TextAnalyzer::builder(cap.transform(views::BigramView)).build(),
    );
    manager.register(
        VI_CAPITALS,
        TextAnalyzer::builder(cap.transform(views::CapitalsView)).build(),
    );
}

/// True when a field value of `text` yields more than `max_tokens` tokens, so that indexing
/// reads only part of it (what `hoptac index` reports). Only a long text is segmented to count.
pub fn exceeds_token_cap(text: &str, max_tokens: usize) -> bool {
    text.len() > max_tokens
        && (limit::analysed_prefix(text, max_tokens).len() < text.len()
            || syllables(text).len() > max_tokens)
}

/// Writes the exact-view form of one token (NFC, lower case, canonical tone) into `out`.
pub fn normalize_into(token: &str, out: &mut String) {
    // Each step returns at once for what it cannot change (ASCII above all).
    let start = out.len();
    if nfc::is_nfc(token) {
        lower::lower_into(token, out);
    } else {
        lower::lower_into(&nfc::nfc(token), out);
    }
    if tone::may_move(&out[start..]) {
        let lowered = out.split_off(start);
        tone::canonical_tone_into(&lowered, out);
    }
}

/// The exact-view form of a token or a text (NFC, lower case, canonical tone).
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_into(text, &mut out);
    out
}

/// A token with both of its indexed forms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Analyzed {
    /// Where it is in the original text, and what kind of token it is.
    pub syllable: Syllable,
    /// The exact-view text.
    pub exact: String,
    /// The folded-view text.
    pub folded: String,
}

/// Analyses a text into tokens with both forms; the query side and the extractors use this.
pub fn analyze(text: &str) -> Vec<Analyzed> {
    syllables(text)
        .into_iter()
        .map(|s| {
            let exact = normalize(&text[s.from..s.to]);
            let folded = fold(&exact);
            Analyzed {
                syllable: s,
                exact,
                folded,
            }
        })
        .collect()
}

/// The normalised syllables of a short text (joined tokens split into parts), e.g. a gazetteer entry.
pub fn normalized_syllables(text: &str) -> Vec<String> {
    analyze(text)
        .into_iter()
        .filter(|a| a.syllable.kind != Kind::Joined)
        .map(|a| a.exact)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::TokenStream;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize)> {
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn exact_view_unifies_tone_placement_and_case() {
        let mut a = exact_analyzer();
        let t1: Vec<String> = tokens(&mut a, "Tin học hoá")
            .into_iter()
            .map(|t| t.0)
            .collect();
        let t2: Vec<String> = tokens(&mut a, "TIN HỌC HÓA")
            .into_iter()
            .map(|t| t.0)
            .collect();
        assert_eq!(t1, ["tin", "học", "hóa"]);
        assert_eq!(t1, t2);
    }

    #[test]
    fn folded_view_matches_typing_without_diacritics() {
        let mut a = folded_analyzer();
        let t: Vec<String> = tokens(&mut a, "An toàn thông tin Hàn Quốc")
            .into_iter()
            .map(|t| t.0)
            .collect();
        assert_eq!(t, ["an", "toan", "thong", "tin", "han", "quoc"]);
    }

    #[test]
    fn nfd_and_nfc_give_the_same_exact_tokens() {
        let mut a = exact_analyzer();
        let nfd: Vec<String> = tokens(&mut a, "ho\u{31b}\u{323}p ta\u{301}c")
            .into_iter()
            .map(|t| t.0)
            .collect();
        let nfc: Vec<String> = tokens(&mut a, "hợp tác").into_iter().map(|t| t.0).collect();
        assert_eq!(nfd, nfc);
    }

    #[test]
    fn offsets_point_into_the_original_text_after_normalisation() {
        let text = "Ban Hợp tác Tin học hoá";
        let mut a = folded_analyzer();
        let t = tokens(&mut a, text);
        let last = t.last().unwrap();
        assert_eq!(last.0, "hoa");
        assert_eq!(&text[last.1..last.2], "hoá");
    }

    #[test]
    fn normalized_syllables_split_joined_tokens() {
        assert_eq!(normalized_syllables("Bộ TT&TT"), ["bộ", "tt", "tt"]);
    }
}
