//! Binary files are not text.
//!
//! A corpus folder collects whatever was saved next to the press releases: scans, PDFs, archives, an
//! executable. A file is binary when it starts with the signature of a common binary format, or holds
//! a NUL byte anywhere (text never does; UTF-16, which does, was recognised by its byte-order mark
//! before this rule runs). Signatures come first so that the report names the format, and so that a
//! PDF whose first pages happen to hold no NUL is still refused.
//!
//! Before: `89 50 4E 47 0D 0A 1A 0A 00 00 00 0D 49 48 44 52`. After: `Some("PNG image")`.
//! Before: `"Hợp tác"` (UTF-8). After: `None`.

/// Leading bytes of binary formats likely to sit in a document folder, and what they are.
const SIGNATURES: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"\x7fELF", "ELF executable"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "legacy Office document",
    ),
    (b"\x1f\x8b", "gzip archive"),
];

/// What kind of binary file `bytes` is, or `None` for anything that may be text.
pub fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    SIGNATURES
        .iter()
        .find(|(sig, _)| bytes.starts_with(sig))
        .map(|(_, kind)| *kind)
        .or_else(|| bytes.contains(&0).then_some("it contains NUL bytes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_pdf_and_elf_headers_are_named() {
        assert_eq!(
            binary_kind(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some("PNG image")
        );
        assert_eq!(
            binary_kind(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
            Some("PDF document")
        );
        assert_eq!(
            binary_kind(b"\x7fELF\x02\x01\x01\0\0\0"),
            Some("ELF executable")
        );
    }

    #[test]
    fn a_nul_byte_anywhere_is_binary() {
        assert_eq!(
            binary_kind(b"Hop tac\0\x01\x02"),
            Some("it contains NUL bytes")
        );
    }

    #[test]
    fn text_in_any_encoding_is_not_binary() {
        assert_eq!(binary_kind("Hợp tác Việt Nam".as_bytes()), None);
        assert_eq!(binary_kind(b"H\xeep t\xb8c"), None); // TCVN3
        assert_eq!(binary_kind(b"Vie\xe4t Nam"), None); // VNI
    }
}
