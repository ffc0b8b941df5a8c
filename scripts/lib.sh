# Shared by the scripts: tool paths and small helpers. Sourced, not run.
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"

# Each step's name and how long it took, for `step_times`.
step_log=""
step_name=""
step_started=0
step() {
  step_end
  step_name="$*"
  step_started=$(date +%s)
  printf '\n== %s\n' "$*"
}
step_end() {
  [ -z "$step_name" ] || step_log+="$(printf '%6d s  %s' $(( $(date +%s) - step_started )) "$step_name")"$'\n'
  step_name=""
}
# How long each step took.
step_times() { step_end; printf '%s' "$step_log"; }
skip() { echo "   already there"; }

# Debian packages, installed as root (or through sudo); the package lists are updated once.
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=""
apt_install() {
  [ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# Commands run when the script exits, however it exits (services the tests started).
exit_hooks=()
at_exit() {
  exit_hooks+=("$1")
  trap 'for hook in "${exit_hooks[@]}"; do "$hook"; done' EXIT
}

# For a benchmark of the release app: builds it and the server (scripts/build.sh) unless
# SKIP_BUILD=1, and names the server binary it starts (TONGXING_BIN).
release_for_bench() {
  if [ "${SKIP_BUILD:-}" != 1 ]; then bash scripts/build.sh; fi
  export TONGXING_BIN="${TONGXING_BIN:-${CARGO_TARGET_DIR:-target}/release/tongxing-ingest}"
}
