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
//! A text is often analysed before it is indexed: the indexer's workers find a document's facets in
//! its syllables. The indexer [`Analysis::offer`]s that analysis as it writes the document, and the
//! view that next asks for the same text takes it (on tantivy's thread) instead of analysing the
//! text again: each document is analysed once, for its facets and for all of its views. An offer
//! waits while [`WAITING_TEXTS`] analyses wait to be taken, so the writer stays that close to
//! tantivy's indexing threads; an analysis passed over (its document's views never asked for it)
//! is dropped once the views have taken texts offered well after it ([`STALE_AFTER`]). A view that
//! finds none analyses the text itself: what is indexed never depends on the hand-off.

//! The view tokenizers are what [`crate::register`] installs, for documents and queries alike. Each
//! yields exactly the tokens of its reference chain ([`crate::syllable::SyllableTokenizer`] with
//! [`crate::Normalize`] and [`crate::fold::Fold`], [`crate::bigram::BigramTokenizer`],
//! [`crate::capitals::CapitalsTokenizer`]); the property tests check it on generated text.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::ops::Range;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::bigram::{pairs, push_key};
use crate::capitals::acronym_indices;
use crate::fold::fold_into;
use crate::normalize_into;
use crate::syllable::{syllables, Syllable};

/// Texts whose analysis a thread keeps: a title and a body, so that the capitals field (title,
/// then body) finds both after their own fields.
pub const MEMO_TEXTS: usize = 2;

/// Offered analyses that may wait for their views. An offer waits while this many do: the views are
/// behind (tantivy queues up to 10,000 documents for its indexing threads, which would need an
/// analysis each to be kept), so the indexer's writer runs at most this far ahead of them.
pub const WAITING_TEXTS: usize = 256;

/// An offered analysis not taken while one offered this many texts after it is taken will not be
/// taken (the views take texts in about the order they were offered: a document's views run one
/// after the other on one of tantivy's threads): it is dropped.
pub const STALE_AFTER: u64 = 64;

/// How long an offer waits for the views at most; then the oldest waiting analysis is dropped.
pub const OFFER_WAIT: Duration = Duration::from_secs(1);

/// Analyses offered and not yet taken, in the order offered, each with its number; and the next
/// number.
type Waiting = (VecDeque<(u64, Arc<Analysis>)>, u64);

/// The analyses offered to the views (see the module).
struct Offered {
    waiting: Mutex<Waiting>,
    taken: Condvar,
    capacity: usize,
}

impl Offered {
    const fn new(capacity: usize) -> Offered {
        Offered {
            waiting: Mutex::new((VecDeque::new(), 0)),
            taken: Condvar::new(),
            capacity,
        }
    }

    fn offer(&self, analysis: Arc<Analysis>) {
        let waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        let (mut waiting, timeout) = self
            .taken
            .wait_timeout_while(waiting, OFFER_WAIT, |(w, _)| w.len() >= self.capacity)
            .unwrap_or_else(|e| e.into_inner());
        let (queue, next) = &mut *waiting;
        if timeout.timed_out() && queue.len() >= self.capacity {
            queue.pop_front();
        }
        queue.push_back((*next, analysis));
        *next += 1;
    }

    fn take(&self, text: &str) -> Option<Arc<Analysis>> {
        let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        let queue = &mut waiting.0;
        let i = queue
            .iter()
            .position(|(_, a)| a.text.len() == text.len() && a.text == text)?;
        let (number, analysis) = queue.remove(i)?;
        while queue
            .front()
            .is_some_and(|&(n, _)| n + STALE_AFTER < number)
        {
            queue.pop_front();
        }
        self.taken.notify_all();
        Some(analysis)
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.waiting.lock().unwrap().0.len()
    }
}

