//! Snippets: the passage of a document that best matches the query, with the matched words marked.
//!
//! The stored text is analysed with the same analyzer as at indexing time, so every offset points into
//! the text as written and a `<mark>` falls on `Tin học hóa` however the query spelled it. A syllable
//! typed with diacritics is marked where the text has that exact spelling; one typed without, wherever
//! its folded form occurs. A stop word is marked only inside a marked run. The passage is the window of
//! about `max_chars` characters with the most distinct matched words, cut at word boundaries.
//!
//! The work per document is bounded, whatever its length: highlights are looked for in the first
//! [`MAX_ANALYZED_BYTES`] of a text (a document page) and a snippet's in the first
//! [`SNIPPET_ANALYZED_BYTES`]; at most [`MAX_PASSAGES_SCORED`] windows are scored, each by a
//! binary search over the ordered highlights. A 14 MB file repeating the query's words once made
//! the window choice quadratic in its matches and held a search for minutes.

use std::ops::Range;

use hoptac_analyzer::fold::fold_into;
use hoptac_analyzer::letters::is_combining_mark;
use hoptac_analyzer::limit::char_prefix as prefix;
use hoptac_analyzer::{for_each_syllable, normalize_into, Kind};

use hoptac_analyzer::capitals::is_capitals;

use crate::query::{QTerm, Sequence};

/// Bytes of a text analysed for highlights (Elasticsearch's `highlight.max_analyzed_offset`
/// default): a document page marks the words in its first megabyte and shows the rest plain.
pub const MAX_ANALYZED_BYTES: usize = 1_000_000;

/// Bytes of a text searched for a hit's snippet: twice the longest press release of the 38,098
/// document corpus (50 KB). A longer text's snippet is drawn from its beginning.
pub const SNIPPET_ANALYZED_BYTES: usize = 100_000;

/// Candidate windows scored per snippet (one per highlight, in text order, up to this many).
pub const MAX_PASSAGES_SCORED: usize = 500;

/// A passage and the byte ranges (within it) to highlight.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Snippet {
    /// Plain text of the passage.
    pub text: String,
    /// Highlighted byte ranges of `text`, ordered, not overlapping.
    pub highlights: Vec<Range<usize>>,
    /// The passage starts inside the text.
    pub cut_start: bool,
    /// The passage ends before the end of the text.
    pub cut_end: bool,
}

