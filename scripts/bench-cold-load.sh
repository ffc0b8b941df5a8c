#!/usr/bin/env bash
# Benchmark of a new phone's first visit over a slow link: builds the release app and server
# (SKIP_BUILD=1 reuses dist/ and the built server), starts the real server on a free loopback
# port with a temporary data directory, and opens each app in a fresh headless Chromium
# profile under Lighthouse's mobile throttling and under a 2G profile. Prints numbers; never
# fails on them. Knobs: BENCH_RUNS (5).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
release_for_bench
step "cold load benchmark"
node tests/bench/cold-load.bench.mjs
