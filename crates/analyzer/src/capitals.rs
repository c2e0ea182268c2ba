//! Acronyms as written: the tokens a text writes in capitals.
//!
//! An acronym is a word of its own only in capitals: `AI` (artificial intelligence) is not `ai`
//! (who), `ODA` is not the family name `Oda`, `WTO` in a sentence is the organisation. The folded
//! view cannot tell them apart, so this tokenizer emits, beside it, the folded key of every token
//! written in capitals: a query's acronym then matches where the text writes it so, and never the
//! everyday word it spells in lower case.
//!
//! A token counts when it has two characters or more, at least one letter, and no small letter
//! (`AI`, `ODA`, `G20`, `TT&TT` and its parts `TT`, `TT`). A headline in capitals is not a row of
//! acronyms: three or more such tokens in a row, with only spaces between them (`AI ĐÚNG AI SAI`),
//! count as ordinary words.
//!
//! Before: `"AI giúp ai? Hội nghị WTO – ASEAN. VIỆT NAM HỢP TÁC VỚI WB"`.
//! After: `ai`, `wto`, `asean` (the line in capitals gives nothing).

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::syllable::{syllables, Kind, Syllable};
use crate::{fold::fold_into, normalize_into};

/// A run of this many tokens in capitals, with only spaces between them, is a line in capitals
/// rather than acronyms.
pub const SHOUTING_RUN: usize = 3;

/// True when `token` is written in capitals: two characters or more, a letter, no small letter.
pub fn is_capitals(token: &str) -> bool {
    token.chars().count() >= 2
        && token.chars().any(char::is_alphabetic)
        && !token.chars().any(char::is_lowercase)
}

/// The syllables of `text` written in capitals as acronyms (see the module doc), in text order.
pub fn acronyms_as_written(text: &str) -> Vec<Syllable> {
    let all = syllables(text);
    acronym_indices(text, &all)
        .into_iter()
        .map(|i| all[i].clone())
        .collect()
}

/// The indices, among `all` (the syllables of `text`), of those written in capitals as acronyms.
pub fn acronym_indices(text: &str, all: &[Syllable]) -> Vec<usize> {
    // The tokens that words are counted by: simple and joined tokens (a part follows its whole).
    let words: Vec<&Syllable> = all.iter().filter(|s| s.kind != Kind::Part).collect();
    let caps: Vec<bool> = words
        .iter()
        .map(|s| is_capitals(&text[s.from..s.to]))
        .collect();
    // Runs of capitals joined by spaces only.
    let mut shouting = vec![false; words.len()];
    let mut start = 0;
    while start < words.len() {
        if !caps[start] {
            start += 1;
            continue;
        }
        let mut end = start + 1;
        while end < words.len() && caps[end] && !words[end].boundary_before {
            end += 1;
        }
        if end - start >= SHOUTING_RUN {
            shouting[start..end].iter_mut().for_each(|s| *s = true);
        }
        start = end;
    }
    let mut out = Vec::new();
    let mut word = 0;
    let mut keep_parts = false;
    for (i, s) in all.iter().enumerate() {
        if s.kind == Kind::Part {
            if keep_parts && is_capitals(&text[s.from..s.to]) {
                out.push(i);
            }
            continue;
        }
        let keep = caps[word] && !shouting[word];
        keep_parts = keep;
        word += 1;
        if keep {
            out.push(i);
        }
    }
    out
}

/// The folded key of a token written in capitals, as the index holds it (`BĐKH` → `bdkh`).
pub fn key_into(token: &str, out: &mut String) {
    let mut normal = String::with_capacity(token.len());
    normalize_into(token, &mut normal);
    fold_into(&normal, out);
}

/// Emits the folded keys of the tokens a text writes in capitals.
#[derive(Clone, Debug, Default)]
pub struct CapitalsTokenizer;

/// Token stream of [`CapitalsTokenizer`].
pub struct CapitalsStream<'a> {
    text: &'a str,
    tokens: std::vec::IntoIter<Syllable>,
    token: Token,
}

impl Tokenizer for CapitalsTokenizer {
    type TokenStream<'a> = CapitalsStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CapitalsStream<'a> {
        CapitalsStream {
            text,
            tokens: acronyms_as_written(text).into_iter(),
            token: Token::default(),
        }
    }
}

impl TokenStream for CapitalsStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(s) = self.tokens.next() else {
            return false;
        };
        self.token.text.clear();
        key_into(&self.text[s.from..s.to], &mut self.token.text);
        self.token.offset_from = s.from;
        self.token.offset_to = s.to;
        self.token.position = s.position;
        self.token.position_length = 1;
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

    fn keys(text: &str) -> Vec<String> {
        let mut t = CapitalsTokenizer;
        let mut stream = t.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn an_acronym_in_capitals_is_kept_and_the_word_in_small_letters_is_not() {
        assert_eq!(keys("AI giúp ai làm việc?"), ["ai"]);
        assert_eq!(keys("vốn ODA của Nhật Bản, ông Oda nói"), ["oda"]);
    }

    #[test]
    fn diacritics_are_folded_as_acronym_keys_are() {
        assert_eq!(keys("ứng phó BĐKH"), ["bdkh"]);
    }

    #[test]
    fn a_joined_acronym_gives_itself_and_its_parts() {
        assert_eq!(
            keys("Bộ TT&TT và TP.HCM"),
            ["tt&tt", "tt", "tt", "tp.hcm", "tp", "hcm"]
        );
    }

    #[test]
    fn letters_with_digits_count_and_a_single_letter_does_not() {
        assert_eq!(keys("hội nghị G20 và mạng 5G, hạng A"), ["g20", "5g"]);
    }

    #[test]
    fn a_line_in_capitals_is_words_not_acronyms() {
        assert_eq!(keys("AI ĐÚNG AI SAI?"), Vec::<String>::new());
        assert_eq!(keys("VIỆT NAM HỢP TÁC VỚI WB"), Vec::<String>::new());
        // Punctuation between them: a list of acronyms, not a line in capitals.
        assert_eq!(keys("WTO, ASEAN, APEC"), ["wto", "asean", "apec"]);
        // Two in a row are an acronym written in two tokens.
        assert_eq!(keys("tại TP HCM hôm qua"), ["tp", "hcm"]);
    }
}