/// Escapes text for HTML.
pub fn escape_html(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

impl Snippet {
    /// HTML: escaped text with `<mark>` around highlights and `…` where the text was cut.
    pub fn to_html(&self) -> String {
        let mut out = String::with_capacity(self.text.len() + 32);
        if self.cut_start {
            out.push('…');
        }
        let mut at = 0;
        for r in &self.highlights {
            escape_html(&self.text[at..r.start], &mut out);
            out.push_str("<mark>");
            escape_html(&self.text[r.clone()], &mut out);
            out.push_str("</mark>");
            at = r.end;
        }
        escape_html(&self.text[at..], &mut out);
        if self.cut_end {
            out.push('…');
        }
        out
    }
}

/// A token of a text that may be a query word: where it is and its two views (ranges into the
/// buffers they are written to).
struct Candidate {
    /// Its place among the text's tokens (the parts of a joined token not counted).
    ordinal: usize,
    /// Its bytes in the text.
    token: Range<usize>,
    /// Punctuation or a line break separates it from the token before.
    boundary_before: bool,
    /// Its exact view, in the buffer of exact views.
    exact: Range<usize>,
    /// Its folded view, in the buffer of folded views.
    folded: Range<usize>,
}

/// What to highlight: whole sequences of syllables (a word is marked only where all of it occurs).
#[derive(Clone, Debug)]
pub struct Highlighter {
    sequences: Vec<Sequence>,
    /// The query words' folded forms, sorted: a token is analysed only when it may be one.
    words: Vec<String>,
    /// The query words of at most 16 bytes (nearly all: a Vietnamese syllable has at most seven
    /// letters), each packed into one number, sorted: a token is compared with them as numbers.
    packed_words: Vec<u128>,
    /// The query words' byte lengths (one bit each, the last for 31 and longer), by first byte:
    /// most tokens of a text are ruled out by one lookup, never compared with a word.
    lengths_by_first_byte: [u32; 256],
    /// Their first letters, sorted (for tokens the letter-by-letter fold cannot read).
    firsts: Vec<char>,
    /// Their ASCII first letters, one bit each: most tokens of a text are ruled out by their first
    /// letter before the rest of them is folded.
    ascii_firsts: u128,
}

/// Whether a token of the text, as `written` and in its two views, is the query syllable `t`: its
/// spelling when typed with diacritics, any spelling when typed without, and only written in
/// capitals when the sequence is an acronym typed so.
fn matches(t: &QTerm, capitals: bool, written: &str, exact: &str, folded: &str) -> bool {
    let spelled = if t.diacritics {
        t.exact == exact
    } else {
        t.folded == folded
    };
    spelled && (!capitals || is_capitals(written))
}

/// A word of at most 16 bytes as one number (its bytes, zero-padded: a word holds no zero byte,
/// so two words are equal exactly when their numbers are); `None` for a longer word.
#[inline]
fn packed(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    let mut key = [0u8; 16];
    key.get_mut(..bytes.len())?.copy_from_slice(bytes);
    Some(u128::from_le_bytes(key))
}

/// A word's byte length as one bit of a `u32` (lengths of 31 bytes and more share the last).
#[inline]
fn length_bit(word: &str) -> u32 {
    1 << word.len().min(31)
}

/// The first letter of a token as its folded view begins: lower case, diacritics removed.
fn first_folded(token: &str, scratch: &mut String) -> Option<char> {
    let c = token.chars().next()?;
    let lower = c.to_lowercase().next().unwrap_or(c);
    if lower.is_ascii() {
        return Some(lower);
    }
    scratch.clear();
    fold_into(lower.encode_utf8(&mut [0; 4]), scratch);
    scratch.chars().next()
}

/// First code points of the two Unicode blocks Vietnamese text is written in, and their lengths:
/// Basic Latin to Latin Extended-B, and Latin Extended Additional (`ạ` … `ỹ`).
const LATIN: (u32, usize) = (0, 0x250);
const LATIN_ADDITIONAL: (u32, usize) = (0x1E00, 0x100);

/// Each letter of those blocks as the folded view writes it — lower case, without diacritics — or
/// `'\0'` where that is not one letter; made once by the analyzer's own functions.
fn folded_letters() -> &'static [Vec<char>; 2] {
    static TABLE: std::sync::OnceLock<[Vec<char>; 2]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        [LATIN, LATIN_ADDITIONAL].map(|(from, len)| {
            (from..from + len as u32)
                .map(|u| {
                    let Some(c) = char::from_u32(u) else {
                        return '\0';
                    };
                    let mut exact = String::new();
                    normalize_into(c.encode_utf8(&mut [0; 4]), &mut exact);
                    let folded = hoptac_analyzer::fold(&exact);
                    let mut chars = folded.chars();
                    match (chars.next(), chars.next()) {
                        (Some(f), None) => f,
                        _ => '\0',
                    }
                })
                .collect()
        })
    })
}

/// A token's folded view, letter by letter from [`folded_letters`], into `out`; false when a letter
/// is outside those blocks (the token then takes the whole analysis). Scanning a text for the
/// query's words, most tokens are ruled out by this alone, never normalised.
fn quick_fold(token: &str, out: &mut String) -> bool {
    out.clear();
    let table = folded_letters();
    for c in token.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        if is_combining_mark(c) {
            continue;
        }
        match fold_letter(table, c) {
            Some(folded) => out.push(folded),
            None => return false,
        }
    }
    true
}

