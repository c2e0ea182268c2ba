//! Syllable tokenizing.
//!
//! Vietnamese is written one syllable per space-separated unit, so the syllable is the indexing unit.
//! What users type as one thing stays one token: acronyms joined by `&`, `-` or a dot between capitals
//! (`TT&TT`, `CNTT-TT`, `TP.HCM`),
//! hyphenated names and loans (`I-Korea`, `e-learning`, `Pa-ri`), versions and decimals (`4.0`,
//! `2.790`, `1,5`), dates (`14/5/2010`) and letter-digit mixes (`5G`, `COVID-19`). A joined token made of
//! letters is also emitted as its parts, at the following positions, so `Korea` finds `I-Korea` and a
//! phrase `thông tin - truyền thông` still lines up. Combining marks count as letters after a letter,
//! so NFD text is not split inside a syllable. Offsets are byte offsets into the text as given.
//!
//! Before: `"Bộ TT&TT ký MoU về CNTT-TT, 5G và I-Korea 4.0 ngày 14/5/2010"`.
//! After: `Bộ`, `TT&TT` (+ `TT`, `TT`), `ký`, `MoU`, `về`, `CNTT-TT` (+ `CNTT`, `TT`), `5G`, `và`,
//! `I-Korea` (+ `I`, `Korea`), `4.0`, `ngày`, `14/5/2010`.

use crate::letters::{is_alphanumeric, is_combining_mark};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// What a syllable token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A plain syllable, number or letter-digit mix.
    Simple,
    /// A joined token (`TT&TT`); its parts follow it.
    Joined,
    /// One part of the preceding joined token.
    Part,
}

/// One token of the original text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Syllable {
    /// Byte offset of the first char in the original text.
    pub from: usize,
    /// Byte offset just past the last char.
    pub to: usize,
    /// Token position (parts of a joined token take consecutive positions from the joined one's).
    pub position: usize,
    /// Simple, joined or part.
    pub kind: Kind,
    /// True when punctuation or a line break separates this token from the previous one, so the two
    /// do not form a word together.
    pub boundary_before: bool,
}

#[inline]
fn is_word_char(c: char) -> bool {
    is_alphanumeric(c) || is_combining_mark(c)
}

/// A combining mark continues a word but never starts one: a mark after a space or a symbol
/// belongs to no letter. (NFD writes some symbols as a symbol plus a mark — `῝` is `῾` + U+0300 —
/// so a mark that started a word would make NFD text yield a token its NFC form does not.)
#[inline]
fn starts_word(c: char) -> bool {
    is_alphanumeric(c)
}

/// The char starting at byte `at` of `text` (a char boundary), read in place: ASCII, most of a
/// Vietnamese text's bytes, without decoding.
#[inline]
fn char_at(text: &str, at: usize) -> char {
    let b = text.as_bytes()[at];
    if b.is_ascii() {
        return b as char;
    }
    text[at..].chars().next().unwrap_or('\0')
}

/// Splits `text` into syllable tokens.
pub fn syllables(text: &str) -> Vec<Syllable> {
    let mut out = Vec::with_capacity(text.len() / 4);
    for_each_syllable(text, |s| out.push(s));
    out
}

