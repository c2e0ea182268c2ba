//! tantivy as a naive user sets it up for Vietnamese text: shared by the `baseline_tantivy` and
//! `bench_latency` examples (`#[path]`-included; not an example itself).

use std::io::{BufRead, BufReader};
use std::path::Path;

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, STORED, STRING,
};
use tantivy::{doc, Index, IndexWriter};

pub type Error = Box<dyn std::error::Error>;

/// The id, title and body fields.
pub struct Fields {
    pub id: Field,
    pub title: Field,
    pub body: Field,
}

/// A new, empty index in `dir` (emptied first): `id` stored, title and body `TEXT` fields with
/// positions, analysed by `tokenizer`.
pub fn create(dir: &Path, tokenizer: &str) -> Result<(Index, Fields), Error> {
    let mut builder = Schema::builder();
    let id = builder.add_text_field("id", STRING | STORED);
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let title = builder.add_text_field("title", text.clone());
    let body = builder.add_text_field("body", text);
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    let index = Index::create_in_dir(dir, builder.build())?;
    Ok((index, Fields { id, title, body }))
}

/// Adds every `{"id", "title", "body"}` line of `docs` (written by `scripts/baselines/corpus.py`);
/// returns how many.
pub fn add_jsonl(writer: &mut IndexWriter, f: &Fields, docs: &str) -> Result<usize, Error> {
    let mut n = 0usize;
    for line in BufReader::new(std::fs::File::open(docs)?).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let d: serde_json::Value = serde_json::from_str(&line)?;
        let field = |k: &str| d[k].as_str().unwrap_or_default().to_string();
        writer.add_document(
            doc!(f.id => field("id"), f.title => field("title"), f.body => field("body")),
        )?;
        n += 1;
    }
    Ok(n)
}
