//! `hoptac`: index and search Vietnamese documents about international cooperation.
//!
//! A thin binary over the library crates: argument parsing, output formatting (human or `--json`),
//! progress bars and exit codes (0 success — a search without hits included —, 2 bad usage, 1 any
//! other failure).

mod allocator;
mod commands;
mod output;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Search Vietnamese documents about international cooperation.
#[derive(Parser, Debug)]
#[command(name = "hoptac", version, about, long_about = None)]
pub struct Cli {
    /// The index folder.
    #[arg(
        long,
        global = true,
        default_value = "data/index",
        env = "HOPTAC_INDEX"
    )]
    pub index: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Index a corpus folder (incrementally: only what changed).
    Index(commands::index::Args),
    /// Search: free text, filters, or both.
    Search(commands::search::Args),
    /// Facet counts over the whole index.
    Facets(commands::facets::Args),
    /// Show one document.
    Show(commands::show::Args),
    /// Index the corpus if needed, then serve the search page and the JSON API.
    Serve(commands::serve::Args),
    /// Relevance against a judged set; facet extraction against gold labels.
    Eval(commands::eval::Args),
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("HOPTAC_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Index(a) => commands::index::run(&cli, a),
        Command::Search(a) => commands::search::run(&cli, a),
        Command::Facets(a) => commands::facets::run(&cli, a),
        Command::Show(a) => commands::show::run(&cli, a),
        Command::Serve(a) => commands::serve::run(&cli, a),
        Command::Eval(a) => commands::eval::run(&cli, a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("hoptac: error: {e:#}");
            ExitCode::from(1)
        }
    }
}
