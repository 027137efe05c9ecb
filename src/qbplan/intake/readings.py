"""An upload's reading (what ``check_file`` gave: valid rows, rows refused, findings), kept in the store.

The province's report is made from the accepted files' readings (see
qbplan.serve.service.province_report): kept with the submission when it is
checked, a reading spares every later server, and every restart, reading the
file again. It is data only: compressed JSON in which each value says its
type (no pickle, whose loading would run whatever a database writer put
there). A reading holds only what a reading can hold: a value of another
type is not kept (None), and a reading that does not load as one gives None
too; the file is then read again, which gives the same result.

A reading is kept under the file's SHA-256 and :func:`reading_key`, which
changes with the targets, the reading limits and qbplan's version: a reading
made by other rules is never used.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import math
import zlib
from dataclasses import asdict
from typing import Any

from qbplan.model.batch import FileResult, SheetResult
from qbplan.model.findings import Finding
from qbplan.model.report import SheetRows
from qbplan.model.valid import ValidRows

FORMAT = 1


class _NotKept(Exception):
    """A value a reading cannot hold."""


def reading_key(targets_json: str, limits: object) -> str:
    """What a reading depends on besides the file: the targets, the reading limits and qbplan's version."""
    from qbplan.model.version import __version__

    text = f"{FORMAT}\0{__version__}\0{limits!r}\0{targets_json}"
    return hashlib.sha256(text.encode()).hexdigest()


def dump(result: FileResult) -> bytes | None:
    """The reading as bytes, or None when it holds a value a reading cannot keep."""
    try:
        doc = {
            "format": FORMAT,
            "file": result.file,
            "failure": _finding(result.failure),
            "skipped": _finding(result.skipped),
            "notes": [_finding(f) for f in result.notes],
            "sheets": [_sheet(s) for s in result.sheets],
        }
    except _NotKept:
        return None
    return zlib.compress(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode(), 1)


def load(data: bytes, file: str) -> FileResult | None:
    """The reading ``data`` made of a file, as this server's stored copy ``file``; None when it is not one."""
    try:
        doc = json.loads(zlib.decompress(data))
        if doc["format"] != FORMAT:
            return None
        was = doc["file"]
        return FileResult(
            file=file,
            failure=_finding_back(doc["failure"], was, file),
            skipped=_finding_back(doc["skipped"], was, file),
            notes=[_finding_back(f, was, file) for f in doc["notes"]],  # type: ignore[misc]
            sheets=[_sheet_back(s, was, file) for s in doc["sheets"]],
        )
    except (ValueError, KeyError, TypeError, zlib.error, _NotKept):
        return None


def _sheet(s: SheetResult) -> dict[str, Any]:
    return {
        "sheet": s.sheet,
        "form_sheet": s.form_sheet,
        "columns": {key: _column(values) for key, values in s.data.columns.items()},
        "excel_rows": [int(r) for r in s.data.excel_rows],
        "invalid": [[int(row), {k: _value(v) for k, v in values.items()}] for row, values in s.invalid],
        "errors": [_finding(f) for f in s.errors],
        "warnings": [_finding(f) for f in s.warnings],
        "rows_read": s.rows_read,
        "blank_rows": s.blank_rows,
        "col_index": s.col_index,
        "rows": {
            "sheet": s.rows.sheet,
            "form_sheet": s.rows.form_sheet,
            "header_row": s.rows.header_row,
            "rows": {kind: [list(r) for r in ranges] for kind, ranges in s.rows.rows.items()},
        },
    }


def _sheet_back(d: dict[str, Any], was: str, file: str) -> SheetResult:
    rows = d["rows"]
    return SheetResult(
        sheet=d["sheet"],
        form_sheet=d["form_sheet"],
        data=ValidRows({k: _column_back(vs) for k, vs in d["columns"].items()}, list(d["excel_rows"])),
        invalid=[(int(row), {k: _value_back(v) for k, v in values.items()}) for row, values in d["invalid"]],
        errors=[_finding_back(f, was, file) for f in d["errors"]],  # type: ignore[misc]
        warnings=[_finding_back(f, was, file) for f in d["warnings"]],  # type: ignore[misc]
        rows_read=int(d["rows_read"]),
        blank_rows=int(d["blank_rows"]),
        col_index={k: int(v) for k, v in d["col_index"].items()},
        rows=SheetRows(
            rows["sheet"],
            rows["form_sheet"],
            int(rows["header_row"]),
            {kind: tuple((int(a), int(b)) for a, b in ranges) for kind, ranges in rows["rows"].items()},
        ),
    )


def _finding(f: Finding | None) -> dict[str, Any] | None:
    if f is None:
        return None
    fields = asdict(f)
    fields["params"] = {k: _value(v) for k, v in f.params.items()}
    fields["value"] = _value(f.value)
    return fields


def _finding_back(d: dict[str, Any] | None, was: str, file: str) -> Finding | None:
    if d is None:
        return None
    fields = dict(d)
    fields["params"] = {k: _value_back(v) for k, v in d["params"].items()}
    fields["value"] = _value_back(d["value"])
    if fields.get("file") == was:
        fields["file"] = file  # the stored copy's path on this server
    return Finding(**fields)


# What JSON gives back as it was: a column of only these is kept as it is (most columns, in bulk).
_PLAIN = frozenset({type(None), bool, int, str})


def _column(values: Any) -> list[Any]:
    """A column's values (a list, or an array of the bulk screen) as JSON holds them."""
    plain = values.tolist() if hasattr(values, "tolist") else list(values)
    if {type(v) for v in plain} <= _PLAIN:
        return plain
    return [_value(v) for v in plain]


def _column_back(values: list[Any]) -> list[Any]:
    if {type(v) for v in values} <= _PLAIN:
        return values
    return [_value_back(v) for v in values]


def _value(v: Any) -> Any:
    """A cell's value, tagged where JSON alone would not give it back as it was."""
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v
    item = getattr(v, "item", None)  # a numpy scalar: its Python value
    if item is not None and type(v).__module__ == "numpy":
        return _value(item())
    if isinstance(v, float):
        return {"f": v.hex()}
    if type(v).__name__ == "NAType":  # pandas' missing value
        return {"na": 1}
    if isinstance(v, _dt.datetime):
        return {"dt": v.isoformat()}
    if isinstance(v, _dt.date):
        return {"d": v.isoformat()}
    if isinstance(v, _dt.time):
        return {"t": v.isoformat()}
    raise _NotKept(type(v).__name__)


def _value_back(v: Any) -> Any:
    if not isinstance(v, dict):
        if isinstance(v, list):
            raise _NotKept("list")
        return v
    if "f" in v:
        value = float.fromhex(v["f"])
        return value if not math.isnan(value) else math.nan
    if "na" in v:
        import pandas as pd

        return pd.NA
    if "dt" in v:
        return _dt.datetime.fromisoformat(v["dt"])
    if "d" in v:
        return _dt.date.fromisoformat(v["d"])
    if "t" in v:
        return _dt.time.fromisoformat(v["t"])
    raise _NotKept(str(v)[:40])