/// Hands each syllable token of `text` to `emit`, in order: [`syllables`] without the vector, for
/// a reader that keeps few of them (a snippet looks for the query's words in every hit's text).
///
/// One pass over the text's bytes, every char decoded where it is read (an index over the chars,
/// collected first, cost as much as the tokenizing itself: sixteen bytes per char, allocated for
/// every document indexed and every hit's snippet).
pub fn for_each_syllable(text: &str, mut emit: impl FnMut(Syllable)) {
    let mut first = true;
    let n = text.len();
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut position = 0;
    let mut last_end = 0;
    // A token's parts (byte ranges), between joiners; one buffer for every token.
    let mut parts: Vec<(usize, usize)> = Vec::new();
    while i < n {
        let c = char_at(text, i);
        if !starts_word(c) {
            i += c.len_utf8();
            continue;
        }
        // A run of word characters, possibly joined by single joiners between word characters.
        let start = i;
        parts.clear();
        let mut part_start = i;
        let mut joined_by_letters = false;
        loop {
            while i < n {
                let c = char_at(text, i);
                if !is_word_char(c) {
                    break;
                }
                i += c.len_utf8();
            }
            if i < n {
                let joiner = char_at(text, i);
                let next_at = i + joiner.len_utf8();
                if next_at < n && starts_word(char_at(text, next_at)) {
                    let prev_digit = bytes[i - 1].is_ascii_digit();
                    let next_digit = bytes[next_at].is_ascii_digit();
                    let numeric =
                        prev_digit && next_digit && matches!(joiner, '.' | ',' | '/' | ':');
                    // A dot between capitals is part of an abbreviation (`TP.HCM`, `PGS.TS`), not
                    // the end of a sentence: a sentence ends on a small letter or a digit, and the
                    // next one starts with a word in small letters (`JICA.Theo`, a missing space).
                    // (The letter before is the last one that is not a combining mark: NFD `Ê`.)
                    let abbreviation = joiner == '.'
                        && text[start..i]
                            .chars()
                            .rev()
                            .find(|c| !is_combining_mark(*c))
                            .is_some_and(char::is_uppercase)
                        && text[next_at..]
                            .chars()
                            .take_while(|c| is_word_char(*c))
                            .all(|c| c.is_uppercase() || is_combining_mark(c));
                    let word = abbreviation || matches!(joiner, '&' | '-' | '\u{2011}' | '_');
                    if numeric || word {
                        if word {
                            joined_by_letters = true;
                        }
                        parts.push((part_start, i));
                        i = next_at;
                        part_start = i;
                        continue;
                    }
                }
            }
            parts.push((part_start, i));
            break;
        }
        let (from, to) = (start, i);
        let boundary_before = first
            || bytes[last_end..from]
                .iter()
                .any(|&b| b != b' ' && b != b'\t');
        first = false;
        last_end = to;
        if parts.len() > 1 && joined_by_letters {
            emit(Syllable {
                from,
                to,
                position,
                kind: Kind::Joined,
                boundary_before,
            });
            for (k, &(ps, pe)) in parts.iter().enumerate() {
                emit(Syllable {
                    from: ps,
                    to: pe,
                    position: position + k,
                    kind: Kind::Part,
                    boundary_before: k == 0 && boundary_before,
                });
            }
            position += parts.len();
        } else {
            emit(Syllable {
                from,
                to,
                position,
                kind: Kind::Simple,
                boundary_before,
            });
            position += 1;
        }
    }
}

/// The tantivy tokenizer over [`syllables`].
#[derive(Clone, Debug, Default)]
pub struct SyllableTokenizer;

/// Token stream of [`SyllableTokenizer`].
pub struct SyllableStream<'a> {
    text: &'a str,
    syllables: std::vec::IntoIter<Syllable>,
    token: Token,
}

impl Tokenizer for SyllableTokenizer {
    type TokenStream<'a> = SyllableStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SyllableStream<'a> {
        SyllableStream {
            text,
            syllables: syllables(text).into_iter(),
            token: Token::default(),
        }
    }
}

