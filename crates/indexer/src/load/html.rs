//! HTML pages: the title and the main text, never markup, scripts, styles or navigation.
//!
//! Parsing is html5ever's (through `scraper`), so entities and broken markup come out as a browser
//! would read them. The main text is the `<article>` (or `<main>`, or `<body>`) without `script`,
//! `style`, `nav`, `header`, `footer`, `aside`, `form` and `noscript`.
//!
//! Bytes become text before parsing, so the charset a page declares is read first, from the raw
//! bytes, by [`declared_charset`], and handed to the decoder.

use scraper::{ElementRef, Html, Node, Selector};

use crate::clean::Cleaner;
use crate::document::RawDoc;
use crate::load::txt::{join, take_meta_line};

const SKIP: [&str; 10] = [
    "script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template", "iframe",
];
const BLOCK: [&str; 16] = [
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "section",
    "article",
    "blockquote",
    "pre",
    "figcaption",
];

fn text_of(el: ElementRef, out: &mut String) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                if SKIP.contains(&name) {
                    continue;
                }
                if let Some(child_el) = ElementRef::wrap(child) {
                    let block = BLOCK.contains(&name);
                    if block {
                        out.push('\n');
                    }
                    text_of(child_el, out);
                    if block {
                        out.push('\n');
                    }
                }
            }
            _ => {}
        }
    }
}

fn first<'a>(doc: &'a Html, selector: &str) -> Option<ElementRef<'a>> {
    Selector::parse(selector)
        .ok()
        .and_then(|s| doc.select(&s).next())
}

/// How far into a page the charset declaration is looked for: the HTML standard's prescan reads
/// the first 1024 bytes, and browsers display a page by what they find there.
pub const PRESCAN_BYTES: usize = 1024;

/// The charset label a page declares in a `<meta>` among its first [`PRESCAN_BYTES`]:
/// `<meta charset="windows-1258">`, or `<meta http-equiv="Content-Type" content="text/html;
/// charset=iso-8859-1">`. The label is returned as written (trimmed, lower case); what it means is
/// the decoder's business.
///
/// Before: `<head><meta charset='VNI'>`. After: `Some("vni")`.
pub fn declared_charset(bytes: &[u8]) -> Option<String> {
    let head = bytes[..bytes.len().min(PRESCAN_BYTES)].to_ascii_lowercase();
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    fn trim(b: &[u8]) -> &[u8] {
        let start = b
            .iter()
            .position(|c| !c.is_ascii_whitespace())
            .unwrap_or(b.len());
        &b[start..]
    }
    let mut from = 0;
    while let Some(i) = find(&head[from..], b"<meta") {
        let start = from + i + 5;
        let end = head[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(head.len(), |e| start + e);
        let tag = &head[start..end];
        from = end;
        let Some(j) = find(tag, b"charset") else {
            continue;
        };
        let Some(value) = trim(&tag[j + 7..]).strip_prefix(b"=") else {
            continue;
        };
        let value = trim(value);
        let value = value
            .strip_prefix(b"\"")
            .or_else(|| value.strip_prefix(b"'"))
            .unwrap_or(value);
        let label: Vec<u8> = value
            .iter()
            .take_while(|b| {
                !matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') && !b.is_ascii_whitespace()
            })
            .copied()
            .collect();
        if !label.is_empty() {
            return String::from_utf8(label).ok();
        }
    }
    None
}

/// Parses the text of an `.html` file.
pub fn parse(text: &str, cleaner: &Cleaner) -> RawDoc {
    let html = Html::parse_document(text);
    let mut doc = RawDoc::default();
    let h1 = first(&html, "h1").map(|e| e.text().collect::<String>());
    let title = first(&html, "title").map(|e| e.text().collect::<String>());
    doc.title = h1
        .or(title)
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    doc.url = first(&html, "link[rel=canonical]")
        .and_then(|e| e.value().attr("href"))
        .or_else(|| first(&html, "meta[property='og:url']").and_then(|e| e.value().attr("content")))
        .map(String::from);
    let root = first(&html, "article")
        .or_else(|| first(&html, "main"))
        .or_else(|| first(&html, "body"));
    let mut raw = String::new();
    if let Some(root) = root {
        text_of(root, &mut raw);
    }
    let mut lines: Vec<&str> = Vec::new();
    let mut skipped_title = false;
    for l in raw.lines() {
        let t = l.trim();
        if !skipped_title && !t.is_empty() && t == doc.title {
            skipped_title = true;
            continue;
        }
        if take_meta_line(&mut doc, t, true) {
            continue;
        }
        lines.push(t);
    }
    doc.body = join(&cleaner.clean(&lines));
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn title_and_text_without_markup_scripts_or_navigation() {
        let page = r#"<html><head><title>Trang</title><script>var x = "hợp tác";</script><style>p{}</style></head>
<body><nav>Trang chủ | Tin tức</nav><article><h1>Việt Nam &ndash; Hàn Quốc</h1>
<p>Hai bên <b>ký kết</b> biên bản &amp; thỏa thuận.</p><p>Đoạn hai.</p></article><footer>Bản quyền</footer></body></html>"#;
        let d = parse(page, &Cleaner::new(&Config::builtin().furniture));
        assert_eq!(d.title, "Việt Nam – Hàn Quốc");
        assert_eq!(d.body, "Hai bên ký kết biên bản & thỏa thuận.\n\nĐoạn hai.");
    }

    #[test]
    fn meta_charset_in_both_forms() {
        assert_eq!(
            declared_charset(b"<html><head><meta charset=\"windows-1258\">").as_deref(),
            Some("windows-1258")
        );
        assert_eq!(
            declared_charset(
                b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=ISO-8859-1\">"
            )
            .as_deref(),
            Some("iso-8859-1")
        );
        assert_eq!(
            declared_charset(b"<meta charset='VNI' />").as_deref(),
            Some("vni")
        );
    }

    #[test]
    fn no_declaration_or_one_too_late_is_none() {
        assert_eq!(
            declared_charset(b"<html><head><title>T</title><meta name=\"x\">"),
            None
        );
        let mut late = vec![b' '; PRESCAN_BYTES];
        late.extend(b"<meta charset=\"windows-1258\">");
        assert_eq!(declared_charset(&late), None);
        assert_eq!(declared_charset(b"<meta charset=>"), None);
        assert_eq!(declared_charset(b"<meta"), None);
    }
}
