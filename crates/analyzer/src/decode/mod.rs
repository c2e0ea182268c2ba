//! Decoding file bytes to text.
//!
//! Vietnamese archives hold every encoding the country has used: UTF-8 (with or without a BOM),
//! UTF-16 with a BOM, Microsoft's Windows-1258, and the font encodings TCVN3 ("ABC") and VNI that
//! most older government documents are in. The rules, in order, one per module:
//!
//! 1. nothing but whitespace: refused ([`DecodeError::Empty`]);
//! 2. a UTF-16 byte-order mark: UTF-16 ([`utf16`]); a UTF-8 one: UTF-8, which must then be valid;
//! 3. a binary signature or a NUL byte: refused ([`binary`]);
//! 4. valid UTF-8: UTF-8; damaged UTF-8 (truncated, or a few corrupt bytes): refused with the offset
//!    ([`utf8`]);
//! 5. otherwise a legacy encoding: the one a file declares (an HTML `<meta charset>`), or the
//!    candidate whose decoding reads as Vietnamese ([`detect`]) among [`windows1258`], [`tcvn3`] and
//!    [`vni`]; nothing convincing: refused ([`DecodeError::Undecodable`]).
//!
//! The result is NFC, so a decomposed file and a precomposed one index alike, and names the
//! encoding it was found in; that name is stored with the document.
//!
//! Before: `EF BB BF 48 E1 BB A3 70` (UTF-8 with BOM). After: `"Hợp"`, encoding `utf-8-bom`.
//! Before: `48 EE 70 20 74 B8 63` (no declaration). After: `"Hợp tác"`, encoding `tcvn3`.

pub mod binary;
pub mod detect;
pub mod tcvn3;
pub mod utf16;
pub mod utf8;
pub mod vni;
pub mod windows1258;

use std::sync::OnceLock;

use encoding_rs::Encoding;

use crate::nfc::nfc;
use detect::{Candidate, MIN_SHARE};
use utf8::Utf8;

/// Why bytes could not be decoded.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    /// No content at all.
    #[error("the file is empty")]
    Empty,
    /// An image, a PDF, an executable or another binary format.
    #[error("the file is binary ({0}), not text")]
    Binary(&'static str),
    /// UTF-8 that ends inside a character, as an interrupted copy leaves it.
    #[error("the file is truncated UTF-8: it ends inside a character (valid up to byte {0})")]
    TruncatedUtf8(usize),
    /// UTF-8 with corrupt bytes.
    #[error("the file is damaged UTF-8 (first bad byte at offset {0})")]
    InvalidUtf8(usize),
    /// A UTF-16 file with an odd length or unpaired surrogates.
    #[error("the file is not valid UTF-16")]
    InvalidUtf16,
    /// Bytes in the encoding a file declares that are not valid in it.
    #[error("the file is not valid {0}, the encoding it declares")]
    InvalidDeclared(&'static str),
    /// Not UTF-8, and no legacy encoding makes Vietnamese of it.
    #[error("the file is not UTF-8, and reads as Vietnamese in no known encoding (best: {best}, with {percent}% of its accented words valid syllables)")]
    Undecodable {
        /// The best candidate.
        best: &'static str,
        /// Its share of valid syllables, in percent.
        percent: u8,
    },
}

/// Decoded text and the encoding it was found in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, NFC.
    pub text: String,
    /// `utf-8`, `utf-8-bom`, `utf-16le`, `utf-16be`, `windows-1258`, `tcvn3`, `vni-windows`, or the
    /// WHATWG name of another encoding a file declared (`windows-1252`, `Shift_JIS`, …).
    pub encoding: &'static str,
}

/// Name recorded for TCVN3 text.
pub const TCVN3: &str = "tcvn3";
/// Name recorded for VNI-Windows text.
pub const VNI: &str = "vni-windows";
/// Name recorded for Windows-1258 text.
pub const WINDOWS_1258: &str = "windows-1258";

/// The legacy encodings tried on undeclared non-UTF-8 bytes, in order of preference on a tie.
pub const LEGACY: [Candidate; 3] = [
    Candidate {
        name: WINDOWS_1258,
        decode: windows1258::decode,
    },
    Candidate {
        name: TCVN3,
        decode: tcvn3::decode,
    },
    Candidate {
        name: VNI,
        decode: vni::decode,
    },
];

/// Decodes file bytes that declare no encoding.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    decode_declared(bytes, None)
}