/// A non-ASCII letter as the folded view writes it, from [`folded_letters`]; `None` when it is not
/// one letter of those blocks.
#[inline]
fn fold_letter(table: &[Vec<char>; 2], c: char) -> Option<char> {
    let u = c as u32;
    let folded = if u < LATIN.1 as u32 {
        table[0][u as usize]
    } else if (LATIN_ADDITIONAL.0..LATIN_ADDITIONAL.0 + LATIN_ADDITIONAL.1 as u32).contains(&u) {
        table[1][(u - LATIN_ADDITIONAL.0) as usize]
    } else {
        '\0'
    };
    (folded != '\0').then_some(folded)
}

impl Highlighter {
    /// From the query's sequences (see `Plan::highlight_sequences`), longest first.
    pub fn new(sequences: Vec<Sequence>) -> Self {
        let mut sequences = sequences;
        sequences.sort_by_key(|s| std::cmp::Reverse(s.terms.len()));
        let mut words: Vec<String> = sequences
            .iter()
            .flat_map(|s| &s.terms)
            .map(|t| t.folded.clone())
            .collect();
        words.sort_unstable();
        words.dedup();
        let mut firsts: Vec<char> = words.iter().filter_map(|w| w.chars().next()).collect();
        firsts.dedup();
        let mut lengths_by_first_byte = [0; 256];
        for w in &words {
            if let Some(&b) = w.as_bytes().first() {
                lengths_by_first_byte[b as usize] |= length_bit(w);
            }
        }
        let mut packed_words: Vec<u128> = words.iter().filter_map(|w| packed(w)).collect();
        packed_words.sort_unstable();
        let ascii_firsts = firsts
            .iter()
            .filter(|c| c.is_ascii())
            .fold(0u128, |bits, &c| bits | 1 << (c as u32));
        Highlighter {
            sequences,
            words,
            packed_words,
            lengths_by_first_byte,
            firsts,
            ascii_firsts,
        }
    }

    /// True when `token`'s first letter, folded, starts no query word (so the token is none of
    /// them); false when it may, or when the letter is outside the blocks the fold table reads.
    #[inline]
    fn ruled_out_by_first_letter(&self, token: &str) -> bool {
        let Some(c) = token.chars().next() else {
            return true;
        };
        let first = if c.is_ascii() {
            c.to_ascii_lowercase()
        } else {
            match fold_letter(folded_letters(), c) {
                Some(f) => f,
                None => return false,
            }
        };
        if first.is_ascii() {
            self.ascii_firsts & (1 << (first as u32)) == 0
        } else {
            self.firsts.binary_search(&first).is_err()
        }
    }

    /// False when no query word has `folded`'s first byte and length (true does not say it is one).
    #[inline]
    fn may_be_word(&self, folded: &str) -> bool {
        folded
            .as_bytes()
            .first()
            .is_some_and(|&b| self.lengths_by_first_byte[b as usize] & length_bit(folded) != 0)
    }

    /// Whether `folded` is one of the query words' folded forms.
    #[inline]
    fn is_word(&self, folded: &str) -> bool {
        match packed(folded) {
            Some(key) => self.packed_words.binary_search(&key).is_ok(),
            None => self
                .words
                .binary_search_by(|w| w.as_str().cmp(folded))
                .is_ok(),
        }
    }

    /// True when nothing would be highlighted.
    pub fn is_empty(&self) -> bool {
        self.sequences.is_empty()
    }

    /// Byte ranges of `text` to highlight, adjacent words merged into one range; only the first
    /// [`MAX_ANALYZED_BYTES`] are looked at.
    pub fn ranges(&self, text: &str) -> Vec<Range<usize>> {
        self.ranges_within(prefix(text, MAX_ANALYZED_BYTES))
    }

