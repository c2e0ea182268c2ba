//! Metadata and facet extraction: date and year, countries, ministries, topics.

pub mod country;
pub mod date;
pub mod gazetteer;
pub mod ministry;
pub mod topic;

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
            ministries: ministry::MinistryExtractor::new(&config.ministries),
            topics: topic::TopicExtractor::new(&config.topics),
            this_year,
        }
    }

    /// Turns a loaded file into a document: facets, year, and the given id and hash.
    pub fn document(&self, id: String, hash: String, raw: RawDoc) -> Document {
        let title_toks = gazetteer::tokens(&raw.title);
        let body_toks = gazetteer::tokens(&raw.body);
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
        }
    }
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
    fn current_year_is_plausible() {
        let y = current_year();
        assert!((2024..2100).contains(&y), "{y}");
    }
}
