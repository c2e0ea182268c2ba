//! Index in, answers out: query understanding, ranking, facet counts, snippets and documents over a
//! hoptac index. The CLI and the HTTP server both call [`Engine`]; neither builds queries itself.

// The engine's stages, private to it: what callers need of them is re-exported below.
mod coverage;
mod deadline;
mod dense;
mod first_phase;
mod phrase;
mod pipeline;
mod probe;
mod query;
mod rank;
mod reading;
mod reprints;
mod set;
mod snippet;
mod union;
mod unscored;
mod whole;

// Public: relevance evaluation (`hoptac eval`), facet values, related documents, suggestions.
pub mod eval;
pub mod facets;
pub mod related;
pub mod suggest;

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, TantivyDocument, Term};

use hoptac_indexer::open::saved_config;
use hoptac_indexer::schema::from_stored;
use hoptac_indexer::schema::Fields;
use hoptac_indexer::{open_index, Config, Document, IndexVersion, IndexerError};

pub use deadline::Deadline;
pub use facets::{FacetCountsByDim, FacetValue};
pub use query::{Plan, QueryContext};
pub use rank::{Dim, Filters, FirstPhase, Ranker, Weights};
pub use reprints::Reprint;
pub use set::{Relaxation, ResultSet, Selection};
pub use snippet::{Highlighter, Snippet};

/// What can go wrong answering a request.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// Opening or reading the index failed.
    #[error(transparent)]
    Index(#[from] IndexerError),
    /// The engine failed.
    #[error("search failed: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// A request parameter is out of range or unknown.
    #[error("{0}")]
    BadRequest(String),
    /// No document with this id.
    #[error("no document with id {0:?}")]
    NotFound(String),
    /// The machine cannot do the work now (a thread could not be started): try again later.
    #[error("{0}")]
    Unavailable(String),
    /// The search passed its deadline (or its requester gave it up) and was stopped.
    #[error("the search was stopped at its deadline")]
    Cancelled,
}

/// A search: free text and/or filters, and the page wanted (equal requests get equal answers from
/// one searcher: the server's cache is keyed by it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct SearchRequest {
    /// What the user typed (may be empty: filters only).
    pub query: String,
    /// Filters as typed (resolved to canonical values by the engine).
    pub filters: Filters,
    /// Results to skip.
    pub offset: usize,
    /// Results to return.
    pub limit: usize,
    /// Characters per snippet; 0 for none (an export of thousands of rows needs no passages).
    pub snippet_chars: usize,
    /// Values per facet dimension.
    pub facet_limit: usize,
    /// The order of the results.
    pub sort: Sort,
    /// List every reprint of a release (by default a reprint group shows once, at its best-ranked
    /// member, the others in its `duplicates`).
    pub keep_reprints: bool,
}

/// The order of a result set.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best first (newest first for a search by filters alone).
    #[default]
    Relevance,
    /// Newest first (undated documents last): the same set, as a feed reads it.
    Newest,
}

impl SearchRequest {
    /// A text query, first page of 10.
    pub fn text(query: &str) -> Self {
        SearchRequest {
            query: query.to_string(),
            limit: 10,
            snippet_chars: 240,
            facet_limit: 20,
            ..Default::default()
        }
    }
}

/// One result.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hit {
    /// Document id.
    pub id: String,
    /// Title as written.
    pub title: String,
    /// ISO date, when known.
    pub date: Option<String>,
    /// Year, when known.
    pub year: Option<u64>,
    /// Source URL.
    pub url: Option<String>,
    /// Relevance score.
    pub score: f32,
    /// Best passage, HTML-escaped, matched words in `<mark>` (as written, diacritics and all).
    pub snippet: String,
    /// The same passage as plain text with highlight ranges (for terminals).
    #[serde(skip)]
    pub passage: Snippet,
    /// Countries.
    pub country: Vec<String>,
    /// Ministries.
    pub ministry: Vec<String>,
    /// Topics.
    pub topic: Vec<String>,
    /// The other publications of the same release (reprints by other outlets), newest first.
    pub duplicates: Vec<Reprint>,
}

/// The answer to a search.
#[derive(Clone, Debug, Serialize)]
pub struct SearchResponse {
    /// Matching documents in all.
    pub total: usize,
    /// Time taken, milliseconds.
    pub took_ms: f64,
    /// The page.
    pub hits: Vec<Hit>,
    /// Facet counts over the result set.
    pub facets: FacetCountsByDim,
    /// True when no (or too few) documents match every word of the query, so the set demands
    /// fewer of them (see [`set`]).
    pub relaxed: bool,
    /// What relaxing gave up, when `relaxed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relaxation: Option<Relaxation>,
    /// The query as it was searched, when it was read differently from how it was typed
    /// (keystrokes decoded, a typo corrected: see [`reading`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corrected: Option<String>,
}

