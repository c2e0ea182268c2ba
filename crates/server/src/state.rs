//! What every handler shares: the engine, the suggestion vocabulary, the index writer.
//!
//! The engine and the suggestions sit behind swappable pointers: a commit reloads the engine's
//! reader (searches see it at once) and has the suggestions rebuilt in the background; a background
//! rebuild swaps in a whole new engine while searches keep answering from the old one. The writer
//! is the server's one tantivy `IndexWriter` ([`LiveIndex`]), behind a mutex shared by the folder
//! watcher and the POST/DELETE handlers; it is absent while the index is being rebuilt, or when
//! another process holds the index's writer lock (the server is then read-only).

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use hoptac_indexer::{IndexerError, LiveIndex};

use super::cache::ResponseCache;
use super::error::AppError;
use hoptac_search::suggest::Suggester;
use hoptac_search::{Deadline, Engine, SearchError, SearchRequest, SearchResponse};

/// Values per facet dimension used to weigh suggestions (all of them, in practice).
const SUGGEST_FACET_LIMIT: usize = 100_000;

/// Why the server cannot write just now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriterState {
    /// Writes go through the writer.
    Ready,
    /// A rebuild is running; writes are refused until it is swapped in.
    Rebuilding,
    /// No writer: another process holds the index, or the server has no corpus folder.
    ReadOnly,
}

/// The server's writer.
pub struct Writer {
    live: Mutex<Option<LiveIndex>>,
    state: RwLock<WriterState>,
}

/// What became of a write.
enum Written<T> {
    /// It ran, with this result.
    Done(Result<T, IndexerError>),
    /// There is no writer (rebuilding, read-only).
    NoWriter,
    /// Its request timed out while it waited for the writer; nothing was written.
    Abandoned,
}

tokio::task_local! {
    /// The ticket of the request being served (set by the deadline middleware).
    static REQUEST_TICKET: WriteTicket;
}

/// A request's write against the request's deadline. The two race for one atomic, so either the
/// request times out before its write starts — and nothing is written — or its write has started
/// and the request is answered with its result, however long it takes. Without it, a write still
/// waiting for the writer when the deadline passed would run anyway, after its client had been
/// told 503: the load test saw DELETEs answered `timeout` whose documents were gone.
#[derive(Clone, Debug, Default)]
pub struct WriteTicket(Arc<AtomicU8>);

impl WriteTicket {
    const WAITING: u8 = 0;
    const STARTED: u8 = 1;
    const ABANDONED: u8 = 2;

    /// Claims the right to write; false when the request has already timed out.
    fn start(&self) -> bool {
        self.0
            .compare_exchange(
                Self::WAITING,
                Self::STARTED,
                Ordering::AcqRel,
                Ordering::Acquire,
            )
            .is_ok()
    }

    /// Gives the request up at its deadline; false when its write has started (its answer must
    /// then be awaited).
    pub fn abandon(&self) -> bool {
        self.0
            .compare_exchange(
                Self::WAITING,
                Self::ABANDONED,
                Ordering::AcqRel,
                Ordering::Acquire,
            )
            .is_ok()
    }

    /// Serves `request` with this ticket for the writes it makes.
    pub async fn scope<F: Future>(self, request: F) -> F::Output {
        REQUEST_TICKET.scope(self, request).await
    }
}

/// The state of the server, cheap to clone (handlers get a copy each).
#[derive(Clone)]
pub struct AppState {
    engine: Arc<RwLock<Arc<Engine>>>,
    suggester: Arc<RwLock<Arc<Suggester>>>,
    writer: Arc<Writer>,
    refresh: mpsc::Sender<()>,
    admin_token: Option<Arc<str>>,
    max_body_bytes: usize,
    /// One slot per core for engine work. A search is pure CPU: running fifty at once on two cores
    /// makes each fifty times slower and starves the index writer, while queueing them keeps the
    /// same throughput and lets a write through in its turn.
    engine_slots: Arc<tokio::sync::Semaphore>,
    /// Answers of repeated searches, until the index changes.
    cache: Arc<ResponseCache>,
    /// How long engine work may take (the request deadline); `None` outside a router.
    request_timeout: Option<Duration>,
}

/// Raises its flag when dropped. A request future holding it is dropped when the deadline
/// middleware answers `timeout`, when its client goes away and when the server stops: the engine
/// work it started sees the flag and stops (see [`crate::deadline`]).
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

