//! The corpus folder: which files hoptac reads and their ids, reading a file safely (bounded, and
//! only once it has stopped changing), and writing or removing one for a running server.
//!
//! A document's id is its corpus-relative path, so every path into the corpus — a file listed, a
//! file posted, an id a client sends to be deleted — is checked here, by one set of rules.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::Serialize;

use crate::load::format_of;
use crate::IndexerError;

/// The folder (inside the corpus) where posted documents are saved.
pub const INCOMING: &str = "incoming";

/// Longest id accepted for a posted document (characters).
pub const MAX_ID_CHARS: usize = 128;

/// A file that was not indexed.
#[derive(Clone, Debug, Serialize)]
pub struct Skipped {
    /// Corpus-relative path.
    pub path: String,
    /// Why.
    pub reason: String,
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

/// Reads a file of at most `max` bytes, or says why not in words a user can act on.
///
/// The size is checked before reading (a 200 MB file is never loaded) and again while reading, so
/// a file that grows after it was listed, or one whose size the file system does not report, is
/// still bounded.
pub fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, String> {
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

/// The content hash stored with every document (hex, 128 bits of BLAKE3).
pub fn content_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex()[..32].to_string()
}

/// How long a file must stay the same between two reads to count as completely written.
pub const SETTLE: Duration = Duration::from_millis(60);

/// Reads a file that may still be being written: reads it, waits [`SETTLE`], reads again, until
/// two reads agree on size, modification time and content hash (at most ~40 rounds, then the
/// file is reported as still changing).
pub fn read_stable(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let stamp = |p: &Path| -> Option<(u64, SystemTime)> {
        let m = std::fs::metadata(p).ok()?;
        Some((m.len(), m.modified().ok()?))
    };
    let mut before = stamp(path);
    let mut bytes = read_limited(path, max)?;
    for _ in 0..40 {
        std::thread::sleep(SETTLE);
        let after = stamp(path);
        let again = read_limited(path, max)?;
        if after.is_some() && after == before && again == bytes {
            return Ok(bytes);
        }
        before = after;
        bytes = again;
    }
    Err("the file kept changing while it was read".into())
}

/// [`read_stable`] for many files at once: each round reads every file not yet stable, then one
/// wait.
pub fn read_stable_all<'a>(
    paths: &[&'a Path],
    max: u64,
) -> std::collections::HashMap<&'a Path, Result<Vec<u8>, String>> {
    type Seen = (Option<(u64, SystemTime)>, Result<Vec<u8>, String>);
    let stamp = |p: &Path| -> Option<(u64, SystemTime)> {
        let m = std::fs::metadata(p).ok()?;
        Some((m.len(), m.modified().ok()?))
    };
    let mut out = std::collections::HashMap::new();
    let mut unsettled: Vec<(&Path, Seen)> = paths
        .iter()
        .map(|p| (*p, (stamp(p), read_limited(p, max))))
        .collect();
    for _ in 0..40 {
        if unsettled.is_empty() {
            break;
        }
        std::thread::sleep(SETTLE);
        let mut next = Vec::new();
        for (p, (before, bytes)) in unsettled {
            let after = stamp(p);
            let again = read_limited(p, max);
            match (&bytes, &again) {
                (Err(_), Err(_)) => {
                    out.insert(p, again);
                }
                (Ok(a), Ok(b)) if after.is_some() && after == before && a == b => {
                    out.insert(p, again);
                }
                _ => next.push((p, (after, again))),
            }
        }
        unsettled = next;
    }
    for (p, _) in unsettled {
        out.insert(p, Err("the file kept changing while it was read".into()));
    }
    out
}

/// An id a client sent that cannot name a file of the corpus.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// Not a name for a posted document.
    #[error("id must be 1–{MAX_ID_CHARS} letters, digits, '-', '_' or '.', not starting with '.'")]
    NotAName,
    /// Not a corpus-relative path.
    #[error("not a document id: ids are corpus-relative paths without '.', '..', hidden or empty parts, backslashes or control characters")]
    NotAPath,
}

/// A posted id, if it is one: letters and digits of any script, `-`, `_` and `.`, not starting
/// with `.`, at most [`MAX_ID_CHARS`] characters — so never a path, never hidden, never a control
/// character.
pub fn valid_id(id: &str) -> Result<&str, IdError> {
    let n = id.chars().count();
    let ok = (1..=MAX_ID_CHARS).contains(&n)
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(id)
    } else {
        Err(IdError::NotAName)
    }
}

