//! One analysis of a text, shared by every indexed view of it.
//!
//! A title or a body is indexed in four views — exact, folded, folded bigrams, capitals — that is
//! four tantivy fields, whose analyzers would each find the syllables and normalise them again
//! (segmenting and normalising were a seventh of indexing's CPU, done four times over). Here the
//! first view asked for a text computes its [`Analysis`] — the syllables, each one's exact and
//! folded form — and keeps it in a small per-thread memo ([`MEMO_TEXTS`] texts); the other views of
//! the same text read it. tantivy indexes a document's fields one after the other on one thread
//! (the title's views, then the body's, then the capitals of both), so each text is analysed once.
//!
//! The view tokenizers are what [`crate::register`] installs, for documents and queries alike. Each
//! yields exactly the tokens of its reference chain ([`crate::syllable::SyllableTokenizer`] with
//! [`crate::Normalize`] and [`crate::fold::Fold`], [`crate::bigram::BigramTokenizer`],
//! [`crate::capitals::CapitalsTokenizer`]); the property tests check it on generated text.

use std::cell::RefCell;
use std::ops::Range;
use std::rc::Rc;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::bigram::{pairs, push_key};
use crate::capitals::acronym_indices;
use crate::fold::fold_into;
use crate::normalize_into;
use crate::syllable::{syllables, Syllable};

/// Texts whose analysis a thread keeps: a title and a body, so that the capitals field (title,
/// then body) finds both after their own fields.
pub const MEMO_TEXTS: usize = 2;

/// A text's syllables with their exact and folded forms, in two buffers (no allocation per
/// token).
#[derive(Debug)]
pub struct Analysis {
    text: String,
    syllables: Vec<Syllable>,
    exact: String,
    exact_at: Vec<Range<u32>>,
    folded: String,
    folded_at: Vec<Range<u32>>,
}

impl Analysis {
    /// Segments and normalises `text` once.
    pub fn of(text: &str) -> Analysis {
        let syllables = syllables(text);
        let mut exact = String::with_capacity(text.len());
        let mut folded = String::with_capacity(text.len());
        let mut exact_at = Vec::with_capacity(syllables.len());
        let mut folded_at = Vec::with_capacity(syllables.len());
        for s in &syllables {
            let e = exact.len();
            normalize_into(&text[s.from..s.to], &mut exact);
            exact_at.push(e as u32..exact.len() as u32);
            let f = folded.len();
            fold_into(&exact[e..], &mut folded);
            folded_at.push(f as u32..folded.len() as u32);
        }
        Analysis {
            text: text.to_string(),
            syllables,
            exact,
            exact_at,
            folded,
            folded_at,
        }
    }

    /// The analysis of `text`, from this thread's memo when one of its last texts was `text`.
    pub fn shared(text: &str) -> Rc<Analysis> {
        thread_local! {
            static RECENT: RefCell<Vec<Rc<Analysis>>> = const { RefCell::new(Vec::new()) };
        }
        RECENT.with(|recent| {
            let mut recent = recent.borrow_mut();
            if let Some(a) = recent.iter().find(|a| a.text == text) {
                return a.clone();
            }
            let a = Rc::new(Analysis::of(text));
            recent.insert(0, a.clone());
            recent.truncate(MEMO_TEXTS);
            a
        })
    }

    /// The syllables, in text order.
    pub fn syllables(&self) -> &[Syllable] {
        &self.syllables
    }

    /// The exact form of syllable `i`.
    pub fn exact(&self, i: usize) -> &str {
        let r = &self.exact_at[i];
        &self.exact[r.start as usize..r.end as usize]
    }

    /// The folded form of syllable `i`.
    pub fn folded(&self, i: usize) -> &str {
        let r = &self.folded_at[i];
        &self.folded[r.start as usize..r.end as usize]
    }
}

/// Which form of each syllable a [`SyllableView`] emits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// Diacritics kept, tone placement canonical.
    Exact,
    /// Diacritics removed.
    Folded,
}

/// Every syllable of a text in one form: the exact or folded view.
#[derive(Clone, Copy, Debug)]
pub struct SyllableView(pub Form);

/// Every adjacent pair of folded syllables not split by punctuation: the bigram view.
#[derive(Clone, Copy, Debug, Default)]
pub struct BigramView;

