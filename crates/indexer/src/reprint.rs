//! Reprints: one release published again by other outlets, found as it is indexed.
//!
//! The press copies: baomoi aggregates the same Vietnam News Agency story from a dozen papers, each
//! with its own header, footer and date. A reader wants it once. So each document gets a *reprint
//! group* when it is indexed: the group of the first document already in the index (or in the same
//! batch) whose text it shares — its own id when there is none. The group is stored with the
//! document, so it survives incremental indexing, POST and DELETE (a member deleted leaves the
//! others their group), and search collapses a group to its best-ranked member.
//!
//! **How texts are compared.** A text is cut into shingles of [`SHINGLE`] consecutive words
//! (normalised as the analyzer does: NFC, one tone placement, lower case), each hashed to 64 bits
//! by a fixed function (FNV-1a and a SplitMix64 finish: the same on every machine and version, since
//! sketches are stored). The [`SKETCH`] smallest distinct hashes are the text's *sketch* (a bottom-k
//! MinHash), from which the Jaccard similarity of two shingle sets is estimated: among the `k`
//! smallest hashes of the union of two sketches, the share that is in both. Two texts are reprints
//! when it is at least [`THRESHOLD`].
//!
//! **How candidates are found.** Texts alike share their smallest hashes: the [`KEYS`] smallest of a
//! sketch are indexed as terms (`near`), and a new text is compared only with the documents that
//! have one of its own (at most [`MAX_CANDIDATES`] per term, so a boilerplate shingle common to
//! thousands of texts costs nothing). Texts of fewer than [`MIN_SHINGLES`] shingles (a headline and
//! a paragraph, about 55 words) are never grouped: too short to tell a reprint from a template.

use std::collections::{HashMap, HashSet};

use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Searcher, Term, TERMINATED};

use crate::schema::Fields;

/// Words in a shingle.
pub const SHINGLE: usize = 5;
/// Hashes kept in a sketch.
pub const SKETCH: usize = 64;
/// Smallest hashes of a sketch indexed as lookup terms.
pub const KEYS: usize = 6;
/// Estimated Jaccard similarity from which two texts are reprints of one release.
pub const THRESHOLD: f64 = 0.5;
/// Documents examined per lookup term.
pub const MAX_CANDIDATES: usize = 32;
/// A text with fewer shingles is never grouped.
pub const MIN_SHINGLES: usize = 50;

/// The bottom-k sketch of a text's shingles (ascending, distinct).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sketch {
    hashes: Vec<u64>,
    shingles: usize,
}

/// FNV-1a over bytes: a fixed, stable hash.
fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Whether `c` belongs to a word (letters and digits, as `char::is_alphanumeric`), without the
/// Unicode tables for ASCII and the Latin blocks Vietnamese is written in.
#[inline]
fn is_word_char(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphanumeric(),
        0xD7 | 0xF7 => false,
        0xC0..=0x24F | 0x1E00..=0x1EFF => true,
        _ => c.is_alphanumeric(),
    }
}

/// Calls `each` with every word of `text`: the runs of letters and digits, as
/// `text.split(|c: char| !c.is_alphanumeric())` without the empty pieces.
fn for_each_word<'a>(text: &'a str, mut each: impl FnMut(&'a str)) {
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                each(&text[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        each(&text[s..]);
    }
}

/// The hash of a word's normalised form (the analyzer's: NFC, lower case, one tone placement). An
/// ASCII word's form is its lower case, hashed as it is read, without a copy.
fn word_hash(word: &str, buf: &mut String) -> u64 {
    if word.is_ascii() {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in word.bytes() {
            h ^= b.to_ascii_lowercase() as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        return h;
    }
    buf.clear();
    hoptac_analyzer::normalize_into(word, buf);
    fnv(buf.as_bytes())
}

/// SplitMix64's finish: spreads a combination of word hashes over all 64 bits.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Sketch {
    /// The sketch of `text`.
    pub fn of(text: &str) -> Sketch {
        let mut words: Vec<u64> = Vec::new();
        let mut buf = String::new();
        for_each_word(text, |w| words.push(word_hash(w, &mut buf)));
        let mut hashes: Vec<u64> = words
            .windows(SHINGLE)
            .map(|ws| {
                mix(ws
                    .iter()
                    .fold(0u64, |h, &w| h.rotate_left(13).wrapping_mul(31) ^ w))
            })
            .collect();
        let shingles = hashes.len();
        hashes.sort_unstable();
        hashes.dedup();
        hashes.truncate(SKETCH);
        Sketch { hashes, shingles }
    }

    /// Whether the text is long enough to be grouped.
    pub fn groupable(&self) -> bool {
        self.shingles >= MIN_SHINGLES
    }

    /// The lookup terms: the smallest hashes, as hex.
    pub fn keys(&self) -> impl Iterator<Item = String> + '_ {
        self.hashes.iter().take(KEYS).map(|h| format!("{h:016x}"))
    }

    /// The sketch as bytes (little-endian hashes), to store.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.hashes.iter().flat_map(|h| h.to_le_bytes()).collect()
    }

    /// A stored sketch.
    pub fn from_bytes(bytes: &[u8]) -> Sketch {
        let hashes: Vec<u64> = bytes
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
            .collect();
        // Stored sketches are only of groupable texts.
        Sketch {
            shingles: MIN_SHINGLES.max(hashes.len()),
            hashes,
        }
    }

    /// Estimated Jaccard similarity of the two texts' shingle sets.
    pub fn similarity(&self, other: &Sketch) -> f64 {
        let (a, b) = (&self.hashes, &other.hashes);
        let k = SKETCH.min(a.len().max(b.len()));
        if k == 0 {
            return 0.0;
        }
        // Walk the union in order, k smallest, counting the hashes in both.
        let (mut i, mut j, mut seen, mut both) = (0, 0, 0, 0);
        while seen < k && (i < a.len() || j < b.len()) {
            match (a.get(i), b.get(j)) {
                (Some(x), Some(y)) if x == y => {
                    both += 1;
                    i += 1;
                    j += 1;
                }
                (Some(x), Some(y)) if x < y => i += 1,
                (Some(_), Some(_)) => j += 1,
                (Some(_), None) => i += 1,
                (None, _) => j += 1,
            }
            seen += 1;
        }
        both as f64 / seen as f64
    }
}

