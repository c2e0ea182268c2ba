//! Suggestions: completions for a partly typed query, diacritic-insensitive (`han q` → `Hàn Quốc`).
//!
//! People type Vietnamese without diacritics half of the time, so completions are matched on the
//! folded view and shown as written. The vocabulary comes from what can actually be found:
//! - facet values with their document counts (countries, ministries, topics), and the gazetteer
//!   aliases that lead to them (`korea`, `nam han` → `Hàn Quốc`; `bo tt&tt` → the ministry);
//! - words and syllable pairs from document titles (`chính phủ điện tử`), weighted by how many titles
//!   hold them — titles are short, written with care, and name what documents are about.
//!
//! A query is completed at its end: the longest tail of it that starts some entry is replaced by that
//! entry (`an toan thong tin han q` → `an toan thong tin Hàn Quốc`). The last syllable may be partial;
//! after a trailing space it must be whole and the entry must go on past it.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use hoptac_analyzer::{analyze, Kind, Lexicon};
use hoptac_indexer::Config;

use crate::facets::{FacetCountsByDim, FacetValue};

/// Where a suggestion comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SuggestionKind {
    /// A country facet value (also reached through its aliases).
    Country,
    /// A ministry facet value.
    Ministry,
    /// A topic facet value.
    Topic,
    /// A word or phrase from document titles.
    Phrase,
}

/// One completion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Suggestion {
    /// The completed entry as written (`Hàn Quốc`).
    pub text: String,
    /// What it is.
    pub kind: SuggestionKind,
    /// Documents having it (facet values) or titles holding it (phrases).
    pub count: u64,
    /// The whole query with its tail completed, ready to search (`an toan thong tin Hàn Quốc`).
    pub query: String,
    /// The query without the completed tail (`an toan thong tin`): what is left to search for
    /// when a ministry or topic is applied as a filter rather than searched as words.
    pub rest: String,
}

#[derive(Clone, Debug)]
struct Entry {
    /// Folded syllables joined by single spaces: the sort and match key.
    key: String,
    text: String,
    kind: SuggestionKind,
    count: u64,
}

/// Title phrases kept at most (the most frequent); bounds memory on large corpora.
const MAX_PHRASES: usize = 50_000;
/// Query characters looked at (completion only needs the tail).
pub const MAX_QUERY_CHARS: usize = 200;

/// The completion vocabulary, sorted by folded key for prefix lookups.
#[derive(Clone, Debug, Default)]
pub struct Suggester {
    entries: Vec<Entry>,
}

fn folded_key(text: &str) -> String {
    analyze(text)
        .into_iter()
        .filter(|a| a.syllable.kind != Kind::Joined)
        .map(|a| a.folded)
        .collect::<Vec<_>>()
        .join(" ")
}

