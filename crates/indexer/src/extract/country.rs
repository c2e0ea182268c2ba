//! Country facet: the partner countries a document is about.
//!
//! Aliases from countries.toml (`Mỹ`, `Hoa Kỳ`, `United States`, `USA` → `Hoa Kỳ`) are found with the
//! gazetteer, then filtered by rules that keep common words and names out:
//! - a name that is the first or last syllable of a longer dictionary word is not a country
//!   (`Chủ nhật` is Sunday, `mỹ phẩm` cosmetics, `Pháp luật` law at the start of a sentence);
//! - a one-syllable name right after another capitalised word is part of a name (`Mạnh Đức`, a
//!   photographer; `Nam Mỹ`, a continent), and so is one right before a last capitalised syllable
//!   (`ca sĩ Mỹ Linh, Mỹ Tâm`, `Lào Cai`) unless a cue or title precedes it (`Tổng thống Nga Putin`);
//! - an alias listed in `needs_cue` counts only after a cue (`nước Anh`, `Thủ tướng Anh`, not `anh Tuấn`);
//! - `not_countries` hide the country inside another name (`Ấn Độ Dương`, the Indian Ocean).
//!
//! A country is a facet value when the title names it or the body names it at least twice (one
//! passing mention is not what the document is about); countries given as examples (`các nước như
//! Hoa Kỳ, Nhật Bản…`) are not counted. Việt Nam needs the same evidence, and only when another
//! country is a facet value too (a domestic article has no partner country).

use std::collections::HashMap;

use hoptac_analyzer::Lexicon;

use super::gazetteer::{Gazetteer, Match, Mode, Tok};
use crate::config::Countries;

/// Marks a `not_countries` entry in the gazetteer: the longest match wins, so `Ấn Độ Dương` hides the
/// `Ấn Độ` inside it.
const NOT_A_COUNTRY: usize = usize::MAX;

/// Words that introduce examples (`các nước như Hoa Kỳ, Nhật Bản`): the countries listed after them
/// illustrate a point, they are not what the document reports on.
const EXAMPLES: [&str; 3] = ["như", "chẳng hạn", "ví dụ"];

/// Words joining the items of a list.
const LIST_JOINS: [&str; 3] = ["và", "hay", "hoặc"];

/// Finds countries in text.
#[derive(Clone, Debug)]
pub struct CountryExtractor {
    gazetteer: Gazetteer<(usize, bool)>,
    cues: Gazetteer<()>,
    actor_cues: Gazetteer<()>,
    names: Vec<String>,
    home: Option<usize>,
    /// Words after which a capitalised pair is a name (`chị Mỹ Linh`), normalised (countries.toml).
    name_context: Vec<String>,
}

impl CountryExtractor {
    /// Compiles the gazetteer.
    pub fn new(config: &Countries) -> Self {
        let mut gazetteer = Gazetteer::new(Mode::Exact);
        let needs_cue: Vec<String> = config
            .needs_cue
            .iter()
            .map(|s| hoptac_analyzer::normalize(s))
            .collect();
        let mut names = Vec::new();
        for (i, c) in config.countries.iter().enumerate() {
            names.push(c.name.clone());
            for alias in std::iter::once(&c.name).chain(c.aliases.iter()) {
                let cue = needs_cue.contains(&hoptac_analyzer::normalize(alias));
                gazetteer.add(alias, (i, cue));
            }
            for a in &c.acronym_aliases {
                gazetteer.add_acronym(a, (i, false));
            }
        }
        for n in &config.not_countries {
            gazetteer.add(n, (NOT_A_COUNTRY, false));
        }
        let mut cues = Gazetteer::new(Mode::Exact);
        for c in &config.cues {
            cues.add_any_case(c, ());
        }
        let mut actor_cues = Gazetteer::new(Mode::Exact);
        for c in &config.actor_cues {
            actor_cues.add_any_case(c, ());
        }
        // The corpus's own country, from index-config (`home` in countries.toml).
        let home = names.iter().position(|n| *n == config.home);
        CountryExtractor {
            gazetteer,
            cues,
            actor_cues,
            names,
            home,
            name_context: config
                .name_context
                .iter()
                .map(|w| hoptac_analyzer::normalize(w))
                .collect(),
        }
    }

