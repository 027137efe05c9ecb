"""A unit's self-assessment ("Điểm tự đánh giá") set against the points its data give.

Provinces ask each unit to score itself before the grading, criterion by
criterion, with the documents that prove it ("Tài liệu kiểm chứng"). Here
each self-score is held to the points ``qbplan rank`` computes from the same
unit's submitted rows, as ``verify`` holds a province's annex to its data: a
claim is accepted when it is the exact points rounded to the claim's own
decimals (down or half up), and every other one is an error at its cell.

It fails closed: a score that is not a number, a criterion or unit that the
plan does not know, and a sheet without its headings are each an error,
never a skip. A score above zero with no evidence named is a warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from qbplan.config.targets import Targets
from qbplan.errors import InputError
from qbplan.i18n import DOCUMENT_LANG
from qbplan.i18n.numbers import format_decimal
from qbplan.model.findings import Finding, Place, finding
from qbplan.model.scores import CriterionScore, UnitScore
from qbplan.run.pipeline import CheckOptions, run_bounded
from qbplan.textnorm import fold
from qbplan.tools.claims import rounded_matches
from qbplan.tools.verify import heading_row, read_workbook

# The headings a self-assessment sheet gives its columns, as provinces write them.
HEADINGS: dict[str, tuple[str, ...]] = {
    "ma_don_vi": ("Mã đơn vị", "Mã cơ quan", "Mã ĐV"),
    "tieu_chi": ("Mã tiêu chí", "Tiêu chí", "Chỉ tiêu", "Nội dung"),
    "diem_tu_cham": ("Điểm tự chấm", "Điểm tự đánh giá", "Tự chấm", "Tự đánh giá", "Điểm đề nghị"),
    "tai_lieu": ("Tài liệu kiểm chứng", "Minh chứng", "Tài liệu"),
}
# Folded, longest first: matched as verify matches an annex's headings.
_HEADINGS = sorted(((fold(a), key) for key, aliases in HEADINGS.items() for a in aliases), key=lambda p: -len(p[0]))
_NEEDED = ("ma_don_vi", "tieu_chi", "diem_tu_cham")
_MAX_TEXT = 40


@dataclass(frozen=True)
class _Columns:
    header_row: int
    index: dict[str, int]


def check_self_assessments(
    paths: Sequence[str], scored: Sequence[UnitScore], targets: Targets, options: CheckOptions | None = None
) -> list[Finding]:
    """The findings of every self-assessment workbook in ``paths`` against the units' computed scores.

    Each workbook is read in a worker bounded by ``options``' time and memory,
    as any input is; a hostile one is refused, not a crash or a hang.
    """
    units = {u.key: u for u in scored}
    titles = _titles(targets)
    out: list[Finding] = []
    for path in paths:
        out += run_bounded(lambda p: _check(p, units, titles), path, options or CheckOptions())
    return out


def _titles(targets: Targets) -> dict[str, str]:
    """Each criterion, by its folded id and its folded title."""
    found: dict[str, str] = {}
    for ind in targets.scored():
        found[fold(ind.id)] = ind.id
        found[fold(ind.title_vi)] = ind.id
        found[fold(ind.title_en)] = ind.id
    return found


def _check(path: str, units: dict[str, UnitScore], titles: dict[str, str]) -> list[Finding]:
    sheets = read_workbook(path)
    tables = [(name, grid, cols) for name, grid in sheets if (cols := _columns(grid)) is not None]
    if not tables:
        raise InputError(
            "input-no-header",
            file=path,
            sheet=sheets[0][0] if sheets else "",
            expected="Mã đơn vị, Tiêu chí, Điểm tự chấm",
        )
    out: list[Finding] = []
    for name, grid, cols in tables:
        for i in range(cols.header_row + 1, len(grid)):
            out += _row(path, name, i + 1, grid[i], cols, units, titles)
    return out


def _columns(grid: list[list[Any]]) -> _Columns | None:
    found = heading_row(grid, _HEADINGS, frozenset(_NEEDED))
    return _Columns(*found) if found is not None else None


def _cell(row: list[Any], index: int | None) -> Any:
    if index is None or index >= len(row):
        return None
    value = row[index]
    return None if isinstance(value, str) and not value.strip() else value


def _row(
    path: str,
    sheet: str,
    excel_row: int,
    row: list[Any],
    cols: _Columns,
    units: dict[str, UnitScore],
    titles: dict[str, str],
) -> list[Finding]:
    unit_key, named, claimed_cell = (_cell(row, cols.index[k]) for k in _NEEDED)
    if unit_key is None and named is None and claimed_cell is None:
        return []  # a blank row

    def at(key: str) -> Place:
        return Place(path, sheet, excel_row, key, cols.index.get(key))

    unit = units.get(_text(unit_key))
    if unit is None:
        return [finding("self-score-unknown-unit", at("ma_don_vi"), {"unit": _short(unit_key)}, unit_key)]
    criterion = titles.get(fold(_text(named)))
    if criterion is None:
        return [finding("self-score-unknown-criterion", at("tieu_chi"), {"criterion": _short(named)}, named)]
    score = next(c for c in unit.criteria if c.id == criterion)
    claimed = _points(claimed_cell)
    params: dict[str, object] = {"unit": unit.key, "criterion": criterion}
    if claimed is None:
        return [finding("self-score-unreadable", at("diem_tu_cham"), params, claimed_cell)]
    value, decimals = claimed
    out = []
    if not _matches(value, decimals, score):
        computed = _shown_points(score.points if score.counted else Fraction(0), max(decimals, 2))
        out.append(
            finding(
                "self-score-wrong",
                at("diem_tu_cham"),
                {**params, "claimed": _shown_points(value, decimals), "computed": computed},
                claimed_cell,
            )
        )
    if value > 0 and _cell(row, cols.index.get("tai_lieu")) is None:
        out.append(finding("self-score-no-evidence", at("tai_lieu"), params))
    return out


def _matches(value: Fraction, decimals: int, score: CriterionScore) -> bool:
    exact = score.points if score.counted else Fraction(0)
    return rounded_matches(value, exact, decimals)


def _points(value: Any) -> tuple[Fraction, int] | None:
    """A self-score: a number cell, or text such as "7,5" (its decimals kept, to round the data's points to)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        if value != value or abs(value) > 10_000 or value < 0:
            return None
        text = format(value, ".10g")
    else:
        text = str(value).strip().replace(",", ".")
    if len(text) > 16 or "e" in text.lower() or not text.replace(".", "", 1).isdigit():
        return None
    decimals = len(text.split(".")[1]) if "." in text else 0
    return Fraction(text), decimals


def _shown_points(value: Fraction, decimals: int) -> str:
    # Worded as the sheet is written, in Vietnamese, like verify's claims of an annex.
    return format_decimal(value, DOCUMENT_LANG, decimals)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _short(value: Any) -> str:
    text = _text(value)
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…"