impl Suggester {
    /// Builds the vocabulary from index-config (gazetteer aliases, stop words, word list), the facet
    /// counts of the whole index and every document title.
    pub fn build<S: AsRef<str>>(config: &Config, facets: &FacetCountsByDim, titles: &[S]) -> Self {
        let mut entries = Vec::new();
        let count_of = |values: &[FacetValue], v: &str| {
            values.iter().find(|f| f.value == v).map_or(0, |f| f.count)
        };
        let mut push = |key: String, text: &str, kind, count| {
            if !key.is_empty() {
                entries.push(Entry {
                    key,
                    text: text.to_string(),
                    kind,
                    count,
                });
            }
        };
        // Every country of the gazetteer, by any of its names: a country with no document yet can
        // still be worth typing (the text may name it without being about it).
        for c in &config.countries.countries {
            let count = count_of(&facets.country, &c.name);
            for name in std::iter::once(&c.name)
                .chain(&c.aliases)
                .chain(&c.acronym_aliases)
            {
                push(folded_key(name), &c.name, SuggestionKind::Country, count);
            }
        }
        // Facet values the gazetteer does not know (given by JSON documents, press names).
        for f in &facets.country {
            if !config.countries.countries.iter().any(|c| c.name == f.value) {
                push(
                    folded_key(&f.value),
                    &f.value,
                    SuggestionKind::Country,
                    f.count,
                );
            }
        }
        // Ministries and topics only as they occur in the index: the gazetteers list far more
        // ministries than any corpus mentions.
        for f in &facets.ministry {
            push(
                folded_key(&f.value),
                &f.value,
                SuggestionKind::Ministry,
                f.count,
            );
            // `Bộ Ngoại giao (Nhật Bản)`: the canonical name before the country in brackets.
            let base = f.value.split(" (").next().unwrap_or(&f.value);
            if let Some(m) = config.ministries.ministries.iter().find(|m| m.name == base) {
                for alias in m.aliases.iter().chain(&m.acronyms) {
                    push(
                        folded_key(alias),
                        &f.value,
                        SuggestionKind::Ministry,
                        f.count,
                    );
                }
            }
        }
        for f in &facets.topic {
            push(
                folded_key(&f.value),
                &f.value,
                SuggestionKind::Topic,
                f.count,
            );
        }
        entries.extend(title_phrases(config, titles));
        entries.sort_by(|a, b| a.key.cmp(&b.key).then(b.count.cmp(&a.count)));
        Suggester { entries }
    }

    /// Number of entries in the vocabulary.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there is nothing to suggest from.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entries whose key starts with `prefix`.
    fn with_prefix(&self, prefix: &str) -> &[Entry] {
        let from = self.entries.partition_point(|e| e.key.as_str() < prefix);
        let len = self.entries[from..].partition_point(|e| e.key.starts_with(prefix));
        &self.entries[from..from + len]
    }

    /// Up to `limit` completions of `query`, best first.
    pub fn suggest(&self, query: &str, limit: usize) -> Vec<Suggestion> {
        // Only the tail matters; cut at a char boundary.
        let start = query
            .char_indices()
            .rev()
            .nth(MAX_QUERY_CHARS - 1)
            .map_or(0, |(i, _)| i);
        let toks: Vec<_> = analyze(&query[start..])
            .into_iter()
            .filter(|a| a.syllable.kind != Kind::Joined)
            .collect();
        let complete = query.ends_with(char::is_whitespace);
        let typed = query.trim();
        let mut out: Vec<Suggestion> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        for i in 0..toks.len() {
            // The longest tail that completes to something wins; shorter ones would only add
            // completions of a fragment (`tac` of `hop tac`).
            if !out.is_empty() {
                break;
            }
            // A completion does not reach back across punctuation (`Việt Nam, han q`).
            if toks[i + 1..].iter().any(|t| t.syllable.boundary_before) {
                continue;
            }
            let tail: Vec<&str> = toks[i..].iter().map(|t| t.folded.as_str()).collect();
            // One partial letter says too little to complete from.
            if tail.len() == 1 && !complete && tail[0].chars().count() < 2 {
                continue;
            }
            let whole = tail.join(" ");
            // After a space the last word is whole: only entries that go on past it.
            let prefix = if complete { format!("{whole} ") } else { whole };
            let mut candidates: Vec<&Entry> = self.with_prefix(&prefix).iter().collect();
            candidates.sort_by(|a, b| {
                b.count
                    .cmp(&a.count)
                    .then(a.kind.cmp(&b.kind))
                    .then(a.key.len().cmp(&b.key.len()))
                    .then(a.text.cmp(&b.text))
            });
            let before = query[..start + toks[i].syllable.from].trim_start();
            for e in candidates {
                if out.len() >= limit {
                    break;
                }
                let completed = format!("{before}{}", e.text);
                if completed == typed || !seen.insert(folded_key(&completed)) {
                    continue;
                }
                out.push(Suggestion {
                    text: e.text.clone(),
                    kind: e.kind,
                    count: e.count,
                    query: completed,
                    rest: before.trim_end().to_string(),
                });
            }
        }
        out
    }
}