    /// Canonical name of a country index.
    pub fn name(&self, i: usize) -> &str {
        &self.names[i]
    }

    /// Country mentions that pass the rules, as country indexes with their token spans.
    pub fn mentions(&self, toks: &[Tok], lexicon: &Lexicon) -> Vec<Match<usize>> {
        let cue_ends: Vec<usize> = self.cues.find(toks).into_iter().map(|m| m.end).collect();
        let title_ends: Vec<usize> = self
            .actor_cues
            .find(toks)
            .into_iter()
            .map(|m| m.end)
            .collect();
        let found = self.gazetteer.find(toks);
        let starts: Vec<usize> = found.iter().map(|m| m.start).collect();
        found
            .iter()
            .filter(|m| {
                let (country, needs_cue) = m.value;
                if country == NOT_A_COUNTRY {
                    return false;
                }
                let prev =
                    (m.start > 0 && !toks[m.start].boundary_before).then(|| &toks[m.start - 1]);
                let next = toks.get(m.end).filter(|t| !t.boundary_before);
                if let Some(p) = prev {
                    if lexicon.contains(&format!("{} {}", p.exact, toks[m.start].exact)) {
                        return false;
                    }
                }
                if let Some(n) = next {
                    if lexicon.contains(&format!("{} {}", toks[m.end - 1].exact, n.exact)) {
                        return false;
                    }
                }
                if m.end - m.start == 1 {
                    if let Some(p) = prev {
                        if p.capitalised() && !cue_ends.contains(&m.start) {
                            return false;
                        }
                    }
                    // A one-syllable name before one more capitalised syllable that ends the name, at
                    // the start of a clause or after a word for a person or a place, is a Vietnamese
                    // name (`nghệ sĩ: Mỹ Linh, Mỹ Tâm`, `ca sĩ Đức Tuấn`, `tỉnh Lào Cai`), unless a
                    // title or cue puts a country there (`Tổng thống Nga Putin`). After other words
                    // it stays a country (`Bộ trưởng Y tế Pháp Véran`).
                    if let Some(n) = next {
                        let name_ends = toks
                            .get(m.end + 1)
                            .is_none_or(|t| t.boundary_before || !t.capitalised());
                        let name_context =
                            prev.is_none_or(|p| self.name_context.iter().any(|w| *w == p.exact));
                        if n.capitalised()
                            && name_ends
                            && name_context
                            && !starts.contains(&m.end)
                            && !cue_ends.contains(&m.start)
                            && !title_ends.contains(&m.start)
                        {
                            return false;
                        }
                    }
                }
                !needs_cue || cue_ends.contains(&m.start)
            })
            .map(|m| Match {
                start: m.start,
                end: m.end,
                value: m.value.0,
            })
            .collect()
    }

