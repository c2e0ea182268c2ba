//! `hoptac index`: index a corpus folder.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use indicatif::{HumanDuration, ProgressBar, ProgressState, ProgressStyle};

use hoptac_indexer::index_corpus;
use hoptac_indexer::{Config, IndexOptions, Progress};

use crate::{output, Cli};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The corpus folder (read recursively: .txt, .md, .html, .json).
    #[arg(long, default_value = "corpus")]
    pub corpus: PathBuf,
    /// The index-config folder (default: ./index-config if present, else the built-in copy).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Build a fresh index and swap it in, instead of updating incrementally.
    #[arg(long)]
    pub rebuild: bool,
    /// Skip files larger than this many bytes (default: `max_file_bytes` in index-config's
    /// limits.toml, 50 MiB as shipped).
    #[arg(long)]
    pub max_file_bytes: Option<u64>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// Commit after this many changed documents (what an interrupted run keeps).
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub commit_every: u64,
}

/// The configuration to index with: an explicit folder, ./index-config, or the built-in copy.
pub fn load_config(dir: Option<&Path>) -> anyhow::Result<Config> {
    match dir {
        Some(d) => Ok(Config::load(d)?),
        None if Path::new("index-config").is_dir() => Ok(Config::load(Path::new("index-config"))?),
        None => Ok(Config::builtin()),
    }
}

struct Bar(ProgressBar);

impl Progress for Bar {
    fn start(&self, files: u64) {
        self.0.set_length(files);
    }
    fn advance(&self) {
        self.0.inc(1);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

pub fn run(cli: &Cli, args: &Args) -> anyhow::Result<ExitCode> {
    let config = load_config(args.config.as_deref())?;
    let mut opts = IndexOptions::new(&args.corpus, &cli.index, config);
    opts.rebuild = args.rebuild;
    opts.commit_every = args.commit_every as usize;
    if let Some(max) = args.max_file_bytes {
        opts.max_file_bytes = max;
    }
    let bar = if args.json || !std::io::stderr().is_terminal_like() {
        ProgressBar::hidden()
    } else {
        let b = ProgressBar::new(0);
        b.set_style(
            ProgressStyle::with_template(
                "{spinner} indexing {pos}/{len} files [{bar:30}] {rate} {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            // Whole files per second; and no ETA until 5 % is done (the first files include
            // opening the index and warming the caches, so an early estimate is far off).
            .with_key("rate", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0} files/s", s.per_sec());
            })
            .with_key("eta", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                if s.fraction() >= 0.05 {
                    let _ = write!(w, "ETA {}", HumanDuration(s.eta()));
                }
            })
            .progress_chars("=> "),
        );
        b
    };
    let summary = index_corpus(&opts, &Bar(bar))
        .with_context(|| format!("indexing {}", args.corpus.display()))?;
    if args.json {
        output::json(&summary)?;
    } else {
        for s in &summary.skipped {
            eprintln!("skipped {}: {}", printable(&s.path), s.reason);
        }
        for id in &summary.truncated {
            eprintln!(
                "truncated {}: longer than {} tokens; stored whole, searchable by its beginning \
                 (max_tokens_per_field in limits.toml)",
                printable(id),
                opts.config.limits.max_tokens_per_field
            );
        }
        // Say what changed: a rerun over an unchanged corpus indexed nothing.
        let changed = summary.added + summary.updated + summary.removed;
        crate::outln!(
            "{}{} documents in {}: added {}, updated {}, removed {}, unchanged {}, skipped {}",
            if changed == 0 { "up to date, " } else { "" },
            summary.documents,
            cli.index.display(),
            summary.added,
            summary.updated,
            summary.removed,
            summary.unchanged,
            summary.skipped.len(),
        );
    }
    if summary.documents == 0 && !summary.skipped.is_empty() {
        eprintln!("hoptac: error: nothing could be indexed");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// A path as one line: file names may hold newlines or other control characters, which are
/// written as escapes (`a\nb.txt`) so that each skipped file stays on its own line.
fn printable(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

trait TerminalLike {
    fn is_terminal_like(&self) -> bool;
}

impl TerminalLike for std::io::Stderr {
    fn is_terminal_like(&self) -> bool {
        std::io::IsTerminal::is_terminal(self)
    }
}
