#!/usr/bin/env python3
"""Writes the results of scripts/eval-baselines into EVAL.md, between its markers.

    report.py EVAL.md RESULTS_DIR

RESULTS_DIR holds, per system, KEY.json (the output of `hoptac eval --json`, for a baseline's run file
through `--run`), KEY.run (its run file, for the "no hits" count), KEY.meta.json ({"date", "note"}), and
run.json (date, machine, arguments, total runtime, step times, the scorer check). A system without results this time keeps the row
EVAL.md already has, so `scripts/eval-baselines --only hoptac` refreshes the hoptac rows alone.
"""
import json
import os
import re
import sys

BEGIN, END = "<!-- eval-baselines:begin -->", "<!-- eval-baselines:end -->"

SYSTEMS = [
    ("hoptac", "**hoptac**"),
    ("tantivy-default", "(a) tantivy, default tokenizer"),
    ("tantivy-default-folding", "(b) tantivy, default + ASCII folding"),
    ("fts5-or", "(c) SQLite FTS5, OR"),
    ("fts5-or-dfold", "(c) SQLite FTS5, OR, app-side đ→d"),
    ("fts5-and", "(c′) SQLite FTS5, AND (FTS5's default)"),
    ("fts5-and-dfold", "(c′) SQLite FTS5, AND, app-side đ→d"),
    ("postgres-or", "(d) PostgreSQL unaccent, OR"),
    ("postgres-and", "(d′) PostgreSQL unaccent, AND (websearch_to_tsquery)"),
    ("lucene-fold", "(e) Lucene BM25 + ASCII folding (Anserini)"),
    ("lucene-vi", "(e′) Lucene BM25, Anserini `-language vi`"),
]
CLASSES = ["base", "nodiac", "acronym", "expanded", "alias", "tone", "english", "paraphrase"]


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def no_hits(run_path, report):
    answered = set()
    if os.path.exists(run_path):
        with open(run_path, encoding="utf-8") as f:
            answered = {line.split()[0] for line in f if line.strip()}
    return sum(1 for q in report["per_query"] if q["id"] not in answered)


def rows(results, label):
    key, report, meta, run = results
    o = report["overall"]
    main = (
        f"| {label} | {o['ndcg@10']:.4f} | {o['mrr@10']:.4f} | {o['recall@100']:.4f} | "
        f"{o['judged@10']:.3f} | {no_hits(run, report)} | "
        f"{meta.get('date', '')}{(' ' + meta['note']) if meta.get('note') else ''} |"
    )
    cells = [f"{o['ndcg@10']:.4f}"]
    for c in CLASSES:
        s = report["per_class"].get(c)
        cells.append(f"{s['ndcg@10']:.4f}" if s else "–")
    per_class = f"| {label} | " + " | ".join(cells) + " |"
    return main, per_class


def main():
    eval_md, results_dir = sys.argv[1], sys.argv[2]
    text = open(eval_md, encoding="utf-8").read() if os.path.exists(eval_md) else ""
    if BEGIN not in text or END not in text:
        sys.exit(f"{eval_md}: the markers {BEGIN} and {END} are missing")
    head, rest = text.split(BEGIN, 1)
    old_block, tail = rest.split(END, 1)
    old_rows = {}
    for line in old_block.splitlines():
        m = re.match(r"^\| (.+?) \|", line)
        if m:
            old_rows.setdefault(m.group(1), []).append(line)

    run_info = {}
    if os.path.exists(os.path.join(results_dir, "run.json")):
        run_info = load(os.path.join(results_dir, "run.json"))
    counts = {}
    main_rows, class_rows = [], []
    for key, label in SYSTEMS:
        path = os.path.join(results_dir, key + ".json")
        if os.path.exists(path):
            report = load(path)
            meta_path = os.path.join(results_dir, key + ".meta.json")
            meta = load(meta_path) if os.path.exists(meta_path) else {}
            m, c = rows((key, report, meta, os.path.join(results_dir, key + ".run")), label)
            for cls, s in report["per_class"].items():
                counts[cls] = s["queries"]
            counts["overall"] = report["overall"]["queries"]
        else:
            kept = old_rows.get(label, [])
            if len(kept) < 2:
                continue
            m, c = kept[0], kept[1]
        main_rows.append(m)
        class_rows.append(c)

    n = lambda c: f" ({counts[c]})" if c in counts else ""
    out = [BEGIN, ""]
    if run_info:
        line = (
            f"{run_info['date']} on {run_info['machine']}: "
            f"`{('scripts/eval-baselines ' + run_info.get('args', '')).strip()}`"
            + f" took {run_info['seconds'] / 60:.1f} min"
            + (f" ({run_info['steps']})." if run_info.get("steps") else ".")
        )
        if run_info.get("partial"):
            # Keep the record of the last full run; say which rows this run refreshed.
            out += [l for l in old_block.splitlines() if l.startswith("Last full run:")] + [""]
            out.append(f"Last partial run, {line}")
        else:
            out.append(f"Last full run: {line}")
        if run_info.get("check"):
            out.append("")
            out.append(run_info["check"])
        out.append("")
    out += [
        "| system | nDCG@10 | MRR@10 | Recall@100 | judged@10 | queries without hits | measured |",
        "|---|---|---|---|---|---|---|",
        *main_rows,
        "",
        "nDCG@10 per query class (number of queries in brackets):",
        "",
        f"| system | overall{n('overall')} | " + " | ".join(c + n(c) for c in CLASSES) + " |",
        "|---|" + "---|" * (len(CLASSES) + 1),
        *class_rows,
        "",
        END,
    ]
    with open(eval_md, "w", encoding="utf-8") as f:
        f.write(head + "\n".join(out) + tail)
    print(f"report: {len(main_rows)} systems written to {eval_md}", file=sys.stderr)


if __name__ == "__main__":
    main()