/// What evaluation measures of one query ([`Engine::assess`]).
#[derive(Clone, Debug, Default)]
pub struct Assessment {
    /// The top documents' ids, best first.
    pub ranking: Vec<String>,
    /// Documents in the result set.
    pub total: usize,
    /// Whether the set was relaxed.
    pub relaxed: bool,
    /// Those of the ids asked about that the result set holds.
    pub in_set: Vec<String>,
    /// The set's country facet, largest first.
    pub countries: Vec<FacetValue>,
    /// The foreign countries the query names (canonical).
    pub named_countries: Vec<String>,
}

/// A searchable index.
pub struct Engine {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    context: QueryContext,
    ranker: Ranker,
    path: PathBuf,
    version: Option<IndexVersion>,
    facet_cache: facets::SegmentFacetsCache,
    /// Every document newest first, with the facets of all: a search of no words and no filters.
    whole: whole::WholeIndexCache,
    /// Serialises the reloads of `reader`.
    reloads: Reloads,
    /// Reloads `reader` after every commit, while the engine lives.
    _on_commit: tantivy::directory::WatchHandle,
    /// The index-config the index was built with (or the built-in one).
    config: Config,
    /// Why the saved index-config could not be used, if it could not.
    config_problem: Option<String>,
    /// Tells this engine from another opened on the same folder (a rebuilt index).
    instance: u64,
}

/// Reloads of one reader, one at a time. tantivy's reload reads the latest commit and then
/// publishes the searcher it built; two at once — the one after a commit's own write and the one
/// its folder watch triggers for the commit before — can publish in the wrong order and leave the
/// reader on the older commit until the next reload: a document posted and acknowledged was then
/// not found by the GET that followed (1 in 2,880 in a load run). In turn, each reload reads a
/// commit at least as new as the one before it.
///
/// A reload of the commit the reader already has is skipped: every reload starts a new searcher
/// generation, which the answers kept per generation (the whole index, the server's cache) are
/// made again for. The folder watch calls once as it starts, with nothing changed.
#[derive(Clone, Default)]
struct Reloads(std::sync::Arc<std::sync::Mutex<Option<Commit>>>);

/// What a commit holds, as `meta.json` says: its opstamp, and each segment with its deletes (a
/// merge changes the segments and keeps the opstamp).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Commit {
    opstamp: u64,
    segments: Vec<(tantivy::index::SegmentId, u32)>,
}

impl Commit {
    fn latest(index: &Index) -> tantivy::Result<Commit> {
        let metas = index.load_metas()?;
        Ok(Commit {
            opstamp: metas.opstamp,
            segments: metas
                .segments
                .iter()
                .map(|s| (s.id(), s.num_deleted_docs()))
                .collect(),
        })
    }
}

impl Reloads {
    /// Notes the commit a reader was opened on (read before it was opened: a commit in between
    /// is reloaded once more, never missed).
    fn opened_on(commit: Commit) -> Reloads {
        Reloads(std::sync::Arc::new(std::sync::Mutex::new(Some(commit))))
    }

    fn reload(&self, index: &Index, reader: &IndexReader) -> tantivy::Result<()> {
        let mut loaded = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let latest = Commit::latest(index)?;
        if loaded.as_ref() == Some(&latest) {
            return Ok(());
        }
        reader.reload()?;
        *loaded = Some(latest);
        Ok(())
    }
}

