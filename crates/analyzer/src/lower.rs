//! Unicode lower-casing.
//!
//! Titles and headlines are often in capitals (`HÀN QUỐC`), and `Đ` must become `đ`, not be dropped:
//! plain ASCII lower-casing would leave both untouched.
//!
//! Before: `"HÀN QUỐC"`, `"Đà Nẵng"`. After: `"hàn quốc"`, `"đà nẵng"`.

use crate::filter::TokenRule;

/// Lower-cases a token, every script.
#[derive(Clone, Copy, Debug, Default)]
pub struct Lower;

impl TokenRule for Lower {
    fn apply(&self, input: &str, out: &mut String) {
        lower_into(input, out);
    }
}

/// Writes `input` lower-cased into `out`.
pub fn lower_into(input: &str, out: &mut String) {
    if input.is_ascii() {
        // Copied whole and lower-cased in place: pushing char by char costs a capacity check and
        // an encoding per byte, on every token of every text.
        let start = out.len();
        out.push_str(input);
        out[start..].make_ascii_lowercase();
    } else {
        out.reserve(input.len());
        for c in input.chars() {
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
                continue;
            }
            match lower_latin(c) {
                Some(l) => out.push(l),
                None => out.extend(c.to_lowercase()),
            }
        }
    }
}

/// The lower case of a Vietnamese letter by arithmetic, without the Unicode case tables: Latin-1
/// capitals are 0x20 below their small letters, and in Latin Extended Additional (`Ạ`…`Ỹ`) and for
/// `Ă Đ Ĩ Ũ Ơ Ư` capital and small letter are an even/odd pair. `None`: ask the tables.
#[inline]
fn lower_latin(c: char) -> Option<char> {
    let u = c as u32;
    let l = match u {
        0xC0..=0xDE if u != 0xD7 => u + 0x20,
        0xDF..=0xFF => u,
        0x1EA0..=0x1EF9 => u | 1,
        0x102 | 0x103 | 0x110 | 0x111 | 0x128 | 0x129 | 0x168 | 0x169 | 0x1A0 | 0x1A1 => u | 1,
        0x1AF | 0x1B0 => 0x1B0,
        _ => return None,
    };
    char::from_u32(l)
}

/// `input` lower-cased.
pub fn lower(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    lower_into(input, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_fast_path_agrees_with_the_unicode_tables() {
        for c in (0..=0x1FFF).filter_map(char::from_u32) {
            if let Some(l) = lower_latin(c) {
                assert_eq!(c.to_lowercase().collect::<String>(), l.to_string(), "{c:?}");
            }
        }
        assert_eq!(lower("ĐƯỜNG ƠN ĂN ỸỶ"), "đường ơn ăn ỹỷ");
    }

    #[test]
    fn lower_case_is_appended_to_what_the_buffer_holds() {
        let mut out = String::from("Đã: ");
        lower_into("ASEAN", &mut out);
        lower_into(" HÀN Quốc", &mut out);
        assert_eq!(out, "Đã: asean hàn quốc");
        for text in ["ABC xyz 123", "ĐÀ NẴNG – İstanbul ΑΒΓ", ""] {
            assert_eq!(lower(text), text.to_lowercase(), "{text}");
        }
    }

    #[test]
    fn capitals_with_diacritics_lower_case() {
        assert_eq!(lower("HÀN QUỐC"), "hàn quốc");
    }

    #[test]
    fn capital_d_with_stroke_lower_cases_to_d_with_stroke() {
        assert_eq!(lower("ĐÀ NẴNG"), "đà nẵng");
        assert_eq!(lower("Đ"), "đ");
    }
}
