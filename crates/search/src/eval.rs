//! Relevance evaluation against a judged set: nDCG@10, MRR@10, Recall@100 and judged@10, overall and
//! per query class; and facet extraction against gold labels (precision, recall, F1, year accuracy).
//!
//! Definitions follow the judged set's README: gain 2^grade − 1 with a log2 discount and the ideal
//! ranking taken from all judged grades of the need; MRR of the first document graded ≥ 2; recall of
//! documents graded ≥ 1 in the top 100; judged@10 the share of the top 10 that carries a judgment.
//! Unjudged documents count as not relevant.
//!
//! What the top 10 cannot show is measured beside it: the result set's size (`set_size`: mean and
//! median `total`), `set_recall` (the share of documents graded ≥ 2 that the set holds), how many
//! sets were relaxed, and a facet check — for a query naming one foreign country, is that country
//! the top country facet (the home country aside)?

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::Serialize;

use crate::{Assessment, Engine, SearchError};

/// One query of the set.
#[derive(Clone, Debug)]
pub struct EvalQuery {
    /// Query id (`q01.nodiac`).
    pub id: String,
    /// The information need it expresses.
    pub need: String,
    /// How it is typed (`base`, `nodiac`, `acronym`, …).
    pub class: String,
    /// The text.
    pub text: String,
}

/// Judgments: need → document → grade.
pub type Qrels = HashMap<String, HashMap<String, u32>>;

/// Scores of one query, or the mean over many.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Scores {
    /// nDCG@10.
    #[serde(rename = "ndcg@10")]
    pub ndcg10: f64,
    /// MRR@10 (first document graded ≥ 2).
    #[serde(rename = "mrr@10")]
    pub mrr10: f64,
    /// Recall@100 (documents graded ≥ 1).
    #[serde(rename = "recall@100")]
    pub recall100: f64,
    /// Share of the top 10 that is judged.
    #[serde(rename = "judged@10")]
    pub judged10: f64,
    /// Number of queries averaged.
    pub queries: usize,
    /// The result set's size (`total`): mean and median over the queries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub set_size: Option<SetSize>,
    /// Share of the documents graded ≥ 2 that are in the result set (mean over queries).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub set_recall: Option<f64>,
    /// Queries whose result set was relaxed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relaxed: Option<usize>,
    /// Of the queries naming one foreign country, how many have it as the top country facet
    /// (the home country aside).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_facet: Option<FacetCheck>,
}

/// Sizes of result sets.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct SetSize {
    /// Mean `total`.
    pub mean: f64,
    /// Median `total`.
    pub median: f64,
}

/// The top-country-facet check.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct FacetCheck {
    /// Queries checked (naming exactly one foreign country).
    pub checked: usize,
    /// Of them, those whose top country facet (home aside) is that country.
    pub right: usize,
}

/// The result-set measures of one query.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SetMeasures {
    /// `total`.
    pub total: usize,
    /// Share of grade ≥ 2 documents inside the set (None when the need has none).
    pub recall: Option<f64>,
    /// Whether the set was relaxed.
    pub relaxed: bool,
    /// `Some(right)` when the query names one foreign country.
    pub country_right: Option<bool>,
}

/// Scores of one query.
#[derive(Clone, Debug, Serialize)]
pub struct QueryScores {
    /// Query id.
    pub id: String,
    /// Its class.
    pub class: String,
    /// The text.
    pub query: String,
    /// Its scores.
    #[serde(flatten)]
    pub scores: Scores,
}

/// A full evaluation report.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Mean over all queries.
    pub overall: Scores,
    /// Mean per class.
    pub per_class: BTreeMap<String, Scores>,
    /// Every query.
    pub per_query: Vec<QueryScores>,
}

