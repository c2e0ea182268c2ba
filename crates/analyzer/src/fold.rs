//! Folding: diacritics removed and `đ` → `d`.
//!
//! Users without a Vietnamese keyboard type `han quoc` for `Hàn Quốc`; the folded view of every field
//! lets such a query match. Tone marks and vowel-quality marks (circumflex, breve, horn) all go, and
//! `đ`/`Đ` (a separate letter, not a base letter plus a mark, so Unicode decomposition keeps it) maps
//! to `d`/`D`.
//!
//! Before: `"Hàn Quốc"`, `"Đà Nẵng"`, `"nguồn nhân lực"`. After: `"Han Quoc"`, `"Da Nang"`,
//! `"nguon nhan luc"`.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use crate::filter::TokenRule;

/// Removes diacritics from a token.
#[derive(Clone, Copy, Debug, Default)]
pub struct Fold;

impl TokenRule for Fold {
    fn apply(&self, input: &str, out: &mut String) {
        fold_into(input, out);
    }
}

/// Writes `input` without diacritics into `out`.
pub fn fold_into(input: &str, out: &mut String) {
    if input.is_ascii() {
        out.push_str(input);
        return;
    }
    for c in input.chars() {
        match c {
            'đ' => out.push('d'),
            'Đ' => out.push('D'),
            c if c.is_ascii() => out.push(c),
            c => decompose_canonical(c, |d| {
                if !is_combining_mark(d) {
                    out.push(d);
                }
            }),
        }
    }
}

/// `input` without diacritics.
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    fold_into(input, &mut out);
    out
}

/// True when folding changes `input`, i.e. it was typed with Vietnamese diacritics.
pub fn has_diacritics(input: &str) -> bool {
    !input.is_ascii() && fold(input) != input
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tone_and_quality_marks_are_removed() {
        assert_eq!(fold("Hàn Quốc"), "Han Quoc");
        assert_eq!(fold("nguồn nhân lực"), "nguon nhan luc");
    }

    #[test]
    fn d_with_stroke_folds_to_d() {
        assert_eq!(fold("Đà Nẵng"), "Da Nang");
        assert_eq!(fold("đường"), "duong");
    }

    #[test]
    fn decomposed_input_folds_too() {
        assert_eq!(fold("ho\u{31b}\u{323}p ta\u{301}c"), "hop tac");
    }

    #[test]
    fn folding_is_idempotent() {
        let once = fold("Thụy Điển");
        assert_eq!(fold(&once), once);
    }

    #[test]
    fn detects_diacritics() {
        assert!(has_diacritics("tác"));
        assert!(!has_diacritics("tac"));
        assert!(!has_diacritics("Korea"));
    }
}
