#!/usr/bin/env bash
# Benchmark of typing in the full visit form (tests/bench/keystroke.bench.mjs): builds the
# release app and server (SKIP_BUILD=1 reuses dist/ and the built server), starts the real
# server on a free loopback port, and types into the form in headless Chromium, without and
# with the CPU 4x slower. Prints numbers; never fails on them. Knobs: BENCH_KEYS (60),
# BENCH_THROTTLE (4).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
release_for_bench
step "keystroke benchmark"
node tests/bench/keystroke.bench.mjs
