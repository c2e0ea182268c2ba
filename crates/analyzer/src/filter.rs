//! One generic tantivy `TokenFilter` that applies a per-token text rule.
//!
//! Every Vietnamese rule (NFC, lower case, tone placement, folding) is a pure function from a token's
//! text to a new text; this adapter lets each rule live in its own file as plain Rust with its own
//! tests, and still plug into a tantivy analyzer chain. Offsets are never touched, so highlights keep
//! pointing at the words as they were written.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// A rewrite of one token's text.
pub trait TokenRule: Clone + Send + Sync + 'static {
    /// Writes the rewritten `input` into `out` (which arrives empty).
    fn apply(&self, input: &str, out: &mut String);
}

/// Wraps a [`TokenRule`] as a tantivy [`TokenFilter`].
#[derive(Clone, Debug, Default)]
pub struct RuleFilter<R>(pub R);

impl<R: TokenRule> TokenFilter for RuleFilter<R> {
    type Tokenizer<T: Tokenizer> = RuleTokenizer<T, R>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Self::Tokenizer<T> {
        RuleTokenizer {
            inner: tokenizer,
            rule: self.0,
            buffer: String::new(),
        }
    }
}

/// The tokenizer produced by [`RuleFilter`].
#[derive(Clone)]
pub struct RuleTokenizer<T, R> {
    inner: T,
    rule: R,
    buffer: String,
}

impl<T: Tokenizer, R: TokenRule> Tokenizer for RuleTokenizer<T, R> {
    type TokenStream<'a> = RuleTokenStream<'a, T::TokenStream<'a>, R>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RuleTokenStream {
            tail: self.inner.token_stream(text),
            rule: &self.rule,
            buffer: &mut self.buffer,
        }
    }
}

/// The token stream produced by [`RuleTokenizer`].
pub struct RuleTokenStream<'a, S, R> {
    tail: S,
    rule: &'a R,
    buffer: &'a mut String,
}

impl<S: TokenStream, R: TokenRule> TokenStream for RuleTokenStream<'_, S, R> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        self.buffer.clear();
        self.rule.apply(&self.tail.token().text, self.buffer);
        std::mem::swap(&mut self.tail.token_mut().text, self.buffer);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}
