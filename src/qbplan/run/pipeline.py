"""The pipeline, in one direction: files → read → layout → validate → indicators → report.

:func:`check` is the library's entry point. Each input file is read, laid out
and validated by :func:`check_file` in its own worker process (see
:mod:`qbplan.run.workers`); the parent merges the valid rows into one DataFrame per
form sheet, applies the table rule across files, and assembles the report
(:mod:`qbplan.run.assemble`). No stage edits another's results: each
returns new data.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from qbplan.config.targets import Indicator, Targets
from qbplan.defaults import DEFAULT_FAIL_ON, DEFAULT_TIMEOUT, FailOn
from qbplan.errors import InputError, QbplanError
from qbplan.files.inputs import Inputs, collect
from qbplan.files.inputs import Problem as InputProblem
from qbplan.history.periods import Period
from qbplan.model.batch import FileResult, Loaded, SheetResult
from qbplan.model.figures import UnitFigure
from qbplan.model.findings import Finding, Place, capped, finding
from qbplan.model.report import Report
from qbplan.read.sniff import Limits
from qbplan.register.load import Register
from qbplan.run.workers import WorkerFailure, default_jobs, run_each

if TYPE_CHECKING:  # pragma: no cover
    from qbplan.read.workbook import LargeSheetReader
    from qbplan.register.match import Matched


@dataclass(frozen=True)
class CheckOptions:
    """How a check runs. The CLI's defaults are these."""

    # Break indicators down by this column (e.g. "huyen"; check() takes its label too).
    by: str | None = None
    # When the exit code is 1: on a missed target ("fail"), also on warn/no data ("warn"), or "never".
    fail_on: FailOn = DEFAULT_FAIL_ON
    # Worker processes; None: one per core.
    jobs: int | None = None
    # Seconds one file may take; None: no limit.
    timeout: float | None = DEFAULT_TIMEOUT
    # Bytes of memory one worker may use; None: no limit.
    max_memory: int | None = None
    limits: Limits = field(default_factory=Limits)
    # Opens encrypted workbooks.
    password: str | None = None
    # The register of reporting units (workbooks, or one CSV per sheet); None:
    # the one the targets file names, if any; (): none.
    register: tuple[str, ...] | None = None
    # The reporting period: its year picks the indicators' milestones.
    period: Period | None = None
    # Keep each unit's figures in the report (to save them, or to read them against the last period).
    keep_figures: bool = False


@dataclass(frozen=True)
class Progress:
    """Callbacks for a progress display: how many files were found, and each one done."""

    files_found: Callable[[int], None] | None = None
    file_done: Callable[[str], None] | None = None
    # Every file is read; the rows are being merged across files.
    merging: Callable[[], None] | None = None

    def found(self, count: int) -> None:
        """Say how many files will be read."""
        if self.files_found:
            self.files_found(count)

    def done(self, _index: int, path: str) -> None:
        """Say one file is read (a worker's ``on_done``)."""
        if self.file_done:
            self.file_done(path)

    def merge(self) -> None:
        """Say the rows are being merged."""
        if self.merging:
            self.merging()


# Inputs that are left out with a warning rather than refused.
SKIPPED_CODES = frozenset({"input-own-report"})


def input_finding(exc: InputError) -> Finding:
    """The finding for a file that cannot be used."""
    return finding(exc.code, Place(exc.file, exc.params.get("sheet")), exc.params)


def check_file(path: str, targets: Targets, limits: Limits | None = None, password: str | None = None) -> FileResult:
    """Read, lay out and validate one file. Never raises for a bad file: it becomes ``failure``."""
    from qbplan.read.workbook import read_workbook
    from qbplan.validate.sheet import validate_table

    try:
        workbook = read_workbook(path, targets, limits or Limits(), password, screen=bulk_screen)
    except InputError as exc:
        if exc.code in SKIPPED_CODES:
            return FileResult(file=path, skipped=input_finding(exc))
        return FileResult(file=path, failure=input_finding(exc))
    sheets = []
    for table in workbook.tables:
        validated = validate_table(table)
        sheets.append(
            SheetResult(
                sheet=table.sheet,
                form_sheet=table.spec.key,
                data=validated.valid,
                invalid=validated.invalid,
                errors=capped(validated.errors),
                warnings=capped(validated.warnings),
                rows_read=table.data_rows,
                blank_rows=table.blank_rows,
                col_index=table.col_index,
                rows=table.read_as(),
            )
        )
    return FileResult(file=path, sheets=sheets, notes=list(workbook.notes))


