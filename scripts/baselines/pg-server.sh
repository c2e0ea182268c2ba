# Sourced: a throwaway PostgreSQL server on 127.0.0.1 for the baselines (scripts/baselines/postgres.sh
# and scripts/bench). Installs PostgreSQL from Debian when it is missing (as root), starts it on a free
# port with a temp data dir and trust auth for loopback only, and stops and deletes it on exit.
# After `pg_start`: BIN, PGDATA, PORT, and PSQL (an array: psql as postgres on that server).
pg_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
pg_install() {
  if [ -z "$(pg_bindir)" ] || [ ! -x "$(pg_bindir)/postgres" ] ||
     ! ls /usr/share/postgresql/*/extension/unaccent.control >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ]; then
      echo "postgres: PostgreSQL is not installed; run as root or: sudo apt-get install -y postgresql" >&2
      return 1
    fi
    echo "postgres: installing PostgreSQL from Debian (apt-get install -y postgresql)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  BIN=$(pg_bindir)
  echo "postgres: $("$BIN/postgres" --version)" >&2
}
pg_cleanup() {
  "${AS[@]}" "$BIN/pg_ctl" -D "$PGDATA/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGDATA"
}
pg_start() {
  pg_install || return 1
  PGDATA=$(mktemp -d /tmp/hoptac-pg.XXXXXX)
  AS=()
  if [ "$(id -u)" = 0 ]; then
    # initdb refuses to run as root: the server runs as the postgres user Debian's package created.
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$PGDATA" postgres
    chown postgres "$PGDATA"
    AS=(runuser -u postgres --)
  fi
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  trap pg_cleanup EXIT
  "${AS[@]}" "$BIN/initdb" -D "$PGDATA/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  "${AS[@]}" "$BIN/pg_ctl" -D "$PGDATA/data" -l "$PGDATA/server.log" -w -t 60 start -o \
    "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$PGDATA -c fsync=off \
     -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=1GB -c work_mem=256MB \
     -c maintenance_work_mem=1GB -c max_wal_size=4GB" >/dev/null
  PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d postgres)
}
# pg_load CSV: the vi_unaccent configuration (simple + unaccent, as the unaccent documentation shows it),
# the docs table with its stored tsvector (title weight A, body weight D), the rows of CSV (id, title,
# body), the GIN index, and or_tsquery(text): the OR of a text's unaccented lexemes.
pg_load() {
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
\copy docs (id, title, body) FROM '$1' WITH (FORMAT csv, FORCE_NOT_NULL (title, body))
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
}
