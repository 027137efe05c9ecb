"""The province's report after a decision, from each accepted file's kept reading, beside a full re-check.

    python benchmarks/province.py [--units 1000]

Writes ``--units`` one-unit workbooks, reads each once (as each upload's check
does), then times, in the same run: the stages after reading over the kept
results (``pipeline.evaluate`` over ``loaded_from``: what a decision costs the
intake now), and ``check_matched`` over the files (what it cost before: every
accepted file read again). The figures of both are compared. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure(units: int) -> dict[str, object]:
    from tests.helpers import agency, write_form

    from qbplan.config.targets import load_targets
    from qbplan.run.pipeline import CheckOptions, check_file, check_matched, evaluate, loaded_from

    targets = load_targets()
    options = CheckOptions(keep_figures=True)
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(units):
            path = Path(tmp) / f"U{i:05d}.xlsx"
            write_form(path, {"co_quan": [agency(ma_don_vi=f"U{i:05d}", ten_don_vi=f"Đơn vị {i}", so_cbcc=40 + i % 7)]})
            paths.append(str(path))
        kept = [check_file(p, targets) for p in paths]
        evaluate(loaded_from(kept[:2], targets), targets, options, None)  # imports, as a warmed server has them
        began = time.perf_counter()
        reduced = evaluate(loaded_from(kept, targets), targets, options, None).report
        from_kept = time.perf_counter() - began
        began = time.perf_counter()
        again = check_matched(paths, targets, options).report
        re_read = time.perf_counter() - began
    same = [(i.id, i.numerator, i.denominator) for i in reduced.indicators] == [
        (i.id, i.numerator, i.denominator) for i in again.indicators
    ]
    return {
        "units": units,
        "from_kept_s": round(from_kept, 3),
        "re_read_s": round(re_read, 3),
        "ratio": round(re_read / from_kept, 1) if from_kept else None,
        "same_figures": same,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=1000)
    result = measure(parser.parse_args().units)
    print(json.dumps(result, indent=2))
    sys.exit(0 if result["same_figures"] else 1)
