"""``--format csv``: indicator results, their breakdown, then one row per file, for spreadsheets.

One header for every kind of row; the ``kind`` column says which
(``plan``: the targets file and plan id, ``indicator``, ``group`` with
``--by``, ``file``, and with a register ``register`` per form sheet, then
its ``missing`` units and those ``unknown`` to it, then every finding as an
``error`` or ``warning`` row at its file, sheet, Excel row, cell and column
key, with the cell's value, the code and the sentence). A UTF-8 byte order mark
comes first unless ``--no-bom``: without it Excel on Windows reads the
Vietnamese as mojibake. Text that a spreadsheet would run as a formula (starting with
= + - @, a tab or a carriage return) is written with a leading apostrophe.
"""

from __future__ import annotations

import csv
from fractions import Fraction
from typing import TextIO

from qbplan.i18n import localized
from qbplan.i18n.numbers import exact_text
from qbplan.model.findings import Finding
from qbplan.model.report import Completeness, FileSummary, GroupResult, IndicatorResult, Rated, Report, UnitRef
from qbplan.model.wording import describe
from qbplan.render.options import RenderOptions
from qbplan.render.safe import valid_unicode, visible
from qbplan.render.view import group_name

COLUMNS = (
    "kind",
    "id",
    "group",
    "title",
    "sheet",
    "numerator",
    "denominator",
    "rate",
    "rate_exact",
    "target",
    "status",
    "excluded_rows",
    "file",
    "readable",
    "rows_read",
    "rows_excluded",
    "blank_rows",
    "layout_rows",
    "errors",
    "warnings",
    # With a register: units in scope expected and reported, the bounds in count
    # mode, and per form sheet the units submitted; "row" of a unit not in it.
    "expected",
    "reported",
    "submitted",
    "rate_low",
    "rate_high",
    "row",
    # A finding (kind error or warning): where it is, the cell as written, its code and its sentence.
    "cell",
    "column",
    "value",
    "code",
    "message",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(value: object) -> object:
    """A cell value that no spreadsheet will evaluate as a formula, and valid Unicode."""
    if isinstance(value, str):
        # Controls escaped as in every human format: a spreadsheet or a terminal shows the CSV.
        value = visible(valid_unicode(value))
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


def _six(rate: Fraction | None) -> str:
    # Six decimals is enough to read; rate_exact is the exact value.
    return "" if rate is None else f"{float(rate):.6f}"


def _exact(rate: Fraction | None) -> str:
    return exact_text(rate) or ""


def render(report: Report, out: TextIO, options: RenderOptions) -> None:
    """Write the indicator rows (each followed by its groups), then the file rows, under one header."""
    if options.bom:
        out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    # Which targets file and plan gave these results, first.
    rows: list[dict[str, object]] = [{"kind": "plan", "id": report.plan_id, "file": report.targets_file}]
    rows += _indicator_rows(report, options.lang)
    rows += [_file(f) for f in report.files]
    rows += [row for c in report.completeness for row in _register(c)]
    # Every finding, uncapped: a spreadsheet filters them, where a terminal cannot.
    rows += [_finding(f, options.lang) for f in report.errors + report.warnings]
    for row in rows:
        writer.writerow({k: safe(v) for k, v in row.items()})


def _indicator_rows(report: Report, lang: str) -> list[dict[str, object]]:
    """Each indicator's row, followed by its groups' with --by."""
    rows = []
    for ind in report.indicators:
        rows.append(_indicator(ind, lang))
        if report.by:
            rows += [_group(ind.id, g, report, lang) for g in ind.breakdown or ()]
    return rows


def _register(c: Completeness) -> list[dict[str, object]]:
    """A register's row (units expected and submitted), then one row per missing and per unknown unit."""
    rows: list[dict[str, object]] = [
        {"kind": "register", "sheet": c.sheet, "file": c.register, "expected": c.expected, "submitted": c.submitted}
    ]
    return rows + [_unit("missing", c.sheet, u) for u in c.missing] + [_unit("unknown", c.sheet, u) for u in c.unknown]


def _coverage(item: Rated) -> dict[str, object]:
    if item.coverage is None:
        return {}
    out: dict[str, object] = {"expected": item.coverage.expected, "reported": item.coverage.reported}
    if item.bounds is not None:
        low, high, of = item.bounds
        out |= {"rate_low": _six(Fraction(low, of)), "rate_high": _six(Fraction(high, of))}
    return out


def _unit(kind: str, sheet: str, u: UnitRef) -> dict[str, object]:
    return {"kind": kind, "sheet": sheet, "id": u.key, "title": u.name, "group": u.group, "file": u.file, "row": u.row}


def _indicator(ind: IndicatorResult, lang: str) -> dict[str, object]:
    return {
        "kind": "indicator",
        "id": ind.id,
        "title": localized(ind.title_vi, ind.title_en, lang),
        "sheet": ind.sheet,
        "numerator": ind.numerator,
        "denominator": ind.denominator,
        "rate": _six(ind.rate),
        "rate_exact": _exact(ind.rate),
        "target": f"{float(ind.target):.6f}",
        "status": ind.status,
        "excluded_rows": ind.excluded_rows,
        **_coverage(ind),
    }


def _group(indicator: str, g: GroupResult, report: Report, lang: str) -> dict[str, object]:
    return {
        "kind": "group",
        "id": indicator,
        "group": group_name(g.group, report.grouping, lang),
        "numerator": g.numerator,
        "denominator": g.denominator,
        "rate": _six(g.rate),
        "rate_exact": _exact(g.rate),
        "status": g.status,
        **_coverage(g),
    }


def _finding(f: Finding, lang: str) -> dict[str, object]:
    return {
        "kind": f.severity,
        "file": f.file,
        "sheet": f.sheet,
        "row": f.row,
        "cell": f.cell,
        "column": f.column,
        "value": "" if f.value is None else f.value,
        "code": f.code,
        "message": describe(f, lang),
    }


def _file(f: FileSummary) -> dict[str, object]:
    return {
        "kind": "file",
        "file": f.file,
        "sheet": "; ".join(f.sheets),
        "readable": "true" if f.readable else "false",
        "rows_read": f.rows_read,
        "rows_excluded": f.rows_excluded,
        "blank_rows": f.blank_rows,
        "layout_rows": f.layout_total,
        "errors": f.errors,
        "warnings": f.warnings,
    }
