//! Writing the index: incremental, atomic, one writer at a time.
//!
//! The index itself is the record of what has been indexed: every document stores the content hash
//! of its file, so a run compares the corpus with the index and only adds, replaces and deletes what
//! changed. A replaced document is deleted by id and re-added in the same commit, so a reader never
//! sees it twice or not at all. Commits carry the analyzer, schema and index-config versions as their
//! payload; an index with another analyzer or schema is refused with the command that rebuilds it.
//! tantivy's writer lock keeps a second writer out.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::schema::{Facet, Value};
use tantivy::{doc, Index, IndexWriter, TantivyDocument};

use crate::config::Config;
use crate::document::Document;
use crate::live::LiveIndex;
use crate::load::format_of;
use crate::schema::{self, Fields, SCHEMA_VERSION};
use crate::IndexerError;

/// The file (inside the index folder) holding the configuration the index was built with.
pub const CONFIG_FILE: &str = "hoptac-config.json";

/// Versions recorded with every commit.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct IndexVersion {
    /// Analyzer version.
    pub analyzer: String,
    /// Schema version.
    pub schema: String,
    /// Hash of the index-config used.
    pub config: String,
}

impl IndexVersion {
    /// The versions this build writes, for a configuration.
    pub fn current(config: &Config) -> Self {
        IndexVersion {
            analyzer: hoptac_analyzer::ANALYZER_VERSION.to_string(),
            schema: SCHEMA_VERSION.to_string(),
            config: config.hash(),
        }
    }

    /// True when documents analysed by `self` can be queried by this build.
    pub fn compatible(&self) -> bool {
        self.analyzer == hoptac_analyzer::ANALYZER_VERSION && self.schema == SCHEMA_VERSION
    }
}

/// Options of an indexing run.
#[derive(Clone, Debug)]
pub struct IndexOptions {
    /// The corpus folder.
    pub corpus: PathBuf,
    /// The index folder.
    pub index: PathBuf,
    /// index-config.
    pub config: Config,
    /// Build a fresh index and swap it in.
    pub rebuild: bool,
    /// Files larger than this are skipped (default: index-config's `limits.toml`).
    pub max_file_bytes: u64,
    /// Commit after this many changed documents (progress survives an interruption).
    pub commit_every: usize,
    /// Memory budget of the tantivy writer.
    pub writer_memory: usize,
    /// Indexing threads (0: one per core, at most 4). A server rebuilding in the background uses
    /// fewer, so that searches keep a core.
    pub writer_threads: usize,
}

impl IndexOptions {
    /// Defaults for a corpus and an index folder.
    pub fn new(corpus: impl Into<PathBuf>, index: impl Into<PathBuf>, config: Config) -> Self {
        IndexOptions {
            corpus: corpus.into(),
            index: index.into(),
            max_file_bytes: config.limits.max_file_bytes,
            config,
            rebuild: false,
            commit_every: 10_000,
            writer_memory: 200 * 1024 * 1024,
            writer_threads: 0,
        }
    }
}

/// What a run did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    /// New documents.
    pub added: usize,
    /// Changed documents, replaced.
    pub updated: usize,
    /// Documents whose file is gone.
    pub removed: usize,
    /// Documents whose file did not change.
    pub unchanged: usize,
    /// Files that could not be indexed, with the reason.
    pub skipped: Vec<Skipped>,
    /// Documents longer than `max_tokens_per_field` (index-config's `limits.toml`): stored whole,
    /// searchable by their beginning only.
    pub truncated: Vec<String>,
    /// Documents in the index after the run.
    pub documents: u64,
}

/// A file that was not indexed.
#[derive(Clone, Debug, Serialize)]
pub struct Skipped {
    /// Corpus-relative path.
    pub path: String,
    /// Why.
    pub reason: String,
}

/// Progress callbacks (the CLI draws a bar; tests ignore them).
pub trait Progress {
    /// Files to look at.
    fn start(&self, _files: u64) {}
    /// One file done.
    fn advance(&self) {}
    /// Run done.
    fn finish(&self) {}
}

/// No progress reporting.
impl Progress for () {}

