//! Ministry facet: the ministries and ministerial-level agencies in a document.
//!
//! Names, aliases (`Bộ TT&TT`, `Bộ TTTT`) and acronyms written as such (`MIC`, `MOPAS`) come from
//! ministries.toml. A ministry name directly followed by a foreign country is that country's ministry
//! (`Bộ Ngoại giao Nhật Bản` → `Bộ Ngoại giao (Nhật Bản)`), and so is any `Bộ …` with capitalised
//! words ending in a country (`Bộ Quốc phòng Mỹ` → `Bộ Quốc phòng (Hoa Kỳ)`): foreign ministries are
//! too many to list.
//!
//! News names a ministry by its minister as often as by its name: `Bộ trưởng Tài chính Taro Aso`,
//! `Thứ trưởng Quốc phòng Philippines`, `Ngoại trưởng Fumio Kishida`. The title and its portfolio name
//! the ministry. Without a country after it, the ministry belongs to the country the news is about
//! when Việt Nam is not a party (a Japanese article's `Bộ trưởng Tài chính` is Japan's), else to Việt
//! Nam. `Hội nghị Bộ trưởng Quốc phòng NATO` is a meeting, not a ministry.

use hoptac_analyzer::Lexicon;

use super::country::CountryExtractor;
use super::gazetteer::{Gazetteer, Mode, Tok};
use crate::config::Ministries;

/// Finds ministries in text.
#[derive(Clone, Debug)]
pub struct MinistryExtractor {
    gazetteer: Gazetteer<usize>,
    /// Known portfolios, the names without `Bộ` (`Tài chính`, `Văn hóa, Thể thao và Du lịch`), for
    /// titles that name a ministry without saying `Bộ` (`Bộ trưởng Tài chính`).
    portfolios: Gazetteer<usize>,
    names: Vec<(String, String)>,
    foreign_office: Option<usize>,
    vietnamese_context: Gazetteer<()>,
    /// Words before `Bộ trưởng` that make it a meeting (`hội nghị`), from ministries.toml.
    meetings: Vec<String>,
    /// The corpus's own country (countries.toml's `home`).
    home: String,
}

/// Whether a ministry name is one every government has (`Bộ Y tế`, `Bộ Quốc phòng`): one portfolio of
/// at most two words. Compound names (`Bộ Thông tin và Truyền thông`, `Bộ Văn hóa, Thể thao và Du
/// lịch`) are Việt Nam's own, whatever the article is about.
fn generic(name: &str) -> bool {
    name.strip_prefix("Bộ ")
        .is_some_and(|p| p.split_whitespace().count() <= 2 && !p.contains([',', '-', '–', '&']))
}

/// Where a minister's title starts and where the portfolio after it starts.
struct Title {
    /// Index of the portfolio's first token, or `None` for `Ngoại trưởng` (the portfolio is in the title).
    portfolio: Option<usize>,
    /// One past the title.
    end: usize,
}

