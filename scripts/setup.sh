#!/usr/bin/env bash
# Installs everything Tongxing needs to build, run and test on a fresh Debian machine with
# Rust, reaching only the package registries (Debian, crates.io, npm, PyPI). Every step skips
# itself when its result is already there, so a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

TRUNK_VERSION=0.21.14
# wasm-split-cli cuts the field app's lazily loaded screens into a piece of their own
# (scripts/split-wasm.mjs); the version Leptos's own build tool (cargo-leptos) uses.
WASM_SPLIT_VERSION=0.2.4
# wasm-bindgen-cli must be exactly the wasm-bindgen of Cargo.lock, or the build fails.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)

step "Rust target wasm32-unknown-unknown"
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then skip; else rustup target add wasm32-unknown-unknown; fi

step "rustfmt and clippy (the house rules the test command checks first)"
if rustup component list --installed | grep -q '^rustfmt' && rustup component list --installed | grep -q '^clippy'; then skip
else rustup component add rustfmt clippy; fi

step "Chromium and ChromeDriver (Debian)"
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then skip; else apt_install chromium chromium-driver; fi

step "PostgreSQL (Debian), for the server's tests on it"
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then skip; else apt_install postgresql; fi

step "Node.js and npm"
if command -v node >/dev/null && command -v npm >/dev/null; then skip; else apt_install nodejs npm; fi

step "trunk $TRUNK_VERSION"
if trunk --version 2>/dev/null | grep -qF "$TRUNK_VERSION"; then skip; else cargo install trunk --version "$TRUNK_VERSION" --locked; fi

step "wasm-bindgen-cli $WASM_BINDGEN_VERSION"
if wasm-bindgen --version 2>/dev/null | grep -qF "$WASM_BINDGEN_VERSION"; then skip
else
  # Not --locked: its lock file pins a yanked webpki-roots.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

step "wasm-split-cli $WASM_SPLIT_VERSION"
if cargo install --list | grep -qxF "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then skip
else cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked; fi

step "npm packages (Playwright, binaryen's wasm-opt, workbox, wabt, acorn)"
if [ -f node_modules/.package-lock.json ] && cmp -s package-lock.json node_modules/.tongxing-installed; then skip
else
  # Playwright drives Debian's Chromium: it must never download a browser of its own.
  # `npm install --no-save` rather than `npm ci`: the lock file names only the optional
  # platform packages (rollup's) that the registry here serves, which `npm ci` refuses.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-save --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.tongxing-installed
fi

step "openapi-spec-validator (PyPI), which checks ingest/openapi.json"
if python3 -c "import openapi_spec_validator" 2>/dev/null; then skip
else
  command -v python3 >/dev/null && python3 -m pip --version >/dev/null 2>&1 || apt_install python3 python3-pip
  # Debian's own python3 takes user installs only when told (PEP 668).
  python3 -m pip install --quiet --user "openapi-spec-validator==0.9.0" 2>/dev/null \
    || python3 -m pip install --quiet --user --break-system-packages "openapi-spec-validator==0.9.0"
fi

step "moto's S3 server (PyPI), which the server's tests keep photos in (scripts/test-s3.sh)"
moto_version="5.2.6"
moto_dir="target/tools/moto"
if [ -x "$moto_dir/bin/moto_server" ] && [ -f "$moto_dir/.tongxing-$moto_version" ]; then skip
else
  python3 -m venv --help >/dev/null 2>&1 || apt_install python3-venv
  rm -rf "$moto_dir"
  mkdir -p "$(dirname "$moto_dir")"
  python3 -m venv "$moto_dir" || { apt_install python3-venv; python3 -m venv "$moto_dir"; }
  "$moto_dir/bin/python" -m pip install --quiet --disable-pip-version-check "moto[server]==$moto_version"
  touch "$moto_dir/.tongxing-$moto_version"
fi

echo "setup: done"