fn build_suggester(engine: &Engine) -> Result<Suggester, SearchError> {
    let config = engine.config();
    let facets = engine.facets(SUGGEST_FACET_LIMIT)?;
    let titles = engine.titles()?;
    Ok(Suggester::build(config, &facets, &titles))
}

impl AppState {
    /// Wraps an open engine and builds the suggestion vocabulary from its titles and facets (a read
    /// of every stored title: done once, before the server accepts connections; after commits it
    /// is rebuilt in the background). The server is read-only until [`AppState::set_writer`].
    pub fn new(engine: Engine) -> Result<AppState, SearchError> {
        let suggester = build_suggester(&engine)?;
        tracing::info!(entries = suggester.len(), "suggestion vocabulary built");
        let (refresh, requests) = mpsc::channel::<()>();
        let state = AppState {
            engine: Arc::new(RwLock::new(Arc::new(engine))),
            suggester: Arc::new(RwLock::new(Arc::new(suggester))),
            writer: Arc::new(Writer {
                live: Mutex::new(None),
                state: RwLock::new(WriterState::ReadOnly),
            }),
            refresh,
            admin_token: None,
            max_body_bytes: 0,
            engine_slots: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            )),
            cache: Arc::new(ResponseCache::new(0)),
            request_timeout: None,
        };
        // Rebuilds the suggestions after commits; requests that pile up during a rebuild are
        // served by one more rebuild.
        let weak_engine = Arc::downgrade(&state.engine);
        let weak_suggester = Arc::downgrade(&state.suggester);
        std::thread::Builder::new()
            .name("hoptac-suggest".into())
            .spawn(move || {
                while requests.recv().is_ok() {
                    while requests.try_recv().is_ok() {}
                    let (Some(engine), Some(slot)) =
                        (weak_engine.upgrade(), weak_suggester.upgrade())
                    else {
                        break;
                    };
                    let engine = Arc::clone(&engine.read().unwrap_or_else(|e| e.into_inner()));
                    match build_suggester(&engine) {
                        Ok(s) => *slot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(s),
                        Err(e) => tracing::warn!("suggestions not rebuilt: {e}"),
                    }
                }
            })
            .map_err(|e| SearchError::Unavailable(format!("cannot start a thread: {e}")))?;
        Ok(state)
    }

    /// Sets the limits the handlers check themselves (the router does this).
    pub(crate) fn configure(
        &mut self,
        admin_token: Option<&str>,
        max_body_bytes: usize,
        cache_entries: usize,
        request_timeout: Duration,
    ) {
        self.request_timeout = Some(request_timeout);
        self.admin_token = admin_token.map(Arc::from);
        self.max_body_bytes = max_body_bytes;
        self.cache = Arc::new(ResponseCache::new(cache_entries));
    }

    /// The token that guards the write endpoints, if any.
    pub fn admin_token(&self) -> Option<&str> {
        self.admin_token.as_deref()
    }

    /// Largest request body accepted.
    pub fn max_body_bytes(&self) -> usize {
        self.max_body_bytes
    }

    /// The engine answering searches now.
    pub fn engine(&self) -> Arc<Engine> {
        Arc::clone(&self.engine.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// The suggestion vocabulary now.
    pub fn suggester(&self) -> Arc<Suggester> {
        Arc::clone(&self.suggester.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Swaps in another engine (a rebuilt index); searches under way finish on the old one.
    pub fn swap_engine(&self, engine: Engine) {
        *self.engine.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(engine);
        self.cache.clear();
        let _ = self.refresh.send(());
    }

    /// Hands the server its writer (writes are accepted from now on).
    pub fn set_writer(&self, live: LiveIndex) {
        *self.writer.live.lock().unwrap_or_else(|e| e.into_inner()) = Some(live);
        self.set_writer_state(WriterState::Ready);
    }

    /// Takes the writer away (before a rebuild), releasing the index's writer lock.
    pub fn take_writer(&self, state: WriterState) -> Option<LiveIndex> {
        self.set_writer_state(state);
        self.writer
            .live
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }

    fn set_writer_state(&self, s: WriterState) {
        *self.writer.state.write().unwrap_or_else(|e| e.into_inner()) = s;
    }

    /// Whether writes are accepted now.
    pub fn writer_state(&self) -> WriterState {
        *self.writer.state.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs a write with the server's writer, on the calling thread, then makes it visible: the
    /// engine's reader is reloaded (searches see the commit at once) and the suggestions are
    /// rebuilt in the background. `None` when there is no writer (rebuilding, read-only).
    pub fn write_now<T>(
        &self,
        f: impl FnOnce(&mut LiveIndex) -> Result<T, IndexerError>,
    ) -> Option<Result<T, IndexerError>> {
        match self.run_write(None, f) {
            Written::Done(out) => Some(out),
            Written::NoWriter | Written::Abandoned => None,
        }
    }

    /// [`AppState::write_now`], unless the request behind `ticket` timed out while this write
    /// waited for the writer.
    fn run_write<T>(
        &self,
        ticket: Option<&WriteTicket>,
        f: impl FnOnce(&mut LiveIndex) -> Result<T, IndexerError>,
    ) -> Written<T> {
        let mut guard = self.writer.live.lock().unwrap_or_else(|e| e.into_inner());
        let Some(live) = guard.as_mut() else {
            return Written::NoWriter;
        };
        if ticket.is_some_and(|t| !t.start()) {
            return Written::Abandoned;
        }
        let out = f(live);
        drop(guard);
        if let Err(e) = self.engine().reload() {
            tracing::warn!("reader not reloaded: {e}");
        }
        let _ = self.refresh.send(());
        Written::Done(out)
    }

    /// [`AppState::write_now`] on the blocking pool, with the refusals as HTTP errors: 503 while
    /// rebuilding or read-only.
    pub async fn write<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut LiveIndex) -> Result<T, IndexerError> + Send + 'static,
    {
        let state = self.clone();
        let ticket = REQUEST_TICKET.try_with(WriteTicket::clone).ok();
        let out = tokio::task::spawn_blocking(move || state.run_write(ticket.as_ref(), f))
            .await
            .map_err(AppError::internal)?;
        match out {
            Written::Done(r) => r.map_err(AppError::from),
            // The deadline has answered already; this reaches no one.
            Written::Abandoned => Err(AppError::timeout()),
            Written::NoWriter => Err(match self.writer_state() {
                WriterState::Rebuilding => AppError::unavailable(
                    "rebuilding",
                    "the index is being rebuilt; writes are accepted again when it is done",
                ),
                _ => AppError::unavailable(
                    "read_only",
                    "this server cannot write its index (another hoptac process holds it, or it \
                     has no corpus folder)",
                ),
            }),
        }
    }

    /// Answers a search, from the cache when the same request was answered by the searcher the
    /// engine answers from now (`true` then); otherwise in its turn on a core, keeping the answer.
    pub async fn search(
        &self,
        request: SearchRequest,
    ) -> Result<(Arc<SearchResponse>, bool), AppError> {
        let stamp = self.engine().stamp();
        if let Some(answer) = self.cache.get(stamp, &request) {
            return Ok((answer, true));
        }
        let cache = Arc::clone(&self.cache);
        self.blocking(move |e, deadline| {
            let answer = Arc::new(e.search_within(&request, deadline)?);
            cache.put(stamp, &request, Arc::clone(&answer));
            Ok((answer, false))
        })
        .await
    }

    /// Runs engine work on the blocking pool: a search is CPU and mmap I/O, and must not stall the
    /// async workers that read and write every other connection. The work gets the request's
    /// [`Deadline`]: it passes when the request's time is up or when the request is given up, and
    /// work that honours it stops then and frees its slot. Work whose deadline passed while it
    /// waited for a slot is not started.
    pub async fn blocking<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&Engine, &Deadline) -> Result<T, SearchError> + Send + 'static,
    {
        let given_up = Arc::new(AtomicBool::new(false));
        let _cancel = CancelOnDrop(Arc::clone(&given_up));
        let deadline = match self.request_timeout {
            Some(t) => Deadline::at(Instant::now() + t),
            None => Deadline::none(),
        }
        .or_when(given_up);
        let slot = Arc::clone(&self.engine_slots)
            .acquire_owned()
            .await
            .map_err(AppError::internal)?;
        let engine = self.engine();
        tokio::task::spawn_blocking(move || {
            let _slot = slot;
            deadline.check()?;
            f(&engine, &deadline)
        })
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::from)
    }
}
