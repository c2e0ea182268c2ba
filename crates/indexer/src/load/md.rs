//! Markdown documents: the first heading (or line) is the title; the text without markup is the body.
//! Parsing is pulldown-cmark's, so emphasis, links and code spans lose their syntax, not their words.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::clean::Cleaner;
use crate::document::RawDoc;
use crate::load::txt::{join, take_meta_line};

/// Parses the text of a `.md` file.
pub fn parse(text: &str, cleaner: &Cleaner) -> RawDoc {
    let mut blocks: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut heading_title: Option<String> = None;
    let mut links: Vec<String> = Vec::new();
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => links.push(dest_url.to_string()),
            Event::End(TagEnd::Heading(_)) => {
                if heading_title.is_none() {
                    heading_title = Some(current.trim().to_string());
                    current.clear();
                    continue;
                }
                blocks.push(std::mem::take(&mut current));
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::CodeBlock | TagEnd::BlockQuote(_),
            ) => {
                blocks.push(std::mem::take(&mut current));
            }
            Event::Text(t) | Event::Code(t) => current.push_str(&t),
            Event::SoftBreak | Event::HardBreak => current.push('\n'),
            _ => {}
        }
    }
    if !current.trim().is_empty() {
        blocks.push(current);
    }
    let mut doc = RawDoc::default();
    let mut lines: Vec<&str> = Vec::new();
    for b in &blocks {
        for l in b.lines() {
            if take_meta_line(&mut doc, l, true) {
                continue;
            }
            lines.push(l);
        }
        lines.push("");
    }
    match heading_title {
        Some(t) => doc.title = t,
        None => {
            if let Some(pos) = lines.iter().position(|l| !l.trim().is_empty()) {
                doc.title = lines.remove(pos).trim().to_string();
            }
        }
    }
    if doc.url.is_none() {
        doc.url = links.into_iter().find(|l| l.starts_with("http"));
    }
    doc.body = join(&cleaner.clean(&lines));
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn heading_is_the_title_and_markup_is_gone() {
        let d = parse(
            "# Việt Nam – Hàn Quốc\n\n*Ngày 25/5*, hai bên ký **biên bản ghi nhớ** về [Chính phủ điện tử](https://a.vn).\n",
            &Cleaner::new(&Config::builtin().furniture),
        );
        assert_eq!(d.title, "Việt Nam – Hàn Quốc");
        assert_eq!(
            d.body,
            "Ngày 25/5, hai bên ký biên bản ghi nhớ về Chính phủ điện tử."
        );
        assert_eq!(d.url.as_deref(), Some("https://a.vn"));
    }
}