/// Opens an index for reading or writing, registering hoptac's analyzers, and checks its version.
pub fn open_index(path: &Path) -> Result<(Index, Fields, Option<IndexVersion>), IndexerError> {
    let (index, fields, version) = open_unchecked(path)?;
    // An index created but never committed (its first run was interrupted) has no versions yet.
    let empty = version.is_none() && index.searchable_segment_ids()?.is_empty();
    match (fields, &version) {
        (Some(f), Some(v)) if v.compatible() => Ok((index, f, version)),
        (Some(f), None) if empty => Ok((index, f, None)),
        (_, v) => Err(IndexerError::Incompatible {
            path: path.display().to_string(),
            found: v
                .as_ref()
                .map(|v| format!("{}, {}", v.analyzer, v.schema))
                .unwrap_or_else(|| "unknown".into()),
            expected: format!("{}, {}", hoptac_analyzer::ANALYZER_VERSION, SCHEMA_VERSION),
        }),
    }
}

/// Opens an index whatever version wrote it (`None` fields: not hoptac's schema).
fn open_unchecked(
    path: &Path,
) -> Result<(Index, Option<Fields>, Option<IndexVersion>), IndexerError> {
    if !path.join("meta.json").exists() {
        return Err(IndexerError::NoIndex(path.display().to_string()));
    }
    let index = Index::open_in_dir(path)?;
    hoptac_analyzer::register(index.tokenizers());
    let version = read_version(&index)?;
    let fields = Fields::from_schema(&index.schema());
    Ok((index, fields, version))
}

/// Opens an index written by an incompatible hoptac whose fields are still hoptac's, to keep
/// answering from it while its replacement is built (answers may be less accurate meanwhile).
pub fn open_stale_index(
    path: &Path,
) -> Result<(Index, Fields, Option<IndexVersion>), IndexerError> {
    match open_unchecked(path)? {
        (index, Some(fields), version) => Ok((index, fields, version)),
        (_, None, _) => open_index(path),
    }
}

fn read_version(index: &Index) -> Result<Option<IndexVersion>, IndexerError> {
    let metas = index.load_metas()?;
    Ok(metas
        .payload
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok()))
}

/// The configuration an index was built with (saved beside it): `Ok(None)` for an index saved
/// without one (built by an older hoptac), and the reason when the file is there but cannot be
/// read or parsed — the caller falls back to the built-in configuration and must say so, since
/// country and ministry names would then be those of the defaults, not those of the index.
pub fn saved_config(index_dir: &Path) -> Result<Option<Config>, String> {
    let path = index_dir.join(CONFIG_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{} cannot be read: {e}", path.display())),
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| format!("{} is not a valid configuration: {e}", path.display()))
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> IndexerError + '_ {
    move |source| IndexerError::Io {
        path: path.display().to_string(),
        source,
    }
}

pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), IndexerError> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).map_err(io(&tmp))?;
    std::fs::rename(&tmp, path).map_err(io(path))
}

/// Corpus files as (id, path), and the entries that could not be listed.
pub type Listing = (Vec<(String, PathBuf)>, Vec<Skipped>);

/// The files of the corpus that hoptac reads, as (id, path), sorted; and what could not be listed.
pub fn list_corpus(corpus: &Path) -> Result<Listing, IndexerError> {
    if !corpus.is_dir() {
        return Err(IndexerError::NoCorpus(corpus.display().to_string()));
    }
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let walker = walkdir::WalkDir::new(corpus)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let path = e.path();
                if format_of(path).is_none() {
                    continue;
                }
                let rel = path.strip_prefix(corpus).unwrap_or(path);
                match document_id(rel) {
                    Some(id) => files.push((id, path.to_path_buf())),
                    None => skipped.push(Skipped {
                        path: rel.to_string_lossy().into_owned(),
                        reason: "file name is not valid UTF-8".into(),
                    }),
                }
            }
            Ok(_) => {}
            Err(e) => skipped.push(Skipped {
                path: e
                    .path()
                    .map(|p| {
                        p.strip_prefix(corpus)
                            .unwrap_or(p)
                            .to_string_lossy()
                            .into_owned()
                    })
                    .unwrap_or_default(),
                reason: e.to_string(),
            }),
        }
    }
    Ok((files, skipped))
}

/// The stable id of a corpus-relative path: its components joined by `/`.
pub fn document_id(rel: &Path) -> Option<String> {
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    parts.map(|p| p.join("/"))
}