/// Words and pairs of adjacent words from titles (segmented with the word list, so `hợp tác an
/// toàn` is a pair of words and `tác an` is nothing), counted once per title, each shown in its most
/// frequent spelling. A pair of words is what people type next: `hop tac ` → `hợp tác an toàn`.
fn title_phrases<S: AsRef<str>>(config: &Config, titles: &[S]) -> Vec<Entry> {
    let lexicon = Lexicon::new(config.words.iter().map(String::as_str));
    let stop: HashSet<String> = config
        .stopwords
        .iter()
        .map(|s| hoptac_analyzer::normalize(s))
        .collect();
    // folded key → (titles holding it, spelling → occurrences)
    let mut found: HashMap<String, (u64, HashMap<String, u64>)> = HashMap::new();
    for title in titles {
        let title = title.as_ref();
        let toks: Vec<_> = analyze(title)
            .into_iter()
            .filter(|a| a.syllable.kind != Kind::Joined)
            .collect();
        let mut in_this: HashSet<String> = HashSet::new();
        // Runs of syllables between punctuation, each segmented into words.
        let mut run_start = 0;
        for end in 1..=toks.len() {
            if end < toks.len() && !toks[end].syllable.boundary_before {
                continue;
            }
            let run = &toks[run_start..end];
            run_start = end;
            let exact: Vec<&str> = run.iter().map(|t| t.exact.as_str()).collect();
            let words = lexicon.segment(&exact);
            let content = |w: &std::ops::Range<usize>| {
                w.len() > 1
                    || (!stop.contains(&run[w.start].exact)
                        && run[w.start].folded.chars().count() >= 2
                        && !run[w.start].exact.chars().all(|c| c.is_ascii_digit()))
            };
            let mut spans: Vec<std::ops::Range<usize>> =
                words.iter().filter(|w| content(w)).cloned().collect();
            for pair in words.windows(2) {
                if content(&pair[0]) && content(&pair[1]) {
                    spans.push(pair[0].start..pair[1].end);
                }
            }
            for span in spans {
                let key: Vec<&str> = run[span.clone()]
                    .iter()
                    .map(|t| t.folded.as_str())
                    .collect();
                let key = key.join(" ");
                let written =
                    title[run[span.start].syllable.from..run[span.end - 1].syllable.to].to_string();
                let entry = found.entry(key.clone()).or_default();
                if in_this.insert(key) {
                    entry.0 += 1;
                }
                *entry.1.entry(written).or_default() += 1;
            }
        }
    }
    let mut out: Vec<Entry> = found
        .into_iter()
        .map(|(key, (count, spellings))| {
            let text = spellings
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                .map(|(s, _)| s)
                .unwrap_or_default();
            Entry {
                key,
                text,
                kind: SuggestionKind::Phrase,
                count,
            }
        })
        .collect();
    if out.len() > MAX_PHRASES {
        out.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
        out.truncate(MAX_PHRASES);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fv(value: &str, count: u64) -> FacetValue {
        FacetValue {
            value: value.to_string(),
            count,
        }
    }

    fn suggester() -> Suggester {
        let facets = FacetCountsByDim {
            country: vec![fv("Hàn Quốc", 3), fv("Hungary", 1), fv("Việt Nam", 5)],
            ministry: vec![fv("Bộ Thông tin và Truyền thông", 4)],
            year: vec![fv("2010", 2)],
            topic: vec![fv("An toàn thông tin", 2), fv("Chính phủ điện tử", 1)],
        };
        let titles = [
            "Việt Nam – Hàn Quốc hợp tác xây dựng Chính phủ điện tử",
            "Hợp tác an toàn thông tin với Hàn Quốc",
            "Hội thảo về hợp tác chuyển đổi số",
        ];
        Suggester::build(&Config::builtin(), &facets, &titles)
    }

    fn texts(s: &[Suggestion]) -> Vec<&str> {
        s.iter().map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn completes_a_country_typed_without_diacritics() {
        let s = suggester().suggest("han q", 8);
        assert_eq!(s[0].text, "Hàn Quốc");
        assert_eq!(s[0].kind, SuggestionKind::Country);
        assert_eq!(s[0].count, 3);
        assert_eq!(s[0].query, "Hàn Quốc");
    }

    #[test]
    fn completes_the_tail_and_keeps_the_head_as_typed() {
        let s = suggester().suggest("an toan thong tin han q", 8);
        assert_eq!(s[0].query, "an toan thong tin Hàn Quốc");
    }

    #[test]
    fn the_rest_is_the_query_without_the_completed_tail() {
        // A ministry chosen is applied as a filter: what was typed before it stays the query.
        let s = suggester().suggest("an toan thong tin bo tt", 8);
        let ministry = s
            .iter()
            .find(|x| x.kind == SuggestionKind::Ministry)
            .expect("a ministry");
        assert_eq!(ministry.text, "Bộ Thông tin và Truyền thông");
        assert_eq!(ministry.rest, "an toan thong tin");
        assert_eq!(suggester().suggest("han q", 8)[0].rest, "");
    }

    #[test]
    fn aliases_lead_to_the_canonical_name() {
        assert_eq!(suggester().suggest("kore", 8)[0].text, "Hàn Quốc");
        assert!(texts(&suggester().suggest("bo tt", 8)).contains(&"Bộ Thông tin và Truyền thông"));
    }

    #[test]
    fn title_words_are_shown_as_written() {
        let s = suggester().suggest("chinh phu d", 8);
        assert!(texts(&s).contains(&"Chính phủ điện tử"), "{s:?}");
        let s = suggester().suggest("chuyen d", 8);
        assert!(texts(&s).contains(&"chuyển đổi số"), "{s:?}");
    }

    #[test]
    fn diacritics_typed_still_match() {
        assert_eq!(suggester().suggest("Hàn Q", 8)[0].text, "Hàn Quốc");
    }

    #[test]
    fn a_trailing_space_asks_for_the_next_word() {
        let s = suggester().suggest("hop tac ", 8);
        assert!(!s.is_empty());
        for x in &s {
            assert!(folded_key(&x.text).starts_with("hop tac "), "{x:?}");
        }
    }

    #[test]
    fn more_documents_rank_first() {
        let s = suggester().suggest("viet", 8);
        assert_eq!(s[0].text, "Việt Nam");
    }

    #[test]
    fn nothing_for_one_letter_or_noise() {
        assert!(suggester().suggest("h", 8).is_empty());
        assert!(suggester().suggest("", 8).is_empty());
        assert!(suggester().suggest("(((", 8).is_empty());
        assert!(suggester().suggest("zzzq", 8).is_empty());
    }

    #[test]
    fn does_not_reach_across_punctuation() {
        let s = suggester().suggest("Hàn, q", 8);
        assert!(!texts(&s).contains(&"Hàn Quốc"), "{s:?}");
    }

    #[test]
    fn no_duplicates_and_the_limit_holds() {
        let s = suggester().suggest("ha", 3);
        assert!(s.len() <= 3);
        let unique: HashSet<_> = s.iter().map(|x| x.query.clone()).collect();
        assert_eq!(unique.len(), s.len());
    }

    #[test]
    fn long_queries_are_cut_to_their_tail() {
        let q = format!("{}han q", "hợp tác ".repeat(2000));
        let s = suggester().suggest(&q, 8);
        let korea = s.iter().find(|x| x.text == "Hàn Quốc").expect("completed");
        assert!(korea.query.starts_with("hợp tác hợp tác"));
        assert!(korea.query.ends_with("hợp tác Hàn Quốc"));
    }
}
