//! Terminal output helpers: highlighted passages and JSON printing.

use std::io::IsTerminal;

use hoptac_search::Snippet;

/// Prints a value as pretty JSON on stdout.
pub fn json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
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
