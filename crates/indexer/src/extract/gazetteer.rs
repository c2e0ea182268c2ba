//! Phrase matching of gazetteer entries (names, aliases, triggers) against analysed text.
//!
//! Entries and text go through the same analyzer, so tone placement, case and NFC/NFD never stop a
//! match. Joined tokens (`TT&TT`, `Ô-xtrây-li-a`) are matched whole, their parts are skipped. Each
//! entry can demand more than the syllables: a capitalised first letter as written (`Pháp`, France,
//! is not `pháp luật`), or the exact written form of an acronym (`MIC`, not `mic`).

use std::borrow::Cow;

use hoptac_analyzer::views::Analysis;
use hoptac_analyzer::{syllables, Kind};
// Looked up once per token of every document per gazetteer: a fast hash, not SipHash (whose
// resistance to flooding is not needed for keys that come from index-config).
use rustc_hash::FxHashMap;

/// A token of the text, as the matchers see it.
#[derive(Clone, Debug)]
pub struct Tok<'a> {
    /// As written.
    pub original: &'a str,
    /// Exact view (borrowed from the text when it is written so: most words of a document).
    pub exact: Cow<'a, str>,
    /// Folded view (borrowed when it is the exact view's).
    pub folded: Cow<'a, str>,
    /// Punctuation or a line break separates it from the previous token.
    pub boundary_before: bool,
    /// The text between the previous token and this one (`, ` in a list, `. ` after a sentence).
    pub gap: &'a str,
}

impl Tok<'_> {
    /// True when written with a capital first letter.
    pub fn capitalised(&self) -> bool {
        self.original.chars().next().is_some_and(char::is_uppercase)
    }
}

/// Tokens of `text` for matching (joined tokens whole, parts skipped).
///
/// Every token of every document goes through here; a token whose views are its own text (a
/// lower-case word in canonical form, all of them for a word without diacritics) borrows them
/// instead of allocating two strings.
pub fn tokens(text: &str) -> Vec<Tok<'_>> {
    let mut prev_end = 0;
    let mut scratch = String::new();
    let found = syllables(text);
    let mut out = Vec::with_capacity(found.len());
    for s in found.into_iter().filter(|s| s.kind != Kind::Part) {
        let original = &text[s.from..s.to];
        let gap = text.get(prev_end.min(s.from)..s.from);
        prev_end = prev_end.max(s.to);
        let exact = exact_view(original, &mut scratch);
        let folded = if exact.is_ascii() {
            exact.clone()
        } else {
            scratch.clear();
            hoptac_analyzer::fold::fold_into(&exact, &mut scratch);
            Cow::Owned(scratch.clone())
        };
        out.push(Tok {
            original,
            exact,
            folded,
            boundary_before: s.boundary_before,
            gap: gap.unwrap_or(""),
        });
    }
    out
}

/// The tokens of an analysed text, as [`tokens`] of its text, their views read from the analysis
/// (a document's title and body: analysed once, for these tokens and for every indexed view).
pub fn tokens_of(analysis: &Analysis) -> Vec<Tok<'_>> {
    let text = analysis.text();
    let mut prev_end = 0;
    let mut out = Vec::with_capacity(analysis.syllables().len());
    for (i, s) in analysis.syllables().iter().enumerate() {
        if s.kind == Kind::Part {
            continue;
        }
        let gap = text.get(prev_end.min(s.from)..s.from);
        prev_end = prev_end.max(s.to);
        out.push(Tok {
            original: &text[s.from..s.to],
            exact: Cow::Borrowed(analysis.exact(i)),
            folded: Cow::Borrowed(analysis.folded(i)),
            boundary_before: s.boundary_before,
            gap: gap.unwrap_or(""),
        });
    }
    out
}

/// A token's exact view ([`hoptac_analyzer::normalize`]), borrowed when it is the token itself.
fn exact_view<'a>(original: &'a str, scratch: &mut String) -> Cow<'a, str> {
    if original.is_ascii() && !original.bytes().any(|b| b.is_ascii_uppercase()) {
        return Cow::Borrowed(original);
    }
    scratch.clear();
    hoptac_analyzer::normalize_into(original, scratch);
    if scratch == original {
        Cow::Borrowed(original)
    } else {
        Cow::Owned(scratch.clone())
    }
}

/// Whether entries match on the exact or the folded view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Diacritics must agree (names: `Pháp` is not `phap`).
    Exact,
    /// Diacritics ignored (topic triggers).
    Folded,
}

