//! `hoptac eval`: relevance against a judged set, and facet extraction against gold labels.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use hoptac_indexer::index_corpus;
use hoptac_indexer::IndexOptions;
use hoptac_search::eval::{
    evaluate, evaluate_facets, evaluate_run, read_qrels, read_queries, read_run, Scores,
};
use hoptac_search::Engine;

use crate::commands::index::load_config;
use crate::{output, Cli};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The judged corpus; indexed (incrementally) into --index before evaluating.
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// Queries: `id need class query` (TSV with a header).
    #[arg(long, requires = "qrels")]
    pub queries: Option<PathBuf>,
    /// Judgments: `need doc grade` (TSV with a header).
    #[arg(long, requires = "queries")]
    pub qrels: Option<PathBuf>,
    /// Gold facet labels: `doc countries ministries organisations year` (TSV with a header).
    #[arg(long)]
    pub facets: Option<PathBuf>,
    /// Gold word segmentation (`word_syllables` joined by `_`, words by spaces, one sentence per line):
    /// report the segmenter's precision, recall and F1 with the index-config word list.
    #[arg(long)]
    pub segmentation: Option<PathBuf>,
    /// index-config folder used when indexing the corpus.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Ranking weight overrides, `name=value,…` (see `hoptac_search::Weights`), for tuning.
    #[arg(long)]
    pub weights: Option<String>,
    /// Score this TREC run file (`qid Q0 doc rank score tag`, e.g. another engine's top 100) with the
    /// same measures, instead of searching the index.
    #[arg(long, requires = "queries", conflicts_with_all = ["corpus", "write_run"])]
    pub run: Option<PathBuf>,
    /// Also write hoptac's own top 100 for every query to this file as a TREC run.
    #[arg(long, requires = "queries")]
    pub write_run: Option<PathBuf>,
    /// Also measure related documents: from each grade-3 document of a need, the share of its top
    /// 10 related documents judged at least grade 2 for the same need.
    #[arg(long, requires = "qrels")]
    pub related: bool,
    /// Fail (exit 1) when overall nDCG@10 is below this.
    #[arg(long)]
    pub min_ndcg: Option<f64>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

fn row(name: &str, s: &Scores) -> String {
    let dash = || "-".to_string();
    let (median, mean) = s.set_size.as_ref().map_or((dash(), dash()), |z| {
        (format!("{:.0}", z.median), format!("{:.0}", z.mean))
    });
    let recall = s.set_recall.map_or_else(dash, |r| format!("{r:.3}"));
    let relaxed = s.relaxed.map_or_else(dash, |r| r.to_string());
    let facet = s
        .country_facet
        .as_ref()
        .filter(|c| c.checked > 0)
        .map_or_else(dash, |c| format!("{}/{}", c.right, c.checked));
    format!(
        "{name:<12} {:>5} {:>9.4} {:>8.4} {:>11.4} {:>10.3} {median:>8} {mean:>8} {recall:>10} {relaxed:>8} {facet:>8}",
        s.queries, s.ndcg10, s.mrr10, s.recall100, s.judged10
    )
}

