//! Which legacy encoding is a file in? Ask Vietnamese spelling.
//!
//! Windows-1258, TCVN3 and VNI all map every byte to something, so none of them can be ruled out
//! by the bytes alone, and file names say nothing. What differs is the result: decoded with the
//! right table, the words that hold non-ASCII letters are Vietnamese syllables (`Hợp`, `tác`);
//! decoded with a wrong one they are not (`Hîp`, `t¸c`, `Vieät`). A candidate's score is the share
//! of those words that [`is_syllable`] accepts, counting every stray symbol a decoding produces
//! (`¸`, `¶`, a lone combining mark) as one more failure. ASCII-only words read the same in every
//! candidate and are not counted. The best candidate wins if its share reaches [`MIN_SHARE`];
//! otherwise the file is reported as undecodable rather than indexed as mojibake.
//!
//! Scoring reads a sample from the start of the file (cut at an ASCII byte, so no multi-byte
//! sequence is split), which keeps detection cheap on large files.
//!
//! Before: `48 EE 70 20 74 B8 63` scored as Windows-1258, TCVN3, VNI. After: 0 %, 100 %, 0 % —
//! TCVN3 wins.

use unicode_normalization::char::is_combining_mark;

use crate::orthography::is_syllable;

/// The share of valid syllables a decoding needs to be believed. Right decodings of Vietnamese
/// prose score above 0.9 (foreign names and loans make up the rest); wrong ones stay under 0.3.
pub const MIN_SHARE: f64 = 0.6;

/// How much of a file is used to choose its encoding.
pub const SAMPLE_BYTES: usize = 256 * 1024;

/// Words counted at most: enough evidence, bounded work.
const MAX_WORDS: usize = 20_000;

/// Non-ASCII punctuation that every decoding may produce without counting against it.
const PUNCTUATION: &[char] = &[
    '\u{A0}', '–', '—', '‘', '’', '“', '”', '…', '•', '«', '»', '°', '€', '₫', '©', '\u{2010}',
    '\u{2011}', '\u{2212}', '\u{2032}', '\u{2033}', '‹', '›', '„', '‚', '™', '\u{200B}',
    '\u{FEFF}',
];

/// The evidence for one decoding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Score {
    /// Words holding at least one non-ASCII letter or mark.
    pub words: usize,
    /// Of those, the valid Vietnamese syllables.
    pub syllables: usize,
    /// Non-ASCII symbols that are neither letters nor common punctuation.
    pub strays: usize,
}

impl Score {
    /// Scores a decoded text.
    pub fn of(text: &str) -> Score {
        let mut score = Score::default();
        let mut start: Option<usize> = None;
        let mut non_ascii = false;
        let finish = |word: &str, non_ascii: bool, score: &mut Score| {
            if non_ascii {
                score.words += 1;
                if is_syllable(word) {
                    score.syllables += 1;
                }
            }
        };
        for (i, c) in text.char_indices() {
            if score.words >= MAX_WORDS {
                return score;
            }
            if c.is_alphabetic() || is_combining_mark(c) {
                if start.is_none() {
                    start = Some(i);
                    non_ascii = false;
                }
                non_ascii |= !c.is_ascii();
                continue;
            }
            if let Some(s) = start.take() {
                finish(&text[s..i], non_ascii, &mut score);
            }
            if !c.is_ascii() && !c.is_whitespace() && !c.is_numeric() && !PUNCTUATION.contains(&c) {
                score.strays += 1;
            }
        }
        if let Some(s) = start {
            finish(&text[s..], non_ascii, &mut score);
        }
        score
    }

    /// The share of valid syllables, or `None` when there is no non-ASCII evidence at all.
    pub fn share(&self) -> Option<f64> {
        let n = self.words + self.strays;
        (n > 0).then(|| self.syllables as f64 / n as f64)
    }
}

/// The start of `bytes` used for scoring: at most [`SAMPLE_BYTES`], cut just after an ASCII byte.
pub fn sample(bytes: &[u8]) -> &[u8] {
    if bytes.len() <= SAMPLE_BYTES {
        return bytes;
    }
    let cut = bytes[..SAMPLE_BYTES]
        .iter()
        .rposition(|b| b.is_ascii_whitespace())
        .map(|i| i + 1)
        .unwrap_or(SAMPLE_BYTES);
    &bytes[..cut]
}

/// One way to read the bytes.
#[derive(Clone, Copy)]
pub struct Candidate {
    /// The encoding's name, as recorded with the document.
    pub name: &'static str,
    /// The decoder.
    pub decode: fn(&[u8]) -> String,
}

/// Scores every candidate on a sample of `bytes`; the best first (ties keep the candidates' order).
pub fn rank(bytes: &[u8], candidates: &[Candidate]) -> Vec<(Candidate, Score)> {
    let sample = sample(bytes);
    let mut scored: Vec<(Candidate, Score)> = candidates
        .iter()
        .map(|c| (*c, Score::of(&(c.decode)(sample))))
        .collect();
    let key = |s: &Score| s.share().unwrap_or(1.0);
    scored.sort_by(|a, b| key(&b.1).total_cmp(&key(&a.1)));
    scored
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_decoding_scores_high_and_mojibake_low() {
        let right = Score::of("Hợp tác giữa Việt Nam và Hàn Quốc về an toàn thông tin");
        assert_eq!(right.share(), Some(1.0));
        let wrong = Score::of("Hîp t¸c gi÷a ViÖt Nam vµ Hµn Quèc vÒ an toµn th«ng tin");
        assert!(wrong.share().unwrap() < 0.2, "{wrong:?}");
    }

    #[test]
    fn ascii_words_are_not_evidence() {
        assert_eq!(Score::of("an toan thong tin, Korea 2010").share(), None);
    }

    #[test]
    fn stray_symbols_count_against_a_decoding() {
        let s = Score::of("t¸c ®−îc");
        assert_eq!(s.syllables, 0);
        assert!(s.strays >= 2, "{s:?}");
    }

    #[test]
    fn curly_quotes_and_dashes_are_not_strays() {
        assert_eq!(Score::of("“Hợp tác” – 2010").strays, 0);
    }

    #[test]
    fn the_sample_is_cut_after_whitespace() {
        let mut bytes = vec![b'a'; SAMPLE_BYTES - 10];
        bytes.push(b' ');
        bytes.extend(vec![0xE4; 100]);
        let s = sample(&bytes);
        assert_eq!(s.len(), SAMPLE_BYTES - 9);
        assert_eq!(*s.last().unwrap(), b' ');
    }
}
