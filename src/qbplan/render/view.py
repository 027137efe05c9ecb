"""The one view of a report that every format lays out, in the chosen language.

Everything shown is decided here once: titles, goals, rates rounded down,
statuses, per-file rows, findings with their place and text, breakdowns and
the summary. A renderer picks from these rows and lays them out; it formats
no number and makes no sentence of its own. Every string that comes from a
submission or a file name is passed through :func:`qbplan.render.safe.visible`
here, so no format shows a control character or a bidi override raw.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from qbplan.i18n import localized, ui
from qbplan.i18n.numbers import display_value, format_int, format_percent, format_percent_range
from qbplan.model.findings import Finding
from qbplan.model.report import (
    ROW_KINDS,
    Completeness,
    FileSummary,
    Grouping,
    GroupResult,
    IndicatorResult,
    Rated,
    Report,
    UnitRef,
)
from qbplan.model.wording import describe, where
from qbplan.render.safe import visible


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    """One indicator as shown: text cells, plus the numbers that charts and sheets need."""

    id: str
    title: str
    rate: str
    goal: str
    fraction: str
    excluded: str
    status: str  # the status key: pass, warn, fail, incomplete, no_data
    status_text: str
    # The rate rounded down to 0.1 %, as a number for spreadsheets: what ``rate`` shows.
    rate_number: float | None
    # The rate against the target, rounded down ("116,8 %" of the plan): the annex's "Tỷ lệ".
    of_plan: str
    result: IndicatorResult
    # With a register: "160/188" units in scope that reported; "" without one.
    coverage: str = ""
    # With units missing: "ct07b: 60–78/78; thiếu 18/78 đơn vị chưa có số liệu hợp lệ".
    note: str = ""
    # With --compare: the change since the period compared with ("+3,2"); "" without.
    change: str = ""
    # The same as numbers for spreadsheets: the previous rate rounded down to 0.1 %, the change
    # in points rounded to 0.1 as ``change`` shows it; None without --compare or a rate.
    previous_number: float | None = None
    change_number: float | None = None
    # The previous period's share "100/150" and its rate alone "66,6 %", for the annex; "" without --compare.
    previous_fraction: str = ""
    previous_rate: str = ""

    @property
    def claim(self) -> str:
        """The share and the rate in one cell, as annexes cite them: "108/154 (70,1 %)"."""
        return f"{self.fraction} ({self.rate})" if self.result.denominator or self.result.bounds else self.rate

    @property
    def _break_mark(self) -> str:
        """ "(*)" after a previous figure counted under an earlier plan: the series breaks there."""
        previous = self.result.previous
        return " (*)" if previous is not None and previous.plan_id else ""

    @property
    def previous(self) -> str:
        """The rate of the period compared with, marked across a break ("70,1 % (*)"); "" without --compare."""
        return self.previous_rate + self._break_mark if self.previous_rate else ""

    @property
    def previous_claim(self) -> str:
        """The previous period's share and rate: "100/150 (66,6 %)", "… (*)" across a break; "" without --compare."""
        if not self.previous_fraction:
            return self.previous
        return f"{self.previous_fraction} ({self.previous_rate}){self._break_mark}"


@dataclass(frozen=True, slots=True)
class SectionRow:
    """One of the plan's target groups and its indicators, as the annex lists them: "I. Hạ tầng …"."""

    numeral: str  # "I", "II" …; "" when the plan declares no groups
    title: str
    indicators: tuple[IndicatorRow, ...]


@dataclass(frozen=True, slots=True)
class GroupRow:
    """One group of a breakdown."""

    name: str
    rate: str
    fraction: str
    status: str
    status_text: str


@dataclass(frozen=True, slots=True)
class UnitRow:
    """One unit of a register as a completeness list shows it."""

    key: str
    name: str
    group: str
    where: str  # for a unit not in the register: where its row is