/// A 64-bit key of a group id, for collapsing by a fast field.
pub fn group_key(group: &str) -> u64 {
    mix(fnv(group.as_bytes()))
}

/// Assigns reprint groups as documents are written: looks in the committed index and in the batch
/// not yet committed.
#[derive(Debug, Default)]
pub struct Grouper {
    /// Lookup term → (group, sketch) of the documents written since the last commit.
    pending: HashMap<String, Vec<(String, Sketch)>>,
}

impl Grouper {
    /// The group of document `id` with `sketch`: the group of the most similar document at or past
    /// [`THRESHOLD`], else `id` itself.
    pub fn assign(
        &mut self,
        searcher: &Searcher,
        fields: &Fields,
        id: &str,
        sketch: &Sketch,
    ) -> tantivy::Result<String> {
        if !sketch.groupable() {
            return Ok(id.to_string());
        }
        let mut best: Option<(f64, String)> = None;
        // Whether a candidate this similar would take the place of the best so far (the first of
        // equals stays).
        let better = |best: &Option<(f64, String)>, sim: f64| {
            sim >= THRESHOLD && best.as_ref().is_none_or(|(s, _)| sim > *s)
        };
        // Nothing beats an identical text: the first found ends the search.
        let settled = |best: &Option<(f64, String)>| best.as_ref().is_some_and(|(s, _)| *s >= 1.0);
        // Reprints share most of their lookup terms: each candidate of the index is read once
        // however many terms find it, its sketch first, its id and group only when it would be
        // the best (each is a lookup in a column's dictionary, the cost of grouping at scale).
        let mut examined: HashSet<(usize, DocId)> = HashSet::new();
        for key in sketch.keys() {
            for (group, other) in self.pending.get(&key).into_iter().flatten() {
                let sim = sketch.similarity(other);
                if better(&best, sim) {
                    best = Some((sim, group.clone()));
                }
            }
            if settled(&best) {
                break;
            }
            let term = Term::from_field_text(fields.near, &key);
            for (s, segment) in searcher.segment_readers().iter().enumerate() {
                let Some(mut postings) = segment
                    .inverted_index(fields.near)?
                    .read_postings(&term, IndexRecordOption::Basic)?
                else {
                    continue;
                };
                let fast = segment.fast_fields();
                let (Some(ids), Some(groups), Some(sketches)) =
                    (fast.str("id")?, fast.str("group")?, fast.bytes("sketch")?)
                else {
                    continue;
                };
                let alive = segment.alive_bitset();
                let mut seen = 0;
                let (mut text, mut bytes) = (String::new(), Vec::new());
                let mut doc = postings.doc();
                while doc != TERMINATED && seen < MAX_CANDIDATES && !settled(&best) {
                    if alive.is_none_or(|a| a.is_alive(doc)) {
                        seen += 1;
                        if examined.insert((s, doc)) {
                            bytes.clear();
                            let stored = sketches.term_ords(doc).next().is_some_and(|o| {
                                sketches.ord_to_bytes(o, &mut bytes).unwrap_or(false)
                            });
                            let sim = if stored {
                                sketch.similarity(&Sketch::from_bytes(&bytes))
                            } else {
                                0.0
                            };
                            if better(&best, sim) {
                                text.clear();
                                // Its own earlier version does not make it a reprint.
                                let own = ids.term_ords(doc).next().is_some_and(|o| {
                                    ids.ord_to_str(o, &mut text).unwrap_or(false) && text == id
                                });
                                text.clear();
                                let grouped = groups.term_ords(doc).next().is_some_and(|o| {
                                    groups.ord_to_str(o, &mut text).unwrap_or(false)
                                });
                                if !own && grouped {
                                    best = Some((sim, text.clone()));
                                }
                            }
                        }
                    }
                    doc = postings.advance();
                }
            }
        }
        let group = best.map_or_else(|| id.to_string(), |(_, g)| g);
        for key in sketch.keys() {
            self.pending
                .entry(key)
                .or_default()
                .push((group.clone(), sketch.clone()));
        }
        Ok(group)
    }

