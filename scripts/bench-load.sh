#!/usr/bin/env bash
# Load benchmark of durable visit PUTs: builds the release server (SKIP_BUILD=1 reuses it),
# starts it on a free loopback port with a fresh data directory in a temporary folder, and
# drives it with wrk over many connections (tests/bench/visit-put.lua: the sample visit under
# a fresh id per request, sent in turn by BENCH_DEVICES enrolled phones when the server has
# enrolment, each within the server's default rate limit). After a
# warm-up and the measured run it counts the fsyncs of a short run under strace, kills the
# server with SIGKILL and checks that every 2xx answer is stored, once. Prints numbers; fails
# only when an answer was not 2xx or a 2xx visit is not stored.
# Knobs: BENCH_THREADS (2), BENCH_CONNECTIONS (64), BENCH_DURATION (20s), BENCH_WARMUP (5s),
# BENCH_DEVICES (200), BENCH_FSYNC_CHECK (1; 0 skips it), BENCH_SERVER_LOG (the server's
# TONGXING_LOG, info), BENCH_ENGINE (sqlite; `postgres`: the server's records in a temporary
# PostgreSQL cluster on this machine, fsync and synchronous commits on, as a county's would be).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

threads="${BENCH_THREADS:-2}"
connections="${BENCH_CONNECTIONS:-64}"
duration="${BENCH_DURATION:-20s}"
warmup="${BENCH_WARMUP:-5s}"
devices="${BENCH_DEVICES:-200}"
township="石桥镇"

step "wrk, sqlite3, curl, strace (Debian)"
missing=()
for tool in wrk sqlite3 curl strace; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} = 0 ]; then skip; else apt_install "${missing[@]}"; fi

if [ "${SKIP_BUILD:-}" != 1 ]; then
  step "release server and the sample records"
  cargo build --release -p tongxing-ingest --bin tongxing-ingest --example sample_records
fi
target="${CARGO_TARGET_DIR:-target}/release"
bin="${TONGXING_BIN:-$target/tongxing-ingest}"

engine="${BENCH_ENGINE:-sqlite}"
if [ "$engine" = postgres ]; then
  step "PostgreSQL: a temporary cluster, durable (scripts/test-postgres.sh)"
  . scripts/test-postgres.sh
  TEST_POSTGRES_DURABLE=1 start_test_postgres
  # Every command below (serve, invite, export) finds the data directory's database there.
  export TONGXING_DATABASE_URL="$TONGXING_TEST_DATABASE_URL"
fi

work=$(mktemp -d)
data="$work/data"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
  if [ "$engine" = postgres ]; then stop_test_postgres; fi
}
trap cleanup EXIT

"$target/examples/sample_records" visit >"$work/visit.json"
"$target/examples/sample_records" child >"$work/child.json"
village=$("$target/examples/sample_records" village)

step "server on 127.0.0.1 (data in $data)"
# The 200 phones join from one address: the limit on calls without a token is lifted (the
# measured PUTs carry tokens, and the per-device limit stays the default).
TONGXING_LOG="${BENCH_SERVER_LOG:-info}" "$bin" serve --addr 127.0.0.1:0 --data-dir "$data" \
  --stranger-rate-per-second 100000 --stranger-rate-burst 100000 \
  >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
url=""
for _ in $(seq 100); do
  url=$(sed -n 's/^listening on //p' "$work/server.out")
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; echo "the server did not start" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "the server did not say where it listens" >&2; exit 1; }
echo "   $url (pid $server_pid)"

: >"$work/tokens.txt"
if "$bin" --help | grep -qE '^\s+invite(\s|$)'; then
  step "$devices phones enrolled (one invite, then POST /api/v1/enroll) as directors of $township $village"
  link=$("$bin" invite --data-dir "$data" --role director --township "$township" --village "$village" \
    --uses "$devices" 2>/dev/null)
  code=$(grep -o 'code=[^&[:space:]]*' <<<"$link" | head -n1 | cut -d= -f2)
  [ -n "$code" ] || { echo "no code in the invite: $link" >&2; exit 1; }
  for n in $(seq "$devices"); do
    enrolled=$(curl -fsS -X POST -H 'Content-Type: application/json' \
      --data-binary "{\"code\":\"$code\",\"name\":\"压测$n\",\"phone\":\"13800138000\"}" "$url/api/v1/enroll")
    token=$(grep -o '"token":"[^"]*"' <<<"$enrolled" | head -n1 | cut -d'"' -f4)
    [ -n "$token" ] || { echo "no token in the enrolment: $enrolled" >&2; exit 1; }
    echo "$token" >>"$work/tokens.txt"
  done
  echo "   $(wc -l <"$work/tokens.txt") device tokens"