/// Numbers engines as they are opened.
static INSTANCES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl Engine {
    /// Opens the index at `path` with the configuration it was built with.
    pub fn open(path: &Path) -> Result<Engine, SearchError> {
        Self::with(path, open_index(path)?)
    }

    /// Opens an index written by an incompatible hoptac, if its fields are still hoptac's: what a
    /// server answers from while it rebuilds the index in the background.
    pub fn open_stale(path: &Path) -> Result<Engine, SearchError> {
        Self::with(path, hoptac_indexer::open::open_stale_index(path)?)
    }

    fn with(
        path: &Path,
        (index, fields, version): (Index, Fields, Option<IndexVersion>),
    ) -> Result<Engine, SearchError> {
        let (config, config_problem) = match saved_config(path) {
            Ok(Some(config)) => (config, None),
            // An index written before configurations were saved beside it.
            Ok(None) => (Config::builtin(), None),
            Err(why) => {
                let problem = format!("{why}; answering with the built-in index-config");
                tracing::warn!("{problem}");
                (Config::builtin(), Some(problem))
            }
        };
        // Reloads are ours, one at a time (see `Reloads`); the index's folder watch triggers one
        // after every commit, as tantivy's `OnCommitWithDelay` would.
        let opened_on = Commit::latest(&index)?;
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let reloads = Reloads::opened_on(opened_on);
        let on_commit = {
            use tantivy::Directory;
            let (watched, reader, reloads) = (index.clone(), reader.clone(), reloads.clone());
            index
                .directory()
                .watch(tantivy::directory::WatchCallback::new(move || {
                    if let Err(e) = reloads.reload(&watched, &reader) {
                        tracing::warn!("reader not reloaded after a commit: {e}");
                    }
                }))?
        };
        Ok(Engine {
            reloads,
            _on_commit: on_commit,
            ranker: Ranker {
                fields: fields.clone(),
                weights: Weights::default(),
            },
            context: QueryContext::new(&config),
            index,
            reader,
            fields,
            path: path.to_path_buf(),
            version,
            facet_cache: facets::SegmentFacetsCache::default(),
            whole: whole::WholeIndexCache::default(),
            config,
            config_problem,
            instance: INSTANCES.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        })
    }

    /// Sees the latest commit now (instead of shortly after it).
    pub fn reload(&self) -> Result<(), SearchError> {
        Ok(self.reloads.reload(&self.index, &self.reader)?)
    }

    /// Which searcher answers now: this engine and its reader's generation, which moves on with
    /// every reload. Answers kept under a stamp are valid while it is current.
    pub fn stamp(&self) -> (u64, u64) {
        (
            self.instance,
            self.reader.searcher().generation().generation_id(),
        )
    }

    /// The index folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Versions recorded in the index.
    pub fn version(&self) -> Option<&IndexVersion> {
        self.version.as_ref()
    }

    /// The index-config the index was built with (the built-in one when it could not be read).
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Why the index-config saved with the index could not be read, and that the built-in one
    /// answers instead, when it could not (the server's health says so).
    pub fn config_problem(&self) -> Option<&str> {
        self.config_problem.as_deref()
    }

    /// The ranker that turns plans into queries.
    pub fn ranker(&self) -> &Ranker {
        &self.ranker
    }

    /// The query understanding in use.
    pub fn context(&self) -> &QueryContext {
        &self.context
    }

    /// Replaces the ranking weights (evaluation and tuning).
    pub fn set_weights(&mut self, weights: Weights) {
        self.ranker.weights = weights;
    }

    /// Documents in the index.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The underlying tantivy index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    fn resolve(&self, filters: &Filters) -> Filters {
        let mut f = filters.clone();
        f.country = f
            .country
            .iter()
            .map(|c| {
                self.context
                    .canonical_country(c)
                    .map(String::from)
                    .unwrap_or_else(|| c.trim().to_string())
            })
            .collect();
        f
    }

    /// Runs a search.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse, SearchError> {
        self.search_within(req, &Deadline::none())
    }

    /// Runs a search that stops with [`SearchError::Cancelled`] once `deadline` passes (see
    /// [`deadline`]): the server's searches, which must not outlive their request.
    pub fn search_within(
        &self,
        req: &SearchRequest,
        deadline: &Deadline,
    ) -> Result<SearchResponse, SearchError> {
        let started = Instant::now();
        let searcher = self.reader.searcher();
        self.facet_cache.retain(&searcher);
        let reading = reading::read(&searcher, &self.fields, &req.query);
        let plan = self.context.parse(&reading.text);
        tracing::debug!(?plan, "query plan");
        let filters = self.resolve(&req.filters);
        let answer = self.answer(
            &searcher,
            &plan,
            &filters,
            pipeline::Page {
                offset: req.offset,
                limit: req.limit.max(1),
                facet_limit: req.facet_limit,
                sort: req.sort,
                collapse: !req.keep_reprints,
            },
            deadline,
        )?;
        let highlighter = Highlighter::new(plan.highlight_sequences());
        let mut hits = Vec::with_capacity(answer.docs.len());
        for (score, addr) in answer.docs {
            deadline.check()?;
            let d = from_stored(&self.fields, searcher.doc(addr)?);
            let duplicates = reprints::members(&searcher, &self.fields, &d.group, &d.id)?;
            let passage = if req.snippet_chars == 0 {
                Snippet::default()
            } else {
                highlighter.snippet(&d.body, req.snippet_chars.max(40))
            };
            hits.push(Hit {
                snippet: passage.to_html(),
                passage,
                id: d.id,
                title: d.title,
                date: d.date,
                year: d.year,
                url: d.url,
                score,
                country: d.country,
                ministry: d.ministry,
                topic: d.topic,
                duplicates,
            });
        }
        Ok(SearchResponse {
            total: answer.total,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
            hits,
            facets: answer.facets,
            relaxed: answer.selection.relaxation.is_some(),
            relaxation: answer.selection.relaxation,
            corrected: reading.corrected,
        })
    }

    fn id_of(&self, searcher: &tantivy::Searcher, addr: DocAddress) -> Result<String, SearchError> {
        let doc: TantivyDocument = searcher.doc(addr)?;
        Ok(doc
            .get_first(self.fields.id)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string())
    }

    /// Ids of the top `limit` documents for a query (evaluation; no snippets).
    pub fn top_ids(&self, query: &str, limit: usize) -> Result<Vec<String>, SearchError> {
        Ok(self.assess(query, limit, &[])?.ranking)
    }

    /// What a query answers, as an evaluation measures it: its top `limit` ids, the size of its
    /// result set, which of `ids` the set holds, and its country facet.
    pub fn assess(
        &self,
        query: &str,
        limit: usize,
        ids: &[String],
    ) -> Result<Assessment, SearchError> {
        let searcher = self.reader.searcher();
        let plan = self
            .context
            .parse(&reading::read(&searcher, &self.fields, query).text);
        if plan.is_empty() {
            return Ok(Assessment::default());
        }
        let filters = Filters::default();
        let answer = self.answer(
            &searcher,
            &plan,
            &filters,
            pipeline::Page {
                offset: 0,
                limit: limit.max(1),
                facet_limit: 10,
                sort: Sort::Relevance,
                collapse: true,
            },
            &Deadline::none(),
        )?;
        let ranking = answer
            .docs
            .iter()
            .map(|(_, addr)| self.id_of(&searcher, *addr))
            .collect::<Result<Vec<_>, _>>()?;
        let mut in_set = Vec::new();
        if !ids.is_empty() {
            let set = ResultSet::new(
                &self.fields,
                &plan,
                &self.ranker.weights,
                self.context.home_country(),
            );
            let selection = &answer.selection;
            let wanted: Vec<(Occur, Box<dyn tantivy::query::Query>)> = ids
                .iter()
                .map(|id| {
                    let q: Box<dyn tantivy::query::Query> = Box::new(TermQuery::new(
                        Term::from_field_text(self.fields.id, id),
                        IndexRecordOption::Basic,
                    ));
                    (Occur::Should, q)
                })
                .collect();
            let q = BooleanQuery::new(vec![
                (Occur::Must, set.query(selection, &filters, None)),
                (Occur::Must, Box::new(BooleanQuery::new(wanted))),
            ]);
            for (_, addr) in
                searcher.search(&q, &TopDocs::with_limit(ids.len()).order_by_score())?
            {
                in_set.push(self.id_of(&searcher, addr)?);
            }
        }
        let named: Vec<String> = plan
            .concepts()
            .filter_map(|c| c.country.clone())
            .filter(|c| c != self.context.home_country())
            .collect();
        Ok(Assessment {
            ranking,
            total: answer.total,
            relaxed: answer.selection.relaxation.is_some(),
            in_set,
            countries: answer.facets.country,
            named_countries: named,
        })
    }

    /// Every document's title, in index order (suggestions are drawn from them).
    pub fn titles(&self) -> Result<Vec<String>, SearchError> {
        let searcher = self.reader.searcher();
        let mut out = Vec::with_capacity(searcher.num_docs() as usize);
        for segment in searcher.segment_readers() {
            let store = segment
                .get_store_reader(64)
                .map_err(tantivy::TantivyError::from)?;
            for doc_id in segment.doc_ids_alive() {
                let doc: TantivyDocument = store.get(doc_id)?;
                if let Some(t) = doc.get_first(self.fields.title).and_then(|v| v.as_str()) {
                    out.push(t.to_string());
                }
            }
        }
        Ok(out)
    }

    /// Facet counts over the whole index: those of the kept whole index (see [`whole`]), counted
    /// once per commit, not per call (`/api/facets`, `hoptac facets`, the suggestions).
    pub fn facets(&self, limit: usize) -> Result<FacetCountsByDim, SearchError> {
        let searcher = self.reader.searcher();
        self.facet_cache.retain(&searcher);
        let whole = self
            .whole
            .get(&searcher, &self.facet_cache, &Deadline::none())?;
        let mut out = FacetCountsByDim::default();
        for d in Dim::ALL {
            *out.get_mut(d) = facets::values(&whole.tally, d, limit);
        }
        Ok(out)
    }

    /// The other publications of document `id`'s release (its reprint group), newest first.
    pub fn reprints(&self, id: &str) -> Result<Vec<Reprint>, SearchError> {
        let searcher = self.reader.searcher();
        let doc = self.document_in(&searcher, id)?;
        reprints::members(&searcher, &self.fields, &doc.group, &doc.id)
    }

    /// One document by id.
    pub fn document(&self, id: &str) -> Result<Document, SearchError> {
        self.document_in(&self.reader.searcher(), id)
    }

    /// One document by id, as `searcher` sees the index.
    pub(crate) fn document_in(
        &self,
        searcher: &tantivy::Searcher,
        id: &str,
    ) -> Result<Document, SearchError> {
        let q = TermQuery::new(
            Term::from_field_text(self.fields.id, id),
            IndexRecordOption::Basic,
        );
        let docs = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
        let (_, addr) = docs
            .first()
            .ok_or_else(|| SearchError::NotFound(id.to_string()))?;
        Ok(from_stored(&self.fields, searcher.doc(*addr)?))
    }

    /// Highlights the query's words in a whole text (document pages).
    pub fn highlight(&self, query: &str, text: &str) -> Snippet {
        let plan = self.context.parse(query);
        let h = Highlighter::new(plan.highlight_sequences());
        Snippet {
            text: text.to_string(),
            highlights: h.ranges(text),
            cut_start: false,
            cut_end: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hoptac_indexer::IndexOptions;
    use hoptac_indexer::LiveIndex;

    /// A corpus folder of one document, indexed: the folder, the paths, and the live index.
    fn one_document() -> (tempfile::TempDir, PathBuf, IndexOptions, LiveIndex) {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        std::fs::write(corpus.join("0.txt"), "Hợp tác\n\nViệt Nam và Lào.").unwrap();
        let opts = IndexOptions::new(&corpus, dir.path().join("index"), Config::builtin());
        let mut live = LiveIndex::open(&opts).unwrap();
        live.sync(&()).unwrap();
        (dir, corpus, opts, live)
    }

    /// A reload with nothing committed keeps the searcher (and the answers kept for it); a commit
    /// is reloaded. The folder watch's first call, as it starts, changed the generation of every
    /// engine just opened.
    #[test]
    fn a_reload_of_the_same_commit_keeps_the_searcher() {
        let (_dir, corpus, opts, mut live) = one_document();
        let engine = Engine::open(&opts.index).unwrap();
        // The watch polls every half second; its first call has come after a second.
        std::thread::sleep(std::time::Duration::from_millis(1200));
        let opened = engine.stamp();
        engine.reload().unwrap();
        assert_eq!(
            engine.stamp(),
            opened,
            "nothing committed, yet a new searcher"
        );
        let path = corpus.join("1.txt");
        let text = "Văn bản\n\nHợp tác Hàn Quốc.";
        std::fs::write(&path, text).unwrap();
        live.update_written(&path, text.as_bytes()).unwrap();
        engine.reload().unwrap();
        assert_ne!(engine.stamp(), opened);
        assert_eq!(engine.num_docs(), 2);
    }

    #[test]
    fn a_commit_is_seen_after_its_reload_whatever_other_reloads_run() {
        let (_dir, corpus, opts, mut live) = one_document();
        let engine = std::sync::Arc::new(Engine::open(&opts.index).unwrap());
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        // Another reloader, as the folder watch is after every commit.
        let other = {
            let (engine, stop) = (engine.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    engine.reload().unwrap();
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
            })
        };
        for i in 1..=100u64 {
            let path = corpus.join(format!("{i}.txt"));
            let text = format!("Văn bản {i}\n\nHợp tác số {i}.");
            std::fs::write(&path, &text).unwrap();
            live.update_written(&path, text.as_bytes()).unwrap();
            engine.reload().unwrap();
            assert_eq!(
                engine.num_docs(),
                i + 1,
                "commit {i} not seen after its reload"
            );
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        other.join().unwrap();
    }
}
