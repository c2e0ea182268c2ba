//! One module per subcommand.

pub mod facets;
pub mod index;
pub mod search;
pub mod show;