/// The analyses the process's indexer offered to its views.
static OFFERED: Offered = Offered::new(WAITING_TEXTS);

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

    /// The text analysed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Offers this analysis to the next view of its text, on whatever thread (see the module).
    pub fn offer(analysis: Arc<Analysis>) {
        OFFERED.offer(analysis);
    }

    /// The analysis of `text`: from this thread's memo when one of its last texts was `text`, else
    /// the one offered for it, else made here.
    pub fn shared(text: &str) -> Arc<Analysis> {
        thread_local! {
            static RECENT: RefCell<Vec<Arc<Analysis>>> = const { RefCell::new(Vec::new()) };
        }
        RECENT.with(|recent| {
            let mut recent = recent.borrow_mut();
            if let Some(a) = recent.iter().find(|a| a.text == text) {
                return a.clone();
            }
            let a = OFFERED
                .take(text)
                .unwrap_or_else(|| Arc::new(Analysis::of(text)));
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
    analysis: Arc<Analysis>,
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
        assert!(Arc::ptr_eq(&first, &Analysis::shared(title)));
        // A third text pushes out the oldest; its analysis is made again, and is the same.
        let _ = Analysis::shared(body);
        let _ = Analysis::shared("Tin khác");
        let again = Analysis::shared(title);
        assert!(!Arc::ptr_eq(&first, &again));
        assert_eq!(again.exact(0), "việt");
    }

    #[test]
    fn an_offered_analysis_is_taken_once_by_the_next_view_of_its_text_on_any_thread() {
        let text = "Bộ trưởng Bộ Thông tin và Truyền thông tiếp Đại sứ Nhật Bản (offered)";
        let offered = Arc::new(Analysis::of(text));
        Analysis::offer(offered.clone());
        let taken = std::thread::spawn(move || Analysis::shared(text))
            .join()
            .unwrap();
        assert!(Arc::ptr_eq(&offered, &taken));
        // Taken once: another thread analyses the text itself, to the same result.
        let again = std::thread::spawn(move || Analysis::shared(text))
            .join()
            .unwrap();
        assert!(!Arc::ptr_eq(&offered, &again));
        assert_eq!(again.exact_at, offered.exact_at);
        assert_eq!(again.folded, offered.folded);
    }

    #[test]
    fn an_analysis_passed_over_is_dropped_once_later_ones_are_taken() {
        let offered = Offered::new(WAITING_TEXTS);
        let text = |i: u64| format!("văn bản số {i}");
        for i in 0..=STALE_AFTER + 1 {
            offered.offer(Arc::new(Analysis::of(&text(i))));
        }
        assert!(offered.take(&text(STALE_AFTER)).is_some());
        assert_eq!(offered.len(), STALE_AFTER as usize + 1, "none dropped yet");
        assert!(offered.take(&text(STALE_AFTER + 1)).is_some());
        assert!(offered.take(&text(0)).is_none(), "text 0 was passed over");
        assert!(offered.take(&text(1)).is_some());
        assert!(offered.take(&text(1)).is_none(), "taken once");
    }

    #[test]
    fn an_offer_waits_for_the_views_to_take_one() {
        let offered = Arc::new(Offered::new(2));
        offered.offer(Arc::new(Analysis::of("một")));
        offered.offer(Arc::new(Analysis::of("hai")));
        let views = {
            let offered = offered.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(100));
                offered.take("một").is_some()
            })
        };
        let start = std::time::Instant::now();
        offered.offer(Arc::new(Analysis::of("ba")));
        assert!(
            start.elapsed() >= Duration::from_millis(50),
            "waited for a take"
        );
        assert!(views.join().unwrap());
        assert!(offered.take("hai").is_some() && offered.take("ba").is_some());
    }

    #[test]
    fn an_offer_the_views_never_answer_drops_the_oldest_after_a_while() {
        let offered = Offered::new(1);
        offered.offer(Arc::new(Analysis::of("một")));
        offered.offer(Arc::new(Analysis::of("hai")));
        assert!(offered.take("một").is_none());
        assert!(offered.take("hai").is_some());
    }
}
