//! Baselines (a) and (b) of `scripts/eval-baselines`: tantivy as a naive user would set it up for
//! Vietnamese text, to compare hoptac's ranking against.
//!
//! ```sh
//! baseline_tantivy default|default-folding DOCS.jsonl QUERIES.tsv INDEX_DIR RUN_FILE
//! ```
//!
//! - `default`: title and body as `TEXT` fields with tantivy's `default` tokenizer
//!   (`SimpleTokenizer` + `RemoveLongFilter(40)` + `LowerCaser`);
//! - `default-folding`: the same chain plus `AsciiFoldingFilter` (it folds precomposed Vietnamese
//!   letters and đ; the documents are NFC, so no combining marks split words).
//!
//! Documents are `{"id", "title", "body"}` lines (written by `scripts/baselines/corpus.py`); queries
//! are `queries.tsv` (`id need class query`). Each query goes through tantivy's `QueryParser` over
//! title and body in its default OR mode, leniently (as a search box would), and the top 100 are
//! written as a TREC run (`qid Q0 doc rank score tag`).

use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::Value;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::TantivyDocument;

#[path = "common/tantivy_default.rs"]
mod tantivy_default;
use tantivy_default::{add_jsonl, create, Error, Fields};

fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [variant, docs, queries, index_dir, run] = args.as_slice() else {
        return Err("usage: baseline_tantivy default|default-folding DOCS.jsonl QUERIES.tsv INDEX_DIR RUN_FILE".into());
    };
    let tokenizer = match variant.as_str() {
        "default" => "default",
        "default-folding" => "default_folding",
        other => return Err(format!("unknown variant {other:?}").into()),
    };

    let (index, Fields { id, title, body }) = create(Path::new(index_dir), tokenizer)?;
    index.tokenizers().register(
        "default_folding",
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );

    let started = Instant::now();
    // One indexing thread: documents keep file order, so ties in score rank the same on every run.
    let mut writer = index.writer_with_num_threads(1, 400_000_000)?;
    let n = add_jsonl(&mut writer, &Fields { id, title, body }, docs)?;
    writer.commit()?;
    writer.wait_merging_threads()?;
    eprintln!(
        "tantivy {variant}: indexed {n} documents in {:.0}s",
        started.elapsed().as_secs_f64()
    );

    let reader = index.reader()?;
    let searcher = reader.searcher();
    let parser = QueryParser::for_index(&index, vec![title, body]);
    let mut out = BufWriter::new(std::fs::File::create(run)?);
    let (mut lenient, mut empty, mut total) = (0, 0, 0);
    for line in std::fs::read_to_string(queries)?.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [qid, _need, _class, text, ..] = cols.as_slice() else {
            continue;
        };
        total += 1;
        let (query, errors) = parser.parse_query_lenient(text);
        lenient += usize::from(!errors.is_empty());
        let hits = searcher.search(&query, &TopDocs::with_limit(100).order_by_score())?;
        empty += usize::from(hits.is_empty());
        for (rank, (score, addr)) in hits.into_iter().enumerate() {
            let stored: TantivyDocument = searcher.doc(addr)?;
            let doc_id = stored
                .get_first(id)
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            writeln!(
                out,
                "{qid} Q0 {doc_id} {} {score:.6} tantivy-{variant}",
                rank + 1
            )?;
        }
    }
    out.flush()?;
    eprintln!(
        "tantivy {variant}: {total} queries, {lenient} parsed with errors (leniently), {empty} found nothing"
    );
    Ok(())
}
