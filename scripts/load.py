#!/usr/bin/env python3
"""The driver of scripts/load: request mixes, the two load phases, RSS sampling and the report.

    load.py paths QUERIES.tsv OUTDIR
        OUTDIR/search.txt: every query of the eval set, alone, with a country filter, and with a
        country filter and a year range (the facet-filtered versions); OUTDIR/reads.txt: the same
        plus suggestions (query prefixes) and the whole-index facet counts.
    load.py run --base URL --pid PID --token T --paths OUTDIR --out OUTDIR [--seconds 60]
                [--connections 50] [--mixed-seconds 600] [--mixed-connections 16] [--writers 2]
        (a) wrk, --connections for --seconds over search.txt; (b) wrk, --mixed-connections for
        --mixed-seconds over reads.txt while --writers threads POST new documents (unique ids), read
        each back, and DELETE about half of them. The server's RSS is sampled every 5 s from
        /proc/PID/status into OUTDIR/rss.csv. At the end the document count must equal
        initial + posted - deleted. Prints the report; exits 1 on any error answer or count mismatch.

Only the Python standard library; talks to the given loopback URL only.
"""
import argparse
import csv
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
COUNTRIES = ["Hàn Quốc", "Nhật Bản", "Hoa Kỳ", "Trung Quốc", "Pháp", "Lào"]
WORDS = ("hợp tác phát triển kinh tế thương mại đầu tư giáo dục y tế an ninh quốc phòng văn hóa "
         "khoa học công nghệ môi trường năng lượng nông nghiệp du lịch ngoại giao hội nghị ký kết "
         "biên bản ghi nhớ chương trình dự án hỗ trợ đào tạo chuyển đổi số").split()


