//! The decoder on arbitrary bytes: it never panics, and whatever it accepts is non-empty NFC text
//! in the encoding it names. The first byte also picks a declared charset, to fuzz that path.
#![no_main]

use hoptac_analyzer::decode::{decode, decode_declared, LEGACY};
use libfuzzer_sys::fuzz_target;
use unicode_normalization::is_nfc;

const LABELS: [&str; 8] = [
    "windows-1258",
    "iso-8859-1",
    "utf-8",
    "tcvn3",
    "vni",
    "shift_jis",
    "utf-16le",
    "no-such-charset",
];

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = decode(data) {
        assert!(is_nfc(&d.text));
        assert!(!d.text.trim().is_empty());
    }
    if let Some((&first, rest)) = data.split_first() {
        let label = LABELS[usize::from(first) % LABELS.len()];
        if let Ok(d) = decode_declared(rest, Some(label)) {
            assert!(is_nfc(&d.text));
        }
    }
    for candidate in LEGACY {
        assert!(is_nfc(&(candidate.decode)(data)));
    }
});
