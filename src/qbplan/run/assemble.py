"""The report of loaded submissions: per-file summaries, findings and every indicator."""

from __future__ import annotations

from collections import Counter
from typing import Any

from qbplan.config.targets import Targets
from qbplan.defaults import FailOn
from qbplan.indicators import build_sheet_data, evaluate
from qbplan.model.batch import FileResult, Loaded
from qbplan.model.findings import Finding, Place, finding
from qbplan.model.report import FileSummary, Grouping, IndicatorResult, Report, Section
from qbplan.register.load import Register
from qbplan.register.match import Matched
from qbplan.textnorm import kept_apart


def assemble(
    loaded: Loaded,
    matched: Matched,
    targets: Targets,
    *,
    by: str | None,
    fail_on: FailOn,
    register: Register | None,
    year: int | None = None,
    period: str | None = None,
) -> Report:
    """Every finding in input order, one summary per file, and each indicator over the rows kept.

    ``matched`` are the rows as set against the register: with a register,
    rows of units it does not list, or whose identifying columns disagree
    with it, are left out, and each indicator's coverage counts the units in
    its scope that gave no valid row. ``year`` (of the reporting period)
    judges each indicator against that year's milestone where it has one;
    ``period`` is the reporting period's key, as the annex titles it.
    """
    errors, warnings, summaries = _files(loaded, matched)
    indicators = _indicators(loaded, matched, targets, by, year)
    warnings.extend(_indicator_warnings(indicators, targets, set(loaded.merged)))
    warnings += _kept_apart(loaded, by)
    if targets.local_override:
        warnings.insert(0, finding("targets-local", Place(targets.path), {"plan": targets.plan.id}))
    return Report(
        plan_id=targets.plan.id,
        plan_title_vi=targets.plan.title_vi,
        plan_title_en=targets.plan.title_en,
        targets_file=targets.path,
        indicators=indicators,
        errors=errors,
        warnings=warnings,
        files=summaries,
        by=by,
        fail_on=fail_on,
        grouping=grouping(targets, by),
        register_files=register.files if register else (),
        completeness=matched.completeness,
        period=period,
        sections=tuple(Section(g.key, g.title_vi, g.title_en) for g in targets.groups),
    )


def _kept_apart(loaded: Loaded, by: str | None) -> list[Finding]:
    """Say which groups share a name but were kept apart by their unit words."""
    if by is None:
        return []
    values = [v for merged in loaded.merged.values() if by in merged.frame for v in merged.frame[by].tolist()]
    return [finding("groups-kept-apart", params={"names": "; ".join(group)}) for group in kept_apart(values)]


def grouping(targets: Targets, by: str | None) -> Grouping | None:
    """The ``--by`` column as the report shows it."""
    col = targets.grouping_column(by) if by else None
    if col is None or by is None:
        return None
    return Grouping.of(col)


def _files(loaded: Loaded, matched: Matched) -> tuple[list[Finding], list[Finding], list[FileSummary]]:
    """Errors and warnings in input order, and one summary per file."""
    across = _across_by_file(loaded, matched)
    excluded_across = _excluded_across(loaded, matched)
    findings = list(loaded.problems)
    # An input that named no usable file (an empty folder, an unreadable one) is
    # an unreadable file; a skipped entry is a warning only.
    summaries = [FileSummary(file=p.file or "", readable=False, errors=1) for p in _errors(loaded.problems)]
    for result in loaded.results:
        mine = [result.skipped] if result.skipped else _file_findings(result) + across.get(result.file, [])
        findings += mine
        if result.skipped is None:
            summaries.append(_summary(result, mine, excluded_across[result.file]))
    return _errors(findings), [f for f in findings if f.severity == "warning"], summaries


def _errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def _excluded_across(loaded: Loaded, matched: Matched) -> Counter[str | None]:
    """Rows of each file left out by the rules across files and by the register."""
    excluded: Counter[str | None] = Counter(file for m in loaded.merged.values() for file, _ in m.excluded)
    excluded.update(file for rows in matched.left_out.values() for file, _ in rows)
    return excluded


def _across_by_file(loaded: Loaded, matched: Matched) -> dict[str | None, list[Finding]]:
    """The findings of the rules across files and of the register, by the file they are in."""
    out: dict[str | None, list[Finding]] = {}
    for f in [f for merged in loaded.merged.values() for f in merged.findings] + matched.findings:
        out.setdefault(f.file, []).append(f)
    return out


def _file_findings(result: FileResult) -> list[Finding]:
    if result.failure is not None:
        return [result.failure]
    out = list(result.notes)
    for sheet in result.sheets:
        out += sheet.errors + sheet.warnings
    return out


def _summary(result: FileResult, findings: list[Finding], excluded_across: int) -> FileSummary:
    errors = len(_errors(findings))
    if result.failure is not None:
        return FileSummary(file=result.file, readable=False, errors=errors)
    layout: Counter[str] = Counter()
    for sheet in result.sheets:
        layout.update(sheet.layout)
    return FileSummary(
        file=result.file,
        readable=True,
        sheets=tuple(s.sheet for s in result.sheets),
        rows_read=sum(s.rows_read for s in result.sheets),
        rows_excluded=sum(len(s.invalid) for s in result.sheets) + excluded_across,
        blank_rows=sum(s.blank_rows for s in result.sheets),
        errors=errors,
        warnings=len(findings) - errors,
        layout_rows=dict(sorted(layout.items())),
        sheet_rows=tuple(s.rows for s in result.sheets),
    )


def _indicators(
    loaded: Loaded, matched: Matched, targets: Targets, by: str | None, year: int | None
) -> list[IndicatorResult]:
    left_out = _left_out(loaded, matched)
    data = {}
    # A sheet no input has still counts its register's units as missing.
    for key in dict.fromkeys([*matched.frames, *matched.units]):
        spec = targets.sheet(key)
        assert spec is not None  # tables and registers only exist for form sheets
        data[key] = build_sheet_data(spec, matched.frames.get(key), left_out.get(key, []), matched.units.get(key))
    return [evaluate(ind, data.get(ind.sheet), by, year) for ind in targets.indicators]


def _left_out(loaded: Loaded, matched: Matched) -> dict[str, list[dict[str, Any]]]:
    """By form sheet, the values of every row left out: invalid, excluded across files, or not in the register."""
    out: dict[str, list[dict[str, Any]]] = {}
    for result in loaded.results:
        for sheet in result.sheets:
            out.setdefault(sheet.form_sheet, []).extend(values for _, values in sheet.invalid)
    for key, merged in loaded.merged.items():
        out.setdefault(key, []).extend(values for _, values in merged.excluded)
    for key, rows in matched.left_out.items():
        out.setdefault(key, []).extend(values for _, values in rows)
    return out


def _indicator_warnings(indicators: list[IndicatorResult], targets: Targets, present: set[str]) -> list[Finding]:
    out = []
    needs_register = {i.id: i.needs_register for i in targets.indicators}
    for ind in indicators:
        spec = targets.sheet(ind.sheet)
        label = spec.label if spec else ind.sheet
        if ind.sheet not in present and ind.coverage is None:
            out.append(finding("sheet-missing", Place(sheet=label), {"indicator": ind.id, "sheet": label}))
        elif ind.status == "no_data":
            out.append(finding("no-data", params={"indicator": ind.id}))
        elif ind.coverage is None and needs_register[ind.id]:
            params = {"indicator": ind.id, "sheet": label, "count": ind.denominator}
            out.append(finding("denominator-from-files", Place(sheet=label), params))
    return out