impl MinistryExtractor {
    /// Compiles the gazetteer; `home` is the corpus's own country (countries.toml's `home`), whose
    /// ministries are named without it.
    pub fn new(config: &Ministries, home: &str) -> Self {
        let mut gazetteer = Gazetteer::new(Mode::Exact);
        let mut portfolios = Gazetteer::new(Mode::Exact);
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
            if let Some(p) = m.name.strip_prefix("Bộ ") {
                portfolios.add(p, i);
            }
            for a in &m.aliases {
                if let Some(p) = a.strip_prefix("Bộ ") {
                    portfolios.add(p, i);
                }
            }
        }
        let foreign_office = names
            .iter()
            .position(|(n, c)| *n == config.foreign_ministry && c == home);
        // One spelling each: the gazetteer matches `uỷ` and `ủy` alike.
        let mut vietnamese_context = Gazetteer::new(Mode::Exact);
        for m in &config.home_context {
            vietnamese_context.add(m, ());
        }
        MinistryExtractor {
            gazetteer,
            portfolios,
            names,
            foreign_office,
            vietnamese_context,
            meetings: config
                .meetings
                .iter()
                .map(|m| hoptac_analyzer::normalize(m))
                .collect(),
            home: home.to_string(),
        }
    }

    fn display(&self, name: &str, country: &str) -> String {
        if country.is_empty() || country == self.home {
            name.to_string()
        } else {
            format!("{name} ({country})")
        }
    }

    /// A minister's title at `i`: `Bộ trưởng`, `Thứ trưởng` (the deputy acts for the ministry too) or
    /// `Ngoại trưởng` (the foreign minister), written with a capital as titles are.
    fn title_at(&self, toks: &[Tok], i: usize) -> Option<Title> {
        let first = &toks[i];
        let second = toks.get(i + 1).filter(|t| !t.boundary_before)?;
        if !first.capitalised() || second.exact != "trưởng" {
            return None;
        }
        // `Hội nghị Bộ trưởng Quốc phòng NATO` is a meeting of ministers, not a ministry acting.
        let before: Vec<&str> = toks[i.saturating_sub(2)..i]
            .iter()
            .map(|t| t.exact.as_ref())
            .collect();
        if i >= 2
            && !first.boundary_before
            && !toks[i - 1].boundary_before
            && self.meetings.contains(&before.join(" "))
        {
            return None;
        }
        match first.exact.as_ref() {
            "bộ" | "thứ" => Some(Title {
                portfolio: Some(i + 2),
                end: i + 2,
            }),
            "ngoại" => Some(Title {
                portfolio: None,
                end: i + 2,
            }),
            _ => None,
        }
    }

    /// The portfolio after a title: a known one (`Tài chính` → `Bộ Tài chính`), else one capitalised
    /// dictionary word (`Quốc phòng`, `Giáo dục`) and at most one lower-case word before a name
    /// (`Kinh tế thương mại Hiroshige Seko`). A capitalised word that is no dictionary word starts a
    /// person's name (`Thứ trưởng Nguyễn Minh Hồng`): no portfolio. Returns (known ministry, end).
    fn portfolio(
        &self,
        toks: &[Tok],
        j: usize,
        lexicon: &Lexicon,
    ) -> Option<(Option<usize>, usize)> {
        toks.get(j)
            .filter(|t| !t.boundary_before && t.capitalised() && t.exact != "bộ")?;
        let window = &toks[j..(j + 12).min(toks.len())];
        if let Some(m) = self.portfolios.find(window).into_iter().next() {
            if m.start == 0 {
                return Some((Some(m.value), j + m.end));
            }
        }
        let word_end = |from: usize| -> Option<usize> {
            (from + 2..=(from + 4).min(toks.len())).rev().find(|&e| {
                toks[from + 1..e]
                    .iter()
                    .all(|t| !t.boundary_before && !t.capitalised())
                    && lexicon.contains(
                        &toks[from..e]
                            .iter()
                            .map(|t| t.exact.as_ref())
                            .collect::<Vec<_>>()
                            .join(" "),
                    )
            })
        };
        let mut end = word_end(j)?;
        if toks
            .get(end)
            .is_some_and(|t| !t.boundary_before && !t.capitalised())
        {
            if let Some(e) = word_end(end) {
                if toks
                    .get(e)
                    .is_some_and(|t| !t.boundary_before && t.capitalised())
                {
                    end = e;
                }
            }
        }
        Some((None, end))
    }

    /// The ministry facet values of a document, most mentioned first. `doc_countries` are the
    /// document's country facet values: in news about foreign countries only (Việt Nam not a party),
    /// a ministry named without its country (`Bộ trưởng Y tế`, `Bộ Y tế`) is the main country's, as
    /// the reader understands it; otherwise it is Việt Nam's.
    pub fn extract(
        &self,
        title: &[Tok],
        body: &[Tok],
        countries: &CountryExtractor,
        doc_countries: &[String],
        lexicon: &Lexicon,
    ) -> Vec<String> {
        let vietnamese = [title, body]
            .iter()
            .any(|t| !self.vietnamese_context.find(t).is_empty());
        let default_country = match doc_countries.first() {
            Some(c) if !vietnamese && !doc_countries.contains(&self.home) => c.clone(),
            _ => self.home.clone(),
        };
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
                toks.get(pos).filter(|t| !t.boundary_before)?;
                country_at
                    .iter()
                    .find(|(s, c)| *s == pos && countries.name(*c) != self.home)
                    .map(|(_, c)| countries.name(*c).to_string())
            };
            let mut covered = vec![false; toks.len()];
            for m in self.gazetteer.find(toks) {
                let (name, owner) = &self.names[m.value];
                let country = match foreign_at(m.end) {
                    Some(c) if *owner == self.home || owner.is_empty() => c,
                    None if *owner == self.home && generic(name) => default_country.clone(),
                    _ => owner.clone(),
                };
                covered[m.start..m.end].iter_mut().for_each(|c| *c = true);
                add(self.display(name, &country));
            }
            for i in 0..toks.len() {
                if covered[i] {
                    continue;
                }
                if let Some(t) = self.title_at(toks, i) {
                    let (known, end) = match t.portfolio {
                        None => (self.foreign_office, t.end),
                        Some(j) => match self.portfolio(toks, j, lexicon) {
                            Some(p) => p,
                            None => continue,
                        },
                    };
                    let own = known
                        .map(|k| &self.names[k])
                        .filter(|(name, c)| !c.is_empty() && (*c != self.home || !generic(name)))
                        .map(|(_, c)| c.clone());
                    let country = foreign_at(end)
                        .or(own)
                        .unwrap_or_else(|| default_country.clone());
                    let name = match known {
                        Some(k) => self.names[k].0.clone(),
                        None if country == self.home => continue,
                        None => {
                            let j = t.portfolio.unwrap_or(t.end);
                            let words: Vec<&str> =
                                toks[j..end].iter().map(|t| t.original).collect();
                            format!("Bộ {}", words.join(" "))
                        }
                    };
                    covered[i..end].iter_mut().for_each(|c| *c = true);
                    add(self.display(&name, &country));
                    continue;
                }
                // `Bộ X Y <country>` not in the gazetteer.
                if toks[i].exact != "bộ" || !toks[i].capitalised() {
                    continue;
                }
                let j = i + 1;
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
                        add(self.display(&format!("Bộ {}", words.join(" ")), &country));
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
        extract_in(body, &[])
    }

    fn extract_in(body: &str, doc_countries: &[&str]) -> Vec<String> {
        let config = Config::builtin();
        let lexicon = Lexicon::new(config.words.iter().map(String::as_str));
        let c = CountryExtractor::new(&config.countries);
        let m = MinistryExtractor::new(&config.ministries, &config.countries.home);
        let doc_countries: Vec<String> = doc_countries.iter().map(|c| c.to_string()).collect();
        let mut found = m.extract(&[], &tokens(body), &c, &doc_countries, &lexicon);
        found.sort();
        found
    }

    #[test]
    fn a_ministry_name_with_a_comma_is_one_ministry() {
        assert_eq!(
            extract("Bộ trưởng Bộ Văn hóa, Thể thao và Du lịch Nguyễn Ngọc Thiện; Bộ VH,TT&DL"),
            ["Bộ Văn hóa, Thể thao và Du lịch"]
        );
    }

    #[test]
    fn a_ministers_title_names_the_ministry() {
        assert_eq!(
            extract("Bộ trưởng Tài chính Đinh Tiến Dũng cho biết"),
            ["Bộ Tài chính"]
        );
        // A portfolio Việt Nam does not have, with no country, cannot be placed.
        assert!(extract("Bộ trưởng Kinh tế cho biết").is_empty());
    }

    #[test]
    fn in_news_about_a_foreign_country_titles_are_its_ministers() {
        let text =
            "Tháp tùng Thủ tướng Shinzo Abe còn có Bộ trưởng Tài chính Taro Aso, Ngoại trưởng \
                    Fumio Kishida và Bộ trưởng Kinh tế thương mại Hiroshige Seko.";
        assert_eq!(
            extract_in(text, &["Nhật Bản", "Hoa Kỳ"]),
            [
                "Bộ Kinh tế thương mại (Nhật Bản)",
                "Bộ Ngoại giao (Nhật Bản)",
                "Bộ Tài chính (Nhật Bản)"
            ]
        );
        assert_eq!(
            extract_in("Ông Lopez từng là Thứ trưởng Bộ Y tế.", &["Venezuela"]),
            ["Bộ Y tế (Venezuela)"]
        );
        // A Vietnamese story that names a foreign product stays Vietnamese.
        assert_eq!(
            extract_in(
                "UBND tỉnh Bình Định yêu cầu báo cáo Bộ Công an về động cơ.",
                &["Nhật Bản"]
            ),
            ["Bộ Công an"]
        );
        // When Việt Nam is a party, an unqualified ministry is Việt Nam's.
        assert_eq!(
            extract_in("Thứ trưởng Bộ Y tế tiếp đoàn.", &["Venezuela", "Việt Nam"]),
            ["Bộ Y tế"]
        );
    }

    #[test]
    fn a_vietnamese_ministrys_own_name_stays_vietnamese() {
        let text =
            "Tham dự có Bộ trưởng Bộ Thông tin và Truyền thông Trương Minh Tuấn; Bộ trưởng Bộ \
                    Văn hóa, Thể thao và Du lịch Nguyễn Ngọc Thiện.";
        assert_eq!(
            extract_in(text, &["Hoa Kỳ"]),
            [
                "Bộ Thông tin và Truyền thông",
                "Bộ Văn hóa, Thể thao và Du lịch"
            ]
        );
    }

    #[test]
    fn a_deputy_ministers_title_with_a_country() {
        assert_eq!(
            extract("Theo Thứ trưởng Quốc phòng Philippines Ricardo David, hiện có"),
            ["Bộ Quốc phòng (Philippines)"]
        );
        assert_eq!(
            extract("Ngoại trưởng Nga Sergei Lavrov khẳng định"),
            ["Bộ Ngoại giao (Nga)"]
        );
    }

    #[test]
    fn a_deputy_ministers_name_is_not_a_portfolio() {
        assert!(extract("Thứ trưởng Nguyễn Minh Hồng nhấn mạnh").is_empty());
    }

    #[test]
    fn a_ministerial_meeting_is_not_a_ministry() {
        assert!(extract_in("Hội nghị Bộ trưởng Quốc phòng NATO tập trung", &["Iraq"]).is_empty());
    }

    /// The home country, the foreign minister's ministry and the meeting words are index-config's.
    #[test]
    fn home_country_and_word_lists_come_from_index_config() {
        let mut config = Config::builtin();
        let lexicon = Lexicon::new(config.words.iter().map(String::as_str));
        let c = CountryExtractor::new(&config.countries);
        let found = |config: &Config, text: &str| {
            let m = MinistryExtractor::new(&config.ministries, &config.countries.home);
            m.extract(&[], &tokens(text), &c, &[], &lexicon)
        };
        assert_eq!(found(&config, "Ngoại trưởng phát biểu."), ["Bộ Ngoại giao"]);
        config.ministries.meetings.clear();
        assert_eq!(
            found(&config, "Hội nghị Bộ trưởng Quốc phòng tập trung."),
            ["Bộ Quốc phòng"]
        );
        // Another home country: Việt Nam's ministries are then named with their country.
        config.countries.home = "Lào".into();
        assert_eq!(
            found(&config, "Bộ Thông tin và Truyền thông ký kết."),
            ["Bộ Thông tin và Truyền thông (Việt Nam)"]
        );
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
