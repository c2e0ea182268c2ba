//! `hoptac facets`: counts per country, ministry, year and topic over the whole index.

use std::process::ExitCode;

use hoptac_search::{Engine, FacetValue};

use crate::{output, Cli};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Values per dimension (years: all).
    #[arg(long, default_value_t = 30)]
    pub limit: usize,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

fn print(title: &str, values: &[FacetValue]) {
    crate::outln!("{}", output::bold(title));
    if values.is_empty() {
        crate::outln!("  (không có)");
    }
    for v in values {
        crate::outln!("  {:>6}  {}", v.count, v.value);
    }
    crate::outln!();
}

pub fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    let engine = Engine::open(&cli.index)?;
    let f = engine.facets(args.limit)?;
    if args.json {
        output::json(&f)?;
        return Ok(ExitCode::SUCCESS);
    }
    crate::outln!("{} tài liệu\n", engine.num_docs());
    print("Quốc gia (country)", &f.country);
    print("Bộ/ngành (ministry)", &f.ministry);
    print("Năm (year)", &f.year);
    print("Chủ đề (topic)", &f.topic);
    Ok(ExitCode::SUCCESS)
}
