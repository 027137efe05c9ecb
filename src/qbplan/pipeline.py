"""The library core: ``check(paths, targets) -> Report``.

Each input file is read and validated by :func:`check_file`, in its own worker
process (see :mod:`qbplan.isolation`); the results are merged in input order,
duplicates across files are resolved, and the indicators are computed once
over everything.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from qbplan.config.targets import Indicator, Sheet, Targets
from qbplan.errors import InputError, QbplanError
from qbplan.files.inputs import collect
from qbplan.i18n import format_percent, message
from qbplan.read.cells import column_letter
from qbplan.read.sniff import Limits
from qbplan.results.report import FailOn, FileSummary, Finding, Report
from qbplan.textnorm import fold
from qbplan.workers import WorkerFailure, default_jobs, run_each

# Seconds one file may take to read and validate before its worker is stopped.
DEFAULT_TIMEOUT = 600.0


@dataclass
class SheetResult:
    """One validated form sheet of one file."""

    sheet: str  # as named in the workbook
    form_sheet: str
    # Valid rows from the worker: a DataFrame (columnar path) or {column key:
    # values, "__row": Excel rows}. _combine moves them into one DataFrame per
    # form sheet (Loaded.frames) and sets this to None.
    data: Any
    invalid: list[tuple[int, dict[str, Any]]]
    errors: list[Finding]
    warnings: list[Finding]
    rows_read: int
    blank_rows: int
    layout: dict[str, int]
    col_index: dict[str, int]


@dataclass
class FileResult:
    """What one input file gave: its sheets, or the reason it could not be used."""

    file: str
    failure: Finding | None = None
    sheets: list[SheetResult] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)


def _goal(ind: Indicator, lang: str) -> str:
    if ind.goal:
        return str(ind.goal)
    pct = ind.target.pass_ * 100
    digits = 0 if pct.denominator == 1 else 1
    return format_percent(ind.target.pass_, lang, digits=digits)


def _file_error(path: str, code: str, lang: str, **params: Any) -> Finding:
    sheet = params.get("sheet")
    return Finding(
        code=code, severity="error", message=message(code, lang, file=path, **params), file=path, sheet=sheet
    )


def check_file(
    path: str,
    targets: Targets,
    *,
    lang: str = "vi",
    limits: Limits | None = None,
    password: str | None = None,
) -> FileResult:
    """Read and validate one file. Never raises for a bad file: it becomes ``failure``."""
    from qbplan.read.workbook import read_workbook
    from qbplan.validate.sheet import validate_table

    try:
        workbook = read_workbook(path, targets, limits or Limits(), password)
    except InputError as exc:
        finding = Finding(
            code=exc.code,
            severity="error",
            message=exc.message(lang),
            file=path,
            sheet=exc.params.get("sheet"),
        )
        return FileResult(file=path, failure=finding)
    result = FileResult(file=path)
    for code, sheet, params in workbook.notes:
        result.notes.append(
            Finding(
                code=code,
                severity="warning",
                message=message(code, lang, sheet=sheet, **params),
                file=path,
                sheet=sheet,
            )
        )
    for table in workbook.tables:
        validated = validate_table(table, lang)
        result.sheets.append(
            SheetResult(
                sheet=table.sheet,
                form_sheet=table.spec.key,
                data=validated.columns,
                invalid=validated.invalid,
                errors=validated.errors,
                warnings=validated.warnings,
                rows_read=table.data_rows,
                blank_rows=table.blank_rows,
                layout={kind: len(rows) for kind, rows in table.layout.items()},
                col_index=table.col_index,
            )
        )
    return result


def _from_failure(path: str, failure: WorkerFailure, lang: str) -> FileResult:
    if failure.reason == "timeout":
        return FileResult(file=path, failure=_file_error(path, "input-timeout", lang, seconds=failure.detail))
    return FileResult(file=path, failure=_file_error(path, "input-crashed", lang, detail=failure.detail))


def fold_keys(values: Any) -> Any:
    """Unique-key values as the validator compares them: folded text, numbers as they are."""
    import pandas as pd

    series = pd.Series(values, dtype=object)
    texts = series.map(lambda v: isinstance(v, str))
    if texts.all() and series.map(str.isascii).all():
        # Clean ASCII text: fold() is lower(), and pandas does it in bulk.
        return series.str.lower()
    return series.map(lambda v: fold(v) if isinstance(v, str) else v)


def _combine(results: list[FileResult], targets: Targets, lang: str) -> dict[str, Any]:
    """One DataFrame of valid rows per form sheet, over all files, in input order.

    Columns: the form's, then ``__row`` (Excel row), ``__file`` and ``__sheet``.
    Rows from the row path arrive as lists and are joined as lists, so a
    folder of thousands of small files builds one DataFrame per form sheet,
    not one per file. A unique code given in two files is kept in the first.
    """
    import numpy as np
    import pandas as pd

    combined: dict[str, Any] = {}
    for spec in targets.form.sheets:
        holders = [(r, s) for r in results for s in r.sheets if s.form_sheet == spec.key]
        if not holders:
            continue
        keys = [c.key for c in spec.columns]
        parts: list[Any] = []
        lists: dict[str, list[Any]] = {k: [] for k in [*keys, "__row", "__holder"]}
        for h, (_result, sheet) in enumerate(holders):
            data = sheet.data
            if isinstance(data, pd.DataFrame):
                if lists["__row"]:
                    parts.append(_list_frame(lists))
                parts.append(data.assign(__holder=h))
            else:
                for k in [*keys, "__row"]:
                    lists[k].extend(data[k])
                lists["__holder"].extend([h] * len(data["__row"]))
            sheet.data = None  # the combined frame holds the rows now
        if lists["__row"] or not parts:
            parts.append(_list_frame(lists))
        frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        if len(holders) > 1:
            frame = _drop_cross_file_duplicates(frame, spec, holders, lang)
        holder = frame["__holder"].to_numpy()
        frame["__file"] = np.array([r.file for r, _ in holders], dtype=object)[holder]
        frame["__sheet"] = np.array([s.sheet for _, s in holders], dtype=object)[holder]
        combined[spec.key] = frame.drop(columns="__holder")
    return combined


def _list_frame(lists: dict[str, list[Any]]) -> Any:
    """A DataFrame of the rows gathered as lists; the lists are emptied."""
    import pandas as pd

    frame = pd.DataFrame(
        {k: pd.array(v, dtype="int64" if k in ("__row", "__holder") else object) for k, v in lists.items()}
    )
    for values in lists.values():
        values.clear()
    return frame


def _drop_cross_file_duplicates(frame: Any, spec: Sheet, holders: list[tuple[FileResult, Any]], lang: str) -> Any:
    """A unique code given in two files counts once: in the first file, in input order.

    Inside one sheet the validator already left repeats out (duplicate-key),
    so every repeat here is across files. The repeat becomes an error in its
    own file, naming the file, sheet and cell that counts.
    """
    import numpy as np

    for col in (c for c in spec.columns if c.unique):
        folded = fold_keys(frame[col.key])
        present = folded.notna()
        repeat = folded.duplicated(keep="first") & present
        if not repeat.any():
            continue
        first_keys = folded[present & ~repeat]
        first_at = dict(zip(first_keys.tolist(), first_keys.index.tolist(), strict=True))
        rows, owners, values = frame["__row"].to_numpy(), frame["__holder"].to_numpy(), frame[col.key]
        for i in np.flatnonzero(repeat.to_numpy()):
            j = first_at[folded.iat[i]]
            first_result, first_sheet = holders[int(owners[j])]
            first_index = first_sheet.col_index.get(col.key)
            first_cell = f"{column_letter(first_index) if first_index is not None else ''}{int(rows[j])}"
            result, sheet = holders[int(owners[i])]
            row, value = int(rows[i]), values.iat[i]
            index = sheet.col_index.get(col.key)
            sheet.invalid.append((row, {c.key: frame[c.key].iat[i] for c in spec.columns}))
            sheet.errors.append(
                Finding(
                    code="duplicate-across-files",
                    severity="error",
                    message=message(
                        "duplicate-across-files",
                        lang,
                        value=value,
                        label=col.label,
                        first=f"{first_result.file}, '{first_sheet.sheet}'!{first_cell}",
                    ),
                    file=result.file,
                    sheet=sheet.sheet,
                    row=row,
                    column=col.key,
                    cell=f"{column_letter(index)}{row}" if index is not None else None,
                    value=value,
                )
            )
        frame = frame[~repeat.to_numpy()].reset_index(drop=True)
    return frame


@dataclass
class Loaded:
    """Every input file read and validated, with duplicates across files resolved."""

    results: list[FileResult]
    # (code, path) for inputs that name no file: an empty folder, a glob with no match
    problems: list[tuple[str, str]]
    # form sheet key -> its valid rows over all files (see _combine)
    frames: dict[str, Any]


def load(
    paths: Sequence[str | os.PathLike[str]],
    targets: Targets,
    *,
    lang: str = "vi",
    limits: Limits | None = None,
    jobs: int | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_memory: int | None = None,
    password: str | None = None,
    on_file_done: Callable[[str], None] | None = None,
    on_files_found: Callable[[int], None] | None = None,
) -> Loaded:
    """Read and validate the submissions in ``paths`` (see :func:`check`)."""
    if not paths:
        raise QbplanError("usage-no-inputs")
    inputs = collect(paths)
    files = inputs.files
    if on_files_found:
        on_files_found(len(files))
    limits = limits or Limits()

    def work(path: str) -> FileResult:
        return check_file(path, targets, lang=lang, limits=limits, password=password)

    # Import the reader in the parent, once: every forked worker inherits it
    # instead of importing it again (~60 ms a worker).
    import python_calamine  # noqa: F401

    import qbplan.read.workbook
    import qbplan.validate.sheet  # noqa: F401

    def done(_index: int, path: str) -> None:
        if on_file_done:
            on_file_done(path)

    def meanwhile() -> None:
        # The merge needs pandas: import it while the first workers read, not
        # after the last. Later workers are forked from a process that has
        # numpy's threads; they never call into BLAS, and Arrow re-creates
        # its thread pool after a fork.
        import pandas  # noqa: F401

    outcomes = run_each(
        work,
        files,
        jobs=min(jobs or default_jobs(), max(1, len(files))),
        timeout=timeout,
        max_memory=max_memory,
        on_done=done,
        on_started=meanwhile,
    )
    results = [
        _from_failure(path, out, lang) if isinstance(out, WorkerFailure) else out
        for path, out in zip(files, outcomes, strict=True)
    ]
    frames = _combine(results, targets, lang)
    return Loaded(results=results, problems=inputs.problems, frames=frames)


def check(
    paths: Sequence[str | os.PathLike[str]],
    targets: Targets,
    *,
    by: str | None = None,
    lang: str = "vi",
    fail_on: FailOn = "fail",
    **options: Any,
) -> Report:
    """Read, validate and evaluate the submissions in ``paths``.

    ``paths`` may name files, directories (searched recursively for .xlsx,
    .xlsm, .xls and .ods) and globs. Files are read in parallel (``jobs``
    worker processes; all cores by default), each bounded by ``timeout``
    seconds and ``max_memory`` bytes; encrypted workbooks are opened with
    ``password``; ``limits`` bounds what a zip may unpack to. A file that
    cannot be read becomes an error finding (exit code 2); the other files are
    still checked. Raises :class:`QbplanError` only for usage problems, such
    as a ``by`` column no form sheet has. ``options`` are those of :func:`load`.
    """
    if by is not None and not any(s.column(by) for s in targets.form.sheets):
        raise QbplanError("usage-bad-by", column=by)
    loaded = load(paths, targets, lang=lang, **options)
    return report_for(loaded, targets, by=by, lang=lang, fail_on=fail_on)


def report_for(
    loaded: Loaded,
    targets: Targets,
    *,
    by: str | None,
    lang: str,
    fail_on: FailOn,
) -> Report:
    """The Report of loaded submissions: per-file summaries, findings and every indicator."""
    # pandas is imported only now, after the workers were forked.
    from qbplan.indicators import build_sheet_data, evaluate

    errors: list[Finding] = []
    warnings: list[Finding] = []
    summaries: list[FileSummary] = []
    invalid: dict[str, list[dict[str, Any]]] = {}
    results = loaded.results
    for code, path in loaded.problems:
        errors.append(_file_error(path, code, lang))
        summaries.append(FileSummary(file=path, readable=False, errors=1))
    for result in results:
        if result.failure is not None:
            errors.append(result.failure)
            summaries.append(FileSummary(file=result.file, readable=False, errors=1))
            continue
        warnings.extend(result.notes)
        n_errors = n_warnings = rows = excluded = blank = 0
        n_warnings = len(result.notes)
        layout: dict[str, int] = {}
        for sheet in result.sheets:
            errors.extend(sheet.errors)
            warnings.extend(sheet.warnings)
            n_errors += len(sheet.errors)
            n_warnings += len(sheet.warnings)
            rows += sheet.rows_read
            excluded += len(sheet.invalid)
            blank += sheet.blank_rows
            for kind, count in sheet.layout.items():
                layout[kind] = layout.get(kind, 0) + count
            invalid.setdefault(sheet.form_sheet, []).extend(values for _, values in sheet.invalid)
        summaries.append(
            FileSummary(
                file=result.file,
                readable=True,
                sheets=tuple(s.sheet for s in result.sheets),
                rows_read=rows,
                rows_excluded=excluded,
                blank_rows=blank,
                errors=n_errors,
                warnings=n_warnings,
                layout_rows=dict(sorted(layout.items())),
            )
        )

    data = {}
    for key, frame in loaded.frames.items():
        spec = targets.sheet(key)
        assert spec is not None  # tables only exist for form sheets
        data[key] = build_sheet_data(spec, [frame], invalid.get(key, []))
    results_ = []
    for ind in targets.indicators:
        sheet_data = data.get(ind.sheet)
        result_ = evaluate(ind, sheet_data, by, ind.title(lang), _goal(ind, lang))
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
        elif result_.status == "no_data":
            code = "no-data"
            warnings.append(Finding(code=code, severity="warning", message=message(code, lang, indicator=ind.id)))
        results_.append(result_)
    return Report(
        plan_title=targets.plan.title_en if lang == "en" else targets.plan.title_vi,
        targets_file=targets.path,
        lang=lang,
        indicators=results_,
        errors=errors,
        warnings=warnings,
        files=summaries,
        by=by,
        fail_on=fail_on,
    )
