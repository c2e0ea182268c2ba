//! Documents in, index out: loading and cleaning files, extracting metadata and facets, and writing
//! them to a tantivy index — incrementally, atomically, one writer at a time.

pub mod clean;
pub mod config;
pub mod corpus;
pub mod document;
pub mod events;
pub mod extract;
pub mod live;
pub mod load;
pub mod open;
pub mod prepare;
pub mod reprint;
pub mod schema;
pub mod segments;

pub use config::Config;
pub use corpus::{IdError, Skipped};
pub use document::Document;
pub use events::{Applied, PathEvent, Plan};
pub use live::{audit, index_corpus, Audit, Change, IndexOptions, LiveIndex, Progress, Summary};
pub use open::{open_index, IndexVersion};

/// What can go wrong while indexing.
#[derive(Debug, thiserror::Error)]
pub enum IndexerError {
    /// A file of index-config does not parse.
    #[error("index-config: {file}: {message}")]
    Config {
        /// Which file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// A file or folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// Which path.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The corpus folder does not exist.
    #[error("corpus folder {0} does not exist")]
    NoCorpus(String),
    /// No index at the path.
    #[error("no index at {0}: run `hoptac index` first")]
    NoIndex(String),
    /// The index was built by an incompatible version of hoptac.
    #[error("the index at {path} was built by an incompatible version ({found}; this hoptac needs {expected}): rebuild it with `hoptac index --rebuild`")]
    Incompatible {
        /// Index path.
        path: String,
        /// Version found.
        found: String,
        /// Version expected.
        expected: String,
    },
    /// Another process is writing this index.
    #[error("the index at {0} is in use by another hoptac process (a running `hoptac serve` or `hoptac index`): stop it or wait for it to finish, then run this again")]
    Locked(String),
    /// An id that cannot name a file of the corpus.
    #[error(transparent)]
    BadId(#[from] corpus::IdError),
    /// The search engine failed.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}
