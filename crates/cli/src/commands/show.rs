//! `hoptac show`: one document, its metadata and full text.

use std::process::ExitCode;

use hoptac_search::{Engine, SearchError, Snippet};

use crate::{output, Cli};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Document id (its corpus-relative path).
    pub id: String,
    /// Highlight these query words in the text.
    #[arg(long, short = 'q')]
    pub query: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    let engine = Engine::open(&cli.index)?;
    let doc = match engine.document(&args.id) {
        Ok(d) => d,
        Err(SearchError::NotFound(id)) => {
            eprintln!("hoptac: error: no document with id {id:?}");
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e.into()),
    };
    if args.json {
        output::json(&doc)?;
        return Ok(ExitCode::SUCCESS);
    }
    crate::outln!("{}", output::bold(&doc.title));
    crate::outln!("id:       {}", doc.id);
    if let Some(d) = &doc.date {
        crate::outln!("date:     {d}");
    }
    if let Some(y) = doc.year {
        crate::outln!("year:     {y}");
    }
    if let Some(u) = &doc.url {
        crate::outln!("url:      {u}");
    }
    crate::outln!("country:  {}", doc.country.join(", "));
    crate::outln!("ministry: {}", doc.ministry.join(", "));
    crate::outln!("topic:    {}", doc.topic.join(", "));
    crate::outln!();
    let body = match &args.query {
        Some(q) => {
            let s: Snippet = engine.highlight(q, &doc.body);
            output::marked(&s)
        }
        None => doc.body.clone(),
    };
    crate::outln!("{body}");
    Ok(ExitCode::SUCCESS)
}
