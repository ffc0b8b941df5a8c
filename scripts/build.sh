#!/usr/bin/env bash
# Builds the two apps (release: Trunk, wasm-opt, a service worker each) and the server
# (release) into target/release/tongxing-ingest. `scripts/build.sh app` builds the apps only.
#   dist/            the field app (index.html, the `tongxing` binary), served at /
#   dist/oversight/  the oversight app (oversight.html, the `oversight` binary), served at
#                    /oversight/ (tongxing_core::phone_app::PhoneApp::OVERSIGHT_ROOT)
# Trunk empties its dist directory first, so the field app is built before the other;
# then every file gets its .br and .gz copy, which the server sends when accepted.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

export TONGXING_OVERSIGHT_ROOT=/oversight/
# What ships runs on Chromium 85 (WeChat's X5/XWeb cores, the vendor browsers of older
# phones) and Safari 15: no WebAssembly proposal they lack. Rust turns reference types
# (externref) and multi-value on for wasm32 by default; these flags (the ones of
# .cargo/config.toml, which the browser tests keep, plus the two features off) and the
# wasm-release profile's `strip` turn them off; scripts/check-old-engines.mjs checks it.
# The field app's screens that the due list does not need are a piece of their own
# (src/bin/tongxing/screen_piece.rs): the linker keeps its relocations (both apps, so that
# one build of the library serves both), so that wasm-split-cli can cut the piece out, in
# the wasm-bindgen that Trunk runs (scripts/split-wasm.mjs, first on PATH);
# scripts/place-wasm-pieces.mjs puts it beside the app.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components -C target-feature=-reference-types,-multivalue -C link-args=--emit-relocs"
export PATH="$PWD/scripts/split-wasm:$PATH"
step "field app (trunk build index.html --release, its lazy screens cut out)"
trunk build index.html --release
step "oversight app (trunk build oversight.html --release)"
trunk build oversight.html --release --dist "dist${TONGXING_OVERSIGHT_ROOT%/}" --public-url "$TONGXING_OVERSIGHT_ROOT"
step "brotli and gzip copies of the apps' files (scripts/precompress.mjs)"
node scripts/precompress.mjs dist
if [ "${1:-}" != app ]; then
  step "server (cargo build --release)"
  cargo build --release -p tongxing-ingest
fi
step_times
