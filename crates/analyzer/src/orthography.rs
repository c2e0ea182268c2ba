//! Is a word a well-formed Vietnamese syllable?
//!
//! Vietnamese spelling is regular: every syllable is an optional initial consonant (`ngh`, `tr`, `qu`,
//! …), a rhyme from a closed set (`a`, `uyên`, `ương`, `oach`, …) and at most one tone mark, carried
//! by a vowel. Rhymes ending in a stop (`-p`, `-t`, `-c`, `-ch`) take only the acute or the dot below
//! (`tác`, `hợp`, never `tàc` or a toneless `tac`), and `k`/`gh`/`ngh` stand before `i e ê y` where
//! `c`/`g`/`ng` stand before the other vowels. Legacy-encoding detection uses this check: text
//! decoded with the right table is almost all valid syllables, text decoded with a wrong one is not
//! (`Hîp t¸c` read as Windows-1258 is `Hîp`, `t`, `¸`, `c`).
//!
//! The check is a grammar rather than a list because it must ship inside hoptac: the closed syllable
//! lists (hunspell-vi, Viet74K) are GPL. Tests measure it against hunspell-vi's 6,631 syllables and
//! the syllables of `index-config/words.txt`. Either tone-mark placement is accepted (`hoá`, `hóa`).
//!
//! Before: `"nghiêng"`, `"Quốc"`, `"hoá"`, `"khuyến"`, `"gìn"`. After: `true` for each.
//! Before: `"Hîp"`, `"Vieät"`, `"tàc"`, `"ca\u{301}\u{301}"`, `"Korea"`. After: `false` for each.

use unicode_normalization::UnicodeNormalization;

/// Initial consonants, longest first so that `ngh` is tried before `ng` and `n`.
const ONSETS: &[&str] = &[
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
];

/// Rhymes (medial + nucleus + final), without tone, sorted for binary search.
const RHYMES: &[&str] = &[
    "a", "ac", "ach", "ai", "am", "an", "ang", "anh", "ao", "ap", "at", "au", "ay", "e", "ec",
    "em", "en", "eng", "eo", "ep", "et", "i", "ia", "ich", "im", "in", "inh", "ip", "it", "iu",
    "iêc", "iêm", "iên", "iêng", "iêp", "iêt", "iêu", "o", "oa", "oac", "oach", "oai", "oam",
    "oan", "oang", "oanh", "oao", "oap", "oat", "oay", "oc", "oe", "oen", "oeo", "oet", "oi", "om",
    "on", "ong", "ooc", "oong", "op", "ot", "oăc", "oăm", "oăn", "oăng", "oăt", "u", "ua", "uc",
    "ui", "um", "un", "ung", "up", "ut", "uy", "uya", "uych", "uyn", "uynh", "uyp", "uyt", "uyu",
    "uyên", "uyêt", "uân", "uâng", "uât", "uây", "uê", "uêch", "uênh", "uôc", "uôi", "uôm", "uôn",
    "uông", "uôt", "uơ", "y", "yêm", "yên", "yêng", "yêt", "yêu", "â", "âc", "âm", "ân", "âng",
    "âp", "ât", "âu", "ây", "ê", "êch", "êm", "ên", "ênh", "êp", "êt", "êu", "ô", "ôc", "ôi", "ôm",
    "ôn", "ông", "ôp", "ôt", "ă", "ăc", "ăm", "ăn", "ăng", "ăp", "ăt", "ơ", "ơi", "ơm", "ơn", "ơp",
    "ơt", "ư", "ưa", "ưc", "ưi", "ưm", "ưn", "ưng", "ưt", "ưu", "ươc", "ươi", "ươm", "ươn", "ương",
    "ươp", "ươt", "ươu",
];

/// The five tone marks, as combining characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tone {
    Grave,
    Acute,
    Hook,
    Tilde,
    Dot,
}

fn tone_of(mark: char) -> Option<Tone> {
    match mark {
        '\u{300}' => Some(Tone::Grave),
        '\u{301}' => Some(Tone::Acute),
        '\u{309}' => Some(Tone::Hook),
        '\u{303}' => Some(Tone::Tilde),
        '\u{323}' => Some(Tone::Dot),
        _ => None,
    }
}

fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y'
    )
}

/// The letters of a lower-cased word with their vowel-quality marks (`ơ`, `â`) and its tone, or
/// `None` when a mark sits where Vietnamese never puts one.
fn letters_and_tone(word: &str) -> Option<(String, Option<Tone>)> {
    let mut letters: Vec<char> = Vec::with_capacity(8);
    let mut tone = None;
    for c in word.chars().flat_map(char::to_lowercase).nfd() {
        match c {
            'a'..='z' | 'đ' => letters.push(c),
            '\u{302}' | '\u{306}' | '\u{31b}' => {
                let last = letters.last_mut()?;
                *last = match (c, *last) {
                    ('\u{302}', 'a') => 'â',
                    ('\u{302}', 'e') => 'ê',
                    ('\u{302}', 'o') => 'ô',
                    ('\u{306}', 'a') => 'ă',
                    ('\u{31b}', 'o') => 'ơ',
                    ('\u{31b}', 'u') => 'ư',
                    _ => return None,
                };
            }
            m => {
                let t = tone_of(m)?;
                if tone.is_some() || !letters.last().copied().is_some_and(is_vowel) {
                    return None;
                }
                tone = Some(t);
            }
        }
        if letters.len() > 8 {
            return None;
        }
    }
    Some((letters.into_iter().collect(), tone))
}

