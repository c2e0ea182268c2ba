//! Reading a query as it was meant: keystrokes decoded, a mistyped word corrected.
//!
//! Runs before parsing, word by word (a word: a run of letters and digits), against the index's own
//! vocabulary — a word's document frequency in the body's exact view (`hợp`) or folded view (`hop`):
//!
//! 1. **Keystrokes**: an ASCII word that spells a syllable as Telex or VNI keystrokes
//!    ([`hoptac_analyzer::keystrokes`]: `howpj`, `ho7p5`) is read as that syllable when the index
//!    holds the syllable in more documents than the word as typed (`tax` stays `tax`, a word of
//!    the corpus, rather than becoming `tã`).
//! 2. **Typos**: a word the index does not know in either view, of at least
//!    [`MIN_CORRECTED_CHARS`] letters and not written in capitals (an acronym), is replaced by the
//!    word one edit away (a letter dropped, added, changed, or two swapped) that stands beside its
//!    neighbours in the query in the most documents (syllable pairs, so `ciến lược` becomes
//!    `chiến lược`, not the more frequent `tiến`), then the most frequent: `thôgn` → `thông`,
//!    `Belaurs` → `Belarus`. A word typed with diacritics is corrected among exact spellings, one
//!    typed without among folded ones. A word the corpus holds in at most [`RARE_DF`] documents
//!    (the corpus has typos of its own) is corrected only when none of its pairs occurs and the
//!    correction's does, in a hundred times more documents. A word with a pair in the index is
//!    never touched, so a correctly typed query is not "corrected".
//!
//! What was read differently is returned as [`Reading::corrected`] (the page's "Có phải bạn muốn
//! tìm", the API's `corrected`).

use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use hoptac_analyzer::bigram;
use hoptac_analyzer::keystrokes::{self, recase};
use hoptac_analyzer::{fold, has_diacritics};
use hoptac_indexer::schema::Fields;

/// Shortest word (in letters) that is corrected as a typo: a shorter one is one edit from many
/// real syllables, and more likely an abbreviation than a typo.
pub const MIN_CORRECTED_CHARS: usize = 4;

/// Letters an edit may insert or substitute in a folded word.
const FOLDED_ALPHABET: &str = "abcdefghijklmnopqrstuvwxyz";

/// Letters an edit may insert or substitute in a word with diacritics: every Vietnamese letter,
/// lower case, with every tone.
const EXACT_ALPHABET: &str = "abcdefghijklmnopqrstuvwxyzđ\
    áàảãạăắằẳẵặâấầẩẫậéèẻẽẹêếềểễệíìỉĩịóòỏõọôốồổỗộơớờởỡợúùủũụưứừửữựýỳỷỹỵ";

/// The query to parse, and what was read differently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reading {
    /// The query as it will be searched.
    pub text: String,
    /// The same, when it differs from what was typed.
    pub corrected: Option<String>,
}

/// Reads `query` against the vocabulary of `searcher` (see the module).
pub fn read(searcher: &Searcher, fields: &Fields, query: &str) -> Reading {
    let vocabulary = Vocabulary {
        searcher,
        exact: fields.body,
        folded: fields.body_f,
        pairs: fields.body_bi,
    };
    // The query cut into words (runs of letters and digits) and what lies between them.
    let mut pieces: Vec<(bool, String)> = Vec::new();
    let mut rest = query;
    while !rest.is_empty() {
        let start = rest.find(char::is_alphanumeric).unwrap_or(rest.len());
        if start > 0 {
            pieces.push((false, rest[..start].to_string()));
        }
        rest = &rest[start..];
        let end = rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
        if end > 0 {
            pieces.push((true, rest[..end].to_string()));
        }
        rest = &rest[end..];
    }
    let mut changed = false;
    // 1. Keystrokes, word by word.
    for (is_word, piece) in pieces.iter_mut() {
        if *is_word {
            if let Some(decoded) = vocabulary.decoded(piece) {
                *piece = decoded;
                changed = true;
            }
        }
    }
    // 2. Typos, each word with its neighbours as read in step 1 (a pair never spans punctuation,
    //    as in the index: only a run of spaces joins two words).
    let neighbour = |pieces: &[(bool, String)], i: usize, step: isize| -> Option<String> {
        let j = i.checked_add_signed(step)?;
        let k = j.checked_add_signed(step)?;
        match (pieces.get(j), pieces.get(k)) {
            (Some((false, gap)), Some((true, w))) if gap.chars().all(char::is_whitespace) => {
                Some(w.clone())
            }
            _ => None,
        }
    };
    for i in 0..pieces.len() {
        if !pieces[i].0 {
            continue;
        }
        let before = neighbour(&pieces, i, -1);
        let after = neighbour(&pieces, i, 1);
        if let Some(w) = vocabulary.correction(&pieces[i].1, before.as_deref(), after.as_deref()) {
            pieces[i].1 = w;
            changed = true;
        }
    }
    let text: String = pieces.into_iter().map(|(_, p)| p).collect();
    Reading {
        corrected: changed.then(|| text.clone()),
        text,
    }
}

