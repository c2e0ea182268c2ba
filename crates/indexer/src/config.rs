//! index-config/: the gazetteers, acronyms, stop words, word list, cleaning rules and limits.
//!
//! The files are plain commented TOML and text so that a domain expert can edit them without Rust.
//! A copy of the repository's index-config is compiled into the binary, so hoptac works from any
//! directory; a folder given on the command line (default `index-config/` when it exists) wins. The
//! parsed configuration is saved next to the index it built, so queries use exactly the gazetteers
//! and acronyms the documents were indexed with, and its hash tells when a re-extraction is due.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::IndexerError;

/// Changes whenever an extraction rule (dates, countries, ministries, topics, cleaning) changes what
/// it extracts from the same text and configuration.
pub const EXTRACTION_VERSION: &str = "extract-5";

/// One country: canonical Vietnamese name and aliases.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Country {
    /// Canonical name, used as the facet value (`Hoa Kỳ`).
    pub name: String,
    /// ISO 3166 alpha-2 code.
    #[serde(default)]
    pub code: String,
    /// Other names, Vietnamese and English (`Mỹ`, `United States`).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Upper-case short forms matched only as written (`USA`).
    #[serde(default)]
    pub acronym_aliases: Vec<String>,
    /// One-syllable forms that name the country only beside another country, the way headlines
    /// name two sides (`Việt – Hàn`, `Việt-Nhật`): alone they are common words or names.
    #[serde(default)]
    pub pair_forms: Vec<String>,
}

/// The countries file.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Countries {
    /// Words after which a `needs_cue` alias counts (`nước Anh`).
    #[serde(default)]
    pub cues: Vec<String>,
    /// Aliases that are also common words or names, counted only after a cue.
    #[serde(default)]
    pub needs_cue: Vec<String>,
    /// Words after which a single body mention makes a country a facet value (`Tổng thống Pháp`).
    #[serde(default)]
    pub actor_cues: Vec<String>,
    /// The corpus's own country (`Việt Nam` for the Vietnamese press): one side of nearly every
    /// story, so a query naming it says little about which documents it wants.
    #[serde(default)]
    pub home: String,
    /// Names that contain a country's name but are something else (`Ấn Độ Dương`, the Indian Ocean).
    #[serde(default)]
    pub not_countries: Vec<String>,
    /// Words after which a capitalised pair is a person's or a place's name (`chị Mỹ Linh`, `tỉnh
    /// Lào Cai`), not a country and a name.
    #[serde(default)]
    pub name_context: Vec<String>,
    /// The countries.
    #[serde(default, rename = "country")]
    pub countries: Vec<Country>,
}

/// One ministry or ministerial-level agency.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Ministry {
    /// Canonical name (`Bộ Thông tin và Truyền thông`).
    pub name: String,
    /// The country it belongs to.
    #[serde(default)]
    pub country: String,
    /// Other names (`Bộ TT&TT`).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Acronyms matched only as written (`MIC`).
    #[serde(default)]
    pub acronyms: Vec<String>,
}

/// The ministries file.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Ministries {
    /// The home country's ministry a title without a portfolio stands for (`Ngoại trưởng`, the
    /// foreign minister → `Bộ Ngoại giao`).
    #[serde(default)]
    pub foreign_ministry: String,
    /// Institutions only the home country's public life has (`UBND`, `Tỉnh ủy`): a document naming
    /// one is about the home country, so its ministries named without a country are the home
    /// country's, whatever foreign country it also names.
    #[serde(default)]
    pub home_context: Vec<String>,
    /// Words before `Bộ trưởng` that make it the name of a ministerial meeting (`Hội nghị Bộ
    /// trưởng Quốc phòng NATO`), not a ministry acting.
    #[serde(default)]
    pub meetings: Vec<String>,
    /// The ministries.
    #[serde(default, rename = "ministry")]
    pub ministries: Vec<Ministry>,
}

/// One topic and its trigger phrases.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Topic {
    /// Facet value.
    pub name: String,
    /// Phrases that signal the topic.
    pub triggers: Vec<String>,
}

/// The topics file.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Topics {
    /// Body mentions needed when the title has none.
    #[serde(default = "default_min_mentions")]
    pub min_mentions: usize,
    /// The topics.
    #[serde(default, rename = "topic")]
    pub topics: Vec<Topic>,
}

fn default_min_mentions() -> usize {
    2
}

