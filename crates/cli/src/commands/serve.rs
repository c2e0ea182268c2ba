//! `hoptac serve`: bring the index up to date with the corpus, then serve the search page and the
//! JSON API, and keep the index up to date: the corpus folder is watched, and documents can be
//! posted and deleted.
//!
//! Indexing first is what makes `cargo run --release -- serve` the one command a new user needs:
//! the incremental indexer only reads what changed, so on an up-to-date index it costs a directory
//! walk and a hash per file. The server keeps the index's one writer for its lifetime, shared by the
//! folder watcher and POST/DELETE (another `hoptac index` on the same index is refused meanwhile).
//! An index written by an incompatible hoptac is rebuilt from the corpus (the corpus is the source
//! of truth) in the background, while searches are answered from the old one if it can still be
//! read; without a corpus folder the existing index is served as is, read-only.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;

use hoptac_indexer::write::index_corpus;
use hoptac_indexer::{IndexOptions, IndexerError, LiveIndex};
use hoptac_search::http::state::WriterState;
use hoptac_search::http::{watch, AppState, Server, ServerConfig, StartError};
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
    /// Watch the corpus folder and index what changes in it (the default).
    #[arg(long, overrides_with = "no_watch")]
    pub watch: bool,
    /// Do not watch the corpus folder (POST and DELETE still work).
    #[arg(long)]
    pub no_watch: bool,
    /// Token that guards the write endpoints; required to listen beyond loopback (at least 16
    /// characters).
    #[arg(long, env = "HOPTAC_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Seconds a client has to send a request's headers, and the server to answer it.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
    /// Search answers kept for repeated searches until the index changes (least recently used out
    /// first; about 10 KB each); 0 turns the cache off.
    #[arg(long, default_value_t = 1024)]
    pub cache_entries: usize,
}

fn summary_line(cli: &Cli, summary: &hoptac_indexer::Summary) -> String {
    for s in &summary.skipped {
        eprintln!("skipped {}: {}", s.path, s.reason);
    }
    format!(
        "index {}: {} documents (added {}, updated {}, removed {}, unchanged {}, skipped {})",
        cli.index.display(),
        summary.documents,
        summary.added,
        summary.updated,
        summary.removed,
        summary.unchanged,
        summary.skipped.len()
    )
}

/// How the server will hold its index.
enum Start {
    /// The writer, the index up to date (or as it was, with `--no-index`).
    Writer(Box<LiveIndex>),
    /// No writer (another process holds it, or there is no corpus folder).
    ReadOnly,
    /// An incompatible index, served while its replacement is built.
    Rebuild(Box<IndexOptions>),
}

/// The writer settings of a serving process: documents arrive one at a time (a POST, a file
/// dropped in the corpus), so one indexing thread and a small buffer do; the 200 MB and a thread
/// per core that suit a whole-corpus pass would sit in the server's memory for nothing (tantivy
/// sizes its term table from the budget up front).
fn serving(opts: &IndexOptions) -> IndexOptions {
    IndexOptions {
        writer_memory: 32 * 1024 * 1024,
        writer_threads: 1,
        ..opts.clone()
    }
}

/// Takes the index's writer and brings the index up to date with the corpus.
fn take_index(cli: &Cli, args: &Args) -> anyhow::Result<Start> {
    let config = load_config(args.config.as_deref())?;
    let opts = IndexOptions::new(&args.corpus, &cli.index, config);
    if args.no_index && !cli.index.join("meta.json").exists() {
        anyhow::bail!(
            "no index at {}: run without --no-index",
            cli.index.display()
        );
    }
    let first = if args.no_index {
        serving(&opts)
    } else {
        opts.clone()
    };
    match LiveIndex::open(&first) {
        Ok(mut live) => {
            if args.no_index {
                eprintln!("hoptac: serving {} as it is", cli.index.display());
            } else {
                let summary = live
                    .sync(&())
                    .with_context(|| format!("indexing {}", args.corpus.display()))?;
                eprintln!("hoptac: {}", summary_line(cli, &summary));
                // The catch-up pass may have indexed the whole corpus; from here on the writer
                // takes one document at a time.
                drop(live);
                live = LiveIndex::open(&serving(&opts))?;
            }
            Ok(Start::Writer(Box::new(live)))
        }
        Err(IndexerError::Incompatible { .. }) => {
            if hoptac_search::Engine::open_stale(&cli.index).is_ok() {
                eprintln!(
                    "hoptac: the index at {} was built by an incompatible version; rebuilding it from {} in the background (searches answer from the old index meanwhile)",
                    cli.index.display(),
                    args.corpus.display()
                );
                return Ok(Start::Rebuild(Box::new(opts)));
            }
            eprintln!(
                "hoptac: the index at {} was built by an incompatible version; rebuilding it from {}",
                cli.index.display(),
                args.corpus.display()
            );
            let mut rebuild = opts.clone();
            rebuild.rebuild = true;
            let summary = index_corpus(&rebuild, &())
                .with_context(|| format!("indexing {}", args.corpus.display()))?;
            eprintln!("hoptac: {}", summary_line(cli, &summary));
            Ok(Start::Writer(Box::new(LiveIndex::open(&serving(&opts))?)))
        }
        Err(IndexerError::Locked(path)) => {
            eprintln!(
                "hoptac: another hoptac process is writing {path}; serving the index as it is, read-only"
            );
            Ok(Start::ReadOnly)
        }
        Err(e) => Err(e).with_context(|| format!("indexing {}", args.corpus.display())),
    }
}

