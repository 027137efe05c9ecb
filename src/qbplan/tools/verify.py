"""``qbplan verify``: check a province's own annex against what the submissions say.

An inspector today re-does the annex with a calculator: for each indicator
row, is the claimed "Thực hiện" the rate the data gives, and does the
"Đánh giá" follow from it? Here each claim is compared with the exact rate,
after rounding to the annex's own decimals (down or half up: both are how
people round), and each verdict with the exact status.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, get_args

import python_calamine

from qbplan.config.targets import Targets
from qbplan.errors import EXIT_CANNOT_RUN, EXIT_OK, EXIT_TARGET_MISSED, InputError
from qbplan.i18n import DOCUMENT_LANG, ui
from qbplan.model.findings import Finding, Place, finding
from qbplan.model.report import IndicatorResult, Report, Status
from qbplan.read.sniff import sniff
from qbplan.run.pipeline import CheckOptions, run_bounded
from qbplan.textnorm import fold

# The annex's verdict words (folded) and what they claim: the words the annex
# itself is written with (qbplan's own --format annex), from the catalogue.
_VERDICTS = {fold(ui(f"status.{status}", DOCUMENT_LANG)): status for status in (*get_args(Status), "exceeded")}
_ID = re.compile(r"\bct\d+[a-z]?\b")
_NUMBER = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*%?\s*$")


@dataclass(frozen=True, slots=True)
class _Columns:
    header_row: int  # 0-based
    title: int
    done: int
    verdict: int
    stt: int | None


def verify(annex: str, report: Report, targets: Targets, options: CheckOptions | None = None) -> list[Finding]:
    """The findings of ``annex``'s claims against ``report`` (the check of the submissions).

    The annex is read in a worker bounded by ``options``' time and memory, as
    any input is: a hostile annex (a cell at XFD1048576) is refused, not a crash.
    """
    sheet, grid = run_bounded(_read, annex, options or CheckOptions())
    columns = _columns(annex, sheet, grid)
    check = _AnnexRows(annex, sheet, columns, targets, {r.id: r for r in report.indicators})
    return [f for i in range(columns.header_row + 1, len(grid)) for f in check.row(i, grid[i])]


@dataclass(frozen=True)
class Verified:
    """An annex's claims set against the check of the submissions."""

    checked: Report  # the check of the submissions
    findings: list[Finding]  # the annex's claims the data do not give (errors), rows it names no indicator for

    @property
    def report(self) -> Report:
        """The check, the annex's findings first: what ``qbplan verify`` shows."""
        return dataclasses.replace(
            self.checked,
            errors=self.claims + self.checked.errors,
            warnings=[f for f in self.findings if f.severity == "warning"] + self.checked.warnings,
        )

    @property
    def claims(self) -> list[Finding]:
        """The claims the data do not give."""
        return [f for f in self.findings if f.severity == "error"]

    @property
    def exit_code(self) -> int:
        """2 when a submission could not be read; 1 when a claim is wrong; else 0."""
        if self.checked.unreadable_files:
            return EXIT_CANNOT_RUN
        return EXIT_TARGET_MISSED if self.claims else EXIT_OK


def verified(annex: str, report: Report, targets: Targets, options: CheckOptions | None = None) -> Verified:
    """:func:`verify`, kept beside the check it was made against."""
    return Verified(checked=report, findings=verify(annex, report, targets, options))


@dataclass(frozen=True)
class _AnnexRows:
    """The rows of one annex sheet, each checked against the report's indicators."""

    annex: str
    sheet: str
    columns: _Columns
    targets: Targets
    results: dict[str, IndicatorResult]

    def row(self, i: int, row: list[Any]) -> list[Finding]:
        """Row ``i``: its indicator found by title (and STT), then its rate and its verdict checked."""
        title = _cell(row, self.columns.title)
        return self._claims(i, row, title) if isinstance(title, str) and title.strip() else []

    def _claims(self, i: int, row: list[Any], title: str) -> list[Finding]:
        columns = self.columns
        stt = _cell(row, columns.stt) if columns.stt is not None else None
        ind = _match(title, stt, self.targets, self.results)
        done = _cell(row, columns.done)
        if ind is not None:
            rate = _check_rate(self.annex, self.sheet, i, columns.done, done, ind)
            return rate + _check_verdict(self.annex, self.sheet, i, columns.verdict, _cell(row, columns.verdict), ind)
        if done in (None, ""):
            return []  # a row of text without a figure: a heading, a note
        return [finding("annex-unknown-indicator", Place(self.annex, self.sheet, i + 1), {"title": title.strip()})]


