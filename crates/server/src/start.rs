//! Start-up: bring the index up to date with the corpus, take its one writer, open the engine,
//! watch the corpus folder and bind the port — what `hoptac serve` does before it answers.
//!
//! Indexing first is what makes `hoptac serve` the one command a new user needs: the incremental
//! indexer only reads what changed, so on an up-to-date index it costs a directory walk and a hash
//! per file. The server keeps the index's one writer for its lifetime, shared by the folder watcher
//! and POST/DELETE (another `hoptac index` on the same index is refused meanwhile). An index written
//! by an incompatible hoptac is rebuilt from the corpus (the corpus is the source of truth) in the
//! background, while searches are answered from the old one if it can still be read; without a
//! corpus folder the existing index is served as is, read-only.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use hoptac_indexer::index_corpus;
use hoptac_indexer::{Config, IndexOptions, IndexerError, LiveIndex, Summary};
use hoptac_search::{Engine, SearchError};

use crate::state::WriterState;
use crate::{check_exposure, watch, AppState, Server, ServerConfig, StartError, Stopped};

/// What `hoptac serve` was asked for.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// Address to listen on.
    pub addr: SocketAddr,
    /// The corpus folder: indexed before serving, watched, and where POSTed documents are saved.
    pub corpus: PathBuf,
    /// The index folder.
    pub index: PathBuf,
    /// The index-config the corpus is indexed with.
    pub config: Config,
    /// Bring the index up to date with the corpus before serving (`false`: serve it as it is).
    pub index_first: bool,
    /// Watch the corpus folder and index what changes in it.
    pub watch: bool,
    /// Limits, deadlines and the admin token.
    pub server: ServerConfig,
}

