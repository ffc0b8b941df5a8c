#!/usr/bin/env bash
# Builds the app (release: Trunk, wasm-opt, service worker) into dist/ and the server
# (release) into target/release/tongxing-ingest. `scripts/build.sh app` builds the app only.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

step "app (trunk build --release)"
trunk build --release
if [ "${1:-}" != app ]; then
  step "server (cargo build --release)"
  cargo build --release -p tongxing-ingest
fi
step_times
