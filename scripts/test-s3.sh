# A temporary S3-compatible server for the test command: moto's server (moto[server] from
# PyPI, installed by scripts/setup.sh into target/tools/moto). moto is the emulator the AWS
# SDKs' own users test against; it answers the S3 protocol as AWS documents it (signed
# requests, list-objects-v2, copy, multipart, the error codes), and it installs from the
# package registries, which MinIO does not. Sourced (after scripts/lib.sh) by
# scripts/test.sh, not run:
#   start_test_s3   starts it on a free loopback port with one bucket, `tongxing-test`;
#                   exports TONGXING_TEST_PHOTO_STORE (each test's data directory then keeps
#                   its photos under a prefix of its own) and the AWS_* settings that reach it
#   stop_test_s3    stops it (also on exit)
# It keeps objects in memory: they live as long as the test run.

test_s3_pid=""
test_s3_log=""
TEST_S3_MOTO="$PWD/target/tools/moto/bin/moto_server"

start_test_s3() {
  [ -x "$TEST_S3_MOTO" ] || { echo "moto's server is missing: run scripts/setup.sh" >&2; return 1; }
  local port endpoint
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  endpoint="http://127.0.0.1:$port"
  test_s3_log=$(mktemp)
  "$TEST_S3_MOTO" -H 127.0.0.1 -p "$port" >"$test_s3_log" 2>&1 &
  test_s3_pid=$!
  at_exit stop_test_s3
  # Up when it answers; then the bucket.
  python3 - "$endpoint" <<'PY' || { cat "$test_s3_log" >&2; return 1; }
import sys, time, urllib.request
endpoint = sys.argv[1]
for _ in range(150):
    try:
        urllib.request.urlopen(endpoint + "/", timeout=1)
        break
    except OSError:
        time.sleep(0.1)
urllib.request.urlopen(urllib.request.Request(endpoint + "/tongxing-test", method="PUT"), timeout=5)
PY
  export TONGXING_TEST_PHOTO_STORE="s3://tongxing-test"
  export AWS_ENDPOINT_URL="$endpoint" AWS_ALLOW_HTTP=true AWS_REGION=us-east-1
  export AWS_ACCESS_KEY_ID=tongxing-test AWS_SECRET_ACCESS_KEY=tongxing-test
  echo "   moto $("$(dirname "$TEST_S3_MOTO")/python" -c 'import moto; print(moto.__version__)') (S3) on 127.0.0.1:$port"
}

stop_test_s3() {
  [ -n "$test_s3_pid" ] || return 0
  kill "$test_s3_pid" 2>/dev/null || true
  wait "$test_s3_pid" 2>/dev/null || true
  rm -f "$test_s3_log"
  test_s3_pid=""
  unset TONGXING_TEST_PHOTO_STORE AWS_ENDPOINT_URL AWS_ALLOW_HTTP AWS_REGION AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
}