/// The tokens a text writes in capitals, folded: the capitals view.
#[derive(Clone, Copy, Debug, Default)]
pub struct CapitalsView;

/// Token stream of the views: the analysis, which of its syllables come next, the token.
pub struct ViewStream {
    analysis: Rc<Analysis>,
    /// The syllables to emit, as (first, last) indices: the same for a syllable, a pair's two
    /// syllables for a bigram.
    order: std::vec::IntoIter<(usize, usize)>,
    kind: ViewKind,
    /// Tokens emitted so far (a bigram's position).
    emitted: usize,
    token: Token,
}

#[derive(Clone, Copy)]
enum ViewKind {
    Syllables(Form),
    Bigrams,
    Capitals,
}

impl ViewStream {
    fn new(text: &str, kind: ViewKind) -> ViewStream {
        let analysis = Analysis::shared(text);
        let single = |i: usize| (i, i);
        let order: Vec<(usize, usize)> = match kind {
            ViewKind::Syllables(_) => (0..analysis.syllables.len()).map(single).collect(),
            ViewKind::Bigrams => pairs(&analysis.syllables),
            ViewKind::Capitals => acronym_indices(text, &analysis.syllables)
                .into_iter()
                .map(single)
                .collect(),
        };
        ViewStream {
            analysis,
            order: order.into_iter(),
            kind,
            emitted: 0,
            token: Token::default(),
        }
    }
}

impl TokenStream for ViewStream {
    fn advance(&mut self) -> bool {
        let Some((first, i)) = self.order.next() else {
            return false;
        };
        let a = &self.analysis;
        let s = &a.syllables[i];
        let t = &mut self.token;
        t.text.clear();
        t.offset_from = a.syllables[first].from;
        t.offset_to = s.to;
        t.position = s.position;
        t.position_length = 1;
        match self.kind {
            ViewKind::Syllables(Form::Exact) => t.text.push_str(a.exact(i)),
            ViewKind::Syllables(Form::Folded) | ViewKind::Capitals => t.text.push_str(a.folded(i)),
            ViewKind::Bigrams => {
                // Bigrams are numbered in the order they come.
                t.position = self.emitted;
                push_key(a.folded(first), a.folded(i), &mut t.text);
            }
        }
        self.emitted += 1;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

impl Tokenizer for SyllableView {
    type TokenStream<'a> = ViewStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ViewStream {
        ViewStream::new(text, ViewKind::Syllables(self.0))
    }
}

impl Tokenizer for BigramView {
    type TokenStream<'a> = ViewStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ViewStream {
        ViewStream::new(text, ViewKind::Bigrams)
    }
}

impl Tokenizer for CapitalsView {
    type TokenStream<'a> = ViewStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ViewStream {
        ViewStream::new(text, ViewKind::Capitals)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_syllable_has_its_exact_and_folded_form() {
        let a = Analysis::of("Hợp tác CNTT-TT với Hàn Quốc");
        let exact: Vec<&str> = (0..a.syllables().len()).map(|i| a.exact(i)).collect();
        let folded: Vec<&str> = (0..a.syllables().len()).map(|i| a.folded(i)).collect();
        assert_eq!(
            exact,
            ["hợp", "tác", "cntt-tt", "cntt", "tt", "với", "hàn", "quốc"]
        );
        assert_eq!(
            folded,
            ["hop", "tac", "cntt-tt", "cntt", "tt", "voi", "han", "quoc"]
        );
    }

    #[test]
    fn a_thread_analyses_its_last_texts_once() {
        let title = "Việt Nam – Hàn Quốc hợp tác";
        let body = "Hai bên ký kết biên bản ghi nhớ về an toàn thông tin.";
        let first = Analysis::shared(title);
        let _ = Analysis::shared(body);
        assert!(Rc::ptr_eq(&first, &Analysis::shared(title)));
        // A third text pushes out the oldest; its analysis is made again, and is the same.
        let _ = Analysis::shared(body);
        let _ = Analysis::shared("Tin khác");
        let again = Analysis::shared(title);
        assert!(!Rc::ptr_eq(&first, &again));
        assert_eq!(again.exact(0), "việt");
    }
}
