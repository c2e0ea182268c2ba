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

use crate::syllable::{syllables, Kind};
use crate::{fold::fold_into, normalize_into};

/// Emits the folded bigrams of a text.
#[derive(Clone, Debug, Default)]
pub struct BigramTokenizer;

/// Token stream of [`BigramTokenizer`].
pub struct BigramStream {
    tokens: std::vec::IntoIter<Token>,
    token: Token,
}

/// The folded bigrams of `text` as `(from, to, "a b")`.
pub fn bigrams(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut prev: Option<(usize, String)> = None;
    let mut exact = String::new();
    for s in syllables(text) {
        if s.kind == Kind::Joined {
            continue;
        }
        exact.clear();
        normalize_into(&text[s.from..s.to], &mut exact);
        let mut folded = String::with_capacity(exact.len());
        fold_into(&exact, &mut folded);
        if let Some((from, p)) = prev.take() {
            if !s.boundary_before {
                out.push((from, s.to, format!("{p} {folded}")));
            }
        }
        prev = Some((s.from, folded));
    }
    out
}

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = BigramStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BigramStream {
        let tokens: Vec<Token> = bigrams(text)
            .into_iter()
            .enumerate()
            .map(|(position, (offset_from, offset_to, text))| Token {
                offset_from,
                offset_to,
                position,
                text,
                position_length: 1,
            })
            .collect();
        BigramStream {
            tokens: tokens.into_iter(),
            token: Token::default(),
        }
    }
}

impl TokenStream for BigramStream {
    fn advance(&mut self) -> bool {
        match self.tokens.next() {
            Some(t) => {
                self.token = t;
                true
            }
            None => false,
        }
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
    fn tone_variants_give_one_bigram() {
        assert_eq!(texts("tin học hoá"), texts("Tin học hóa"));
    }
}
