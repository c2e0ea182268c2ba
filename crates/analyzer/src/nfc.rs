//! Unicode NFC normalisation.
//!
//! Vietnamese can be typed precomposed (`ợ` = U+1EE3) or decomposed (`o` + U+031B horn + U+0323 dot
//! below, as macOS file names and some input methods produce). Both must be the same term.
//!
//! Before: `"hợp tác"` written as NFD (`ho\u{31b}\u{323}p ta\u{301}c`). After: `"hợp tác"` (NFC).

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::filter::TokenRule;

/// Composes a token to NFC.
#[derive(Clone, Copy, Debug, Default)]
pub struct Nfc;

impl TokenRule for Nfc {
    fn apply(&self, input: &str, out: &mut String) {
        nfc_into(input, out);
    }
}

/// Writes `input` in NFC into `out`, cheaply when it already is.
pub fn nfc_into(input: &str, out: &mut String) {
    if is_nfc(input) {
        out.push_str(input);
    } else {
        out.extend(input.nfc());
    }
}

/// True when `input` is certainly NFC already (the quick check: no table of compositions needed).
pub fn is_nfc(input: &str) -> bool {
    input.is_ascii()
        || input.chars().all(precomposed_latin)
        || is_nfc_quick(input.chars()) == IsNormalized::Yes
}

/// Whether `c` is below the combining marks (ASCII, Latin-1, Latin Extended-A and -B, IPA, the
/// spacing modifiers) or in Latin Extended Additional (`ạ`…`ỹ`, most of Vietnamese): every such
/// char is NFC as it stands and combines with nothing before it, so a text of them alone is NFC
/// without the Unicode tables (checked against them in the tests).
#[inline]
fn precomposed_latin(c: char) -> bool {
    matches!(c as u32, 0..=0x2FF | 0x1E00..=0x1EFF)
}

/// `input` in NFC.
pub fn nfc(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    nfc_into(input, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposed_hop_tac_equals_precomposed() {
        let nfd = "ho\u{31b}\u{323}p ta\u{301}c";
        assert_ne!(nfd, "hợp tác");
        assert_eq!(nfc(nfd), "hợp tác");
    }

    #[test]
    fn the_latin_blocks_are_nfc_by_themselves_as_the_tables_say() {
        use unicode_normalization::char::canonical_combining_class;
        for c in (0..=0x1FFF).filter_map(char::from_u32) {
            if precomposed_latin(c) {
                let alone = is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes;
                assert!(
                    alone && canonical_combining_class(c) == 0,
                    "U+{:04X}",
                    c as u32
                );
            }
        }
        assert!(is_nfc("Nguyễn Thị Ánh Tuyết – Đà Nẵng"));
        assert!(!is_nfc("Nguye\u{302}\u{303}n"));
    }

    #[test]
    fn precomposed_text_is_unchanged() {
        assert_eq!(nfc("Hàn Quốc"), "Hàn Quốc");
    }
}
