//! VNI-Windows, the font encoding of the VNI fonts (`VNI-Times`, …), common in southern offices.
//!
//! VNI writes a Vietnamese vowel as its Latin base letter followed by one byte for its marks, taken
//! from the Latin-1 letters: `ệ` is `e` + `ä` (circumflex and dot below), `ớ` is `ô` (which VNI uses
//! for `ơ`) + `ù` (acute). A VNI file opened as anything else reads `Vieät Nam` for `Việt Nam`. A few
//! letters are single bytes: `đ` (`ñ`), `ơ` (`ô`), `ư` (`ö`), `ỵ` (`î`) and the toned `i` (`í ì æ ó
//! ò`). Decoding maps each mark byte to combining marks after the preceding letter, and NFC
//! composes them; a mark byte after a letter that cannot carry it stays a lone combining mark, which
//! the encoding detector counts against VNI.
//!
//! Source of the table: the VNI-Windows character set of VNI Software Company's VNI fonts, as tabled
//! in the Vietnamese Unicode project's charset reference (vietunicode.sourceforge.net/charset) and
//! in the VNI keyboard tables of xvnkb (`vni.h`). `80`–`9F` are Windows-1252 punctuation;
//! bytes VNI does not use keep their Latin-1 meaning; `00`–`7F` are ASCII.
//!
//! Before: `56 69 65 E4 74 20 4E 61 6D` (`Vieät Nam` in Latin-1). After: `"Việt Nam"`.

use crate::nfc::nfc;

use super::windows_1252_c1;

const ACUTE: char = '\u{301}';
const GRAVE: char = '\u{300}';
const HOOK: char = '\u{309}';
const TILDE: char = '\u{303}';
const DOT: char = '\u{323}';
const CIRCUMFLEX: char = '\u{302}';
const BREVE: char = '\u{306}';
const HORN: char = '\u{31b}';

/// The mark bytes in lower case (after a lower-case letter); the capital forms are 0x20 lower.
const MARKS: [(u8, &[char]); 17] = [
    (0xF9, &[ACUTE]),
    (0xF8, &[GRAVE]),
    (0xFB, &[HOOK]),
    (0xF5, &[TILDE]),
    (0xEF, &[DOT]),
    (0xEA, &[BREVE]),
    (0xE9, &[BREVE, ACUTE]),
    (0xE8, &[BREVE, GRAVE]),
    (0xFA, &[BREVE, HOOK]),
    (0xFC, &[BREVE, TILDE]),
    (0xEB, &[BREVE, DOT]),
    (0xE2, &[CIRCUMFLEX]),
    (0xE1, &[CIRCUMFLEX, ACUTE]),
    (0xE0, &[CIRCUMFLEX, GRAVE]),
    (0xE5, &[CIRCUMFLEX, HOOK]),
    (0xE3, &[CIRCUMFLEX, TILDE]),
    (0xE4, &[CIRCUMFLEX, DOT]),
];

/// The letters that are one byte, lower case (the capital forms are 0x20 lower).
const LETTERS: [(u8, char, char); 9] = [
    (0xF1, 'đ', 'Đ'),
    (0xF4, 'ơ', 'Ơ'),
    (0xF6, 'ư', 'Ư'),
    (0xEE, 'ỵ', 'Ỵ'),
    (0xED, 'í', 'Í'),
    (0xEC, 'ì', 'Ì'),
    (0xE6, 'ỉ', 'Ỉ'),
    (0xF3, 'ĩ', 'Ĩ'),
    (0xF2, 'ị', 'Ị'),
];

fn push_byte(b: u8, out: &mut String) {
    match b {
        0x00..=0x7F => out.push(b as char),
        0x80..=0x9F => out.push(windows_1252_c1(b)),
        _ => {
            let lower = if (0xC0..=0xDF).contains(&b) {
                b + 0x20
            } else {
                b
            };
            if let Some((_, marks)) = MARKS.iter().find(|(m, _)| *m == lower) {
                out.extend(marks.iter());
            } else if let Some(&(_, small, capital)) = LETTERS.iter().find(|(l, ..)| *l == lower) {
                out.push(if lower == b { small } else { capital });
            } else {
                out.push(b as char);
            }
        }
    }
}

/// The text of VNI-Windows `bytes`, NFC. Every byte has a meaning, so this cannot fail.
pub fn decode(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 2);
    for &b in bytes {
        push_byte(b, &mut text);
    }
    nfc(&text)
}

