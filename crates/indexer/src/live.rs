//! One writer, kept open: the whole-corpus pass of `hoptac index` and the single-file updates of a
//! running server (the folder watcher, POST and DELETE) go through the same [`LiveIndex`].
//!
//! tantivy allows one `IndexWriter` per index (its lock file keeps other processes out), so a server
//! holds one for its lifetime and every write is a method call on it. Each call ends with an atomic
//! commit carrying the analyzer/schema/config versions: a reader sees a file's new version or its
//! old one, never both and never neither.
//!
//! A file being written while it is read (an editor saving in steps, a large copy) must not be
//! indexed half-way: [`read_stable`] reads it until two reads a moment apart agree on size,
//! modification time and content hash.

use hoptac_analyzer::views::Analysis;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::clean::Cleaner;
use crate::config::Config;
use crate::corpus::{
    corpus_relative, document_id, list_corpus, read_stable, read_stable_all, remove_file,
    save_file, Skipped, INCOMING,
};
use crate::extract::Extractor;
use crate::load::{format_of, load};
use crate::open::{
    commit, io, lock_existing, open_for_writing, open_index, threads, write_atomic, writer,
    IndexVersion, CONFIG_FILE,
};
use crate::prepare::{in_order, Prepared, Preparer};
use crate::reprint::{Grouper, Sketch};
use crate::schema::to_tantivy;
use crate::schema::Fields;
use crate::segments::merge_tail;
use crate::Document;
use crate::IndexerError;

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

/// What a single-file update did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A new document.
    Added(String),
    /// A document replaced by its file's new version.
    Updated(String),
    /// A document deleted.
    Removed(String),
    /// Nothing to do: the file did not change, or there was no such document.
    Unchanged(String),
    /// The file could not be indexed (the reason); a stale version of it was removed.
    Skipped(String, String),
    /// Not a file hoptac reads (hidden, temporary, another format, outside the corpus).
    Ignored,
}

impl Change {
    /// True when the index changed.
    pub fn changed(&self) -> bool {
        matches!(
            self,
            Change::Added(_) | Change::Updated(_) | Change::Removed(_)
        ) || matches!(self, Change::Skipped(..))
    }
}

/// An index open for writing, with everything needed to turn files into documents.
pub struct LiveIndex {
    index: Index,
    fields: Fields,
    writer: IndexWriter,
    reader: IndexReader,
    version: IndexVersion,
    corpus: PathBuf,
    path: PathBuf,
    /// Files into documents: the cleaner, the extractor and the limits (see [`crate::prepare`]).
    preparer: Arc<Preparer>,
    /// Threads preparing files in a whole-corpus pass.
    preparers: usize,
    commit_every: usize,
    /// Reprint groups of the documents written (see [`crate::reprint`]).
    grouper: Grouper,
    /// False until a whole-corpus pass ran with this configuration (documents extracted with
    /// another index-config must be re-extracted even when their file did not change).
    same_config: bool,
}

impl LiveIndex {
    /// Opens (creating if needed) the index of `opts` for writing and takes its writer lock
    /// ([`IndexerError::Locked`] when another process holds it).
    pub fn open(opts: &IndexOptions) -> Result<LiveIndex, IndexerError> {
        let (index, fields, same_config) = open_for_writing(&opts.index, &opts.config)?;
        let writer = writer(&index, &opts.index, opts.writer_memory, opts.writer_threads)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(LiveIndex {
            fields,
            writer,
            reader,
            version: IndexVersion::current(&opts.config),
            corpus: opts.corpus.clone(),
            path: opts.index.clone(),
            preparer: Arc::new(Preparer {
                cleaner: Cleaner::new(&opts.config.furniture),
                extractor: Extractor::new(&opts.config),
                max_file_bytes: opts.max_file_bytes,
                max_tokens: opts.config.limits.max_tokens_per_field,
            }),
            preparers: threads(opts.writer_threads),
            commit_every: opts.commit_every.max(1),
            same_config,
            grouper: Grouper::default(),
            index,
        })
        .and_then(|live| {
            write_atomic(
                &opts.index.join(CONFIG_FILE),
                &serde_json::to_vec(&opts.config).map_err(|e| IndexerError::Io {
                    path: opts.index.join(CONFIG_FILE).display().to_string(),
                    source: std::io::Error::other(e),
                })?,
            )?;
            Ok(live)
        })
    }

