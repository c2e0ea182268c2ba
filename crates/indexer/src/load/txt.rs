//! Plain-text press releases.
//!
//! The first non-empty line that is not a date or source line is the title; a line that is only a date
//! (`Thứ sáu, 14/05/2010 14:56`) gives the publication date; `Nguồn: URL` (or `Theo URL`, or a bare
//! URL at the end) gives the source. Furniture lines are cleaned away; the rest is the body.

use crate::clean::Cleaner;
use crate::document::RawDoc;
use crate::extract::date::parse_date_line;

/// The URL of a source line (`Nguồn: https://…`, `Theo https://…`), or of a bare URL line.
pub fn source_url(line: &str) -> Option<String> {
    let t = line.trim();
    let rest = ["Nguồn:", "Nguồn :", "Theo", "Source:"]
        .iter()
        .find_map(|p| t.strip_prefix(p))
        .unwrap_or(t)
        .trim();
    ((rest.starts_with("http://") || rest.starts_with("https://"))
        && !rest.contains(char::is_whitespace))
    .then(|| rest.to_string())
}

/// Takes a metadata line into `doc`: the first date line (when `date_allowed`) or a source line.
/// Returns true when the line was metadata, not text. Every format shares this rule.
pub fn take_meta_line(doc: &mut RawDoc, line: &str, date_allowed: bool) -> bool {
    let t = line.trim();
    if date_allowed && doc.date.is_none() {
        if let Some(d) = parse_date_line(t) {
            doc.date = Some(d);
            return true;
        }
    }
    if let Some(url) = source_url(t) {
        doc.url.get_or_insert(url);
        return true;
    }
    false
}

/// Parses the text of a `.txt` file.
pub fn parse(text: &str, cleaner: &Cleaner) -> RawDoc {
    let lines: Vec<&str> = text.lines().collect();
    let mut doc = RawDoc::default();
    let mut body_lines = Vec::with_capacity(lines.len());
    let mut title_found = false;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if t.is_empty() {
            body_lines.push(*line);
            continue;
        }
        if take_meta_line(&mut doc, t, i < 12) {
            continue;
        }
        if !title_found {
            doc.title = t.to_string();
            title_found = true;
            continue;
        }
        body_lines.push(*line);
    }
    doc.body = join(&cleaner.clean(&body_lines));
    doc
}

/// Joins lines, collapsing runs of blank lines.
pub fn join(lines: &[&str]) -> String {
    let mut out = String::new();
    let mut blank = true;
    for l in lines {
        let t = l.trim_end();
        if t.trim().is_empty() {
            if !blank {
                out.push('\n');
            }
            blank = true;
            continue;
        }
        out.push_str(t);
        out.push('\n');
        blank = false;
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn parse_text(text: &str) -> RawDoc {
        parse(text, &Cleaner::new(&Config::builtin().furniture))
    }

    #[test]
    fn title_date_and_body() {
        let d = parse_text("Hội nghị Ban Hợp tác\n\nThứ sáu, 14/05/2010 14:56\n\nNgày 14/5/2010, tại Hà Nội.\nimg\n");
        assert_eq!(d.title, "Hội nghị Ban Hợp tác");
        assert_eq!(d.date.unwrap().iso(), "2010-05-14");
        assert_eq!(d.body, "Ngày 14/5/2010, tại Hà Nội.");
    }

    #[test]
    fn date_and_source_before_the_text() {
        let d = parse_text("\n\nThứ tư, 07/04/2021\nNguồn: https://dantri.com.vn/a.htm\n\nDa nhân tạo của Nga.\nĐoạn hai.");
        assert_eq!(d.title, "Da nhân tạo của Nga.");
        assert_eq!(d.url.as_deref(), Some("https://dantri.com.vn/a.htm"));
        assert_eq!(d.body, "Đoạn hai.");
    }

    #[test]
    fn theo_url_line_is_the_source() {
        assert_eq!(
            source_url("Theo https://mic.gov.vn").as_deref(),
            Some("https://mic.gov.vn")
        );
        assert_eq!(source_url("Theo baochinhphu"), None);
    }
}
