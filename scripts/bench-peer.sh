#!/usr/bin/env bash
# The peer beside Tongxing (tests/bench/peer.bench.mjs): installs Enketo's packages from the
# npm registry (tests/bench/enketo/package-lock.json; only here, never in the test command),
# builds its page with a form of the standard home visit's questions, and measures its size,
# cold load and typing as Tongxing's are measured. Under scripts/bench.sh the table prints
# Tongxing ÷ Enketo. Prints numbers; never fails on them. Knobs: BENCH_RUNS (5), BENCH_KEYS
# (60), BENCH_THROTTLE (4).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
if [ ! -d tests/bench/enketo/node_modules/enketo-core ]; then
  step "Enketo's packages (npm registry)"
  # enketo-core names a fork of leaflet-draw on GitHub; package.json's "overrides" takes the
  # registry's leaflet-draw instead (the form has no map question).
  npm ci --prefix tests/bench/enketo --no-audit --no-fund
fi
step "the peer's page (Enketo, the standard home visit's questions)"
node tests/bench/enketo/build.mjs
step "peer benchmark"
node tests/bench/peer.bench.mjs
