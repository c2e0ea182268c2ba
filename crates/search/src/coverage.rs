//! Coverage re-scoring: the best BM25 candidates, each scaled by how much of the query it covers.
//!
//! BM25 adds up evidence, so a document saying one word of the query a hundred times can beat one
//! that says all of it. Here each candidate's score is multiplied by a factor that grows with the
//! IDF-weighted share of the query's concepts the document contains as a whole (`an toàn thông tin`
//! as a run, or one of its alternatives such as `ATTT`); a country counts in full only when it is
//! among the document's countries, and partly when it is only named in the text. A query naming a
//! foreign country (`Hàn Quốc đầu tư vào Việt Nam`) wants documents about it: the others keep only a
//! share of their score, so a story on Russia's strategic partnership does not outrank Japan's.
//!
//! Only the candidates are examined: each concept's postings are sought to them in index order and
//! positions compared for multi-syllable forms, so the cost grows with the candidates, never with
//! the index. A concept's document frequency is estimated from term and bigram document frequencies
//! (a phrase occurs at most as often as its rarest adjacent pair) instead of being counted.

use tantivy::postings::Postings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, Searcher, SegmentReader, Term};

use hoptac_analyzer::bigram;
use hoptac_indexer::schema::Fields;

use crate::query::{Concept, QTerm};
use crate::rank::{Views, Weights};
use crate::{Deadline, SearchError};

/// Re-scores `docs` (best first by BM25) by concept coverage, best first.
/// `home` is the corpus's own country, which the query may name without demanding it.
pub fn rescore(
    searcher: &Searcher,
    fields: &Fields,
    weights: &Weights,
    concepts: &[&Concept],
    home: &str,
    mut docs: Vec<(f32, DocAddress)>,
    deadline: &Deadline,
) -> Result<Vec<(f32, DocAddress)>, SearchError> {
    let foreign = concepts
        .iter()
        .any(|c| c.country.as_deref().is_some_and(|c| c != home));
    // A query of one concept is covered by its own evidence — but for a name, which counts only
    // whole (`Phạm Bình Minh`, not `Phạm` and `bình minh` apart) — leaving only the country rule.
    let nothing_to_cover = concepts.len() < 2 && !concepts.first().is_some_and(|c| c.name);
    if (nothing_to_cover && !foreign) || docs.is_empty() {
        return Ok(docs);
    }
    let n = searcher.num_docs().max(1) as f32;
    let idf: Vec<f32> = concepts
        .iter()
        .map(|c| {
            let df = concept_df(searcher, fields, c) as f32;
            ((n - df + 0.5) / (df + 0.5) + 1.0).ln().max(0.1)
        })
        .collect();
    let total: f32 = idf.iter().sum();
    // Candidates in index order, so that every postings list only moves forward.
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by_key(|&i| docs[i].1);
    let mut covered = vec![0.0f32; docs.len()];
    let mut factor = vec![1.0f32; docs.len()];
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let in_segment: Vec<usize> = order
            .iter()
            .copied()
            .filter(|&i| docs[i].1.segment_ord as usize == ord)
            .collect();
        if in_segment.is_empty() {
            continue;
        }
        let doc_ids: Vec<DocId> = in_segment.iter().map(|&i| docs[i].1.doc_id).collect();
        for (c, weight) in concepts.iter().zip(&idf) {
            deadline.check()?;
            let present = concept_credit(reader, fields, c, &doc_ids)?;
            let about = match &c.country {
                Some(country) => Some(term_present(
                    reader,
                    &Term::from_field_text(fields.country, country),
                    &doc_ids,
                )?),
                None => None,
            };
            let demanded = c.country.as_deref().is_some_and(|c| c != home);
            for (k, &i) in in_segment.iter().enumerate() {
                if demanded && about.as_ref().is_some_and(|a| !a[k]) {
                    factor[i] *= weights.country_absent;
                }
                let credit = match &about {
                    Some(a) if a[k] => 1.0,
                    Some(_) if present[k] > 0.0 => weights.country_mention,
                    _ => present[k],
                };
                covered[i] += credit * weight;
            }
        }
    }
    for (((score, _), covered), factor) in docs.iter_mut().zip(&covered).zip(&factor) {
        let coverage = covered / total;
        *score *= factor;
        if nothing_to_cover {
            continue;
        }
        *score *= weights.coverage_floor
            + (1.0 - weights.coverage_floor) * coverage.powf(weights.coverage_power);
    }
    docs.sort_by(|a, b| b.0.total_cmp(&a.0));
    Ok(docs)
}

