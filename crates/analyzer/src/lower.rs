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
        out.extend(input.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        for c in input.chars() {
            out.extend(c.to_lowercase());
        }
    }
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
    fn capitals_with_diacritics_lower_case() {
        assert_eq!(lower("HÀN QUỐC"), "hàn quốc");
    }

    #[test]
    fn capital_d_with_stroke_lower_cases_to_d_with_stroke() {
        assert_eq!(lower("ĐÀ NẴNG"), "đà nẵng");
        assert_eq!(lower("Đ"), "đ");
    }
}
