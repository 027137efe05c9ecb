"""Findings as data: a stable kebab-case code, its parameters and where it is.

Every finding is built by :func:`finding`, which looks the code up in
:data:`qbplan.i18n.findings.FINDINGS` for its severity and works out the Excel cell from the
column position. No text is made here: :func:`qbplan.model.wording.describe` turns a
finding into a sentence in the chosen language, when rendering.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Union

from qbplan.i18n.findings import FINDINGS, Severity
from qbplan.model.cells import column_letter

# A cell value or parameter as it can appear in JSON.
Scalar = Union[str, int, float, bool, None]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem, with a stable kebab-case ``code``, its ``params`` and where it is.

    Location fields are None when they do not apply (a whole file, a whole
    indicator). ``row`` is the Excel row number, ``column`` the form's column
    key and ``cell`` like ``D12``. ``value`` is the cell as it was written.
    """

    code: str
    severity: Severity
    params: Mapping[str, Scalar] = field(default_factory=dict)
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    cell: str | None = None
    value: Scalar = None


@dataclass(frozen=True, slots=True)
class Place:
    """Where a finding is: file, sheet (as named in the workbook), Excel row, column key and position."""

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    # 0-based Excel column of ``column``, to name the cell; None when unknown.
    index: int | None = None

    def cell(self) -> str | None:
        """The Excel address (``D12``), or None without a row and a column position."""
        if self.row is None or self.index is None:
            return None
        return f"{column_letter(self.index)}{self.row}"


def finding(
    code: str,
    place: Place | None = None,
    params: Mapping[str, object] | None = None,
    value: object = None,
    severity: Severity | None = None,
) -> Finding:
    """The one way to make a :class:`Finding`: severity from :data:`qbplan.i18n.findings.FINDINGS`, cell from ``place``.

    ``severity`` overrides the code's own only where the targets file declares it with the rule
    (a ``since_last`` rule). Parameters are kept as JSON-ready scalars; text is made from them
    only when rendering. An unknown code is a programming error.
    """
    severity = severity or FINDINGS[code].severity
    place = place or Place()
    kept = {k: _bounded(json_scalar(v)) for k, v in (params or {}).items()}
    cell = json_scalar(value)
    if isinstance(cell, str) and len(cell) > MAX_VALUE_CHARS:
        # A 1 MB string in a cell must not become a 1 MB line in every report.
        kept["value_length"] = len(cell)
        cell = cell[:MAX_VALUE_CHARS] + "…"
    return Finding(
        code=code,
        severity=severity,
        params=kept,
        file=place.file,
        sheet=place.sheet,
        row=place.row,
        column=place.column,
        cell=place.cell(),
        value=cell,
    )


# The most characters of a cell value a finding keeps (its full length is noted).
MAX_VALUE_CHARS = 200
# Parameters are names, labels and numbers; anything longer is cut.
_MAX_PARAM_CHARS = 500


def _bounded(value: Scalar) -> Scalar:
    if isinstance(value, str) and len(value) > _MAX_PARAM_CHARS:
        return value[:_MAX_PARAM_CHARS] + "…"
    return value


# The most findings of one code one file keeps; the rest become one "and N more".
MAX_PER_CODE = 100


def capped(findings: list[Finding], limit: int = MAX_PER_CODE) -> list[Finding]:
    """``findings`` with at most ``limit`` of each code, then one ``findings-capped`` line per code cut.

    A small hostile file (one bad value repeated on a hundred thousand rows)
    must not cost gigabytes downstream; the counts stay exact.
    """
    seen: dict[str, int] = {}
    kept: list[Finding] = []
    for f in findings:
        seen[f.code] = seen.get(f.code, 0) + 1
        if seen[f.code] <= limit:
            kept.append(f)
    for code, count in seen.items():
        if count > limit:
            first = next(f for f in findings if f.code == code)
            params = {"code": code, "extra": count - limit, "shown": limit}
            cap = finding("findings-capped", Place(first.file, first.sheet), params)
            kept.append(dataclasses.replace(cap, severity=first.severity))
    return kept


def json_scalar(value: object) -> Scalar:
    """A raw cell value as a JSON-safe scalar (dates as ISO text)."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return _float_scalar(value)
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    return str(value)  # a duration as "1:30:00", anything else as its text


def _float_scalar(value: float) -> Scalar:
    if not math.isfinite(value):
        return str(value)  # JSON has no NaN or infinity
    # 14, not 14.0: the same cell reads as a float from .xlsx and an int from .xls.
    return int(value) if value.is_integer() else value


def finding_key(f: Finding) -> str:
    """A finding's identity within its file, for an explanation to name it: code, sheet, row and column."""
    return "|".join(str(part) if part is not None else "" for part in (f.code, f.sheet, f.row, f.column))[:300]


def explained(f: Finding, text: str) -> Finding:
    """The finding with a unit's explanation (giải trình), said with it in every format."""
    from dataclasses import replace

    return replace(f, params={**f.params, "explanation": text[:500]})
