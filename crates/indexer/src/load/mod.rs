//! Loading files into raw documents, one module per format.

pub mod html;
pub mod json;
pub mod md;
pub mod txt;

use std::path::Path;

use hoptac_analyzer::decode::{decode, decode_declared, DecodeError};

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

/// A title longer than this (in characters) is a paragraph, or a file without line breaks: it goes
/// back to the body, and the title becomes its beginning.
pub const MAX_TITLE_CHARS: usize = 300;

/// The beginning of a long line as a title: at most 200 characters, cut at a space, with `…`.
///
/// Before: a 10 MB line `"Hợp tác Việt Nam – Hàn Quốc …"`. After: `"Hợp tác Việt Nam – Hàn Quốc …"`,
/// under 200 characters.
pub fn short_title(line: &str) -> String {
    let line = line.trim();
    let Some((cut, _)) = line.char_indices().nth(200) else {
        return line.to_string();
    };
    let head = &line[..cut];
    let head = head.rfind(char::is_whitespace).map_or(head, |i| &head[..i]);
    format!("{}…", head.trim_end())
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
    let decoded = match format {
        "html" => decode_declared(bytes, html::declared_charset(bytes).as_deref())?,
        _ => decode(bytes)?,
    };
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
    if doc.title.chars().count() > MAX_TITLE_CHARS {
        let long = std::mem::take(&mut doc.title);
        doc.body = if doc.body.is_empty() {
            long
        } else {
            format!("{long}\n\n{}", doc.body)
        };
    }
    if doc.title.trim().is_empty() {
        let first = doc
            .body
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        doc.title = short_title(first);
    }
    doc.format = format;
    doc.encoding = decoded.encoding;
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn cleaner() -> Cleaner {
        Cleaner::new(&Config::builtin().furniture)
    }

    #[test]
    fn short_title_cuts_at_a_space() {
        let line = "Hợp tác Việt Nam – Hàn Quốc ".repeat(20);
        let t = short_title(&line);
        assert!(t.chars().count() <= 201, "{t}");
        let head = t.strip_suffix('…').unwrap();
        assert!(line.starts_with(head), "{t}");
        assert!(
            line[head.len()..].starts_with(' '),
            "cut inside a word: {t}"
        );
        assert_eq!(short_title("Hợp tác"), "Hợp tác");
    }

    #[test]
    fn a_line_too_long_for_a_title_stays_in_the_body() {
        let line = "hợp tác ".repeat(1000);
        let doc = load(Path::new("a.txt"), line.as_bytes(), &cleaner()).unwrap();
        assert!(doc.title.chars().count() <= 201);
        assert_eq!(doc.body, line.trim());
    }

    #[test]
    fn a_tcvn3_text_file_records_its_encoding() {
        let text =
            "Hội nghị Ban Hợp tác\n\nNgày 14/5/2010, tại Hà Nội, hai bên ký biên bản ghi nhớ.";
        let bytes = hoptac_analyzer::decode::tcvn3::encode(text).unwrap();
        let doc = load(Path::new("a.txt"), &bytes, &cleaner()).unwrap();
        assert_eq!(doc.title, "Hội nghị Ban Hợp tác");
        assert_eq!(doc.encoding, "tcvn3");
    }

    #[test]
    fn an_html_page_is_decoded_with_its_meta_charset() {
        let mut page = b"<html><head><meta charset=\"windows-1258\"></head><body><h1>".to_vec();
        page.extend(
            b"Vi\xea\xf2t Nam - H\xe0n Qu\xf4\xecc</h1><p>H\xf5\xf2p ta\xecc.</p></body></html>",
        );
        let doc = load(Path::new("a.html"), &page, &cleaner()).unwrap();
        assert_eq!(doc.title, "Việt Nam - Hàn Quốc");
        assert_eq!(doc.body, "Hợp tác.");
        assert_eq!(doc.encoding, "windows-1258");
    }

    #[test]
    fn deeply_nested_json_is_an_error_not_a_crash() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let err = load(Path::new("a.json"), deep.as_bytes(), &cleaner()).unwrap_err();
        assert!(err.to_string().contains("recursion limit"), "{err}");
    }
}
