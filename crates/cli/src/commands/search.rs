//! `hoptac search`: ranked, faceted search from the terminal.

use std::process::ExitCode;

use hoptac_search::{Engine, Filters, SearchRequest, Sort};
use hoptac_server::export::{self, MAX_EXPORT};

use crate::{output, Cli};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// What to search for (may be empty when filters are given).
    pub query: Vec<String>,
    /// Only documents about this country (repeat for any of several).
    #[arg(long)]
    pub country: Vec<String>,
    /// Only documents naming this ministry (repeat for any of several).
    #[arg(long)]
    pub ministry: Vec<String>,
    /// Only documents on this topic (repeat for any of several).
    #[arg(long)]
    pub topic: Vec<String>,
    /// Only documents from this year (repeat for any of several).
    #[arg(long)]
    pub year: Vec<u64>,
    /// Only documents from this year on.
    #[arg(long)]
    pub year_from: Option<u64>,
    /// Only documents up to this year.
    #[arg(long)]
    pub year_to: Option<u64>,
    /// Results per page [default: 10; with --format csv or ris, the whole result set up to 10000].
    #[arg(long, short = 'n', value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub limit: Option<u64>,
    /// Page number, from 1.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    pub page: u64,
    /// Print JSON (the same as --format json).
    #[arg(long)]
    pub json: bool,
    /// Output: a readable list, JSON, CSV (UTF-8 with a byte-order mark, for spreadsheets) or RIS
    /// (for Zotero and EndNote).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Order: best first, or newest first.
    #[arg(long, value_enum, default_value_t = Order::Relevance)]
    pub sort: Order,
    /// List every reprint of a release (by default a release reprinted by several outlets shows
    /// once, with the number of its reprints).
    #[arg(long)]
    pub all_reprints: bool,
}

/// How results are printed.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A readable list.
    Text,
    /// The engine's answer as JSON.
    Json,
    /// One row per document.
    Csv,
    /// One RIS record per document.
    Ris,
}

/// The order of the results.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Best first.
    Relevance,
    /// Newest first.
    Newest,
}

pub fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    let query = args.query.join(" ");
    let filters = Filters {
        country: args.country.clone(),
        ministry: args.ministry.clone(),
        topic: args.topic.clone(),
        year: args.year.clone(),
        year_from: args.year_from,
        year_to: args.year_to,
    };
    if query.trim().is_empty() && filters.is_empty() {
        eprintln!("hoptac: error: give a query, a filter (--country, --ministry, --topic, --year), or both");
        return Ok(ExitCode::from(2));
    }
    let engine = Engine::open(&cli.index)?;
    let format = if args.json { Format::Json } else { args.format };
    let export = matches!(format, Format::Csv | Format::Ris);
    let limit = args
        .limit
        .map_or(if export { MAX_EXPORT } else { 10 }, |n| n as usize);
    let req = SearchRequest {
        query: query.clone(),
        filters,
        offset: (args.page as usize - 1) * limit,
        limit,
        snippet_chars: if export { 0 } else { 240 },
        facet_limit: 10,
        sort: match args.sort {
            Order::Relevance => Sort::Relevance,
            Order::Newest => Sort::Newest,
        },
        keep_reprints: args.all_reprints,
    };
    let res = engine.search(&req)?;
    match format {
        Format::Json => {
            output::json(&res)?;
            return Ok(ExitCode::SUCCESS);
        }
        Format::Csv => {
            output::bytes(&export::csv(&res.hits));
            return Ok(ExitCode::SUCCESS);
        }
        Format::Ris => {
            output::bytes(export::ris(&res.hits).as_bytes());
            return Ok(ExitCode::SUCCESS);
        }
        Format::Text => {}
    }
    let what = if query.trim().is_empty() {
        String::new()
    } else {
        format!(" cho \"{query}\"")
    };
    crate::outln!("{} kết quả{what} ({:.1} ms)", res.total, res.took_ms);
    if res.hits.is_empty() {
        crate::outln!("Không tìm thấy tài liệu nào.");
    }
    for (i, h) in res.hits.iter().enumerate() {
        crate::outln!();
        crate::outln!("{}. {}", req.offset + i + 1, output::bold(&h.title));
        let mut meta = vec![h.id.clone()];
        if let Some(d) = &h.date {
            meta.push(d.clone());
        } else if let Some(y) = h.year {
            meta.push(y.to_string());
        }
        if !h.country.is_empty() {
            meta.push(h.country.join(", "));
        }
        if !h.ministry.is_empty() {
            meta.push(h.ministry.join(", "));
        }
        if !h.duplicates.is_empty() {
            meta.push(format!("{} bản đăng lại", h.duplicates.len()));
        }
        crate::outln!("   {}", meta.join(" · "));
        let p = output::passage(&h.passage);
        if !p.is_empty() {
            crate::outln!("   {p}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
