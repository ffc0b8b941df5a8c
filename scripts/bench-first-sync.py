#!/usr/bin/env python3
"""First sync down of a village (GET /api/v1/changes): what a new phone receives.

Starts the server (TONGXING_BIN, else target/release/tongxing-ingest, built first unless
SKIP_BUILD=1) on a free loopback port with a fresh data directory, enrols a director,
sends a village of BENCH_CHILDREN children (200) with BENCH_VISITS visits each (12, a
month apart over the last year), then enrols a second director of the village, as a
new phone would join, and pulls every page of changes as the phone does: brotli and
gzip accepted, BENCH_LIMIT changes a page (the server's default when unset). Prints the
pages, the bytes on the wire (compressed) and raw, the server's time, and the time the
same transfer takes on a 3G link (Lighthouse's 1.6 Mbps down, 150 ms round trip) worked
out from the bytes and pages: the link is modelled, not throttled. Then the cost of a
sync when nothing changed (one request, its bytes). Numbers, not a test.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import date, datetime, timedelta, timezone

from bench_server import start_server

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHILDREN = int(os.environ.get("BENCH_CHILDREN", "200"))
VISITS = int(os.environ.get("BENCH_VISITS", "12"))
LIMIT = os.environ.get("BENCH_LIMIT", "")
DOWN_BPS = 1.6e6
RTT_S = 0.150
TOWNSHIP = "石门镇"


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True, cwd=ROOT).stdout


def request(url, method="GET", body=None, token=None, encoding=None):
    """One call; the status, the headers and the body as bytes, as they came."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if encoding:
        headers["Accept-Encoding"] = encoding
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=60) as response:
        # Header names as HTTP/1.1 has them: case-insensitive (the server sends them lower-case).
        return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()


def enrol(binary, data_dir, url, village, name):
    link = run(binary, "invite", "--data-dir", data_dir, "--role", "director", "--township", TOWNSHIP,
               "--village", village)
    code = re.search(r"code=([^&\s]+)", link).group(1)
    _, _, body = request(f"{url}/api/v1/enroll", "POST", {"code": code, "name": name, "phone": "13800138000"})
    return json.loads(body)["token"]


def main():
    binary = os.environ.get("TONGXING_BIN", os.path.join(ROOT, "target", "release", "tongxing-ingest"))
    if os.environ.get("SKIP_BUILD") != "1" and "TONGXING_BIN" not in os.environ:
        subprocess.run(["cargo", "build", "--release", "-p", "tongxing-ingest", "--bin", "tongxing-ingest",
                        "--example", "sample_records"], check=True, cwd=ROOT)
    examples = os.path.join(os.path.dirname(binary), "examples", "sample_records")
    if not os.path.exists(examples):
        subprocess.run(["cargo", "build", "-p", "tongxing-ingest", "--example", "sample_records"], check=True,
                       cwd=ROOT)
        examples = os.path.join(ROOT, "target", "debug", "examples", "sample_records")
    child_sample = json.loads(run(examples, "child"))
    visit_sample = json.loads(run(examples, "visit"))
    village = child_sample["village"]

    work = tempfile.mkdtemp()
    data_dir = os.path.join(work, "data")
    server, url = start_server(binary, data_dir, "--rate-per-second", "100000", "--rate-burst", "100000", cwd=ROOT)
    try:
        token = enrol(binary, data_dir, url, village, "李芳")

        today = date.today()
        saved = datetime.now(timezone(timedelta(hours=8))).isoformat(timespec="seconds")
        started = time.monotonic()
        for n in range(CHILDREN):
            child = dict(child_sample, id=str(uuid.uuid4()), name=f"儿童{n:03d}", id_number=None, updated_at=saved)
            request(f"{url}/api/v1/children/{child['id']}", "PUT", child, token)
            for m in range(VISITS):
                visited = today - timedelta(days=30 * m + 3)
                answers = dict(visit_sample["answers"], visit_date=str(visited),
                               next_visit_date=str(visited + timedelta(days=30)))
                visit = dict(visit_sample, id=str(uuid.uuid4()), child_id=child["id"], answers=answers,
                             updated_at=saved)
                request(f"{url}/api/v1/visits/{visit['id']}", "PUT", visit, token)
        sent_s = time.monotonic() - started

        new_phone = enrol(binary, data_dir, url, village, "李芳（新手机）")
        cursor, pages, wire, raw, records, server_s = 0, 0, 0, 0, 0, 0.0
        encodings = set()
        while True:
            query = f"?after={cursor}" + (f"&limit={LIMIT}" if LIMIT else "")
            asked = time.monotonic()
            _, headers, body = request(f"{url}/api/v1/changes{query}", token=new_phone, encoding="br, gzip")
            server_s += time.monotonic() - asked
            encoding = headers.get("content-encoding", "identity")
            encodings.add(encoding)
            text = body
            if encoding == "gzip":
                import gzip
                text = gzip.decompress(body)
            elif encoding == "br":
                text = subprocess.run(["brotli", "-dc"], input=body, capture_output=True, check=True).stdout \
                    if shutil.which("brotli") else None
            if text is None:
                # No brotli decoder here: ask the same page as gzip to read it.
                _, _, gz = request(f"{url}/api/v1/changes{query}", token=new_phone, encoding="gzip")
                import gzip
                text = gzip.decompress(gz)
            page = json.loads(text)
            pages += 1
            wire += len(body)
            raw += len(text)
            records += len(page["children"]) + len(page["visits"]) + len(page["pairings"])
            cursor = page["next"]
            if not page["more"]:
                break
        _, headers, idle = request(f"{url}/api/v1/changes?after={cursor}", token=new_phone, encoding="br, gzip")
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)

    link_s = pages * RTT_S + wire * 8 / DOWN_BPS
    print(f"== first sync down of a village: {CHILDREN} children x {VISITS} visits "
          f"(sent in {sent_s:.0f} s), a new phone of its director")
    rows = [
        ("records received", f"{records} ({CHILDREN} files, {CHILDREN * VISITS} visit summaries)"),
        ("pages", f"{pages} of {LIMIT or 'the default'} changes"),
        ("on the wire", f"{wire / 1024:.1f} KiB ({', '.join(sorted(encodings))}); raw JSON {raw / 1024:.1f} KiB"),
        ("server time", f"{server_s:.2f} s for all pages (loopback, {os.path.basename(binary)})"),
        ("on 3G (modelled)", f"{link_s:.1f} s = {pages} round trips x {RTT_S * 1000:.0f} ms + "
                             f"{wire / 1024:.1f} KiB at {DOWN_BPS / 1e6:.1f} Mbps"),
        ("nothing changed", f"1 request, {len(idle)} bytes of answer ({headers.get('content-encoding', 'identity')})"),
    ]
    for name, value in rows:
        print(f"   {name:<18} {value}")


if __name__ == "__main__":
    sys.exit(main())
