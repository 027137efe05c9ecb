"""Build ``samples/history.db``: four yearly checks (2022-2025) of generated submissions, saved as qbplan saves them.

    python samples/build_history.py            # writes samples/history.db (replacing it)
    qbplan history --db samples/history.db

Each year is ``survey.xlsx``'s province a few steps behind: in 2022 fewer
agencies have each yes and fewer staff, operations, documents and households
count in each numerator, closing up to the 2025 sample. The submissions are
written to a temporary folder, checked with the bundled targets and saved with
fixed times and commands, so the database reads the same on every machine.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
YEARS = (2022, 2023, 2024, 2025)
# What share of a numerator each year keeps, of the 2025 sample's (in hundredths).
KEEP = {2022: 80, 2023: 88, 2024: 94, 2025: 100}
# Yes/no columns: how many in a hundred 2025 "yes" answers were still "no" that year.
STILL_NO = {2022: 22, 2023: 12, 2024: 6, 2025: 0}

_NUMERATORS = {
    "co_quan": ("so_cbcc_trang_bi", "so_vien_chuc_trang_bi", "so_nghiep_vu_tin_hoc_hoa", "so_van_ban_ky_so"),
    "doanh_nghiep": ("so_dn_giao_dich_dien_tu",),
    "ho_gia_dinh": ("so_ho_biet_cntt",),
}
_YES_NO = {"co_quan": ("ha_tang_dat_chuan", "co_trang_ttdt", "co_can_bo_cntt"), "csdl": ("dat_chuan",)}
_YES_NO["phan_mem"] = ("da_nang_cap",)


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("generate", HERE / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def year_data(base: dict[str, list[dict[str, Any]]], year: int) -> dict[str, list[dict[str, Any]]]:
    """The 2025 sample as it stood in ``year``: numerators scaled down, some yes answers still no."""
    rng = random.Random(year)
    out = {key: [dict(row) for row in rows] for key, rows in base.items()}
    for key, columns in _NUMERATORS.items():
        for row in out[key]:
            for col in columns:
                row[col] = row[col] * KEEP[year] // 100
    for key, columns in _YES_NO.items():
        for row in out[key]:
            for col in columns:
                if row[col] and rng.randrange(100) < STILL_NO[year]:
                    row[col] = False
    return out


def main(db: Path = HERE / "history.db") -> None:
    """Write the four yearly runs into ``db`` (replacing it)."""
    from qbplan.config.targets import load_targets
    from qbplan.history.periods import parse_period
    from qbplan.history.record import save_run
    from qbplan.run.pipeline import CheckOptions, check

    generate = _generator()
    base = generate.build(compliant=False)
    db = db.resolve()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        # Relative names (the targets file, each year's file): the database reads the same on every machine.
        os.chdir(tmp)
        try:
            shutil.copy(HERE.parent / "targets.yaml", "targets.yaml")
            targets = load_targets("targets.yaml")
            for year in YEARS:
                name = f"tong-hop-{year}.xlsx"
                generate.write(Path(name), year_data(base, year))
                period = parse_period(str(year))
                report = check([name], targets, CheckOptions(period=period, jobs=1, keep_figures=True))
                command = ["qbplan", "check", name, "--period", str(year), "--save"]
                saved_at = dt.datetime(year, 12, 20, 9, 0, tzinfo=dt.timezone.utc)
                save_run(report, period, db, command, saved_at=saved_at)
        finally:
            os.chdir(here)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "history.db")
