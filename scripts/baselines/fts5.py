#!/usr/bin/env python3
"""Baseline (c): SQLite FTS5, tokenizer `unicode61 remove_diacritics 2`, ranked by bm25().

    fts5.py DOCS.jsonl QUERIES.tsv DBDIR RUNDIR

Builds two FTS5 tables over title and body (bm25 with its default weights, 1 per column):
  - as-is: the text as written (FTS5 strips the diacritics but leaves đ/Đ alone);
  - dfold: the same after an application-side đ→d, Đ→D on documents and queries.
and writes TREC run files (top 100) to RUNDIR:
  fts5-or.run, fts5-or-dfold.run   query = the query's tokens joined with OR (the main baseline)
  fts5-and.run, fts5-and-dfold.run the same tokens with FTS5's default implicit AND
Tokens are the query's runs of word characters, as unicode61 splits them, each quoted as an FTS5
string, so no query text is read as FTS5 syntax.
"""
import json
import os
import re
import sqlite3
import sys
import time

WORD = re.compile(r"[^\W_]+")


def dfold(s):
    return s.replace("đ", "d").replace("Đ", "D")


def build(path, docs, fold):
    if os.path.exists(path):
        os.remove(path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    f = dfold if fold else (lambda s: s)
    with open(docs, encoding="utf-8") as src:
        rows = (json.loads(line) for line in src)
        db.executemany(
            "INSERT INTO docs(id, title, body) VALUES (?, ?, ?)",
            ((d["id"], f(d["title"]), f(d["body"])) for d in rows),
        )
    db.commit()
    return db


def search(db, match):
    if not match:
        return []
    return db.execute(
        "SELECT id, bm25(docs) FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 100", (match,)
    ).fetchall()


def main():
    docs, queries_path, work, runs = sys.argv[1:5]
    with open(queries_path, encoding="utf-8") as f:
        queries = [line.rstrip("\n").split("\t") for line in f.read().splitlines()[1:] if line.strip()]
    for fold in (False, True):
        suffix = "-dfold" if fold else ""
        t = time.time()
        db = build(os.path.join(work, f"fts5{suffix}.db"), docs, fold)
        print(f"fts5{suffix}: indexed in {time.time() - t:.0f}s", file=sys.stderr)
        for op in ("OR", "AND"):
            empty = 0
            with open(os.path.join(runs, f"fts5-{op.lower()}{suffix}.run"), "w") as out:
                for qid, _need, _class, text in queries:
                    tokens = WORD.findall(dfold(text) if fold else text)
                    match = f" {op} ".join('"' + t.replace('"', '""') + '"' for t in tokens)
                    hits = search(db, match)
                    empty += not hits
                    for rank, (doc, score) in enumerate(hits, 1):
                        out.write(f"{qid} Q0 {doc} {rank} {-score:.6f} fts5-{op.lower()}{suffix}\n")
            print(f"fts5-{op.lower()}{suffix}: {empty} of {len(queries)} queries found nothing", file=sys.stderr)
        db.close()
        os.remove(os.path.join(work, f"fts5{suffix}.db"))


if __name__ == "__main__":
    main()
