"""``qbplan verify``: check a province's own annex against what the submissions say.

An inspector today re-does the annex with a calculator: for each indicator
row, is the claimed "Thực hiện" the rate and the counts the data give, is the
target the plan's, and does the "Đánh giá" follow? Here each claim is set
against the exact result, after rounding to the annex's own decimals (down or
half up: both are how people round).

It fails closed. A claim it cannot read, a verdict word it does not know, a
row whose title names no indicator, and an indicator of the plan that no row
of any sheet gives are each an error at their place, never a silent skip.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, TypeVar

import python_calamine

from qbplan.config.targets import AnnexColumn, Indicator, Targets
from qbplan.errors import InputError
from qbplan.i18n import DOCUMENT_LANG, ui
from qbplan.model.findings import Finding, Place, finding
from qbplan.model.report import IndicatorResult, Report
from qbplan.read.sniff import sniff
from qbplan.run.pipeline import CheckOptions, run_bounded
from qbplan.textnorm import fold
from qbplan.tools.claims import (
    TRUE_OF,
    Claim,
    Count,
    Percent,
    percent_text,
    read_claim,
    read_goal,
    read_verdict,
    rounded_down,
    rounded_matches,
)

_ID = re.compile(r"\bct\d+[a-z]?\b")
# A heading row is looked for among the first rows of a sheet.
_HEADER_ROWS = 30
# The columns a sheet must have to be read as an annex table.
_NEEDED: frozenset[AnnexColumn] = frozenset({"indicator", "done", "verdict"})
# Each annex column's key in a finding, in the ASCII Vietnamese of the form's keys.
FINDING_COLUMN: dict[AnnexColumn, str] = {
    "stt": "stt",
    "indicator": "chi_tieu",
    "unit": "don_vi_tinh",
    "goal": "muc_tieu",
    "previous": "thuc_hien_ky_truoc",
    "done": "thuc_hien",
    "rate": "ty_le",
    "verdict": "danh_gia",
    "note": "ghi_chu",
}
_COLUMNS: tuple[AnnexColumn, ...] = tuple(FINDING_COLUMN)
_K = TypeVar("_K", bound=str)
# The words a title may start with that say nothing about which indicator it is:
# "Tỷ lệ", a target written first ("100% cơ quan …", "80%-90% nghiệp vụ …").
_TITLE_LEAD = re.compile(r"^(?:ty le\s+|so\s+)?(?:\d+(?:[.,]\d+)?\s*%\s*(?:[-–]\s*\d+(?:[.,]\d+)?\s*%\s*)?)?")
_TITLE_TAIL = re.compile(r"[\s.;:,]*(?:\(\s*%\s*\))?[\s.;:,]*$")


def title_key(text: str) -> str:
    """A title folded to what identifies it: no leading "Tỷ lệ" or target, no trailing "(%)" or stop."""
    folded = fold(text)
    return _TITLE_TAIL.sub("", _TITLE_LEAD.sub("", folded, count=1)).strip()


@dataclass(frozen=True, slots=True)
class _Table:
    """Where one sheet's annex table is: its heading row (0-based) and each known column's index."""

    sheet: str
    header_row: int
    columns: dict[AnnexColumn, int]


def verify(
    annex: str, report: Report, targets: Targets, options: CheckOptions | None = None
) -> tuple[list[Finding], int]:
    """The findings of ``annex``'s claims against ``report`` (the check of the submissions), and how many
    indicators the annex gives a row (its claims, each checked).

    The annex is read and its claims parsed in a worker bounded by
    ``options``' time and memory, as any input is: a hostile annex (a cell at
    XFD1048576, a million rows of claims) is refused, not a crash or a hang.
    Every sheet with the annex's headings is read.
    """
    return run_bounded(lambda path: _claims(path, report, targets), annex, options or CheckOptions())


def _claims(annex: str, report: Report, targets: Targets) -> tuple[list[Finding], int]:
    sheets = read_workbook(annex)
    headings = _headings(targets)
    tables = [(t, grid) for name, grid in sheets if (t := _table(name, grid, headings)) is not None]
    if not tables:
        expected = ", ".join(ui(f"annex.col.{key}", DOCUMENT_LANG) for key in ("indicator", "done", "verdict"))
        raise InputError("input-no-header", file=annex, sheet=sheets[0][0] if sheets else "", expected=expected)
    rows = _AnnexRows(annex, targets, {r.id: r for r in report.indicators}, _titles(targets))
    out: list[Finding] = []
    for table, grid in tables:
        for i in range(table.header_row + 1, len(grid)):
            out += rows.row(table, i, grid[i])
    given = rows.seen
    for ind in targets.indicators:
        if ind.id not in given:
            out.append(finding("annex-missing-indicator", Place(annex), {"indicator": ind.id, "title": ind.title_vi}))
    return out, len(given)


@dataclass(frozen=True)
class Verified:
    """An annex's claims set against the check of the submissions."""

    checked: Report  # the check of the submissions
    findings: list[Finding]  # the annex's claims the data do not give, and what could not be read
    annex: str = ""
    claims_checked: int = 0  # the indicators the annex gives a row, each set against the data

    @property
    def report(self) -> Report:
        """The check, the annex's findings first, judged as an annex: what ``qbplan verify`` shows."""
        return dataclasses.replace(
            self.checked,
            errors=self.claims + self.checked.errors,
            warnings=[f for f in self.findings if f.severity == "warning"] + self.checked.warnings,
            annex_file=self.annex,
            annex_claims=self.claims_checked,
        )

    @property
    def claims(self) -> list[Finding]:
        """The claims the data do not give, and those that could not be read."""
        return [f for f in self.findings if f.severity == "error"]

    @property
    def exit_code(self) -> int:
        """2 when a submission could not be read; 1 when a claim is wrong or unreadable; else 0.

        The report's own exit code, so that ``-f json``'s summary and the process agree.
        """
        return self.report.exit_code


