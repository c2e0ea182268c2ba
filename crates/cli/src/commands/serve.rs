//! `hoptac serve`: bring the index up to date with the corpus, then serve the search page and the
//! JSON API.
//!
//! Indexing first is what makes `cargo run --release -- serve` the one command a new user needs:
//! the incremental indexer only reads what changed, so on an up-to-date index it costs a directory
//! walk and a hash per file. An index written by an incompatible hoptac is rebuilt from the corpus
//! (the corpus is the source of truth); without a corpus folder the existing index is served as is.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;

use hoptac_indexer::write::index_corpus;
use hoptac_indexer::{IndexOptions, IndexerError};
use hoptac_search::http::{AppState, Server, ServerConfig, StartError};
use hoptac_search::Engine;

use crate::commands::index::load_config;
use crate::Cli;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Address to listen on. Anything but loopback needs an admin token.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// The corpus folder, indexed (incrementally) before serving.
    #[arg(long, default_value = "corpus")]
    pub corpus: PathBuf,
    /// The index-config folder (default: ./index-config if present, else the built-in copy).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Serve the index as it is, without indexing the corpus first.
    #[arg(long)]
    pub no_index: bool,
    /// Token that guards the write endpoints; required to listen beyond loopback (at least 16
    /// characters).
    #[arg(long, env = "HOPTAC_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Seconds a client has to send a request's headers, and the server to answer it.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
}

/// Brings the index up to date: incremental, or a rebuild when the index is from an incompatible
/// version. Returns a one-line account of what was done.
fn update_index(cli: &Cli, args: &Args) -> anyhow::Result<String> {
    let config = load_config(args.config.as_deref())?;
    let mut opts = IndexOptions::new(&args.corpus, &cli.index, config);
    let summary = match index_corpus(&opts, &()) {
        Err(IndexerError::Incompatible { .. }) => {
            eprintln!(
                "hoptac: the index at {} was built by an incompatible version; rebuilding it from {}",
                cli.index.display(),
                args.corpus.display()
            );
            opts.rebuild = true;
            index_corpus(&opts, &())
        }
        Err(IndexerError::Locked(path)) => {
            return Ok(format!(
                "another hoptac process is writing {path}; serving the index as it is"
            ))
        }
        other => other,
    }
    .with_context(|| format!("indexing {}", args.corpus.display()))?;
    for s in &summary.skipped {
        eprintln!("skipped {}: {}", s.path, s.reason);
    }
    Ok(format!(
        "index {}: {} documents (added {}, updated {}, removed {}, unchanged {}, skipped {})",
        cli.index.display(),
        summary.documents,
        summary.added,
        summary.updated,
        summary.removed,
        summary.unchanged,
        summary.skipped.len()
    ))
}

pub fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    let timeout = Duration::from_secs(args.timeout);
    let config = ServerConfig {
        header_timeout: timeout,
        request_timeout: timeout,
        admin_token: args.admin_token.clone().filter(|t| !t.is_empty()),
        ..ServerConfig::default()
    };
    // Refuse an exposed address before spending time on indexing.
    if let Err(e) = hoptac_search::http::check_exposure(&args.addr, config.admin_token.as_deref()) {
        eprintln!("hoptac: error: {e}");
        return Ok(ExitCode::from(2));
    }
    if args.no_index {
        eprintln!("hoptac: serving {} as it is", cli.index.display());
    } else if args.corpus.is_dir() {
        eprintln!("hoptac: {}", update_index(cli, args)?);
    } else if cli.index.join("meta.json").exists() {
        eprintln!(
            "hoptac: no corpus folder at {}; serving {} as it is",
            args.corpus.display(),
            cli.index.display()
        );
    } else {
        anyhow::bail!(
            "no corpus folder at {} and no index at {}: give --corpus DIR",
            args.corpus.display(),
            cli.index.display()
        );
    }
    let engine = Engine::open(&cli.index)?;
    let docs = engine.num_docs();
    let state = AppState::new(engine)?;
    let server = match Server::bind(args.addr, config) {
        Ok(s) => s,
        Err(e @ (StartError::Exposed(_) | StartError::WeakToken)) => {
            eprintln!("hoptac: error: {e}");
            return Ok(ExitCode::from(2));
        }
        Err(e) => return Err(e).with_context(|| format!("listening on {}", args.addr)),
    };
    let addr = server.local_addr()?;
    println!("hoptac: serving {docs} documents at http://{addr}/ (Ctrl-C to stop)");
    use std::io::Write;
    std::io::stdout().flush()?;
    server.run(state)?;
    Ok(ExitCode::SUCCESS)
}