/// Decodes file bytes, given the charset label the file declares for itself, if any (an HTML
/// `<meta charset>`: WHATWG labels such as `windows-1258`, `iso-8859-1`, plus `tcvn3` and `vni`).
///
/// A byte-order mark and valid UTF-8 win over a declaration (a page that says `iso-8859-1` but is
/// valid UTF-8 is UTF-8 — a declaration copied from a template is more common than Latin-1 bytes
/// that happen to form UTF-8). A declared Western charset (`iso-8859-1`, `windows-1252`,
/// `us-ascii`) is where TCVN3 and VNI pages hide, since their fonts draw Vietnamese on Latin-1
/// bytes: those are still detected, and the declared charset is used when none of them reads as
/// Vietnamese.
pub fn decode_declared(bytes: &[u8], declared: Option<&str>) -> Result<Decoded, DecodeError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeError::Empty);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return from_utf16(rest, utf16::Endian::Little, "utf-16le");
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return from_utf16(rest, utf16::Endian::Big, "utf-16be");
    }
    let (body, bom) = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    if let Some(kind) = binary::binary_kind(body) {
        return Err(DecodeError::Binary(kind));
    }
    let offset = bytes.len() - body.len();
    match utf8::classify(body) {
        Utf8::Valid => {
            let text =
                std::str::from_utf8(body).map_err(|e| DecodeError::InvalidUtf8(e.valid_up_to()))?;
            return non_empty(nfc(text), if bom { "utf-8-bom" } else { "utf-8" });
        }
        Utf8::Truncated(at) => return Err(DecodeError::TruncatedUtf8(at + offset)),
        Utf8::Corrupt(at) => return Err(DecodeError::InvalidUtf8(at + offset)),
        Utf8::NotUtf8 if bom => {
            let at = std::str::from_utf8(body)
                .err()
                .map_or(0, |e| e.valid_up_to());
            return Err(DecodeError::InvalidUtf8(at + offset));
        }
        Utf8::NotUtf8 => {}
    }
    match declared.and_then(charset) {
        Some(Charset::Legacy(c)) => non_empty((c.decode)(body), c.name),
        Some(Charset::Other(enc)) => {
            let (text, errors) = enc.decode_without_bom_handling(body);
            if errors {
                return Err(DecodeError::InvalidDeclared(enc.name()));
            }
            non_empty(nfc(&text), enc.name())
        }
        Some(Charset::Western(enc)) => {
            let ranked = detect::rank(body, &LEGACY);
            let (best, score) = &ranked[0];
            if score.share().is_some_and(|s| s >= MIN_SHARE) {
                return non_empty((best.decode)(body), best.name);
            }
            let (text, _) = enc.decode_without_bom_handling(body);
            non_empty(nfc(&text), enc.name())
        }
        None => legacy(body),
    }
}

/// The best legacy decoding of undeclared non-UTF-8 bytes, if it reads as Vietnamese.
fn legacy(body: &[u8]) -> Result<Decoded, DecodeError> {
    let ranked = detect::rank(body, &LEGACY);
    let (best, score) = &ranked[0];
    match score.share() {
        // No accented word and no stray symbol in any reading (only curly quotes, say): every
        // candidate gives the same text.
        None => non_empty((best.decode)(body), best.name),
        Some(s) if s >= MIN_SHARE => non_empty((best.decode)(body), best.name),
        Some(s) => Err(DecodeError::Undecodable {
            best: best.name,
            percent: (s * 100.0).round() as u8,
        }),
    }
}