    /// The tantivy index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The corpus folder.
    pub fn corpus(&self) -> &Path {
        &self.corpus
    }

    /// The index folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Documents in the index as of the last commit.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The content hash stored for a document id, if it is indexed.
    pub fn stored_hash(&self, id: &str) -> Result<Option<String>, IndexerError> {
        let searcher = self.reader.searcher();
        let q = TermQuery::new(
            Term::from_field_text(self.fields.id, id),
            IndexRecordOption::Basic,
        );
        let top = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
        let Some((_, addr)) = top.first() else {
            return Ok(None);
        };
        let doc: TantivyDocument = searcher.doc(*addr)?;
        Ok(Some(
            doc.get_first(self.fields.hash)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string(),
        ))
    }

    /// Records a file that cannot be indexed; a stale version of it must not stay searchable, so it
    /// is deleted. Returns the number of index changes made (0 or 1).
    fn skip(
        &mut self,
        id: &str,
        indexed: bool,
        reason: String,
        summary: &mut Summary,
        skipped: &mut Vec<Skipped>,
    ) -> usize {
        skipped.push(Skipped {
            path: id.to_string(),
            reason,
        });
        if !indexed {
            return 0;
        }
        self.writer
            .delete_term(Term::from_field_text(self.fields.id, id));
        summary.removed += 1;
        1
    }

    fn commit(&mut self) -> Result<(), IndexerError> {
        commit(&mut self.writer, &self.version)?;
        self.reader.reload()?;
        self.grouper.committed();
        Ok(())
    }

    /// Writes a document in place of any with its id, in its reprint group (the group of the first
    /// document already written whose text it shares, else its own id).
    /// `sketch` is the document's text's (made while preparing it); `analyses` those of its title
    /// and body, offered to the views that index them.
    fn write(
        &mut self,
        mut doc: Document,
        sketch: Sketch,
        analyses: Vec<Arc<Analysis>>,
    ) -> Result<(), IndexerError> {
        doc.group = self
            .grouper
            .assign(&self.reader.searcher(), &self.fields, &doc.id, &sketch)?;
        self.writer
            .delete_term(Term::from_field_text(self.fields.id, &doc.id));
        let mut t = to_tantivy(&self.fields, &doc);
        if sketch.groupable() {
            for key in sketch.keys() {
                t.add_text(self.fields.near, &key);
            }
            t.add_bytes(self.fields.sketch, &sketch.to_bytes());
        }
        for analysis in analyses {
            Analysis::offer(analysis);
        }
        self.writer.add_document(t)?;
        Ok(())
    }

