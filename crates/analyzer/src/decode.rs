//! Decoding file bytes to text.
//!
//! Files arrive as UTF-8 (with or without a byte-order mark) or UTF-16 with a BOM; anything else that
//! is not valid UTF-8, or that holds NUL bytes (a binary file: an image, a PDF, an executable), is
//! refused with a reason instead of being indexed as mojibake. The result is NFC, so a decomposed file
//! and a precomposed one index alike.
//!
//! Before: `EF BB BF 48 E1 BB A3 70` (UTF-8 with BOM). After: `"Hợp"`, encoding `utf-8-bom`.

use crate::nfc::nfc;

/// Why bytes could not be decoded.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    /// No content at all.
    #[error("the file is empty")]
    Empty,
    /// NUL bytes outside a UTF-16 text: an image, a PDF or another binary format.
    #[error("the file is binary, not text")]
    Binary,
    /// Neither UTF-8 nor UTF-16 with a byte-order mark.
    #[error("the file is not valid UTF-8 (first bad byte at offset {0})")]
    InvalidUtf8(usize),
    /// A UTF-16 file with an odd length or unpaired surrogates.
    #[error("the file is not valid UTF-16")]
    InvalidUtf16,
}

/// Decoded text and the encoding it was found in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, NFC.
    pub text: String,
    /// `utf-8`, `utf-8-bom`, `utf-16le` or `utf-16be`.
    pub encoding: &'static str,
}

/// Decodes file bytes.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeError::Empty);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes, "utf-16le");
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes, "utf-16be");
    }
    let (body, encoding) = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => (rest, "utf-8-bom"),
        None => (bytes, "utf-8"),
    };
    if body.contains(&0) {
        return Err(DecodeError::Binary);
    }
    match std::str::from_utf8(body) {
        Ok(text) => Ok(Decoded {
            text: nfc(text),
            encoding,
        }),
        Err(e) => Err(DecodeError::InvalidUtf8(
            e.valid_up_to() + (bytes.len() - body.len()),
        )),
    }
}

fn utf16(
    bytes: &[u8],
    unit: fn([u8; 2]) -> u16,
    encoding: &'static str,
) -> Result<Decoded, DecodeError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(DecodeError::InvalidUtf16);
    }
    let units: Vec<u16> = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]])).collect();
    let text = String::from_utf16(&units).map_err(|_| DecodeError::InvalidUtf16)?;
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(Decoded {
        text: nfc(&text),
        encoding,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_bom_is_decoded_without_the_bom() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend("Hợp tác".as_bytes());
        let d = decode(&bytes).unwrap();
        assert_eq!(d.text, "Hợp tác");
        assert_eq!(d.encoding, "utf-8-bom");
    }

    #[test]
    fn utf16_le_and_be_with_bom_are_decoded() {
        let text = "Việt Nam – Hàn Quốc";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in text.encode_utf16() {
            le.extend(u.to_le_bytes());
            be.extend(u.to_be_bytes());
        }
        assert_eq!(decode(&le).unwrap().text, text);
        assert_eq!(decode(&be).unwrap().text, text);
    }

    #[test]
    fn decomposed_text_comes_out_nfc() {
        assert_eq!(
            decode("ho\u{31b}\u{323}p ta\u{301}c".as_bytes())
                .unwrap()
                .text,
            "hợp tác"
        );
    }

    #[test]
    fn empty_and_blank_files_are_refused() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b" \n\n"), Err(DecodeError::Empty));
    }

    #[test]
    fn binary_files_are_refused() {
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Err(DecodeError::Binary)
        );
    }

    #[test]
    fn invalid_utf8_is_refused_with_its_offset() {
        assert_eq!(decode(b"H\xe1\xbb"), Err(DecodeError::InvalidUtf8(1)));
    }
}
