//! `hoptac serve`: bring the index up to date with the corpus, then serve the search page and the
//! JSON API, and keep the index up to date (the corpus folder watched, documents posted and
//! deleted). The start-up itself is the server crate's ([`hoptac_server::start`]); this command
//! maps its options and its outcome to the command line.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;

use hoptac_server::{ServeError, ServeOptions, ServerConfig, StartError};

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

pub fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    let timeout = Duration::from_secs(args.timeout);
    let options = ServeOptions {
        addr: args.addr,
        corpus: args.corpus.clone(),
        index: cli.index.clone(),
        config: load_config(args.config.as_deref())?,
        index_first: !args.no_index,
        watch: !args.no_watch,
        server: ServerConfig {
            header_timeout: timeout,
            request_timeout: timeout,
            admin_token: args.admin_token.clone().filter(|t| !t.is_empty()),
            cache_entries: args.cache_entries,
            ..ServerConfig::default()
        },
    };
    let ready = match hoptac_server::start(options, Arc::new(|line| eprintln!("hoptac: {line}"))) {
        Ok(ready) => ready,
        Err(ServeError::Start(e @ (StartError::Exposed(_) | StartError::WeakToken))) => {
            eprintln!("hoptac: error: {e}");
            return Ok(ExitCode::from(2));
        }
        Err(ServeError::Start(e)) => {
            return Err(e).with_context(|| format!("listening on {}", args.addr))
        }
        Err(e) => return Err(e.into()),
    };
    let addr = ready.local_addr()?;
    println!(
        "hoptac: serving {} documents at http://{addr}/ (Ctrl-C to stop)",
        ready.documents()
    );
    use std::io::Write;
    std::io::stdout().flush()?;
    crate::allocator::return_freed_memory_sooner();
    let stopped = ready.run()?;
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