/// Where start-up tells what it is doing (a line at a time; the CLI prints them on stderr).
pub type Say = Arc<dyn Fn(&str) + Send + Sync>;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address or the token is refused, or the port cannot be bound.
    #[error(transparent)]
    Start(#[from] StartError),
    /// `--no-index` without an index.
    #[error("no index at {0}: run without --no-index")]
    NoIndex(String),
    /// Neither a corpus folder nor an index to serve.
    #[error("no corpus folder at {corpus} and no index at {index}: give --corpus DIR")]
    Nothing {
        /// The corpus folder asked for.
        corpus: String,
        /// The index folder asked for.
        index: String,
    },
    /// Indexing the corpus failed.
    #[error("indexing {corpus}")]
    Indexing {
        /// The corpus folder.
        corpus: String,
        /// What failed.
        #[source]
        source: IndexerError,
    },
    /// Opening the index's writer failed.
    #[error(transparent)]
    Index(#[from] IndexerError),
    /// Opening the index for searching failed.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// The corpus folder cannot be watched.
    #[error("watching {corpus}: {reason}")]
    Watch {
        /// The corpus folder.
        corpus: String,
        /// Why.
        reason: String,
    },
    /// A thread could not be started.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// A server bound to its port, its index open: [`Ready::run`] answers until Ctrl-C.
pub struct Ready {
    server: Server,
    state: AppState,
    watcher: Option<watch::Watcher>,
    documents: u64,
}

impl Ready {
    /// The address bound (the port chosen when 0 was asked for).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.server.local_addr()
    }

    /// Documents in the index served.
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// Serves until a shutdown signal, then stops watching and releases the index's writer (every
    /// write was committed as it was made).
    pub fn run(self) -> std::io::Result<Stopped> {
        let stopped = self.server.run(self.state.clone());
        drop(self.watcher);
        drop(self.state.take_writer(WriterState::ReadOnly));
        stopped
    }
}

/// How the server will hold its index.
enum Hold {
    /// The writer, the index up to date (or as it was, when not indexing first).
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

/// One line on what an indexing pass did (and each file it skipped).
fn summary_line(say: &Say, index: &std::path::Path, summary: &Summary) {
    for s in &summary.skipped {
        say(&format!("skipped {}: {}", s.path, s.reason));
    }
    say(&format!(
        "index {}: {} documents (added {}, updated {}, removed {}, unchanged {}, skipped {})",
        index.display(),
        summary.documents,
        summary.added,
        summary.updated,
        summary.removed,
        summary.unchanged,
        summary.skipped.len()
    ));
}

/// Takes the index's writer and brings the index up to date with the corpus.
fn take_index(o: &ServeOptions, say: &Say) -> Result<Hold, ServeError> {
    let opts = IndexOptions::new(&o.corpus, &o.index, o.config.clone());
    let indexing = |source| ServeError::Indexing {
        corpus: o.corpus.display().to_string(),
        source,
    };
    if !o.index_first && !o.index.join("meta.json").exists() {
        return Err(ServeError::NoIndex(o.index.display().to_string()));
    }
    let first = if o.index_first {
        opts.clone()
    } else {
        serving(&opts)
    };
    match LiveIndex::open(&first) {
        Ok(mut live) => {
            if o.index_first {
                let summary = live.sync(&()).map_err(indexing)?;
                summary_line(say, &o.index, &summary);
                // The catch-up pass may have indexed the whole corpus: it ends as a batch run
                // does (its small segments merged); from here on the writer takes one document
                // at a time.
                live.finish().map_err(indexing)?;
                live = LiveIndex::open(&serving(&opts))?;
            } else {
                say(&format!("serving {} as it is", o.index.display()));
            }
            Ok(Hold::Writer(Box::new(live)))
        }
        Err(IndexerError::Incompatible { .. }) => {
            if Engine::open_stale(&o.index).is_ok() {
                say(&format!(
                    "the index at {} was built by an incompatible version; rebuilding it from {} in the background (searches answer from the old index meanwhile)",
                    o.index.display(),
                    o.corpus.display()
                ));
                return Ok(Hold::Rebuild(Box::new(opts)));
            }
            say(&format!(
                "the index at {} was built by an incompatible version; rebuilding it from {}",
                o.index.display(),
                o.corpus.display()
            ));
            let mut rebuild = opts.clone();
            rebuild.rebuild = true;
            let summary = index_corpus(&rebuild, &()).map_err(indexing)?;
            summary_line(say, &o.index, &summary);
            Ok(Hold::Writer(Box::new(LiveIndex::open(&serving(&opts))?)))
        }
        Err(IndexerError::Locked(path)) => {
            say(&format!(
                "another hoptac process is writing {path}; serving the index as it is, read-only"
            ));
            Ok(Hold::ReadOnly)
        }
        Err(e) => Err(indexing(e)),
    }
}

/// Rebuilds an incompatible index beside the one being served, then swaps both the engine and the
/// writer over to it.
fn rebuild_in_background(state: AppState, opts: IndexOptions, say: Say) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("hoptac-rebuild".into())
        .spawn(move || {
            let mut rebuild = opts.clone();
            rebuild.rebuild = true;
            // One indexing thread: searches keep the other cores meanwhile.
            rebuild.writer_threads = 1;
            let result = index_corpus(&rebuild, &())
                .and_then(|summary| {
                    let mut live = LiveIndex::open(&serving(&opts))?;
                    // Catch up with what changed in the corpus during the rebuild.
                    live.sync(&())?;
                    Ok((summary, live))
                })
                .map_err(ServeError::from)
                .and_then(|(summary, live)| Ok((summary, live, Engine::open(&opts.index)?)));
            match result {
                Ok((summary, live, engine)) => {
                    state.swap_engine(engine);
                    state.set_writer(live);
                    say(&format!(
                        "rebuilt: {} documents (skipped {})",
                        summary.documents,
                        summary.skipped.len()
                    ));
                }
                Err(e) => {
                    state.take_writer(WriterState::ReadOnly);
                    say(&format!("error: rebuilding {}: {e}", opts.index.display()));
                }
            }
        })
        .map(|_| ())
}

/// Prepares a server: refuses an exposed address before spending time on indexing, brings the
/// index up to date (or starts rebuilding it), opens the engine, starts watching the corpus and
/// binds the address.
pub fn start(o: ServeOptions, say: Say) -> Result<Ready, ServeError> {
    check_exposure(&o.addr, o.server.admin_token.as_deref())?;
    let hold = if o.corpus.is_dir() {
        take_index(&o, &say)?
    } else if o.index.join("meta.json").exists() {
        say(&format!(
            "no corpus folder at {}; serving {} as it is, read-only",
            o.corpus.display(),
            o.index.display()
        ));
        Hold::ReadOnly
    } else {
        return Err(ServeError::Nothing {
            corpus: o.corpus.display().to_string(),
            index: o.index.display().to_string(),
        });
    };
    let engine = match &hold {
        Hold::Rebuild(_) => Engine::open_stale(&o.index)?,
        _ => Engine::open(&o.index)?,
    };
    let documents = engine.num_docs();
    let state = AppState::new(engine)?;
    match hold {
        Hold::Writer(live) => state.set_writer(*live),
        Hold::ReadOnly => {}
        Hold::Rebuild(opts) => {
            state.take_writer(WriterState::Rebuilding);
            rebuild_in_background(state.clone(), *opts, say.clone())?;
        }
    }
    // Kept until the server stops: dropping it stops watching.
    let watcher = if o.watch && o.corpus.is_dir() {
        let w = watch::watch(state.clone(), &o.corpus).map_err(|reason| ServeError::Watch {
            corpus: o.corpus.display().to_string(),
            reason,
        })?;
        say(&format!("watching {} for changes", o.corpus.display()));
        Some(w)
    } else {
        None
    };
    let server = Server::bind(o.addr, o.server)?;
    Ok(Ready {
        server,
        state,
        watcher,
        documents,
    })
}