/// Why an evaluation file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// Unreadable file.
    #[error("{path}: {source}")]
    Io {
        /// Which file.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// A malformed line.
    #[error("{path}:{line}: {message}")]
    Format {
        /// Which file.
        path: String,
        /// Line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// Searching failed.
    #[error(transparent)]
    Search(#[from] SearchError),
}

fn tsv(path: &Path, min_cols: usize) -> Result<Vec<(usize, Vec<String>)>, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<String> = line.split('\t').map(str::to_string).collect();
        if cols.len() < min_cols {
            return Err(EvalError::Format {
                path: path.display().to_string(),
                line: i + 1,
                message: format!("expected at least {min_cols} tab-separated columns"),
            });
        }
        rows.push((i + 1, cols));
    }
    Ok(rows)
}

/// Reads `queries.tsv` (`id need class query`).
pub fn read_queries(path: &Path) -> Result<Vec<EvalQuery>, EvalError> {
    Ok(tsv(path, 4)?
        .into_iter()
        .map(|(_, c)| EvalQuery {
            id: c[0].clone(),
            need: c[1].clone(),
            class: c[2].clone(),
            text: c[3].clone(),
        })
        .collect())
}

/// Reads `qrels.tsv` (`need doc grade`).
pub fn read_qrels(path: &Path) -> Result<Qrels, EvalError> {
    let mut out: Qrels = HashMap::new();
    for (line, c) in tsv(path, 3)? {
        let grade: u32 = c[2].trim().parse().map_err(|_| EvalError::Format {
            path: path.display().to_string(),
            line,
            message: format!("grade {:?} is not a number", c[2]),
        })?;
        out.entry(c[0].clone())
            .or_default()
            .insert(c[1].clone(), grade);
    }
    Ok(out)
}

/// How related documents (see [`crate::related`]) serve a need: from each of its grade-3
/// documents, the share of the top 10 related documents judged at least grade 2 for the same need
/// (unjudged counts as not relevant).
#[derive(Clone, Debug, Default, Serialize)]
pub struct RelatedReport {
    /// Needs with at least one grade-3 document.
    pub needs: usize,
    /// Grade-3 documents asked for their related documents.
    pub sources: usize,
    /// Mean over the sources of the share of their top 10 judged ≥ 2 for their need.
    pub precision10: f64,
    /// The same, averaged per need first (each need weighs the same).
    pub precision10_per_need: f64,
    /// Related documents returned, in all.
    pub returned: usize,
}

/// Related documents evaluated against the judgments ([`RelatedReport`]).
pub fn evaluate_related(engine: &Engine, qrels: &Qrels) -> Result<RelatedReport, SearchError> {
    const K: usize = 10;
    let mut report = RelatedReport::default();
    let mut per_need = Vec::new();
    let mut needs: Vec<&String> = qrels.keys().collect();
    needs.sort();
    for need in needs {
        let judged = &qrels[need];
        let mut sources: Vec<&String> = judged
            .iter()
            .filter(|(_, &g)| g >= 3)
            .map(|(d, _)| d)
            .collect();
        sources.sort();
        let mut shares = Vec::new();
        for source in sources {
            let related = match engine.related(source, K, &crate::Deadline::none()) {
                Ok(r) => r,
                // A judged document the index does not hold (another corpus) is no source.
                Err(SearchError::NotFound(_)) => continue,
                Err(e) => return Err(e),
            };
            report.returned += related.len();
            let good = related
                .iter()
                .filter(|(_, d)| judged.get(&d.id).is_some_and(|&g| g >= 2))
                .count();
            shares.push(good as f64 / K as f64);
        }
        if shares.is_empty() {
            continue;
        }
        report.needs += 1;
        report.sources += shares.len();
        report.precision10 += shares.iter().sum::<f64>();
        per_need.push(shares.iter().sum::<f64>() / shares.len() as f64);
    }
    if report.sources > 0 {
        report.precision10 /= report.sources as f64;
        report.precision10_per_need = per_need.iter().sum::<f64>() / per_need.len() as f64;
    }
    Ok(report)
}

