#!/usr/bin/env bash
# Benchmark of draining the outbox (tests/bench/drain.bench.mjs): builds the release app and
# server (SKIP_BUILD=1 reuses dist/ and the built server), starts the real server on a free
# loopback port, records visits with photos offline in headless Chromium, then times sending
# them over a 750 kbps uplink, steady and dropping every 10 s. Prints numbers; never fails on
# them. Knobs: BENCH_DRAIN_VISITS (10).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
release_for_bench
step "drain benchmark"
node tests/bench/drain.bench.mjs