#[derive(Clone, Debug)]
struct Entry<T> {
    keys: Vec<String>,
    /// Per key: the entry itself has punctuation before it (`Bộ Văn hóa, Thể thao và Du lịch`), so the
    /// text may have it there too.
    breaks: Vec<bool>,
    value: T,
    capitalised: bool,
    written: Option<String>,
}

/// A match of an entry over tokens `start..end`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match<T> {
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// The entry's value.
    pub value: T,
}

/// A set of phrases to find in text.
#[derive(Clone, Debug)]
pub struct Gazetteer<T> {
    mode: Mode,
    by_first: FxHashMap<String, Vec<Entry<T>>>,
}

impl<T: Clone> Gazetteer<T> {
    /// An empty gazetteer.
    pub fn new(mode: Mode) -> Self {
        Gazetteer {
            mode,
            by_first: FxHashMap::default(),
        }
    }

    /// Adds a phrase. A phrase written with a capital first letter only matches capitalised text.
    pub fn add(&mut self, phrase: &str, value: T) {
        let capitalised = phrase.chars().next().is_some_and(char::is_uppercase);
        self.insert(phrase, value, capitalised, None);
    }

    /// Adds a phrase that matches in any case (topic triggers, lower-case terms).
    pub fn add_any_case(&mut self, phrase: &str, value: T) {
        self.insert(phrase, value, false, None);
    }

    /// Adds a one-token acronym that only matches exactly as written.
    pub fn add_acronym(&mut self, acronym: &str, value: T) {
        self.insert(acronym, value, false, Some(acronym.to_string()));
    }

    fn insert(&mut self, phrase: &str, value: T, capitalised: bool, written: Option<String>) {
        let toks = tokens(phrase);
        let breaks: Vec<bool> = toks.iter().map(|t| t.boundary_before).collect();
        let keys: Vec<String> = toks
            .into_iter()
            .map(|t| match self.mode {
                Mode::Exact => t.exact.into_owned(),
                Mode::Folded => t.folded.into_owned(),
            })
            .collect();
        if keys.is_empty() || (written.is_some() && keys.len() != 1) {
            return;
        }
        // Entries of one first key are kept longest first, equals in the order added, so that the
        // first that fits is the longest match (and of equals the first added).
        let entries = self.by_first.entry(keys[0].clone()).or_default();
        let at = entries.partition_point(|e| e.keys.len() >= keys.len());
        entries.insert(
            at,
            Entry {
                keys,
                breaks,
                value,
                capitalised,
                written,
            },
        );
    }