/// One acronym.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Acronym {
    /// The acronym as usually written (`ATTT`).
    pub acronym: String,
    /// Other spellings (`TTTT` for `TT&TT`).
    #[serde(default)]
    pub variants: Vec<String>,
    /// Vietnamese expansions.
    #[serde(default)]
    pub expansions: Vec<String>,
    /// English expansions.
    #[serde(default)]
    pub english: Vec<String>,
    /// A short form with several everyday meanings: not expanded from the acronym side.
    #[serde(default)]
    pub ambiguous: bool,
}

/// The acronyms file.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Acronyms {
    /// The acronyms.
    #[serde(default, rename = "acronym")]
    pub acronyms: Vec<Acronym>,
}

/// One English → Vietnamese glossary entry.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct GlossaryTerm {
    /// English phrases.
    pub en: Vec<String>,
    /// Vietnamese equivalents.
    pub vi: Vec<String>,
}

/// A set of Vietnamese words or phrases that mean the same thing.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Synonyms {
    /// The equivalent phrases.
    pub words: Vec<String>,
}

/// The glossary file.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Glossary {
    /// English → Vietnamese entries.
    #[serde(default, rename = "term")]
    pub terms: Vec<GlossaryTerm>,
    /// Vietnamese synonym sets.
    #[serde(default, rename = "synonym")]
    pub synonyms: Vec<Synonyms>,
}

/// Site-furniture cleaning rules.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Furniture {
    /// Lines dropped wherever they are.
    #[serde(default)]
    pub drop_lines: Vec<String>,
    /// Lines that end the article.
    #[serde(default)]
    pub end_markers: Vec<String>,
    /// Share of the text that must precede an end marker for it to apply.
    #[serde(default)]
    pub min_article_fraction: f64,
}

/// Limits on what is read (limits.toml).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Limits {
    /// Files larger than this many bytes are reported and skipped.
    #[serde(default = "default_max_file_bytes", skip_serializing)]
    pub max_file_bytes: u64,
    /// Tokens analysed per field value; the rest of a longer text is stored and shown but not
    /// indexed (see `hoptac_analyzer::limit`).
    #[serde(default = "default_max_tokens_per_field")]
    pub max_tokens_per_field: usize,
}

fn default_max_tokens_per_field() -> usize {
    hoptac_analyzer::DEFAULT_MAX_TOKENS_PER_FIELD
}

fn default_max_file_bytes() -> u64 {
    50 * 1024 * 1024
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: default_max_file_bytes(),
            max_tokens_per_field: default_max_tokens_per_field(),
        }
    }
}

/// The whole of index-config.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Config {
    /// countries.toml
    pub countries: Countries,
    /// ministries.toml
    pub ministries: Ministries,
    /// topics.toml
    pub topics: Topics,
    /// acronyms.toml
    pub acronyms: Acronyms,
    /// glossary.toml
    pub glossary: Glossary,
    /// furniture.toml
    pub furniture: Furniture,
    /// stopwords.txt
    pub stopwords: Vec<String>,
    /// words.txt
    pub words: Vec<String>,
    /// family-names.txt (absent from the copy saved by an older hoptac, hence the default).
    #[serde(default)]
    pub family_names: Vec<String>,
    /// limits.toml. The file size limit is left out of the saved copy and the hash (it decides
    /// which files are read, not what is indexed of them); the token cap is in both, since
    /// changing it changes what every long document is found by.
    #[serde(default)]
    pub limits: Limits,
}

impl Default for Topics {
    fn default() -> Self {
        Topics {
            min_mentions: default_min_mentions(),
            topics: Vec::new(),
        }
    }
}

/// The index-config files, by name, as compiled into the binary.
const BUILTIN: [(&str, &str); 10] = [
    (
        "countries.toml",
        include_str!("../../../index-config/countries.toml"),
    ),
    (
        "ministries.toml",
        include_str!("../../../index-config/ministries.toml"),
    ),
    (
        "topics.toml",
        include_str!("../../../index-config/topics.toml"),
    ),
    (
        "acronyms.toml",
        include_str!("../../../index-config/acronyms.toml"),
    ),
    (
        "glossary.toml",
        include_str!("../../../index-config/glossary.toml"),
    ),
    (
        "furniture.toml",
        include_str!("../../../index-config/furniture.toml"),
    ),
    (
        "stopwords.txt",
        include_str!("../../../index-config/stopwords.txt"),
    ),
    ("words.txt", include_str!("../../../index-config/words.txt")),
    (
        "family-names.txt",
        include_str!("../../../index-config/family-names.txt"),
    ),
    (
        "limits.toml",
        include_str!("../../../index-config/limits.toml"),
    ),
];