    /// The country facet values of a document.
    pub fn extract(&self, title: &[Tok], body: &[Tok], lexicon: &Lexicon) -> Vec<String> {
        let mut counts: HashMap<usize, (usize, usize, usize)> = HashMap::new();
        for (order, m) in self.mentions(title, lexicon).into_iter().enumerate() {
            let e = counts.entry(m.value).or_insert((0, 0, order));
            e.0 += 1;
        }
        let actor_ends: Vec<usize> = self
            .actor_cues
            .find(body)
            .into_iter()
            .map(|m| m.end)
            .collect();
        let body_mentions = self.mentions(body, lexicon);
        let listed = examples(body, &body_mentions);
        for (order, m) in body_mentions.into_iter().enumerate() {
            if listed.contains(&m.start) {
                continue;
            }
            let e = counts.entry(m.value).or_insert((0, 0, 1000 + order));
            e.1 += 1;
            // A mention right after an actor cue weighs as much as two passing ones.
            if actor_ends.contains(&m.start) && !body[m.start].boundary_before {
                e.1 += 1;
            }
        }
        // Việt Nam needs the same evidence as a partner: one passing mention (a source credit such
        // as `Theo Thế giới & Việt Nam`) does not make it a party.
        let mut chosen: Vec<(usize, usize, usize)> = counts
            .iter()
            .filter(|(_, (t, b, _))| *t > 0 || *b >= 2)
            .map(|(c, (t, b, o))| (*c, t * 3 + b, *o))
            .collect();
        if chosen.iter().all(|c| Some(c.0) == self.home) {
            chosen.clear();
        }
        // Partners first, most mentioned first; Việt Nam, when present, last.
        chosen.sort_by(|a, b| {
            (Some(a.0) == self.home)
                .cmp(&(Some(b.0) == self.home))
                .then(b.1.cmp(&a.1))
                .then(a.2.cmp(&b.2))
        });
        chosen
            .into_iter()
            .map(|(c, _, _)| self.names[c].clone())
            .collect()
    }
}

