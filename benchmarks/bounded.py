"""The paths that used to grow faster than their input, measured at the size that showed it.

    python benchmarks/bounded.py            # prints JSON; run.py --only bounded keeps it in results.json

Each case is timed in this run; the figure before the fix is the one
measured on the same machine when the fix was made (the code is gone), and
the CSV case also times the peer it replaced, csv.Sniffer, on the same text.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import random
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402 - benchmarks/ is not a package

PY = sys.executable
# Seconds measured before each fix, on the 2-core machine of the README's tables.
BEFORE = {
    "history -f xlsx, 1,000 periods": 52.9,
    "register CSV delimiter, 60 KB of quotes": 20.1,
    "check --by huyen, 5,000 districts": 44.7,
    "template -r, 200,000 units": 119.0,
}


def _timed(step: Any) -> float:
    start = time.perf_counter()
    step()
    return round(time.perf_counter() - start, 2)


def history_xlsx(periods: int = 1000) -> float:
    """Render the history workbook of ``periods`` monthly periods of every indicator."""
    from qbplan.config.targets import load_targets
    from qbplan.history.periods import Period
    from qbplan.history.store import SavedIndicator
    from qbplan.history.trend import build_series
    from qbplan.render import history as history_format

    targets = load_targets()
    saved = []
    for run in range(1, periods + 1):
        year, month = 2000 + (run - 1) // 12, (run - 1) % 12 + 1
        for ind in targets.indicators:
            saved.append(
                SavedIndicator(
                    run, Period("month", year, month), ind.id, ind.title_vi, ind.title_en, ind.mode,
                    run % 50, 60, Fraction(1, 2), "pass", False, 2025, None, None, targets.plan.id,
                )
            )  # fmt: skip
    series = build_series(saved, targets, None, None, None)
    view = history_format.history_view(series, [], "vi", "bench", "bench.db", with_runs=False)
    return _timed(lambda: history_format.render(view, "xlsx", io.BytesIO()))


def csv_delimiter() -> tuple[float, float]:
    """qbplan's delimiter choice and csv.Sniffer on the same 60 KB line of quotes."""
    from qbplan.register.load import csv_delimiter as ours

    text = (',"a' * 20000)[:60000]

    def sniffed() -> None:
        with contextlib.suppress(csv.Error):  # it gives up on this text, after the 20 s
            csv.Sniffer().sniff(text, delimiters=",;\t")

    return _timed(lambda: ours(text)), _timed(sniffed)


def by_districts(folder: Path, groups: int = 5000) -> float:
    """``check --by huyen`` over one agency sheet whose 5,000 rows are in 5,000 districts."""
    path = folder / "by-5000.xlsx"
    rng = random.Random(1)
    rows = [
        row | {"cap": "xa", "loai": "ubnd_xa", "huyen": f"Huyện số {i}"}
        for i, row in enumerate(generate.agency_rows(groups, rng))
    ]
    generate.write_sheets(path, {"co_quan": (iter(rows), len(rows))})
    cmd = [PY, "-m", "qbplan", "check", str(path), "--by", "huyen", "-f", "json", "-q"]
    return _timed(lambda: subprocess.run(cmd, capture_output=True, check=False))


def template(folder: Path, units: int = 200_000) -> float:
    """``template -r`` with a register CSV of ``units`` communes, the form prefilled and locked."""
    register = folder / "co_quan.csv"
    with open(register, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Mã đơn vị", "Tên cơ quan, đơn vị", "Cấp", "Loại cơ quan"])
        writer.writerows([f"X{i:06d}", f"UBND xã số {i}", "Xã", "UBND cấp xã"] for i in range(units))
    cmd = [PY, "-m", "qbplan", "template", "-r", str(register), "-o", str(folder / "f.xlsx"), "--force"]
    cmd += ["--timeout", "600"]
    return _timed(lambda: subprocess.run(cmd, capture_output=True, check=False))


def measure() -> list[dict[str, Any]]:
    """Every case: its time now, its time before the fix, and the peer where there is one."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ours, sniffer = csv_delimiter()
        now = {
            "history -f xlsx, 1,000 periods": history_xlsx(),
            "register CSV delimiter, 60 KB of quotes": ours,
            "check --by huyen, 5,000 districts": by_districts(folder),
            "template -r, 200,000 units": template(folder),
        }
    out = [{"case": case, "seconds": seconds, "before_seconds": BEFORE[case]} for case, seconds in now.items()]
    out[1]["peer"], out[1]["peer_seconds"] = "csv.Sniffer", sniffer
    return out


if __name__ == "__main__":
    print(json.dumps(measure(), ensure_ascii=False, indent=2))
