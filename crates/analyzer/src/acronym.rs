//! Acronyms and their expansions match each other.
//!
//! Vietnamese administrative text abbreviates constantly (`ATTT` = `an toàn thông tin`, `CNTT` =
//! `công nghệ thông tin`, `KH&CN` = `khoa học và công nghệ`), and one document uses the acronym where
//! another spells it out. The table maps each acronym to its expansions and back; the query side asks
//! it for alternatives. Keys are folded and lower-cased, so `BĐKH`, `bdkh` and `Bđkh` are one acronym.
//!
//! Before: `ATTT`. After: `an toàn thông tin` (and the other way round).

use std::collections::HashMap;

use crate::fold::fold;
use crate::{normalize, normalized_syllables};

/// Acronym ↔ expansion table.
#[derive(Clone, Debug, Default)]
pub struct AcronymTable {
    by_acronym: HashMap<String, Vec<Vec<String>>>,
    by_expansion: HashMap<String, Vec<String>>,
    max_expansion: usize,
}

impl AcronymTable {
    /// Adds an acronym with one expansion (both as written).
    pub fn insert(&mut self, acronym: &str, expansion: &str) {
        let key = key_of(acronym);
        let syllables = normalized_syllables(expansion);
        if key.is_empty() || syllables.is_empty() {
            return;
        }
        let folded_expansion = fold(&syllables.join(" "));
        self.max_expansion = self.max_expansion.max(syllables.len());
        let list = self.by_acronym.entry(key.clone()).or_default();
        if !list.contains(&syllables) {
            list.push(syllables);
        }
        let back = self.by_expansion.entry(folded_expansion).or_default();
        if !back.contains(&key) {
            back.push(key);
        }
    }

    /// Number of acronyms.
    pub fn len(&self) -> usize {
        self.by_acronym.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.by_acronym.is_empty()
    }

    /// The expansions (normalised syllables) of an acronym as typed: one token (`ATTT`) or a span
    /// of tokens (`TP HCM`), looked up folded.
    pub fn expansions(&self, token: &str) -> &[Vec<String>] {
        self.by_acronym
            .get(&key_of(token))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The acronyms (folded, lower-case) whose expansion is exactly these folded syllables.
    pub fn acronyms_of(&self, folded_syllables: &[&str]) -> &[String] {
        self.by_expansion
            .get(&folded_syllables.join(" "))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The lookup key of an acronym as written (see [`key_of`]): the form [`AcronymTable::acronyms_of`]
    /// returns, its syllables separated by spaces.
    pub fn key(acronym: &str) -> String {
        key_of(acronym)
    }

    /// The longest expansion in syllables (bounds the search for expansions inside a query).
    pub fn max_expansion(&self) -> usize {
        self.max_expansion
    }
}

/// The folded key of an acronym. One written in several tokens (`TP. HCM`, `TP HCM`, `CNTT và TT`)
/// is keyed by its syllables joined with spaces, as a query's tokens are, so every spelling that
/// tokenizes alike finds it. An acronym without spaces is one token (`KH&CN`, `TP.HCM`) and is
/// keyed whole.
fn key_of(acronym: &str) -> String {
    if acronym.contains(char::is_whitespace) {
        fold(&normalized_syllables(acronym).join(" "))
    } else {
        fold(&normalize(acronym))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> AcronymTable {
        let mut t = AcronymTable::default();
        t.insert("ATTT", "an toàn thông tin");
        t.insert("KH&CN", "khoa học và công nghệ");
        t.insert("BĐKH", "biến đổi khí hậu");
        t
    }

    #[test]
    fn attt_expands_to_an_toan_thong_tin() {
        assert_eq!(
            table().expansions("ATTT"),
            [vec!["an", "toàn", "thông", "tin"]]
        );
    }

    #[test]
    fn expansion_finds_its_acronym() {
        assert_eq!(
            table().acronyms_of(&["an", "toan", "thong", "tin"]),
            ["attt"]
        );
    }

    #[test]
    fn acronym_lookup_is_case_and_diacritic_insensitive() {
        assert_eq!(table().expansions("bdkh").len(), 1);
        assert_eq!(table().expansions("BĐKH").len(), 1);
        assert_eq!(table().expansions("kh&cn").len(), 1);
    }

    #[test]
    fn an_acronym_in_several_tokens_is_found_however_it_is_spaced() {
        let mut t = AcronymTable::default();
        t.insert("TP. HCM", "Thành phố Hồ Chí Minh");
        for typed in ["TP. HCM", "TP HCM", "tp hcm"] {
            assert_eq!(
                t.expansions(typed),
                [vec!["thành", "phố", "hồ", "chí", "minh"]],
                "{typed}"
            );
        }
        assert_eq!(
            t.acronyms_of(&["thanh", "pho", "ho", "chi", "minh"]),
            ["tp hcm"]
        );
    }

    #[test]
    fn unknown_token_has_no_expansion() {
        assert!(table().expansions("Hàn").is_empty());
    }
}
