//! A temporary corpus folder, its index and an engine opened on it.

use std::path::{Path, PathBuf};

use hoptac_indexer::{index_corpus, Config, IndexOptions};
use hoptac_search::Engine;

/// The repository's root, found from this crate's place in it (`crates/testkit`).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A temporary folder holding `corpus/` and, once indexed, `index/`; removed when dropped.
pub struct Folder {
    dir: tempfile::TempDir,
}

impl Folder {
    /// A folder whose `corpus/` is empty.
    pub fn empty() -> Folder {
        let dir = tempfile::tempdir().expect("create a temp folder");
        std::fs::create_dir_all(dir.path().join("corpus")).expect("create corpus/");
        Folder { dir }
    }

    /// A folder whose `corpus/` is a copy of the bundled corpus (the five seed press releases).
    pub fn bundled() -> Folder {
        let f = Folder::empty();
        for e in std::fs::read_dir(repo().join("corpus")).expect("read the bundled corpus") {
            let e = e.unwrap();
            std::fs::copy(e.path(), f.corpus().join(e.file_name())).unwrap();
        }
        f
    }

    /// Adds a document (`name` may hold sub-folders, created as needed), returning `self`.
    pub fn with(self, name: impl AsRef<Path>, bytes: impl AsRef<[u8]>) -> Folder {
        self.write(name, bytes);
        self
    }

    /// Writes a document into `corpus/` (creating its sub-folders), returning its path.
    pub fn write(&self, name: impl AsRef<Path>, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.corpus().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// The folder itself.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `corpus/`.
    pub fn corpus(&self) -> PathBuf {
        self.path().join("corpus")
    }

    /// `index/` (it exists once something has indexed the corpus).
    pub fn index_path(&self) -> PathBuf {
        self.path().join("index")
    }

    /// Indexes `corpus/` into `index/` in-process with the built-in index configuration.
    pub fn index(&self) -> PathBuf {
        self.index_with(Config::builtin())
    }

    /// Indexes `corpus/` into `index/` in-process with `config`.
    pub fn index_with(&self, config: Config) -> PathBuf {
        let index = self.index_path();
        index_corpus(&IndexOptions::new(self.corpus(), &index, config), &()).expect("index");
        index
    }

    /// Indexes the corpus with the built-in configuration and opens an engine on it.
    pub fn engine(&self) -> Engine {
        self.engine_with(Config::builtin())
    }

    /// Indexes the corpus with `config` and opens an engine on it.
    pub fn engine_with(&self, config: Config) -> Engine {
        Engine::open(&self.index_with(config)).expect("open the engine")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundled_folder_holds_the_seeds_and_the_named_documents() {
        let f = Folder::bundled().with("báo cáo/một.txt", "Tiêu đề\n\nNội dung.");
        let seeds = std::fs::read_dir(repo().join("corpus")).unwrap().count();
        assert!(seeds >= 5);
        assert_eq!(std::fs::read_dir(f.corpus()).unwrap().count(), seeds + 1);
        assert!(f.corpus().join("báo cáo/một.txt").is_file());
        assert!(!f.index_path().exists());
    }
}
