//! One canonical tone-mark placement.
//!
//! Vietnamese has two spelling conventions for where the tone mark sits in the open syllables with the
//! nuclei `oa`, `oe` and `uy`: the traditional one puts it on the first vowel (`hóa`, `hòa`, `khỏe`,
//! `thủy`), the "new" one on the second (`hoá`, `hoà`, `khoẻ`, `thuỷ`). Ministries, newspapers and word
//! lists use both, often in one document. hoptac writes every such syllable the traditional way, the
//! spelling of most dictionaries, CLDR and the Vietnamese treebank. Nothing else moves: a syllable with
//! a final consonant (`hoàng`, `toán`), `qu`/`gi` onsets (`quý`, `giữa`) and every other nucleus
//! (`quốc`, `tuổi`) keep their marks where they are.
//!
//! Before: `"hoá"`, `"hoà"`, `"thuỷ"`, `"khoẻ"`, `"Thuỵ"`. After: `"hóa"`, `"hòa"`, `"thủy"`,
//! `"khỏe"`, `"Thụy"`.

use unicode_normalization::char::decompose_canonical;
use unicode_normalization::UnicodeNormalization;

use crate::filter::TokenRule;

/// Moves tone marks to the canonical (traditional) vowel.
#[derive(Clone, Copy, Debug, Default)]
pub struct CanonicalTone;

impl TokenRule for CanonicalTone {
    fn apply(&self, input: &str, out: &mut String) {
        canonical_tone_into(input, out);
    }
}

const TONE_MARKS: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

/// Precomposed `a`, `e` and `y` with a tone: the letters a syllable whose tone may need moving ends in.
const TONED_FINALS: &str = "áàảãạéèẻẽẹýỳỷỹỵÁÀẢÃẠÉÈẺẼẸÝỲỶỸỴ";

/// True when canonical placement might change `input`: some syllable ends in a toned `a`, `e` or `y`
/// or carries a separate tone mark. False for almost all text, which can then be left alone.
pub fn may_move(input: &str) -> bool {
    if input.is_ascii() {
        return false;
    }
    let toned_final = |c: char| TONED_FINALS.contains(c);
    let mut prev: Option<char> = None;
    for c in input.chars() {
        if TONE_MARKS.contains(&c) {
            return true;
        }
        let letter = crate::letters::is_alphabetic(c);
        if !letter && prev.is_some_and(toned_final) {
            return true;
        }
        prev = Some(c);
    }
    prev.is_some_and(toned_final)
}

/// `input` with the tone marks of every syllable in canonical position.
pub fn canonical_tone(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    canonical_tone_into(input, &mut out);
    out
}

/// Writes `input` with canonical tone placement into `out`; letter runs are treated as syllables.
pub fn canonical_tone_into(input: &str, out: &mut String) {
    if !may_move(input) {
        out.push_str(input);
        return;
    }
    let mut start = None;
    for (i, c) in input.char_indices() {
        let letter = crate::letters::is_alphabetic(c) || crate::letters::is_combining_mark(c);
        match (letter, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                syllable_into(&input[s..i], out);
                start = None;
                out.push(c);
            }
            (false, None) => out.push(c),
            (true, Some(_)) => {}
        }
    }
    if let Some(s) = start {
        syllable_into(&input[s..], out);
    }
}

struct Letter {
    base: char,
    quality: bool,
    marks: Vec<char>,
    tone: Option<char>,
}

fn syllable_into(syllable: &str, out: &mut String) {
    match retoned(syllable) {
        Some(fixed) => out.push_str(&fixed),
        None => out.push_str(syllable),
    }
}