/// The ids and content hashes of every document in an index.
pub fn indexed_hashes(
    index: &Index,
    fields: &Fields,
) -> Result<HashMap<String, String>, IndexerError> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let mut out = HashMap::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let store = segment
            .get_store_reader(1)
            .map_err(tantivy::TantivyError::from)?;
        for doc_id in segment.doc_ids_alive() {
            let doc: TantivyDocument = store.get(doc_id)?;
            let _ = ord;
            let id = doc
                .get_first(fields.id)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            let hash = doc
                .get_first(fields.hash)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            out.insert(id, hash);
        }
    }
    Ok(out)
}

/// The tantivy document for a hoptac document.
pub fn to_tantivy(f: &Fields, d: &Document) -> TantivyDocument {
    let mut t = doc!(
        f.id => d.id.as_str(),
        f.title => d.title.as_str(),
        f.title_f => d.title.as_str(),
        f.title_bi => d.title.as_str(),
        f.body => d.body.as_str(),
        f.body_f => d.body.as_str(),
        f.body_bi => d.body.as_str(),
        f.capitals => d.title.as_str(),
        f.capitals => d.body.as_str(),
        f.hash => d.hash.as_str(),
        f.format => d.format.as_str(),
        f.encoding => d.encoding.as_str(),
    );
    if let Some(date) = &d.date {
        t.add_text(f.date, date);
        let key: u64 = date.replace('-', "").parse().unwrap_or(0);
        let key = match date.len() {
            4 => key * 10_000,
            7 => key * 100,
            _ => key,
        };
        t.add_u64(f.date_key, key);
    } else {
        t.add_u64(f.date_key, d.year.map(|y| y * 10_000).unwrap_or(0));
    }
    if let Some(y) = d.year {
        t.add_u64(f.year, y);
        t.add_facet(f.facets, Facet::from_path(["year", &y.to_string()]));
    }
    if let Some(u) = &d.url {
        t.add_text(f.url, u);
    }
    let group = if d.group.is_empty() { &d.id } else { &d.group };
    t.add_text(f.group, group);
    t.add_u64(f.group_key, crate::reprint::group_key(group));
    for (field, root, values) in [
        (f.country, "country", &d.country),
        (f.ministry, "ministry", &d.ministry),
        (f.topic, "topic", &d.topic),
    ] {
        for v in values {
            t.add_text(field, v);
            t.add_facet(f.facets, Facet::from_path([root, v.as_str()]));
        }
    }
    t
}

/// Reads a hoptac document back from a stored tantivy document.
pub fn from_tantivy(f: &Fields, t: &TantivyDocument) -> Document {
    let s = |field| {
        t.get_first(field)
            .and_then(|v| v.as_str())
            .map(String::from)
    };
    let all = |field| {
        t.get_all(field)
            .filter_map(|v| v.as_str())
            .map(String::from)
            .collect::<Vec<_>>()
    };
    Document {
        id: s(f.id).unwrap_or_default(),
        title: s(f.title).unwrap_or_default(),
        body: s(f.body).unwrap_or_default(),
        date: s(f.date),
        year: t.get_first(f.year).and_then(|v| v.as_u64()),
        url: s(f.url),
        country: all(f.country),
        ministry: all(f.ministry),
        topic: all(f.topic),
        hash: s(f.hash).unwrap_or_default(),
        format: s(f.format).unwrap_or_default(),
        encoding: s(f.encoding).unwrap_or_default(),
        group: s(f.group).unwrap_or_default(),
    }
}

/// Opens (creating if needed) an index for writing.
pub(crate) fn open_for_writing(
    path: &Path,
    config: &Config,
) -> Result<(Index, Fields, bool), IndexerError> {
    let (index, fields, same_config) = if path.join("meta.json").exists() {
        let (index, fields, version) = open_index(path)?;
        let same_config = version.is_some_and(|v| v.config == config.hash());
        (index, fields, same_config)
    } else {
        std::fs::create_dir_all(path).map_err(io(path))?;
        let (schema, fields) = schema::build();
        (Index::create_in_dir(path, schema)?, fields, true)
    };
    // Documents are analysed under this configuration's token cap.
    hoptac_analyzer::register_limited(index.tokenizers(), config.limits.max_tokens_per_field);
    Ok((index, fields, same_config))
}

