//! The query parser on arbitrary text, with the bundled index-config: it never panics (a query the
//! syntax cannot read is read as plain words).
#![no_main]

use std::sync::OnceLock;

use hoptac_indexer::Config;
use hoptac_search::QueryContext;
use libfuzzer_sys::fuzz_target;

fn context() -> &'static QueryContext {
    static CONTEXT: OnceLock<QueryContext> = OnceLock::new();
    CONTEXT.get_or_init(|| QueryContext::new(&Config::builtin()))
}

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let plan = context().parse(query);
    let _ = plan.is_empty();
    let _ = plan.highlight_sequences();
});
