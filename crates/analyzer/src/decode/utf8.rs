//! UTF-8, damaged UTF-8, or not UTF-8 at all?
//!
//! Bytes that are not valid UTF-8 are either another encoding (a legacy 8-bit file, where valid
//! multi-byte sequences occur only by accident) or UTF-8 that was damaged: cut off in the middle of
//! a character by an interrupted copy, or with a few corrupt bytes. The two are told apart by
//! counting: a damaged UTF-8 file has more well-formed multi-byte characters than broken ones. A
//! damaged file is reported with the offset of its first bad byte rather than guessed at, so
//! nothing is indexed as mojibake and the user knows where to look.
//!
//! Before: `"Hợp tác Việt"` cut two bytes short, inside `ệ`. After: `Truncated(13)`.
//! Before: `48 EE 70 20 74 B8 63` (TCVN3 `Hîp t¸c`). After: `NotUtf8`.

/// What the bytes are, as far as UTF-8 is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Utf8 {
    /// Valid UTF-8.
    Valid,
    /// UTF-8 that ends inside a character; valid up to the offset.
    Truncated(usize),
    /// UTF-8 with corrupt bytes; the first at the offset.
    Corrupt(usize),
    /// Another encoding.
    NotUtf8,
}

/// Classifies `bytes`.
pub fn classify(bytes: &[u8]) -> Utf8 {
    let first_error = match std::str::from_utf8(bytes) {
        Ok(_) => return Utf8::Valid,
        Err(e) => e,
    };
    let mut good = 0usize;
    let mut bad = 0usize;
    for chunk in bytes.utf8_chunks() {
        good += chunk.valid().bytes().filter(|b| *b >= 0xC0).count();
        if !chunk.invalid().is_empty() {
            bad += 1;
        }
    }
    if good <= bad {
        return Utf8::NotUtf8;
    }
    match first_error.error_len() {
        // The only error is an incomplete character at the very end.
        None => Utf8::Truncated(first_error.valid_up_to()),
        Some(_) => Utf8::Corrupt(first_error.valid_up_to()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_text_is_valid() {
        assert_eq!(classify("Hàn Quốc".as_bytes()), Utf8::Valid);
        assert_eq!(classify(b"plain ASCII"), Utf8::Valid);
    }

    #[test]
    fn text_cut_inside_a_character_is_truncated() {
        let text = "Hợp tác Việt";
        let cut = &text.as_bytes()[..text.len() - 2];
        assert_eq!(classify(cut), Utf8::Truncated(text.len() - 4));
    }

    #[test]
    fn a_corrupt_byte_in_utf8_text_is_reported_where_it_is() {
        let mut bytes = "Hợp tác ".as_bytes().to_vec();
        let at = bytes.len();
        bytes.push(0xFF);
        bytes.extend("Việt Nam – Hàn Quốc".as_bytes());
        assert_eq!(classify(&bytes), Utf8::Corrupt(at));
    }

    #[test]
    fn legacy_vietnamese_is_not_utf8() {
        assert_eq!(classify(b"H\xeep t\xb8c"), Utf8::NotUtf8); // TCVN3
        assert_eq!(classify(b"Vie\xe4t Nam h\xf4\xefp ta\xf9c"), Utf8::NotUtf8); // VNI
        assert_eq!(classify(b"Vi\xea\xf2t Nam"), Utf8::NotUtf8); // Windows-1258
    }
}
