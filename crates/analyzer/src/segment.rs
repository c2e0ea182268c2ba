//! Dictionary word segmentation.
//!
//! Vietnamese words span syllables, and nothing in the writing marks where one ends: `hợp tác xã`
//! (a cooperative) contains `hợp tác` (cooperation); `pháp luật` (law) starts with `Pháp` (France).
//! Segmenting a syllable sequence into dictionary words tells a query which syllables must stand
//! together, and tells the gazetteer when a name is really the start of a longer common word.
//!
//! The method is maximum matching by dynamic programming: the split with the fewest words, where
//! every dictionary word (up to [`MAX_WORD_SYLLABLES`] syllables) and every single syllable is a
//! candidate; ties go to the split whose earlier words are longer. Keys are normalised syllables
//! (exact or folded — the lexicon holds both forms).
//!
//! Before: `["hợp", "tác", "xã", "nông", "nghiệp"]`. After: `[0..3, 3..5]` (`hợp tác xã`, `nông nghiệp`).

use std::collections::HashSet;

use crate::fold::fold;
use crate::normalize;

/// The longest word the segmenter considers, in syllables.
pub const MAX_WORD_SYLLABLES: usize = 6;

/// A set of multi-syllable words, in normalised and folded form.
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    exact: HashSet<String>,
    folded: HashSet<String>,
}

impl Lexicon {
    /// Builds a lexicon from words as written (any case, any tone placement).
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Lexicon {
        let mut lexicon = Lexicon::default();
        for w in words {
            lexicon.insert(w);
        }
        lexicon
    }

    /// Adds one word.
    pub fn insert(&mut self, word: &str) {
        let syllables: Vec<String> = word.split_whitespace().map(normalize).collect();
        if syllables.len() < 2 || syllables.len() > MAX_WORD_SYLLABLES {
            return;
        }
        let exact = syllables.join(" ");
        self.folded.insert(fold(&exact));
        self.exact.insert(exact);
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.exact.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.exact.is_empty()
    }

    /// True when the normalised syllables `key` (joined by spaces) are a word; folded keys are
    /// looked up among the folded words.
    pub fn contains(&self, key: &str) -> bool {
        self.exact.contains(key) || self.folded.contains(key)
    }

    /// Segments normalised syllables into words; returns half-open syllable ranges.
    pub fn segment<S: AsRef<str>>(&self, syllables: &[S]) -> Vec<std::ops::Range<usize>> {
        let n = syllables.len();
        // best[i] = (words, -first word length) for the suffix starting at i.
        let mut best: Vec<(usize, usize)> = vec![(0, 0); n + 1];
        let mut choice = vec![1usize; n + 1];
        let mut key = String::new();
        for i in (0..n).rev() {
            best[i] = (best[i + 1].0 + 1, 1);
            choice[i] = 1;
            key.clear();
            key.push_str(syllables[i].as_ref());
            for len in 2..=MAX_WORD_SYLLABLES.min(n - i) {
                key.push(' ');
                key.push_str(syllables[i + len - 1].as_ref());
                if self.contains(&key) {
                    let words = best[i + len].0 + 1;
                    if words < best[i].0 || (words == best[i].0 && len > choice[i]) {
                        best[i] = (words, len);
                        choice[i] = len;
                    }
                }
            }
        }
        let mut out = Vec::new();
        let mut i = 0;
        while i < n {
            out.push(i..i + choice[i]);
            i += choice[i];
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Lexicon {
        Lexicon::new([
            "hợp tác",
            "hợp tác xã",
            "nông nghiệp",
            "an toàn",
            "thông tin",
            "an toàn thông tin",
            "pháp luật",
            "Hàn Quốc",
            "tin học",
            "tin học hoá",
        ])
    }

    fn words(lexicon: &Lexicon, text: &str) -> Vec<String> {
        let s: Vec<String> = text.split_whitespace().map(normalize).collect();
        lexicon
            .segment(&s)
            .into_iter()
            .map(|r| s[r].join(" "))
            .collect()
    }

    #[test]
    fn cooperative_is_one_word_not_cooperation() {
        assert_eq!(
            words(&lexicon(), "hợp tác xã nông nghiệp"),
            ["hợp tác xã", "nông nghiệp"]
        );
    }

    #[test]
    fn cooperation_stays_cooperation() {
        assert_eq!(
            words(&lexicon(), "hợp tác Hàn Quốc"),
            ["hợp tác", "hàn quốc"]
        );
    }

    #[test]
    fn law_is_not_france() {
        assert_eq!(words(&lexicon(), "Pháp luật"), ["pháp luật"]);
    }

    #[test]
    fn longest_word_wins() {
        assert_eq!(
            words(&lexicon(), "an toàn thông tin"),
            ["an toàn thông tin"]
        );
    }

    #[test]
    fn folded_syllables_segment_too() {
        assert_eq!(
            words(&lexicon(), "an toan thong tin han quoc"),
            ["an toan thong tin", "han quoc"]
        );
    }

    #[test]
    fn tone_variants_are_one_word() {
        assert_eq!(words(&lexicon(), "tin học hóa"), ["tin học hóa"]);
    }
}