/// Scores one ranking against the judgments of its need.
pub fn score(ranking: &[String], judged: &HashMap<String, u32>) -> Scores {
    let gain = |g: u32| (2f64.powi(g as i32)) - 1.0;
    let discount = |rank: usize| 1.0 / ((rank + 2) as f64).log2();
    let dcg: f64 = ranking
        .iter()
        .take(10)
        .enumerate()
        .map(|(r, d)| gain(*judged.get(d).unwrap_or(&0)) * discount(r))
        .sum();
    let mut ideal: Vec<u32> = judged.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(10)
        .enumerate()
        .map(|(r, g)| gain(*g) * discount(r))
        .sum();
    let mrr = ranking
        .iter()
        .take(10)
        .position(|d| judged.get(d).is_some_and(|g| *g >= 2))
        .map_or(0.0, |r| 1.0 / (r + 1) as f64);
    let relevant: HashSet<&String> = judged
        .iter()
        .filter(|(_, g)| **g >= 1)
        .map(|(d, _)| d)
        .collect();
    let found = ranking
        .iter()
        .take(100)
        .filter(|d| relevant.contains(d))
        .count();
    let top10 = ranking.len().min(10);
    Scores {
        ndcg10: if idcg > 0.0 { dcg / idcg } else { 0.0 },
        mrr10: mrr,
        recall100: if relevant.is_empty() {
            0.0
        } else {
            found as f64 / relevant.len() as f64
        },
        judged10: if top10 == 0 {
            0.0
        } else {
            ranking
                .iter()
                .take(10)
                .filter(|d| judged.contains_key(*d))
                .count() as f64
                / 10.0
        },
        queries: 1,
        ..Scores::default()
    }
}

/// The mean of several scores.
pub fn mean<'a>(scores: impl IntoIterator<Item = &'a Scores>) -> Scores {
    let mut m = Scores::default();
    for s in scores {
        m.ndcg10 += s.ndcg10;
        m.mrr10 += s.mrr10;
        m.recall100 += s.recall100;
        m.judged10 += s.judged10;
        m.queries += 1;
    }
    if m.queries > 0 {
        let n = m.queries as f64;
        m.ndcg10 /= n;
        m.mrr10 /= n;
        m.recall100 /= n;
        m.judged10 /= n;
    }
    m
}

/// Adds the result-set measures of `sets` (one per query averaged in `scores`) to `scores`.
pub fn with_sets(mut scores: Scores, sets: &[&SetMeasures]) -> Scores {
    if sets.is_empty() {
        return scores;
    }
    let mut totals: Vec<f64> = sets.iter().map(|s| s.total as f64).collect();
    totals.sort_by(f64::total_cmp);
    let mid = totals.len() / 2;
    let median = if totals.len() % 2 == 1 {
        totals[mid]
    } else {
        (totals[mid - 1] + totals[mid]) / 2.0
    };
    scores.set_size = Some(SetSize {
        mean: totals.iter().sum::<f64>() / totals.len() as f64,
        median,
    });
    let recalls: Vec<f64> = sets.iter().filter_map(|s| s.recall).collect();
    scores.set_recall =
        (!recalls.is_empty()).then(|| recalls.iter().sum::<f64>() / recalls.len() as f64);
    scores.relaxed = Some(sets.iter().filter(|s| s.relaxed).count());
    let checks: Vec<bool> = sets.iter().filter_map(|s| s.country_right).collect();
    scores.country_facet = Some(FacetCheck {
        checked: checks.len(),
        right: checks.iter().filter(|r| **r).count(),
    });
    scores
}