    /// The batch is committed (and the searcher will see it): forget it.
    pub fn committed(&mut self) {
        self.pending.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RELEASE: &str = "Chiều 14/5, tại Hà Nội, Bộ trưởng Bộ Thông tin và Truyền thông đã tiếp \
        Thứ trưởng Bộ Hành chính và An ninh công cộng Hàn Quốc. Hai bên trao đổi về hợp tác trong \
        lĩnh vực chính phủ điện tử, an toàn thông tin và phát triển nguồn nhân lực công nghệ thông \
        tin. Bộ trưởng đề nghị phía Hàn Quốc tiếp tục hỗ trợ Việt Nam xây dựng các hệ thống thông \
        tin quốc gia, chia sẻ kinh nghiệm về bảo đảm an toàn thông tin mạng.";

    /// The words and their hashes as first written: split by the Unicode tables, every word
    /// normalised into a buffer.
    fn words_as_first_written(text: &str) -> Vec<u64> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| fnv(hoptac_analyzer::normalize(w).as_bytes()))
            .collect()
    }

    #[test]
    fn the_fast_word_test_agrees_with_the_unicode_tables() {
        for c in (0..=0x1FFF).filter_map(char::from_u32) {
            assert_eq!(
                is_word_char(c),
                c.is_alphanumeric(),
                "{c:?} U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn words_are_cut_and_hashed_as_the_tables_and_the_analyzer_say() {
        let texts = [
            RELEASE,
            "HÀN QUỐC – Việt Nam: 2.500 tỷ đồng (≈ 100 triệu USD); ½ số vốn, № 3, x² × y ÷ z",
            "Hoa\u{300} ho\u{301}a TIN HỌC HOÁ tin học hóa Ωmega straße İstanbul ǅemal µm",
            "",
            "...,,",
            "a",
        ];
        for text in texts {
            let mut buf = String::new();
            let mut words = Vec::new();
            for_each_word(text, |w| words.push(word_hash(w, &mut buf)));
            assert_eq!(words, words_as_first_written(text), "{text}");
        }
    }

    #[test]
    fn a_reprint_with_another_header_and_footer_is_alike() {
        let a = Sketch::of(&format!("Báo Tin tức\n{RELEASE}\nTheo TTXVN"));
        let b = Sketch::of(&format!(
            "{RELEASE}\nNguồn: Báo Điện tử Chính phủ. Xem thêm tin khác."
        ));
        assert!(a.groupable() && b.groupable());
        assert!(a.similarity(&b) >= THRESHOLD, "{}", a.similarity(&b));
    }

    #[test]
    fn another_article_on_the_same_event_is_not() {
        let other = "Ngày 14/5, Thứ trưởng Bộ Hành chính và An ninh công cộng Hàn Quốc đã có buổi \
            làm việc với lãnh đạo Bộ Thông tin và Truyền thông. Tại buổi làm việc, phía Hàn Quốc \
            giới thiệu chương trình hỗ trợ đào tạo cán bộ về chính phủ điện tử năm 2010 và đề xuất \
            ký kết bản ghi nhớ mới về hợp tác an toàn thông tin giữa hai bộ trong thời gian tới.";
        let a = Sketch::of(RELEASE);
        let b = Sketch::of(other);
        assert!(a.similarity(&b) < THRESHOLD, "{}", a.similarity(&b));
    }

    #[test]
    fn tone_placement_and_case_do_not_make_texts_differ() {
        let a = Sketch::of(RELEASE);
        let b = Sketch::of(&RELEASE.replace("hóa", "hoá").to_uppercase());
        assert_eq!(a.similarity(&b), 1.0);
    }

    #[test]
    fn a_short_text_is_never_grouped() {
        assert!(!Sketch::of("Hàn Quốc hỗ trợ Việt Nam").groupable());
    }

    #[test]
    fn sketches_survive_storage() {
        let a = Sketch::of(RELEASE);
        assert_eq!(Sketch::from_bytes(&a.to_bytes()).similarity(&a), 1.0);
    }

    #[test]
    fn the_hash_is_fixed() {
        // Stored sketches and group keys must mean the same to every later build (values from the
        // FNV-1a and SplitMix64 definitions, computed independently).
        assert_eq!(fnv(b"hop tac"), 0x4d95_3d86_e202_7c14);
        assert_eq!(group_key("a.txt"), 0xf83b_0e52_2941_30e1);
    }
}
