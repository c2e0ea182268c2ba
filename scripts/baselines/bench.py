#!/usr/bin/env python3
"""Helpers of scripts/bench: the query mix, the scale series, and the peers driven from Python.

    bench.py queries EVAL_QUERIES.tsv DOCS.jsonl COUNTRIES OUT.tsv   the query mix
    bench.py scale-docs DOCS.jsonl N OUT.jsonl                       N copies under new ids (id#k)
    bench.py scale-dir CORPUS N OUTDIR                               N hard-linked copies (copyK/...)
    bench.py fts5-index DOCS.jsonl DB                                SQLite FTS5, app-side đ→d
    bench.py fts5-query DB QUERIES.tsv OUT.json
    bench.py pg-csv DOCS.jsonl OUT.csv                               rows for COPY
    bench.py pg-query PORT/DB QUERIES.tsv OUT.json                   PostgreSQL over psycopg2
    bench.py xapian-index DOCS.jsonl DB                              Xapian (Debian python3-xapian)
    bench.py xapian-query DB QUERIES.tsv OUT.json
    bench.py wrk-lua QUERIES.tsv OUT.lua                             request paths for wrk
    bench.py report RESULTS BENCHMARKS.md DATE MACHINE CMD SECONDS RUNS COMMIT   the tables

The query mix (columns `qid need class query country`, the columns of ../shared/eval/queries.tsv plus a
country filter): every query of the eval set (class `eval`), and from document titles, with a fixed
seed, 200 single words (`word`), 200 pairs of adjacent words (`two`), 200 quoted three-word phrases
(`phrase`), and 200 filtered versions (`filtered`: an eval or two-word query with a country filter, for
hoptac only; the peers have no facet fields). Latency: every query once to warm up, then ROUNDS timed
passes in one thread, top 10; per class p50/p95/p99/max in ms, and the time from process start to
the first answer.
"""
import json
import os
import random
import re
import sys
import time
import unicodedata

START = time.perf_counter()
WORD = re.compile(r"[^\W_]+")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def read_queries(path, with_filters=False):
    out = []
    for line in open(path, encoding="utf-8").read().splitlines()[1:]:
        c = line.split("\t")
        if len(c) < 4:
            continue
        country = c[4] if len(c) > 4 else ""
        if country and not with_filters:
            continue
        out.append((c[0], c[2], c[3], country))
    return out


