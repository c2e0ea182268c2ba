//! Malformed and hostile files in the corpus folder: each is reported in the summary with its
//! reason, the run goes on, and every other file is indexed.

use hoptac_testkit as support;

use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;
use support::{json, run_hoptac as hoptac, Folder};

const GOOD: &str = "Việt Nam và Hàn Quốc hợp tác về an toàn thông tin\n\n\
    Thứ sáu, 14/05/2010 14:56\n\n\
    Bộ Thông tin và Truyền thông và Bộ Hành chính và An ninh Hàn Quốc ký biên bản ghi nhớ.\n";

/// An index-config folder beside the corpus holding only a limits.toml (every other file falls
/// back to the built-in copy).
fn config_with_limit(d: &Folder, max: u64) -> PathBuf {
    let c = d.path().join("index-config");
    std::fs::create_dir_all(&c).unwrap();
    std::fs::write(c.join("limits.toml"), format!("max_file_bytes = {max}\n")).unwrap();
    c
}

/// The reason given for each skipped path.
fn reasons(summary: &Value) -> Vec<(String, String)> {
    summary["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_string(),
                s["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn reason_for<'a>(reasons: &'a [(String, String)], path: &str) -> &'a str {
    reasons
        .iter()
        .find(|(p, _)| p == path)
        .map(|(_, r)| r.as_str())
        .unwrap_or_else(|| panic!("{path:?} not reported: {reasons:?}"))
}

fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

#[test]
fn every_hostile_file_is_reported_and_every_other_file_indexed() {
    let d = Folder::empty();
    d.write("good.txt", GOOD);
    d.write("empty.txt", "");
    d.write("blank.md", " \n\t\n");
    d.write("photo.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0");
    d.write(
        "scan.txt",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n",
    );
    d.write(
        "program.md",
        b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0",
    );
    let truncated = GOOD.as_bytes();
    // Cut inside `ớ` of `nhớ`: an interrupted copy.
    let cut = GOOD.rfind("ớ").unwrap() + 1;
    d.write("truncated.txt", &truncated[..cut]);
    d.write(
        "french-latin1.txt",
        b"La coop\xe9ration fran\xe7aise, d\xe9j\xe0 tr\xe8s appr\xe9ci\xe9e.\n",
    );
    // 10 MB on one line, without a newline: indexed, with a short title.
    let mut long = String::from("Hợp tác kinh tế Việt Nam – Lào ");
    while long.len() < 10 * 1024 * 1024 {
        long.push_str(&"x".repeat(999));
        long.push(' ');
    }
    d.write("one-line.txt", &long);
    // Deeper than serde_json's recursion limit: an error, not a stack overflow.
    let deep = format!(
        r#"{{"title": "Sâu", "body": {}1{}}}"#,
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    d.write("deep.json", deep);
    // Huge but well-formed JSON: indexed.
    let numbers: Vec<String> = (0..300_000).map(|i| i.to_string()).collect();
    d.write(
        "huge.json",
        format!(
            r#"{{"title": "Hợp tác với Campuchia", "body": "Hai bên ký kết thỏa thuận.", "extra": [{}]}}"#,
            numbers.join(",")
        ),
    );
    // A symbolic link back to the corpus folder, and one to nothing.
    symlink(d.corpus(), d.corpus().join("loop")).unwrap();
    symlink(
        d.corpus().join("nowhere.txt"),
        d.corpus().join("dangling.txt"),
    )
    .unwrap();
    // A named pipe: reading it would block forever; it is not a regular file, so it is passed over.
    let fifo = d.corpus().join("pipe.txt");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    // A folder whose name looks like a document.
    std::fs::create_dir(d.corpus().join("folder.txt")).unwrap();
    // Odd names: spaces and Vietnamese, a newline, bytes that are not UTF-8.
    d.write("tin tức hợp tác.txt", GOOD);
    d.write("dòng\nmới.txt", GOOD);
    d.write(
        std::ffi::OsStr::from_bytes(b"t\xean-h\xf4ng-utf8.txt"),
        GOOD,
    );

    let out = d.hoptac_index(&[]);
    let summary = json(&out);
    let r = reasons(&summary);
    assert!(reason_for(&r, "empty.txt").contains("empty"));
    assert!(reason_for(&r, "blank.md").contains("empty"));
    assert!(reason_for(&r, "photo.txt").contains("binary (PNG image)"));
    assert!(reason_for(&r, "scan.txt").contains("binary (PDF document)"));
    assert!(reason_for(&r, "program.md").contains("binary (ELF executable)"));
    assert!(reason_for(&r, "truncated.txt").contains("truncated UTF-8"));
    assert!(
        reason_for(&r, "french-latin1.txt").contains("reads as Vietnamese in no known encoding")
    );
    assert!(reason_for(&r, "deep.json").contains("recursion limit"));
    assert!(reason_for(&r, "loop").contains("loop"));
    assert!(reason_for(&r, "dangling.txt").contains("No such file"));
    assert!(reason_for(&r, "t\u{fffd}n-h\u{fffd}ng-utf8.txt").contains("not valid UTF-8"));
    assert_eq!(r.len(), 11, "{r:?}");
    // good, one-line, huge, and the two oddly named copies of good.
    assert_eq!(summary["added"], 5, "{summary}");
    assert_eq!(summary["documents"], 5, "{summary}");

    let one_line = json(&hoptac(
        &d.index_path(),
        &["show", "one-line.txt", "--json"],
    ));
    let title = one_line["title"].as_str().unwrap();
    assert!(
        title.starts_with("Hợp tác kinh tế Việt Nam – Lào"),
        "{title}"
    );
    assert!(
        title.chars().count() <= 201,
        "title of {} chars",
        title.chars().count()
    );
    assert!(one_line["body"].as_str().unwrap().len() >= 10 * 1024 * 1024);

    let ids = d.search_ids("an toàn thông tin Hàn Quốc");
    for id in ["good.txt", "tin tức hợp tác.txt", "dòng\nmới.txt"] {
        assert!(ids.contains(&id.to_string()), "{id} not found: {ids:?}");
    }
    assert_eq!(d.search_ids("Campuchia"), ["huge.json"]);
    assert_eq!(d.search_ids("Lào")[0], "one-line.txt");

    // The human summary keeps one line per skipped file, even for a name with a newline.
    let human = hoptac(
        &d.index_path(),
        &["index", "--corpus", d.corpus().to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&human.stderr);
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("skipped ")).count(),
        11,
        "{stderr}"
    );
}

#[test]
fn the_size_limit_comes_from_index_config_and_the_flag_overrides_it() {
    let d = Folder::empty();
    d.write("small.txt", GOOD);
    let big = format!("{GOOD}{}", "Hợp tác phát triển. ".repeat(200));
    assert!(big.len() > 2_000);
    d.write("big.txt", &big);
    let config = config_with_limit(&d, 1_000);
    let config = config.to_str().unwrap();

    let summary = json(&d.hoptac_index(&["--config", config]));
    let r = reasons(&summary);
    let reason = reason_for(&r, "big.txt");
    assert!(reason.contains("over the limit of 1000 bytes"), "{reason}");
    assert_eq!(summary["documents"], 1);

    let summary = json(&d.hoptac_index(&["--config", config, "--max-file-bytes", "100000"]));
    assert!(reasons(&summary).is_empty(), "{summary}");
    assert_eq!(summary["added"], 1);
    assert_eq!(summary["documents"], 2);

    // Back under the configured limit, the file is skipped again and its old version removed.
    let summary = json(&d.hoptac_index(&["--config", config]));
    assert_eq!(summary["removed"], 1, "{summary}");
    assert_eq!(summary["documents"], 1);
}

#[test]
fn a_file_without_read_permission_is_reported() {
    let d = Folder::empty();
    d.write("good.txt", GOOD);
    let locked = d.write("locked.txt", GOOD);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let corpus = d.corpus();
    let index = d.index_path();
    let args = [
        "--index",
        index.to_str().unwrap(),
        "index",
        "--corpus",
        corpus.to_str().unwrap(),
        "--json",
    ];
    let out = if running_as_root() {
        // Root reads any file whatever its mode: run hoptac without the capabilities that let it
        // (setpriv, from util-linux). Without setpriv the case cannot be built; say so.
        let setpriv = Command::new("setpriv")
            .args([
                "--inh-caps=-all",
                "--bounding-set=-dac_override,-dac_read_search",
                "--",
            ])
            .arg(support::bin())
            .args(args)
            .output();
        match setpriv {
            Ok(out) => out,
            Err(e) => {
                eprintln!("skipping the unreadable-file assertion: running as root and setpriv is unavailable ({e})");
                return;
            }
        }
    } else {
        Command::new(support::bin()).args(args).output().unwrap()
    };
    let summary = json(&out);
    let r = reasons(&summary);
    assert!(
        reason_for(&r, "locked.txt").contains("permission denied"),
        "{r:?}"
    );
    assert_eq!(summary["documents"], 1);
}

/// Deletes a file when the indexer has listed the corpus, before it reads any file (files are
/// read by several threads at once, so "before the first file" is the start of the run).
struct DeleteAfterListing(PathBuf);

impl hoptac_indexer::Progress for DeleteAfterListing {
    fn start(&self, _files: u64) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn a_file_that_disappears_between_listing_and_reading_is_reported() {
    let d = Folder::empty();
    d.write("a.txt", GOOD);
    let gone = d.write("z.txt", GOOD);
    let opts = hoptac_indexer::IndexOptions::new(
        d.corpus(),
        d.index_path(),
        hoptac_indexer::Config::builtin(),
    );
    let summary = hoptac_indexer::index_corpus(&opts, &DeleteAfterListing(gone.clone())).unwrap();
    assert!(!gone.exists());
    assert_eq!(summary.skipped.len(), 1, "{:?}", summary.skipped);
    assert_eq!(summary.skipped[0].path, "z.txt");
    assert_eq!(
        summary.skipped[0].reason,
        "the file disappeared before it could be read"
    );
    assert_eq!(summary.added, 1);
}
