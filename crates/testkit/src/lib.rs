//! The set-up every hoptac integration test shares, so that each test says only what it checks:
//!
//! - [`Folder`]: a temporary folder with a `corpus/` (empty, or a copy of the bundled corpus) plus
//!   named documents, its `index/`, and an [`Engine`](hoptac_search::Engine) opened on it;
//! - with the `server` feature, [`binary`]: the `hoptac` binary run on a folder, and [`server`]:
//!   `hoptac serve` on an ephemeral loopback port with a client that reads every answer.
//!
//! The engine's own tests use the default features, so they build without an HTTP stack.

mod folder;

#[cfg(feature = "server")]
pub mod binary;
#[cfg(feature = "server")]
pub mod server;

pub use folder::{repo, Folder};

#[cfg(feature = "server")]
pub use binary::{bin, hoptac, ids, json, run, run_hoptac};
#[cfg(feature = "server")]
pub use server::{agent, raw_exchange, reply, RawReply, Reply, Server, DEADLINE, TOKEN};