/// Runs every query (top 100) and scores it.
pub fn evaluate(
    engine: &Engine,
    queries: &[EvalQuery],
    qrels: &Qrels,
) -> Result<Report, EvalError> {
    let empty = HashMap::new();
    let mut per_query = Vec::with_capacity(queries.len());
    let mut sets = Vec::with_capacity(queries.len());
    for q in queries {
        let judged = qrels.get(&q.need).unwrap_or(&empty);
        let relevant: Vec<String> = judged
            .iter()
            .filter(|(_, g)| **g >= 2)
            .map(|(d, _)| d.clone())
            .collect();
        let a = engine.assess(&q.text, 100, &relevant)?;
        let set = set_measures(&a, relevant.len(), engine.context().home_country());
        let scores = with_sets(score(&a.ranking, judged), &[&set]);
        sets.push(set);
        per_query.push(QueryScores {
            id: q.id.clone(),
            class: q.class.clone(),
            query: q.text.clone(),
            scores,
        });
    }
    let mut classes: BTreeMap<String, (Vec<&Scores>, Vec<&SetMeasures>)> = BTreeMap::new();
    for (q, set) in per_query.iter().zip(&sets) {
        let entry = classes.entry(q.class.clone()).or_default();
        entry.0.push(&q.scores);
        entry.1.push(set);
    }
    let all: Vec<&SetMeasures> = sets.iter().collect();
    Ok(Report {
        overall: with_sets(mean(per_query.iter().map(|q| &q.scores)), &all),
        per_class: classes
            .into_iter()
            .map(|(c, (s, m))| (c, with_sets(mean(s), &m)))
            .collect(),
        per_query,
    })
}

/// The result-set measures of one assessed query with `relevant` documents graded ≥ 2.
fn set_measures(a: &Assessment, relevant: usize, home: &str) -> SetMeasures {
    let named: HashSet<&String> = a.named_countries.iter().collect();
    let country_right = (named.len() == 1).then(|| {
        a.countries
            .iter()
            .find(|v| v.value != home)
            .is_some_and(|v| named.contains(&v.value))
    });
    SetMeasures {
        total: a.total,
        recall: (relevant > 0).then(|| a.in_set.len() as f64 / relevant as f64),
        relaxed: a.relaxed,
        country_right,
    }
}

/// Precision, recall and F1 of a multi-valued facet.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Prf {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
    /// Extracted values that are right.
    pub true_positives: usize,
    /// Extracted values.
    pub extracted: usize,
    /// Gold values.
    pub gold: usize,
}

impl Prf {
    fn from_counts(tp: usize, extracted: usize, gold: usize) -> Prf {
        let precision = if extracted == 0 {
            0.0
        } else {
            tp as f64 / extracted as f64
        };
        let recall = if gold == 0 {
            0.0
        } else {
            tp as f64 / gold as f64
        };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Prf {
            precision,
            recall,
            f1,
            true_positives: tp,
            extracted,
            gold,
        }
    }
}

/// Facet extraction scores against gold labels.
#[derive(Clone, Debug, Serialize)]
pub struct FacetReport {
    /// Documents labelled.
    pub documents: usize,
    /// Labelled documents missing from the index.
    pub missing: Vec<String>,
    /// Country facet (micro-averaged).
    pub country: Prf,
    /// Ministry facet (micro-averaged).
    pub ministry: Prf,
    /// Share of documents with a gold year whose extracted year is equal.
    pub year_accuracy: f64,
    /// Documents with a gold year.
    pub years: usize,
    /// Per document: (id, extracted countries, gold countries, extracted ministries, gold ministries).
    pub per_document: Vec<FacetDoc>,
}

/// One labelled document, extracted against gold.
#[derive(Clone, Debug, Serialize)]
pub struct FacetDoc {
    /// Document id.
    pub doc: String,
    /// Extracted countries.
    pub country: Vec<String>,
    /// Gold countries.
    pub gold_country: Vec<String>,
    /// Extracted ministries.
    pub ministry: Vec<String>,
    /// Gold ministries.
    pub gold_ministry: Vec<String>,
    /// Extracted year.
    pub year: Option<u64>,
    /// Gold year.
    pub gold_year: Option<u64>,
    /// Extracted countries that are not gold (false positives).
    pub country_extra: Vec<String>,
    /// Gold countries not extracted (misses).
    pub country_missed: Vec<String>,
    /// Extracted ministries that are not gold.
    pub ministry_extra: Vec<String>,
    /// Gold ministries not extracted.
    pub ministry_missed: Vec<String>,
}