/// The syllable with its tone moved, or `None` when it is already canonical (the common case).
fn retoned(syllable: &str) -> Option<String> {
    // Only a syllable ending in a toned `a`, `e` or `y` (or in a bare tone mark, NFD) can have its
    // tone on the wrong vowel; most syllables are rejected here without decomposing anything.
    if !may_move(syllable) || syllable.chars().count() > 8 {
        return None;
    }
    let mut letters: Vec<Letter> = Vec::with_capacity(8);
    for c in syllable.chars() {
        let mut decomposed = Vec::with_capacity(3);
        decompose_canonical(c, |d| decomposed.push(d));
        let (base, marks) = decomposed.split_first()?;
        if unicode_normalization::char::is_combining_mark(*base) {
            // A bare combining mark (NFD input): attach it to the previous letter.
            let last = letters.last_mut()?;
            attach(last, *base);
            for m in marks {
                attach(last, *m);
            }
            continue;
        }
        let mut letter = Letter {
            base: *base,
            quality: false,
            marks: Vec::new(),
            tone: None,
        };
        for m in marks {
            attach(&mut letter, *m);
        }
        letters.push(letter);
    }
    let tones = letters.iter().filter(|l| l.tone.is_some()).count();
    if tones != 1 {
        return None;
    }
    let lower: Vec<char> = letters
        .iter()
        .map(|l| l.base.to_lowercase().next().unwrap_or(l.base))
        .collect();
    let is_vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    let mut first = lower.iter().position(|&c| is_vowel(c))?;
    // `qu` and `gi` are onsets: their second letter is not part of the nucleus.
    if first == 1 && (lower[0] == 'q' && lower[1] == 'u' || lower[0] == 'g' && lower[1] == 'i') {
        first = 2;
    }
    // The nucleus must be exactly two vowels and end the syllable (an open syllable).
    if first + 2 != letters.len() {
        return None;
    }
    let pair = (lower[first], lower[first + 1]);
    if !matches!(pair, ('o', 'a') | ('o', 'e') | ('u', 'y')) {
        return None;
    }
    if letters[first].quality || letters[first + 1].quality {
        return None;
    }
    let tone = letters[first + 1].tone.take()?;
    letters[first].tone = Some(tone);
    let mut decomposed = String::with_capacity(syllable.len() + 2);
    for l in &letters {
        decomposed.push(l.base);
        decomposed.extend(l.marks.iter());
        decomposed.extend(l.tone);
    }
    Some(decomposed.nfc().collect())
}

fn attach(letter: &mut Letter, mark: char) {
    if TONE_MARKS.contains(&mark) {
        letter.tone = Some(mark);
    } else {
        letter.quality = true;
        letter.marks.push(mark);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hoa_with_acute_moves_to_first_vowel() {
        assert_eq!(canonical_tone("hoá"), "hóa");
        assert_eq!(canonical_tone("Tin học hoá"), "Tin học hóa");
    }

    #[test]
    fn hoa_with_grave_moves_to_first_vowel() {
        assert_eq!(canonical_tone("hoà bình"), "hòa bình");
    }

    #[test]
    fn thuy_with_hook_moves_to_u() {
        assert_eq!(canonical_tone("thuỷ"), "thủy");
    }

    #[test]
    fn khoe_with_hook_moves_to_o() {
        assert_eq!(canonical_tone("khoẻ"), "khỏe");
    }

    #[test]
    fn capitalised_thuy_dien_keeps_its_case() {
        assert_eq!(canonical_tone("Thuỵ Điển"), "Thụy Điển");
    }

    #[test]
    fn canonical_spellings_are_unchanged() {
        for w in ["hóa", "hòa", "thủy", "khỏe", "Thụy"] {
            assert_eq!(canonical_tone(w), w);
        }
    }

    #[test]
    fn qu_and_gi_onsets_are_not_nuclei() {
        assert_eq!(canonical_tone("quý"), "quý");
        assert_eq!(canonical_tone("giữa"), "giữa");
        assert_eq!(canonical_tone("quốc"), "quốc");
    }

    #[test]
    fn closed_syllables_are_unchanged() {
        assert_eq!(canonical_tone("hoàng"), "hoàng");
        assert_eq!(canonical_tone("toán"), "toán");
        assert_eq!(canonical_tone("khuyến"), "khuyến");
    }

    #[test]
    fn decomposed_input_is_handled() {
        assert_eq!(
            canonical_tone("hoa\u{301}").nfc().collect::<String>(),
            "hóa"
        );
    }

    #[test]
    fn only_toned_finals_or_bare_marks_may_move() {
        assert!(may_move("hoá") && may_move("thuỷ") && may_move("hoa\u{301}"));
        assert!(!may_move("hóa") && !may_move("Hàn Quốc") && !may_move("hợp tác"));
    }

    #[test]
    fn is_idempotent() {
        let once = canonical_tone("Tin học hoá, thuỷ lợi, khoẻ mạnh");
        assert_eq!(canonical_tone(&once), once);
    }
}