impl Config {
    /// The configuration compiled into the binary (the repository's index-config/).
    pub fn builtin() -> Config {
        Config::from_sources(|name| {
            Ok(BUILTIN
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, s)| s.to_string()))
        })
        .expect("the bundled index-config parses (checked by a test)")
    }

    /// Reads a configuration folder; a file missing from it falls back to the built-in one.
    pub fn load(dir: &Path) -> Result<Config, IndexerError> {
        if !dir.is_dir() {
            return Err(IndexerError::Config {
                file: dir.display().to_string(),
                message: "not a directory".into(),
            });
        }
        Config::from_sources(|name| {
            let path = dir.join(name);
            if path.exists() {
                std::fs::read_to_string(&path)
                    .map(Some)
                    .map_err(|e| IndexerError::Config {
                        file: path.display().to_string(),
                        message: e.to_string(),
                    })
            } else {
                Ok(BUILTIN
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, s)| s.to_string()))
            }
        })
    }

    fn from_sources(
        read: impl Fn(&str) -> Result<Option<String>, IndexerError>,
    ) -> Result<Config, IndexerError> {
        fn toml_file<T: for<'de> Deserialize<'de> + Default>(
            name: &str,
            text: Option<String>,
        ) -> Result<T, IndexerError> {
            match text {
                None => Ok(T::default()),
                Some(t) => toml::from_str(&t).map_err(|e| IndexerError::Config {
                    file: name.to_string(),
                    message: e.to_string(),
                }),
            }
        }
        fn lines(text: Option<String>) -> Vec<String> {
            text.unwrap_or_default()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(String::from)
                .collect()
        }
        Ok(Config {
            countries: toml_file("countries.toml", read("countries.toml")?)?,
            ministries: toml_file("ministries.toml", read("ministries.toml")?)?,
            topics: toml_file("topics.toml", read("topics.toml")?)?,
            acronyms: toml_file("acronyms.toml", read("acronyms.toml")?)?,
            glossary: toml_file("glossary.toml", read("glossary.toml")?)?,
            furniture: toml_file("furniture.toml", read("furniture.toml")?)?,
            stopwords: lines(read("stopwords.txt")?),
            words: lines(read("words.txt")?),
            family_names: lines(read("family-names.txt")?),
            limits: toml_file("limits.toml", read("limits.toml")?)?,
        })
    }

    /// A hash of everything that affects what is extracted or expanded — this configuration and the
    /// version of the extraction rules — recorded with the index, so that a change to either
    /// re-extracts every document on the next `hoptac index`.
    pub fn hash(&self) -> String {
        let mut json = serde_json::to_vec(self).unwrap_or_default();
        json.extend_from_slice(EXTRACTION_VERSION.as_bytes());
        blake3::hash(&json).to_hex()[..16].to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_config_parses_and_has_content() {
        let c = Config::builtin();
        assert!(c.countries.countries.iter().any(|c| c.name == "Hàn Quốc"));
        assert!(c
            .ministries
            .ministries
            .iter()
            .any(|m| m.acronyms.contains(&"MIC".to_string())));
        assert!(c.acronyms.acronyms.iter().any(|a| a.acronym == "ATTT"));
        assert!(c.topics.topics.len() > 5);
        assert!(c.words.len() > 10_000);
        assert!(c.stopwords.contains(&"các".to_string()));
    }

    #[test]
    fn a_folder_overrides_the_builtin_file_by_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("topics.toml"),
            "[[topic]]\nname = \"Thử\"\ntriggers = [\"thử nghiệm\"]\n",
        )
        .unwrap();
        let c = Config::load(dir.path()).unwrap();
        assert_eq!(c.topics.topics.len(), 1);
        assert!(!c.countries.countries.is_empty());
        assert_ne!(c.hash(), Config::builtin().hash());
    }

    #[test]
    fn limits_come_from_limits_toml_and_only_the_token_cap_is_in_the_hash() {
        assert_eq!(Config::builtin().limits.max_file_bytes, 50 * 1024 * 1024);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("limits.toml"), "max_file_bytes = 1_000\n").unwrap();
        let c = Config::load(dir.path()).unwrap();
        assert_eq!(c.limits.max_file_bytes, 1_000);
        assert_eq!(c.hash(), Config::builtin().hash());
        std::fs::write(
            dir.path().join("limits.toml"),
            "max_tokens_per_field = 10\n",
        )
        .unwrap();
        let capped = Config::load(dir.path()).unwrap();
        assert_eq!(capped.limits.max_tokens_per_field, 10);
        assert_ne!(
            capped.hash(),
            Config::builtin().hash(),
            "the cap changes what is indexed"
        );
    }

    #[test]
    fn a_broken_file_is_reported_with_its_name() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("countries.toml"), "[[country]\nname=").unwrap();
        let err = Config::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("countries.toml"), "{err}");
    }
}
