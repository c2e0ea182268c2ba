//! Topic facet: topics whose trigger phrases occur in the document.
//!
//! Triggers match on the folded view (`tin hoc hoa` = `tin học hoá` = `Tin học hóa`); a trigger written
//! as an acronym (`ATTT`, `5G`, `IoT`) matches only as written. A topic counts when the title has a
//! trigger, or the body has at least `min_mentions` of them.

use super::gazetteer::{Gazetteer, Mode, Tok};
use crate::config::Topics;

/// Finds topics in text.
#[derive(Clone, Debug)]
pub struct TopicExtractor {
    gazetteer: Gazetteer<usize>,
    names: Vec<String>,
    min_mentions: usize,
}

fn is_acronym(trigger: &str) -> bool {
    trigger.split_whitespace().count() == 1 && trigger.chars().skip(1).any(char::is_uppercase)
}

impl TopicExtractor {
    /// Compiles the triggers.
    pub fn new(config: &Topics) -> Self {
        let mut gazetteer = Gazetteer::new(Mode::Folded);
        let mut names = Vec::new();
        for (i, t) in config.topics.iter().enumerate() {
            names.push(t.name.clone());
            for trigger in &t.triggers {
                if is_acronym(trigger) {
                    gazetteer.add_acronym(trigger, i);
                } else {
                    gazetteer.add_any_case(trigger, i);
                }
            }
        }
        TopicExtractor {
            gazetteer,
            names,
            min_mentions: config.min_mentions.max(1),
        }
    }

    /// The topic facet values of a document, most mentioned first.
    pub fn extract(&self, title: &[Tok], body: &[Tok]) -> Vec<String> {
        let mut counts = vec![(0usize, 0usize); self.names.len()];
        for m in self.gazetteer.find(title) {
            counts[m.value].0 += 1;
        }
        for m in self.gazetteer.find(body) {
            counts[m.value].1 += 1;
        }
        let mut chosen: Vec<(usize, usize)> = counts
            .iter()
            .enumerate()
            .filter(|(_, (t, b))| *t > 0 || *b >= self.min_mentions)
            .map(|(i, (t, b))| (i, t * 3 + b))
            .collect();
        chosen.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        chosen
            .into_iter()
            .map(|(i, _)| self.names[i].clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::extract::gazetteer::tokens;

    fn extract(title: &str, body: &str) -> Vec<String> {
        TopicExtractor::new(&Config::builtin().topics).extract(&tokens(title), &tokens(body))
    }

    #[test]
    fn a_trigger_in_the_title_is_enough() {
        assert!(extract("Hợp tác an toàn thông tin", "").contains(&"An toàn thông tin".to_string()));
    }

    #[test]
    fn acronym_triggers_count_in_the_body() {
        assert!(extract("Hội thảo", "đảm bảo ATTT và ứng cứu ATTT")
            .contains(&"An toàn thông tin".to_string()));
    }

    #[test]
    fn tone_variant_triggers_match() {
        assert!(extract("Tin học hoá hành chính", "").contains(&"Chính phủ điện tử".to_string()));
    }

    #[test]
    fn one_body_mention_is_not_enough() {
        assert!(!extract("Hội thảo", "có nói đến an ninh mạng")
            .contains(&"An toàn thông tin".to_string()));
    }
}
