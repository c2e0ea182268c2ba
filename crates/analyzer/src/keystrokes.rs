//! Reading Telex and VNI keystrokes typed with the input method off.
//!
//! Vietnamese is typed on a Latin keyboard through an input method: in Telex `aa ee oo` are `â ê ô`,
//! `aw ow uw` (or a lone `w`) are `ă ơ ư`, `dd` is `đ`, and `s f r x j` after the vowels are the acute,
//! grave, hook, tilde and dot tones; in VNI the digits `6 7 8` give the circumflex, horn and breve,
//! `9` the `đ`, and `1 2 3 4 5` the tones. With the input method off — a new machine, a shared
//! terminal — the keystrokes stay in the text: `howpj tacs` for `hợp tác`, `ho7p5 tac1`. People put
//! the tone key anywhere after the vowel (`tacs`, `tasc`).
//!
//! [`decode_telex`] and [`decode_vni`] read a token as keystrokes and return the syllable it spells,
//! only when the token uses at least one key and the result is a well-formed syllable
//! ([`crate::orthography::is_syllable`]); `case`, `ATTT`, `G20`, `4.0` give nothing. Whether a
//! decoded syllable is *more plausible* than the token as typed (`tax` is an English word before it
//! is `tã`) is not a spelling question: the search engine decides it from its vocabulary.
//!
//! The tone is placed the traditional way (`hóa`, `thủy`, `quốc`, `người`): on the vowel with a
//! quality mark (`ơ` of `ươ`), else on the last vowel before a final consonant, else on the
//! second-to-last vowel of an open syllable; the `u` of `qu` and the `i` of `gi` are not vowels.
//!
//! Before: `"howpj"`, `"Quoocs"`, `"dduowngf"`, `"ho7p5"`, `"Vie6t5"`. After: `"hợp"`, `"Quốc"`,
//! `"đường"`, `"hợp"`, `"Việt"`.

use unicode_normalization::UnicodeNormalization;

use crate::orthography::is_syllable;

/// Telex tone keys and the combining marks they stand for.
const TELEX_TONES: [(char, char); 5] = [
    ('s', '\u{301}'),
    ('f', '\u{300}'),
    ('r', '\u{309}'),
    ('x', '\u{303}'),
    ('j', '\u{323}'),
];

/// VNI tone keys and the combining marks they stand for.
const VNI_TONES: [(char, char); 5] = [
    ('1', '\u{301}'),
    ('2', '\u{300}'),
    ('3', '\u{309}'),
    ('4', '\u{303}'),
    ('5', '\u{323}'),
];

fn is_plain_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

fn is_vowel(c: char) -> bool {
    is_plain_vowel(c) || matches!(c, 'ă' | 'â' | 'ê' | 'ô' | 'ơ' | 'ư')
}

/// Letters being built, with the tone key seen (if any) and whether any key was used.
#[derive(Default)]
struct Spelling {
    letters: Vec<char>,
    tone: Option<char>,
    keyed: bool,
}

impl Spelling {
    fn has_vowel(&self) -> bool {
        self.letters.iter().any(|&c| is_vowel(c))
    }

    /// Sets the tone; false when the token already had one (not keystrokes of one syllable).
    fn set_tone(&mut self, mark: char) -> bool {
        if self.tone.is_some() || !self.has_vowel() {
            return false;
        }
        self.tone = Some(mark);
        self.keyed = true;
        true
    }

    /// The circumflex on the last `a`, `e` or `o`.
    fn circumflex(&mut self) -> bool {
        self.mark_last(|c| match c {
            'a' => Some('â'),
            'e' => Some('ê'),
            'o' => Some('ô'),
            _ => None,
        })
    }

    /// The breve on the last `a`.
    fn breve(&mut self) -> bool {
        self.mark_last(|c| (c == 'a').then_some('ă'))
    }

