#!/usr/bin/env bash
# The fault soak (tests/soak/soak.mjs): the real app in headless Chromium against the real
# server through a fault-injecting proxy (tests/soak/fault-proxy.mjs, whose own tests run
# first), seeded and bounded in runs and time; at the end what each phone holds is compared
# with what the server holds, and it fails on any record lost or duplicated or photo damaged.
# Builds the app and the server unless SKIP_BUILD=1; the server is TONGXING_BIN (default the
# debug build, as the e2e tests). The test command runs a short one (50 runs); the long one
# (1,000 runs) is run by hand and its last result kept in the README:
#   bash scripts/soak.sh --runs 1000 --seed 2 --minutes 150
# Usage: scripts/soak.sh [--runs N] [--seed S] [--minutes M]   (50, 1, 30)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
if [ "${SKIP_BUILD:-}" != 1 ]; then
  bash scripts/setup.sh
  bash scripts/build.sh app
  step "server (debug build)"
  cargo build -p tongxing-ingest --bin tongxing-ingest
fi
export TONGXING_BIN="${TONGXING_BIN:-${CARGO_TARGET_DIR:-$PWD/target}/debug/tongxing-ingest}"
step "the fault proxy's own tests"
node --test tests/soak/
step "fault soak"
node tests/soak/soak.mjs "$@"