def pct(v, p):
    i = max(1, min(len(v), -(-p * len(v) // 100)))
    return v[int(i) - 1]


def measure(queries, run, out):
    first = None
    hits = 0
    for q in queries:
        hits += run(q)
        if first is None:
            first = (time.perf_counter() - START) * 1e3
    by = {}
    for _ in range(ROUNDS):
        for q in queries:
            t = time.perf_counter()
            run(q)
            ms = (time.perf_counter() - t) * 1e3
            by.setdefault(q[1], []).append(ms)
            by.setdefault("all", []).append(ms)
    classes = {}
    for k, v in by.items():
        v.sort()
        classes[k] = {"n": len(v), "p50": pct(v, 50), "p95": pct(v, 95), "p99": pct(v, 99), "max": v[-1]}
    json.dump({"first_answer_ms": first, "queries": len(queries), "rounds": ROUNDS, "hits_first_pass": hits,
               "classes": classes}, open(out, "w"), indent=1)


def dfold(s):
    return s.replace("đ", "d").replace("Đ", "D")


def fold(s):
    """Application-side folding for Xapian: NFD, marks removed, đ→d, lower case."""
    s = unicodedata.normalize("NFD", dfold(s))
    return "".join(ch for ch in s if not unicodedata.combining(ch)).lower()


# --- query mix ------------------------------------------------------------------------------------
def queries(eval_path, docs, countries, out):
    rng = random.Random(7)
    evalq = [line.split("\t") for line in open(eval_path, encoding="utf-8").read().splitlines()[1:] if line]
    titles = []
    for line in open(docs, encoding="utf-8"):
        words = [w.lower() for w in WORD.findall(json.loads(line)["title"]) if not w.isdigit()]
        if len(words) >= 3:
            titles.append(words)
    rows = [(q[0], q[1], "eval", q[3], "") for q in evalq]
    for i in range(200):
        t = rng.choice(titles)
        rows.append((f"w{i}", "-", "word", rng.choice(t), ""))
    for i in range(200):
        t = rng.choice(titles)
        j = rng.randrange(len(t) - 1)
        rows.append((f"t{i}", "-", "two", " ".join(t[j:j + 2]), ""))
    for i in range(200):
        t = rng.choice(titles)
        j = rng.randrange(len(t) - 2)
        rows.append((f"p{i}", "-", "phrase", '"' + " ".join(t[j:j + 3]) + '"', ""))
    cs = countries.split(",")
    base = [r for r in rows if r[2] in ("eval", "two")]
    for i in range(200):
        r = rng.choice(base)
        rows.append((f"f{i}", "-", "filtered", r[3], cs[i % len(cs)]))
    with open(out, "w", encoding="utf-8") as f:
        f.write("id\tneed\tclass\tquery\tcountry\n")
        for r in rows:
            f.write("\t".join(r) + "\n")


# --- scale series ---------------------------------------------------------------------------------
def scale_docs(docs, n, out):
    with open(out, "w", encoding="utf-8") as f:
        for k in range(int(n)):
            for line in open(docs, encoding="utf-8"):
                if k:
                    d = json.loads(line)
                    d["id"] = f'{d["id"]}#{k}'
                    line = json.dumps(d, ensure_ascii=False) + "\n"
                f.write(line)


def scale_dir(corpus, n, out):
    """copy0 … copyN-1, each the whole corpus, hard-linked (the text is read again, no disk is used)."""
    for k in range(int(n)):
        for root, _dirs, files in os.walk(corpus):
            rel = os.path.relpath(root, corpus)
            dst = os.path.join(out, f"copy{k}", rel)
            os.makedirs(dst, exist_ok=True)
            for name in files:
                s, d = os.path.join(root, name), os.path.join(dst, name)
                if not os.path.exists(d):
                    try:
                        os.link(s, d)
                    except OSError:
                        import shutil
                        shutil.copyfile(s, d)


# --- SQLite FTS5 ------------------------------------------------------------------------------------
def fts5_index(docs, db):
    import sqlite3
    if os.path.exists(db):
        os.remove(db)
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, "
                "tokenize = 'unicode61 remove_diacritics 2')")
    rows = (json.loads(line) for line in open(docs, encoding="utf-8"))
    con.executemany("INSERT INTO docs(id, title, body) VALUES (?, ?, ?)",
                    ((d["id"], dfold(d["title"]), dfold(d["body"])) for d in rows))
    con.commit()
    con.close()


def fts5_query(db, qpath, out):
    import sqlite3
    con = sqlite3.connect(db)

    def run(q):
        tokens = WORD.findall(dfold(q[2]))
        if not tokens:
            return 0
        quoted = ['"' + t.replace('"', '""') + '"' for t in tokens]
        match = '"' + " ".join(tokens) + '"' if q[1] == "phrase" else " OR ".join(quoted)
        return len(con.execute("SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 10",
                               (match,)).fetchall())
    measure(read_queries(qpath), run, out)


# --- PostgreSQL -------------------------------------------------------------------------------------
def pg_csv(docs, out):
    import csv
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        for line in open(docs, encoding="utf-8"):
            d = json.loads(line)
            w.writerow([d["id"], d["title"], d["body"]])


def pg_query(port_db, qpath, out):
    import psycopg2
    port, db = port_db.split("/")
    con = psycopg2.connect(host="127.0.0.1", port=int(port), user="postgres", dbname=db)
    cur = con.cursor()

    def run(q):
        if q[1] == "phrase":
            tsq = "phraseto_tsquery('vi_unaccent', %s)"
        else:
            tsq = "or_tsquery(%s)"
        cur.execute(f"SELECT id FROM docs, {tsq} AS q WHERE q IS NOT NULL AND tsv @@ q "
                    "ORDER BY ts_rank_cd(tsv, q) DESC, id LIMIT 10", (q[2].replace('"', ""),))
        return len(cur.fetchall())
    measure(read_queries(qpath), run, out)


# --- Xapian -----------------------------------------------------------------------------------------
def xapian_index(docs, db):
    import shutil
    import xapian
    shutil.rmtree(db, ignore_errors=True)
    w = xapian.WritableDatabase(db, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    for line in open(docs, encoding="utf-8"):
        d = json.loads(line)
        doc = xapian.Document()
        tg.set_document(doc)
        tg.index_text(fold(d["title"]), 2)
        tg.increase_termpos()
        tg.index_text(fold(d["body"]))
        doc.set_data(d["id"])
        doc.add_boolean_term("Q" + d["id"])
        w.replace_document("Q" + d["id"], doc)
    w.commit()
    w.close()


def xapian_query(db, qpath, out):
    import xapian
    d = xapian.Database(db)
    qp = xapian.QueryParser()
    qp.set_database(d)
    qp.set_default_op(xapian.Query.OP_OR)
    enq = xapian.Enquire(d)

    def run(q):
        enq.set_query(qp.parse_query(fold(q[2]), xapian.QueryParser.FLAG_PHRASE | xapian.QueryParser.FLAG_DEFAULT))
        return enq.get_mset(0, 10).size()
    measure(read_queries(qpath), run, out)


# --- wrk --------------------------------------------------------------------------------------------
def wrk_lua(qpath, out):
    from urllib.parse import urlencode
    paths = []
    for _qid, _cls, text, country in read_queries(qpath, with_filters=True):
        params = [("q", text)] + ([("country", country)] if country else [])
        paths.append("/api/search?" + urlencode(params))
    with open(out, "w") as f:
        f.write("-- the query mix, cycled; written by scripts/baselines/bench.py\npaths = {\n")
        for p in paths:
            f.write(f"  {json.dumps(p)},\n")
        f.write("}\ni = 0\nrequest = function()\n  i = i % #paths + 1\n"
                "  return wrk.format(\"GET\", paths[i])\nend\n")


# --- BENCHMARKS.md ------------------------------------------------------------------------------------
ENGINES = [("hoptac", "**hoptac**"), ("tantivy", "tantivy, default tokenizer"), ("fts5", "SQLite FTS5"),
           ("postgres", "PostgreSQL"), ("xapian", "Xapian"), ("lucene", "Lucene (Anserini)")]
CLASSES = ["all", "eval", "word", "two", "phrase", "filtered"]


def median(v):
    v = sorted(v)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def wrk_parse(path):
    text = open(path).read()
    unit = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}

    def ms(v):
        m = re.match(r"([\d.]+)(us|ms|s|m)", v)
        return float(m.group(1)) * unit[m.group(2)] if m else None
    out = {"rps": None, "p50": None, "p99": None, "errors": 0, "requests": None}
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("Requests/sec:"):
            out["rps"] = float(line.split()[1])
        elif re.match(r"^(50|99)%", line):
            out["p" + line.split("%")[0]] = ms(line.split()[1])
        elif line.startswith("Non-2xx"):
            out["errors"] += int(line.split()[-1])
        elif line.startswith("Socket errors"):
            out["errors"] += sum(int(x) for x in re.findall(r"\d+", line))
        elif "requests in" in line:
            out["requests"] = int(line.split()[0])
    return out


def memory_limited(res, idx):
    """hoptac's runs in a memory cgroup (scripts/baselines/memory-limit.sh), per scale: the limit,
    wall time and peak RSS (None when it did not finish), the ratio to the run without a limit and the
    cgroup's counters as the script printed them."""
    out = {}
    for s in (10, 30):
        lim = os.path.join(res, f"hoptac-x{s}-limited.limit")
        if not os.path.exists(lim):
            continue
        runs = os.path.join(res, f"hoptac-x{s}-limited.runs")
        log = os.path.join(res, f"hoptac-x{s}-limited.log")
        lines = [line for line in open(log, errors="replace")
                 if line.startswith("memory-limit:")] if os.path.exists(log) else []
        peak = re.search(r"peak (\d+) MB", lines[-1]) if lines else None
        killed = re.search(r"(\d+) processes killed|oom_kill (\d+)", lines[-1]) if lines else None
        counters = "; ".join(
            ([f"the cgroup's peak {int(peak.group(1)):,} MB"] if peak else []) +
            ([f"{next(g for g in killed.groups() if g)} processes killed for memory"] if killed else [])
        ) or "no counters recorded"
        m = {"limit": int(open(lim).read().strip()), "wall": None, "rss": None, "ratio": None,
             "counters": counters}
        if os.path.exists(runs):
            wall, rss = map(float, open(runs).read().split()[:2])
            m.update(wall=wall, rss=rss / 1024)
            if ("hoptac", s) in idx:
                m["ratio"] = wall / idx[("hoptac", s)]["wall"]
        out[s] = m
    return out


def times(m, what):
    """` (1.01× what)` for a limited run with an unlimited one beside it, else nothing."""
    return "" if m["ratio"] is None else f" ({m['ratio']:.2f}× {what})"


def report(res, md_path, date, machine, cmd, seconds, runs, commit):
    wl = json.load(open(os.path.join(res, "workload.json")))
    raw_mb = wl["raw_bytes"] / 1e6
    L = []
    L.append(f"Run: {date} on {machine}, commit {commit}: `{cmd}` took {int(seconds) / 60:.1f} min "
             f"({runs} run(s) per indexing figure). Load average at start / end: "
             f"`{open(os.path.join(res, 'load-start.txt')).read().strip().split('load average:')[-1].strip()}` / "
             f"`{open(os.path.join(res, 'load-end.txt')).read().strip().split('load average:')[-1].strip()}`.")
    L.append("")
    L.append(f"Workload ×1: {wl['docs']:,} documents, {raw_mb:.0f} MB of raw text (the corpus folder).")
    L.append("")
    L.append("### Indexing")
    L.append("")
    L.append("| engine | scale | wall time s, median (min–max) | docs/s | MB/s | peak RSS MB | index MB | index / raw text |")
    L.append("|---|---|---|---|---|---|---|---|")
    idx = {}
    for key, name in ENGINES:
        for s in (1, 3, 10):
            f = os.path.join(res, f"{key}-x{s}.runs")
            if not os.path.exists(f):
                continue
            rows = [tuple(map(float, line.split())) for line in open(f) if line.strip()]
            walls = [r[0] for r in rows]
            rss = median([r[1] for r in rows]) / 1024
            w = median(walls)
            size_f = os.path.join(res, f"{key}-x{s}.size")
            size = int(open(size_f).read().strip()) / 1e6 if os.path.exists(size_f) else None
            idx[(key, s)] = {"wall": w, "size": size, "rss": rss}
            rss_s = f"{rss:.0f}" + (" (psql; the server's not counted)" if key == "postgres" else "")
            L.append(f"| {name} | ×{s} | {w:.1f} ({min(walls):.1f}–{max(walls):.1f}) | "
                     f"{wl['docs'] * s / w:,.0f} | {raw_mb * s / w:.2f} | {rss_s} | "
                     f"{'' if size is None else f'{size:.0f}'} | "
                     f"{'' if size is None else f'{size / (raw_mb * s):.2f}×'} |")
    L.append("")
    limited = memory_limited(res, idx)
    for s in sorted(limited):
        m = limited[s]
        if m["wall"] is None:
            L.append(f"hoptac at ×{s} in a memory cgroup of {m['limit']:,} MB (the page cache counted, swap "
                     f"off, as on a machine of that size): **did not finish** ({m['counters']}).")
        else:
            L.append(f"hoptac at ×{s} in a memory cgroup of {m['limit']:,} MB (the page cache counted, swap off, "
                     f"as on a machine of that size): {m['wall']:.1f} s{times(m, 'its time above')}, "
                     f"peak RSS {m['rss']:,.0f} MB; {m['counters']}. The peak RSS above counts the index "
                     f"files mapped while segments merge, which the kernel lends when it has the room.")
        L.append("")
    lat = {}
    for key, _ in ENGINES:
        for s in (1, 3, 10):
            f = os.path.join(res, f"{key}-x{s}.latency.json")
            if os.path.exists(f):
                lat[(key, s)] = json.load(open(f))
    for s in (1, 3, 10):
        rows = [(k, n) for k, n in ENGINES if (k, s) in lat]
        if not rows:
            continue
        L.append(f"### Query latency in-process at ×{s}, ms: p50 / p95 / p99 (single thread, warm, top 10)")
        L.append("")
        L.append("| engine | " + " | ".join(CLASSES) + " | first answer after start |")
        L.append("|---|" + "---|" * (len(CLASSES) + 1))
        for key, name in rows:
            c = lat[(key, s)]["classes"]
            cells = [f"{c[k]['p50']:.2f} / {c[k]['p95']:.2f} / {c[k]['p99']:.2f}" if k in c else "–" for k in CLASSES]
            L.append(f"| {name} | " + " | ".join(cells) + f" | {lat[(key, s)]['first_answer_ms']:.0f} ms |")
        L.append("")
    http, rss, http_cache, rss_cache = {}, None, {}, None
    for sfx, title in (("", "cache of repeated searches off (`--cache-entries 0`): every request searched"),
                       ("-cache", "as served by default, with the cache of repeated searches")):
        if not any(os.path.exists(os.path.join(res, f"wrk{sfx}-c{c}.txt")) for c in (1, 8, 64)):
            continue
        L.append(f"### HTTP at ×1 (hoptac serve, wrk over the whole query mix), {title}")
        L.append("")
        L.append("| connections | requests/s | p50 ms | p99 ms | requests | errors |")
        L.append("|---|---|---|---|---|---|")
        h = {}
        for c in (1, 8, 64):
            f = os.path.join(res, f"wrk{sfx}-c{c}.txt")
            if os.path.exists(f):
                w = h[c] = wrk_parse(f)
                L.append(f"| {c} | {w['rps'] or 0:,.0f} | {w['p50'] or 0:.2f} | {w['p99'] or 0:.2f} | "
                         f"{w['requests'] or 0:,} | {w['errors']} |")
        L.append("")
        try:
            r = json.loads(open(os.path.join(res, f"http{sfx}-rss.json")).read())
            L.append(f"Server RSS: {r['rest_kb'] / 1024:.0f} MB at rest (after one query), "
                     f"{r.get('after_c64_kb', 0) / 1024:.0f} MB after the 64-connection run, "
                     f"peak (VmHWM) {r['peak_kb'] / 1024:.0f} MB.")
        except (OSError, ValueError, KeyError):
            r = None
            L.append("Server RSS: not recorded.")
        L.append("")
        if sfx:
            http_cache, rss_cache = h, r
        else:
            http, rss = h, r
    # growth
    g = [(k, n) for k, n in ENGINES if (k, 1) in idx and any((k, s) in idx for s in (3, 10))]
    if g:
        L.append("### Growth from ×1")
        L.append("")
        L.append("| engine | scale | indexing time | index size | p99 (all classes) |")
        L.append("|---|---|---|---|---|")
        for k, n in g:
            for s in (3, 10):
                if (k, s) not in idx:
                    continue
                p99 = (f"{lat[(k, s)]['classes']['all']['p99'] / lat[(k, 1)]['classes']['all']['p99']:.2f}×"
                       if (k, s) in lat and (k, 1) in lat else "–")
                size = (f"{idx[(k, s)]['size'] / idx[(k, 1)]['size']:.2f}×"
                        if idx[(k, s)]['size'] and idx[(k, 1)]['size'] else "–")
                L.append(f"| {n} | ×{s} | {idx[(k, s)]['wall'] / idx[(k, 1)]['wall']:.2f}× | {size} | {p99} |")
        L.append("")
    # targets
    L.append("### Targets (ratios from this run)")
    L.append("")
    L.append("| target | measured | met |")
    L.append("|---|---|---|")

    def row(t, m, ok):
        L.append(f"| {t} | {m} | {'yes' if ok else '**no**'} |")
    for sc in (1, 3, 10):
        h = idx.get(("hoptac", sc))
        if not h:
            continue
        for k in ("fts5", "postgres"):
            if (k, sc) in idx:
                r = idx[(k, sc)]["wall"] / h["wall"]
                row(f"indexing ≥ 1× the docs/s of {dict(ENGINES)[k]} at ×{sc}", f"{r:.2f}×", r >= 1)
        if ("tantivy", sc) in idx:
            r = h["wall"] / idx[("tantivy", sc)]["wall"]
            row(f"indexing time ≤ 3× plain tantivy's at ×{sc}", f"{r:.2f}×", r <= 3)
        if sc == 1 and h["size"]:
            r = h["size"] / raw_mb
            row("index ≤ 1.5× the raw text", f"{r:.2f}×", r <= 1.5)
        if sc == 10:
            row("peak indexing RSS ≤ 1 GB at ×10", f"{h['rss']:,.0f} MB", h["rss"] <= 1024)
        m = limited.get(sc)
        if m and m["limit"] <= 1024:
            row(f"indexing at ×{sc} in a {m['limit']:,} MB memory cgroup (page cache counted)",
                "did not finish" if m["wall"] is None else
                f"finished: {m['wall']:.1f} s{times(m, 'the time without')}, peak RSS {m['rss']:,.0f} MB",
                m["wall"] is not None)
    def worst_p99(sc, limit_ms):
        c = lat[("hoptac", sc)]["classes"]
        worst = max((v["p99"], k) for k, v in c.items() if k != "all")
        row(f"p99 ≤ {limit_ms} ms in-process at ×{sc}, every class", f"worst {worst[0]:.1f} ms ({worst[1]})",
            worst[0] <= limit_ms)
        return c
    if ("hoptac", 1) in lat:
        c = worst_p99(1, 10)
        for k, n in ENGINES[1:]:
            if (k, 1) in lat:
                pc = lat[(k, 1)]["classes"]
                common = [x for x in pc if x in c and x != "all"]
                bad = [x for x in common if c[x]["p99"] >= pc[x]["p99"]]
                row(f"p99 below {n}'s, per class", "higher in " + ", ".join(
                    f"{x} ({c[x]['p99']:.1f} vs {pc[x]['p99']:.1f} ms)" for x in bad) if bad else "below in every class",
                    not bad)
    if ("hoptac", 10) in lat:
        worst_p99(10, 20)
    for h, r, how in ((http, rss, "every request searched"), (http_cache, rss_cache, "with the cache")):
        if 8 in h:
            row(f"HTTP ≥ 2,000 q/s at 8 connections, {how}", f"{h[8]['rps'] or 0:,.0f} q/s", (h[8]["rps"] or 0) >= 2000)
        if 64 in h:
            row(f"HTTP p99 ≤ 25 ms at 64 connections, {how}", f"{h[64]['p99'] or 0:.1f} ms", (h[64]["p99"] or 1e9) <= 25)
        if r:
            row(f"server RSS ≤ 300 MB under load at ×1, {how}", f"{r['peak_kb'] / 1024:.0f} MB peak", r["peak_kb"] / 1024 <= 300)
    L.append("")
    body = "\n".join(L)
    md = open(md_path, encoding="utf-8").read() if os.path.exists(md_path) else \
        "# Benchmarks\n\n<!-- bench:begin -->\n<!-- bench:end -->\n"
    a, b = md.index("<!-- bench:begin -->"), md.index("<!-- bench:end -->")
    md = md[:a] + "<!-- bench:begin -->\n\n" + body + "\n" + md[b:]
    open(md_path, "w", encoding="utf-8").write(md)


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"queries": queries, "scale-docs": scale_docs, "scale-dir": scale_dir, "fts5-index": fts5_index,
     "fts5-query": fts5_query, "pg-csv": pg_csv, "pg-query": pg_query, "xapian-index": xapian_index,
     "xapian-query": xapian_query, "wrk-lua": wrk_lua, "report": report}[cmd](*args)
