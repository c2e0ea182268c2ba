//! JSON documents: `{"title", "body", "date"?, "url"?, "country"?, "ministry"?, "topic"?}`.
//! Given facet values (a string or a list of strings) are kept beside the extracted ones.

use serde_json::Value;

use crate::document::RawDoc;
use crate::extract::date::{latest_mentioned, parse_date_line};
use crate::load::LoadError;

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) if !s.trim().is_empty() => vec![s.trim().to_string()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        _ => Vec::new(),
    }
}

/// Parses the text of a `.json` file.
pub fn parse(text: &str) -> Result<RawDoc, LoadError> {
    let value: Value = serde_json::from_str(text).map_err(|e| LoadError::Json(e.to_string()))?;
    let obj = value.as_object().ok_or(LoadError::NotAnObject)?;
    let field = |name: &'static str| obj.get(name).and_then(Value::as_str).map(str::to_string);
    let title = field("title").ok_or(LoadError::MissingField("title"))?;
    let body = field("body").ok_or(LoadError::MissingField("body"))?;
    let date = field("date").and_then(|d| {
        parse_iso(&d)
            .or_else(|| parse_date_line(&d))
            .or_else(|| latest_mentioned(&d, 2100))
    });
    Ok(RawDoc {
        title: title.trim().to_string(),
        body: body.trim().to_string(),
        date,
        url: field("url").filter(|u| !u.trim().is_empty()),
        given_country: strings(obj.get("country")),
        given_ministry: strings(obj.get("ministry")),
        given_topic: strings(obj.get("topic")),
        ..RawDoc::default()
    })
}

/// `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (an RFC 3339 time after the date is ignored).
pub fn parse_iso(s: &str) -> Option<crate::document::Date> {
    let date = s.trim().get(..10.min(s.trim().len()))?;
    let mut parts = date.split('-');
    let year: u16 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next().map(|m| m.parse().ok()).unwrap_or(Some(0))?;
    let day: u8 = parts
        .next()
        .map(|d| d.get(..2).unwrap_or(d).parse().ok())
        .unwrap_or(Some(0))?;
    ((1900..=2100).contains(&year) && month <= 12 && day <= 31).then_some(crate::document::Date {
        year,
        month,
        day,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_document() {
        let d = parse(r#"{"title":"Hợp tác","body":"Nội dung","date":"2024-08-06","url":"https://a.vn","country":["Hàn Quốc"]}"#).unwrap();
        assert_eq!(d.title, "Hợp tác");
        assert_eq!(d.date.unwrap().iso(), "2024-08-06");
        assert_eq!(d.given_country, ["Hàn Quốc"]);
    }

    #[test]
    fn not_an_object_is_an_error() {
        assert!(matches!(parse("[1,2]"), Err(LoadError::NotAnObject)));
    }

    #[test]
    fn a_missing_body_is_an_error() {
        assert!(matches!(
            parse(r#"{"title":"x"}"#),
            Err(LoadError::MissingField("body"))
        ));
    }

    #[test]
    fn broken_json_is_an_error() {
        assert!(matches!(parse("{\"title\":"), Err(LoadError::Json(_))));
    }
}