/// What a declared charset label means to hoptac.
enum Charset {
    /// TCVN3 or VNI, by their customary labels.
    Legacy(Candidate),
    /// A Western single-byte charset, behind which TCVN3 and VNI fonts are found.
    Western(&'static Encoding),
    /// Any other encoding the WHATWG standard knows.
    Other(&'static Encoding),
}

fn charset(label: &str) -> Option<Charset> {
    let label = label.trim().to_ascii_lowercase();
    match label.as_str() {
        "tcvn3" | "tcvn" | "tcvn-3" | "tcvn5712" | "tcvn-5712" | "x-viet-tcvn"
        | "x-viet-tcvn5712" | "abc" => return Some(Charset::Legacy(LEGACY[1])),
        "vni" | "vni-windows" | "x-viet-vni" => return Some(Charset::Legacy(LEGACY[2])),
        _ => {}
    }
    let enc = Encoding::for_label(label.as_bytes())?;
    if enc == encoding_rs::WINDOWS_1252 {
        Some(Charset::Western(enc))
    } else if enc == encoding_rs::UTF_8
        || enc == encoding_rs::UTF_16LE
        || enc == encoding_rs::UTF_16BE
        || enc == encoding_rs::REPLACEMENT
        || enc == encoding_rs::X_USER_DEFINED
    {
        // Wrong for bytes that are not UTF-8 and carry no BOM: detect instead.
        None
    } else {
        Some(Charset::Other(enc))
    }
}

fn from_utf16(
    bytes: &[u8],
    endian: utf16::Endian,
    name: &'static str,
) -> Result<Decoded, DecodeError> {
    let text = utf16::decode(bytes, endian).ok_or(DecodeError::InvalidUtf16)?;
    non_empty(nfc(&text), name)
}

fn non_empty(text: String, encoding: &'static str) -> Result<Decoded, DecodeError> {
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(Decoded { text, encoding })
}

/// Windows-1252's characters for the bytes `80`–`9F` (curly quotes, dashes, `€`), which the
/// Vietnamese font encodings leave to the Windows code page.
pub(crate) fn windows_1252_c1(b: u8) -> char {
    static TABLE: OnceLock<Vec<char>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let bytes: Vec<u8> = (0x80..=0x9F).collect();
        let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes);
        text.chars().collect()
    });
    table
        .get(usize::from(b.wrapping_sub(0x80)))
        .copied()
        .unwrap_or(char::REPLACEMENT_CHARACTER)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SENTENCE: &str =
        "Ngày 14/5/2010, tại Hà Nội, Bộ Thông tin và Truyền thông Việt Nam và Bộ \
        Hành chính và An ninh Hàn Quốc đã ký kết biên bản ghi nhớ hợp tác về tin học hóa, \
        an toàn thông tin và chính phủ điện tử.";

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
        assert_eq!(decode(&be).unwrap().encoding, "utf-16be");
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
        assert_eq!(decode(&[0xEF, 0xBB, 0xBF, b'\n']), Err(DecodeError::Empty));
        assert_eq!(decode(&[0xFF, 0xFE]), Err(DecodeError::Empty));
    }

    #[test]
    fn binary_files_are_refused_with_their_kind() {
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Err(DecodeError::Binary("PNG image"))
        );
        assert_eq!(
            decode(b"%PDF-1.7\n%\xb5\xb5\xb5\xb5\n"),
            Err(DecodeError::Binary("PDF document"))
        );
    }

    #[test]
    fn truncated_utf8_is_refused_with_its_offset() {
        let bytes = SENTENCE.as_bytes();
        let cut = &bytes[..bytes.len() - "ử.".len() + 1];
        assert!(matches!(decode(cut), Err(DecodeError::TruncatedUtf8(_))));
    }

    #[test]
    fn a_utf8_bom_before_invalid_bytes_is_damaged_utf8() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFH\xeep t\xb8c"),
            Err(DecodeError::InvalidUtf8(4))
        );
    }

    #[test]
    fn every_legacy_encoding_is_detected_on_a_real_sentence() {
        let tcvn = tcvn3::encode(SENTENCE).unwrap();
        let vni = vni::encode(SENTENCE).unwrap();
        for (bytes, name) in [(tcvn, TCVN3), (vni, VNI)] {
            let d = decode(&bytes).unwrap();
            assert_eq!((d.text.as_str(), d.encoding), (SENTENCE, name));
        }
        let cp1258 = b"H\xe0 N\xf4\xf2i, Vi\xea\xf2t Nam h\xf5\xf2p ta\xecc";
        let d = decode(cp1258).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding),
            ("Hà Nội, Việt Nam hợp tác", WINDOWS_1258)
        );
    }

    #[test]
    fn latin1_text_that_is_not_vietnamese_is_refused() {
        let french =
            b"La coop\xe9ration fran\xe7aise \xe0 H\xe9l\xe8ne, d\xe9j\xe0 tr\xe8s appr\xe9ci\xe9e";
        assert!(matches!(
            decode(french),
            Err(DecodeError::Undecodable { .. })
        ));
    }

    #[test]
    fn a_declared_charset_decides_for_non_utf8_bytes() {
        let d = decode_declared(b"Vi\xea\xf2t Nam", Some("windows-1258")).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("Việt Nam", "windows-1258"));
        let d = decode_declared(b"Vie\xe4t Nam", Some("VNI")).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("Việt Nam", VNI));
    }

    #[test]
    fn tcvn3_behind_a_latin1_declaration_is_still_found() {
        let bytes = tcvn3::encode(SENTENCE).unwrap();
        let d = decode_declared(&bytes, Some("iso-8859-1")).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (SENTENCE, TCVN3));
    }

    #[test]
    fn a_declared_western_page_that_is_not_vietnamese_stays_western() {
        let d = decode_declared(b"Caf\xe9 cr\xe8me", Some("iso-8859-1")).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding),
            ("Café crème", "windows-1252")
        );
    }

    #[test]
    fn valid_utf8_wins_over_a_wrong_declaration() {
        let d = decode_declared("Hợp tác".as_bytes(), Some("iso-8859-1")).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("Hợp tác", "utf-8"));
    }

    #[test]
    fn only_windows_punctuation_is_read_as_windows_1258() {
        let d = decode(b"\x93Hop tac\x94 \x96 2010").unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding),
            ("“Hop tac” – 2010", WINDOWS_1258)
        );
    }

    #[test]
    fn the_c1_table_is_windows_1252() {
        assert_eq!(windows_1252_c1(0x93), '“');
        assert_eq!(windows_1252_c1(0x80), '€');
        assert_eq!(windows_1252_c1(0x41), char::REPLACEMENT_CHARACTER);
    }
}