pub fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    if args.queries.is_none() && args.facets.is_none() && args.segmentation.is_none() {
        eprintln!(
            "hoptac: error: give --queries and --qrels, --facets, --segmentation, or several"
        );
        return Ok(ExitCode::from(2));
    }
    if let Some(path) = &args.segmentation {
        let config = load_config(args.config.as_deref())?;
        let lexicon = hoptac_analyzer::Lexicon::new(config.words.iter().map(String::as_str));
        let gold =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let r = hoptac_search::eval::evaluate_segmentation(&lexicon, &gold);
        if args.json && args.queries.is_none() && args.facets.is_none() {
            output::json(&r)?;
            return Ok(ExitCode::SUCCESS);
        }
        crate::outln!(
            "segmentation on {} sentences: F1 {:.2} (P {:.2}, R {:.2}) all tokens; F1 {:.2} (P {:.2}, R {:.2}) words only",
            r.sentences,
            100.0 * r.all.f1,
            100.0 * r.all.precision,
            100.0 * r.all.recall,
            100.0 * r.words.f1,
            100.0 * r.words.precision,
            100.0 * r.words.recall
        );
        if args.queries.is_none() && args.facets.is_none() {
            return Ok(ExitCode::SUCCESS);
        }
    }
    if let Some(corpus) = &args.corpus {
        let opts = IndexOptions::new(corpus, &cli.index, load_config(args.config.as_deref())?);
        let s =
            index_corpus(&opts, &()).with_context(|| format!("indexing {}", corpus.display()))?;
        if !args.json {
            eprintln!(
                "index {}: added {}, updated {}, removed {}, unchanged {}, skipped {}",
                cli.index.display(),
                s.added,
                s.updated,
                s.removed,
                s.unchanged,
                s.skipped.len()
            );
        }
    }
    let needs_index = args.facets.is_some() || args.run.is_none();
    let mut engine = needs_index.then(|| Engine::open(&cli.index)).transpose()?;
    if let (Some(spec), Some(engine)) = (&args.weights, engine.as_mut()) {
        match hoptac_search::Weights::default().with_overrides(spec) {
            Ok(w) => engine.set_weights(w),
            Err(e) => {
                eprintln!("hoptac: error: --weights: {e}");
                return Ok(ExitCode::from(2));
            }
        }
    }
    let mut json = serde_json::Map::new();
    let mut code = ExitCode::SUCCESS;
    if let (Some(q), Some(r)) = (&args.queries, &args.qrels) {
        let queries = read_queries(q)?;
        let qrels = read_qrels(r)?;
        let report = match &args.run {
            Some(run) => evaluate_run(&read_run(run)?, &queries, &qrels),
            None => evaluate(engine.as_ref().context("no index")?, &queries, &qrels)?,
        };
        if let (Some(path), Some(engine)) = (&args.write_run, &engine) {
            let mut out = String::new();
            for q in &queries {
                for (rank, id) in engine.top_ids(&q.text, 100)?.iter().enumerate() {
                    out.push_str(&format!(
                        "{} Q0 {id} {} {} hoptac\n",
                        q.id,
                        rank + 1,
                        100 - rank
                    ));
                }
            }
            std::fs::write(path, out).with_context(|| format!("writing {}", path.display()))?;
        }
        if let Some(min) = args.min_ndcg {
            if report.overall.ndcg10 < min {
                eprintln!(
                    "hoptac: nDCG@10 {:.4} is below the required {:.4}",
                    report.overall.ndcg10, min
                );
                code = ExitCode::from(1);
            }
        }
        if args.json {
            for (k, v) in serde_json::to_value(&report)?
                .as_object()
                .cloned()
                .unwrap_or_default()
            {
                json.insert(k, v);
            }
        } else {
            crate::outln!(
                "{:<12} {:>5} {:>9} {:>8} {:>11} {:>10} {:>8} {:>8} {:>10} {:>8} {:>8}",
                "class",
                "n",
                "nDCG@10",
                "MRR@10",
                "Recall@100",
                "judged@10",
                "set med",
                "set mean",
                "set recall",
                "relaxed",
                "country"
            );
            for (class, s) in &report.per_class {
                crate::outln!("{}", row(class, s));
            }
            crate::outln!("{}", row("overall", &report.overall));
        }
    }
    if let (true, Some(r), Some(engine)) = (args.related, &args.qrels, &engine) {
        let report = hoptac_search::eval::evaluate_related(engine, &read_qrels(r)?)?;
        if args.json {
            json.insert("related".into(), serde_json::to_value(&report)?);
        } else {
            crate::outln!();
            crate::outln!(
                "related documents: precision@10 {:.3} over {} grade-3 documents of {} needs ({:.3} per need; {} returned)",
                report.precision10,
                report.sources,
                report.needs,
                report.precision10_per_need,
                report.returned
            );
        }
    }
    if let (Some(f), Some(engine)) = (&args.facets, &engine) {
        let report = evaluate_facets(engine, f)?;
        if args.json {
            json.insert("facets".into(), serde_json::to_value(&report)?);
        } else {
            crate::outln!();
            crate::outln!(
                "facets on {} labelled documents ({} missing from the index)",
                report.documents,
                report.missing.len()
            );
            for (name, p) in [("country", &report.country), ("ministry", &report.ministry)] {
                crate::outln!(
                    "{name:<9} precision {:.3}  recall {:.3}  F1 {:.3}  ({} right of {} extracted, {} gold)",
                    p.precision, p.recall, p.f1, p.true_positives, p.extracted, p.gold
                );
            }
            crate::outln!(
                "year      accuracy {:.3} on {} documents with a year",
                report.year_accuracy,
                report.years
            );
            // Each document that differs from gold: what to look at when a rule is changed.
            let misses: Vec<_> = report
                .per_document
                .iter()
                .filter(|d| d.has_misses())
                .collect();
            if !misses.is_empty() {
                crate::outln!();
                crate::outln!(
                    "differences from gold (+ extracted, not gold; - gold, not extracted)"
                );
            }
            for d in misses {
                crate::outln!("{}", d.doc);
                let list = |sign: char, vs: &[String]| -> String {
                    vs.iter().map(|v| format!(" {sign}{v}")).collect()
                };
                if !d.country_extra.is_empty() || !d.country_missed.is_empty() {
                    let both = list('+', &d.country_extra) + &list('-', &d.country_missed);
                    crate::outln!("  country {}", both.trim_start());
                }
                if !d.ministry_extra.is_empty() || !d.ministry_missed.is_empty() {
                    let both = list('+', &d.ministry_extra) + &list('-', &d.ministry_missed);
                    crate::outln!("  ministry {}", both.trim_start());
                }
                if let Some(y) = d.gold_year.filter(|y| d.year != Some(*y)) {
                    let got = d.year.map_or("none".to_string(), |y| y.to_string());
                    crate::outln!("  year {got}, gold {y}");
                }
            }
        }
    }
    if args.json {
        output::json(&json)?;
    }
    Ok(code)
}