pub(crate) fn writer(
    index: &Index,
    path: &Path,
    memory: usize,
    threads: usize,
) -> Result<IndexWriter, IndexerError> {
    let threads = match threads {
        0 => std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 4),
        n => n,
    };
    index
        .writer_with_num_threads(threads, memory.max(threads * 20 * 1024 * 1024))
        .map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => {
                IndexerError::Locked(path.display().to_string())
            }
            e => IndexerError::Tantivy(e),
        })
}

pub(crate) fn commit(w: &mut IndexWriter, version: &IndexVersion) -> Result<(), IndexerError> {
    let mut prepared = w.prepare_commit()?;
    prepared.set_payload(&serde_json::to_string(version).unwrap_or_default());
    prepared.commit()?;
    Ok(())
}

/// Indexes a corpus folder into an index folder, incrementally (or from scratch with `rebuild`).
pub fn index_corpus(opts: &IndexOptions, progress: &dyn Progress) -> Result<Summary, IndexerError> {
    if opts.rebuild {
        return rebuild(opts, progress);
    }
    let mut live = LiveIndex::open(opts)?;
    let summary = live.sync(progress)?;
    live.finish()?;
    Ok(summary)
}

/// Reads a file of at most `max` bytes, or says why not in words a user can act on.
///
/// The size is checked before reading (a 200 MB file is never loaded) and again while reading, so
/// a file that grows after it was listed, or one whose size the file system does not report, is
/// still bounded.
pub(crate) fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let reason = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => "the file disappeared before it could be read".to_string(),
        std::io::ErrorKind::PermissionDenied => {
            "permission denied: the file is not readable".to_string()
        }
        _ => format!("the file could not be read: {e}"),
    };
    let over = |size: u64| format!("file is {size} bytes, over the limit of {max} bytes");
    let file = std::fs::File::open(path).map_err(reason)?;
    let size = file.metadata().map_err(reason)?.len();
    if size > max {
        return Err(over(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(reason)?;
    if bytes.len() as u64 > max {
        return Err(format!(
            "file grew while it was read, over the limit of {max} bytes"
        ));
    }
    Ok(bytes)
}

fn rebuild(opts: &IndexOptions, progress: &dyn Progress) -> Result<Summary, IndexerError> {
    let parent = opts
        .index
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    let name = opts
        .index
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "index".into());
    let stamp = std::process::id();
    let fresh = parent.join(format!(".{name}.rebuild-{stamp}"));
    if fresh.exists() {
        std::fs::remove_dir_all(&fresh).map_err(io(&fresh))?;
    }
    // The index being replaced must not be written meanwhile (a server holding it, another run):
    // hold its writer lock until the swap.
    let _lock = lock_existing(&opts.index)?;
    let mut sub = opts.clone();
    sub.rebuild = false;
    sub.index = fresh.clone();
    let summary = index_corpus(&sub, progress)?;
    let old = parent.join(format!(".{name}.old-{stamp}"));
    if opts.index.exists() {
        std::fs::rename(&opts.index, &old).map_err(io(&opts.index))?;
    }
    std::fs::rename(&fresh, &opts.index).map_err(io(&fresh))?;
    if old.exists() {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(summary)
}

/// Takes the writer lock of an existing index folder (whatever version wrote it), so that nobody
/// writes it while it is being replaced; `None` when there is no index there.
fn lock_existing(path: &Path) -> Result<Option<tantivy::directory::DirectoryLock>, IndexerError> {
    use tantivy::directory::{Directory, MmapDirectory, INDEX_WRITER_LOCK};
    if !path.join("meta.json").exists() {
        return Ok(None);
    }
    let dir = MmapDirectory::open(path).map_err(|e| IndexerError::Io {
        path: path.display().to_string(),
        source: std::io::Error::other(e.to_string()),
    })?;
    match dir.acquire_lock(&INDEX_WRITER_LOCK) {
        Ok(lock) => Ok(Some(lock)),
        Err(tantivy::directory::error::LockError::LockBusy) => {
            Err(IndexerError::Locked(path.display().to_string()))
        }
        Err(e) => Err(IndexerError::Io {
            path: path.display().to_string(),
            source: std::io::Error::other(e.to_string()),
        }),
    }
}
