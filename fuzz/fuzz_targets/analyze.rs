//! The analyzer on arbitrary text: it never panics, and every token's offsets are char boundaries
//! of the text, in order.
#![no_main]

use hoptac_analyzer::{analyze, bigram_analyzer, exact_analyzer, folded_analyzer};
use libfuzzer_sys::fuzz_target;
use tantivy::tokenizer::TokenStream;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for a in analyze(text) {
        assert!(a.syllable.from < a.syllable.to && a.syllable.to <= text.len());
        assert!(text.is_char_boundary(a.syllable.from) && text.is_char_boundary(a.syllable.to));
    }
    for mut analyzer in [exact_analyzer(), folded_analyzer(), bigram_analyzer()] {
        let mut stream = analyzer.token_stream(text);
        let mut last = 0;
        while let Some(t) = stream.next() {
            assert!(
                t.offset_from >= last && t.offset_from < t.offset_to && t.offset_to <= text.len()
            );
            assert!(text.is_char_boundary(t.offset_from) && text.is_char_boundary(t.offset_to));
            last = t.offset_from;
        }
    }
});