fi
auth=()
if [ -s "$work/tokens.txt" ]; then auth=(-H "Authorization: Bearer $(head -n1 "$work/tokens.txt")"); fi
child_id=$(grep -o '^{"id":"[^"]*"' "$work/child.json" | cut -d'"' -f4)
curl -fsS -o /dev/null -X PUT -H 'Content-Type: application/json' "${auth[@]}" \
  --data-binary "@$work/child.json" "$url/api/v1/children/$child_id"

export BENCH_BODY_FILE="$work/visit.json" BENCH_TOKENS_FILE="$work/tokens.txt" BENCH_IDS_FILE="$work/answered.txt"
nonce_base=$(( $(date +%s) % 0x10000000 * 8 ))
# Runs wrk with the visit script; prints its output and keeps it in $work/$1.txt.
run_wrk() {
  local name=$1 run=$2; shift 2
  BENCH_NONCE=$((nonce_base + run)) wrk "$@" --timeout 10s --latency -s tests/bench/visit-put.lua "$url" \
    | tee "$work/$name.txt"
}
# The value of KEY= in the output of run $1.
value() { if [ -f "$work/$1.txt" ]; then sed -n "s/^$2=//p" "$work/$1.txt"; else echo 0; fi; }

step "warm-up: wrk -t$threads -c$connections -d$warmup"
run_wrk warmup 1 -t"$threads" -c"$connections" -d"$warmup" >/dev/null
echo "   $(value warmup answered_2xx) visits, $(value warmup rps_2xx)/s"

# CPU seconds the server has used so far (user + system), from /proc.
server_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$server_pid/stat"; }

step "measured: wrk -t$threads -c$connections -d$duration"
cpu_before=$(server_cpu)
run_wrk main 2 -t"$threads" -c"$connections" -d"$duration"
cpu_after=$(server_cpu)
cpu_per_put=$(awk -v a="$cpu_before" -v b="$cpu_after" -v n="$(value main answered_2xx)" -v s="$(value main seconds)" \
  'BEGIN { if (n > 0) printf "%.0f µs of server CPU per 2xx PUT (%.2f of 2 cores busy)", (b - a) * 1e6 / n, (b - a) / s }')

fsyncs="(skipped)"
# On PostgreSQL the syncs are the database server's, not this process's: not counted.
[ "$engine" != postgres ] || fsyncs="(PostgreSQL's own, not counted)"
if [ "${BENCH_FSYNC_CHECK:-1}" = 1 ] && [ "$engine" != postgres ]; then
  step "fsyncs per answer: wrk -t1 -c8 -d3s with strace counting the server's syncs"
  strace -f -c -e trace=fsync,fdatasync -o "$work/strace.txt" -p "$server_pid" 2>"$work/strace.err" &
  strace_pid=$!
  sleep 1
  run_wrk fsync 3 -t1 -c8 -d3s >/dev/null
  kill -INT "$strace_pid" 2>/dev/null || true
  wait "$strace_pid" 2>/dev/null || true
  syncs=$(awk '$NF == "fsync" || $NF == "fdatasync" { n += $4 } END { print n + 0 }' "$work/strace.txt" 2>/dev/null || echo 0)
  if [ "$syncs" -gt 0 ]; then
    fsyncs="$syncs fsync/fdatasync calls for $(value fsync answered_2xx) 2xx answers (a short run under strace)"
  else
    fsyncs="not counted (strace: $(head -c 200 "$work/strace.err"))"
  fi
fi

step "SIGKILL the server, then count what is stored"
sleep 0.5  # let the requests wrk left in flight finish, which do not count as answered
peak_rss_kib=$(awk '/^VmHWM:/ { print $2 }' "/proc/$server_pid/status")
kill -KILL "$server_pid"
{ wait "$server_pid"; } 2>/dev/null || true
server_pid=""
if [ "$engine" = postgres ]; then
  # The data directory's database on that server: `tongxing_` and the start of the SHA-256 of
  # its path (ingest/src/store/db.rs).
  database="tongxing_$(printf '%s' "$(realpath "$data")" | sha256sum | cut -c1-16)"
  # The URL names no database, and may end with TLS settings (?sslmode=…): the name goes before them.
  url_query=""
  [[ "$TONGXING_DATABASE_URL" != *\?* ]] || url_query="?${TONGXING_DATABASE_URL#*\?}"
  sql() { psql "${TONGXING_DATABASE_URL%%\?*}$database$url_query" -Atc "$1"; }
  settings="PostgreSQL $(sql 'SHOW server_version'): fsync=$(sql 'SHOW fsync'), synchronous_commit=$(sql 'SHOW synchronous_commit'), wal_level=$(sql 'SHOW wal_level')"
