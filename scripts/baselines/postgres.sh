#!/usr/bin/env bash
# Baseline (d): PostgreSQL full-text search, `simple` configuration with `unaccent`, ranked by ts_rank_cd.
#
#   postgres.sh DOCS.jsonl QUERIES.tsv WORKDIR OUT   (writes OUT-or.run and OUT-and.run)
#
# Installs PostgreSQL from Debian when it is missing, starts a throwaway server on 127.0.0.1 (a free
# port, a temp data dir, trust auth for loopback only), loads the documents, and stops and deletes it
# on exit. Configuration, as PostgreSQL's unaccent documentation shows it:
#   CREATE TEXT SEARCH CONFIGURATION vi_unaccent (COPY = simple);
#   ALTER ... ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
# a stored generated tsvector column (title weight A, body weight D) with a GIN index; top 100 by
# ts_rank_cd with its default weights and normalisation, ties by id. OUT-or.run: each query is the OR
# of its unaccented lexemes (the main baseline); OUT-and.run: websearch_to_tsquery, which ANDs them (what
# PostgreSQL's documentation leads a user to).
set -euo pipefail
DOCS=$1 QUERIES=$2 WORK=$3 OUT=$4

# The server: install if missing, start on a free loopback port, stop and delete on exit.
. "$(dirname "$0")/pg-server.sh"
pg_start

# Documents and queries as CSV for \copy (python's csv quotes newlines and quotes as COPY expects).
python3 - "$DOCS" "$QUERIES" "$WORK" <<'PY'
import csv, json, sys
docs, queries, work = sys.argv[1:4]
with open(f"{work}/pg-docs.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    for line in open(docs, encoding="utf-8"):
        d = json.loads(line)
        w.writerow([d["id"], d["title"], d["body"]])
with open(f"{work}/pg-queries.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    for line in open(queries, encoding="utf-8").read().splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) >= 4:
            w.writerow([cols[0], cols[3]])
PY

start=$(date +%s)
pg_load "$WORK/pg-docs.csv"
echo "postgres: loaded and indexed $("${PSQL[@]}" -At -c 'SELECT count(*) FROM docs') documents in $(($(date +%s) - start))s" >&2

for mode in or and; do
  start=$(date +%s)
  if [ "$mode" = or ]; then tsquery="or_tsquery(text)"; else tsquery="websearch_to_tsquery('vi_unaccent', text)"; fi
  "${PSQL[@]}" -At -F ' ' -o "$OUT-$mode.run" <<SQL
CREATE TEMP TABLE queries (qid text, text text);
\copy queries FROM '$WORK/pg-queries.csv' WITH (FORMAT csv)
CREATE TEMP TABLE q AS SELECT qid, $tsquery AS query FROM queries;
SELECT q.qid, 'Q0', r.id, row_number() OVER (PARTITION BY q.qid ORDER BY r.score DESC, r.id), r.score,
       'postgres-$mode'
FROM q CROSS JOIN LATERAL (
  SELECT d.id, ts_rank_cd(d.tsv, q.query) AS score
  FROM docs d
  WHERE q.query IS NOT NULL AND d.tsv @@ q.query
  ORDER BY score DESC, d.id
  LIMIT 100
) r
ORDER BY q.qid, 4;
SQL
  echo "postgres-$mode: $(cut -d' ' -f1 "$OUT-$mode.run" | sort -u | wc -l) queries with hits, in $(($(date +%s) - start))s" >&2
done
rm -f "$WORK/pg-docs.csv" "$WORK/pg-queries.csv"
