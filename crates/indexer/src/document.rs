//! The document model: what a file becomes before it is written to the index.

use serde::{Deserialize, Serialize};

/// A calendar date as found in a document (day and month may be unknown).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Date {
    /// Year.
    pub year: u16,
    /// Month 1–12, 0 when unknown.
    pub month: u8,
    /// Day 1–31, 0 when unknown.
    pub day: u8,
}

impl Date {
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (0, _) => format!("{:04}", self.year),
            (m, 0) => format!("{:04}-{:02}", self.year, m),
            (m, d) => format!("{:04}-{:02}-{:02}", self.year, m, d),
        }
    }

    /// `YYYYMMDD`, for sorting.
    pub fn key(&self) -> u64 {
        self.year as u64 * 10_000 + self.month as u64 * 100 + self.day as u64
    }
}

/// A loaded file, before facet extraction.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawDoc {
    /// Title as written.
    pub title: String,
    /// Main text as written, site furniture removed.
    pub body: String,
    /// Date from a date line or metadata.
    pub date: Option<Date>,
    /// Source URL.
    pub url: Option<String>,
    /// Facet values given by the source itself (a JSON document's `country`, …).
    pub given_country: Vec<String>,
    /// Given ministries.
    pub given_ministry: Vec<String>,
    /// Given topics.
    pub given_topic: Vec<String>,
    /// `txt`, `md`, `html` or `json`.
    pub format: &'static str,
    /// Detected text encoding.
    pub encoding: &'static str,
}

/// A document ready to be indexed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Stable id: the corpus-relative path, `/`-separated.
    pub id: String,
    /// Title as written.
    pub title: String,
    /// Main text as written.
    pub body: String,
    /// ISO date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`) when known.
    pub date: Option<String>,
    /// Publication year, or the best evidence for it in the text.
    pub year: Option<u64>,
    /// Source URL.
    pub url: Option<String>,
    /// Partner countries (canonical names).
    pub country: Vec<String>,
    /// Ministries (canonical names).
    pub ministry: Vec<String>,
    /// Topics.
    pub topic: Vec<String>,
    /// Content hash of the source bytes.
    pub hash: String,
    /// Source format.
    pub format: String,
    /// Text encoding of the source.
    pub encoding: String,
    /// The reprint group: the id of the first document of the release this one reprints, or its
    /// own id (see [`crate::reprint`]). Empty until the document is written.
    #[serde(default)]
    pub group: String,
}
