//! Windows-1258, Microsoft's Vietnamese code page.
//!
//! Windows-1258 has the letters with vowel-quality marks (`ă â ê ô ơ ư đ`) and a few precomposed
//! Latin-1 letters (`à á é ó ú ý …`), but writes most tones as separate combining marks after the
//! vowel: `Việt` is `V i ê ◌̣ t` (`56 69 EA F2 74`). The table is the WHATWG Encoding Standard's
//! (encoding_rs); the result is composed to NFC so that it indexes like any other text.
//!
//! Before: `56 69 EA F2 74 20 4E 61 6D`. After: `"Việt Nam"` (NFC, `ệ` = U+1EC7).

use encoding_rs::WINDOWS_1258;

use crate::nfc::nfc;

/// The text of Windows-1258 `bytes`, NFC. Every byte has a meaning, so this cannot fail.
pub fn decode(bytes: &[u8]) -> String {
    let (text, _) = WINDOWS_1258.decode_without_bom_handling(bytes);
    nfc(&text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::char::{compose, decompose_canonical};

    /// Encodes NFC text the way Windows does: base letters with their vowel-quality mark where the
    /// code page has them, tones as combining marks.
    fn encode(text: &str) -> Vec<u8> {
        let mut staged = String::new();
        for c in text.chars() {
            let mut parts = Vec::new();
            decompose_canonical(c, |d| parts.push(d));
            let mut base = parts[0];
            let mut rest = Vec::new();
            for &m in &parts[1..] {
                match compose(base, m) {
                    Some(q) if matches!(m, '\u{302}' | '\u{306}' | '\u{31b}') => base = q,
                    _ => rest.push(m),
                }
            }
            staged.push(base);
            staged.extend(rest);
        }
        let (bytes, _, errors) = WINDOWS_1258.encode(&staged);
        assert!(!errors, "not encodable in Windows-1258: {text}");
        bytes.into_owned()
    }

    #[test]
    fn viet_nam_with_a_combining_dot_below() {
        assert_eq!(decode(b"Vi\xea\xf2t Nam"), "Việt Nam");
    }

    #[test]
    fn a_sentence_round_trips_through_the_code_page() {
        let text = "Bộ Thông tin và Truyền thông ký kết thỏa thuận hợp tác với Hàn Quốc về \
                    an toàn, an ninh mạng và phát triển nguồn nhân lực công nghệ thông tin.";
        let bytes = encode(text);
        assert!(
            bytes.len() > text.chars().count(),
            "tones are separate bytes"
        );
        assert_eq!(decode(&bytes), text);
    }

    #[test]
    fn precomposed_latin1_letters_also_decode() {
        // `à` and `á` exist precomposed in the code page (E0, E1); both spellings give one text.
        assert_eq!(decode(b"H\xe0n"), "Hàn");
        assert_eq!(decode(b"Ha\xccn"), "Hàn");
    }
}