    fn key<'t>(&self, t: &'t Tok) -> &'t str {
        match self.mode {
            Mode::Exact => &t.exact,
            Mode::Folded => &t.folded,
        }
    }

    /// Longest non-overlapping matches, left to right.
    pub fn find(&self, toks: &[Tok]) -> Vec<Match<T>> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            // Entries are longest first: the first that fits is the match.
            let best = self.by_first.get(self.key(&toks[i])).and_then(|entries| {
                entries.iter().find(|e| {
                    let n = e.keys.len();
                    i + n <= toks.len()
                        && (!e.capitalised || toks[i].capitalised())
                        && e.written.as_deref().is_none_or(|w| toks[i].original == w)
                        && (1..n).all(|k| {
                            (!toks[i + k].boundary_before || e.breaks[k])
                                && self.key(&toks[i + k]) == e.keys[k]
                        })
                })
            });
            match best {
                Some(e) => {
                    out.push(Match {
                        start: i,
                        end: i + e.keys.len(),
                        value: e.value.clone(),
                    });
                    i += e.keys.len();
                }
                None => i += 1,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_the_analyzers_views_whether_borrowed_or_not() {
        let texts = [
            "Bộ TT&TT (MIC) và Hàn Quốc ký kết về an toàn thông tin, USD 2.500 tỷ đồng.",
            "Ô-xtrây-li-a TIN HỌC HOÁ tin học hóa Hoa\u{300} ho\u{301}a Thuỵ Điển ĐÀ NẴNG",
            "",
            "  ,. ",
        ];
        for text in texts {
            let oracle: Vec<_> = hoptac_analyzer::analyze(text)
                .into_iter()
                .filter(|a| a.syllable.kind != Kind::Part)
                .map(|a| (&text[a.syllable.from..a.syllable.to], a.exact, a.folded))
                .collect();
            let got: Vec<_> = tokens(text)
                .into_iter()
                .map(|t| (t.original, t.exact.into_owned(), t.folded.into_owned()))
                .collect();
            assert_eq!(got, oracle, "{text}");
        }
        for text in texts {
            let analysis = Analysis::of(text);
            fn key(t: Tok<'_>) -> (String, String, String, String) {
                let (o, g) = (t.original.to_string(), t.gap.to_string());
                (o, t.exact.into_owned(), t.folded.into_owned(), g)
            }
            let of: Vec<_> = tokens_of(&analysis).into_iter().map(key).collect();
            let own: Vec<_> = tokens(text).into_iter().map(key).collect();
            assert_eq!(of, own, "{text}");
        }
        let toks = tokens("an toàn");
        assert!(matches!(toks[0].exact, Cow::Borrowed(_)));
        assert!(matches!(toks[1].exact, Cow::Borrowed(_)));
        assert!(matches!(toks[1].folded, Cow::Owned(_)));
    }

    #[test]
    fn matches_across_tone_placement_and_case() {
        let mut g = Gazetteer::new(Mode::Exact);
        g.add("Thụy Điển", "SE");
        assert_eq!(g.find(&tokens("Vương quốc Thuỵ Điển")).len(), 1);
    }

    #[test]
    fn capitalised_entry_needs_capitalised_text() {
        let mut g = Gazetteer::new(Mode::Exact);
        g.add("Pháp", "FR");
        assert_eq!(g.find(&tokens("Tổng thống Pháp")).len(), 1);
        assert!(g.find(&tokens("theo pháp luật")).is_empty());
    }

    #[test]
    fn acronyms_match_only_as_written() {
        let mut g = Gazetteer::new(Mode::Exact);
        g.add_acronym("MIC", 1);
        assert_eq!(g.find(&tokens("Bộ TT&TT (MIC)")).len(), 1);
        assert!(g.find(&tokens("cái mic")).is_empty());
    }

    #[test]
    fn longest_entry_wins() {
        let mut g = Gazetteer::new(Mode::Exact);
        g.add("Bộ Thông tin", 1);
        g.add("Bộ Thông tin và Truyền thông", 2);
        let m = g.find(&tokens("Bộ Thông tin và Truyền thông Việt Nam"));
        assert_eq!(m[0].value, 2);
    }

    #[test]
    fn a_longer_entry_that_does_not_fit_leaves_the_shorter_match() {
        let mut g = Gazetteer::new(Mode::Exact);
        g.add("Bộ Thông tin và Truyền thông", 2);
        g.add("Bộ Thông tin", 1);
        let m = g.find(&tokens("Bộ Thông tin và Du lịch"));
        assert_eq!((m[0].value, m[0].end), (1, 3));
        // A lower-case text does not fit the capitalised longer entry either.
        let mut g = Gazetteer::new(Mode::Folded);
        g.add("Hàn Quốc", "KR");
        g.add_any_case("hàn", "weld");
        assert_eq!(g.find(&tokens("công nghệ hàn quốc tế"))[0].value, "weld");
    }

    #[test]
    fn of_equally_long_entries_the_first_added_wins() {
        let mut g = Gazetteer::new(Mode::Folded);
        g.add_any_case("an toàn", "safety");
        g.add_any_case("an toan", "other");
        g.add_any_case("an", "short");
        assert_eq!(g.find(&tokens("an toàn thông tin"))[0].value, "safety");
    }

    #[test]
    fn folded_mode_ignores_diacritics() {
        let mut g = Gazetteer::new(Mode::Folded);
        g.add_any_case("an toàn thông tin", "ATTT");
        assert_eq!(g.find(&tokens("An toan thong tin")).len(), 1);
    }

    #[test]
    fn a_phrase_does_not_span_punctuation() {
        let mut g = Gazetteer::new(Mode::Exact);
        g.add("Hàn Quốc", 1);
        assert!(g.find(&tokens("Hàn, Quốc")).is_empty());
    }

    #[test]
    fn punctuation_inside_an_entry_may_be_in_the_text() {
        let mut g = Gazetteer::new(Mode::Exact);
        g.add("Bộ Văn hóa, Thể thao và Du lịch", 1);
        let text = "Bộ trưởng Bộ Văn hóa, Thể thao và Du lịch Nguyễn Ngọc Thiện";
        assert_eq!(g.find(&tokens(text)).len(), 1);
        assert_eq!(g.find(&tokens("Bộ Văn hóa Thể thao và Du lịch")).len(), 1);
    }

    #[test]
    fn joined_tokens_match_whole() {
        let mut g = Gazetteer::new(Mode::Exact);
        g.add("Bộ TT&TT", 1);
        assert_eq!(g.find(&tokens("tại trụ sở Bộ TT&TT")).len(), 1);
    }
}
