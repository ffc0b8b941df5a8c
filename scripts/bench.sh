#!/usr/bin/env bash
# Every benchmark in one run, one table: installs what is missing (scripts/setup.sh), builds
# the release app and server once, then runs the transfer sizes, a new phone's cold load and
# a warm start offline, the due list, typing in the visit form, the peer (Enketo) beside
# them, taking a photo, draining the outbox over a slow link, a village's first sync down,
# the server under load, photo pieces a second and the hostile-client run, each
# keeping its figures (tests/bench/results.mjs), while the machine's load average is
# sampled. Prints one table with the machine it ran on and writes it to
# target/bench/latest.json. Prints numbers; fails only when a benchmark cannot run (or the
# load benchmark finds a visit lost or stored twice). Not part of the test command.
#
# Usage: scripts/bench.sh [--compare FILE]   (FILE: a JSON an earlier run wrote)
# Knobs: SKIP_BUILD=1 reuses dist/ and the built server; BENCH_RUNS (5) for the browser
# benchmarks; each benchmark's own knobs (see its script).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

compare=""
while [ $# -gt 0 ]; do
  case "$1" in
    --compare) compare="${2:?--compare needs a file}"; shift 2 ;;
    *) echo "usage: scripts/bench.sh [--compare FILE]" >&2; exit 2 ;;
  esac
done
if [ -n "$compare" ] && [ ! -f "$compare" ]; then echo "bench.sh: no such file: $compare" >&2; exit 2; fi
# Read before this run writes target/bench/latest.json over it.
earlier=""
if [ -n "$compare" ]; then earlier=$(mktemp); cp "$compare" "$earlier"; fi

started=$(date +%s)
if [ "${SKIP_BUILD:-}" != 1 ]; then
  bash scripts/setup.sh
  bash scripts/build.sh
  step "release server's sample records (the load benchmark)"
  cargo build --release -p tongxing-ingest --bin tongxing-ingest --example sample_records
fi
export SKIP_BUILD=1
export TONGXING_BIN="${TONGXING_BIN:-${CARGO_TARGET_DIR:-target}/release/tongxing-ingest}"

results="target/bench/run"
rm -rf "$results"
mkdir -p "$results"
export BENCH_RESULTS="$PWD/$results"
sampler=""
stop_sampler() { if [ -n "$sampler" ]; then kill "$sampler" 2>/dev/null || true; fi; }
trap 'stop_sampler; [ -z "$earlier" ] || rm -f "$earlier"' EXIT
( while true; do cat /proc/loadavg >>"$results/loadavg.txt"; sleep 5; done ) &
sampler=$!

step "transfer sizes"
node scripts/size-report.mjs field
node scripts/size-report.mjs oversight
step "the benchmarks (each names its own steps)"
bash scripts/bench-cold-load.sh
bash scripts/bench-due-list.sh
bash scripts/bench-keystroke.sh
bash scripts/bench-peer.sh
bash scripts/bench-photo-shrink.sh
bash scripts/bench-drain.sh
bash scripts/bench-first-sync.sh
bash scripts/bench-load.sh
BENCH_ENGINE=postgres bash scripts/bench-load.sh
step "photo pieces a second"
python3 scripts/bench-photo-pieces.py
bash scripts/bench-hostile.sh
stop_sampler
sampler=""

step "the table"
node tests/bench/report.mjs "$results" --out target/bench/latest.json ${earlier:+--compare "$earlier"}
echo
echo "bench.sh: $(( $(date +%s) - started )) s"
step_times
