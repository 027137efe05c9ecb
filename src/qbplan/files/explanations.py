"""A unit's explanations (giải trình) on the command line: a CSV beside its workbook, read as the intake keeps them.

``so-noi-vu.xlsx`` is explained by ``so-noi-vu.giai-trinh.csv`` (UTF-8, Excel's BOM welcome) with
the columns ``ma_loi`` (the finding's code), ``trang`` (the sheet as named in the workbook),
``dong`` (the Excel row), ``cot`` (the column key) and ``giai_trinh`` (the sentence). The same
data gives the same verdict in the intake and on the command line.
"""

from __future__ import annotations

import csv
from pathlib import Path

SUFFIX = ".giai-trinh.csv"
COLUMNS = ("ma_loi", "trang", "dong", "cot", "giai_trinh")
# An explanation file is a short list written by hand: a bigger one is refused, not read.
MAX_BYTES = 1024 * 1024


def explanations_of(workbook: str) -> tuple[Path, dict[str, tuple[int, str]] | None] | None:
    """The explanations beside ``workbook``, by finding key (code|sheet|row|column) -> (CSV line, text); None without.

    A file that cannot be read as such a CSV gives its path and None (the caller says so); one
    read whole but explaining nothing gives an empty mapping (nothing to say).
    """
    path = Path(workbook)
    beside = path.with_name(path.stem + SUFFIX)
    if not beside.is_file():
        return None
    try:
        if beside.stat().st_size > MAX_BYTES:
            return beside, None
        with open(beside, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error):
        return beside, None
    out: dict[str, tuple[int, str]] = {}
    for line, row in enumerate(rows, start=2):
        text = (row.get("giai_trinh") or "").strip()
        if text and all(row.get(c) is not None for c in COLUMNS):
            key = "|".join((row["ma_loi"].strip(), row["trang"].strip(), row["dong"].strip(), row["cot"].strip()))
            out[key[:300]] = (line, text[:500])
    return beside, out
