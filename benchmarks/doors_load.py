"""Pages under siege, on loopback: 1,000 idle half-sent requests, then a locked database.

    python benchmarks/doors_load.py [--idle 1000] [--requests 100] [--goal-ms 200]

Starts ``qbplan serve`` on the sample register. First opens ``--idle``
connections that send half a request head and wait; while they are open,
times ``--requests`` home pages and unit pages. Then another client holds the
SQLite intake database locked for writing (as a second server or a stuck
script would); while it holds it, times the same pages again. Prints JSON with
each phase's p50 and p95 in milliseconds and the idle connections the server
had closed by the end (its head deadline). Exits 1 when a page failed or a p95
is over ``--goal-ms``.
"""

from __future__ import annotations

import argparse
import csv
import json
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _timed(client: httpx.Client, urls: list[str], count: int) -> dict[str, Any]:
    times, failed = [], 0
    for n in range(count):
        start = time.perf_counter()
        try:
            ok = client.get(urls[n % len(urls)]).status_code == 200
        except httpx.HTTPError:
            ok = False
        times.append((time.perf_counter() - start) * 1000)
        failed += not ok
    times.sort()
    return {
        "requests": count,
        "failed": failed,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
    }


def _closed(s: socket.socket) -> bool:
    s.setblocking(False)
    try:
        return s.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def measure(idle: int = 1000, requests: int = 100) -> dict[str, Any]:
    """Time the home page and a unit's page with ``idle`` half-open connections, then with the database locked."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "intake"
        port = _free_port()
        links = Path(tmp) / "links.csv"
        cmd = [sys.executable, "-m", "qbplan", "serve", "-r", str(ROOT / "samples" / "danh-muc.xlsx")]
        cmd += ["--port", str(port), "--folder", str(folder), "--links", str(links)]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        held: list[socket.socket] = []
        try:
            for _ in range(300):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            with open(links, encoding="utf-8-sig") as fh:
                unit_urls = [row["duong_dan"] for row in list(csv.DictReader(fh))[:20]]
            base = f"http://127.0.0.1:{port}"
            urls = [f"{base}/", *unit_urls]
            for _ in range(idle):
                s = socket.create_connection(("127.0.0.1", port), timeout=5)
                s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
                held.append(s)
            with httpx.Client(timeout=30) as client:
                under_idle = _timed(client, urls, requests)
                lock = sqlite3.connect(folder / "intake.db", timeout=5)
                lock.execute("BEGIN EXCLUSIVE")
                try:
                    under_lock = _timed(client, urls, requests)
                finally:
                    lock.rollback()
                    lock.close()
            time.sleep(11)  # past the server's head deadline (10 s)
            cut = sum(_closed(s) for s in held)
        finally:
            for s in held:
                s.close()
            proc.terminate()
            proc.wait(30)
    return {"idle_connections": idle, "while_idle": under_idle, "while_locked": under_lock, "idle_cut": cut}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--idle", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--goal-ms", type=float, default=200.0)
    args = parser.parse_args()
    result = measure(args.idle, args.requests)
    print(json.dumps(result, indent=2))
    phases = (result["while_idle"], result["while_locked"])
    good = all(p["failed"] == 0 and p["p95_ms"] <= args.goal_ms for p in phases)
    sys.exit(0 if good and result["idle_cut"] == result["idle_connections"] else 1)
