#!/usr/bin/env bash
# Builds the app (release: Trunk, wasm-opt, service worker) into dist/ and the server
# (release) into target/release/tongxing-ingest.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

step "app (trunk build --release)"
trunk build --release
step "server (cargo build --release)"
cargo build --release -p tongxing-ingest
step_times
