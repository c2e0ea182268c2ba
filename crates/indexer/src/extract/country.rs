//! Country facet: the partner countries a document is about.
//!
//! Aliases from countries.toml (`Mỹ`, `Hoa Kỳ`, `United States`, `USA` → `Hoa Kỳ`) are found with the
//! gazetteer, then filtered by rules that keep common words and names out:
//! - a name that is the first or last syllable of a longer dictionary word is not a country
//!   (`Chủ nhật` is Sunday, `mỹ phẩm` cosmetics, `Pháp luật` law at the start of a sentence);
//! - a one-syllable name right after another capitalised word is part of a name (`Mạnh Đức`, a
//!   photographer; `Nam Mỹ`, a continent);
//! - an alias listed in `needs_cue` counts only after a cue (`nước Anh`, `Thủ tướng Anh`, not `anh Tuấn`).
//!
//! A country is a facet value when the title names it or the body names it at least twice (one
//! passing mention in a list is not what the document is about); Việt Nam only when another country is
//! a facet value too (a domestic article has no partner country).

use std::collections::HashMap;

use hoptac_analyzer::Lexicon;

use super::gazetteer::{Gazetteer, Match, Mode, Tok};
use crate::config::Countries;

/// Finds countries in text.
#[derive(Clone, Debug)]
pub struct CountryExtractor {
    gazetteer: Gazetteer<(usize, bool)>,
    cues: Gazetteer<()>,
    actor_cues: Gazetteer<()>,
    names: Vec<String>,
    home: Option<usize>,
}

const HOME: &str = "Việt Nam";

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
        let mut cues = Gazetteer::new(Mode::Exact);
        for c in &config.cues {
            cues.add_any_case(c, ());
        }
        let mut actor_cues = Gazetteer::new(Mode::Exact);
        for c in &config.actor_cues {
            actor_cues.add_any_case(c, ());
        }
        let home = names.iter().position(|n| n == HOME);
        CountryExtractor {
            gazetteer,
            cues,
            actor_cues,
            names,
            home,
        }
    }

    /// Canonical name of a country index.
    pub fn name(&self, i: usize) -> &str {
        &self.names[i]
    }

    /// Country mentions that pass the rules, as country indexes with their token spans.
    pub fn mentions(&self, toks: &[Tok], lexicon: &Lexicon) -> Vec<Match<usize>> {
        let cue_ends: Vec<usize> = self.cues.find(toks).into_iter().map(|m| m.end).collect();
        self.gazetteer
            .find(toks)
            .into_iter()
            .filter(|m| {
                let (_, needs_cue) = m.value;
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
        for (order, m) in self.mentions(body, lexicon).into_iter().enumerate() {
            let e = counts.entry(m.value).or_insert((0, 0, 1000 + order));
            e.1 += 1;
            // A mention right after an actor cue weighs as much as two passing ones.
            if actor_ends.contains(&m.start) && !body[m.start].boundary_before {
                e.1 += 1;
            }
        }
        let mut chosen: Vec<(usize, usize, usize)> = counts
            .iter()
            .filter(|(c, (t, b, _))| Some(**c) != self.home && (*t > 0 || *b >= 2))
            .map(|(c, (t, b, o))| (*c, t * 3 + b, *o))
            .collect();
        if !chosen.is_empty() {
            if let Some(home) = self.home {
                if let Some((t, b, o)) = counts.get(&home) {
                    chosen.push((home, t * 3 + b, *o));
                }
            }
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
            extract("Thủ tướng thăm Mỹ", "Hoa Kỳ và Việt Nam."),
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
    fn one_passing_mention_is_not_enough() {
        assert!(extract("Hội thảo", "các nước như Hoa Kỳ").is_empty());
    }

    #[test]
    fn a_domestic_article_has_no_country() {
        assert!(extract("Hà Nội", "Việt Nam. Việt Nam. Việt Nam.").is_empty());
    }
}
