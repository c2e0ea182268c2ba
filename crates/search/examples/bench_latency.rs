//! In-process query latency for `scripts/bench`: hoptac's `Engine::search`, and tantivy with its
//! `default` tokenizer (the raw engine under hoptac), on the same query mix.
//!
//! ```sh
//! bench_latency hoptac INDEX_DIR QUERIES.tsv OUT.json [ROUNDS]
//! bench_latency tantivy-index DOCS.jsonl INDEX_DIR
//! bench_latency tantivy INDEX_DIR QUERIES.tsv OUT.json [ROUNDS]
//! ```
//!
//! QUERIES.tsv is written by `scripts/bench` (`qid need class query country`, the
//! columns of `queries.tsv` plus a country filter that may be empty). One
//! thread. Every query is run once to warm the caches, then ROUNDS times (default 3) timed; OUT.json
//! gets p50/p95/p99/max per class in milliseconds, and `first_answer_ms`: from process start (index
//! not yet opened) to the first query answered — the cold start of a fresh process.
//!
//! hoptac's request is what its server answers: top 10 with snippets and facet counts. tantivy's is
//! `QueryParser` (default OR, lenient) over title and body, top 10 ids — less work per query. tantivy
//! has no facet fields, so it skips queries with a country filter.
//!
//! `HOPTAC_WEIGHTS=name=value,…` runs hoptac with ranking weights overridden as `hoptac eval
//! --weights` does: two settings compared with one build.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use hoptac_search::{Engine, SearchRequest, Weights};
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::Index;

#[path = "common/tantivy_default.rs"]
mod tantivy_default;
use tantivy_default::Error;

/// How many of the slowest queries the report lists.
const SLOWEST: usize = 15;

struct Query {
    class: String,
    text: String,
    country: String,
}

fn read_queries(path: &str) -> Result<Vec<Query>, Error> {
    let mut out = Vec::new();
    for line in std::fs::read_to_string(path)?.lines().skip(1) {
        let c: Vec<&str> = line.split('\t').collect();
        if c.len() >= 4 {
            out.push(Query {
                class: c[2].to_string(),
                text: c[3].to_string(),
                country: c.get(4).unwrap_or(&"").to_string(),
            });
        }
    }
    Ok(out)
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    let i = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[i.clamp(1, sorted.len()) - 1]
}

/// Warms up, times ROUNDS passes, writes the per-class percentiles.
fn measure(
    queries: &[Query],
    rounds: usize,
    out: &str,
    start: Instant,
    mut run: impl FnMut(&Query) -> Result<usize, Error>,
) -> Result<(), Error> {
    let mut first_answer_ms = None;
    let mut hits = 0usize;
    for q in queries {
        hits += run(q)?;
        first_answer_ms.get_or_insert(start.elapsed().as_secs_f64() * 1e3);
    }
    let mut by_class: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    // Each query's fastest round: which queries make the tail, without one round's noise.
    let mut fastest = vec![f64::INFINITY; queries.len()];
    for _ in 0..rounds {
        for (i, q) in queries.iter().enumerate() {
            let t = Instant::now();
            run(q)?;
            let ms = t.elapsed().as_secs_f64() * 1e3;
            fastest[i] = fastest[i].min(ms);
            by_class.entry(q.class.clone()).or_default().push(ms);
            by_class.entry("all".into()).or_default().push(ms);
        }
    }
    let mut slowest: Vec<(f64, &Query)> = fastest.into_iter().zip(queries).collect();
    slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
    let slowest: Vec<serde_json::Value> = slowest
        .iter()
        .take(SLOWEST)
        .map(|(ms, q)| serde_json::json!({"ms": ms, "class": q.class, "query": q.text, "country": q.country}))
        .collect();
    let mut classes = serde_json::Map::new();
    for (class, mut v) in by_class {
        v.sort_by(f64::total_cmp);
        classes.insert(
            class,
            serde_json::json!({"n": v.len(), "p50": pct(&v, 50.0), "p95": pct(&v, 95.0),
                               "p99": pct(&v, 99.0), "max": v[v.len() - 1]}),
        );
    }
    let report = serde_json::json!({"first_answer_ms": first_answer_ms, "queries": queries.len(),
                                    "rounds": rounds, "hits_first_pass": hits, "classes": classes,
                                    "slowest": slowest});
    std::fs::write(out, serde_json::to_string_pretty(&report)?)?;
    Ok(())
}

fn main() -> Result<(), Error> {
    let start = Instant::now();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rounds = |i: usize| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(3usize);
    match args.first().map(String::as_str) {
        Some("hoptac") if args.len() >= 4 => {
            let mut engine = Engine::open(Path::new(&args[1]))?;
            if let Ok(spec) = std::env::var("HOPTAC_WEIGHTS") {
                engine.set_weights(Weights::default().with_overrides(&spec)?);
            }
            let queries = read_queries(&args[2])?;
            measure(&queries, rounds(4), &args[3], start, |q| {
                let mut req = SearchRequest::text(&q.text);
                if !q.country.is_empty() {
                    req.filters.country.push(q.country.clone());
                }
                Ok(engine.search(&req)?.hits.len())
            })
        }
        Some("tantivy-index") if args.len() == 3 => tantivy_index(&args[1], &args[2]),
        Some("tantivy") if args.len() >= 4 => {
            let index = Index::open_in_dir(&args[1])?;
            let schema = index.schema();
            let fields = vec![schema.get_field("title")?, schema.get_field("body")?];
            let searcher = index.reader()?.searcher();
            let parser = QueryParser::for_index(&index, fields);
            let queries: Vec<Query> = read_queries(&args[2])?
                .into_iter()
                .filter(|q| q.country.is_empty())
                .collect();
            measure(&queries, rounds(4), &args[3], start, |q| {
                let (query, _) = parser.parse_query_lenient(&q.text);
                Ok(searcher
                    .search(&query, &TopDocs::with_limit(10).order_by_score())?
                    .len())
            })
        }
        _ => Err("usage: bench_latency hoptac INDEX QUERIES OUT [ROUNDS] | tantivy-index DOCS INDEX | tantivy INDEX QUERIES OUT [ROUNDS]".into()),
    }
}

/// Indexes DOCS.jsonl (`{"id", "title", "body"}` lines) with tantivy's `default` tokenizer, as
/// `baseline_tantivy default` does, but with tantivy's default number of indexing threads.
fn tantivy_index(docs: &str, dir: &str) -> Result<(), Error> {
    let (index, fields) = tantivy_default::create(Path::new(dir), "default")?;
    let mut writer: tantivy::IndexWriter = index.writer(400_000_000)?;
    let n = tantivy_default::add_jsonl(&mut writer, &fields, docs)?;
    writer.commit()?;
    writer.wait_merging_threads()?;
    eprintln!("tantivy default: indexed {n} documents");
    Ok(())
}