/// An id from a title and the content: the title folded to ASCII words, and a content hash.
///
/// Before: `Hợp tác Việt Nam – Hàn Quốc`. After: `hop-tac-viet-nam-han-quoc-1a2b3c4d`.
pub fn derived_id(title: &str, content: &[u8]) -> String {
    let folded = hoptac_analyzer::fold(title).to_lowercase();
    let mut slug = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= 60 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    let hash = &blake3::hash(content).to_hex()[..8];
    if slug.is_empty() {
        format!("doc-{hash}")
    } else {
        format!("{slug}-{hash}")
    }
}

/// A document id as a path inside the corpus, or why it cannot be one: no empty, `.`/`..` or
/// hidden components, no backslashes or control characters (NUL included).
///
/// Every way in that takes an id checks it with this one rule — the reads too, though they only
/// look the id up in the index — so a traversal attempt or a control character is refused the same
/// way whichever method carries it, and an id that a delete would refuse is never served. Listing
/// skips hidden files, so no indexed id is refused; a file whose name holds a control character or
/// a backslash is searchable but cannot be fetched by id.
pub fn corpus_relative(id: &str) -> Result<PathBuf, IdError> {
    let ok = !id.is_empty()
        && id.len() <= 4096
        && !id.chars().any(|c| c.is_control() || c == '\\')
        && id
            .split('/')
            .all(|part| !part.is_empty() && !part.starts_with('.'));
    if ok {
        Ok(id.split('/').collect())
    } else {
        Err(IdError::NotAPath)
    }
}

/// Writes a file atomically: a hidden temporary file beside it (listing and the watcher ignore
/// it), flushed to disk, renamed into place, and the folder flushed so the rename survives a crash.
pub fn save_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, IndexerError> {
    let target = dir.join(name);
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        std::fs::create_dir_all(dir)?;
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &target)?;
        std::fs::File::open(dir)?.sync_all()
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
        .map(|()| target.clone())
        .map_err(|source| IndexerError::Io {
            path: target.display().to_string(),
            source,
        })
}

/// Removes a file and flushes its folder, so the removal survives a crash; `false` when there was
/// no such file.
pub fn remove_file(path: &Path) -> Result<bool, IndexerError> {
    match std::fs::remove_file(path) {
        Ok(()) => {
            if let Some(dir) = path.parent() {
                let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
            }
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(IndexerError::Io {
            path: path.display().to_string(),
            source,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stable_file_reads_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, "Hợp tác").unwrap();
        assert_eq!(read_stable(&p, 1000).unwrap(), "Hợp tác".as_bytes());
        assert!(read_stable(&dir.path().join("missing.txt"), 1000).is_err());
    }
    #[test]
    fn ids_are_names_never_paths() {
        for ok in ["abc", "thong-cao_2024.01", "Hàn-Quốc-1", &"a".repeat(128)] {
            assert!(valid_id(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "../x",
            "a/b",
            ".hidden",
            "..",
            "a\nb",
            "a\u{0}b",
            "a b",
            "a\\b",
            &"a".repeat(129),
        ] {
            assert!(valid_id(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn derived_ids_are_ascii_slugs_with_a_hash() {
        let id = derived_id("Hợp tác Việt Nam – Hàn Quốc", b"x");
        assert!(id.starts_with("hop-tac-viet-nam-han-quoc-"), "{id}");
        assert!(valid_id(&id).is_ok());
        assert_ne!(id, derived_id("Hợp tác Việt Nam – Hàn Quốc", b"y"));
        assert!(derived_id("–––", b"x").starts_with("doc-"));
    }

    #[test]
    fn ids_stay_inside_the_corpus() {
        assert!(corpus_relative("incoming/a.json").is_ok());
        assert!(corpus_relative("báo cáo/2023 #1.md").is_ok());
        for bad in [
            "",
            "../etc/passwd",
            "a/../../b",
            "/abs",
            "a//b",
            ".git/config",
            "a\\b",
            "a\u{0}b",
            "a\nb",
            "a\u{1b}[31m",
            &"a".repeat(4097),
        ] {
            assert!(corpus_relative(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_saved_file_is_whole_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let incoming = dir.path().join(INCOMING);
        let path = save_file(
            &incoming,
            "thong-cao.json",
            "{\"title\": \"Hợp tác\"}".as_bytes(),
        )
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "{\"title\": \"Hợp tác\"}"
        );
        let names: Vec<_> = std::fs::read_dir(&incoming)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("thong-cao.json")]);
        assert!(remove_file(&path).unwrap());
        assert!(!remove_file(&path).unwrap());
    }
}