    fn ranges_within(&self, text: &str) -> Vec<Range<usize>> {
        // The tokens that may be query words, with both views, in one pass over the text (a
        // snippet is computed for every hit, so no allocation per token and none per text token:
        // only the few candidates are kept). A token whose letter-by-letter fold is no query word
        // cannot be one; a token of letters outside the Latin blocks is ruled out only when its
        // first letter, folded, starts no query word. Most of a text is never normalised.
        let mut scratch = String::new();
        let mut exact = String::new();
        let mut folded = String::new();
        let mut found: Vec<Candidate> = Vec::new();
        let mut ordinal = 0;
        for_each_syllable(text, |s| {
            if s.kind == Kind::Part {
                return;
            }
            ordinal += 1;
            let token = &text[s.from..s.to];
            if self.ruled_out_by_first_letter(token) {
                return;
            }
            let analyse = if quick_fold(token, &mut scratch) {
                self.may_be_word(&scratch) && self.is_word(&scratch)
            } else {
                first_folded(token, &mut scratch)
                    .is_some_and(|c| self.firsts.binary_search(&c).is_ok())
            };
            if !analyse {
                return;
            }
            let (e, f) = (exact.len(), folded.len());
            normalize_into(token, &mut exact);
            fold_into(&exact[e..], &mut folded);
            if folded.len() > f {
                found.push(Candidate {
                    ordinal,
                    token: s.from..s.to,
                    boundary_before: s.boundary_before,
                    exact: e..exact.len(),
                    folded: f..folded.len(),
                });
            }
        });
        let mut out: Vec<Range<usize>> = Vec::new();
        let mut i = 0;
        while i < found.len() {
            // A sequence of n words is n candidates of consecutive ordinals, no boundary inside.
            let hit = self.sequences.iter().find(|seq| {
                i + seq.terms.len() <= found.len()
                    && seq.terms.iter().enumerate().all(|(k, t)| {
                        let c = &found[i + k];
                        c.ordinal == found[i].ordinal + k
                            && (k == 0 || !c.boundary_before)
                            && matches(
                                t,
                                seq.capitals,
                                &text[c.token.clone()],
                                &exact[c.exact.clone()],
                                &folded[c.folded.clone()],
                            )
                    })
            });
            let Some(seq) = hit else {
                i += 1;
                continue;
            };
            let (from, to) = (
                found[i].token.start,
                found[i + seq.terms.len() - 1].token.end,
            );
            match out.last_mut() {
                Some(last) if text[last.end..from].chars().all(|c| c == ' ') => last.end = to,
                _ => out.push(from..to),
            }
            i += seq.terms.len();
        }
        out
    }

