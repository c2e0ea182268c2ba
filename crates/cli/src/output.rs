//! Terminal output helpers: lines on stdout that end the program quietly when the reader has gone,
//! highlighted passages, and JSON printing.

use std::io::{IsTerminal, Write};

use hoptac_search::Snippet;

/// Writes bytes to stdout as they are (an export), ending quietly on a closed pipe as [`line`] does.
pub fn bytes(b: &[u8]) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(b).and_then(|_| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("hoptac: error: writing to standard output: {e}");
        std::process::exit(1);
    }
}

/// Prints a line on stdout, as `println!` does, except that a closed pipe (`hoptac search … | head`)
/// ends the program quietly with success, as ripgrep does, instead of panicking: the reader has
/// all it wanted.
pub fn line(args: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(format_args!("{args}\n")) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("hoptac: error: writing to standard output: {e}");
        std::process::exit(1);
    }
}

/// `println!` through [`line`].
#[macro_export]
macro_rules! outln {
    () => { $crate::output::line(format_args!("")) };
    ($($arg:tt)*) => { $crate::output::line(format_args!($($arg)*)) };
}

/// Prints a value as pretty JSON on stdout.
pub fn json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    line(format_args!("{}", serde_json::to_string_pretty(value)?));
    Ok(())
}

/// True when stdout is a terminal (colours on).
pub fn tty() -> bool {
    std::io::stdout().is_terminal()
}

/// A passage with its highlights on one line: bold yellow on a terminal, `[…]` otherwise.
pub fn passage(s: &Snippet) -> String {
    marked(s).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A text with its highlights marked, line breaks kept.
pub fn marked(s: &Snippet) -> String {
    let (open, close) = if tty() {
        ("\x1b[1;33m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    let mut out = String::new();
    if s.cut_start {
        out.push('…');
    }
    let mut at = 0;
    for r in &s.highlights {
        out.push_str(&s.text[at..r.start]);
        out.push_str(open);
        out.push_str(&s.text[r.clone()]);
        out.push_str(close);
        at = r.end;
    }
    out.push_str(&s.text[at..]);
    if s.cut_end {
        out.push('…');
    }
    out
}

/// Bold text on a terminal.
pub fn bold(s: &str) -> String {
    if tty() {
        format!("\x1b[1m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}
