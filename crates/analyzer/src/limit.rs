//! A cap on what one field value yields: at most `max_tokens` tokens, read from at most
//! [`BYTES_PER_TOKEN`] × `max_tokens` bytes of its text.
//!
//! Lucene's `LimitTokenCountFilter` for hoptac's analyzers. A press release is a few thousand
//! tokens; a log or a badly converted PDF dropped into the corpus can be millions, and every
//! query touching its words would then read millions of positions. The text is still stored whole
//! (shown and downloadable); only its analysis stops. The analysers segment a text before emitting
//! its first token, so the text is cut before it is segmented, not only the stream after it: the
//! cost of a field is bounded however its bytes are arranged (one 5 MB word included).

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Bytes of text read per token allowed: a Vietnamese syllable and its space take about six bytes
/// (three or four letters, diacritics two bytes each in UTF-8); ten leaves room for English words
/// and punctuation, so an ordinary text always reaches its token cap first.
pub const BYTES_PER_TOKEN: usize = 10;

/// The part of `text` analysed under a cap of `max_tokens`: a prefix of at most
/// `max_tokens × BYTES_PER_TOKEN` bytes, cut after a whitespace when one is near the end (so a
/// word is not halved).
pub fn analysed_prefix(text: &str, max_tokens: usize) -> &str {
    let cut = char_prefix(text, max_tokens.saturating_mul(BYTES_PER_TOKEN));
    if cut.len() == text.len() {
        return text;
    }
    match cut.rfind(char::is_whitespace) {
        Some(sp) if sp >= cut.len() / 2 => &cut[..sp],
        _ => cut,
    }
}

/// The longest prefix of `text` of at most `max` bytes that ends at a character boundary (what a
/// bound on the bytes analysed keeps of a text; snippets use it too).
pub fn char_prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Caps every field value at `max_tokens` tokens (see the module).
#[derive(Clone, Copy, Debug)]
pub struct Limit(pub usize);

impl TokenFilter for Limit {
    type Tokenizer<T: Tokenizer> = LimitTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> LimitTokenizer<T> {
        LimitTokenizer {
            inner: tokenizer,
            max_tokens: self.0,
        }
    }
}

/// The tokenizer produced by [`Limit`].
#[derive(Clone)]
pub struct LimitTokenizer<T> {
    inner: T,
    max_tokens: usize,
}

impl<T: Tokenizer> Tokenizer for LimitTokenizer<T> {
    type TokenStream<'a> = LimitStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        LimitStream {
            tail: self
                .inner
                .token_stream(analysed_prefix(text, self.max_tokens)),
            left: self.max_tokens,
        }
    }
}

/// The token stream produced by [`LimitTokenizer`].
pub struct LimitStream<S> {
    tail: S,
    left: usize,
}

impl<S: TokenStream> TokenStream for LimitStream<S> {
    fn advance(&mut self) -> bool {
        if self.left == 0 {
            return false;
        }
        self.left -= 1;
        self.tail.advance()
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::TextAnalyzer;

    fn count(max: usize, text: &str) -> usize {
        let mut a = TextAnalyzer::builder(crate::syllable::SyllableTokenizer)
            .filter(Limit(max))
            .build();
        let mut s = a.token_stream(text);
        let mut n = 0;
        while s.advance() {
            n += 1;
        }
        n
    }

    #[test]
    fn a_long_text_yields_only_the_cap() {
        assert_eq!(count(5, &"hợp tác ".repeat(100)), 5);
    }

    #[test]
    fn a_short_text_is_untouched() {
        assert_eq!(count(100, "Việt Nam – Hàn Quốc hợp tác"), 6);
    }

    #[test]
    fn one_huge_word_is_read_only_up_to_the_byte_bound() {
        let word = "a".repeat(1_000_000);
        assert_eq!(analysed_prefix(&word, 100).len(), 100 * BYTES_PER_TOKEN);
    }

    #[test]
    fn the_prefix_ends_between_words_and_characters() {
        let text = "Đường ".repeat(1000);
        let p = analysed_prefix(&text, 10);
        assert!(p.len() <= 100 && p.ends_with("Đường"), "{p:?}");
    }
}
