#!/usr/bin/env python3
"""Photo pieces a second on the server (PUT /api/v1/photos/{sha256} with Content-Range).

Starts the server (TONGXING_BIN, else target/release/tongxing-ingest, built first unless
SKIP_BUILD=1) on a free loopback port with a fresh data directory, enrols BENCH_PHONES
directors (16), and has each, on a thread of its own, send BENCH_PHOTOS photos (48) of
256 KiB in pieces of 64 KiB, as the app sends a photo on a fair link: each piece appended
and synced to disk before its 202, the last one hashed and kept (201). Prints pieces a
second, their latency (p50, p99), photos and megabytes a second; with BENCH_RESULTS set
keeps them for scripts/bench.sh. Numbers, not a test; fails only if a piece is refused.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

from bench_server import start_server

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PHONES = int(os.environ.get("BENCH_PHONES", "16"))
PHOTOS = int(os.environ.get("BENCH_PHOTOS", "48"))
PHOTO_BYTES = 256 * 1024
PIECE_BYTES = 64 * 1024
GROUP = "server: photo pieces (64 KiB, synced before each answer)"


def put_piece(url, token, sha, body, first, size):
    last = first + len(body) - 1
    request = urllib.request.Request(
        f"{url}/api/v1/photos/{sha}", data=body, method="PUT",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "image/jpeg",
                 "Content-Range": f"bytes {first}-{last}/{size}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status


def sender(url, token, photos, latencies, failures):
    for _ in range(photos):
        # The first bytes of a JPEG, then noise: the server tells the kind by those bytes.
        photo = b"\xff\xd8\xff\xe0" + os.urandom(PHOTO_BYTES - 4)
        sha = hashlib.sha256(photo).hexdigest()
        for first in range(0, PHOTO_BYTES, PIECE_BYTES):
            piece = photo[first:first + PIECE_BYTES]
            asked = time.monotonic()
            try:
                status = put_piece(url, token, sha, piece, first, PHOTO_BYTES)
            except urllib.error.HTTPError as refused:
                status = refused.code
            latencies.append(time.monotonic() - asked)
            expected = 201 if first + PIECE_BYTES >= PHOTO_BYTES else 202
            if status != expected:
                failures.append(f"{sha[:12]} at {first}: {status}, not {expected}")
                return


def keep(name, unit, value, better="lower"):
    if os.environ.get("BENCH_RESULTS"):
        subprocess.run(["node", "tests/bench/results.mjs", "photo-pieces", GROUP, name, unit, f"{value}", better],
                       check=True, cwd=ROOT)


def main():
    binary = os.environ.get("TONGXING_BIN", os.path.join(ROOT, "target", "release", "tongxing-ingest"))
    if os.environ.get("SKIP_BUILD") != "1" and "TONGXING_BIN" not in os.environ:
        subprocess.run(["cargo", "build", "--release", "-p", "tongxing-ingest", "--bin", "tongxing-ingest"],
                       check=True, cwd=ROOT)
    work = tempfile.mkdtemp()
    data_dir = os.path.join(work, "data")
    server, url = start_server(binary, data_dir, "--stranger-rate-per-second", "100000",
                               "--stranger-rate-burst", "100000", cwd=ROOT)
    try:
        link = subprocess.run([binary, "invite", "--data-dir", data_dir, "--role", "director", "--township",
                               "石门镇", "--village", "桃源村", "--uses", str(PHONES)],
                              check=True, capture_output=True, text=True).stdout
        code = re.search(r"code=([^&\s]+)", link).group(1)
        tokens = []
        for n in range(PHONES):
            body = json.dumps({"code": code, "name": f"压测{n}", "phone": "13800138000"}).encode()
            request = urllib.request.Request(f"{url}/api/v1/enroll", data=body, method="POST",
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=60) as response:
                tokens.append(json.loads(response.read())["token"])

        latencies, failures = [], []
        threads = [threading.Thread(target=sender, args=(url, token, PHOTOS, latencies, failures))
                   for token in tokens]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.monotonic() - started
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)

    if failures:
        print("pieces refused:\n  " + "\n  ".join(failures), file=sys.stderr)
        sys.exit(1)
    latencies.sort()
    pieces = len(latencies)
    at = lambda q: latencies[min(pieces - 1, max(0, int(q * pieces + 0.999999) - 1))] * 1000
    photos = PHONES * PHOTOS
    print(f"== photo pieces: {PHONES} phones at once, {photos} photos of {PHOTO_BYTES // 1024} KiB "
          f"in pieces of {PIECE_BYTES // 1024} KiB")
    print(f"   {pieces} pieces in {seconds:.1f} s: {pieces / seconds:.0f} pieces/s, "
          f"p50 {at(0.5):.1f} ms, p99 {at(0.99):.1f} ms; {photos / seconds:.1f} photos/s, "
          f"{photos * PHOTO_BYTES / seconds / 2**20:.1f} MiB/s")
    keep("pieces a second", "/s", round(pieces / seconds, 1), "higher")
    keep("piece latency p50", "ms", round(at(0.5), 1))
    keep("piece latency p99", "ms", round(at(0.99), 1))
    keep("photos a second (256 KiB)", "/s", round(photos / seconds, 1), "higher")


if __name__ == "__main__":
    main()
