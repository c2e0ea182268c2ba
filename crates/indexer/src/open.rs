//! Opening an index: its versions, its saved configuration, its writer and its lock.
//!
//! Commits carry the analyzer, schema and index-config versions as their payload; an index with
//! another analyzer or schema is refused with the command that rebuilds it. tantivy's writer lock
//! keeps a second writer out, and a rebuild holds the lock of the index it replaces.

use std::path::Path;

use serde::{Deserialize, Serialize};
use tantivy::{Index, IndexWriter};

use crate::config::Config;
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

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> IndexerError + '_ {
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

/// The threads an indexing run uses: as asked, or for 0 one per core, at most 4.
pub(crate) fn threads(asked: usize) -> usize {
    match asked {
        0 => std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 4),
        n => n,
    }
}

pub(crate) fn writer(
    index: &Index,
    path: &Path,
    memory: usize,
    threads: usize,
) -> Result<IndexWriter, IndexerError> {
    let threads = self::threads(threads);
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

/// Takes the writer lock of an existing index folder (whatever version wrote it), so that nobody
/// writes it while it is being replaced; `None` when there is no index there.
pub(crate) fn lock_existing(
    path: &Path,
) -> Result<Option<tantivy::directory::DirectoryLock>, IndexerError> {
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