/// Starts of the mentions that are examples in a list (`các nước như Mỹ, Trung Quốc hay Nhật Bản`):
/// the first right after `như` (not `cũng như`, "as well as"), the next ones joined to it by a comma
/// or `và`/`hay`/`hoặc`.
fn examples(toks: &[Tok], mentions: &[Match<usize>]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut list_end: Option<usize> = None;
    for m in mentions {
        let introduced = EXAMPLES.iter().any(|w| {
            let n = w.split(' ').count();
            m.start >= n
                && !toks[m.start].boundary_before
                && toks[m.start - n..m.start]
                    .iter()
                    .map(|t| t.exact.as_ref())
                    .collect::<Vec<_>>()
                    .join(" ")
                    == *w
                && !(m.start > n && toks[m.start - n - 1].exact == "cũng")
        });
        let continues = list_end.is_some_and(|e| {
            let comma = e == m.start && toks[m.start].gap.trim() == ",";
            let joined = e + 1 == m.start
                && LIST_JOINS.contains(&toks[e].exact.as_ref())
                && toks[e].gap.trim().is_empty()
                && !toks[m.start].boundary_before;
            comma || joined
        });
        if introduced || continues {
            out.push(m.start);
            list_end = Some(m.end);
        } else {
            list_end = None;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::extract::gazetteer::tokens;

    fn extract(title: &str, body: &str) -> Vec<String> {
        let config = Config::builtin();
        let lexicon = Lexicon::new(config.words.iter().map(String::as_str));
        let e = CountryExtractor::new(&config.countries);
        e.extract(&tokens(title), &tokens(body), &lexicon)
    }

    #[test]
    fn my_and_hoa_ky_are_one_country() {
        assert_eq!(
            extract(
                "Thủ tướng thăm Mỹ",
                "Hoa Kỳ và Việt Nam ký kết. Việt Nam hoan nghênh."
            ),
            ["Hoa Kỳ", "Việt Nam"]
        );
    }

    #[test]
    fn english_names_are_aliases() {
        assert_eq!(
            extract("Vietnam and Korea sign a deal", ""),
            ["Hàn Quốc", "Việt Nam"]
        );
    }

    #[test]
    fn law_is_not_france() {
        assert!(extract("Pháp luật về đầu tư", "Pháp luật mới. Pháp luật cũ.").is_empty());
    }

    #[test]
    fn a_photographer_named_duc_is_not_germany() {
        assert!(extract("", "Ảnh: Mạnh Đức. Ảnh: Mạnh Đức.").is_empty());
    }

    #[test]
    fn anh_needs_a_cue() {
        assert!(extract("", "anh Tuấn và Anh Tuấn. Anh ấy nói.").is_empty());
        assert_eq!(
            extract("", "Chính phủ Anh. Thủ tướng Anh phát biểu."),
            ["Anh"]
        );
    }

    #[test]
    fn one_mention_as_an_actor_is_enough() {
        assert_eq!(
            extract(
                "Điện đàm",
                "Tổng thống Ai Cập điện đàm với người đồng cấp Pháp."
            ),
            ["Ai Cập", "Pháp"]
        );
    }

    #[test]
    fn a_countrys_police_and_officials_act_for_it() {
        assert_eq!(
            extract(
                "Điểm tin",
                "Cảnh sát Anh cho biết đã bắt giữ một nghi phạm. Giới chức Li-băng cho biết."
            ),
            ["Anh", "Lebanon"]
        );
    }

    #[test]
    fn one_passing_mention_is_not_enough() {
        assert!(extract("Hội thảo", "các nước như Hoa Kỳ").is_empty());
    }

    #[test]
    fn countries_given_as_examples_do_not_count() {
        let text =
            "Tuy nhiên, các quốc gia lớn như Mỹ, Trung Quốc hay Nhật Bản, Ấn Độ đều quan tâm. \
                    Nhật Bản cũng vậy.";
        assert!(extract("Hội thảo", text).is_empty());
        // `cũng như` is "as well as": both countries act.
        assert_eq!(
            extract(
                "Hội đàm",
                "Nhật Bản cũng như Ấn Độ. Nhật Bản và Ấn Độ ký kết."
            ),
            ["Nhật Bản", "Ấn Độ"]
        );
    }

    #[test]
    fn the_words_before_a_name_come_from_index_config() {
        let mut config = Config::builtin();
        let lexicon = Lexicon::new(config.words.iter().map(String::as_str));
        let text = "Hôm qua chị Mỹ Linh hát. Sau đó chị Mỹ Linh cười.";
        let found =
            |c: &Config| CountryExtractor::new(&c.countries).extract(&[], &tokens(text), &lexicon);
        assert!(found(&config).is_empty());
        // Without `chị` among the name's context words, `Mỹ Linh` reads as America and a name.
        config.countries.name_context.retain(|w| w != "chị");
        assert_eq!(found(&config), ["Hoa Kỳ"]);
    }

    #[test]
    fn a_given_name_is_not_a_country() {
        let text =
            "các nghệ sỹ nổi tiếng: Mỹ Linh, Mỹ Tâm, Anh Thơ, Trọng Tấn, Đức Tuấn và Mỹ Linh.";
        assert!(extract("Lễ hội hang động", text).is_empty());
        assert!(extract("", "Tỉnh Lào Cai và tỉnh Lào Cai.").is_empty());
        assert_eq!(
            extract("", "Tổng thống Nga Putin nói. Ngoại trưởng Nga Lavrov nói."),
            ["Nga"]
        );
        assert_eq!(
            extract(
                "",
                "Bộ trưởng Y tế Pháp Véran nói. Bộ trưởng Y tế Pháp Véran nói."
            ),
            ["Pháp"]
        );
    }

    #[test]
    fn the_indian_ocean_is_not_india() {
        let text = "Bộ chỉ huy Mỹ tại Ấn Độ Dương-Thái Bình Dương. Hạm đội ở Ấn Độ Dương.";
        assert!(extract("Tư lệnh mới", text).is_empty());
    }

    #[test]
    fn a_passing_mention_does_not_make_viet_nam_a_party() {
        assert_eq!(
            extract(
                "Mỹ và Trung Quốc",
                "Mỹ và Trung Quốc đối thoại. Theo Thế giới & Việt Nam"
            ),
            ["Hoa Kỳ", "Trung Quốc"]
        );
    }

    #[test]
    fn a_domestic_article_has_no_country() {
        assert!(extract("Hà Nội", "Việt Nam. Việt Nam. Việt Nam.").is_empty());
    }
}