# --- request mixes ------------------------------------------------------------------------------
def paths(queries_tsv, outdir):
    queries = []
    for line in open(queries_tsv, encoding="utf-8").read().splitlines()[1:]:
        c = line.split("\t")
        if len(c) >= 4 and c[3].strip():
            queries.append(c[3].strip())
    search = []
    for n, q in enumerate(queries):
        country = COUNTRIES[n % len(COUNTRIES)]
        search.append([("q", q)])
        search.append([("q", q), ("country", country)])
        search.append([("q", q), ("country", country), ("year_from", "2010"), ("year_to", "2020")])
    search = ["/api/search?" + urllib.parse.urlencode(p) for p in search]
    reads = list(search)
    for q in queries:
        prefix = q[: max(3, len(q) * 2 // 3)]
        reads.append("/api/suggest?" + urllib.parse.urlencode([("q", prefix)]))
    reads += ["/api/facets"] * max(1, len(queries) // 10)
    os.makedirs(outdir, exist_ok=True)
    for name, lines in (("search.txt", search), ("reads.txt", reads)):
        with open(os.path.join(outdir, name), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    print(f"{len(queries)} queries: {len(search)} search paths, {len(reads)} read paths")


# --- the server ---------------------------------------------------------------------------------
class Client:
    """One keep-alive connection; every call returns (status, body bytes)."""

    def __init__(self, base, token=None):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port
        self.token = token
        self.conn = None

    def call(self, method, path, body=None):
        headers = {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if body is not None:
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                r = self.conn.getresponse()
                return r.status, r.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle kept-alive connection: one retry on a fresh one is
                # what any client does (only when nothing was answered).
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise

    def count(self):
        status, body = self.call("GET", "/api/health")
        if status != 200:
            raise RuntimeError(f"/api/health answered {status}: {body[:200]!r}")
        return json.loads(body)["documents"]


def rss_kb(pid):
    """VmRSS, VmHWM, and RSS split into anonymous memory (the heap: what a leak would grow) and
    file-backed pages (the index's mmapped files, which the kernel can drop)."""
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:", "RssAnon:", "RssFile:")):
                out[line.split(":")[0]] = int(line.split()[1])
    return tuple(out.get(k, 0) for k in ("VmRSS", "VmHWM", "RssAnon", "RssFile"))


class Sampler(threading.Thread):
    """RSS every `every` seconds, with the phase and the write counters at that moment."""

    def __init__(self, pid, path, writes, every=5.0):
        super().__init__(daemon=True)
        self.pid, self.every, self.writes = pid, every, writes
        self.phase = "start"
        self.rows = []
        self.stop = threading.Event()
        self.t0 = time.monotonic()
        self.f = open(path, "w", newline="")
        self.w = csv.writer(self.f)
        self.w.writerow(["t_s", "phase", "rss_kb", "hwm_kb", "posted", "deleted", "write_errors",
                         "anon_kb", "file_kb"])

    def sample(self):
        rss, hwm, anon, file = rss_kb(self.pid)
        row = [round(time.monotonic() - self.t0, 1), self.phase, rss, hwm,
               self.writes.posted, self.writes.deleted, len(self.writes.errors), anon, file]
        self.rows.append(row)
        self.w.writerow(row)
        self.f.flush()

    def run(self):
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(self.every)
        self.sample()
        self.f.close()


class Writes:
    """The writers' shared counters."""

    def __init__(self):
        self.lock = threading.Lock()
        self.posted = self.deleted = self.read_back = 0
        self.errors = []
        self.post_ms = []

    def error(self, what):
        with self.lock:
            self.errors.append(f"{time.strftime('%H:%M:%S', time.gmtime())} {what}")


def writer(base, token, n, until, writes, run_id, steady=False):
    """POSTs documents with unique ids, reads each back by id, DELETEs about half of them (a random
    one of its own still present; with `steady`, each one once read back), until the deadline."""
    rng = random.Random(run_id * 1000 + n)
    c = Client(base, token)
    live = []
    i = 0
    while time.monotonic() < until:
        i += 1
        doc_id = f"load-{run_id}-{n}-{i}"
        words = " ".join(rng.choice(WORDS) for _ in range(60))
        doc = {
            "id": doc_id,
            "title": f"Thông cáo {doc_id}: " + " ".join(rng.choice(WORDS) for _ in range(6)),
            "body": f"{words}. Việt Nam và {rng.choice(COUNTRIES)} {words}.",
            "date": f"20{rng.randint(10, 24)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            "country": rng.choice(COUNTRIES),
        }
        t = time.monotonic()
        try:
            status, body = c.call("POST", "/api/documents", json.dumps(doc, ensure_ascii=False).encode())
        except Exception as e:  # noqa: BLE001 - any failure is an error to report
            writes.error(f"POST {doc_id}: {e!r}")
            continue
        if status != 201:
            writes.error(f"POST {doc_id}: {status} {body[:200]!r}")
            continue
        with writes.lock:
            writes.posted += 1
            writes.post_ms.append((time.monotonic() - t) * 1000)
        stored = json.loads(body)["id"]
        live.append(stored)
        status, body = c.call("GET", "/api/documents/" + urllib.parse.quote(stored))
        if status != 200:
            writes.error(f"GET {stored} after its POST: {status} {body[:200]!r}")
        else:
            with writes.lock:
                writes.read_back += 1
        if live and (steady or rng.random() < 0.5):
            victim = live.pop(rng.randrange(len(live)))
            try:
                status, body = c.call("DELETE", "/api/documents/" + urllib.parse.quote(victim))
            except Exception as e:  # noqa: BLE001
                writes.error(f"DELETE {victim}: {e!r}")
                continue
            if status != 204:
                writes.error(f"DELETE {victim}: {status} {body[:200]!r}")
                continue
            with writes.lock:
                writes.deleted += 1


def wrk(base, paths_file, connections, seconds, out_file):
    threads = min(2, connections)
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency",
           "-s", os.path.join(HERE, "load.lua"), base, "--", paths_file]
    with open(out_file, "w") as f:
        p = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, timeout=seconds + 120)
    text = open(out_file).read()
    line = next((l for l in text.splitlines() if l.startswith("LOAD ")), None)
    if p.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed ({p.returncode}):\n{text}")
    r = json.loads(line[5:])
    r["cmd"] = " ".join(cmd)
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    r["socket_errors"] = r["connect"] + r["read"] + r["write"] + r["timeout"]
    return r


def slope_per_min(points):
    """Least-squares slope of (t seconds, value) points, per minute."""
    n = len(points)
    if n < 2:
        return 0.0
    mt = sum(t for t, _ in points) / n
    mv = sum(v for _, v in points) / n
    den = sum((t - mt) ** 2 for t, _ in points)
    return 60 * sum((t - mt) * (v - mv) for t, v in points) / den if den else 0.0


def run(a):
    base = a.base.rstrip("/")
    os.makedirs(a.out, exist_ok=True)
    writes = Writes()
    sampler = Sampler(a.pid, os.path.join(a.out, "rss.csv"), writes)
    sampler.start()
    probe = Client(base)
    failures = []
    report = {"started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}

    # (a) searches only.
    report["documents_at_start"] = probe.count()
    sampler.phase = "search"
    print(f"== (a) {a.connections} connections, {a.seconds} s, the search mix", file=sys.stderr)
    s = wrk(base, os.path.join(a.paths, "search.txt"), a.connections, a.seconds, os.path.join(a.out, "wrk-search.txt"))
    report["search"] = s
    if s["non2xx"] or s["socket_errors"]:
        failures.append(f"search phase: {s['non2xx']} non-2xx answers ({s['seen']}), {s['socket_errors']} socket errors")

    # (b) reads and writes.
    initial = probe.count()
    report["documents_before_writes"] = initial
    sampler.phase = "mixed"
    t_mixed = time.monotonic() - sampler.t0
    print(f"== (b) {a.mixed_connections} read connections + {a.writers} writers, {a.mixed_seconds} s", file=sys.stderr)
    until = time.monotonic() + a.mixed_seconds
    run_id = int(time.time())
    ws = [threading.Thread(target=writer, args=(base, a.token, n, until, writes, run_id, a.steady), daemon=True)
          for n in range(a.writers)]
    for w in ws:
        w.start()
    m = wrk(base, os.path.join(a.paths, "reads.txt"), a.mixed_connections, a.mixed_seconds,
            os.path.join(a.out, "wrk-mixed.txt"))
    for w in ws:
        w.join(timeout=120)
    sampler.phase = "after"
    report["mixed"] = m
    if m["non2xx"] or m["socket_errors"]:
        failures.append(f"mixed phase reads: {m['non2xx']} non-2xx answers ({m['seen']}), {m['socket_errors']} socket errors")
    if writes.errors:
        failures.append(f"mixed phase writes: {len(writes.errors)} errors, first: {writes.errors[:3]}")

    # The count: the watcher may still be reading the last files; wait for it to settle.
    expected = initial + writes.posted - writes.deleted
    final = probe.count()
    deadline = time.monotonic() + 30
    while final != expected and time.monotonic() < deadline:
        time.sleep(1)
        final = probe.count()
    report["writes"] = {"posted": writes.posted, "deleted": writes.deleted, "read_back": writes.read_back,
                        "errors": len(writes.errors), "error_list": writes.errors,
                        "post_ms_p50": sorted(writes.post_ms)[len(writes.post_ms) // 2] if writes.post_ms else None,
                        "post_ms_max": max(writes.post_ms) if writes.post_ms else None}
    report["documents_expected"] = expected
    report["documents_final"] = final
    if final != expected:
        failures.append(f"document count {final}, expected {initial} + {writes.posted} - {writes.deleted} = {expected}")
    sampler.stop.set()
    sampler.join()

    # RSS after warm-up (the first minute of the mixed phase, or a fifth of it if shorter).
    warm = t_mixed + min(60.0, a.mixed_seconds / 5)
    after = [(r[0], r[2]) for r in sampler.rows if r[1] == "mixed" and r[0] >= warm]
    rss = {"samples": len(sampler.rows), "warmup_until_s": round(warm, 1)}
    if after:
        v = [x for _, x in after]
        anon = [(r[0], r[7]) for r in sampler.rows if r[1] == "mixed" and r[0] >= warm]
        rss.update(min_kb=min(v), max_kb=max(v), first_kb=v[0], last_kb=v[-1],
                   slope_kb_per_min=round(slope_per_min(after), 1),
                   anon_first_kb=anon[0][1], anon_last_kb=anon[-1][1],
                   anon_slope_kb_per_min=round(slope_per_min(anon), 1),
                   spread_pct=round((max(v) - min(v)) * 100 / max(min(v), 1), 1),
                   peak_hwm_kb=max(r[3] for r in sampler.rows))
    report["rss"] = rss
    report["failures"] = failures
    with open(os.path.join(a.out, "report.json"), "w") as f:
        json.dump(report, f, ensure_ascii=False, indent=1)
    print_report(report, sampler.rows, t_mixed)
    return 1 if failures else 0


def print_report(r, rows, t_mixed):
    s, m, w, rss = r["search"], r["mixed"], r["writes"], r["rss"]
    ms = lambda us: us / 1000  # noqa: E731
    print(f"(a) search mix: {s['requests']} requests in {s['duration_us'] / 1e6:.1f} s = {s['rps']:.1f} req/s; "
          f"p50 {ms(s['p50_us']):.1f} ms, p90 {ms(s['p90_us']):.1f} ms, p99 {ms(s['p99_us']):.1f} ms, "
          f"max {ms(s['max_us']):.1f} ms; non-2xx {s['non2xx']}, socket errors {s['socket_errors']}")
    print(f"(b) mixed: reads {m['requests']} in {m['duration_us'] / 1e6:.1f} s = {m['rps']:.1f} req/s "
          f"(p50 {ms(m['p50_us']):.1f} ms, p99 {ms(m['p99_us']):.1f} ms; non-2xx {m['non2xx']}, "
          f"socket errors {m['socket_errors']}); writes: {w['posted']} POST (each read back: {w['read_back']}), "
          f"{w['deleted']} DELETE, {w['errors']} errors; POST p50 {w['post_ms_p50'] or 0:.0f} ms, "
          f"max {w['post_ms_max'] or 0:.0f} ms")
    print(f"documents: {r['documents_before_writes']} before the writes + {w['posted']} - {w['deleted']} = "
          f"{r['documents_expected']} expected, {r['documents_final']} counted")
    if "min_kb" in rss:
        mib = lambda kb: kb / 1024  # noqa: E731
        print(f"RSS after warm-up (t >= {rss['warmup_until_s']} s): min {mib(rss['min_kb']):.0f} MiB, "
              f"max {mib(rss['max_kb']):.0f} MiB, first {mib(rss['first_kb']):.0f} → last {mib(rss['last_kb']):.0f} MiB, "
              f"slope {rss['slope_kb_per_min'] / 1024:+.2f} MiB/min; peak (VmHWM) {mib(rss['peak_hwm_kb']):.0f} MiB; "
              f"spread {rss['spread_pct']:.1f} % of the minimum ({'flat' if rss['spread_pct'] <= 10 else 'NOT flat'} "
              f"within 10 %)")
        print(f"  of which anonymous (heap): {mib(rss['anon_first_kb']):.0f} → {mib(rss['anon_last_kb']):.0f} MiB, "
              f"slope {rss['anon_slope_kb_per_min'] / 1024:+.2f} MiB/min")
    print("RSS every 30 s (t s, phase, RSS MiB, anonymous MiB, file-backed MiB, posted, deleted):")
    last = -30.0
    for row in rows:
        if row[0] - last >= 30 or row is rows[-1]:
            last = row[0]
            print(f"  {row[0]:7.1f}  {row[1]:6}  {row[2] / 1024:7.1f}  {row[7] / 1024:7.1f}  {row[8] / 1024:7.1f}"
                  f"  {row[4]:6}  {row[5]:6}")
    for f in r["failures"]:
        print(f"FAIL: {f}")
    if not r["failures"]:
        print("OK: no error answers, the document count is as expected")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("paths")
    p.add_argument("queries")
    p.add_argument("outdir")
    r = sub.add_parser("run")
    r.add_argument("--base", required=True)
    r.add_argument("--pid", type=int, required=True)
    r.add_argument("--token", required=True)
    r.add_argument("--paths", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--seconds", type=int, default=60)
    r.add_argument("--connections", type=int, default=50)
    r.add_argument("--mixed-seconds", type=int, default=600)
    r.add_argument("--mixed-connections", type=int, default=16)
    r.add_argument("--writers", type=int, default=2)
    r.add_argument("--steady", action="store_true")
    a = ap.parse_args()
    if a.cmd == "paths":
        paths(a.queries, a.outdir)
    else:
        sys.exit(run(a))


if __name__ == "__main__":
    main()
