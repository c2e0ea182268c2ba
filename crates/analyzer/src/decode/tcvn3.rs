//! TCVN3 ("ABC"), the font encoding of most Vietnamese government documents before Unicode.
//!
//! TCVN3 puts Vietnamese letters on the upper half of the byte range, where Windows shows Latin-1, so
//! a TCVN3 file opened as anything else reads `Hîp t¸c` for `Hợp tác`. It has the lower-case letters
//! with every tone but, of the capitals, only `Ă Â Ê Ô Ơ Ư Đ`: documents set capitals with tones in
//! a companion font (`.VnTimeH`) that draws the lower-case codes as capitals, so such text decodes
//! to lower case — the bytes do not say otherwise.
//!
//! Source of the table: TCVN 5712:1993 (Vietnamese Standard "Công nghệ thông tin – Bộ mã chuẩn 8-bit
//! kí tự Việt dùng trong trao đổi thông tin"), table VN3, which is table VN1 restricted to
//! `A1`–`FF`; the VN1 capitals that VN3 leaves out of that range are decoded as VN1 has them.
//! Checked against XFree86's `TCVNtoUCS2.c` (VN1). `80`–`9F` are Windows-1252 punctuation (curly
//! quotes, dashes), as Windows applications wrote them into TCVN3 documents; `00`–`7F` are ASCII.
//!
//! Before: `48 EE 70 20 74 B8 63` (`Hîp t¸c` in Latin-1). After: `"Hợp tác"`.

use crate::nfc::nfc;

use super::windows_1252_c1;

/// Characters of the bytes `A0`–`FF`.
const TABLE: [char; 96] = [
    '\u{00A0}', 'Ă', 'Â', 'Ê', 'Ô', 'Ơ', 'Ư', 'Đ', // A0
    'ă', 'â', 'ê', 'ô', 'ơ', 'ư', 'đ', 'Ằ', // A8
    '\u{0300}', '\u{0309}', '\u{0303}', '\u{0301}', '\u{0323}', 'à', 'ả', 'ã', // B0
    'á', 'ạ', 'Ẳ', 'ằ', 'ẳ', 'ẵ', 'ắ', 'Ẵ', // B8
    'Ắ', 'Ầ', 'Ẩ', 'Ẫ', 'Ấ', 'Ề', 'ặ', 'ầ', // C0
    'ẩ', 'ẫ', 'ấ', 'ậ', 'è', 'Ể', 'ẻ', 'ẽ', // C8
    'é', 'ẹ', 'ề', 'ể', 'ễ', 'ế', 'ệ', 'ì', // D0
    'ỉ', 'Ễ', 'Ế', 'Ồ', 'ĩ', 'í', 'ị', 'ò', // D8
    'Ổ', 'ỏ', 'õ', 'ó', 'ọ', 'ồ', 'ổ', 'ỗ', // E0
    'ố', 'ộ', 'ờ', 'ở', 'ỡ', 'ớ', 'ợ', 'ù', // E8
    'Ỗ', 'ủ', 'ũ', 'ú', 'ụ', 'ừ', 'ử', 'ữ', // F0
    'ứ', 'ự', 'ỳ', 'ỷ', 'ỹ', 'ý', 'ỵ', 'Ố', // F8
];

fn char_of(b: u8) -> char {
    match b {
        0x00..=0x7F => b as char,
        0x80..=0x9F => windows_1252_c1(b),
        _ => TABLE[(b - 0xA0) as usize],
    }
}

/// The text of TCVN3 `bytes`, NFC. Every byte has a meaning, so this cannot fail.
pub fn decode(bytes: &[u8]) -> String {
    let text: String = bytes.iter().map(|&b| char_of(b)).collect();
    nfc(&text)
}

/// Encodes NFC text in TCVN3, as an ABC keyboard driver would: a capital with a tone that the table
/// lacks is written as its lower-case code (the `.VnTimeH` convention). Used to build test fixtures
/// from known text. Fails on the first character TCVN3 cannot write.
pub fn encode(text: &str) -> Result<Vec<u8>, char> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c as u8);
            continue;
        }
        let find = |c: char| {
            (0xA0u8..=0xFF)
                .find(|&b| TABLE[(b - 0xA0) as usize] == c && !(0xB0..=0xB4).contains(&b))
                .or_else(|| (0x80u8..=0x9F).find(|&b| windows_1252_c1(b) == c))
        };
        let byte = find(c)
            .or_else(|| c.to_lowercase().next().and_then(find))
            .ok_or(c)?;
        out.push(byte);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hop_tac_from_the_latin1_reading() {
        // What a TCVN3 file shows when opened as Latin-1.
        let latin1 = "Hîp t¸c";
        let bytes: Vec<u8> = latin1.chars().map(|c| c as u32 as u8).collect();
        assert_eq!(decode(&bytes), "Hợp tác");
    }

    #[test]
    fn known_place_names() {
        let as_latin1 = |s: &str| s.chars().map(|c| c as u32 as u8).collect::<Vec<u8>>();
        assert_eq!(decode(&as_latin1("B¶o Th¾ng")), "Bảo Thắng");
        assert_eq!(decode(&as_latin1("M\u{AD}êng Kh\u{AD}¬ng")), "Mường Khương");
        assert_eq!(decode(&as_latin1("§µ N½ng")), "Đà Nẵng");
    }

    #[test]
    fn a_sentence_round_trips() {
        let text = "Bộ Thông tin và Truyền thông ký kết thỏa thuận hợp tác với Hàn Quốc về an \
                    toàn thông tin, chính phủ điện tử và phát triển nguồn nhân lực.";
        let bytes = encode(text).unwrap();
        assert_eq!(bytes.len(), text.chars().count(), "one byte per letter");
        assert_eq!(decode(&bytes), text);
    }

    #[test]
    fn capitals_without_a_code_come_back_lower_case() {
        let bytes = encode("ỦY BAN").unwrap();
        assert_eq!(decode(&bytes), "ủY BAN");
        assert_eq!(decode(&encode("ĐÂY").unwrap()), "ĐÂY");
    }

    #[test]
    fn curly_quotes_and_dashes_are_windows_punctuation() {
        assert_eq!(
            decode(b"\x93H\xeep t\xb8c\x94 \x96 2010"),
            "“Hợp tác” – 2010"
        );
    }

    #[test]
    fn characters_outside_the_table_cannot_be_encoded() {
        assert_eq!(encode("Hợp tác 合作"), Err('合'));
    }
}
