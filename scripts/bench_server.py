"""The real server for the Python benchmarks (bench-first-sync.py, bench-photo-pieces.py):
started on a free loopback port with a data directory of its own, and where it listens."""

import subprocess
import sys


def start_server(binary, data_dir, *flags, cwd=None):
    """Starts `tongxing-ingest serve` on 127.0.0.1:0; returns the process and its address.

    On an empty database the first run's link for the county comes before the line that
    says where it listens."""
    server = subprocess.Popen([binary, "serve", "--addr", "127.0.0.1:0", "--data-dir", data_dir, *flags],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=cwd)
    line = ""
    while not line.startswith("listening on "):
        line = server.stdout.readline()
        if not line:
            server.kill()
            sys.exit("the server did not say where it listens")
    return server, line.strip().removeprefix("listening on ")
