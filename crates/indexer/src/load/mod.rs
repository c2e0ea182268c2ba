//! Loading files into raw documents, one module per format.

pub mod html;
pub mod json;
pub mod md;
pub mod txt;

use std::path::Path;

use hoptac_analyzer::decode::{decode, DecodeError};

use crate::clean::Cleaner;
use crate::document::RawDoc;

/// Why a file could not become a document.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// Bytes that are not text.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// A `.json` file that does not parse.
    #[error("invalid JSON: {0}")]
    Json(String),
    /// A `.json` file whose top level is not an object.
    #[error("JSON document is not an object")]
    NotAnObject,
    /// A required field is missing or not a string.
    #[error("JSON document has no string field `{0}`")]
    MissingField(&'static str),
    /// Nothing left to index after cleaning.
    #[error("no text to index")]
    NoText,
    /// Not one of the formats hoptac reads.
    #[error("unsupported file type")]
    Unsupported,
}

/// The formats hoptac reads, by file extension.
pub fn format_of(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" | "text" => Some("txt"),
        "md" | "markdown" => Some("md"),
        "html" | "htm" => Some("html"),
        "json" => Some("json"),
        _ => None,
    }
}

/// Loads one file's bytes as a document of the format its name says.
pub fn load(path: &Path, bytes: &[u8], cleaner: &Cleaner) -> Result<RawDoc, LoadError> {
    let format = format_of(path).ok_or(LoadError::Unsupported)?;
    let decoded = decode(bytes)?;
    let mut doc = match format {
        "txt" => txt::parse(&decoded.text, cleaner),
        "md" => md::parse(&decoded.text, cleaner),
        "html" => html::parse(&decoded.text, cleaner),
        "json" => json::parse(&decoded.text)?,
        _ => return Err(LoadError::Unsupported),
    };
    if doc.title.trim().is_empty() && doc.body.trim().is_empty() {
        return Err(LoadError::NoText);
    }
    if doc.title.trim().is_empty() {
        doc.title = doc
            .body
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .chars()
            .take(200)
            .collect();
    }
    doc.format = format;
    doc.encoding = decoded.encoding;
    Ok(doc)
}