/// Each alternative's syllables (`capitals`: those matched only as written in capitals).
fn alternative_forms(c: &Concept, capitals: bool) -> impl Iterator<Item = &[QTerm]> {
    c.alternatives
        .iter()
        .filter(move |a| a.capitals == capitals)
        .map(|a| a.terms.as_slice())
}

/// For each of `docs` (ascending), whether one of `forms` is written in capitals in it (every
/// token of the form).
fn capitals_present<'a>(
    reader: &SegmentReader,
    fields: &Fields,
    forms: impl Iterator<Item = &'a [QTerm]>,
    docs: &[DocId],
) -> tantivy::Result<Vec<bool>> {
    let mut out = vec![false; docs.len()];
    for form in forms.filter(|f| !f.is_empty()) {
        let mut all = vec![true; docs.len()];
        for key in form {
            let found = term_present(
                reader,
                &Term::from_field_text(fields.capitals, &key.folded),
                docs,
            )?;
            for (a, f) in all.iter_mut().zip(found) {
                *a &= f;
            }
        }
        for (o, a) in out.iter_mut().zip(all) {
            *o |= a;
        }
    }
    Ok(out)
}

/// For each of `docs` (ascending), the coverage credit of the concept: 1 when the document says
/// it as typed or by one of its alternatives, 0 when not. A syllable typed with diacritics is said
/// only by its own spelling: `họp` (meet) typed, a text of `hợp` (cooperation) does not cover it.
fn concept_credit(
    reader: &SegmentReader,
    fields: &Fields,
    c: &Concept,
    docs: &[DocId],
) -> tantivy::Result<Vec<f32>> {
    let typed = std::iter::once(c.terms.as_slice());
    let mut present = if c.capitals {
        capitals_present(reader, fields, typed, docs)?
    } else {
        forms_present(reader, fields, typed, docs)?
    };
    if !c.alternatives.is_empty() && present.iter().any(|&p| !p) {
        let (slots, subset) = select(docs, |k| !present[k]);
        let folded = forms_present(reader, fields, alternative_forms(c, false), &subset)?;
        let capitals = capitals_present(reader, fields, alternative_forms(c, true), &subset)?;
        for (j, &k) in slots.iter().enumerate() {
            present[k] = folded[j] || capitals[j];
        }
    }
    Ok(present
        .into_iter()
        .map(|p| if p { 1.0 } else { 0.0 })
        .collect())
}

/// Estimated number of documents containing the concept: per form, the document frequency of a
/// single syllable, or of the rarest adjacent pair (bigram fields) of a longer form — in title or
/// body, whichever is larger; summed over forms, at most the whole index. A syllable typed with
/// diacritics bounds the typed form by its exact spelling's frequency: `họp` is much rarer than
/// the folded `hop` that `hợp tác` fills, and a missing `họp` should cost what a rare word costs.
pub(crate) fn concept_df(searcher: &Searcher, fields: &Fields, c: &Concept) -> u64 {
    let df = |field: Field, text: &str| {
        searcher
            .doc_freq(&Term::from_field_text(field, text))
            .unwrap_or(0)
    };
    let spelled = |form: &[QTerm]| {
        let folded = match form {
            [one] => df(fields.body_f, &one.folded).max(df(fields.title_f, &one.folded)),
            many => many
                .windows(2)
                .map(|p| {
                    let key = bigram::key(&p[0].folded, &p[1].folded);
                    df(fields.body_bi, &key).max(df(fields.title_bi, &key))
                })
                .min()
                .unwrap_or(0),
        };
        form.iter()
            .filter(|t| t.diacritics)
            .map(|t| df(fields.body, &t.exact).max(df(fields.title, &t.exact)))
            .fold(folded, u64::min)
    };
    let capitals = |form: &[QTerm]| {
        form.iter()
            .map(|k| df(fields.capitals, &k.folded))
            .min()
            .unwrap_or(0)
    };
    let typed = if c.capitals {
        capitals(&c.terms)
    } else {
        spelled(&c.terms)
    };
    let sum: u64 = typed
        + alternative_forms(c, false).map(spelled).sum::<u64>()
        + alternative_forms(c, true).map(capitals).sum::<u64>();
    sum.min(searcher.num_docs())
}

