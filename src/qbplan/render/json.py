"""``--format json``: one JSON document for programs and CI gates."""

from __future__ import annotations

import dataclasses
import json
from fractions import Fraction
from typing import Any, TextIO

from qbplan.i18n import localized
from qbplan.i18n.numbers import exact_text
from qbplan.model.findings import Finding
from qbplan.model.report import Completeness, IndicatorResult, Rated, Report, UnitRef
from qbplan.model.version import __version__
from qbplan.model.wording import describe
from qbplan.render.options import RenderOptions
from qbplan.render.safe import valid_unicode
from qbplan.render.view import goal_text


def _rate(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def coverage_fields(item: Rated) -> dict[str, Any]:
    """coverage and, in count mode with missing units, the exact bounds; {} without a register."""
    if item.coverage is None:
        return {}
    cov = item.coverage
    out: dict[str, Any] = {"coverage": {"expected": cov.expected, "reported": cov.reported, "missing": cov.missing}}
    if item.bounds is not None:
        low, high, of = item.bounds
        out["bounds"] = {
            "low": float(Fraction(low, of)),
            "high": float(Fraction(high, of)),
            "low_exact": f"{low}/{of}",
            "high_exact": f"{high}/{of}",
        }
    return out


def _previous(ind: IndicatorResult) -> dict[str, Any]:
    """With --compare: the indicator in the period compared with, and the change in percentage points."""
    prev = ind.previous
    if prev is None:
        return {}
    change = ind.change
    return {
        "previous": {
            "period": prev.period,
            "numerator": prev.numerator,
            "denominator": prev.denominator,
            "rate": _rate(prev.rate),
            "rate_exact": exact_text(prev.rate),
            "status": prev.status,
            "change_pp": _rate(change),
            "change_pp_exact": exact_text(change),
            # Counted under an earlier plan (another structure): the series breaks between the two.
            "plan_id": prev.plan_id,
            "break": prev.plan_id is not None,
        }
    }


def _unit(unit: UnitRef) -> dict[str, Any]:
    out: dict[str, Any] = {"key": unit.key, "name": unit.name, "group": unit.group}
    if unit.file is not None:
        out |= {"file": unit.file, "sheet": unit.sheet, "row": unit.row}
    return out


def _completeness(c: Completeness) -> dict[str, Any]:
    return {
        "sheet": c.sheet,
        "register": c.register,
        "expected": c.expected,
        "submitted": c.submitted,
        "missing": [_unit(u) for u in c.missing],
        "unknown": [_unit(u) for u in c.unknown],
    }


def _indicator(ind: IndicatorResult, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": ind.id,
        "title": localized(ind.title_vi, ind.title_en, lang),
        "sheet": ind.sheet,
        "mode": ind.mode,
        "numerator": ind.numerator,
        "denominator": ind.denominator,
        "rate": _rate(ind.rate),
        "rate_exact": exact_text(ind.rate),
        "target": float(ind.target),
        "warn_at": _rate(ind.warn),
        "goal": goal_text(ind.target, ind.goal, lang),
        "status": ind.status,
        "exceeded": ind.exceeded,
        "excluded_rows": ind.excluded_rows,
        "deadline": ind.deadline,
        "source": ind.source,
        **coverage_fields(ind),
        **_previous(ind),
    }
    if ind.breakdown is not None:
        out["breakdown"] = [
            {
                "group": g.group,
                "numerator": g.numerator,
                "denominator": g.denominator,
                "rate": _rate(g.rate),
                "status": g.status,
                "exceeded": g.exceeded,
                **coverage_fields(g),
            }
            for g in ind.breakdown
        ]
    return out


def finding_dict(f: Finding, lang: str) -> dict[str, Any]:
    """One finding as JSON: its place, value, code, parameters and sentence in ``lang``."""
    return {
        "file": f.file,
        "sheet": f.sheet,
        "row": f.row,
        "column": f.column,
        "cell": f.cell,
        "value": f.value,
        "code": f.code,
        "params": dict(f.params),
        "message": describe(f, lang),
    }


def as_dict(report: Report, lang: str = "vi") -> dict[str, Any]:
    """The report as plain JSON-ready data; titles and messages in ``lang``, keys and codes as they are."""
    return {
        "qbplan": __version__,
        "plan": localized(report.plan_title_vi, report.plan_title_en, lang),
        "plan_id": report.plan_id,
        "targets": report.targets_file,
        "lang": lang,
        "by": report.by,
        **({"compared_with": report.compared_with} if report.compared_with else {}),
        "indicators": [_indicator(i, lang) for i in report.indicators],
        "errors": [finding_dict(f, lang) for f in report.errors],
        "warnings": [finding_dict(f, lang) for f in report.warnings],
        "files": [dataclasses.asdict(f) | {"sheets": list(f.sheets)} for f in report.files],
        # Present with a register only, so a check without one gives the same document as before.
        **_register(report),
        "summary": _summary(report),
        **({"annex": _annex(report)} if report.annex_file is not None else {}),
    }


def _register(report: Report) -> dict[str, Any]:
    """The register's files and each sheet's completeness; nothing without a register."""
    if not report.register_files:
        return {}
    return {"register": list(report.register_files), "completeness": [_completeness(c) for c in report.completeness]}


def _summary(report: Report) -> dict[str, Any]:
    """The counts a CI gate reads: files, rows, findings, indicators by status, and the exit code."""
    return {
        "files": len(report.files),
        "unreadable_files": report.unreadable_files,
        "rows_read": report.rows_read,
        "rows_excluded": report.rows_excluded,
        "blank_rows": report.blank_rows,
        "layout_rows": report.layout_rows,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "indicators": dict(report.status_counts),
        "fail_on": report.fail_on,
        "exit_code": report.exit_code,
    }


def _annex(report: Report) -> dict[str, Any]:
    """``qbplan verify``: the annex, the indicators it gives a row (each checked), and the claims found wrong."""
    wrong = sum(1 for f in report.errors if f.code.startswith("annex-"))
    return {"file": report.annex_file, "claims_checked": report.annex_claims, "wrong": wrong, "matches": not wrong}


def _unicode(value: Any) -> Any:
    """Strings made valid Unicode throughout (a file name with bytes that are not UTF-8)."""
    if isinstance(value, str):
        return valid_unicode(value)
    if isinstance(value, dict):
        return {k: _unicode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unicode(v) for v in value]
    return value


def render(report: Report, out: TextIO, options: RenderOptions) -> None:
    """Write the report as one indented JSON document."""
    json.dump(_unicode(as_dict(report, options.lang)), out, ensure_ascii=False, indent=2)
    out.write("\n")
