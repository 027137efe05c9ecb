"""The library core: ``check(paths, targets) -> Report``."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from qbplan.errors import InputError, QbplanError
from qbplan.i18n import format_percent, message
from qbplan.report import FailOn, FileSummary, Finding, Report
from qbplan.targets import Indicator, Targets


def _goal(ind: Indicator, lang: str) -> str:
    if ind.goal:
        return str(ind.goal)
    pct = ind.target.pass_ * 100
    digits = 0 if pct.denominator == 1 else 1
    return format_percent(ind.target.pass_, lang, digits=digits)


def check(
    paths: Sequence[str | os.PathLike[str]],
    targets: Targets,
    *,
    by: str | None = None,
    lang: str = "vi",
    fail_on: FailOn = "fail",
) -> Report:
    """Read, validate and evaluate the submissions in ``paths``.

    A file that cannot be read becomes an error finding (and exit code 2); the
    other files are still checked. Raises :class:`QbplanError` only for usage
    problems, such as a ``by`` column no form sheet has.
    """
    from qbplan.indicators import build_sheet_data, evaluate
    from qbplan.reading import read_workbook
    from qbplan.validation import validate_table

    if not paths:
        raise QbplanError("usage-no-inputs")
    if by is not None and not any(s.column(by) for s in targets.form.sheets):
        raise QbplanError("usage-bad-by", column=by)

    errors: list[Finding] = []
    warnings: list[Finding] = []
    files: list[FileSummary] = []
    records: dict[str, list[dict[str, Any]]] = {}
    invalid: dict[str, list[dict[str, Any]]] = {}
    for raw_path in paths:
        path = os.fspath(raw_path)
        try:
            workbook = read_workbook(path, targets)
        except InputError as exc:
            sheet = exc.params.get("sheet")
            finding = Finding(code=exc.code, severity="error", message=exc.message(lang), file=path, sheet=sheet)
            errors.append(finding)
            files.append(FileSummary(file=path, readable=False, errors=1))
            continue
        file_errors = file_warnings = rows = excluded = blank = 0
        for code, sheet, params in workbook.notes:
            warnings.append(
                Finding(
                    code=code,
                    severity="warning",
                    message=message(code, lang, sheet=sheet, **params),
                    file=path,
                    sheet=sheet,
                )
            )
            file_warnings += 1
        for table in workbook.tables:
            validated = validate_table(table, lang)
            errors.extend(validated.errors)
            file_errors += len(validated.errors)
            rows += len(table.rows)
            excluded += len(validated.invalid)
            blank += table.blank_rows
            records.setdefault(table.spec.key, []).extend(values for _, values in validated.records)
            invalid.setdefault(table.spec.key, []).extend(values for _, values in validated.invalid)
        files.append(
            FileSummary(
                file=path,
                readable=True,
                sheets=tuple(t.sheet for t in workbook.tables),
                rows_read=rows,
                rows_excluded=excluded,
                blank_rows=blank,
                errors=file_errors,
                warnings=file_warnings,
            )
        )

    data = {}
    for key, rows_ in records.items():
        spec = targets.sheet(key)
        assert spec is not None  # tables only exist for form sheets
        data[key] = build_sheet_data(spec, rows_, invalid.get(key, []))
    results = []
    for ind in targets.indicators:
        sheet_data = data.get(ind.sheet)
        result = evaluate(ind, sheet_data, by, ind.title(lang), _goal(ind, lang))
        if sheet_data is None:
            spec = targets.sheet(ind.sheet)
            label = spec.label if spec else ind.sheet
            code = "sheet-missing"
            warnings.append(
                Finding(
                    code=code,
                    severity="warning",
                    message=message(code, lang, indicator=ind.id, sheet=label),
                    sheet=label,
                )
            )
        elif result.status == "no_data":
            code = "no-data"
            warnings.append(Finding(code=code, severity="warning", message=message(code, lang, indicator=ind.id)))
        results.append(result)
    return Report(
        plan_title=targets.plan.title_en if lang == "en" else targets.plan.title_vi,
        targets_file=targets.path,
        lang=lang,
        indicators=results,
        errors=errors,
        warnings=warnings,
        files=files,
        by=by,
        fail_on=fail_on,
    )
