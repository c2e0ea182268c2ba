//! Removing site furniture: menu items, icon captions and "related news" that follow an article.
//!
//! The rules are lines in furniture.toml, not per-site code: a line equal to a `drop_lines` entry is
//! dropped, and a line equal to an `end_markers` entry ends the article, provided enough of the text
//! comes before it (a marker near the top cannot eat the article). A one-word lower-case entry
//! (`img`, `icon`) glued to a capitalised word at the start of a line (`imgNgoài những…`: an image
//! placeholder that lost its line break) is cut off the line.

use crate::config::Furniture;

/// Compiled furniture rules.
#[derive(Clone, Debug, Default)]
pub struct Cleaner {
    drop: Vec<String>,
    /// The drop entries that can be glued to the next sentence: one lower-case ASCII word.
    glued: Vec<String>,
    end: Vec<String>,
    min_fraction: f64,
    /// The most words a drop or end entry has: a line with more cannot equal one, so it is not
    /// normalised to be compared (most lines of an article are sentences far longer than any entry).
    max_words: usize,
}

fn key(line: &str) -> String {
    hoptac_analyzer::normalize(line.trim())
}

/// Whether `line` has more than `max` words. Normalising a line (NFC, lower case, tone placement)
/// never adds, removes or moves whitespace, so a line and its key have the same words.
fn more_words_than(line: &str, max: usize) -> bool {
    line.split_whitespace().nth(max).is_some()
}

impl Cleaner {
    /// Compiles the rules.
    pub fn new(f: &Furniture) -> Self {
        let max_words = f
            .drop_lines
            .iter()
            .chain(&f.end_markers)
            .map(|l| l.split_whitespace().count())
            .max()
            .unwrap_or(0);
        Cleaner {
            max_words,
            drop: f.drop_lines.iter().map(|l| key(l)).collect(),
            glued: f
                .drop_lines
                .iter()
                .filter(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_lowercase()))
                .cloned()
                .collect(),
            end: f.end_markers.iter().map(|l| key(l)).collect(),
            min_fraction: f.min_article_fraction,
        }
    }

    /// The lines of `text` that belong to the article.
    pub fn clean<'a>(&self, lines: &[&'a str]) -> Vec<&'a str> {
        let total: usize = lines.iter().map(|l| l.len() + 1).sum();
        let mut seen = 0usize;
        let mut out = Vec::with_capacity(lines.len());
        for line in lines {
            let k = (!more_words_than(line, self.max_words)).then(|| key(line));
            let is = |keys: &[String]| k.as_ref().is_some_and(|k| keys.contains(k));
            if is(&self.end) && (seen as f64) >= self.min_fraction * total as f64 {
                break;
            }
            seen += line.len() + 1;
            if !is(&self.drop) {
                out.push(self.unglued(line));
            }
        }
        out
    }
}

impl Cleaner {
    /// The line without a furniture word glued to its first sentence (`imgNgoài` → `Ngoài`).
    fn unglued<'a>(&self, line: &'a str) -> &'a str {
        for g in &self.glued {
            if let Some(rest) = line.strip_prefix(g.as_str()) {
                if rest.chars().next().is_some_and(char::is_uppercase) {
                    return rest;
                }
            }
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn icon_and_image_lines_are_dropped() {
        let c = Cleaner::new(&Config::builtin().furniture);
        let lines = [
            "Hợp tác Việt – Hàn",
            "img",
            "Nội dung bài viết dài.",
            "icon",
        ];
        assert_eq!(
            c.clean(&lines),
            ["Hợp tác Việt – Hàn", "Nội dung bài viết dài."]
        );
    }

    #[test]
    fn an_end_marker_after_the_article_ends_it() {
        let c = Cleaner::new(&Config::builtin().furniture);
        let lines = [
            "Tiêu đề",
            "Một đoạn văn bản rất dài của bài báo về hợp tác quốc tế.",
            "Tin nổi bật",
            "Tin khác không liên quan",
        ];
        assert_eq!(c.clean(&lines), &lines[..2]);
    }

    #[test]
    fn an_end_marker_at_the_top_is_ignored() {
        let c = Cleaner::new(&Config::builtin().furniture);
        let lines = [
            "Tin nổi bật",
            "Một đoạn văn bản rất dài của bài báo về hợp tác quốc tế, tiếp tục rất dài.",
        ];
        assert_eq!(c.clean(&lines), lines);
    }

    #[test]
    fn an_image_placeholder_glued_to_a_sentence_is_cut_off() {
        let c = Cleaner::new(&Config::builtin().furniture);
        let lines = [
            "imgNgoài những nội dung chính đã bàn thảo, phía Hàn Quốc đề xuất.",
            "icon",
            "imgur là một trang web",
        ];
        assert_eq!(
            c.clean(&lines),
            [
                "Ngoài những nội dung chính đã bàn thảo, phía Hàn Quốc đề xuất.",
                "imgur là một trang web"
            ]
        );
    }

    #[test]
    fn a_furniture_line_is_dropped_however_it_is_written_and_a_sentence_holding_one_is_kept() {
        let c = Cleaner::new(&Config::builtin().furniture);
        // `Tin nổi bật` in capitals and decomposed (NFD) is the entry.
        let nfd = "TIN NO\u{302}\u{309}I BA\u{323}\u{302}T";
        let lines = [
            "Tiêu đề",
            "Một đoạn văn bản rất dài của bài báo về hợp tác quốc tế.",
            "  img  ",
            "Tin nổi bật của ngày hôm nay là cuộc gặp giữa hai bộ trưởng",
            nfd,
            "Tin khác",
        ];
        assert_eq!(c.clean(&lines), [lines[0], lines[1], lines[3]]);
        assert!(more_words_than(lines[3], c.max_words));
        assert!(!more_words_than(nfd, c.max_words));
    }

    #[test]
    fn a_portal_link_block_after_the_article_ends_it() {
        let c = Cleaner::new(&Config::builtin().furniture);
        let lines = [
            "Hội nghị lần thứ Nhất Ban Hợp tác Tin học hóa Việt Nam – Hàn Quốc",
            "Phiên họp đã được hai bên đánh giá cao, các vấn đề đưa ra đã được bàn thảo kỹ lưỡng.",
            "Cổng dịch vụ công",
            "Quốc Gia",
            "Những thông tin thủ tục hành chính",
        ];
        assert_eq!(c.clean(&lines), &lines[..2]);
    }
}