def verified(annex: str, report: Report, targets: Targets, options: CheckOptions | None = None) -> Verified:
    """:func:`verify`, kept beside the check it was made against."""
    findings, claims = verify(annex, report, targets, options)
    return Verified(checked=report, findings=findings, annex=annex, claims_checked=claims)


def read_workbook(path: str) -> list[tuple[str, list[list[Any]]]]:
    """Every sheet of a workbook a person filled in (an annex, a self-assessment) as grids, hostile files refused."""
    sniff(path, own_report=True)  # refuses what is not a workbook, or hostile, as for any input
    try:
        book = python_calamine.CalamineWorkbook.from_path(path)
        return [(name, book.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in book.sheet_names]
    except Exception as exc:  # noqa: BLE001 - calamine raises many types for damaged files
        raise InputError("input-corrupt", file=path, detail=str(exc)[:200]) from None


def _headings(targets: Targets) -> list[tuple[str, AnnexColumn]]:
    """Each heading (folded) and its column: qbplan's own, then the plan's aliases; longest first."""
    pairs = {fold(ui(f"annex.col.{key}", DOCUMENT_LANG)): key for key in _COLUMNS}
    # The headings of qbplan's annex before its Decree-30 layout, still in provinces' files.
    pairs.setdefault(fold("Kế hoạch"), "goal")
    pairs.setdefault(fold("Thực hiện"), "done")
    for key, aliases in targets.annex.headings.items():
        for alias in aliases:
            pairs[fold(alias)] = key
    return sorted(pairs.items(), key=lambda p: -len(p[0]))


def column_of(text: str, headings: Sequence[tuple[str, _K]]) -> _K | None:
    """The column a heading names: the longest alias (folded, longest first) it is or begins with, a word ending it."""
    folded = fold(text)
    for alias, key in headings:
        if folded == alias or (folded.startswith(alias) and not folded[len(alias)].isalnum()):
            return key
    return None


def heading_row(
    grid: list[list[Any]], headings: Sequence[tuple[str, _K]], needed: frozenset[_K]
) -> tuple[int, dict[_K, int]] | None:
    """The first row, among a sheet's first 30, that heads all of ``needed``: its index and each column's."""
    for i, row in enumerate(grid[:_HEADER_ROWS]):
        found: dict[_K, int] = {}
        for j, cell in enumerate(row):
            key = column_of(cell, headings) if isinstance(cell, str) and cell.strip() else None
            if key is not None:
                found.setdefault(key, j)
        if set(found) >= needed:
            return i, found
    return None


def _table(sheet: str, grid: list[list[Any]], headings: list[tuple[str, AnnexColumn]]) -> _Table | None:
    found = heading_row(grid, headings, _NEEDED)
    return _Table(sheet, *found) if found is not None else None


def _titles(targets: Targets) -> dict[str, str]:
    """Each accepted title's key -> its indicator: the plan's titles and the aliases it declares."""
    out: dict[str, str] = {}
    for ind in targets.indicators:
        for title in (ind.title_vi, ind.title_en, *ind.aliases):
            out.setdefault(title_key(title), ind.id)
    return out


@dataclass
class _AnnexRows:
    """The rows of the annex's tables, each checked against the report's indicators."""

    annex: str
    targets: Targets
    results: dict[str, IndicatorResult]
    titles: dict[str, str]
    seen: set[str] = dataclasses.field(default_factory=set)

    def row(self, table: _Table, i: int, row: list[Any]) -> list[Finding]:
        """Row ``i``: its indicator found by title (or an id in it), then each of its claims checked."""
        cells = {key: (row[j] if j < len(row) else None) for key, j in table.columns.items()}
        title = cells.get("indicator")
        if not isinstance(title, str) or not title.strip():
            return []
        ind = self._match(title, cells.get("stt"))
        if ind is None:
            if not _claims_something(cells):
                return []  # a section heading, a note, the sign-off: no figure, no verdict
            place = Place(self.annex, table.sheet, i + 1, FINDING_COLUMN["indicator"], table.columns["indicator"])
            return [finding("annex-unknown-indicator", place, {"title": title.strip()}, title)]
        self.seen.add(ind.id)
        spec = next(s for s in self.targets.indicators if s.id == ind.id)
        return list(_Row(self.annex, table, i, ind, spec).findings(cells))

    def _match(self, title: str, stt: Any) -> IndicatorResult | None:
        for text in (str(stt or ""), title):
            found = _ID.search(fold(text))
            if found and found.group() in self.results:
                return self.results[found.group()]
        found_id = self.titles.get(title_key(title))
        return self.results.get(found_id) if found_id else None


def _claims_something(cells: dict[AnnexColumn, Any]) -> bool:
    """A figure in a figure column (or one that cannot be read), or a verdict word in the verdict column."""
    figures = any(not read_claim(cells.get(k)).empty for k in ("done", "goal", "rate", "previous"))
    return figures or read_verdict(cells.get("verdict")) is not None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass(frozen=True)
class _Row:
    """One indicator's row of the annex and the result it is set against."""

    annex: str
    table: _Table
    i: int
    ind: IndicatorResult
    spec: Indicator

    def place(self, key: AnnexColumn) -> Place:
        return Place(self.annex, self.table.sheet, self.i + 1, FINDING_COLUMN[key], self.table.columns[key])

    def findings(self, cells: dict[AnnexColumn, Any]) -> Iterator[Finding]:
        yield from self._done(cells.get("done"))
        if "goal" in cells:
            yield from self._goal(cells["goal"])
        if "rate" in cells:
            yield from self._of_plan(cells["rate"])
        yield from self._verdict(cells.get("verdict"))

    def _about(self, code: str, key: AnnexColumn, value: Any = None) -> Finding:
        """``code`` at column ``key`` of this row, naming the indicator and the column's heading."""
        params = {"indicator": self.ind.id, "column": ui(f"annex.col.{key}", DOCUMENT_LANG)}
        return finding(code, self.place(key), params, value)

    def _done(self, value: Any) -> Iterator[Finding]:
        claim = read_claim(value)
        if not claim.readable:
            yield self._about("annex-unreadable-claim", "done", value)
        elif claim.empty:
            if self.ind.denominator or self.ind.bounds:
                yield self._about("annex-missing-claim", "done")
            # No data at all: "—" is the true figure, and the verdict says so.
        else:
            yield from self._count(claim, value)
            if claim.rate is not None:
                yield from self._percent("annex-wrong-rate", "done", claim.rate, _exact_bounds(self.ind), value)

    def _count(self, claim: Claim, value: Any) -> Iterator[Finding]:
        if claim.count is None:
            return
        ind, count = self.ind, claim.count
        bounds = ind.bounds
        actual = Count(bounds[0], bounds[1], bounds[2]) if bounds else Count(ind.numerator, None, ind.denominator)
        if _same_count(count, actual):
            return
        params = {"indicator": ind.id, "claimed": _count_text(count), "computed": _count_text(actual)}
        yield finding("annex-wrong-count", self.place("done"), params, value)

    def _percent(
        self, code: str, key: AnnexColumn, claimed: Percent, exact: tuple[Fraction | None, Fraction | None], value: Any
    ) -> Iterator[Finding]:
        """``code`` when the claimed percentage is not the exact one (or both bounds) rounded as written."""
        if not _percent_matches(claimed, exact):
            params = {
                "indicator": self.ind.id,
                "claimed": _percent_claim_text(claimed),
                "computed": _exact_text(exact, claimed.decimals),
            }
            yield finding(code, self.place(key), params, value)

    def _goal(self, value: Any) -> Iterator[Finding]:
        claim = read_goal(value)
        if not claim.readable or claim.count is not None:
            yield self._about("annex-unreadable-claim", "goal", value)
            return
        if claim.rate is None:
            return  # the goal in words ("Duy trì"): not a figure to check
        stretch = self.spec.target.stretch if self.ind.milestone is None else None
        low = self.ind.target * 100
        wanted: tuple[Fraction, Fraction | None] = (low, stretch * 100 if stretch is not None else None)
        got = (claim.rate.low, claim.rate.high)
        # "80%–90%" names both levels; "80 %" alone names the level that is met.
        if got != wanted and got != (low, None):
            goal = ui("annex.col.goal", DOCUMENT_LANG)
            params = {"indicator": self.ind.id, "column": goal, "claimed": _percent_claim_text(claim.rate)}
            params["computed"] = _percent_claim_text(Percent(wanted[0], wanted[1], 0 if low.denominator == 1 else 1))
            yield finding("annex-wrong-goal", self.place("goal"), params, value)

    def _of_plan(self, value: Any) -> Iterator[Finding]:
        claim = read_claim(value)
        if not claim.readable or claim.count is not None:
            yield self._about("annex-unreadable-claim", "rate", value)
            return
        if claim.rate is None or not self.ind.target:
            return
        target = self.ind.target
        against = tuple(None if b is None else b / target for b in _exact_bounds(self.ind))
        yield from self._percent("annex-wrong-share", "rate", claim.rate, (against[0], against[1]), value)

    def _verdict(self, value: Any) -> Iterator[Finding]:
        if _blank(value):
            yield self._about("annex-missing-claim", "verdict")
            return
        said = read_verdict(value)
        params = {"indicator": self.ind.id, "said": str(value).strip()}
        if said is None:
            yield finding("annex-unknown-verdict", self.place("verdict"), params, value)
            return
        actual = "exceeded" if self.ind.exceeded else self.ind.status
        if actual not in TRUE_OF[said]:
            params["status"] = actual
            yield finding("annex-wrong-verdict", self.place("verdict"), params, value)


def _exact_bounds(ind: IndicatorResult) -> tuple[Fraction | None, Fraction | None]:
    """The exact rate, or both bounds while units are missing; (None, None) without data."""
    if ind.bounds is not None:
        low, high, of = ind.bounds
        return Fraction(low, of), Fraction(high, of)
    return ind.rate, None


def _percent_matches(claimed: Percent, exact: tuple[Fraction | None, Fraction | None]) -> bool:
    """A claim of one rate matches one exact rate; a range matches both bounds."""
    low, high = exact
    if low is None:
        return False  # a figure where the data give none
    if (claimed.high is None) != (high is None):
        return False
    if not rounded_matches(claimed.low, low * 100, claimed.decimals):
        return False
    return claimed.high is None or (high is not None and rounded_matches(claimed.high, high * 100, claimed.decimals))


def _same_count(claimed: Count, actual: Count) -> bool:
    if claimed.of != actual.of:
        return False
    if actual.high is None:
        return claimed.high is None and claimed.low == actual.low
    return (claimed.low, claimed.high) == (actual.low, actual.high)


def _count_text(count: Count) -> str:
    return f"{count.low}/{count.of}" if count.high is None else f"{count.low}–{count.high}/{count.of}"


def _percent_claim_text(claim: Percent) -> str:
    low = percent_text(claim.low, claim.decimals)
    if claim.high is None:
        return low
    return f"{low.removesuffix(' %')}–{percent_text(claim.high, claim.decimals)}"


def _exact_text(exact: tuple[Fraction | None, Fraction | None], decimals: int) -> str:
    low, high = exact
    if low is None:
        return ui("status.no_data", DOCUMENT_LANG)
    shown = Percent(
        rounded_down(low * 100, decimals), None if high is None else rounded_down(high * 100, decimals), decimals
    )
    return _percent_claim_text(shown)
