#!/usr/bin/env bash
# Sets up, builds, and runs Tongxing: the server on http://127.0.0.1:8080 serving the app
# and the API, with its SQLite database and files under ./data. Settings come from the
# TONGXING_* environment variables (see the README).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
export TONGXING_ADDR="${TONGXING_ADDR:-127.0.0.1:8080}"
export TONGXING_DATA_DIR="${TONGXING_DATA_DIR:-./data}"
export TONGXING_STATIC_DIR="${TONGXING_STATIC_DIR:-./dist}"
echo "Tongxing: open http://$TONGXING_ADDR (Ctrl-C stops the server)"
exec target/release/tongxing-ingest serve