def _read(path: str) -> tuple[str, list[list[Any]]]:
    sniff(path)  # refuses what is not a workbook, or hostile, as for any input
    try:
        book = python_calamine.CalamineWorkbook.from_path(path)
        name = book.sheet_names[0]
        return name, book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as exc:  # noqa: BLE001 - calamine raises many types for damaged files
        raise InputError("input-corrupt", file=path, detail=str(exc)[:200]) from None


# The annex's columns verify reads: (its key in the catalogue, its role here).
_HEADINGS = (("indicator", "title"), ("done", "done"), ("verdict", "verdict"), ("stt", "stt"))


def _columns(path: str, sheet: str, grid: list[list[Any]]) -> _Columns:
    # The annex's own headings (as --format annex writes them), folded.
    wanted = {fold(ui(f"annex.col.{key}", DOCUMENT_LANG)): role for key, role in _HEADINGS}
    for i, row in enumerate(grid[:30]):
        found = {wanted[fold(c)]: j for j, c in enumerate(row) if isinstance(c, str) and fold(c) in wanted}
        if {"title", "done", "verdict"} <= set(found):
            return _Columns(i, found["title"], found["done"], found["verdict"], found.get("stt"))
    expected = ", ".join(ui(f"annex.col.{key}", DOCUMENT_LANG) for key, _ in _HEADINGS[:3]) + ", …"
    raise InputError("input-no-header", file=path, sheet=sheet, expected=expected)


def _cell(row: list[Any], j: int) -> Any:
    return row[j] if j < len(row) else None


def _match(title: str, stt: Any, targets: Targets, results: dict[str, IndicatorResult]) -> IndicatorResult | None:
    """The indicator a row is about: by an id in it, else by its title (folded)."""
    for text in (str(stt or ""), title):
        found = _ID.search(fold(text))
        if found and found.group() in results:
            return results[found.group()]
    wanted = fold(title)
    for ind in targets.indicators:
        if fold(ind.title_vi) == wanted or fold(ind.title_en) == wanted:
            return results.get(ind.id)
    return None


def _claimed(value: Any) -> tuple[Fraction, int] | None:
    """A claimed percentage and its decimals: "87,2 %" -> (87.2, 1); a cell formatted as % holds 0.872."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        text = repr(float(value))
        number = Fraction(text) * (100 if abs(value) <= 1 else 1)
        decimals = max(0, len(text.split(".")[1].rstrip("0")) - (2 if abs(value) <= 1 else 0))
        return number, decimals
    match = _NUMBER.match(str(value))
    if not match:
        return None
    text = match.group(1).replace(",", ".")
    return Fraction(text), len(text.split(".")[1]) if "." in text else 0


def _check_rate(path: str, sheet: str, i: int, j: int, value: Any, ind: IndicatorResult) -> list[Finding]:
    claimed = _claimed(value)
    place = Place(path, sheet, i + 1, "thuc_hien", j)
    if claimed is None or ind.rate is None:
        return []
    number, decimals = claimed
    scale = 10**decimals
    exact = ind.rate * 100 * scale
    down = Fraction(exact.numerator // exact.denominator, scale)
    half_up = Fraction((2 * exact.numerator + exact.denominator) // (2 * exact.denominator), scale)
    if number in (down, half_up):
        return []
    params = {"indicator": ind.id, "claimed": _shown(number, decimals), "computed": _shown(down, decimals)}
    return [finding("annex-wrong-rate", place, params, value)]


def _check_verdict(path: str, sheet: str, i: int, j: int, value: Any, ind: IndicatorResult) -> list[Finding]:
    said = _VERDICTS.get(fold(str(value))) if isinstance(value, str) else None
    if said is None:
        return []
    actual = "exceeded" if ind.exceeded else ind.status
    # "Đạt" for a rate that exceeds its target is still true; so is "Chưa đủ số liệu" for no data at all.
    if said == actual or (said, actual) in (("pass", "exceeded"), ("incomplete", "no_data")):
        return []
    place = Place(path, sheet, i + 1, "danh_gia", j)
    return [finding("annex-wrong-verdict", place, {"indicator": ind.id, "said": str(value), "status": actual}, value)]


def _shown(number: Fraction, decimals: int) -> str:
    whole = int(number)
    if decimals == 0:
        return f"{whole} %"
    rest = abs(number - whole) * 10**decimals
    return f"{whole},{int(rest):0{decimals}d} %"
