//! The `hoptac` binary, run on a folder as a user would run it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::folder::{repo, Folder};

/// The binary under test: `hoptac` beside the test executable's `deps/` folder, where cargo
/// builds a package's binaries before its integration tests.
pub fn bin() -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("the test executable lies in target/<profile>/deps");
    let bin = dir.join(format!("hoptac{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.is_file(),
        "no hoptac binary at {} (run the tests of the hoptac package)",
        bin.display()
    );
    bin
}

/// `hoptac --index INDEX`, run from the repository (so its index-config/ is the one used, as for a
/// user) and without the environment variables that would change what the flags say.
pub fn hoptac(index: &Path) -> Command {
    let mut c = Command::new(bin());
    c.arg("--index")
        .arg(index)
        .current_dir(repo())
        .env_remove("HOPTAC_ADMIN_TOKEN")
        .env_remove("HOPTAC_INDEX");
    c
}

/// Runs a command to the end.
pub fn run(c: &mut Command) -> Output {
    c.output().expect("run hoptac")
}

/// `hoptac --index INDEX ARGS…`, run to the end.
pub fn run_hoptac(index: &Path, args: &[&str]) -> Output {
    run(hoptac(index).args(args))
}

/// The JSON a successful run printed.
pub fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "hoptac failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

/// The ids of a search answer's hits.
pub fn ids(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

impl Folder {
    /// `hoptac index --corpus corpus/ --json EXTRA…` into `index/`, run to the end.
    pub fn hoptac_index(&self, extra: &[&str]) -> Output {
        let corpus = self.corpus();
        let mut args = vec!["index", "--corpus", corpus.to_str().unwrap(), "--json"];
        args.extend_from_slice(extra);
        run_hoptac(&self.index_path(), &args)
    }

    /// `hoptac search --json ARGS…` on `index/`: the answer, which must be a success.
    pub fn hoptac_search(&self, args: &[&str]) -> Value {
        let mut a = vec!["search", "--json"];
        a.extend_from_slice(args);
        json(&run_hoptac(&self.index_path(), &a))
    }

    /// The ids `hoptac search QUERY` finds on the first page.
    pub fn search_ids(&self, query: &str) -> Vec<String> {
        ids(&self.hoptac_search(&["--", query]))
    }
}
