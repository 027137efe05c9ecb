"""A load on the intake, on loopback: many units uploading at once, bounded in count and time.

    python benchmarks/intake_load.py [--units 100] [--concurrency 10]

Starts ``qbplan serve`` on the sample register, then has ``--units`` units
upload one valid workbook each, ``--concurrency`` at a time, and reports the
uploads per second and the 50th and 95th percentile of the time from the
upload's first byte to its verdict page. In the same run, while the uploads
go on, a planner reloads the dashboard and a visitor the home page, one after
another: their 95th percentiles say whether pages wait behind checks.
Prints JSON.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _register_rows() -> dict[str, dict[str, Any]]:
    """Each unit's identifying values as the sample register has them: the intake checks a unit against it."""
    from qbplan.config.targets import load_targets
    from qbplan.run.pipeline import CheckOptions, read_register

    register = read_register(load_targets(), CheckOptions(register=(str(ROOT / "samples" / "danh-muc.xlsx"),)))
    assert register is not None
    sheet = register.sheets["co_quan"]
    return {str(u.values[sheet.key]): {k: v for k, v in u.values.items() if k not in sheet.extra} for u in sheet.units}


def _workbook(folder: Path, values: dict[str, Any]) -> bytes:
    """A unit's own row, valid and as the register names it."""
    from tests.helpers import agency, write_form

    return write_form(folder / f"{values['ma_don_vi']}.xlsx", {"co_quan": [agency(**values)]}).read_bytes()


def measure(units: int = 100, concurrency: int = 10, limit_s: float = 300.0) -> dict[str, Any]:
    """Upload ``units`` workbooks through ``qbplan serve``; the rate and the verdict times."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        port = _free_port()
        links = folder / "links.csv"
        cmd = [sys.executable, "-m", "qbplan", "serve", "-r", str(ROOT / "samples" / "danh-muc.xlsx")]
        cmd += [
            "--port",
            str(port),
            "--folder",
            str(folder / "intake"),
            "--links",
            str(links),
            "--planner-token",
            "benchmark-planner-token",
        ]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(300):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            with open(links, encoding="utf-8-sig") as fh:
                rows = list(csv.DictReader(fh))[:units]
            registered = _register_rows()
            files = {r["ma_don_vi"]: _workbook(folder, registered[r["ma_don_vi"]]) for r in rows}
            deadline = time.monotonic() + limit_s

            def upload(row: dict[str, str]) -> float | None:
                if time.monotonic() > deadline:
                    return None
                with httpx.Client(timeout=120) as client:
                    page = client.get(row["duong_dan"]).text
                    token = re.search(r'name="csrf" value="([^"]+)"', page)
                    assert token is not None
                    start = time.perf_counter()
                    done = client.post(
                        f"{row['duong_dan']}/upload",
                        data={"csrf": token.group(1)},
                        files={"file": ("bieu.xlsx", files[row["ma_don_vi"]])},
                        follow_redirects=True,
                    )
                    elapsed = time.perf_counter() - start
                    return elapsed if done.status_code == 200 and "hợp lệ" in done.text else None

            pages: dict[str, list[float]] = {"/planner": [], "/": []}
            burst = threading.Event()

            def browse(path: str) -> None:
                """A page asked for again and again while the uploads run, each timed."""
                with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
                    if path == "/planner":
                        client.post("/planner/login", data={"token": "benchmark-planner-token"})
                    while not burst.is_set():
                        began = time.perf_counter()
                        answered = client.get(path)
                        if answered.status_code == 200:
                            pages[path].append(time.perf_counter() - began)
                        time.sleep(0.05)

            start = time.perf_counter()
            browsers = [threading.Thread(target=browse, args=(path,)) for path in pages]
            for browser in browsers:
                browser.start()
            with ThreadPoolExecutor(max_workers=concurrency) as pool:
                times = list(pool.map(upload, rows))
            wall = time.perf_counter() - start
            burst.set()
            for browser in browsers:
                browser.join()
        finally:
            proc.terminate()
            proc.wait(30)
    ok = sorted(t for t in times if t is not None)
    p95 = _p95(ok)
    return {
        "units": len(rows),
        "concurrency": concurrency,
        "recorded": len(ok),
        "seconds": round(wall, 2),
        "uploads_per_second": round(len(ok) / wall, 2) if wall else None,
        "verdict_p50_s": round(statistics.median(ok), 3) if ok else None,
        "verdict_p95_s": round(p95, 3) if p95 is not None else None,
        "dashboard_p95_ms": _ms(_p95(sorted(pages["/planner"]))),
        "home_p95_ms": _ms(_p95(sorted(pages["/"]))),
        "pages_seen": {path: len(times) for path, times in pages.items()},
    }


def _p95(ok: list[float]) -> float | None:
    """The 95th percentile of sorted times (nearest rank)."""
    return ok[max(0, -(-len(ok) * 95 // 100) - 1)] if ok else None


def _ms(seconds: float | None) -> float | None:
    return round(seconds * 1000, 1) if seconds is not None else None


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--limit", type=float, default=300.0, help="stop starting uploads after this many seconds")
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args()
    result = measure(args.units, args.concurrency, args.limit)
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    # Every upload must have been recorded with its verdict: a load that loses one fails.
    sys.exit(0 if result["recorded"] == result["units"] else 1)