/// A word at most this frequent that no neighbour stands beside in the index, one edit from a word
/// that does, is read as a typo too: the corpus itself holds typos (`Ngyễn`), so "unknown" alone
/// would let them through.
pub const RARE_DF: u64 = 3;

struct Vocabulary<'a> {
    searcher: &'a Searcher,
    exact: Field,
    folded: Field,
    pairs: Field,
}

impl Vocabulary<'_> {
    fn df(&self, field: Field, text: &str) -> u64 {
        self.searcher
            .doc_freq(&Term::from_field_text(field, text))
            .unwrap_or(0)
    }

    /// Documents holding `word` in its exact view.
    fn exact_df(&self, word: &str) -> u64 {
        self.df(self.exact, &hoptac_analyzer::normalize(word))
    }

    /// Documents in which `word` stands beside `before` or `after` (folded syllable pairs).
    fn context(&self, word: &str, before: Option<&str>, after: Option<&str>) -> u64 {
        let folded = |w: &str| fold(&hoptac_analyzer::normalize(w));
        let w = folded(word);
        before.map_or(0, |b| self.df(self.pairs, &bigram::key(&folded(b), &w)))
            + after.map_or(0, |a| self.df(self.pairs, &bigram::key(&w, &folded(a))))
    }

    /// The syllable an ASCII word spells as keystrokes, when the index holds it in more documents
    /// than the word as typed.
    fn decoded(&self, word: &str) -> Option<String> {
        let decoded = keystrokes::decode(word)?;
        (self.exact_df(&decoded) > self.exact_df(word)).then_some(decoded)
    }

    /// The word one edit from `word` that `word` was meant to be, if it was mistyped (see the
    /// module): the candidate that stands beside the neighbours in the most documents, then the
    /// most frequent.
    fn correction(&self, word: &str, before: Option<&str>, after: Option<&str>) -> Option<String> {
        let letters = word.chars().count();
        if letters < MIN_CORRECTED_CHARS
            || word.chars().any(|c| c.is_ascii_digit())
            || word.chars().filter(|c| c.is_uppercase()).count() > 1
        {
            return None;
        }
        let exact = hoptac_analyzer::normalize(word);
        let folded = fold(&exact);
        let known = self
            .df(self.folded, &folded)
            .max(self.df(self.exact, &exact));
        let has_neighbours = before.is_some() || after.is_some();
        if known > RARE_DF
            || (known > 0 && (!has_neighbours || self.context(word, before, after) > 0))
        {
            return None;
        }
        let (field, form, alphabet) = if has_diacritics(&exact) {
            (self.exact, exact, EXACT_ALPHABET)
        } else {
            (self.folded, folded, FOLDED_ALPHABET)
        };
        let mut best: Option<((u64, u64), String)> = None;
        for candidate in one_edit(&form, alphabet) {
            let df = self.df(field, &candidate);
            if df == 0 {
                continue;
            }
            let score = (self.context(&candidate, before, after), df);
            if best
                .as_ref()
                .is_none_or(|(b, c)| score > *b || (score == *b && candidate < *c))
            {
                best = Some((score, candidate));
            }
        }
        let ((context, df), candidate) = best?;
        // A known (if rare) word is replaced only by one its neighbours stand beside, and far more
        // frequent.
        if known > 0 && (context == 0 || df < 100 * known) {
            return None;
        }
        Some(recase(word, candidate))
    }
}

/// Every string one edit from `word`: a letter deleted, two neighbours swapped, a letter of
/// `alphabet` substituted or inserted.
fn one_edit(word: &str, alphabet: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    let mut out = Vec::with_capacity(n * 2 + (2 * n + 1) * alphabet.chars().count());
    let join = |v: &[char]| v.iter().collect::<String>();
    for i in 0..n {
        let mut v = chars.clone();
        v.remove(i);
        out.push(join(&v));
        if i + 1 < n && chars[i] != chars[i + 1] {
            let mut v = chars.clone();
            v.swap(i, i + 1);
            out.push(join(&v));
        }
    }
    for a in alphabet.chars() {
        for i in 0..=n {
            let mut v = chars.clone();
            v.insert(i, a);
            out.push(join(&v));
            if i < n && chars[i] != a {
                let mut v = chars.clone();
                v[i] = a;
                out.push(join(&v));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_holds_the_four_kinds_of_typo() {
        let edits = one_edit("thogn", FOLDED_ALPHABET);
        assert!(edits.contains(&"thong".to_string()), "a swap");
        assert!(one_edit("phong", FOLDED_ALPHABET).contains(&"phon".to_string()));
        assert!(one_edit("hopp", FOLDED_ALPHABET).contains(&"hop".to_string()));
        assert!(one_edit("thông", EXACT_ALPHABET).contains(&"thống".to_string()));
    }

    #[test]
    fn the_capital_is_kept() {
        assert_eq!(recase("Belaurs", "belarus".into()), "Belarus");
        assert_eq!(recase("phogn", "phong".into()), "phong");
    }
}