@dataclass(frozen=True, slots=True)
class CompletenessRow:
    """Who reported, for one form sheet with a register."""

    sheet: str  # the form sheet's label
    register: str
    expected: str
    submitted: str
    heading: str  # "Cơ quan, đơn vị: 160/188 đơn vị đã nộp, thiếu 28, 0 không có trong danh mục"
    missing: tuple[UnitRow, ...]
    unknown: tuple[UnitRow, ...]
    result: Completeness


@dataclass(frozen=True, slots=True)
class Breakdown:
    """One indicator's breakdown by the ``--by`` column."""

    id: str
    heading: str
    groups: tuple[GroupRow, ...]


@dataclass(frozen=True, slots=True)
class FileRow:
    """One input file as shown."""

    file: str
    sheets: str
    rows: str
    excluded: str
    blank: str
    layout: str
    errors: str
    warnings: str
    summary: FileSummary


@dataclass(frozen=True, slots=True)
class SheetRowsRow:
    """One kind of row of one sheet, as the row audit shows it: how many, and which."""

    file: str
    sheet: str
    header_row: int
    kind: str  # worded
    count: int
    count_text: str
    rows: str  # "7–198, 201": each run worded as a totals row's scope is


@dataclass(frozen=True, slots=True)
class FindingRow:
    """One finding as shown: where it is, the cell's value and the sentence."""

    where: str
    file: str
    sheet: str
    column: str
    place: str  # the cell, or the row number when there is no cell
    value: str
    code: str
    severity: str
    message: str
    finding: Finding


@dataclass(frozen=True, slots=True)
class View:
    """A whole report, ready to lay out."""

    lang: str
    title: str
    plan: str
    targets_file: str
    indicators: tuple[IndicatorRow, ...]
    breakdowns: tuple[Breakdown, ...]
    files: tuple[FileRow, ...]
    # Every sheet's rows by how they were read (data, heading, total, column numbers, sign-off).
    sheet_rows: tuple[SheetRowsRow, ...]
    errors: tuple[FindingRow, ...]
    warnings: tuple[FindingRow, ...]
    summary: str
    date: str  # when the check ran, as people write dates (26/11/2026)
    report: Report
    # With a register: who reported, per form sheet it lists.
    completeness: tuple[CompletenessRow, ...] = ()
    # The indicators under the plan's target groups (one untitled section without groups).
    sections: tuple[SectionRow, ...] = ()
    # What period the results are of, for a title: "Năm 2024", or "đến năm 2025" without --period.
    period_title: str = ""
    # With --compare against a period of an earlier plan: the line saying the series breaks; "" otherwise.
    break_note: str = ""

    @property
    def targets_line(self) -> str:
        """Which targets file and plan gave these results: said in every format."""
        return ui("report.targets", self.lang, targets=self.targets_file, plan=self.report.plan_id)

    @property
    def extra_keys(self) -> tuple[str, ...]:
        """The indicator columns after the result: who reported (with a register), then the previous rate and
        the change (with --compare)."""
        return (("col.reported",) if self.covered else ()) + (("col.previous", "col.change") if self.compared else ())

    def extra_cells(self, ind: IndicatorRow) -> list[str]:
        """``ind``'s cells under :attr:`extra_keys`."""
        return ([ind.coverage] if self.covered else []) + ([ind.previous, ind.change] if self.compared else [])

    @property
    def covered(self) -> bool:
        """Whether a register stands behind the check: the "Đã báo cáo" column has something to say."""
        return bool(self.report.register_files)

    @property
    def excluded(self) -> bool:
        """Whether any indicator left rows out: the "Dòng loại" column has something to say."""
        return any(ind.excluded_rows for ind in self.report.indicators)

    @property
    def compared(self) -> bool:
        """Whether the check is compared with a saved period: the previous rate and the change are shown."""
        return self.report.compared_with is not None

    @property
    def register_line(self) -> str:
        """Which register said who must report; "" without one."""
        files = self.report.register_files
        return visible(ui("report.register", self.lang, files=", ".join(files))) if files else ""

    @property
    def compared_with(self) -> str:
        """ "So với Năm 2024" when the check is compared with a saved period; "" otherwise."""
        key = self.report.compared_with
        if key is None:
            return ""
        from qbplan.history.periods import parse_period

        return ui("compare.line", self.lang, period=parse_period(key).label(self.lang))

    @property
    def notes(self) -> tuple[str, ...]:
        """One line per indicator with missing units: its bounds and how many are missing."""
        return tuple(ind.note for ind in self.indicators if ind.note)

    @property
    def break_line(self) -> str:
        """ "(*) …" when the period compared with was counted under an earlier plan, as the annex says it; "" otherwise.

        Every format prints it under the compared-with line, beside the previous rates it marks.
        """
        return f"(*) {self.break_note}" if self.break_note else ""

    def label(self, key: str, **params: object) -> str:
        """A piece of interface text (a column heading, a title) in the view's language."""
        return ui(key, self.lang, **params)

    def more(self, shown: int, total: int) -> str | None:
        """The "… and N more" line when only ``shown`` of ``total`` findings are listed."""
        return ui("more_findings", self.lang, n=total - shown) if total > shown else None