/// For each of `docs` (ascending), whether one of `forms` occurs in it as a whole, in title or body
/// — as the query's phrases match it: every adjacent pair a bigram term of the field (so never
/// across punctuation), the exact spelling of each syllable typed with diacritics in the same
/// field, then (for three syllables or more) the folded syllables at consecutive positions.
fn forms_present<'a>(
    reader: &SegmentReader,
    fields: &Fields,
    forms: impl Iterator<Item = &'a [QTerm]>,
    docs: &[DocId],
) -> tantivy::Result<Vec<bool>> {
    let mut out = vec![false; docs.len()];
    for form in forms.filter(|f| !f.is_empty()) {
        for views in [Views::body(fields), Views::title(fields)] {
            let mut candidates: Vec<bool> = vec![true; docs.len()];
            let pairs = form.windows(2).map(|pair| {
                let key = bigram::key(&pair[0].folded, &pair[1].folded);
                Term::from_field_text(views.bigrams, &key)
            });
            let spellings = form
                .iter()
                .filter(|t| t.diacritics)
                .map(|t| Term::from_field_text(views.exact, &t.exact));
            for term in pairs.chain(spellings) {
                for (c, found) in candidates
                    .iter_mut()
                    .zip(term_present(reader, &term, docs)?)
                {
                    *c &= found;
                }
            }
            let (slots, subset) = select(docs, |k| candidates[k] && !out[k]);
            if subset.is_empty() {
                continue;
            }
            if form.len() == 2 {
                // Two syllables are their pair, present exactly where they stand in a row.
                for k in slots {
                    out[k] = true;
                }
                continue;
            }
            let terms: Vec<Term> = form
                .iter()
                .map(|t| Term::from_field_text(views.folded, &t.folded))
                .collect();
            for (k, found) in slots
                .into_iter()
                .zip(phrase_present(reader, &terms, &subset)?)
            {
                out[k] |= found;
            }
        }
    }
    Ok(out)
}

/// The positions in `docs` that `keep` accepts, and their documents (still ascending): the
/// candidates a later, costlier test still has to decide.
fn select(docs: &[DocId], keep: impl Fn(usize) -> bool) -> (Vec<usize>, Vec<DocId>) {
    (0..docs.len())
        .filter(|&k| keep(k))
        .map(|k| (k, docs[k]))
        .unzip()
}

/// For each of `docs` (ascending), whether it contains the term.
fn term_present(reader: &SegmentReader, term: &Term, docs: &[DocId]) -> tantivy::Result<Vec<bool>> {
    let index = reader.inverted_index(term.field())?;
    let Some(mut postings) = index.read_postings(term, IndexRecordOption::Basic)? else {
        return Ok(vec![false; docs.len()]);
    };
    Ok(docs.iter().map(|&d| seek(&mut postings, d)).collect())
}

/// For each of `docs` (ascending), whether the terms occur at consecutive positions in it (a
/// phrase with no slop, as tantivy's `PhraseQuery` matches it; one term: anywhere).
fn phrase_present(
    reader: &SegmentReader,
    terms: &[Term],
    docs: &[DocId],
) -> tantivy::Result<Vec<bool>> {
    let mut out = vec![false; docs.len()];
    let Some(first) = terms.first() else {
        return Ok(out);
    };
    if terms.len() == 1 {
        return term_present(reader, first, docs);
    }
    let index = reader.inverted_index(first.field())?;
    let mut postings = Vec::with_capacity(terms.len());
    for t in terms {
        match index.read_postings(t, IndexRecordOption::WithFreqsAndPositions)? {
            Some(p) => postings.push(p),
            None => return Ok(out),
        }
    }
    let mut starts = Vec::new();
    let mut positions = Vec::new();
    for (slot, &d) in out.iter_mut().zip(docs) {
        if !postings.iter_mut().all(|p| seek(p, d)) {
            continue;
        }
        postings[0].positions(&mut starts);
        for (k, p) in postings.iter_mut().enumerate().skip(1) {
            if starts.is_empty() {
                break;
            }
            p.positions(&mut positions);
            starts.retain(|s| positions.binary_search(&(s + k as u32)).is_ok());
        }
        *slot = !starts.is_empty();
    }
    Ok(out)
}