impl FacetDoc {
    /// True when anything differs from gold (a year only when gold has one).
    pub fn has_misses(&self) -> bool {
        !(self.country_extra.is_empty()
            && self.country_missed.is_empty()
            && self.ministry_extra.is_empty()
            && self.ministry_missed.is_empty())
            || self.gold_year.is_some_and(|y| self.year != Some(y))
    }
}

/// Comparison key of a facet value: the analyzer's normal form (case, NFC, tone placement), with dash
/// variants as one (`Lao động – Thương binh` = `Lao động - Thương binh`) and spaces around
/// punctuation ignored, so that only a different name counts as a miss.
fn key(s: &str) -> String {
    let n = hoptac_analyzer::normalize(s.trim());
    let mut out = String::with_capacity(n.len());
    let mut space = false;
    for c in n.chars() {
        let c = match c {
            '–' | '—' | '‐' | '‑' | '−' => '-',
            c => c,
        };
        if c.is_whitespace() {
            space = true;
            continue;
        }
        let punct = matches!(c, '-' | ',' | '(' | ')' | '&' | '/');
        let last_punct = out
            .chars()
            .last()
            .is_some_and(|l| matches!(l, '-' | ',' | '(' | ')' | '&' | '/'));
        if space && !out.is_empty() && !punct && !last_punct {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

/// A ministry's key with the country in parentheses under its canonical name (`Bộ Quốc phòng (Mỹ)` =
/// `Bộ Quốc phòng (Hoa Kỳ)`).
fn ministry_key(s: &str, canonical: &dyn Fn(&str) -> String) -> String {
    let s = s.trim();
    match s.strip_suffix(')').and_then(|r| r.rsplit_once('(')) {
        Some((name, country)) => key(&format!("{} ({})", name.trim(), canonical(country))),
        None => key(s),
    }
}

/// Values of `a` whose key is not among `b`'s keys, as written in `a`.
fn minus(a: &[String], b: &HashSet<String>, k: &dyn Fn(&str) -> String) -> Vec<String> {
    a.iter().filter(|v| !b.contains(&k(v))).cloned().collect()
}

/// Scores the index's facets against `facets.tsv` (`doc countries ministries organisations year`).
pub fn evaluate_facets(engine: &Engine, path: &Path) -> Result<FacetReport, EvalError> {
    let rows = tsv(path, 2)?;
    let split = |s: Option<&String>| -> Vec<String> {
        s.map(|s| {
            s.split('|')
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
    };
    // Gold may spell a country any way the index knows (`Mỹ`, `Korea`): compare canonical names.
    let canonical = |c: &str| -> String {
        engine
            .context()
            .canonical_country(c)
            .map(String::from)
            .unwrap_or_else(|| c.trim().to_string())
    };
    let (mut c_tp, mut c_ex, mut c_gold) = (0, 0, 0);
    let (mut m_tp, mut m_ex, mut m_gold) = (0, 0, 0);
    let (mut y_ok, mut y_n) = (0, 0);
    let mut missing = Vec::new();
    let mut per_document = Vec::new();
    for (_, c) in &rows {
        let doc = match engine.document(&c[0]) {
            Ok(d) => d,
            Err(SearchError::NotFound(_)) => {
                missing.push(c[0].clone());
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        let gold_country = split(c.get(1));
        let gold_ministry = split(c.get(2));
        let gold_year: Option<u64> = c.get(4).and_then(|y| y.trim().parse().ok());
        let ck = |s: &str| key(&canonical(s));
        let mk = |s: &str| ministry_key(s, &canonical);
        let cg: HashSet<String> = gold_country.iter().map(|s| ck(s)).collect();
        let ce: HashSet<String> = doc.country.iter().map(|s| ck(s)).collect();
        c_tp += ce.intersection(&cg).count();
        c_ex += ce.len();
        c_gold += cg.len();
        let mg: HashSet<String> = gold_ministry.iter().map(|s| mk(s)).collect();
        let me: HashSet<String> = doc.ministry.iter().map(|s| mk(s)).collect();
        m_tp += me.intersection(&mg).count();
        m_ex += me.len();
        m_gold += mg.len();
        let country_extra = minus(&doc.country, &cg, &ck);
        let country_missed = minus(&gold_country, &ce, &ck);
        let ministry_extra = minus(&doc.ministry, &mg, &mk);
        let ministry_missed = minus(&gold_ministry, &me, &mk);
        if let Some(y) = gold_year {
            y_n += 1;
            if doc.year == Some(y) {
                y_ok += 1;
            }
        }
        per_document.push(FacetDoc {
            doc: c[0].clone(),
            country: doc.country,
            gold_country,
            ministry: doc.ministry,
            gold_ministry,
            year: doc.year,
            gold_year,
            country_extra,
            country_missed,
            ministry_extra,
            ministry_missed,
        });
    }
    Ok(FacetReport {
        documents: per_document.len(),
        missing,
        country: Prf::from_counts(c_tp, c_ex, c_gold),
        ministry: Prf::from_counts(m_tp, m_ex, m_gold),
        year_accuracy: if y_n == 0 {
            0.0
        } else {
            y_ok as f64 / y_n as f64
        },
        years: y_n,
        per_document,
    })
}

/// Rankings of a run file: query id → document ids, best first.
pub type Run = HashMap<String, Vec<String>>;

/// Reads a TREC-style run file (`qid Q0 doc rank score tag`, whitespace-separated, no header), as any
/// engine can write it. Each query's documents are ordered by the rank column (ties keep file order);
/// the score and tag columns are not used, so a run is scored exactly as its engine ranked it.
pub fn read_run(path: &Path) -> Result<Run, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let mut ranked: HashMap<String, Vec<(u64, String)>> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split_whitespace().collect();
        let rank = cols.get(3).and_then(|r| r.parse::<u64>().ok());
        let (Some(rank), true) = (rank, cols.len() >= 5) else {
            return Err(EvalError::Format {
                path: path.display().to_string(),
                line: i + 1,
                message: "expected `qid Q0 doc rank score [tag]`".into(),
            });
        };
        ranked
            .entry(cols[0].to_string())
            .or_default()
            .push((rank, cols[2].to_string()));
    }
    Ok(ranked
        .into_iter()
        .map(|(q, mut docs)| {
            docs.sort_by_key(|(rank, _)| *rank);
            (q, docs.into_iter().map(|(_, d)| d).collect())
        })
        .collect())
}

/// Scores a run file's rankings (top 100 of each query) with the same measures as [`evaluate`]; a
/// query the run does not answer scores zero.
pub fn evaluate_run(run: &Run, queries: &[EvalQuery], qrels: &Qrels) -> Report {
    let (empty_judged, empty_ranking) = (HashMap::new(), Vec::new());
    let per_query: Vec<QueryScores> = queries
        .iter()
        .map(|q| {
            let ranking = run.get(&q.id).unwrap_or(&empty_ranking);
            let top = &ranking[..ranking.len().min(100)];
            QueryScores {
                id: q.id.clone(),
                class: q.class.clone(),
                query: q.text.clone(),
                scores: score(top, qrels.get(&q.need).unwrap_or(&empty_judged)),
            }
        })
        .collect();
    let mut classes: BTreeMap<String, Vec<&Scores>> = BTreeMap::new();
    for q in &per_query {
        classes.entry(q.class.clone()).or_default().push(&q.scores);
    }
    Report {
        overall: mean(per_query.iter().map(|q| &q.scores)),
        per_class: classes.into_iter().map(|(c, s)| (c, mean(s))).collect(),
        per_query,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(pairs: &[(&str, u32)]) -> HashMap<String, u32> {
        pairs.iter().map(|(d, g)| (d.to_string(), *g)).collect()
    }

    fn ranking(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn facet_keys_ignore_dash_and_spacing_variants() {
        assert_eq!(
            key("Bộ Lao động – Thương binh và Xã hội"),
            key("Bộ Lao động-Thương binh và  Xã hội")
        );
        assert_eq!(key("Bộ Giao thông Vận tải"), key("Bộ Giao thông vận tải"));
        assert_ne!(key("Bộ Y tế"), key("Bộ Tài chính"));
    }

    #[test]
    fn a_foreign_ministrys_country_is_compared_by_its_canonical_name() {
        let canonical = |c: &str| {
            if c == "Mỹ" {
                "Hoa Kỳ".to_string()
            } else {
                c.to_string()
            }
        };
        assert_eq!(
            ministry_key("Bộ Quốc phòng (Mỹ)", &canonical),
            ministry_key("Bộ Quốc phòng (Hoa Kỳ)", &canonical)
        );
        assert_ne!(
            ministry_key("Bộ Quốc phòng (Nhật Bản)", &canonical),
            ministry_key("Bộ Quốc phòng", &canonical)
        );
    }

    #[test]
    fn perfect_ranking_scores_one() {
        let j = judged(&[("a", 3), ("b", 2), ("c", 0)]);
        let s = score(&ranking(&["a", "b"]), &j);
        assert!((s.ndcg10 - 1.0).abs() < 1e-9);
        assert_eq!(s.mrr10, 1.0);
        assert_eq!(s.recall100, 1.0);
        assert_eq!(s.judged10, 0.2);
    }

    #[test]
    fn swapped_ranking_scores_less() {
        let j = judged(&[("a", 3), ("b", 1)]);
        let s = score(&ranking(&["b", "a"]), &j);
        // dcg = 1/log2(2) + 7/log2(3); idcg = 7 + 1/log2(3)
        let expected = (1.0 + 7.0 / 3f64.log2()) / (7.0 + 1.0 / 3f64.log2());
        assert!((s.ndcg10 - expected).abs() < 1e-9);
        assert_eq!(s.mrr10, 0.5);
    }

    #[test]
    fn unjudged_documents_count_as_not_relevant() {
        let j = judged(&[("a", 2)]);
        let s = score(&ranking(&["x", "y", "a"]), &j);
        assert_eq!(s.mrr10, 1.0 / 3.0);
        assert!((s.judged10 - 0.1).abs() < 1e-9);
    }

    #[test]
    fn a_need_without_relevant_documents_scores_zero() {
        let s = score(&ranking(&["a"]), &judged(&[("a", 0)]));
        assert_eq!(s.ndcg10, 0.0);
        assert_eq!(s.recall100, 0.0);
    }

    #[test]
    fn segmentation_is_scored_by_exact_word_spans() {
        let lexicon = hoptac_analyzer::Lexicon::new(["hợp tác", "hợp tác xã", "nông nghiệp"]);
        let r = evaluate_segmentation(&lexicon, "hợp_tác_xã nông_nghiệp .\nhợp_tác với Lào\n");
        assert_eq!(r.sentences, 2);
        assert_eq!(r.all.true_positives, 6);
        assert_eq!(r.all.f1, 1.0);
        assert_eq!(r.words.gold, 5);
        let wrong = evaluate_segmentation(&hoptac_analyzer::Lexicon::default(), "hợp_tác với Lào");
        assert_eq!(wrong.all.true_positives, 2);
        assert_eq!(wrong.all.gold, 3);
    }

    #[test]
    fn prf_counts() {
        let p = Prf::from_counts(2, 4, 2);
        assert_eq!(p.precision, 0.5);
        assert_eq!(p.recall, 1.0);
        assert!((p.f1 - 2.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn a_run_file_is_ranked_by_its_rank_column_and_scored_like_a_ranking() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.run");
        std::fs::write(
            &path,
            "q1.base Q0 b 2 0.5 t\nq1.base Q0 a 1 0.9 t\nq1.nodiac Q0 a 1 1.0 t\n",
        )
        .unwrap();
        let run = read_run(&path).unwrap();
        assert_eq!(run["q1.base"], ranking(&["a", "b"]));
        let query = |id: &str, class: &str| EvalQuery {
            id: id.into(),
            need: "q1".into(),
            class: class.into(),
            text: String::new(),
        };
        let queries = [
            query("q1.base", "base"),
            query("q1.nodiac", "nodiac"),
            query("q1.tone", "tone"),
        ];
        let qrels: Qrels = [("q1".to_string(), judged(&[("a", 3), ("b", 1)]))].into();
        let report = evaluate_run(&run, &queries, &qrels);
        assert_eq!(
            report.per_query[0].scores,
            score(&ranking(&["a", "b"]), &qrels["q1"])
        );
        assert_eq!(
            report.per_class["tone"].ndcg10, 0.0,
            "a query missing from the run scores zero"
        );
        assert_eq!(report.overall.queries, 3);
    }

    #[test]
    fn a_malformed_run_line_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.run");
        std::fs::write(&path, "q1 Q0 a first 0.5\n").unwrap();
        assert!(matches!(
            read_run(&path),
            Err(EvalError::Format { line: 1, .. })
        ));
    }
}

/// Word segmentation scores against a gold segmentation.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct SegmentationReport {
    /// Sentences read.
    pub sentences: usize,
    /// Every token, punctuation included (the usual way segmenters are scored).
    pub all: Prf,
    /// Tokens with at least one letter or digit only.
    pub words: Prf,
}

/// Scores `lexicon`'s segmentation against gold text where the syllables of a word are joined by `_`
/// and words by spaces (`Thanh bắt_chuyện với Hùng`), one sentence per line.
pub fn evaluate_segmentation(lexicon: &hoptac_analyzer::Lexicon, gold: &str) -> SegmentationReport {
    let (mut all_tp, mut all_pred, mut all_gold) = (0, 0, 0);
    let (mut w_tp, mut w_pred, mut w_gold) = (0, 0, 0);
    let mut sentences = 0;
    for line in gold.lines().filter(|l| !l.trim().is_empty()) {
        sentences += 1;
        let mut syllables: Vec<String> = Vec::new();
        let mut gold_spans: HashSet<(usize, usize)> = HashSet::new();
        let mut is_word: Vec<bool> = Vec::new();
        for word in line.split_whitespace() {
            let start = syllables.len();
            for s in word.split('_').filter(|s| !s.is_empty()) {
                syllables.push(hoptac_analyzer::normalize(s));
                is_word.push(s.chars().any(char::is_alphanumeric));
            }
            if syllables.len() > start {
                gold_spans.insert((start, syllables.len()));
            }
        }
        let predicted: HashSet<(usize, usize)> = lexicon
            .segment(&syllables)
            .into_iter()
            .map(|r| (r.start, r.end))
            .collect();
        let wordish = |(a, b): &(usize, usize)| is_word[*a..*b].iter().any(|w| *w);
        all_tp += predicted.intersection(&gold_spans).count();
        all_pred += predicted.len();
        all_gold += gold_spans.len();
        w_tp += predicted
            .intersection(&gold_spans)
            .filter(|s| wordish(s))
            .count();
        w_pred += predicted.iter().filter(|s| wordish(s)).count();
        w_gold += gold_spans.iter().filter(|s| wordish(s)).count();
    }
    SegmentationReport {
        sentences,
        all: Prf::from_counts(all_tp, all_pred, all_gold),
        words: Prf::from_counts(w_tp, w_pred, w_gold),
    }
}
