#!/usr/bin/env bash
# The hostile-client run at scale: the server's hostile-client suites (broken, cut, huge,
# stalled and mistyped requests, bad tokens, other villages' records; ingest/tests/api/
# hostile_*.rs) and the property test of changed visit bodies with BENCH_HOSTILE_CASES
# (10,000) fuzzed bodies (request_properties.rs), each against the real server on a loopback
# port. Prints how many requests were tried and how many got a 5xx, and keeps both for
# scripts/bench.sh's table; fails if any request got a 5xx (the tests assert it).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
cases="${BENCH_HOSTILE_CASES:-10000}"
step "hostile clients: the suites and ${cases} fuzzed visit bodies"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
PROPTEST_CASES="$cases" cargo test -q -p tongxing-ingest --test api -- --nocapture --test-threads 2 hostile request_properties 2>&1 | tee "$out" | grep -E "hostile requests|visit bodies sent|test result" || true
if grep -q "test result: FAILED" "$out" || ! grep -q "test result: ok" "$out"; then
  echo "bench-hostile.sh: the hostile-client tests failed" >&2
  exit 1
fi
tried=$( { sed -nE 's/.*hostile requests of .*: ([0-9]+), 5xx: [0-9]+.*/\1/p' "$out"; sed -nE 's/.*visit bodies sent: ([0-9]+),.*/\1/p' "$out"; } | awk '{ n += $1 } END { print n + 0 }')
errors=$(sed -nE 's/.*hostile requests of .*: [0-9]+, 5xx: ([0-9]+).*/\1/p' "$out" | awk '{ n += $1 } END { print n + 0 }')
echo "hostile requests in all: ${tried}, answered 5xx: ${errors}"
node tests/bench/results.mjs hostile "hostile clients (suites + fuzzed visit bodies)" "requests tried" count "$tried" higher
node tests/bench/results.mjs hostile "hostile clients (suites + fuzzed visit bodies)" "answered 5xx" count "$errors"
