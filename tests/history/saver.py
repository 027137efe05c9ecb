"""A child process that saves one heavy run, for the kill and concurrency tests.

    python -m tests.history.saver DB FINDINGS [TAG]

Prints "ready" once everything is imported and the report is built, then
waits for a line on stdin (so the parent decides when the save starts), saves,
and prints "saved RUN_ID".
"""

from __future__ import annotations

import sys
from fractions import Fraction

from qbplan.history.periods import parse_period
from qbplan.history.record import save_run
from qbplan.model.findings import Place, finding
from qbplan.model.report import FileSummary, Report
from tests.helpers import indicator_result

INDICATORS = 14


def heavy_report(findings: int, tag: str = "") -> Report:
    """A report with 14 indicators and ``findings`` findings: a save that takes long enough to be killed inside."""
    indicators = [
        indicator_result(id=f"ct{i:02d}", numerator=i, denominator=20, target=Fraction(1, 2), status="pass")
        for i in range(INDICATORS)
    ]
    errors = [
        finding("not-a-number", Place(f"nop/{tag}{i % 50}.xlsx", "co_quan", i + 7, "so_cbcc", 6), {"label": "x"}, "abc")
        for i in range(findings)
    ]
    return Report("plan", "t", "t", "targets.yaml", indicators, errors, [], [FileSummary(f"nop/{tag}0.xlsx", True)])


def main() -> None:
    db, count = sys.argv[1], int(sys.argv[2])
    tag = sys.argv[3] if len(sys.argv) > 3 else ""
    report = heavy_report(count, tag)
    print("ready", flush=True)
    sys.stdin.readline()
    saved = save_run(report, parse_period("2024"), db, ["qbplan", "check", tag])
    print(f"saved {saved.run_id}", flush=True)


if __name__ == "__main__":
    main()
