//! Dates: the publication date line, and the best evidence for a year when there is none.
//!
//! Vietnamese news pages put the date on a line of its own, in several shapes: `Thứ sáu, 14/05/2010
//! 14:56`, `09:05, 06/08/2024`, `Thứ năm, 01/10/2020`, `14-05-2010`. Where no such line exists, the
//! latest full date or month/year mentioned (`25/9/2017`, `tháng 3/2018`, `năm 2017`) is the best
//! evidence of when the text was written: a report cannot predate the events it reports.

use std::sync::OnceLock;

use regex::Regex;

use crate::document::Date;

fn date_line_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(?:(?:Thứ\s+\S+|Chủ\s+nhật|Chủ\s+Nhật|CN)\s*,\s*)?(?:\d{1,2}:\d{2}\s*,?\s*)?(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s*[-,|]?\s*\d{1,2}:\d{2}(?::\d{2})?)?(?:\s*\(?GMT[+-]\d+\)?)?$")
            .expect("valid date-line regex")
    })
}

fn mention_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // ASCII word boundaries (`(?-u:\b)`): the boundaries here are beside digits, and a Unicode
        // `\b` keeps the regex engine off its fast DFA on Vietnamese text (it was 14 % of indexing).
        Regex::new(r"(?i)(?:(?-u:\b)(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})(?-u:\b))|(?:(?-u:\b)(\d{1,2})/((?:19|20)\d{2})(?-u:\b))|(?:năm\s+((?:19|20)\d{2})(?-u:\b))")
            .expect("valid mention regex")
    })
}

/// Parses a line that is only a date (and optionally weekday and time).
pub fn parse_date_line(line: &str) -> Option<Date> {
    let line = line.trim();
    if line.len() > 60 {
        return None;
    }
    let c = date_line_re().captures(line)?;
    let day: u8 = c[1].parse().ok()?;
    let month: u8 = c[2].parse().ok()?;
    let year: u16 = c[3].parse().ok()?;
    valid(year, month, day)
}

fn valid(year: u16, month: u8, day: u8) -> Option<Date> {
    ((1900..=2100).contains(&year) && (1..=12).contains(&month) && day <= 31).then_some(Date {
        year,
        month,
        day,
    })
}

/// How often a text must name a bare year (`năm 2017`) for it to count as the year of writing.
///
/// Once is history as often as not (`gia nhập EEC năm 1973`): on the 35,440 articles of 2017 in the
/// shared corpus, the most mentioned bare year was right for 36 % of the texts given one that way
/// (1,657 fell before 2000); demanding two mentions, 49 % (433 before 2000), and on the gold facet
/// labels 33 of 40 documents right (year or none) against 31.
const BARE_YEAR_MENTIONS: usize = 2;

/// The best evidence of when a text was written, from the dates it mentions (none after `max_year`):
/// the latest full date or month/year (`25/9/2017`, `tháng 3/2018`) — a report cannot predate the
/// events it reports; failing those, the year most often mentioned as `năm YYYY` (ties: the latest)
/// if the text names it at least [`BARE_YEAR_MENTIONS`] times, never a target (`đến năm 2030`,
/// `vào năm 2020`) or a span (`năm 2025-2035`); else none.
pub fn latest_mentioned(text: &str, max_year: u16) -> Option<Date> {
    let mut dated: Option<Date> = None;
    let mut bare: std::collections::BTreeMap<u16, usize> = std::collections::BTreeMap::new();
    for c in mention_re().captures_iter(text) {
        let parse_y = |m: regex::Match| m.as_str().parse::<u16>().ok();
        let parse_n = |m: regex::Match| m.as_str().parse::<u8>().ok();
        if let (Some(d), Some(m), Some(y)) = (c.get(1), c.get(2), c.get(3)) {
            let date = valid(
                parse_y(y).unwrap_or(0),
                parse_n(m).unwrap_or(0),
                parse_n(d).unwrap_or(0),
            );
            if let Some(d) = date.filter(|d| d.year <= max_year) {
                dated = dated.max(Some(d));
            }
        } else if let (Some(m), Some(y)) = (c.get(4), c.get(5)) {
            let date = valid(parse_y(y).unwrap_or(0), parse_n(m).unwrap_or(0), 0);
            if let Some(d) = date.filter(|d| d.year <= max_year) {
                dated = dated.max(Some(d));
            }
        } else if let Some(y) = c.get(6) {
            let before = &text[..c.get(0).map_or(0, |m| m.start())];
            let tail: String = before
                .chars()
                .rev()
                .take(TARGET_CUE_CHARS)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let after = &text[c.get(0).map_or(0, |m| m.end())..];
            if is_target(&tail, after) {
                continue;
            }
            if let Some(year) = parse_y(y).filter(|y| (1900..=max_year).contains(y)) {
                *bare.entry(year).or_default() += 1;
            }
        }
    }
    dated.or_else(|| {
        bare.iter()
            .filter(|(_, count)| **count >= BARE_YEAR_MENTIONS)
            .max_by_key(|(year, count)| (**count, **year))
            .map(|(year, _)| Date {
                year: *year,
                month: 0,
                day: 0,
            })
    })
}