    /// The horn on the last `o` or `u` (both of `uo`: `ươ`), or a lone `ư` when `bare` allows it
    /// (Telex's `w` after a consonant).
    fn horn(&mut self, bare: bool) -> bool {
        let Some(i) = self.letters.iter().rposition(|&c| is_vowel(c)) else {
            if bare {
                self.letters.push('ư');
                self.keyed = true;
                return true;
            }
            return false;
        };
        match self.letters[i] {
            'o' if i > 0 && self.letters[i - 1] == 'u' => {
                self.letters[i - 1] = 'ư';
                self.letters[i] = 'ơ';
            }
            'u' if i + 1 < self.letters.len() && self.letters[i + 1] == 'o' => {
                self.letters[i] = 'ư';
                self.letters[i + 1] = 'ơ';
            }
            'o' => self.letters[i] = 'ơ',
            'u' => self.letters[i] = 'ư',
            'a' => self.letters[i] = 'ă',
            _ if bare => self.letters.push('ư'),
            _ => return false,
        }
        self.keyed = true;
        true
    }

    fn mark_last(&mut self, f: impl Fn(char) -> Option<char>) -> bool {
        let Some(i) = self.letters.iter().rposition(|&c| is_vowel(c)) else {
            return false;
        };
        match f(self.letters[i]) {
            Some(m) => {
                self.letters[i] = m;
                self.keyed = true;
                true
            }
            None => false,
        }
    }

    /// The syllable, lower case, NFC, tone placed; `None` when no key was used or it is not a
    /// syllable.
    fn finish(self) -> Option<String> {
        if !self.keyed {
            return None;
        }
        let mut letters = self.letters;
        let mut out: String = match self.tone {
            None => letters.iter().collect(),
            Some(mark) => {
                let at = tone_position(&letters)?;
                letters.insert(at + 1, mark);
                letters.iter().collect::<String>().nfc().collect()
            }
        };
        if !is_syllable(&out) {
            return None;
        }
        out.shrink_to_fit();
        Some(out)
    }
}

/// Index of the vowel that carries the tone (see the module).
fn tone_position(letters: &[char]) -> Option<usize> {
    let mut start = 0;
    // `qu` and `gi` (before a vowel) are onsets: their `u`/`i` carry no tone.
    if letters.len() > 2
        && ((letters[0] == 'q' && letters[1] == 'u')
            || (letters[0] == 'g' && letters[1] == 'i' && is_vowel(letters[2])))
    {
        start = 2;
    }
    let first = (start..letters.len()).find(|&i| is_vowel(letters[i]))?;
    let end = (first..letters.len())
        .find(|&i| !is_vowel(letters[i]))
        .unwrap_or(letters.len());
    let nucleus = first..end;
    if let Some(i) = nucleus.clone().rev().find(|&i| !is_plain_vowel(letters[i])) {
        return Some(i);
    }
    if end < letters.len() || nucleus.len() == 1 {
        Some(end - 1)
    } else {
        Some(end - 2)
    }
}

/// `decoded` with the capital of `token`'s first letter: `Hanf` reads `Hàn`, `Belaurs` is
/// corrected to `Belarus`.
pub fn recase(token: &str, decoded: String) -> String {
    if token.chars().next().is_some_and(char::is_uppercase) {
        let mut c = decoded.chars();
        match c.next() {
            Some(f) => f.to_uppercase().chain(c).collect(),
            None => decoded,
        }
    } else {
        decoded
    }
}

/// The syllable `token` spells as Telex keystrokes, if it uses any and spells one.
pub fn decode_telex(token: &str) -> Option<String> {
    if !token.chars().all(|c| c.is_ascii_alphabetic()) || token.len() > 12 {
        return None;
    }
    let lower = token.to_ascii_lowercase();
    let chars: Vec<char> = lower.chars().collect();
    let mut s = Spelling::default();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == 'd' && next == Some('d') && s.letters.is_empty() {
            s.letters.push('đ');
            s.keyed = true;
            i += 2;
            continue;
        }
        if matches!(c, 'a' | 'e' | 'o') && s.letters.last() == Some(&c) {
            s.circumflex();
            i += 1;
            continue;
        }
        if c == 'w' {
            if !s.horn(true) {
                return None;
            }
            i += 1;
            continue;
        }
        if let Some(&(_, mark)) = TELEX_TONES.iter().find(|(k, _)| *k == c) {
            // After the vowels a tone key; before them an initial `s`, `r` or `x`.
            if s.has_vowel() {
                if !s.set_tone(mark) {
                    return None;
                }
                i += 1;
                continue;
            }
        }
        if c == 'z' && s.has_vowel() {
            // Telex's "no tone" key.
            s.keyed = true;
            i += 1;
            continue;
        }
        s.letters.push(c);
        i += 1;
    }
    s.finish().map(|d| recase(token, d))
}