    /// The id of a path inside the corpus, or `None` for a file hoptac does not read: outside the
    /// corpus, hidden (any component starting with `.`, as temp files of editors and of POST are),
    /// an editor's backup (`~`), or not `.txt`/`.md`/`.html`/`.json`.
    pub fn id_of(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.corpus).ok()?;
        let mut names = rel.components().map(|c| c.as_os_str().to_string_lossy());
        if names.any(|n| n.starts_with('.') || n.ends_with('~') || n.starts_with('#')) {
            return None;
        }
        format_of(path)?;
        document_id(rel)
    }

    /// Whether bytes named `name` would load as a document (the reason when not), without writing
    /// anything: a server checks a posted document before it saves it.
    pub fn check(&self, name: &Path, bytes: &[u8]) -> Result<(), String> {
        let max = self.preparer.max_file_bytes;
        if bytes.len() as u64 > max {
            return Err(format!(
                "{} bytes, over the limit of {max} bytes",
                bytes.len()
            ));
        }
        load(name, bytes, &self.preparer.cleaner)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// Brings one corpus path up to date and commits: indexes the file when it exists (re-read until
    /// stable; skipped when its content hash is the one indexed), deletes its document when it does
    /// not.
    pub fn update_path(&mut self, path: &Path) -> Result<Change, IndexerError> {
        let change = self.stage_path(path)?;
        if change.changed() {
            self.commit()?;
        }
        Ok(change)
    }

    /// Indexes a file the caller has just written whole (atomically, by rename) with these
    /// `bytes`, and commits. Unlike [`LiveIndex::update_path`] it does not read the file again
    /// until it is stable: the caller knows its content, and the writer is not held through the
    /// waits that a file still being copied in needs.
    pub fn update_written(&mut self, path: &Path, bytes: &[u8]) -> Result<Change, IndexerError> {
        let change = self.stage_read(path, Ok(bytes.to_vec()))?;
        if change.changed() {
            self.commit()?;
        }
        Ok(change)
    }

    /// Brings several corpus paths up to date in one commit. The files are read until stable
    /// together (one wait per round, not per file), so a thousand files dropped at once cost a
    /// thousand reads, not a thousand waits.
    pub fn update_paths(&mut self, paths: &[PathBuf]) -> Result<Vec<Change>, IndexerError> {
        let mut changes = Vec::with_capacity(paths.len());
        let mut pending = 0usize;
        let files: Vec<&Path> = paths
            .iter()
            .map(PathBuf::as_path)
            .filter(|p| p.is_file() && self.id_of(p).is_some())
            .collect();
        let mut read = read_stable_all(&files, self.preparer.max_file_bytes);
        for p in paths {
            let c = match read.remove(p.as_path()) {
                Some(bytes) => self.stage_read(p, bytes)?,
                None => self.stage_path(p)?,
            };
            if c.changed() {
                pending += 1;
            }
            changes.push(c);
            if pending >= self.commit_every {
                self.commit()?;
                pending = 0;
            }
        }
        if pending > 0 {
            self.commit()?;
        }
        Ok(changes)
    }

    fn stage_path(&mut self, path: &Path) -> Result<Change, IndexerError> {
        let Some(id) = self.id_of(path) else {
            return Ok(Change::Ignored);
        };
        if !path.exists() {
            return self.stage_delete(&id);
        }
        if !path.is_file() {
            return Ok(Change::Ignored);
        }
        let bytes = read_stable(path, self.preparer.max_file_bytes);
        self.stage_read(path, bytes)
    }

    fn stage_read(
        &mut self,
        path: &Path,
        bytes: Result<Vec<u8>, String>,
    ) -> Result<Change, IndexerError> {
        let Some(id) = self.id_of(path) else {
            return Ok(Change::Ignored);
        };
        let old = self.stored_hash(&id)?;
        let bytes = match bytes {
            Ok(b) => b,
            Err(reason) if !path.exists() => {
                tracing::debug!("{id}: {reason}");
                return self.stage_delete(&id);
            }
            Err(reason) => return Ok(self.stage_skip(id, old.is_some(), reason)),
        };
        let unchanged = old.as_deref().filter(|_| self.same_config);
        match self.preparer.prepare_read(&id, path, &bytes, unchanged) {
            Prepared::Unchanged => Ok(Change::Unchanged(id)),
            Prepared::Unreadable(reason) | Prepared::Failed(reason) => {
                Ok(self.stage_skip(id, old.is_some(), reason))
            }
            Prepared::Ready {
                doc,
                sketch,
                truncated,
                analyses,
            } => {
                if truncated {
                    // A whole-corpus pass reports these in its summary; one file says so here.
                    tracing::warn!(
                        id = %doc.id,
                        bytes = doc.body.len(),
                        max_tokens_per_field = self.preparer.max_tokens,
                        "document longer than the token cap: stored whole, indexed by its beginning"
                    );
                }
                self.write(*doc, sketch, analyses)?;
                Ok(match old {
                    Some(_) => Change::Updated(id),
                    None => Change::Added(id),
                })
            }
        }
    }

    fn stage_skip(&mut self, id: String, indexed: bool, reason: String) -> Change {
        if indexed {
            // The file no longer loads: its stale version must not stay searchable.
            self.writer
                .delete_term(Term::from_field_text(self.fields.id, &id));
            Change::Skipped(id, reason)
        } else {
            // Nothing changed in the index; report it without a commit.
            tracing::info!("not indexed {id}: {reason}");
            Change::Unchanged(id)
        }
    }

    fn stage_delete(&mut self, id: &str) -> Result<Change, IndexerError> {
        if self.stored_hash(id)?.is_none() {
            return Ok(Change::Unchanged(id.to_string()));
        }
        self.writer
            .delete_term(Term::from_field_text(self.fields.id, id));
        Ok(Change::Removed(id.to_string()))
    }

    /// Deletes a document by id and commits; `false` when there was none.
    pub fn delete(&mut self, id: &str) -> Result<bool, IndexerError> {
        let c = self.stage_delete(id)?;
        if c.changed() {
            self.commit()?;
        }
        Ok(c.changed())
    }

    /// Saves a posted document as `incoming/NAME` and indexes it, in one call on the one writer (so
    /// two posts of one id cannot interleave). A document that would not load is refused, with the
    /// reason, before anything is written; the corpus folder stays the source of truth, so a
    /// rebuild from it reproduces the index.
    pub fn save_incoming(
        &mut self,
        name: &str,
        bytes: &[u8],
    ) -> Result<Result<String, String>, IndexerError> {
        if let Err(reason) = self.check(Path::new(name), bytes) {
            return Ok(Err(reason));
        }
        let path = save_file(&self.corpus.join(INCOMING), name, bytes)?;
        match self.update_written(&path, bytes)? {
            Change::Added(id) | Change::Updated(id) | Change::Unchanged(id) => Ok(Ok(id)),
            Change::Removed(id) => Ok(Err(format!("{id} disappeared while it was indexed"))),
            Change::Skipped(_, reason) => Ok(Err(reason)),
            Change::Ignored => Ok(Err("not a file hoptac reads".into())),
        }
    }

    /// Removes a document: its file from the corpus folder, then the document from the index.
    /// `false` when there was neither; an id that is not a corpus path is refused
    /// ([`IndexerError::BadId`]).
    pub fn remove_document(&mut self, id: &str) -> Result<bool, IndexerError> {
        let path = self.corpus.join(corpus_relative(id)?);
        let indexed = self.stored_hash(id)?.is_some();
        let removed = path.is_file() && remove_file(&path)?;
        if !indexed && !removed {
            return Ok(false);
        }
        self.delete(id)?;
        Ok(true)
    }

    /// A whole-corpus pass: adds, replaces and deletes what changed since the index was written,
    /// committing every `commit_every` changes (an interrupted run keeps what it committed and is
    /// simply run again).
    pub fn sync(&mut self, progress: &dyn Progress) -> Result<Summary, IndexerError> {
        let (files, mut skipped) = list_corpus(&self.corpus)?;
        let existing = indexed_hashes(&self.index, &self.fields)?;
        let mut summary = Summary::default();
        let seen: HashSet<&str> = files.iter().map(|(id, _)| id.as_str()).collect();
        let mut pending = 0usize;
        let delete = |w: &mut IndexWriter, f: &Fields, id: &str| {
            w.delete_term(Term::from_field_text(f.id, id));
        };
        progress.start(files.len() as u64);
        let preparer = self.preparer.clone();
        let (same_config, preparers) = (self.same_config, self.preparers);
        let prepare = |(id, path): &(String, PathBuf)| {
            let unchanged = existing.get(id).filter(|_| same_config);
            preparer.prepare(id, path, unchanged.map(String::as_str))
        };
        // The writer's side: what each prepared file changes, in the listing's order.
        let mut write = |(id, _): &(String, PathBuf), prepared: Prepared| {
            progress.advance();
            let old = existing.get(id);
            match prepared {
                Prepared::Unchanged => summary.unchanged += 1,
                Prepared::Unreadable(reason) | Prepared::Failed(reason) => {
                    pending += self.skip(id, old.is_some(), reason, &mut summary, &mut skipped);
                }
                Prepared::Ready {
                    doc,
                    sketch,
                    truncated,
                    analyses,
                } => {
                    if truncated {
                        summary.truncated.push(id.clone());
                    }
                    self.write(*doc, sketch, analyses)?;
                    match old {
                        Some(_) => summary.updated += 1,
                        None => summary.added += 1,
                    }
                    pending += 1;
                }
            }
            if pending >= self.commit_every {
                self.commit()?;
                pending = 0;
            }
            Ok::<(), IndexerError>(())
        };
        in_order(&files, preparers, prepare, &mut write)?;
        for id in existing.keys() {
            if !seen.contains(id.as_str()) {
                delete(&mut self.writer, &self.fields, id);
                summary.removed += 1;
            }
        }
        self.commit()?;
        self.same_config = true;
        progress.finish();
        summary.skipped = skipped;
        summary.documents = self.num_docs();
        Ok(summary)
    }

    /// The end of a batch run: waits for background merges, then merges the small segments into
    /// one ([`crate::segments`]: every query pays per segment). Releases the writer.
    pub fn finish(self) -> Result<(), IndexerError> {
        let LiveIndex {
            index,
            writer,
            path,
            ..
        } = self;
        writer.wait_merging_threads()?;
        merge_tail(&index, &path)?;
        Ok(())
    }
}