_PERCENT_RANGE = re.compile(r"\s*(\d+(?:[.,]\d+)?)\s*%?\s*[–-]\s*(\d+(?:[.,]\d+)?)\s*%\s*")


def goal_text(target: Fraction, goal: str | None, lang: str) -> str:
    """The plan's own wording of a target, else the target as a percentage.

    A wording that is only a range of percentages ("80%–90%") is written as every
    other rate is in ``lang`` ("80–90 %" beside "100 %"); any other wording as the plan has it.
    """
    if goal:
        found = _PERCENT_RANGE.fullmatch(goal)
        if found is None:
            return goal
        low, high = (Fraction(part.replace(",", ".")) / 100 for part in found.groups())
        return format_percent_range(low, high, lang, digits=_digits(low, high))
    return format_percent(target, lang, digits=_digits(target))


def _digits(*rates: Fraction) -> int:
    """No decimals for whole percentages, one otherwise."""
    return 0 if all((r * 100).denominator == 1 for r in rates) else 1


def floor_per_mille(rate: Fraction | None) -> float | None:
    """``rate`` rounded down to a tenth of a percent, so 69.996 % is never shown as 70 %."""
    if rate is None:
        return None
    return (rate.numerator * 1000 // rate.denominator) / 1000


def fraction_text(numerator: int, denominator: int, lang: str) -> str:
    """``7/10`` with grouped thousands."""
    return f"{format_int(numerator, lang)}/{format_int(denominator, lang)}"


def status_text(status: str, lang: str) -> str:
    """The result word of a status."""
    return ui(f"status.{status}", lang)


def rate_text(item: Rated, lang: str) -> str:
    """The rate, or with missing units in count mode both bounds: "76,9–100 %"."""
    bounds = item.bounds
    if bounds is None:
        return format_percent(item.rate, lang)
    low, high, of = bounds
    return format_percent_range(Fraction(low, of), Fraction(high, of), lang)


def share_text(item: Rated, lang: str) -> str:
    """numerator/denominator, or with missing units in count mode "60–78/78"."""
    bounds = item.bounds
    if bounds is None:
        return fraction_text(item.numerator, item.denominator, lang)
    low, high, of = bounds
    return f"{format_int(low, lang)}–{format_int(high, lang)}/{format_int(of, lang)}"


def coverage_text(item: Rated, lang: str) -> str:
    """ "160/188": units in scope with a valid row, of those the register expects; "" without a register."""
    cov = item.coverage
    return "" if cov is None else fraction_text(cov.reported, cov.expected, lang)


def _note(ind: IndicatorResult, lang: str) -> str:
    if not ind.missing or ind.coverage is None:
        return ""
    return ui(
        "note.missing",
        lang,
        id=ind.id,
        share=share_text(ind, lang),
        missing=format_int(ind.missing, lang),
        expected=format_int(ind.coverage.expected, lang),
    )


def change_text(points: Fraction | None, lang: str) -> str:
    """A change in percentage points to one decimal, half away from zero, signed: "+3,2", "−1,5", "0,0"; "—" unknown."""
    if points is None:
        return "—"
    tenths = change_tenths(points)
    sign = "+" if tenths > 0 else ("−" if tenths < 0 else "")
    whole, frac = divmod(abs(tenths), 10)
    return f"{sign}{format_int(whole, lang)}{',' if lang == 'vi' else '.'}{frac}"


def change_tenths(points: Fraction) -> int:
    """A change in percentage points in tenths of a point, exactly, rounded half away from zero."""
    tenths = int((abs(points) * 10 * 2 + 1) // 2)  # round half up on the magnitude
    return tenths if points >= 0 else -tenths


def _goal(ind: IndicatorResult, lang: str) -> str:
    """The target as shown; a milestone says its year: "97 % (mốc 2023)"."""
    text = goal_text(ind.target, ind.goal, lang)
    return text if ind.milestone is None else ui("goal.milestone", lang, goal=text, year=ind.milestone)


def _of_plan(ind: IndicatorResult, lang: str) -> str:
    """The rate against the target ("116,8 %"), or both bounds against it."""
    if not ind.target:
        return format_percent(None, lang)
    if ind.bounds is None:
        return format_percent(ind.rate / ind.target if ind.rate is not None else None, lang)
    low, high, of = ind.bounds
    return format_percent_range(Fraction(low, of) / ind.target, Fraction(high, of) / ind.target, lang)


def indicator_row(ind: IndicatorResult, lang: str) -> IndicatorRow:
    """One indicator, shown."""
    return IndicatorRow(
        id=ind.id,
        title=visible(localized(ind.title_vi, ind.title_en, lang)),
        rate=rate_text(ind, lang),
        goal=visible(_goal(ind, lang)),
        fraction=share_text(ind, lang),
        excluded=format_int(ind.excluded_rows, lang),
        status=ind.status,
        status_text=status_text("exceeded" if ind.exceeded else ind.status, lang),
        rate_number=floor_per_mille(ind.rate),
        of_plan=_of_plan(ind, lang),
        result=ind,
        coverage=coverage_text(ind, lang),
        note=_note(ind, lang),
        previous_rate=format_percent(ind.previous.rate, lang) if ind.previous else "",
        change=change_text(ind.change, lang) if ind.previous else "",
        previous_number=floor_per_mille(ind.previous.rate) if ind.previous else None,
        change_number=float(change_tenths(ind.change)) / 10 if ind.change is not None else None,
        previous_fraction=fraction_text(ind.previous.numerator, ind.previous.denominator, lang) if ind.previous else "",
    )


_NUMERALS: tuple[tuple[int, str], ...] = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
    (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


def roman(n: int) -> str:
    """``n`` in Roman numerals, as the sections of an official document are numbered."""
    out = ""
    for value, numeral in _NUMERALS:
        count, n = divmod(n, value)
        out += numeral * count
    return out


def _sections(report: Report, rows: tuple[IndicatorRow, ...], lang: str) -> tuple[SectionRow, ...]:
    """The rows under the plan's target groups in the plan's order; one untitled section without groups."""
    if not report.sections:
        return (SectionRow("", "", rows),)
    out = []
    for n, section in enumerate(report.sections, start=1):
        mine = tuple(r for r in rows if r.result.group == section.key)
        out.append(SectionRow(roman(n), visible(localized(section.title_vi, section.title_en, lang)), mine))
    known = {s.key for s in report.sections}
    rest = tuple(r for r in rows if r.result.group not in known)
    return tuple(out) + ((SectionRow(roman(len(out) + 1), "", rest),) if rest else ())


def _period_title(report: Report, lang: str) -> str:
    from qbplan.history.periods import parse_period

    if report.period is not None:
        return parse_period(report.period).label(lang)
    years = sorted({ind.deadline for ind in report.indicators})
    return ui("annex.period.deadline", lang, year=", ".join(str(y) for y in years))


def _break_note(report: Report, lang: str) -> str:
    from qbplan.history.periods import parse_period

    if report.compared_with is None or report.compared_plan is None:
        return ""
    period = parse_period(report.compared_with).label(lang)
    return visible(ui("annex.break", lang, period=period, plan=report.compared_plan))


def finding_row(f: Finding, lang: str) -> FindingRow:
    """One finding, shown."""
    return FindingRow(
        where=visible(where(f)),
        file=visible(f.file or ""),
        sheet=visible(f.sheet or ""),
        column=f.column or "",
        place=f.cell or (str(f.row) if f.row else ""),
        value=visible(display_value(f.value, lang)),
        code=f.code,
        severity=ui(f"severity.{f.severity}", lang),
        message=visible(describe(f, lang)),
        finding=f,
    )


def group_name(group: str | None, grouping: Grouping | None, lang: str) -> str:
    """A group as shown; a blank cell by what it means for the column ("Cấp tỉnh"), else "(không ghi)"."""
    if group is not None:
        return grouping.value_labels.get(group, group) if grouping else group
    if grouping is not None:
        blank = grouping.blank_en if lang == "en" and grouping.blank_en else grouping.blank_vi
        if blank:
            return blank
    return ui("group.none", lang)


def _group_row(g: GroupResult, grouping: Grouping | None, lang: str) -> GroupRow:
    return GroupRow(
        name=visible(group_name(g.group, grouping, lang)),
        rate=rate_text(g, lang),
        fraction=share_text(g, lang),
        status=g.status,
        status_text=status_text("exceeded" if g.exceeded else g.status, lang),
    )


def _sheet_rows(report: Report, lang: str) -> tuple[SheetRowsRow, ...]:
    """Each sheet's kinds of row, in the order a sheet is read: data first, then each kind of layout row."""
    return tuple(
        SheetRowsRow(
            file=visible(f.file),
            sheet=visible(s.sheet),
            header_row=s.header_row,
            kind=ui(f"rows.{kind}", lang),
            count=s.count(kind),
            count_text=format_int(s.count(kind), lang),
            rows=", ".join(str(a) if a == b else ui("scope.rows", lang, first=a, last=b) for a, b in s.rows[kind]),
        )
        for f in report.files
        for s in f.sheet_rows
        for kind in ROW_KINDS
        if s.rows.get(kind)
    )


def _file_row(f: FileSummary, lang: str) -> FileRow:
    return FileRow(
        file=visible(f.file),
        sheets=visible(", ".join(f.sheets)) if f.readable else ui("unreadable", lang),
        rows=format_int(f.rows_read, lang),
        excluded=format_int(f.rows_excluded, lang),
        blank=format_int(f.blank_rows, lang),
        layout=format_int(f.layout_total, lang),
        errors=format_int(f.errors, lang),
        warnings=format_int(f.warnings, lang),
        summary=f,
    )


def summary_text(report: Report, lang: str) -> str:
    """The one-paragraph summary: files, rows, statuses, findings; first, for ``verify``, the annex's verdict."""
    checked = _summary_of_check(report, lang)
    if report.annex_file is None:
        return checked
    wrong = sum(1 for f in report.errors if f.code.startswith("annex-"))
    verdict = ui(
        "summary.annex_wrong" if wrong else "summary.annex_right",
        lang,
        annex=report.annex_file,
        claims=format_int(report.annex_claims, lang),
        wrong=format_int(wrong, lang),
    )
    return f"{verdict} {ui('summary.annex_data', lang)} {checked}"


def _summary_of_check(report: Report, lang: str) -> str:
    return ui(
        "summary",
        lang,
        files=format_int(len(report.files), lang),
        rows=format_int(report.rows_read, lang),
        excluded=format_int(report.rows_excluded, lang),
        blank=format_int(report.blank_rows, lang),
        layout=format_int(report.layout_rows, lang),
        errors=format_int(len(report.errors), lang),
        warnings=format_int(len(report.warnings), lang),
        statuses=_status_counts(report, lang),
    )


def _status_counts(report: Report, lang: str) -> str:
    """ "8 đạt (trong đó 1 vượt), 6 chưa đạt, 0 không có số liệu": warn only where a plan has it."""
    counts = report.status_counts
    exceeded = sum(1 for ind in report.indicators if ind.exceeded)
    passed = ui("count.pass", lang, n=counts["pass"])
    if exceeded:
        passed += f" ({ui('count.exceeded', lang, n=exceeded)})"
    parts = [passed]
    if counts["warn"]:
        parts.append(ui("count.warn", lang, n=counts["warn"]))
    parts.append(ui("count.fail", lang, n=counts["fail"]))
    if counts["incomplete"]:
        parts.append(ui("count.incomplete", lang, n=counts["incomplete"]))
    parts.append(ui("count.no_data", lang, n=counts["no_data"]))
    return ", ".join(parts)


def grouping_label(report: Report) -> str:
    """The ``--by`` column as people know it: its label."""
    return report.grouping.label if report.grouping else report.by or ""


def _unit_row(unit: UnitRef, grouping: Grouping | None, lang: str) -> UnitRow:
    place = " › ".join(p for p in (unit.file, unit.sheet, str(unit.row) if unit.row else None) if p)
    return UnitRow(
        key=visible(unit.key),
        name=visible(unit.name or ""),
        group=visible(group_name(unit.group, grouping, lang)) if grouping else "",
        where=visible(place),
    )


def completeness_row(c: Completeness, lang: str) -> CompletenessRow:
    """Who reported for one form sheet, shown."""
    heading = ui(
        "completeness.heading",
        lang,
        sheet=c.label,
        submitted=format_int(c.submitted, lang),
        expected=format_int(c.expected, lang),
        missing=format_int(len(c.missing), lang),
        unknown=format_int(len(c.unknown), lang),
    )
    return CompletenessRow(
        sheet=visible(c.label),
        register=visible(c.register),
        expected=format_int(c.expected, lang),
        submitted=format_int(c.submitted, lang),
        heading=visible(heading),
        missing=tuple(_unit_row(u, c.grouping, lang) for u in c.missing),
        unknown=tuple(_unit_row(u, c.grouping, lang) for u in c.unknown),
        result=c,
    )


def _breakdowns(report: Report, lang: str) -> tuple[Breakdown, ...]:
    """Each indicator's groups under ``--by`` (none without it)."""
    if not report.by:
        return ()
    heading = ui("title.breakdown", lang, by=grouping_label(report))
    return tuple(
        Breakdown(
            id=ind.id,
            heading=visible(f"{ind.id} · {heading}"),
            groups=tuple(_group_row(g, report.grouping, lang) for g in ind.breakdown),
        )
        for ind in report.indicators
        if ind.breakdown
    )


def build_view(report: Report, lang: str, limit: int | None = None) -> View:
    """The view of ``report`` in ``lang``; ``limit`` caps the findings of each kind that get text."""
    indicators = tuple(indicator_row(ind, lang) for ind in report.indicators)
    return View(
        lang=lang,
        title=ui("title.indicators", lang),
        plan=visible(localized(report.plan_title_vi, report.plan_title_en, lang)),
        targets_file=visible(report.targets_file),
        indicators=indicators,
        breakdowns=_breakdowns(report, lang),
        files=tuple(_file_row(f, lang) for f in report.files),
        sheet_rows=_sheet_rows(report, lang),
        errors=tuple(finding_row(f, lang) for f in report.errors[:limit]),
        warnings=tuple(finding_row(f, lang) for f in report.warnings[:limit]),
        summary=summary_text(report, lang),
        date=report.checked_at.strftime("%d/%m/%Y %H:%M" if lang == "vi" else "%Y-%m-%d %H:%M"),
        report=report,
        completeness=tuple(completeness_row(c, lang) for c in report.completeness),
        sections=_sections(report, indicators, lang),
        period_title=_period_title(report, lang),
        break_note=_break_note(report, lang),
    )
