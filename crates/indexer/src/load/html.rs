//! HTML pages: the title and the main text, never markup, scripts, styles or navigation.
//!
//! Parsing is html5ever's (through `scraper`), so entities, broken markup and `<meta charset>`-free
//! pages come out as a browser would read them. The main text is the `<article>` (or `<main>`, or
//! `<body>`) without `script`, `style`, `nav`, `header`, `footer`, `aside`, `form` and `noscript`.

use scraper::{ElementRef, Html, Node, Selector};

use crate::clean::Cleaner;
use crate::document::RawDoc;
use crate::extract::date::parse_date_line;
use crate::load::txt::{join, source_url};

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
        if doc.date.is_none() {
            if let Some(d) = parse_date_line(t) {
                doc.date = Some(d);
                continue;
            }
        }
        if let Some(u) = source_url(t) {
            doc.url.get_or_insert(u);
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
}
