//! Legacy encodings end to end: real Vietnamese text encoded with each table, hand-made files in
//! `tests/fixtures/encodings/`, and the syllable grammar the detector relies on, measured against
//! closed syllable lists.

use std::path::{Path, PathBuf};

use hoptac_analyzer::decode::{self, decode, decode_declared, tcvn3, vni};
use hoptac_analyzer::orthography::is_syllable;
use unicode_normalization::char::{compose, decompose_canonical};
use unicode_normalization::UnicodeNormalization;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixtures() -> PathBuf {
    repo().join("tests/fixtures/encodings")
}

/// The bundled press releases, NFC.
fn corpus_texts() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(repo().join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap().nfc().collect();
            (p.file_name().unwrap().to_string_lossy().into_owned(), text)
        })
        .collect();
    out.sort();
    assert!(out.len() >= 5);
    out
}

/// Windows' way of writing Vietnamese in code page 1258: letters with their vowel-quality mark
/// precomposed, tones as combining marks.
fn windows_1258(text: &str) -> Vec<u8> {
    let mut staged = String::new();
    for c in text.chars() {
        let mut parts = Vec::new();
        decompose_canonical(c, |d| parts.push(d));
        let mut base = parts[0];
        let mut tones = Vec::new();
        for &m in &parts[1..] {
            match compose(base, m) {
                Some(q) if matches!(m, '\u{302}' | '\u{306}' | '\u{31b}') => base = q,
                _ => tones.push(m),
            }
        }
        staged.push(base);
        staged.extend(tones);
    }
    let (bytes, _, errors) = encoding_rs::WINDOWS_1258.encode(&staged);
    assert!(!errors, "not encodable in Windows-1258");
    bytes.into_owned()
}

#[test]
fn bundled_press_releases_round_trip_through_vni_and_windows_1258() {
    for (name, text) in corpus_texts() {
        for (bytes, encoding) in [
            (vni::encode(&text).unwrap(), decode::VNI),
            (windows_1258(&text), decode::WINDOWS_1258),
        ] {
            let d = decode(&bytes).unwrap_or_else(|e| panic!("{name} in {encoding}: {e}"));
            assert_eq!(d.encoding, encoding, "{name}");
            assert!(d.text == text, "{name} in {encoding} decodes differently");
        }
    }
}

#[test]
fn bundled_press_releases_round_trip_through_tcvn3_but_for_toned_capitals() {
    for (name, text) in corpus_texts() {
        let d = decode(&tcvn3::encode(&text).unwrap()).unwrap();
        assert_eq!(d.encoding, decode::TCVN3, "{name}");
        // TCVN3 has no code for a capital with a tone (`Ủ`): it is written, and read, in lower case.
        let toned_capitals = text
            .chars()
            .filter(|c| c.is_uppercase() && c.nfd().count() > 1)
            .filter(|c| !"ĂÂÊÔƠƯ".contains(*c))
            .count();
        let differing = d.text.chars().zip(text.chars()).filter(|(a, b)| a != b);
        assert!(
            differing.clone().all(|(a, b)| b.to_lowercase().eq([a])),
            "{name}"
        );
        assert!(differing.count() <= toned_capitals, "{name}");
        assert_eq!(d.text.chars().count(), text.chars().count(), "{name}");
    }
}

/// (fixture, the encoding it is in)
const TEXT_FIXTURES: [(&str, &str); 3] = [
    ("bo-tttt-han-quoc-2010.txt", decode::TCVN3),
    ("so-tttt-nhat-ban-2008.txt", decode::VNI),
    ("ktxh-lao-2005.txt", decode::WINDOWS_1258),
];

#[test]
fn hand_made_text_files_decode_to_their_originals() {
    for (name, encoding) in TEXT_FIXTURES {
        let bytes = std::fs::read(fixtures().join("corpus").join(name)).unwrap();
        assert!(std::str::from_utf8(&bytes).is_err(), "{name} is not UTF-8");
        let expected = std::fs::read_to_string(fixtures().join("expected").join(name)).unwrap();
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, encoding, "{name}");
        assert_eq!(d.text.replace("\r\n", "\n"), expected, "{name}");
    }
}