impl TokenStream for SyllableStream<'_> {
    fn advance(&mut self) -> bool {
        match self.syllables.next() {
            Some(s) => {
                self.token.offset_from = s.from;
                self.token.offset_to = s.to;
                self.token.position = s.position;
                self.token.position_length = 1;
                self.token.text.clear();
                self.token.text.push_str(&self.text[s.from..s.to]);
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
    use proptest::prelude::*;

    /// The tokenizer as first written, over a vector of the text's chars: what the one-pass
    /// scanner must agree with.
    fn by_char_vector(text: &str) -> Vec<Syllable> {
        let mut out = Vec::with_capacity(text.len() / 4);
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let n = chars.len();
        let end_of = |i: usize| if i < n { chars[i].0 } else { text.len() };
        let mut i = 0;
        let mut position = 0;
        let mut last_end = 0;
        // A token's parts, between joiners; one buffer for every token.
        let mut parts: Vec<(usize, usize)> = Vec::new();
        while i < n {
            if !starts_word(chars[i].1) {
                i += 1;
                continue;
            }
            // A run of word characters, possibly joined by single joiners between word characters.
            let start = i;
            parts.clear();
            let mut part_start = i;
            let mut joined_by_letters = false;
            loop {
                while i < n && is_word_char(chars[i].1) {
                    i += 1;
                }
                if i + 1 < n && starts_word(chars[i + 1].1) {
                    let joiner = chars[i].1;
                    let prev_digit = chars[i - 1].1.is_ascii_digit();
                    let next_digit = chars[i + 1].1.is_ascii_digit();
                    let numeric =
                        prev_digit && next_digit && matches!(joiner, '.' | ',' | '/' | ':');
                    // A dot between capitals is part of an abbreviation (`TP.HCM`, `PGS.TS`), not
                    // the end of a sentence: a sentence ends on a small letter or a digit, and the
                    // next one starts with a word in small letters (`JICA.Theo`, a missing space).
                    // (The letter before is the last one that is not a combining mark: NFD `Ê`.)
                    let abbreviation = joiner == '.'
                        && chars[start..i]
                            .iter()
                            .rev()
                            .find(|(_, c)| !is_combining_mark(*c))
                            .is_some_and(|(_, c)| c.is_uppercase())
                        && chars[i + 1..]
                            .iter()
                            .take_while(|(_, c)| is_word_char(*c))
                            .all(|(_, c)| c.is_uppercase() || is_combining_mark(*c));
                    let word = abbreviation || matches!(joiner, '&' | '-' | '\u{2011}' | '_');
                    if numeric || word {
                        if word {
                            joined_by_letters = true;
                        }
                        parts.push((part_start, i));
                        i += 1;
                        part_start = i;
                        continue;
                    }
                }
                parts.push((part_start, i));
                break;
            }
            let from = chars[start].0;
            let to = end_of(i);
            let gap = &text[last_end..from];
            let boundary_before = out.is_empty() || gap.chars().any(|c| !(c == ' ' || c == '\t'));
            last_end = to;
            if parts.len() > 1 && joined_by_letters {
                out.push(Syllable {
                    from,
                    to,
                    position,
                    kind: Kind::Joined,
                    boundary_before,
                });
                for (k, (ps, pe)) in parts.iter().enumerate() {
                    out.push(Syllable {
                        from: chars[*ps].0,
                        to: end_of(*pe),
                        position: position + k,
                        kind: Kind::Part,
                        boundary_before: k == 0 && boundary_before,
                    });
                }
                position += parts.len();
            } else {
                out.push(Syllable {
                    from,
                    to,
                    position,
                    kind: Kind::Simple,
                    boundary_before,
                });
                position += 1;
            }
        }
        out
    }

    proptest! {
        /// Text drawn from Vietnamese letters (precomposed and NFD), capitals, digits, joiners,
        /// punctuation and spaces: every token, offset, position and boundary as before.
        #[test]
        fn the_one_pass_scanner_agrees_with_the_char_vector(
            text in "[a-zA-Z0-9ăâđêôơưạấầệộứĐƠƯỲÊ\u{300}\u{301}\u{323}\u{31b} .,/:&_\u{2011}\t\n–“”-]{0,60}"
        ) {
            prop_assert_eq!(syllables(&text), by_char_vector(&text));
        }
    }

    fn texts(text: &str) -> Vec<&str> {
        syllables(text)
            .iter()
            .map(|s| &text[s.from..s.to])
            .collect()
    }

    #[test]
    fn splits_on_spaces_and_punctuation() {
        assert_eq!(
            texts("Việt Nam – Hàn Quốc, hợp tác."),
            ["Việt", "Nam", "Hàn", "Quốc", "hợp", "tác"]
        );
    }

    #[test]
    fn keeps_tt_and_tt_with_its_parts() {
        assert_eq!(texts("Bộ TT&TT"), ["Bộ", "TT&TT", "TT", "TT"]);
    }

    #[test]
    fn keeps_cntt_tt_with_its_parts() {
        assert_eq!(texts("CNTT-TT"), ["CNTT-TT", "CNTT", "TT"]);
    }

    #[test]
    fn keeps_versions_and_numbers_whole() {
        assert_eq!(
            texts("công nghiệp 4.0 với 2.790 tỷ"),
            ["công", "nghiệp", "4.0", "với", "2.790", "tỷ"]
        );
    }

    #[test]
    fn keeps_dates_whole() {
        assert_eq!(texts("Ngày 14/5/2010, tại"), ["Ngày", "14/5/2010", "tại"]);
    }

    #[test]
    fn keeps_letter_digit_mixes() {
        assert_eq!(texts("công nghệ 5G"), ["công", "nghệ", "5G"]);
    }

    #[test]
    fn keeps_hyphenated_loans() {
        assert_eq!(
            texts("I-Korea e-learning"),
            ["I-Korea", "I", "Korea", "e-learning", "e", "learning"]
        );
    }

    #[test]
    fn keeps_tp_hcm_with_its_parts() {
        let s = syllables("tại TP.HCM");
        assert_eq!(texts("tại TP.HCM"), ["tại", "TP.HCM", "TP", "HCM"]);
        assert!(
            !s[3].boundary_before,
            "HCM follows TP inside the abbreviation"
        );
    }

    #[test]
    fn an_abbreviation_ends_where_a_sentence_begins() {
        // A missing space after an acronym that ends a sentence: `JICA.Theo đó`.
        assert_eq!(texts("với JICA.Theo đó"), ["với", "JICA", "Theo", "đó"]);
        assert_eq!(texts("TP.HCM.Theo"), ["TP.HCM", "TP", "HCM", "Theo"]);
    }

    #[test]
    fn a_full_stop_before_a_capital_still_ends_the_sentence() {
        // No space after the stop, as in scraped text: `hợp tác.Ông`.
        assert_eq!(texts("hợp tác.Ông Nam"), ["hợp", "tác", "Ông", "Nam"]);
        assert!(syllables("hợp tác.Ông")[2].boundary_before);
    }

    #[test]
    fn spaced_dash_separates() {
        assert_eq!(texts("Việt - Lào"), ["Việt", "Lào"]);
    }

    #[test]
    fn trailing_full_stop_is_not_part_of_a_number() {
        assert_eq!(texts("năm 2010."), ["năm", "2010"]);
    }

    #[test]
    fn nfd_syllables_are_not_split_at_combining_marks() {
        let nfd = "ho\u{31b}\u{323}p ta\u{301}c";
        assert_eq!(texts(nfd).len(), 2);
    }

    #[test]
    fn a_combining_mark_without_a_letter_is_not_a_word() {
        // NFD of `῝` (a Greek breathing symbol) is `῾` + U+0300; found by a property test.
        assert_eq!(texts("\u{1ffe}\u{300} Hàn"), ["Hàn"]);
        assert_eq!(texts("\u{301}Nam - \u{300}x"), ["Nam", "x"]);
        assert_eq!(texts("ho\u{31b}\u{323}p"), ["ho\u{31b}\u{323}p"]);
    }

    #[test]
    fn parts_take_consecutive_positions() {
        let s = syllables("Bộ TT&TT ký");
        let pos: Vec<usize> = s.iter().map(|s| s.position).collect();
        assert_eq!(pos, [0, 1, 1, 2, 3]);
    }

    #[test]
    fn punctuation_marks_a_boundary() {
        let s = syllables("Hà Nội, Việt Nam");
        let b: Vec<bool> = s.iter().map(|s| s.boundary_before).collect();
        assert_eq!(b, [true, false, true, false]);
    }

    #[test]
    fn offsets_point_into_original_text() {
        let text = "Tin học hoá";
        for s in syllables(text) {
            assert!(text.is_char_boundary(s.from) && text.is_char_boundary(s.to));
        }
        assert_eq!(&text[syllables(text)[2].from..syllables(text)[2].to], "hoá");
    }
}