/// Encodes NFC text in VNI-Windows, used to build test fixtures from known text. Fails on the first
/// character VNI cannot write.
pub fn encode(text: &str) -> Result<Vec<u8>, char> {
    use unicode_normalization::char::decompose_canonical;
    let mut out = Vec::with_capacity(text.len() * 2);
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c as u8);
            continue;
        }
        // Punctuation and the Latin-1 symbols VNI leaves alone (`©`, `°`) are their own bytes.
        let mut one = String::new();
        if let Some(b) = (0x80u8..=0xFF).find(|&b| {
            one.clear();
            push_byte(b, &mut one);
            one.chars().eq([c])
        }) {
            out.push(b);
            continue;
        }
        let upper = c.is_uppercase();
        let case = |b: u8| if upper { b - 0x20 } else { b };
        if let Some(&(b, ..)) = LETTERS.iter().find(|(_, s, cap)| *s == c || *cap == c) {
            out.push(case(b));
            continue;
        }
        let mut parts = Vec::with_capacity(3);
        decompose_canonical(c, |d| parts.push(d));
        let (base, marks) = parts.split_first().ok_or(c)?;
        // `ơ`/`ư` with a tone: the one-byte letter, then the tone.
        let (base_byte, marks): (u8, Vec<char>) = match (base.to_ascii_lowercase(), marks) {
            ('o' | 'u', [HORN, rest @ ..]) => {
                let small = if base.eq_ignore_ascii_case(&'o') {
                    0xF4
                } else {
                    0xF6
                };
                (case(small), rest.to_vec())
            }
            (b, _) if b.is_ascii_alphabetic() => (*base as u8, marks.to_vec()),
            _ => return Err(c),
        };
        out.push(base_byte);
        if marks.is_empty() {
            continue;
        }
        // Canonical order puts the dot below first; VNI's mark bytes put the vowel quality first.
        let mut wanted: Vec<char> = marks.iter().copied().filter(|m| *m != DOT).collect();
        wanted.extend(marks.iter().copied().filter(|m| *m == DOT));
        let (mark, _) = MARKS
            .iter()
            .find(|(_, m)| *m == wanted.as_slice())
            .ok_or(c)?;
        out.push(case(*mark));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn latin1(s: &str) -> Vec<u8> {
        s.chars().map(|c| c as u32 as u8).collect()
    }

    #[test]
    fn viet_nam_from_the_latin1_reading() {
        assert_eq!(decode(&latin1("Vieät Nam")), "Việt Nam");
        assert_eq!(decode(&latin1("Xin chaøo caùc baïn")), "Xin chào các bạn");
        assert_eq!(
            decode(&latin1("Thaønh phoá Hoà Chí Minh")),
            "Thành phố Hồ Chí Minh"
        );
    }

    #[test]
    fn horn_letters_take_their_tone_after_them() {
        assert_eq!(decode(&latin1("hôïp taùc")), "hợp tác");
        assert_eq!(decode(&latin1("ñöôøng")), "đường");
    }

    #[test]
    fn capitals_use_the_capital_mark_bytes() {
        assert_eq!(
            decode(&latin1("VIEÄT NAM - HAØN QUOÁC")),
            "VIỆT NAM - HÀN QUỐC"
        );
        assert_eq!(decode(&latin1("ÑAØ NAÜNG")), "ĐÀ NẴNG");
    }

    #[test]
    fn a_sentence_round_trips() {
        let text = "Ủy ban Nhân dân TP. Hồ Chí Minh và Bộ Ngoại giao Nhật Bản thúc đẩy hợp tác \
                    chuyển đổi số, an toàn thông tin và đào tạo nguồn nhân lực.";
        let bytes = encode(text).unwrap();
        assert_eq!(decode(&bytes), text);
    }

    #[test]
    fn a_mark_after_a_consonant_stays_a_lone_mark() {
        assert_eq!(decode(b"t\xf9"), "t\u{301}");
    }

    #[test]
    fn windows_punctuation_round_trips() {
        let text = "“Hợp tác” – 2010…";
        assert_eq!(decode(&encode(text).unwrap()), text);
    }

    #[test]
    fn characters_outside_the_table_cannot_be_encoded() {
        assert_eq!(encode("Hợp tác 合作"), Err('合'));
    }
}