#[test]
fn hand_made_pages_decode_with_their_declared_charset() {
    for (name, label, encoding) in [
        ("trang-cp1258.html", "windows-1258", decode::WINDOWS_1258),
        // An old page: Latin-1 declared, TCVN3 bytes drawn by a `.VnTime` font.
        ("trang-tcvn3.html", "iso-8859-1", decode::TCVN3),
    ] {
        let bytes = std::fs::read(fixtures().join("corpus").join(name)).unwrap();
        let expected = std::fs::read_to_string(
            fixtures()
                .join("expected")
                .join(name.replace(".html", ".txt")),
        )
        .unwrap();
        let d = decode_declared(&bytes, Some(label)).unwrap();
        assert_eq!(d.encoding, encoding, "{name}");
        for line in expected.lines() {
            assert!(d.text.contains(line), "{name}: {line}");
        }
    }
}

#[test]
fn every_byte_pair_decodes_to_nfc_in_every_legacy_table() {
    // Every single byte, and every byte pair, in each legacy decoder: no panic, NFC out.
    for a in 0..=255u8 {
        for b in 0..=255u8 {
            for decoder in decode::LEGACY {
                let text = (decoder.decode)(&[a, b]);
                assert!(unicode_normalization::is_nfc(&text));
            }
        }
    }
}

fn syllables_of(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphabetic() || unicode_normalization::char::is_combining_mark(c)))
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

#[test]
fn the_grammar_accepts_the_syllables_of_words_txt() {
    let words = std::fs::read_to_string(repo().join("index-config/words.txt")).unwrap();
    let mut all: Vec<String> = words
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(syllables_of)
        .filter(|s| !s.is_ascii())
        .collect();
    all.sort();
    all.dedup();
    let rejected: Vec<&String> = all.iter().filter(|s| !is_syllable(s)).collect();
    assert!(all.len() > 4_000);
    // Loans (`blốc`, `ôxy`, `tigôn`) are the only misses.
    assert!(
        rejected.len() * 100 < all.len(),
        "{} rejected: {rejected:?}",
        rejected.len()
    );
}

/// A file of the shared lexicon that sits beside the repository (`../shared/lexicon`), which a clone
/// alone does not have: without it the test says it is skipped and why, unless
/// `HOPTAC_REQUIRE_SHARED` is set (CI sets it, so there the test always runs).
fn shared_lexicon(file: &str) -> Option<String> {
    let path = repo().join("../shared/lexicon").join(file);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if std::env::var_os("HOPTAC_REQUIRE_SHARED").is_none() => {
            eprintln!(
                "skipped: {} is not here ({e}); it is GPL and never bundled, so this test runs \
                 only where the shared lexicon sits beside the repository",
                path.display()
            );
            None
        }
        Err(e) => panic!("{}: {e} (HOPTAC_REQUIRE_SHARED is set)", path.display()),
    }
}

#[test]
fn the_grammar_accepts_hunspell_vi_syllables() {
    // hunspell-vi is GPL: read from the shared lexicon at test time, never bundled.
    let Some(list) = shared_lexicon("hunspell-vi/syllables.txt") else {
        return;
    };
    let syllables: Vec<&str> = list
        .lines()
        .map(str::trim)
        .filter(|s| !s.is_empty() && !s.chars().all(|c| c.is_ascii_uppercase()))
        .collect();
    let rejected: Vec<&&str> = syllables.iter().filter(|s| !is_syllable(s)).collect();
    assert!(syllables.len() > 6_000);
    assert!(
        rejected.len() * 100 < syllables.len(),
        "{} rejected: {rejected:?}",
        rejected.len()
    );
}

#[test]
fn the_grammar_rejects_what_wrong_tables_make_of_real_text() {
    // The bundled press releases decoded with the wrong table: few accented words survive.
    for (name, text) in corpus_texts() {
        let tcvn = tcvn3::encode(&text).unwrap();
        let vni = vni::encode(&text).unwrap();
        for wrong in [
            vni::decode(&tcvn),
            tcvn3::decode(&vni),
            decode::windows1258::decode(&tcvn),
        ] {
            let share = decode::detect::Score::of(&wrong).share().unwrap();
            assert!(share < 0.3, "{name}: {share}");
        }
    }
}