    /// The best passage of `text` of about `max_chars` characters, looked for in its first
    /// [`SNIPPET_ANALYZED_BYTES`].
    pub fn snippet(&self, text: &str, max_chars: usize) -> Snippet {
        let ranges = if self.is_empty() {
            Vec::new()
        } else {
            self.ranges_within(prefix(text, SNIPPET_ANALYZED_BYTES))
        };
        // Where `max_chars` characters from a start end: for the whole text's, each candidate
        // window's and the passage's.
        let mut window = WindowEnd::new(text, max_chars);
        if window.end(0) == text.len() {
            return Snippet {
                text: text.to_string(),
                highlights: ranges,
                cut_start: false,
                cut_end: false,
            };
        }
        // Each highlight's word, folded, as a small number: a window's distinct words are counted
        // without folding or allocating again per candidate window.
        let mut words: Vec<String> = Vec::new();
        let keys: Vec<usize> = ranges
            .iter()
            .map(|h| {
                let w = hoptac_analyzer::fold(&hoptac_analyzer::normalize(&text[h.clone()]));
                words.iter().position(|x| *x == w).unwrap_or_else(|| {
                    words.push(w);
                    words.len() - 1
                })
            })
            .collect();
        let mut seen = vec![false; words.len()];
        let mut best = (0usize, 0usize); // (score, start)
                                         // Window start candidates: the first highlights' starts; score = distinct words within.
        for r in ranges.iter().take(MAX_PASSAGES_SCORED) {
            let start = passage_start(text, r.start);
            let end = window.end(start);
            seen.iter_mut().for_each(|s| *s = false);
            let (mut distinct, mut count) = (0, 0);
            // The highlights are ordered: those inside the window are one run of them.
            let first = ranges.partition_point(|h| h.start < start);
            for (h, &k) in ranges[first..].iter().zip(&keys[first..]) {
                if h.end > end {
                    break;
                }
                count += 1;
                if !seen[k] {
                    seen[k] = true;
                    distinct += 1;
                }
            }
            let score = distinct * 100 + count;
            if score > best.0 {
                best = (score, start);
            }
        }
        let mut start = best.1;
        while start < text.len() && text[start..].starts_with(char::is_whitespace) {
            start += text[start..].chars().next().map_or(1, char::len_utf8);
        }
        let mut end = window.end(start);
        if end < text.len() {
            if let Some(sp) = text[start..end].rfind(char::is_whitespace) {
                if sp > 0 {
                    end = start + sp;
                }
            }
        }
        // A run of marked words longer than the passage is marked as far as the passage goes.
        let highlights = ranges
            .iter()
            .filter(|h| h.start < end && h.end > start)
            .map(|h| h.start.max(start) - start..h.end.min(end) - start)
            .collect();
        Snippet {
            text: text[start..end].to_string(),
            highlights,
            cut_start: start > 0,
            cut_end: end < text.len(),
        }
    }
}

/// The byte where a window of `max_chars` characters from a given start ends, for starts that
/// mostly move forward (the candidate windows of a text, in order): the end moves by as many
/// characters as the start did, so the text is walked about once instead of `max_chars`
/// characters per window.
struct WindowEnd<'a> {
    text: &'a str,
    max_chars: usize,
    /// The last start asked about and its end.
    last: Option<(usize, usize)>,
}

impl<'a> WindowEnd<'a> {
    fn new(text: &'a str, max_chars: usize) -> Self {
        WindowEnd {
            text,
            max_chars,
            last: None,
        }
    }

    fn end(&mut self, start: usize) -> usize {
        let text = self.text;
        let end = match self.last {
            Some((from, end)) if from <= start && end < text.len() => {
                let moved = text[from..start].chars().count();
                text[end..]
                    .char_indices()
                    .nth(moved)
                    .map_or(text.len(), |(i, _)| end + i)
            }
            Some((from, end)) if from <= start => end,
            _ => text[start..]
                .char_indices()
                .nth(self.max_chars)
                .map_or(text.len(), |(i, _)| start + i),
        };
        self.last = Some((start, end));
        end
    }
}

