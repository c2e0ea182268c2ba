//! Asking a scorer about one document, without finding its next match.
//!
//! A `DocSet`'s `seek(target)` must stand on the first match at or after `target`. For a phrase
//! that means comparing positions in every document between `target` and its next occurrence that
//! has all its pairs — documents nobody asked about. The result set asks its concepts about the
//! documents its leader proposes, and the evidence about the set's documents: each seek of a phrase
//! read positions across the gaps between them, so a phrase's positions were compared in about
//! every document having its pairs, twice a query (the set, the evidence), whatever the set.
//!
//! [`probe`] asks whether a scorer matches one document and, when it does not, gives a bound below
//! which it cannot match (Lucene's two-phase iteration; tantivy 0.26 has the same protocol as
//! `DocSet::seek_danger`, but its result type is not exported, so no scorer outside tantivy can
//! implement it). The phrase ([`crate::phrase`]) compares positions at that document only; a
//! sparse union holding phrases ([`crate::union`]) probes its clauses, and remembers the bounds of
//! those that missed instead of moving them to their next match. Any other scorer is sought: for
//! terms and unions of them that is exact and cheap.
//!
//! After a miss the scorer may stand on no match: it may then only be probed again at a later
//! document or sought — never asked for its `doc()`, `score()` or `advance()` first.

use tantivy::query::Scorer;
use tantivy::{DocId, DocSet, TERMINATED};

use crate::phrase::PairedPhraseScorer;
use crate::union::ProbingUnionScorer;

/// What a probe found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Probe {
    /// The document matches; the scorer stands on it.
    Found,
    /// The document does not match, nor does any before this one (greater than the document
    /// probed; `TERMINATED` when nothing further matches).
    Beyond(DocId),
}

/// A scorer that can say whether one document matches without looking further.
pub(crate) trait Probed {
    /// Whether `target` matches. `target` is greater than every document probed before and not
    /// less than the document the scorer stands on.
    fn probe(&mut self, target: DocId) -> Probe;
}

/// What a scorer is, as far as probing goes: told once, when a union is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A [`PairedPhraseScorer`]: positions compared at the document alone.
    Phrase,
    /// A [`ProbingUnionScorer`]: its clauses probed.
    Union,
    /// Any other scorer: sought.
    Other,
}

impl Kind {
    /// The kind of `scorer`.
    pub(crate) fn of(scorer: &dyn Scorer) -> Kind {
        if scorer.is::<PairedPhraseScorer>() {
            Kind::Phrase
        } else if scorer.is::<ProbingUnionScorer>() {
            Kind::Union
        } else {
            Kind::Other
        }
    }
}

/// Whether `scorer`, of kind `kind`, matches `target` (see the module): phrases and sparse unions
/// answer for that document alone, any other scorer by seeking.
pub(crate) fn probe(scorer: &mut Box<dyn Scorer>, kind: Kind, target: DocId) -> Probe {
    if target == TERMINATED {
        return Probe::Beyond(TERMINATED);
    }
    let probed = match kind {
        Kind::Phrase => scorer
            .downcast_mut::<PairedPhraseScorer>()
            .map(|p| p.probe(target)),
        Kind::Union => scorer
            .downcast_mut::<ProbingUnionScorer>()
            .map(|u| u.probe(target)),
        Kind::Other => None,
    };
    if let Some(probed) = probed {
        return probed;
    }
    let at = if scorer.doc() < target {
        scorer.seek(target)
    } else {
        scorer.doc()
    };
    if at == target {
        Probe::Found
    } else {
        Probe::Beyond(at)
    }
}