fn starts_with_front_vowel(rhyme: &str) -> bool {
    matches!(rhyme.chars().next(), Some('i' | 'e' | 'ê' | 'y'))
}

fn is_rhyme(rhyme: &str) -> bool {
    RHYMES.binary_search(&rhyme).is_ok()
}

/// True when `onset` + `rhyme` is a spelling Vietnamese uses.
fn fits(onset: &str, rhyme: &str) -> bool {
    match onset {
        // `qu` is `q` + the medial `u`: `quốc`, `quyết`, `quân`, `quý`.
        "qu" => {
            !rhyme.is_empty()
                && !matches!(rhyme.chars().next(), Some('u' | 'ư' | 'o'))
                && (is_rhyme(rhyme) || is_rhyme(&format!("u{rhyme}")))
        }
        _ if !is_rhyme(rhyme) => false,
        "k" => starts_with_front_vowel(rhyme),
        "gh" | "ngh" => matches!(rhyme.chars().next(), Some('i' | 'e' | 'ê')),
        "c" | "ng" => !starts_with_front_vowel(rhyme),
        "g" => !matches!(rhyme.chars().next(), Some('e' | 'ê')),
        _ => true,
    }
}

/// True when `word` is spelled as a Vietnamese syllable (any case, NFC or NFD, either tone-mark
/// placement).
pub fn is_syllable(word: &str) -> bool {
    if word.is_empty() || word.len() > 32 {
        return false;
    }
    let Some((letters, tone)) = letters_and_tone(word) else {
        return false;
    };
    let stop = ["c", "ch", "p", "t"].iter().any(|f| letters.ends_with(f));
    if stop && !matches!(tone, Some(Tone::Acute | Tone::Dot)) {
        return false;
    }
    ONSETS.iter().any(|onset| {
        letters
            .strip_prefix(onset)
            .is_some_and(|rhyme| fits(onset, rhyme))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rhymes_are_sorted_for_binary_search() {
        assert!(RHYMES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn words_of_a_press_release_are_syllables() {
        let text = "Việt Nam và Hàn Quốc ký biên bản ghi nhớ hợp tác về an toàn thông tin, \
                    chính phủ điện tử và chuyển đổi số; Bộ trưởng nhấn mạnh nguồn nhân lực, \
                    khuyến khích doanh nghiệp nghiên cứu, quyết tâm giữ gìn những thành quả";
        for w in text
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
        {
            assert!(is_syllable(w), "{w}");
        }
    }

    #[test]
    fn both_tone_placements_and_decomposed_text_are_accepted() {
        for w in [
            "hoá",
            "hóa",
            "thuỷ",
            "thủy",
            "khoẻ",
            "khỏe",
            "ho\u{31b}\u{323}p",
        ] {
            assert!(is_syllable(w), "{w}");
        }
    }

    #[test]
    fn capitals_are_accepted() {
        assert!(is_syllable("QUỐC"));
        assert!(is_syllable("Đà"));
        assert!(is_syllable("NGHIÊNG"));
    }

    #[test]
    fn mojibake_is_rejected() {
        // TCVN3 `Hîp t¸c` and VNI `Vieät Nam` read as if they were Windows-1258 or Latin-1.
        for w in ["Hîp", "Vieät", "Thaønh", "caùc", "®−îc", "ViÖt", "Hμ"] {
            assert!(!is_syllable(w), "{w}");
        }
    }

    #[test]
    fn stop_finals_take_only_acute_or_dot() {
        assert!(is_syllable("tác"));
        assert!(is_syllable("hợp"));
        assert!(!is_syllable("tàc"));
        assert!(!is_syllable("hỏp"));
        assert!(!is_syllable("tac"));
    }

    #[test]
    fn onset_spelling_rules() {
        assert!(is_syllable("kế"));
        assert!(!is_syllable("kà"));
        assert!(is_syllable("nghề"));
        assert!(!is_syllable("ngề"));
        assert!(!is_syllable("nghà"));
        assert!(is_syllable("gì"));
        assert!(is_syllable("giữa"));
        assert!(!is_syllable("gè"));
        assert!(is_syllable("quý"));
        assert!(!is_syllable("qá"));
    }

    #[test]
    fn two_tones_or_a_tone_on_a_consonant_are_rejected() {
        assert!(!is_syllable("ca\u{301}\u{301}"));
        assert!(!is_syllable("ha\u{300}\u{301}n"));
        assert!(!is_syllable("n\u{301}a"));
        assert!(!is_syllable("đ\u{301}"));
    }

    #[test]
    fn foreign_words_and_odd_letters_are_rejected() {
        for w in ["Korea", "café", "façade", "wifi", "straße", "日本"] {
            assert!(!is_syllable(w), "{w}");
        }
    }
}