/// How far before `năm YYYY` a target cue is looked for (`mục tiêu đến năm 2030`).
const TARGET_CUE_CHARS: usize = 12;

/// Words before `năm YYYY` that make it a target or a plan, not when the text was written.
const TARGET_CUES: [&str; 7] = [
    "đến ",
    "tới ",
    "sau ",
    "trước ",
    "vào ",
    "mục tiêu ",
    "giai đoạn ",
];

/// Whether the `năm YYYY` between `tail` (the text just before it) and `after` (just after the
/// year) names a target or a period rather than a time the text reports on: `đến năm 2025`,
/// `Đến năm 2025` (any case), `giai đoạn năm 2021`, or a span `năm 2025-2035`, `năm 2016 – 2020`.
fn is_target(tail: &str, after: &str) -> bool {
    let tail = tail.to_lowercase();
    if TARGET_CUES.iter().any(|w| tail.ends_with(w)) {
        return true;
    }
    let after = after.trim_start();
    let rest = after
        .strip_prefix('-')
        .or_else(|| after.strip_prefix('–'))
        .or_else(|| after.strip_prefix("đến"))
        .map(str::trim_start);
    rest.is_some_and(|r| r.len() >= 4 && r.as_bytes()[..4].iter().all(u8::is_ascii_digit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(year: u16, month: u8, day: u8) -> Option<Date> {
        Some(Date { year, month, day })
    }

    #[test]
    fn weekday_date_and_time() {
        assert_eq!(parse_date_line("Thứ sáu, 14/05/2010 14:56"), d(2010, 5, 14));
    }

    #[test]
    fn time_first_then_date() {
        assert_eq!(parse_date_line("09:05, 06/08/2024"), d(2024, 8, 6));
    }

    #[test]
    fn weekday_and_date_only() {
        assert_eq!(parse_date_line("Thứ năm, 01/10/2020"), d(2020, 10, 1));
    }

    #[test]
    fn prose_is_not_a_date_line() {
        assert_eq!(
            parse_date_line("Ngày 14/5/2010, tại trụ sở Bộ Thông tin và Truyền thông"),
            None
        );
    }

    #[test]
    fn latest_mention_wins() {
        let text = "từ năm 1992 và cho đến năm 2005 … tháng 3/2018 … năm 2017";
        assert_eq!(latest_mentioned(text, 2026), d(2018, 3, 0));
        assert_eq!(
            latest_mentioned("từ năm 1992, năm 2005; năm 2005 và năm 1992", 2026),
            d(2005, 0, 0)
        );
    }

    #[test]
    fn full_dates_are_mentions() {
        assert_eq!(
            latest_mentioned("Sáng nay 25/9/2017, Thủ tướng", 2026),
            d(2017, 9, 25)
        );
    }

    #[test]
    fn future_years_are_ignored() {
        assert_eq!(
            latest_mentioned("mục tiêu năm 2030, từ năm 2016, năm 2016", 2026),
            d(2016, 0, 0)
        );
        assert_eq!(
            latest_mentioned("phấn đấu đến năm 2025, từ năm 2016 … năm 2016", 2030),
            d(2016, 0, 0)
        );
    }

    #[test]
    fn a_target_year_at_the_start_of_a_sentence_is_ignored() {
        assert_eq!(
            latest_mentioned(
                "Đến năm 2025, Việt Nam phấn đấu. Năm 2017 xuất khẩu tăng, năm 2017",
                2025
            ),
            d(2017, 0, 0)
        );
        assert_eq!(
            latest_mentioned("Đến năm 2025 sẽ hoàn thành. Đến năm 2025 …", 2025),
            None
        );
    }

    #[test]
    fn a_period_is_not_a_year_of_writing() {
        assert_eq!(
            latest_mentioned(
                "từ năm 2025-2035, năm 2025-2035 và năm 2017, năm 2017",
                2025
            ),
            d(2017, 0, 0)
        );
        assert_eq!(
            latest_mentioned("chiến lược năm 2021 – 2030, năm 2021 – 2030", 2025),
            None
        );
    }

    #[test]
    fn a_year_named_once_is_not_a_year_of_writing() {
        // History in an article of 2017 on Brexit: once each, so no year.
        assert_eq!(
            latest_mentioned(
                "Anh gia nhập EEC năm 1973 và trưng cầu dân ý năm 1975.",
                2026
            ),
            None
        );
    }
}
