//! Ministry facet: the ministries and ministerial-level agencies in a document.
//!
//! Names, aliases (`Bộ TT&TT`, `Bộ TTTT`) and acronyms written as such (`MIC`, `MOPAS`) come from
//! ministries.toml. A ministry name directly followed by a foreign country is that country's ministry
//! (`Bộ Ngoại giao Nhật Bản` → `Bộ Ngoại giao (Nhật Bản)`), and so is any `Bộ …`/`Bộ trưởng …` with
//! capitalised words ending in a country (`Bộ Quốc phòng Mỹ` → `Bộ Quốc phòng (Hoa Kỳ)`): foreign
//! ministries are too many to list.

use hoptac_analyzer::Lexicon;

use super::country::CountryExtractor;
use super::gazetteer::{Gazetteer, Mode, Tok};
use crate::config::Ministries;

/// Finds ministries in text.
#[derive(Clone, Debug)]
pub struct MinistryExtractor {
    gazetteer: Gazetteer<usize>,
    names: Vec<(String, String)>,
}

const HOME: &str = "Việt Nam";

impl MinistryExtractor {
    /// Compiles the gazetteer.
    pub fn new(config: &Ministries) -> Self {
        let mut gazetteer = Gazetteer::new(Mode::Exact);
        let mut names = Vec::new();
        for (i, m) in config.ministries.iter().enumerate() {
            names.push((m.name.clone(), m.country.clone()));
            gazetteer.add(&m.name, i);
            for a in &m.aliases {
                gazetteer.add(a, i);
            }
            for a in &m.acronyms {
                if a.split_whitespace().count() == 1 {
                    gazetteer.add_acronym(a, i);
                }
            }
        }
        MinistryExtractor { gazetteer, names }
    }

    fn display(name: &str, country: &str) -> String {
        if country.is_empty() || country == HOME {
            name.to_string()
        } else {
            format!("{name} ({country})")
        }
    }

    /// The ministry facet values of a document, most mentioned first.
    pub fn extract(
        &self,
        title: &[Tok],
        body: &[Tok],
        countries: &CountryExtractor,
        lexicon: &Lexicon,
    ) -> Vec<String> {
        let mut found: Vec<(String, usize)> = Vec::new();
        let mut add = |name: String| match found.iter_mut().find(|(n, _)| *n == name) {
            Some(e) => e.1 += 1,
            None => found.push((name, 1)),
        };
        for toks in [title, body] {
            let country_at: Vec<(usize, usize)> = countries
                .mentions(toks, lexicon)
                .into_iter()
                .map(|m| (m.start, m.value))
                .collect();
            let foreign_at = |pos: usize| {
                country_at
                    .iter()
                    .find(|(s, c)| *s == pos && countries.name(*c) != HOME)
                    .map(|(_, c)| countries.name(*c).to_string())
            };
            let mut covered = vec![false; toks.len()];
            for m in self.gazetteer.find(toks) {
                let (name, home) = &self.names[m.value];
                let follows = toks
                    .get(m.end)
                    .filter(|t| !t.boundary_before)
                    .and_then(|_| foreign_at(m.end));
                let country = match follows {
                    Some(c) if home == HOME || home.is_empty() => c,
                    _ => home.clone(),
                };
                covered[m.start..m.end].iter_mut().for_each(|c| *c = true);
                add(Self::display(name, &country));
            }
            // `Bộ X Y <country>` and `Bộ trưởng X Y <country>` not in the gazetteer.
            for i in 0..toks.len() {
                if covered[i] || toks[i].exact != "bộ" || !toks[i].capitalised() {
                    continue;
                }
                let mut j = i + 1;
                if toks
                    .get(j)
                    .is_some_and(|t| t.exact == "trưởng" && !t.boundary_before)
                {
                    j += 1;
                }
                let Some(first) = toks.get(j) else { continue };
                if first.boundary_before
                    || !first.capitalised()
                    || first.exact == "bộ"
                    || covered[j]
                {
                    continue;
                }
                // A portfolio reads `Ngoại giao`, `Phát triển quốc gia`, `Khoa học và ICT`: one
                // capitalised word, then lower case or acronyms. More capitals mean a person's name.
                for k in j + 1..(j + 7).min(toks.len()) {
                    if toks[k].boundary_before {
                        break;
                    }
                    if let Some(country) = foreign_at(k) {
                        let words: Vec<&str> = toks[j..k].iter().map(|t| t.original).collect();
                        add(Self::display(&format!("Bộ {}", words.join(" ")), &country));
                        break;
                    }
                    let t = toks[k].original;
                    if t.chars().next().is_some_and(char::is_uppercase)
                        && !t.chars().all(|c| !c.is_lowercase())
                    {
                        break;
                    }
                }
            }
        }
        found.sort_by_key(|f| std::cmp::Reverse(f.1));
        found.into_iter().map(|(n, _)| n).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::extract::gazetteer::tokens;

    fn extract(body: &str) -> Vec<String> {
        let config = Config::builtin();
        let lexicon = Lexicon::new(config.words.iter().map(String::as_str));
        let c = CountryExtractor::new(&config.countries);
        let m = MinistryExtractor::new(&config.ministries);
        m.extract(&[], &tokens(body), &c, &lexicon)
    }

    #[test]
    fn acronym_forms_name_the_ministry() {
        assert_eq!(
            extract("tại trụ sở Bộ TT&TT, Bộ TTTT"),
            ["Bộ Thông tin và Truyền thông"]
        );
    }

    #[test]
    fn english_acronyms_as_written() {
        assert_eq!(
            extract("Thứ trưởng MOPAS Kang"),
            ["Bộ Hành chính và An ninh công cộng (Hàn Quốc)"]
        );
    }

    #[test]
    fn a_ministry_followed_by_a_country_is_that_countrys() {
        assert_eq!(
            extract("Bộ Ngoại giao Nhật Bản cho biết"),
            ["Bộ Ngoại giao (Nhật Bản)"]
        );
    }

    #[test]
    fn unknown_foreign_ministries_are_recognised_by_shape() {
        assert_eq!(
            extract("Bộ trưởng Năng lượng Mỹ Rick Perry"),
            ["Bộ Năng lượng (Hoa Kỳ)"]
        );
    }

    #[test]
    fn a_ministers_name_is_not_a_portfolio() {
        assert!(extract("Bộ trưởng Trương Minh Tuấn cũng cho biết Hungary là").is_empty());
    }

    #[test]
    fn a_minister_is_not_a_ministry() {
        assert!(extract("Bộ trưởng nói rằng").is_empty());
    }
}