def bulk_screen() -> LargeSheetReader:
    """The bulk screen of large sheets, for the workbook reader; imported when a large sheet first asks."""
    from qbplan.validate.screen import read_sheet

    return read_sheet


T = TypeVar("T")

# How a worker dies when its --max-memory-mb runs out: Python raises, Rust aborts.
_OUT_OF_MEMORY = ("MemoryError", "SIGABRT", "SIGKILL", "SIGSEGV", "SIGBUS")


def _from_failure(path: str, failure: WorkerFailure, max_memory: int | None) -> FileResult:
    if failure.reason == "timeout":
        return FileResult(file=path, failure=finding("input-timeout", Place(path), {"seconds": failure.detail}))
    if max_memory and any(sign in failure.detail for sign in _OUT_OF_MEMORY):
        # Say the limit the user set, not a guess about stray cells.
        params = {"mb": max_memory // (1024 * 1024), "detail": failure.detail}
        return FileResult(file=path, failure=finding("input-memory-limit", Place(path), params))
    return FileResult(file=path, failure=finding("input-crashed", Place(path), {"detail": failure.detail}))


Paths = Sequence[str | os.PathLike[str]]


def load(
    paths: Paths | Inputs, targets: Targets, options: CheckOptions | None = None, progress: Progress | None = None
) -> Loaded:
    """Read and validate the submissions in ``paths`` (see :func:`check`); collected ``Inputs`` are not walked again."""
    options = options or CheckOptions()
    progress = progress or Progress()
    inputs = _inputs(paths)
    files = inputs.files
    progress.found(len(files))

    def work(path: str) -> FileResult:
        return check_file(path, targets, options.limits, options.password)

    # Import the reader in the parent, once: every forked worker inherits it
    # instead of importing it again (~60 ms a worker).
    import python_calamine  # noqa: F401

    import qbplan.read.workbook
    import qbplan.validate.sheet  # noqa: F401

    outcomes = run_each(
        work,
        files,
        jobs=min(options.jobs or default_jobs(), max(1, len(files))),
        timeout=options.timeout,
        max_memory=options.max_memory,
        on_done=progress.done,
        on_started=_import_pandas,
    )
    results = [
        _from_failure(path, out, options.max_memory) if isinstance(out, WorkerFailure) else out
        for path, out in zip(files, outcomes, strict=True)
    ]
    from qbplan.validate.merge import merge_files

    progress.merge()
    problems = [_input_problem(p) for p in inputs.problems]
    return Loaded(results=results, problems=problems, merged=merge_files(results, targets))


def _inputs(paths: Paths | Inputs) -> Inputs:
    """The files named by ``paths``, walked unless already collected."""
    if isinstance(paths, Inputs):
        return paths
    if not paths:
        raise QbplanError("usage-no-inputs")
    return collect(paths)


def _import_pandas() -> None:
    """Import pandas, for the merge, while the first workers read rather than after the last.

    Later workers are forked from a process that has numpy's threads; they
    never call into BLAS, and Arrow re-creates its thread pool after a fork.
    """
    import pandas  # noqa: F401


def _input_problem(problem: InputProblem) -> Finding:
    params = {"detail": problem.reason} if problem.code == "input-unreadable" else {"reason": problem.reason}
    return finding(problem.code, Place(problem.path), params if problem.reason else {})


@dataclass(frozen=True)
class _Refused:
    """A QbplanError raised in a worker, carried back as data to be raised again as itself."""

    kind: type[QbplanError]
    code: str
    params: dict[str, Any]


def _refusing(func: Callable[[str], T]) -> Callable[[str], T | _Refused]:
    def call(path: str) -> T | _Refused:
        try:
            return func(path)
        except QbplanError as exc:
            return _Refused(type(exc), exc.code, exc.params)

    return call


def run_bounded(func: Callable[[str], T], path: str, options: CheckOptions) -> T:
    """``func(path)`` in a worker, bounded by the options' time and memory like a check.

    A QbplanError that ``func`` raises (a missing file, a hostile one) reaches
    the caller as itself; a crash or a timeout becomes an InputError.
    """
    (outcome,) = run_each(_refusing(func), [path], timeout=options.timeout, max_memory=options.max_memory)
    if isinstance(outcome, _Refused):
        raise outcome.kind(outcome.code, **outcome.params)
    if isinstance(outcome, WorkerFailure):
        failed = _from_failure(path, outcome, options.max_memory).failure
        assert failed is not None  # _from_failure always says why
        raise InputError(failed.code, file=path, **{k: v for k, v in failed.params.items() if k != "file"})
    return outcome


def check(
    paths: Paths | Inputs,
    targets: Targets,
    options: CheckOptions | None = None,
    progress: Progress | None = None,
) -> Report:
    """Read, validate and evaluate the submissions in ``paths``.

    ``paths`` may name files, directories (searched recursively for .xlsx,
    .xlsm, .xls and .ods) and globs, or be what :func:`qbplan.files.inputs.collect`
    already found in them. Files are read in parallel, each bounded
    by ``options.timeout`` and ``options.max_memory``. A file that cannot be
    read becomes an error finding (exit code 2); the other files are still
    checked. Raises :class:`QbplanError` only for usage problems, such as a
    ``by`` column no form sheet has, or a register that cannot be used.
    """
    options = options or CheckOptions()
    grouped = dataclasses.replace(options, by=grouping_key(targets, options.by))
    return check_matched(paths, targets, grouped, progress).report


@dataclass(frozen=True)
class Checked:
    """A check's report with what lies behind it: the rows as matched against the register."""

    report: Report
    matched: Matched
    register: Register | None
    # Every file as read and validated (each sheet's columns, for a finding's cell).
    loaded: Loaded


def check_matched(
    paths: Paths | Inputs,
    targets: Targets,
    options: CheckOptions,
    progress: Progress | None = None,
    *,
    register: Register | None = None,
) -> Checked:
    """:func:`check`, keeping the matched rows for a tool that drills down.

    ``options.by`` is a column key here, as :func:`grouping_key` gives it
    (:func:`check` takes a key or a label). ``register``, when given, is the
    register ``options.register`` names, read once by a caller that checks
    many times against it (the intake); else it is read here.
    """
    register = register if register is not None else read_register(targets, options)
    return evaluate(load(paths, targets, options, progress), targets, options, register)


def evaluate(loaded: Loaded, targets: Targets, options: CheckOptions, register: Register | None) -> Checked:
    """The stages after reading: files' rows set against the register, indicators, findings, the report.

    Reads no file: a caller that kept each file's :class:`FileResult` (the intake keeps each
    upload's) makes the province's report from them with :func:`loaded_from`, without reading
    them again. ``options.by`` is a column key, as in :func:`check_matched`.
    """
    # Here, not at the top: they import pandas, which the parent imports while
    # the first workers read (see _import_pandas), not before it forks them.
    from qbplan.register.match import match_register
    from qbplan.run.assemble import assemble

    by = options.by
    matched = match_register(loaded, targets, register, by)
    year = options.period.year if options.period else None
    key = options.period.key if options.period else None
    report = assemble(
        loaded, matched, targets, by=by, fail_on=options.fail_on, register=register, year=year, period=key
    )
    if options.keep_figures:
        report = dataclasses.replace(report, figures=unit_figures(targets, loaded, matched))
    far = _outliers(targets, loaded, matched)
    if far:
        report = dataclasses.replace(report, warnings=[*report.warnings, *far])
    report = _explained(report)
    return Checked(report=report, matched=matched, register=register, loaded=loaded)


def check_whole(
    path: str,
    targets: Targets,
    options: CheckOptions,
    register: Register | None,
    then: Callable[[Checked], T],
    nice: int = 0,
) -> T:
    """``then(check of one file)``, all of it in one bounded worker: reading, the stages after, and ``then``.

    For a server: its own process only waits, so the pages it answers meanwhile do not share its
    interpreter with a check; ``nice`` lowers the worker's priority, so that they do not wait
    behind it for a core either. A worker that crashes or passes its time is the file's finding,
    as in :func:`load`; ``then`` then runs here on that (small) check.
    """

    caller = os.getpid()

    def whole(file: str) -> T:
        if nice and os.getpid() != caller:  # in a worker only: never the caller's own priority
            os.nice(nice)
        result = check_file(file, targets, options.limits, options.password)
        return then(evaluate(loaded_from([result], targets), targets, options, register))

    (outcome,) = run_each(whole, [path], timeout=options.timeout, max_memory=options.max_memory)
    if isinstance(outcome, WorkerFailure):
        failed = _from_failure(path, outcome, options.max_memory)
        return then(evaluate(loaded_from([failed], targets), targets, options, register))
    return outcome


def loaded_from(results: Sequence[FileResult], targets: Targets) -> Loaded:
    """Files read and validated earlier, merged as :func:`load` merges them (repeats across files found here)."""
    from qbplan.validate.merge import merge_files

    return Loaded(results=list(results), problems=[], merged=merge_files(results, targets))


def _explained(report: Report) -> Report:
    """Each input's warnings with the explanations of the CSV beside it (see :mod:`qbplan.files.explanations`).

    An explanation that names no warning of its file is itself a warning at its CSV line:
    an explanation is never dropped in silence. A CSV that cannot be read is said once.
    """
    from qbplan.files.explanations import explanations_of
    from qbplan.model.findings import explained, finding_key

    warnings = list(report.warnings)
    extra: list[Finding] = []
    for summary in report.files:
        found = explanations_of(summary.file)
        if found is None:
            continue
        path, given = found
        if given is None:
            extra.append(finding("explanations-unreadable", Place(str(path))))
            continue
        used: set[str] = set()
        for i, f in enumerate(warnings):
            key = finding_key(f)
            if f.file == summary.file and key in given:
                warnings[i] = explained(f, given[key][1])
                used.add(key)
        for key, (line, _) in sorted(given.items(), key=lambda item: item[1][0]):
            if key not in used:
                extra.append(finding("explanation-unmatched", Place(str(path), None, line), {"key": key}))
    if not extra and warnings == report.warnings:
        return report
    return dataclasses.replace(report, warnings=[*warnings, *extra])


def _outliers(targets: Targets, loaded: Loaded, matched: Matched) -> list[Finding]:
    """Counts far from the units like them (each column's ``outlier`` rule), over the rows that count."""
    judged = [s for s in targets.form.sheets if any(c.outlier is not None for c in s.columns)]
    if not judged:
        return []
    from qbplan.validate.outliers import outlier_findings

    places = loaded.column_places
    out: list[Finding] = []
    for spec in judged:
        frame = matched.frames.get(spec.key)
        if frame is not None and not frame.empty:
            out += outlier_findings(spec, frame.to_dict("records"), places)
    return out


def unit_figures(targets: Targets, loaded: Loaded, matched: Matched) -> tuple[UnitFigure, ...]:
    """Each counted row's counts and yes/no answers, by unit (its key folded as the register matches it).

    Only rows that count (kept after the merge and the register), of sheets with a key column;
    each figure keeps its cell, for a finding against the last period.
    """
    from qbplan.model.columns import FILE, ROW, SHEET
    from qbplan.model.findings import Place
    from qbplan.register.load import key_column
    from qbplan.register.match import unit_key

    places = loaded.column_places
    out: list[UnitFigure] = []
    for sheet_key, frame in matched.frames.items():
        spec = targets.sheet(sheet_key)
        key = key_column(spec) if spec is not None else None
        if spec is None or key is None or frame.empty:
            continue
        kept = [c.key for c in spec.columns if c.type in ("int", "yesno") and c.key in frame.columns]
        yesno = {c.key for c in spec.columns if c.type == "yesno"}
        for record in frame[[key.key, FILE, SHEET, ROW, *kept]].to_dict("records"):
            unit = unit_key(record[key.key])
            if unit is None or unit != unit:  # a blank key: the row model's own finding
                continue
            where = places.get((record[FILE], record[SHEET]), {})
            for column in kept:
                value = record[column]
                if value is None or value != value:  # blank (NaN in a pandas column)
                    continue
                place = Place(record[FILE], record[SHEET], int(record[ROW]), column, where.get(column))
                figure = bool(value) if column in yesno else int(value)
                out.append(UnitFigure(sheet_key, str(unit), column, figure, place))
    return tuple(out)


def register_files(targets: Targets, given: tuple[str, ...] | None) -> tuple[str, ...]:
    """The register files a run reads: ``--register`` when given (even empty), else those the targets file names."""
    return given if given is not None else targets.register_paths()


def read_register(targets: Targets, options: CheckOptions) -> Register | None:
    """The register ``options`` or the targets file names, read bounded like any input; None without one.

    A register that cannot be used raises :class:`~qbplan.register.load.RegisterError` (exit 2).
    """
    paths = register_files(targets, options.register)
    if not paths:
        return None
    from qbplan.register.load import load_register

    return load_register(list(paths), targets, lambda read, path: run_bounded(read, path, options))


def grouping_key(targets: Targets, by: str | None) -> str | None:
    """The column key ``by`` names (a key or a label); a usage error listing the choices when none."""
    if by is None:
        return None
    col = targets.grouping_column(by)
    if col is None:
        raise QbplanError("usage-bad-by", column=by, choices="; ".join(targets.grouping_choices()))
    return col.key


def indicator_named(targets: Targets, name: str) -> Indicator:
    """The indicator with this id (any case), or the usage error listing the ids."""
    wanted = name.strip().lower()
    found = next((i for i in targets.indicators if i.id == wanted), None)
    if found is None:
        known = ", ".join(i.id for i in targets.indicators)
        raise QbplanError("usage-unknown-indicator", indicator=name, known=known)
    return found
