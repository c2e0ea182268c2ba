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

pg_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(pg_bindir)" ] || [ ! -x "$(pg_bindir)/postgres" ] ||
   ! ls /usr/share/postgresql/*/extension/unaccent.control >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "postgres: PostgreSQL is not installed; run as root or: sudo apt-get install -y postgresql" >&2
    exit 1
  fi
  echo "postgres: installing PostgreSQL from Debian (apt-get install -y postgresql)" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
BIN=$(pg_bindir)
echo "postgres: $("$BIN/postgres" --version)" >&2

PGDATA=$(mktemp -d /tmp/hoptac-pg.XXXXXX)
AS=()
if [ "$(id -u)" = 0 ]; then
  # initdb refuses to run as root: the server runs as the postgres user Debian's package created.
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$PGDATA" postgres
  chown postgres "$PGDATA"
  AS=(runuser -u postgres --)
fi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
  "${AS[@]}" "$BIN/pg_ctl" -D "$PGDATA/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGDATA"
}
trap cleanup EXIT
"${AS[@]}" "$BIN/initdb" -D "$PGDATA/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
"${AS[@]}" "$BIN/pg_ctl" -D "$PGDATA/data" -l "$PGDATA/server.log" -w -t 60 start -o \
  "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$PGDATA -c fsync=off \
   -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=1GB -c work_mem=256MB \
   -c maintenance_work_mem=1GB -c max_wal_size=4GB" >/dev/null
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d postgres)

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
"${PSQL[@]}" <<SQL
CREATE EXTENSION unaccent;
CREATE TEXT SEARCH CONFIGURATION vi_unaccent (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION vi_unaccent ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
CREATE TABLE docs (
  id text PRIMARY KEY,
  title text NOT NULL,
  body text NOT NULL,
  tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('vi_unaccent', title), 'A') || setweight(to_tsvector('vi_unaccent', body), 'D')
  ) STORED
);
\copy docs (id, title, body) FROM '$WORK/pg-docs.csv' WITH (FORMAT csv, FORCE_NOT_NULL (title, body))
CREATE INDEX docs_tsv ON docs USING gin (tsv);
ANALYZE docs;
SQL
"${PSQL[@]}" <<'SQL'
-- The OR of a query's unaccented lexemes, each quoted as a tsquery operand.
CREATE FUNCTION or_tsquery(query text) RETURNS tsquery LANGUAGE sql STABLE AS $$
  SELECT string_agg('''' || replace(replace(l, '\', '\\'), '''', '''''') || '''', ' | ')::tsquery
  FROM unnest(tsvector_to_array(to_tsvector('vi_unaccent', query))) AS l
$$;
SQL
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