/// Rebuilds an incompatible index beside the one being served, then swaps both the engine and the
/// writer over to it.
fn rebuild_in_background(state: AppState, opts: IndexOptions) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("hoptac-rebuild".into())
        .spawn(move || {
            let mut rebuild = opts.clone();
            rebuild.rebuild = true;
            // One indexing thread: searches keep the other cores meanwhile.
            rebuild.writer_threads = 1;
            let result = index_corpus(&rebuild, &()).and_then(|summary| {
                let mut live = LiveIndex::open(&serving(&opts))?;
                // Catch up with what changed in the corpus during the rebuild.
                live.sync(&())?;
                Ok((summary, live))
            });
            match result
                .map_err(anyhow::Error::from)
                .and_then(|(summary, live)| {
                    let engine = hoptac_search::Engine::open(&opts.index)?;
                    Ok((summary, live, engine))
                }) {
                Ok((summary, live, engine)) => {
                    state.swap_engine(engine);
                    state.set_writer(live);
                    eprintln!(
                        "hoptac: rebuilt: {} documents (skipped {})",
                        summary.documents,
                        summary.skipped.len()
                    );
                }
                Err(e) => {
                    state.take_writer(WriterState::ReadOnly);
                    eprintln!("hoptac: error: rebuilding {}: {e:#}", opts.index.display());
                }
            }
        })
        .map(|_| ())
}

pub fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    let timeout = Duration::from_secs(args.timeout);
    let config = ServerConfig {
        header_timeout: timeout,
        request_timeout: timeout,
        admin_token: args.admin_token.clone().filter(|t| !t.is_empty()),
        cache_entries: args.cache_entries,
        ..ServerConfig::default()
    };
    // Refuse an exposed address before spending time on indexing.
    if let Err(e) = hoptac_search::http::check_exposure(&args.addr, config.admin_token.as_deref()) {
        eprintln!("hoptac: error: {e}");
        return Ok(ExitCode::from(2));
    }
    let start = if args.corpus.is_dir() {
        take_index(cli, args)?
    } else if cli.index.join("meta.json").exists() {
        eprintln!(
            "hoptac: no corpus folder at {}; serving {} as it is, read-only",
            args.corpus.display(),
            cli.index.display()
        );
        Start::ReadOnly
    } else {
        anyhow::bail!(
            "no corpus folder at {} and no index at {}: give --corpus DIR",
            args.corpus.display(),
            cli.index.display()
        );
    };
    let engine = match &start {
        Start::Rebuild(_) => Engine::open_stale(&cli.index)?,
        _ => Engine::open(&cli.index)?,
    };
    let docs = engine.num_docs();
    let state = AppState::new(engine)?;
    let watching = !args.no_watch && args.corpus.is_dir();
    match start {
        Start::Writer(live) => state.set_writer(*live),
        Start::ReadOnly => {}
        Start::Rebuild(opts) => {
            state.take_writer(WriterState::Rebuilding);
            rebuild_in_background(state.clone(), *opts)?;
        }
    }
    // Kept until the server stops: dropping it stops watching.
    let watcher = if watching {
        let w = watch::watch(state.clone(), &args.corpus)
            .map_err(|e| anyhow::anyhow!("watching {}: {e}", args.corpus.display()))?;
        eprintln!("hoptac: watching {} for changes", args.corpus.display());
        Some(w)
    } else {
        None
    };
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
    let stopped = server.run(state.clone())?;
    // Every write committed as it was made; closing the writer releases the index's lock.
    drop(watcher);
    drop(state.take_writer(WriterState::ReadOnly));
    if stopped.cut_off > 0 {
        eprintln!(
            "hoptac: stopped; {} of {} requests under way did not finish in time and were cancelled",
            stopped.cut_off, stopped.in_flight
        );
        return Ok(ExitCode::from(STOPPED_CUTTING_OFF));
    }
    eprintln!(
        "hoptac: stopped; {} connections were open and closed cleanly",
        stopped.in_flight
    );
    Ok(ExitCode::SUCCESS)
}

/// Exit code of a server that stopped on request but had to cancel requests still under way
/// after the grace period (0 when everything under way finished).
const STOPPED_CUTTING_OFF: u8 = 3;