/// Moves a postings list to `doc` (never backwards) and says whether `doc` is in it.
fn seek(postings: &mut impl DocSet, doc: DocId) -> bool {
    let at = if postings.doc() < doc {
        postings.seek(doc)
    } else {
        postings.doc()
    };
    at == doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Engine;
    use hoptac_indexer::{index_corpus, Config, IndexOptions};

    /// An engine on a corpus of `docs` (name, text), and the folder that holds it.
    fn engine(docs: &[(&str, &str)]) -> (tempfile::TempDir, Engine) {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        for (name, text) in docs {
            std::fs::write(corpus.join(name), text).unwrap();
        }
        let index = dir.path().join("index");
        index_corpus(&IndexOptions::new(&corpus, &index, Config::builtin()), &()).unwrap();
        let engine = Engine::open(&index).unwrap();
        (dir, engine)
    }

    /// Every document of the index, in index order, with its id.
    fn all(e: &Engine) -> Vec<(String, DocAddress)> {
        let searcher = e.reader.searcher();
        let mut out = Vec::new();
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            for doc in 0..reader.max_doc() {
                let address = DocAddress::new(ord as u32, doc);
                let stored: tantivy::TantivyDocument = searcher.doc(address).unwrap();
                let id = hoptac_indexer::schema::from_tantivy(&e.fields, &stored).id;
                out.push((id, address));
            }
        }
        out
    }

    /// The ids of the documents whose coverage credit for the query's only concept is 1.
    fn covering(e: &Engine, query: &str) -> Vec<String> {
        let plan = e.context.parse(query);
        let concepts: Vec<&Concept> = plan.concepts().collect();
        assert_eq!(concepts.len(), 1, "{query}: {concepts:?}");
        let searcher = e.reader.searcher();
        let docs = all(e);
        let mut out = Vec::new();
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            let here: Vec<&(String, DocAddress)> = docs
                .iter()
                .filter(|(_, a)| a.segment_ord as usize == ord)
                .collect();
            let ids: Vec<DocId> = here.iter().map(|(_, a)| a.doc_id).collect();
            let credit = concept_credit(reader, &e.fields, concepts[0], &ids).unwrap();
            for ((id, _), c) in here.into_iter().zip(credit) {
                if c == 1.0 {
                    out.push(id.clone());
                }
            }
        }
        out.sort();
        out
    }

    /// `candidates` re-scored for `query` with `weights`, best first.
    fn rescored(
        e: &Engine,
        weights: &Weights,
        query: &str,
        candidates: Vec<(f32, DocAddress)>,
    ) -> Vec<(f32, DocAddress)> {
        let plan = e.context.parse(query);
        let concepts: Vec<&Concept> = plan.concepts().collect();
        rescore(
            &e.reader.searcher(),
            &e.fields,
            weights,
            &concepts,
            e.context.home_country(),
            candidates,
            &Deadline::none(),
        )
        .unwrap()
    }

    #[test]
    fn a_phrase_covers_only_where_its_syllables_stand_together() {
        let (_dir, e) = engine(&[
            (
                "whole.txt",
                "Hội thảo\n\nHai bên bàn về an toàn thông tin mạng.",
            ),
            (
                "apart.txt",
                "Hội thảo\n\nAn toàn giao thông là ưu tiên; thông tin được công bố.",
            ),
            (
                "punctuated.txt",
                "Hội thảo\n\nBáo cáo nêu hai việc: an toàn, thông tin.",
            ),
        ]);
        assert_eq!(covering(&e, "an toàn thông tin"), vec!["whole.txt"]);
    }

    #[test]
    fn a_syllable_typed_with_diacritics_is_covered_only_by_its_spelling() {
        let (_dir, e) = engine(&[
            ("hop.txt", "Tin ngắn\n\nHai bộ họp tại Hà Nội."),
            ("hop-tac.txt", "Tin ngắn\n\nHai bộ hợp tại Hà Nội."),
        ]);
        assert_eq!(covering(&e, "họp"), vec!["hop.txt"]);
        // Typed without diacritics, the folded syllable covers both.
        assert_eq!(covering(&e, "hop"), vec!["hop-tac.txt", "hop.txt"]);
    }

    #[test]
    fn an_acronym_covers_its_expansion_only_when_written_in_capitals() {
        let (_dir, e) = engine(&[
            (
                "attt.txt",
                "Hội thảo ATTT\n\nBộ tổ chức hội thảo về ATTT với các doanh nghiệp.",
            ),
            (
                "lower.txt",
                "Ghi chép\n\nMột dòng viết thường: attt là chữ viết tắt lạ.",
            ),
            (
                "spelled.txt",
                "Hội thảo\n\nBộ tổ chức hội thảo về an toàn thông tin với các doanh nghiệp.",
            ),
        ]);
        assert_eq!(
            covering(&e, "an toàn thông tin"),
            vec!["attt.txt", "spelled.txt"]
        );
    }

    #[test]
    fn a_document_saying_every_concept_outranks_one_repeating_a_single_concept() {
        let (_dir, e) = engine(&[
            (
                "both.txt",
                "Tin ngắn\n\nViệt Nam và Lào hợp tác về giáo dục.",
            ),
            (
                "one.txt",
                "Tin ngắn\n\nGiáo dục, giáo dục và giáo dục: giáo dục là quốc sách.",
            ),
        ]);
        assert_eq!(e.context.parse("hợp tác giáo dục").concepts().count(), 2);
        let docs = all(&e);
        let address = |id: &str| docs.iter().find(|(d, _)| d == id).unwrap().1;
        // BM25 put the repetition first, far ahead.
        let candidates = vec![(10.0, address("one.txt")), (5.0, address("both.txt"))];
        let query = "hợp tác giáo dục";
        let ranked = rescored(&e, &Weights::default(), query, candidates.clone());
        assert_eq!(ranked[0].1, address("both.txt"), "{ranked:?}");
        // Without the coverage rule (a floor of 1), BM25's order stands.
        let flat = Weights {
            coverage_floor: 1.0,
            ..Weights::default()
        };
        let kept = rescored(&e, &flat, query, candidates);
        assert_eq!(kept[0].1, address("one.txt"));
    }

    #[test]
    fn a_foreign_country_named_is_demanded_and_the_home_country_is_not() {
        let (_dir, e) = engine(&[
            (
                "japan.txt",
                "Việt Nam – Nhật Bản hợp tác\n\nNhật Bản và Việt Nam hợp tác về hạ tầng số. Nhật Bản hỗ trợ.",
            ),
            (
                "laos.txt",
                "Việt Nam – Lào hợp tác\n\nLào và Việt Nam hợp tác về hạ tầng số. Lào cảm ơn Việt Nam.",
            ),
        ]);
        let docs = all(&e);
        let address = |id: &str| docs.iter().find(|(d, _)| d == id).unwrap().1;
        let first = |query: &str| {
            let candidates = vec![(10.0, address("laos.txt")), (9.0, address("japan.txt"))];
            rescored(&e, &Weights::default(), query, candidates)[0].1
        };
        assert_eq!(first("hạ tầng số Nhật Bản"), address("japan.txt"));
        // The home country is named by both; it demands nothing and BM25's order stands.
        assert_eq!(first("hạ tầng số Việt Nam"), address("laos.txt"));
    }

    #[test]
    fn a_phrase_is_estimated_no_more_frequent_than_its_rarest_pair() {
        let (_dir, e) = engine(&[
            ("a.txt", "Tin\n\nan toàn thông tin"),
            ("b.txt", "Tin\n\nan toàn giao thông"),
            ("c.txt", "Tin\n\nan toàn lao động"),
            ("d.txt", "Tin\n\nthông tin báo chí"),
        ]);
        let searcher = e.reader.searcher();
        let df = |q: &str| {
            let plan = e.context.parse(q);
            let concepts: Vec<&Concept> = plan.concepts().collect();
            concept_df(&searcher, &e.fields, concepts[0])
        };
        // `an toàn` is in three documents, `thông tin` in two, `toàn thông` in one.
        assert_eq!(df("an toàn"), 3);
        assert_eq!(df("an toàn thông tin"), 1);
        assert!(df("an toàn thông tin") <= df("thông tin"));
    }

    #[test]
    fn select_keeps_the_accepted_positions_in_order() {
        let (slots, docs) = select(&[3, 8, 20, 41], |k| k % 2 == 1);
        assert_eq!(slots, vec![1, 3]);
        assert_eq!(docs, vec![8, 41]);
    }
}
