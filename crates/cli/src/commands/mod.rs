//! One module per subcommand.

pub mod eval;
pub mod facets;
pub mod index;
pub mod search;
pub mod serve;
pub mod show;
