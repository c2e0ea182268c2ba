//! Folded syllable bigrams: the word evidence of the index.
//!
//! Most Vietnamese words are two syllables (`hợp tác`, `thông tin`, `Hàn Quốc`), so an index of
//! adjacent syllable pairs lets a query reward its syllables standing together with a single term
//! lookup, instead of a positional phrase match. A pair never spans punctuation or a line break
//! (`Hà Nội, Việt Nam` gives `ha noi` and `viet nam`, not `noi viet`), and joined tokens contribute
//! their parts.
//!
//! Before: `"An toàn thông tin, Hàn Quốc"`. After: `an toan`, `toan thong`, `thong tin`, `han quoc`.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::syllable::{syllables, Kind, Syllable};
use crate::{fold::fold_into, normalize_into};

/// Emits the folded bigrams of a text.
#[derive(Clone, Debug, Default)]
pub struct BigramTokenizer;

/// Token stream of [`BigramTokenizer`]: pairs are made as the stream advances, in reused buffers
/// (this runs over every document body at indexing time).
pub struct BigramStream<'a> {
    text: &'a str,
    syllables: std::vec::IntoIter<Syllable>,
    /// The previous syllable: where it starts, and its folded form.
    prev: Option<usize>,
    prev_folded: String,
    folded: String,
    exact: String,
    /// Pairs emitted so far: the next pair's position.
    emitted: usize,
    token: Token,
}

impl<'a> BigramStream<'a> {
    fn new(text: &'a str) -> Self {
        BigramStream {
            text,
            syllables: syllables(text).into_iter(),
            prev: None,
            prev_folded: String::new(),
            folded: String::new(),
            exact: String::new(),
            emitted: 0,
            token: Token::default(),
        }
    }
}

/// Writes the bigram term of two folded syllables (`an`, `toan` → `an toan`) into `out`: the one
/// spelling of a pair, for the index and for every query that looks a pair up.
pub fn push_key(a: &str, b: &str, out: &mut String) {
    out.push_str(a);
    out.push(' ');
    out.push_str(b);
}

/// The bigram term of two folded syllables (see [`push_key`]).
pub fn key(a: &str, b: &str) -> String {
    let mut out = String::with_capacity(a.len() + b.len() + 1);
    push_key(a, b, &mut out);
    out
}

/// The folded bigrams of `text` as `(from, to, "a b")`.
pub fn bigrams(text: &str) -> Vec<(usize, usize, String)> {
    let mut stream = BigramStream::new(text);
    let mut out = Vec::new();
    while stream.advance() {
        let t = stream.token();
        out.push((t.offset_from, t.offset_to, t.text.clone()));
    }
    out
}

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = BigramStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BigramStream<'a> {
        BigramStream::new(text)
    }
}

impl TokenStream for BigramStream<'_> {
    fn advance(&mut self) -> bool {
        for s in self.syllables.by_ref() {
            if s.kind == Kind::Joined {
                continue;
            }
            self.exact.clear();
            normalize_into(&self.text[s.from..s.to], &mut self.exact);
            self.folded.clear();
            fold_into(&self.exact, &mut self.folded);
            let pair = match self.prev {
                Some(from) if !s.boundary_before => {
                    let t = &mut self.token;
                    t.offset_from = from;
                    t.offset_to = s.to;
                    t.position = self.emitted;
                    t.position_length = 1;
                    t.text.clear();
                    push_key(&self.prev_folded, &self.folded, &mut t.text);
                    self.emitted += 1;
                    true
                }
                _ => false,
            };
            self.prev = Some(s.from);
            std::mem::swap(&mut self.prev_folded, &mut self.folded);
            if pair {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        bigrams(text).into_iter().map(|b| b.2).collect()
    }

    #[test]
    fn pairs_adjacent_folded_syllables() {
        assert_eq!(
            texts("An toàn thông tin"),
            ["an toan", "toan thong", "thong tin"]
        );
    }

    #[test]
    fn does_not_pair_across_punctuation() {
        assert_eq!(texts("Hà Nội, Việt Nam"), ["ha noi", "viet nam"]);
    }

    #[test]
    fn joined_tokens_contribute_their_parts() {
        assert_eq!(texts("Bộ TT&TT"), ["bo tt", "tt tt"]);
    }

    #[test]
    fn pairs_take_consecutive_positions() {
        let mut tokenizer = BigramTokenizer;
        let mut stream = tokenizer.token_stream("Hà Nội, Việt Nam hợp tác");
        let mut positions = Vec::new();
        while stream.advance() {
            positions.push(stream.token().position);
        }
        assert_eq!(positions, [0, 1, 2, 3]);
    }

    #[test]
    fn tone_variants_give_one_bigram() {
        assert_eq!(texts("tin học hoá"), texts("Tin học hóa"));
    }
}