/// What an index holds, for checking it after a crash.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Audit {
    /// Live documents.
    pub documents: u64,
    /// Distinct ids among them (equal to `documents` unless something is duplicated).
    pub distinct_ids: u64,
    /// Documents whose stored fields could not be read back.
    pub unreadable: u64,
}

/// Opens an index (checking its version) and reads back every document's id.
pub fn audit(path: &Path) -> Result<Audit, IndexerError> {
    let (index, fields, _) = open_index(path)?;
    let searcher = index.reader()?.searcher();
    let mut ids = HashSet::new();
    let mut unreadable = 0;
    for segment in searcher.segment_readers() {
        let store = segment
            .get_store_reader(64)
            .map_err(tantivy::TantivyError::from)?;
        for doc in segment.doc_ids_alive() {
            match store.get::<TantivyDocument>(doc) {
                Ok(d) => {
                    let id = d.get_first(fields.id).and_then(|v| v.as_str());
                    ids.insert(id.unwrap_or_default().to_string());
                }
                Err(_) => unreadable += 1,
            }
        }
    }
    Ok(Audit {
        documents: searcher.num_docs(),
        distinct_ids: ids.len() as u64,
        unreadable,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (tempfile::TempDir, LiveIndex) {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        std::fs::write(
            corpus.join("a.txt"),
            "Hợp tác Việt Nam – Hàn Quốc\n\nHai bên ký biên bản ghi nhớ về an toàn thông tin.",
        )
        .unwrap();
        let opts = IndexOptions::new(&corpus, dir.path().join("index"), Config::builtin());
        let mut live = LiveIndex::open(&opts).unwrap();
        live.sync(&()).unwrap();
        (dir, live)
    }

    #[test]
    fn a_batch_run_ends_with_its_small_segments_merged() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        let write = |from: usize, to: usize| {
            for i in from..to {
                std::fs::write(
                    corpus.join(format!("{i}.txt")),
                    format!(
                        "Hội nghị hợp tác số {i}\n\nViệt Nam và Hàn Quốc ký biên bản ghi nhớ số {i}."
                    ),
                )
                .unwrap();
            }
        };
        let mut opts = IndexOptions::new(&corpus, dir.path().join("index"), Config::builtin());
        opts.writer_threads = 1;
        // A first run: one segment of 16 documents.
        write(0, 16);
        let mut live = LiveIndex::open(&opts).unwrap();
        live.sync(&()).unwrap();
        live.finish().unwrap();
        // A second run committing every file: three segments of one, fewer than tantivy merges.
        write(16, 19);
        opts.commit_every = 1;
        let mut live = LiveIndex::open(&opts).unwrap();
        live.sync(&()).unwrap();
        let before = live.index().searchable_segment_metas().unwrap().len();
        assert_eq!(before, 4);
        live.finish().unwrap();
        let (index, _, version) = open_index(&opts.index).unwrap();
        let mut sizes: Vec<u32> = index
            .searchable_segment_metas()
            .unwrap()
            .iter()
            .map(|m| m.num_docs())
            .collect();
        sizes.sort();
        assert_eq!(
            sizes,
            vec![3, 16],
            "the small segments merged, the large left alone"
        );
        // The merge kept the commit's versions: the index opens as current, and writes again.
        assert_eq!(version, Some(IndexVersion::current(&opts.config)));
        let mut live = LiveIndex::open(&opts).unwrap();
        assert_eq!(live.num_docs(), 19);
        assert_eq!(live.sync(&()).unwrap().documents, 19);
    }

    #[test]
    fn a_file_is_added_replaced_and_removed_by_path() {
        let (dir, mut live) = setup();
        let corpus = dir.path().join("corpus");
        assert_eq!(live.num_docs(), 1);
        let b = corpus.join("sub/b.md");
        std::fs::create_dir_all(b.parent().unwrap()).unwrap();
        std::fs::write(&b, "# Hội nghị Nhật Bản\n\nChính phủ điện tử.").unwrap();
        assert_eq!(
            live.update_path(&b).unwrap(),
            Change::Added("sub/b.md".into())
        );
        assert_eq!(live.num_docs(), 2);
        assert_eq!(
            live.update_path(&b).unwrap(),
            Change::Unchanged("sub/b.md".into())
        );
        std::fs::write(&b, "# Hội nghị Pháp\n\nHạ tầng số.").unwrap();
        assert_eq!(
            live.update_path(&b).unwrap(),
            Change::Updated("sub/b.md".into())
        );
        assert_eq!(live.num_docs(), 2);
        std::fs::remove_file(&b).unwrap();
        assert_eq!(
            live.update_path(&b).unwrap(),
            Change::Removed("sub/b.md".into())
        );
        assert_eq!(live.num_docs(), 1);
        assert!(!live.delete("sub/b.md").unwrap());
        assert!(live.delete("a.txt").unwrap());
        assert_eq!(live.num_docs(), 0);
    }

    #[test]
    fn a_posted_document_is_saved_under_incoming_and_removed_with_its_file() {
        let (dir, mut live) = setup();
        let file = dir.path().join("corpus/incoming/thong-cao.json");
        let posted = r#"{"title": "Hợp tác Việt Nam – Nhật Bản", "body": "Chính phủ điện tử."}"#;
        let id = live
            .save_incoming("thong-cao.json", posted.as_bytes())
            .unwrap()
            .unwrap();
        assert_eq!(id, "incoming/thong-cao.json");
        assert!(file.is_file());
        assert_eq!(live.num_docs(), 2);
        assert!(live
            .save_incoming("hong.json", b"{not json")
            .unwrap()
            .is_err());
        assert!(!dir.path().join("corpus/incoming/hong.json").exists());
        assert!(live.remove_document(&id).unwrap());
        assert!(!file.exists());
        assert_eq!(live.num_docs(), 1);
        assert!(!live.remove_document(&id).unwrap());
        assert!(matches!(
            live.remove_document("../a.txt"),
            Err(IndexerError::BadId(_))
        ));
    }

    #[test]
    fn a_document_past_the_token_cap_is_stored_whole_and_indexed_by_its_beginning() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        let body = format!("{}cuối cùng Nhật Bản", "hợp tác ".repeat(60));
        std::fs::write(corpus.join("long.txt"), format!("Nhật ký\n\n{body}")).unwrap();
        std::fs::write(corpus.join("short.txt"), "Ngắn\n\nHàn Quốc").unwrap();
        let mut config = Config::builtin();
        config.limits.max_tokens_per_field = 100;
        let opts = IndexOptions::new(&corpus, dir.path().join("index"), config);
        let mut live = LiveIndex::open(&opts).unwrap();
        let summary = live.sync(&()).unwrap();
        assert_eq!(summary.truncated, vec!["long.txt".to_string()]);
        let searcher = live.index().reader().unwrap().searcher();
        let found = |field, word: &str| {
            let q = TermQuery::new(Term::from_field_text(field, word), IndexRecordOption::Basic);
            searcher.search(&q, &tantivy::collector::Count).unwrap()
        };
        assert_eq!(found(live.fields.body_f, "hop"), 1);
        assert_eq!(found(live.fields.body_f, "cuoi"), 0, "past the cap");
        let docs = searcher
            .search(
                &tantivy::query::AllQuery,
                &TopDocs::with_limit(2).order_by_score(),
            )
            .unwrap();
        let stored: Vec<String> = docs
            .iter()
            .map(|(_, a)| {
                let d: TantivyDocument = searcher.doc(*a).unwrap();
                crate::schema::from_tantivy(&live.fields, &d).body
            })
            .collect();
        assert!(stored.contains(&body), "the text is stored whole");
    }

    #[test]
    fn hidden_temporary_and_outside_files_are_ignored() {
        let (dir, mut live) = setup();
        let corpus = dir.path().join("corpus");
        for name in [".a.txt.tmp", ".hidden.txt", "a.txt~", "a.swp", "#a.txt#"] {
            let p = corpus.join(name);
            std::fs::write(&p, "Hợp tác").unwrap();
            assert_eq!(live.update_path(&p).unwrap(), Change::Ignored, "{name}");
        }
        let outside = dir.path().join("x.txt");
        std::fs::write(&outside, "Hợp tác").unwrap();
        assert_eq!(live.update_path(&outside).unwrap(), Change::Ignored);
        assert_eq!(live.num_docs(), 1);
    }

    #[test]
    fn a_file_that_no_longer_loads_is_removed() {
        let (dir, mut live) = setup();
        let a = dir.path().join("corpus/a.txt");
        std::fs::write(&a, [0u8, 159, 146, 150, 0, 0, 1, 2]).unwrap();
        assert!(matches!(live.update_path(&a).unwrap(), Change::Skipped(..)));
        assert_eq!(live.num_docs(), 0);
    }

    #[test]
    fn a_second_writer_is_refused() {
        let (dir, live) = setup();
        let opts = IndexOptions::new(
            dir.path().join("corpus"),
            dir.path().join("index"),
            Config::builtin(),
        );
        assert!(matches!(
            LiveIndex::open(&opts),
            Err(IndexerError::Locked(_))
        ));
        drop(live);
        assert!(LiveIndex::open(&opts).is_ok());
    }

    #[test]
    fn an_index_created_but_never_committed_opens() {
        // What a run killed before its first commit leaves behind.
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        std::fs::write(corpus.join("a.txt"), "Hợp tác\n\nHai bên ký kết.").unwrap();
        let path = dir.path().join("index");
        std::fs::create_dir_all(&path).unwrap();
        Index::create_in_dir(&path, crate::schema::build().0).unwrap();
        assert_eq!(audit(&path).unwrap().documents, 0);
        let opts = IndexOptions::new(&corpus, &path, Config::builtin());
        let mut live = LiveIndex::open(&opts).unwrap();
        assert_eq!(live.sync(&()).unwrap().added, 1);
        drop(live);
        assert_eq!(
            audit(&path).unwrap(),
            Audit {
                documents: 1,
                distinct_ids: 1,
                unreadable: 0
            }
        );
    }
}
