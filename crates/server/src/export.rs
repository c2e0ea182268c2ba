//! Exports of a result set: CSV for spreadsheets, RIS for reference managers (Zotero, EndNote).
//!
//! A researcher takes findings elsewhere: a spreadsheet to count and annotate, a reference manager
//! to cite. Both formats are written here, once, for the API (`/api/search.csv`, `/api/search.ris`)
//! and the CLI (`hoptac search --format csv|ris`).
//!
//! - **CSV** (RFC 4180, through the `csv` crate): UTF-8 with a byte-order mark, without which
//!   Excel reads Vietnamese as Windows-1252 mojibake; one row per document: id, title, date, url,
//!   countries, ministries, topics (several values joined by `; `), score.
//! - **RIS**: one `TY  - NEWS` record per document (a press release is news to a reference
//!   manager): title, date (`DA`, `YYYY/MM/DD/`; `PY` the year), URL, the countries, ministries
//!   and topics as keywords, the id in `ID`, lines ending in CRLF as the format's specification
//!   writes them.

use hoptac_search::Hit;

/// Most documents an export holds: the deepest result a search reaches.
pub const MAX_EXPORT: usize = 10_000;

/// The CSV header, in column order.
pub const CSV_HEADER: [&str; 8] = [
    "id",
    "title",
    "date",
    "url",
    "countries",
    "ministries",
    "topics",
    "score",
];

/// UTF-8's byte-order mark: tells a spreadsheet the file is UTF-8.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Several facet values in one cell.
fn joined(values: &[String]) -> String {
    values.join("; ")
}

/// The hits as CSV: a byte-order mark, the header, one row per hit.
pub fn csv(hits: &[Hit]) -> Vec<u8> {
    let mut out = csv::Writer::from_writer(BOM.to_vec());
    let rows = std::iter::once(CSV_HEADER.map(String::from)).chain(hits.iter().map(|h| {
        [
            h.id.clone(),
            h.title.clone(),
            h.date
                .clone()
                .or_else(|| h.year.map(|y| y.to_string()))
                .unwrap_or_default(),
            h.url.clone().unwrap_or_default(),
            joined(&h.country),
            joined(&h.ministry),
            joined(&h.topic),
            format!("{:.4}", h.score),
        ]
    }));
    for row in rows {
        // Writing to a Vec cannot fail.
        out.write_record(&row).expect("CSV into memory");
    }
    out.into_inner().expect("CSV into memory")
}

/// One RIS line (`TAG  - value`), the value on one line.
fn ris_line(out: &mut String, tag: &str, value: &str) {
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.is_empty() {
        return;
    }
    out.push_str(tag);
    out.push_str("  - ");
    out.push_str(&value);
    out.push_str("\r\n");
}

/// The hits as RIS records.
pub fn ris(hits: &[Hit]) -> String {
    let mut out = String::new();
    for h in hits {
        ris_line(&mut out, "TY", "NEWS");
        ris_line(&mut out, "TI", &h.title);
        if let Some(date) = &h.date {
            // RIS dates are `YYYY/MM/DD/`; an ISO date is `YYYY-MM-DD`.
            ris_line(&mut out, "DA", &format!("{}/", date.replace('-', "/")));
        }
        if let Some(y) = h.year {
            ris_line(&mut out, "PY", &y.to_string());
        }
        if let Some(url) = &h.url {
            ris_line(&mut out, "UR", url);
        }
        for k in h.country.iter().chain(&h.ministry).chain(&h.topic) {
            ris_line(&mut out, "KW", k);
        }
        ris_line(&mut out, "LA", "vi");
        ris_line(&mut out, "ID", &h.id);
        out.push_str("ER  - \r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit() -> Hit {
        Hit {
            id: "seeds/001.txt".into(),
            title: "Việt Nam – Hàn Quốc hợp tác, \"an toàn thông tin\"".into(),
            date: Some("2010-05-14".into()),
            year: Some(2010),
            url: Some("https://mic.gov.vn/1".into()),
            score: 1.5,
            snippet: String::new(),
            passage: Default::default(),
            country: vec!["Hàn Quốc".into(), "Việt Nam".into()],
            ministry: vec!["Bộ Thông tin và Truyền thông".into()],
            topic: vec![],
            duplicates: vec![],
        }
    }

    #[test]
    fn csv_starts_with_a_bom_and_quotes_what_needs_it() {
        let bytes = csv(&[hit()]);
        assert!(bytes.starts_with(BOM));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("id,title,date,url,countries,ministries,topics,score")
        );
        assert_eq!(
            lines.next(),
            Some(
                "seeds/001.txt,\"Việt Nam – Hàn Quốc hợp tác, \"\"an toàn thông tin\"\"\",\
                 2010-05-14,https://mic.gov.vn/1,Hàn Quốc; Việt Nam,Bộ Thông tin và Truyền thông,,1.5000"
            )
        );
    }

    #[test]
    fn ris_writes_one_news_record_per_hit() {
        let text = ris(&[hit(), hit()]);
        assert_eq!(text.matches("TY  - NEWS\r\n").count(), 2);
        assert_eq!(text.matches("ER  - \r\n").count(), 2);
        assert!(text.contains("DA  - 2010/05/14/\r\n"));
        assert!(text.contains("KW  - Hàn Quốc\r\nKW  - Việt Nam\r\n"));
        assert!(!text.contains("KW  - \r\n"), "empty topics are left out");
    }
}