else
  db="$data/tongxing.db"
  sql() { sqlite3 "$db" "$1"; }
  # The server's own setting: synchronous is per connection and not kept in the file.
  synchronous=$(grep -o 'PRAGMA synchronous = [A-Z]*' ingest/src/store/db.rs | head -n1 | awk '{ print $4 }')
  settings="SQLite: journal_mode=$(sql 'PRAGMA journal_mode') (read from the database), synchronous=$synchronous (set on every connection, ingest/src/store/db.rs)"
fi
stored=$(sql 'SELECT count(*) FROM visits')
revisions=$(sql 'SELECT count(*) FROM visit_revisions')
exported=$("$bin" export --data-dir "$data" --format jsonl 2>/dev/null | wc -l)
sql 'SELECT id FROM visits' | sort >"$work/stored.txt"
sort "$work/answered.txt" >"$work/answered.sorted"
answered=$(wc -l <"$work/answered.sorted")
duplicates=$(uniq -d "$work/answered.sorted" | wc -l)
lost=$(comm -23 "$work/answered.sorted" "$work/stored.txt" | wc -l)
sent=$(( $(value warmup sent) + $(value main sent) + $(value fsync sent) ))

# The limit beside it: how many synced 4 KiB writes a second this disk takes, where the
# data directory is (one commit needs at least one).
disk_fsyncs=$(python3 - "$work" <<'PY'
import os, sys, time
path = os.path.join(sys.argv[1], "fsync-probe")
block = b"\0" * 4096
with open(path, "wb") as f:
    start = time.perf_counter()
    n = 0
    while time.perf_counter() - start < 2.0:
        f.write(block)
        f.flush()
        os.fsync(f.fileno())
        n += 1
    print(round(n / (time.perf_counter() - start)))
os.remove(path)
PY
)
non_2xx=$(( $(value warmup non_2xx) + $(value main non_2xx) + $(value fsync non_2xx) ))
echo
echo "== load benchmark: durable visit PUTs (2 shared cores: wrk and the server on one machine)"
printf '   %-22s %s\n' \
  "server" "tongxing-ingest (release) on $url, fresh data directory" \
  "database" "$settings" \
  "fsyncs" "$fsyncs" \
  "the disk's limit" "$disk_fsyncs synced 4 KiB writes a second (a 2 s probe in the data directory's folder)" \
  "senders" "$([ -s "$work/tokens.txt" ] && echo "$(wc -l <"$work/tokens.txt") enrolled phones in turn (directors of $township $village), the server's default rate limit" || echo "no token (no enrolment in this server)")" \
  "load" "wrk -t$threads -c$connections -d$duration --latency, after a $warmup warm-up" \
  "durable PUTs/s (2xx)" "$(value main rps_2xx)" \
  "latency p50/p90/p99" "$(value main p50_ms) / $(value main p90_ms) / $(value main p99_ms) ms (max $(value main max_ms) ms)" \
  "server CPU" "$cpu_per_put" \
  "server peak memory" "$((peak_rss_kib / 1024)) MiB (VmHWM)" \
  "non-2xx" "$(value main non_2xx) (all runs: $non_2xx); socket errors $(value main socket_errors)" \
  "stored visits" "$stored (export: $exported, revisions: $revisions) for $answered 2xx answers of $sent sent (all runs)" \
  "in flight at stops" "$((stored - answered + lost)) stored but unanswered (wrk stops with requests under way)" \
  "answered, not stored" "$lost" \
  "answered twice" "$duplicates"
grep '^refusal=' "$work"/*.txt | head -n 3 || true

# For scripts/bench.sh: the figures, kept (tests/bench/results.mjs).
if [ -n "${BENCH_RESULTS:-}" ]; then
  group="server: durable visit PUTs, $connections connections, ${duration}$([ "$engine" = postgres ] && echo ", PostgreSQL")"
  keep() { node tests/bench/results.mjs load "$group" "$@"; }
  keep "PUTs/s (2xx)" "/s" "$(value main rps_2xx)" higher
  keep "latency p50" ms "$(value main p50_ms)"
  keep "latency p99" ms "$(value main p99_ms)"
  keep "server CPU per PUT" "µs" "$(awk -v a="$cpu_before" -v b="$cpu_after" -v n="$(value main answered_2xx)" \
    'BEGIN { if (n > 0) printf "%.0f", (b - a) * 1e6 / n; else print 0 }')"
  keep "server peak memory" MiB "$((peak_rss_kib / 1024))"
  keep "the disk: synced 4 KiB writes/s" "/s" "$disk_fsyncs" higher
  keep "answered, not stored" count "$lost"
  keep "answered twice" count "$duplicates"
fi

if [ "$non_2xx" != 0 ] || [ "$lost" != 0 ] || [ "$duplicates" != 0 ] || [ "$stored" != "$revisions" ]; then
  echo "FAILED: every answer must be 2xx and every 2xx visit stored exactly once" >&2
  exit 1
fi
