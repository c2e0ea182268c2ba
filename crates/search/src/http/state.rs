//! What every handler shares: the engine, the suggestion vocabulary, the limits.

use std::sync::Arc;

use hoptac_indexer::write::saved_config;
use hoptac_indexer::Config;

use super::error::AppError;
use crate::suggest::Suggester;
use crate::{Engine, SearchError};

/// Values per facet dimension used to weigh suggestions (all of them, in practice).
const SUGGEST_FACET_LIMIT: usize = 100_000;

/// The state of the server, cheap to clone (handlers get a copy each).
#[derive(Clone)]
pub struct AppState {
    /// The index.
    pub engine: Arc<Engine>,
    /// Completions for the search box.
    pub suggester: Arc<Suggester>,
}

impl AppState {
    /// Wraps an open engine and builds the suggestion vocabulary from its titles and facets (a read
    /// of every stored title: done once, before the server accepts connections).
    pub fn new(engine: Engine) -> Result<AppState, SearchError> {
        let config = saved_config(engine.path()).unwrap_or_else(Config::builtin);
        let facets = engine.facets(SUGGEST_FACET_LIMIT)?;
        let titles = engine.titles()?;
        let suggester = Suggester::build(&config, &facets, &titles);
        tracing::info!(entries = suggester.len(), "suggestion vocabulary built");
        Ok(AppState {
            engine: Arc::new(engine),
            suggester: Arc::new(suggester),
        })
    }

    /// Runs engine work on the blocking pool: a search is CPU and mmap I/O, and must not stall the
    /// async workers that read and write every other connection.
    pub async fn blocking<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&Engine) -> Result<T, SearchError> + Send + 'static,
    {
        let engine = Arc::clone(&self.engine);
        tokio::task::spawn_blocking(move || f(&engine))
            .await
            .map_err(AppError::internal)?
            .map_err(AppError::from)
    }
}
