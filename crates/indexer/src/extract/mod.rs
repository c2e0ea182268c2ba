//! Metadata and facet extraction: date and year, countries, ministries, topics.

pub mod country;
pub mod date;
pub mod gazetteer;
pub mod ministry;
pub mod topic;

use hoptac_analyzer::views::Analysis;
use hoptac_analyzer::Lexicon;

use crate::config::Config;
use crate::document::{Document, RawDoc};

/// The latest year a document can be about; mentions after it are plans, not history.
pub const MAX_YEAR: u16 = 2100;

/// Everything compiled from index-config that extraction needs, built once per run.
#[derive(Clone, Debug)]
pub struct Extractor {
    /// Segmentation word list (also rejects names inside longer words).
    pub lexicon: Lexicon,
    /// Country gazetteer.
    pub countries: country::CountryExtractor,
    /// Ministry gazetteer.
    pub ministries: ministry::MinistryExtractor,
    /// Topic triggers.
    pub topics: topic::TopicExtractor,
    /// The current year: a text cannot be from later.
    pub this_year: u16,
}

fn merge(given: &[String], extracted: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = given.to_vec();
    for e in extracted {
        if !out.contains(&e) {
            out.push(e);
        }
    }
    out
}

impl Extractor {
    /// Compiles a configuration.
    pub fn new(config: &Config) -> Self {
        let lexicon = Lexicon::new(config.words.iter().map(String::as_str));
        let this_year = current_year();
        Extractor {
            lexicon,
            countries: country::CountryExtractor::new(&config.countries),
            ministries: ministry::MinistryExtractor::new(
                &config.ministries,
                &config.countries.home,
            ),
            topics: topic::TopicExtractor::new(&config.topics),
            this_year,
        }
    }

    /// Turns a loaded file into a document: facets, year, and the given id and hash. `title` and
    /// `body` are the analyses of `raw`'s title and body, which the caller may hand on to the
    /// index's views ([`Analysis::offer`]).
    pub fn document(
        &self,
        id: String,
        hash: String,
        raw: RawDoc,
        title: &Analysis,
        body: &Analysis,
    ) -> Document {
        debug_assert!(title.text() == raw.title && body.text() == raw.body);
        let title_toks = gazetteer::tokens_of(title);
        let story = without_related_links(&raw.body);
        let body_toks = match &story {
            std::borrow::Cow::Borrowed(_) => gazetteer::tokens_of(body),
            std::borrow::Cow::Owned(story) => gazetteer::tokens(story),
        };
        let country = self
            .countries
            .extract(&title_toks, &body_toks, &self.lexicon);
        let ministry = self.ministries.extract(
            &title_toks,
            &body_toks,
            &self.countries,
            &country,
            &self.lexicon,
        );
        let topic = self.topics.extract(&title_toks, &body_toks);
        let date = raw.date.or_else(|| {
            date::latest_mentioned(&raw.title, self.this_year)
                .into_iter()
                .chain(date::latest_mentioned(&raw.body, self.this_year))
                .max()
        });
        Document {
            id,
            title: raw.title,
            body: raw.body,
            date: raw.date.map(|d| d.iso()),
            year: date.map(|d| d.year as u64),
            url: raw.url,
            country: merge(&raw.given_country, country),
            ministry: merge(&raw.given_ministry, ministry),
            topic: merge(&raw.given_topic, topic),
            hash,
            format: raw.format.to_string(),
            encoding: raw.encoding.to_string(),
            group: String::new(),
        }
    }
}

/// The body without the headlines of related articles that news sites put in square brackets inside
/// the story (`[Bộ Ngoại giao Mỹ đang thay đổi "giọng điệu" đối với Qatar]`): they name other stories'
/// countries and ministries. A bracketed span counts as a headline when it starts with a capital and
/// has at least four words; shorter ones (`[1]`, `[Infographics]`, `[sic]`) are kept.
pub fn without_related_links(body: &str) -> std::borrow::Cow<'_, str> {
    let mut out = String::new();
    let mut kept = 0;
    let mut from = 0;
    while let Some(open) = body[from..].find('[').map(|i| from + i) {
        let Some(close) = body[open + 1..]
            .find([']', '\n', '['])
            .map(|i| open + 1 + i)
        else {
            break;
        };
        from = close;
        if !body[close..].starts_with(']') {
            continue;
        }
        let inner = &body[open + 1..close];
        let headline = inner
            .trim_start()
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
            && inner.split_whitespace().count() >= 4;
        if headline {
            out.push_str(&body[kept..open]);
            out.push('\n');
            kept = close + 1;
        }
        from = close + 1;
    }
    if kept == 0 {
        return std::borrow::Cow::Borrowed(body);
    }
    out.push_str(&body[kept..]);
    std::borrow::Cow::Owned(out)
}

/// The current calendar year (UTC).
pub fn current_year() -> u16 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    // Days since 1970-01-01 → civil year (Howard Hinnant's algorithm).
    let days = (secs / 86_400) as i64 + 719_468;
    let era = days.div_euclid(146_097);
    let doe = days - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    year.clamp(1970, MAX_YEAR as i64) as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn related_headlines_in_brackets_are_not_the_story() {
        let body = "88 binh sĩ tại Qatar.  [Bộ Ngoại giao Mỹ đang thay đổi \"giọng điệu\" đối với \
                    Qatar]  Trong khi đó [1], chuyến tàu [Infographics] đến Doha.";
        assert_eq!(
            without_related_links(body),
            "88 binh sĩ tại Qatar.  \n  Trong khi đó [1], chuyến tàu [Infographics] đến Doha."
        );
        assert_eq!(
            without_related_links("[Tin [lồng] nhau"),
            "[Tin [lồng] nhau"
        );
        assert_eq!(
            without_related_links("không có ngoặc ]["),
            "không có ngoặc ]["
        );
    }

    #[test]
    fn current_year_is_plausible() {
        let y = current_year();
        assert!((2024..2100).contains(&y), "{y}");
    }
}
