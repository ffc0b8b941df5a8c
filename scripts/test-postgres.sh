# A temporary PostgreSQL cluster for the test command, from Debian's `postgresql` package
# (scripts/setup.sh installs it). Sourced (after scripts/lib.sh) by scripts/test.sh, not run:
#   start_test_postgres   initdb in a temp folder, started on a free loopback port taking TLS
#                         connections only (a certificate of a CA made for the run);
#                         exports TONGXING_TEST_DATABASE_URL, which checks that certificate
#                         (each test's data directory then gets a database of its own on it)
#   stop_test_postgres    stops it and removes the folder (also on exit)
# initdb refuses to run as root: as root, the cluster runs as the `postgres` user. Text
# compares byte by byte (locale C); fsync is off, since the cluster only lives for the tests,
# unless TEST_POSTGRES_DURABLE=1 (the load benchmark: every commit synced, as in a county).

test_postgres_dir=""

start_test_postgres() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
  [ -x "$bin/initdb" ] || { echo "PostgreSQL's initdb is missing: run scripts/setup.sh" >&2; return 1; }
  test_postgres_dir=$(mktemp -d)
  local port run=() fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${TEST_POSTGRES_DURABLE:-}" != 1 ] || fast=""
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$test_postgres_dir"
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$bin/initdb" -D "$test_postgres_dir/data" --locale=C -E UTF8 -A trust -U tongxing >"$test_postgres_dir/initdb.log" 2>&1 \
    || { cat "$test_postgres_dir/initdb.log" >&2; return 1; }
  # TLS only, as a province's database on another machine: a CA of the run's own signs the
  # server's certificate for 127.0.0.1, and the servers check it (sslmode=verify-full).
  local tls="$test_postgres_dir/tls"
  mkdir -p "$tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=tongxing test CA" \
    -keyout "$tls/ca.key" -out "$tls/ca.crt" >/dev/null 2>&1
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$tls/server.key" -out "$tls/server.csr" >/dev/null 2>&1
  printf 'subjectAltName = IP:127.0.0.1\n' >"$tls/san.ext"
  openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial -days 2 \
    -extfile "$tls/san.ext" -out "$tls/server.crt" >/dev/null 2>&1
  chmod 600 "$tls/server.key"
  [ "$(id -u)" != 0 ] || chown postgres "$tls/server.key" "$tls/server.crt"
  printf 'local all all trust\nhostssl all all 127.0.0.1/32 trust\n' >"$test_postgres_dir/data/pg_hba.conf"
  [ "$(id -u)" != 0 ] || chown postgres "$test_postgres_dir/data/pg_hba.conf"
  "${run[@]}" "$bin/pg_ctl" -D "$test_postgres_dir/data" -l "$test_postgres_dir/server.log" -w start \
    -o "-p $port -k $test_postgres_dir -c listen_addresses=127.0.0.1 -c max_connections=400 -c ssl=on -c ssl_cert_file=$tls/server.crt -c ssl_key_file=$tls/server.key $fast" >/dev/null \
    || { cat "$test_postgres_dir/server.log" >&2; return 1; }
  at_exit stop_test_postgres
  export TONGXING_TEST_DATABASE_URL="postgres://tongxing@127.0.0.1:$port/?sslmode=verify-full&sslrootcert=$tls/ca.crt"
  echo "   PostgreSQL $("$bin/postgres" --version | awk '{ print $3 }') on 127.0.0.1:$port"
}

stop_test_postgres() {
  [ -n "$test_postgres_dir" ] || return 0
  local bin run=()
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
  [ "$(id -u)" = 0 ] && run=(runuser -u postgres --)
  "${run[@]}" "$bin/pg_ctl" -D "$test_postgres_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$test_postgres_dir"
  test_postgres_dir=""
  unset TONGXING_TEST_DATABASE_URL
}