/// Where a passage showing a match at `at` starts: a little before it, at a sentence or word start.
fn passage_start(text: &str, at: usize) -> usize {
    let back = text[..at]
        .char_indices()
        .rev()
        .take(40)
        .last()
        .map_or(0, |(i, _)| i);
    text[back..at]
        .rfind(['.', '\n', '!', '?'])
        .map(|i| back + i + 1)
        .unwrap_or_else(|| text[back..at].find(' ').map_or(back, |i| back + i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::QueryContext;
    use hoptac_indexer::Config;

    fn highlighter(q: &str) -> Highlighter {
        Highlighter::new(
            QueryContext::new(&Config::builtin())
                .parse(q)
                .highlight_sequences(),
        )
    }

    /// A token is ruled out by its first letter folded as the folded view folds it: `Đà` may be
    /// `da` (đ is d), `Ấn` may be `an`, `Hà` is neither; a letter outside the fold table's blocks
    /// is never ruled out here.
    #[test]
    fn a_token_is_ruled_out_by_its_folded_first_letter() {
        let h = highlighter("da nang an toan");
        for may in ["Đà", "đà", "Ấn", "an", "Nẵng", "NẴNG", "toàn"] {
            assert!(!h.ruled_out_by_first_letter(may), "{may}");
        }
        for not in ["Hà", "hà", "Quốc", "Việt", "2010"] {
            assert!(h.ruled_out_by_first_letter(not), "{not}");
        }
        assert!(!h.ruled_out_by_first_letter("Ωmega"));
        let text = "Hội thảo tại Đà Nẵng về an toàn.";
        let at = |w: &str| text.find(w).unwrap()..text.find(w).unwrap() + w.len();
        assert_eq!(h.ranges(text), vec![at("Đà Nẵng"), at("an toàn")]);
    }

    /// A window's end carried from the last start is the end counted from the new start: every
    /// char boundary of a Vietnamese text as a start, forwards, then backwards (counted afresh).
    #[test]
    fn a_window_end_moved_with_its_start_is_the_end_counted_from_it() {
        let text = "Việt Nam – Hàn Quốc hợp tác xây dựng Chính phủ điện tử. Đoàn công tác";
        let counted = |start: usize, max: usize| {
            text[start..]
                .char_indices()
                .nth(max)
                .map_or(text.len(), |(i, _)| start + i)
        };
        let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        for max in [1, 7, 40, 200] {
            let mut window = WindowEnd::new(text, max);
            for &s in starts.iter().chain(starts.iter().rev()) {
                assert_eq!(window.end(s), counted(s, max), "start {s}, {max} chars");
            }
        }
    }

    /// The letter-by-letter fold agrees with the folded view wherever it answers: precomposed and
    /// decomposed (NFD) Vietnamese, capitals, `đ`; a letter outside the Latin blocks says so.
    #[test]
    fn the_quick_fold_agrees_with_the_folded_view() {
        let mut out = String::new();
        for word in [
            "Đường",
            "THÔNG",
            "Hàn",
            "Ha\u{300}n",
            "quốc",
            "Nghiêng",
            "İstanbul",
            "Ứng",
            "2024",
            "e-learning",
        ] {
            let folded = hoptac_analyzer::fold(&hoptac_analyzer::normalize(word));
            assert!(quick_fold(word, &mut out), "{word}");
            assert_eq!(out, folded, "{word}");
        }
        for word in ["한국", "Москва", "ＡＳＥＡＮ"] {
            assert!(!quick_fold(word, &mut out), "{word}");
        }
    }

    #[test]
    fn the_first_letter_test_agrees_with_the_folded_view() {
        let mut scratch = String::new();
        for word in [
            "Đà",
            "đường",
            "Ấn",
            "Ứng",
            "A\u{301}",
            "ích",
            "İstanbul",
            "2024",
            "ＡＳＥＡＮ",
        ] {
            let folded = hoptac_analyzer::fold(&hoptac_analyzer::normalize(word));
            assert_eq!(
                first_folded(word, &mut scratch),
                folded.chars().next(),
                "{word}"
            );
        }
    }

    #[test]
    fn marks_the_words_as_written_for_a_folded_query() {
        let s = highlighter("tin hoc hoa").snippet("Ban Hợp tác Tin học hóa Việt Nam", 200);
        assert_eq!(s.to_html(), "Ban Hợp tác <mark>Tin học hóa</mark> Việt Nam");
    }

    #[test]
    fn marks_the_other_tone_placement() {
        let s = highlighter("tin học hoá").snippet("Ban Tin học hóa", 200);
        assert_eq!(s.to_html(), "Ban <mark>Tin học hóa</mark>");
    }

    #[test]
    fn escapes_everything_else() {
        let s = highlighter("hợp tác").snippet("<script>alert(1)</script> hợp tác", 200);
        assert_eq!(
            s.to_html(),
            "&lt;script&gt;alert(1)&lt;/script&gt; <mark>hợp tác</mark>"
        );
    }

    #[test]
    fn diacritics_in_the_query_mark_only_the_exact_spelling() {
        let s = highlighter("đường").snippet("con đường của ông Dương", 200);
        assert_eq!(s.to_html(), "con <mark>đường</mark> của ông Dương");
    }

    #[test]
    fn a_country_typed_with_diacritics_marks_its_alias_not_the_aliass_folded_twins() {
        // `Nhật` (Japan) is an alias of `Nhật Bản`; `nhất` (first, `nhất trí`: agree) folds to it.
        let s = highlighter("Nhật Bản").snippet("quan hệ Việt - Nhật, nhất trí hợp tác", 200);
        assert_eq!(
            s.to_html(),
            "quan hệ Việt - <mark>Nhật</mark>, nhất trí hợp tác"
        );
    }

    #[test]
    fn a_country_typed_without_diacritics_marks_every_spelling() {
        let s = highlighter("nhat ban").snippet("Nhật Bản và nhất trí", 200);
        assert_eq!(
            s.to_html(),
            "<mark>Nhật Bản</mark> và <mark>nhất</mark> trí"
        );
    }

    #[test]
    fn an_acronym_typed_in_capitals_marks_it_only_in_capitals() {
        let s = highlighter("ODA").snippet("vốn ODA, theo ông Oda Nobunaga", 200);
        assert_eq!(s.to_html(), "vốn <mark>ODA</mark>, theo ông Oda Nobunaga");
    }

    #[test]
    fn a_word_is_marked_only_where_all_of_it_occurs() {
        let s = highlighter("chính phủ điện tử")
            .snippet("chính phủ và thương mại điện tử, chính phủ điện tử", 200);
        assert_eq!(
            s.to_html(),
            "chính phủ và thương mại điện tử, <mark>chính phủ điện tử</mark>"
        );
    }

    #[test]
    fn synonyms_are_marked_too() {
        let s =
            highlighter("an toàn thông tin").snippet("an ninh thông tin và an toàn thông tin", 200);
        assert_eq!(
            s.to_html(),
            "<mark>an ninh thông tin</mark> và <mark>an toàn thông tin</mark>"
        );
    }

    #[test]
    fn long_texts_are_cut_around_the_best_passage() {
        let text = format!(
            "{} Hợp tác an toàn thông tin với Hàn Quốc. {}",
            "Mở đầu dài. ".repeat(50),
            "Kết thúc. ".repeat(50)
        );
        let s = highlighter("an toàn thông tin Hàn Quốc").snippet(&text, 120);
        assert!(s.cut_start && s.cut_end);
        assert!(
            s.to_html().contains("<mark>an toàn thông tin</mark>"),
            "{}",
            s.to_html()
        );
        assert!(s.text.chars().count() <= 120);
    }

    #[test]
    fn a_huge_text_repeating_the_query_is_cut_and_marked_at_once() {
        // 14 MB of one phrase: the snippet comes from the beginning, and the page's highlights
        // stop at the analysed prefix.
        let text = format!("Tiêu đề\n\n{}", "hợp tác ".repeat(1_800_000));
        let h = highlighter("hợp tác");
        let s = h.snippet(&text, 200);
        assert!(s.cut_end && !s.cut_start);
        assert!(s.to_html().starts_with("Tiêu đề"), "{}", s.to_html());
        assert!(s.to_html().contains("<mark>hợp tác"), "{}", s.to_html());
        let all = h.ranges(&text);
        assert!(all.last().is_some_and(|r| r.end <= MAX_ANALYZED_BYTES));
    }

    #[test]
    fn a_cut_never_splits_a_character() {
        let text = "ư".repeat(SNIPPET_ANALYZED_BYTES);
        assert!(prefix(&text, SNIPPET_ANALYZED_BYTES + 1).len() <= SNIPPET_ANALYZED_BYTES + 1);
        assert!(text.is_char_boundary(prefix(&text, 3).len()));
    }
}