/// The syllable `token` spells as VNI keystrokes, if it uses any and spells one.
pub fn decode_vni(token: &str) -> Option<String> {
    if !token.chars().all(|c| c.is_ascii_alphanumeric())
        || !token.chars().any(|c| c.is_ascii_digit())
        || !token
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        || token.len() > 12
    {
        return None;
    }
    let lower = token.to_ascii_lowercase();
    let mut s = Spelling::default();
    for c in lower.chars() {
        let ok = match c {
            '6' => s.circumflex(),
            '7' => s.horn(false),
            '8' => s.breve(),
            '9' => match s.letters.iter().position(|&l| l == 'd') {
                Some(0) => {
                    s.letters[0] = 'đ';
                    s.keyed = true;
                    true
                }
                _ => false,
            },
            '1'..='5' => {
                let mark = VNI_TONES.iter().find(|(k, _)| *k == c).map(|(_, m)| *m);
                mark.is_some_and(|m| s.set_tone(m))
            }
            '0' => false,
            c => {
                s.letters.push(c);
                true
            }
        };
        if !ok {
            return None;
        }
    }
    s.finish().map(|d| recase(token, d))
}

/// [`decode_telex`], else [`decode_vni`].
pub fn decode(token: &str) -> Option<String> {
    decode_telex(token).or_else(|| decode_vni(token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn telex_doubled_vowels_are_circumflexes() {
        assert_eq!(decode_telex("thoong").as_deref(), Some("thông"));
        assert_eq!(decode_telex("Vieetj").as_deref(), Some("Việt"));
        assert_eq!(decode_telex("caaps").as_deref(), Some("cấp"));
    }

    #[test]
    fn telex_w_is_the_horn_or_the_breve() {
        assert_eq!(decode_telex("howpj").as_deref(), Some("hợp"));
        assert_eq!(decode_telex("dduowngf").as_deref(), Some("đường"));
        assert_eq!(decode_telex("tuwowngs").as_deref(), Some("tướng"));
        assert_eq!(decode_telex("thawm").as_deref(), Some("thăm"));
        assert_eq!(decode_telex("tw").as_deref(), Some("tư"));
    }

    #[test]
    fn telex_tone_keys_anywhere_after_the_vowel() {
        assert_eq!(decode_telex("tacs").as_deref(), Some("tác"));
        assert_eq!(decode_telex("tasc").as_deref(), Some("tác"));
        assert_eq!(decode_telex("Quoocs").as_deref(), Some("Quốc"));
        assert_eq!(decode_telex("phongf").as_deref(), Some("phòng"));
        assert_eq!(decode_telex("Hanf").as_deref(), Some("Hàn"));
        assert_eq!(decode_telex("Nguyeenx").as_deref(), Some("Nguyễn"));
    }

    #[test]
    fn the_tone_sits_where_the_traditional_spelling_puts_it() {
        assert_eq!(decode_telex("hoaf").as_deref(), Some("hòa"));
        assert_eq!(decode_telex("quys").as_deref(), Some("quý"));
        assert_eq!(decode_telex("nguwowif").as_deref(), Some("người"));
        assert_eq!(decode_telex("toans").as_deref(), Some("toán"));
        assert_eq!(decode_telex("giuwax").as_deref(), Some("giữa"));
    }

    #[test]
    fn vni_digits_are_marks_and_tones() {
        assert_eq!(decode_vni("ho7p5").as_deref(), Some("hợp"));
        assert_eq!(decode_vni("quo6c1").as_deref(), Some("quốc"));
        assert_eq!(decode_vni("phong2").as_deref(), Some("phòng"));
        assert_eq!(decode_vni("d9uo7ng2").as_deref(), Some("đường"));
        assert_eq!(decode_vni("Vie6t5").as_deref(), Some("Việt"));
        assert_eq!(decode_vni("tha8m").as_deref(), Some("thăm"));
    }

    #[test]
    fn english_words_acronyms_and_numbers_are_not_keystrokes() {
        for token in [
            "case", "ATTT", "G20", "4.0", "ASEAN", "covid19", "internet", "Korea",
        ] {
            assert_eq!(decode(token), None, "{token}");
        }
    }

    #[test]
    fn plain_syllables_use_no_key() {
        for token in ["an", "tin", "hop", "tac", "Viet"] {
            assert_eq!(decode(token), None, "{token}");
        }
    }
}
