//! Properties of the analyzer over generated text: arbitrary Unicode, and text built from the pieces
//! Vietnamese documents are made of (precomposed and decomposed letters, tone and quality marks,
//! joiners, digits, punctuation).

use hoptac_analyzer::bigram::BigramTokenizer;
use hoptac_analyzer::capitals::CapitalsTokenizer;
use hoptac_analyzer::filter::RuleFilter;
use hoptac_analyzer::limit::Limit;
use hoptac_analyzer::syllable::SyllableTokenizer;
use hoptac_analyzer::{
    analyze, bigram_analyzer, exact_analyzer, fold, folded_analyzer, normalize, register_limited,
    tone, Normalize, VI_BIGRAM, VI_CAPITALS, VI_EXACT, VI_FOLDED,
};
use proptest::prelude::*;
use tantivy::tokenizer::{TextAnalyzer, TokenFilter, TokenStream, TokenizerManager};
use unicode_normalization::UnicodeNormalization;

/// Pieces of Vietnamese text, including the awkward ones: bare combining marks, joiners at the
/// edges, both tone placements, capitals, `đ`, digits with separators.
fn vietnamese_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "Hợp",
            "tác",
            "hoá",
            "hóa",
            "thuỷ",
            "THỦY",
            "khoẻ",
            "Quốc",
            "giữa",
            "Đà",
            "nghiêng",
            "ngoằn",
            "khuỷu",
            "TT&TT",
            "CNTT-TT",
            "I-Korea",
            "4.0",
            "14/5/2010",
            "2.790",
            "5G",
            "Việt",
            "Nam",
            "–",
            "\u{a0}",
            "…",
            "“",
            "”",
        ])
        .prop_map(String::from),
        "[a-zA-ZđĐăâêôơưĂÂÊÔƠƯ]{1,4}",
        prop::sample::select(vec![
            '\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}', '\u{302}', '\u{306}', '\u{31b}',
            '&', '-', '.', '/', ',', ':', '_', '\u{2011}', ' ', '\n', '0', '9',
        ])
        .prop_map(String::from),
    ]
}

fn vietnamese_text() -> impl Strategy<Value = String> {
    prop::collection::vec(vietnamese_piece(), 0..24).prop_map(|v| v.concat())
}

/// Arbitrary Unicode, or Vietnamese-like text.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), vietnamese_text()]
}

fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(t) = stream.next() {
        out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
    }
    out
}

fn exact_texts(text: &str) -> Vec<String> {
    tokens(&mut exact_analyzer(), text)
        .into_iter()
        .map(|t| t.0)
        .collect()
}

/// The reference chains the registered views must equal, token for token: each view run on its
/// own, with the same token cap.
fn reference(view: &str, max_tokens: usize) -> TextAnalyzer {
    let cap = Limit(max_tokens);
    match view {
        VI_EXACT => TextAnalyzer::builder(cap.transform(SyllableTokenizer))
            .filter(RuleFilter(Normalize))
            .build(),
        VI_FOLDED => TextAnalyzer::builder(cap.transform(SyllableTokenizer))
            .filter(RuleFilter(Normalize))
            .filter(RuleFilter(hoptac_analyzer::fold::Fold))
            .build(),
        VI_BIGRAM => TextAnalyzer::builder(cap.transform(BigramTokenizer)).build(),
        _ => TextAnalyzer::builder(cap.transform(CapitalsTokenizer)).build(),
    }
}

proptest! {
    /// The views share one analysis per text (and a per-thread memo of the last texts); what
    /// each yields is still exactly what its own chain would, whatever order the texts come in.
    #[test]
    fn the_shared_analysis_yields_each_views_own_tokens(
        texts in prop::collection::vec(any_text(), 1..4),
        max_tokens in prop_oneof![Just(3usize), Just(100_000usize)],
    ) {
        let manager = TokenizerManager::default();
        register_limited(&manager, max_tokens);
        for view in [VI_EXACT, VI_FOLDED, VI_BIGRAM, VI_CAPITALS] {
            let mut shared = manager.get(view).unwrap();
            let mut own = reference(view, max_tokens);
            for text in texts.iter().chain(texts.iter().rev()) {
                prop_assert_eq!(tokens(&mut shared, text), tokens(&mut own, text), "{} of {:?}", view, text);
            }
        }
    }

    #[test]
    fn the_analyzers_never_panic(text in any_text()) {
        let _ = analyze(&text);
        for mut a in [exact_analyzer(), folded_analyzer(), bigram_analyzer()] {
            let _ = tokens(&mut a, &text);
        }
    }

    #[test]
    fn offsets_are_char_boundaries_in_order_within_the_text(text in any_text()) {
        for mut a in [exact_analyzer(), folded_analyzer(), bigram_analyzer()] {
            let toks = tokens(&mut a, &text);
            let mut last_from = 0;
            for (t, from, to, _) in &toks {
                prop_assert!(from < to && *to <= text.len(), "{t:?} {from}..{to} in {}", text.len());
                prop_assert!(text.is_char_boundary(*from) && text.is_char_boundary(*to));
                prop_assert!(*from >= last_from, "offsets go backwards at {t:?}");
                last_from = *from;
            }
        }
        let analyzed = analyze(&text);
        for pair in analyzed.windows(2) {
            prop_assert!(pair[0].syllable.position <= pair[1].syllable.position);
        }
    }

    #[test]
    fn folding_is_idempotent(text in any_text()) {
        let once = fold(&text);
        prop_assert_eq!(fold(&once), once);
    }

    #[test]
    fn folded_tokens_have_no_vietnamese_marks(text in vietnamese_text()) {
        for (t, ..) in tokens(&mut folded_analyzer(), &text) {
            prop_assert!(!t.chars().any(|c| "\u{300}\u{301}\u{303}\u{309}\u{323}\u{302}\u{306}\u{31b}đĐ".contains(c)), "{t:?}");
        }
    }

    #[test]
    fn the_exact_view_of_nfc_and_nfd_is_the_same(text in any_text()) {
        let nfc: String = text.nfc().collect();
        let nfd: String = text.nfd().collect();
        prop_assert_eq!(exact_texts(&nfc), exact_texts(&nfd));
    }

    #[test]
    fn tone_canonicalisation_is_idempotent(text in any_text()) {
        let once = tone::canonical_tone(&text);
        prop_assert_eq!(tone::canonical_tone(&once), once.clone());
        let normalized = normalize(&text);
        prop_assert_eq!(normalize(&normalized), normalized);
    }
}
