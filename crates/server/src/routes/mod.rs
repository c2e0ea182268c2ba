//! The JSON API under `/api/`: one file per resource, each handler a few lines between parameter
//! parsing and the engine.

pub mod documents;
pub mod export;
pub mod facets;
pub mod health;
pub mod search;
pub mod suggest;
pub mod write;
