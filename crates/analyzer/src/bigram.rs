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

/// Token stream of [`BigramTokenizer`]: the pairs of [`pairs`], each made as the stream advances
/// in reused buffers.
pub struct BigramStream<'a> {
    text: &'a str,
    syllables: Vec<Syllable>,
    pairs: std::vec::IntoIter<(usize, usize)>,
    exact: String,
    first: String,
    second: String,
    /// Pairs emitted so far: the next pair's position.
    emitted: usize,
    token: Token,
}

impl<'a> BigramStream<'a> {
    fn new(text: &'a str) -> Self {
        let syllables = syllables(text);
        BigramStream {
            text,
            pairs: pairs(&syllables).into_iter(),
            syllables,
            exact: String::new(),
            first: String::new(),
            second: String::new(),
            emitted: 0,
            token: Token::default(),
        }
    }
}

/// The folded form of `text`'s syllable `s`, into `out` (`exact` is scratch space).
fn fold_syllable(text: &str, s: &Syllable, exact: &mut String, out: &mut String) {
    exact.clear();
    normalize_into(&text[s.from..s.to], exact);
    out.clear();
    fold_into(exact, out);
}

/// Which syllables pair: every two adjacent ones (joined tokens count by their parts) with nothing
/// but spaces between them, as (first, second) indices into `syllables`. The one statement of the
/// rule, for this tokenizer and for the indexed view ([`crate::views::BigramView`]).
pub fn pairs(syllables: &[Syllable]) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(syllables.len());
    let mut prev: Option<usize> = None;
    for (i, s) in syllables.iter().enumerate() {
        if s.kind == Kind::Joined {
            continue;
        }
        if let Some(p) = prev.filter(|_| !s.boundary_before) {
            out.push((p, i));
        }
        prev = Some(i);
    }
    out
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
        let Some((first, second)) = self.pairs.next() else {
            return false;
        };
        let (a, b) = (&self.syllables[first], &self.syllables[second]);
        fold_syllable(self.text, a, &mut self.exact, &mut self.first);
        fold_syllable(self.text, b, &mut self.exact, &mut self.second);
        let t = &mut self.token;
        t.offset_from = self.syllables[first].from;
        t.offset_to = self.syllables[second].to;
        t.position = self.emitted;
        t.position_length = 1;
        t.text.clear();
        push_key(&self.first, &self.second, &mut t.text);
        self.emitted += 1;
        true
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
