"""Reporting periods: a year, a quarter, a half-year or a month (Circular 04/2022/TT-BTTTT reports by all four)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from qbplan.errors import QbplanError

Kind = Literal["year", "half", "quarter", "month"]

# ASCII digits only: \d would take "２０２４" (full-width) or Arabic-Indic digits, and save
# a period that no one can type back to compare with.
_FORMS = (
    (re.compile(r"^([0-9]{4})$"), "year"),
    (re.compile(r"^([0-9]{4})-[Qq]([1-4])$"), "quarter"),
    (re.compile(r"^([0-9]{4})-[Hh]([12])$"), "half"),
    (re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$"), "month"),
)
# Months in each kind of period: the last month of period ``index`` is ``index × months``.
_MONTHS = {"year": 12, "half": 6, "quarter": 3, "month": 1}
_KEYS = {"year": "{year}", "quarter": "{year}-Q{index}", "half": "{year}-H{index}", "month": "{year}-{index:02d}"}
# A plan runs over years, not centuries: 1900-2200 as the targets file's deadlines.
YEARS = range(1900, 2201)


@dataclass(frozen=True, order=False)
class Period:
    """One reporting period: its kind, year and index within the year (the quarter, half or month)."""

    kind: Kind
    year: int
    index: int = 0

    @property
    def key(self) -> str:
        """The canonical text: ``2024``, ``2024-Q1``, ``2024-H2``, ``2024-03``."""
        return _KEYS[self.kind].format(year=self.year, index=self.index)

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Order in time: by the month a period ends, a longer period after the shorter ones ending with it."""
        months = _MONTHS[self.kind]
        return self.year, max(self.index, 1) * months, months

    def label(self, lang: str = "vi") -> str:
        """How people write it: "Năm 2024", "Quý 1/2024", "6 tháng đầu năm 2024", "Tháng 3/2024"."""
        from qbplan.i18n import ui

        # A half has a word of its own in Vietnamese (đầu, cuối): one text per half.
        name = f"period.half{self.index}" if self.kind == "half" else f"period.{self.kind}"
        return ui(name, lang, year=self.year, index=self.index)

    def __str__(self) -> str:
        return self.key


def parse_period(text: str) -> Period:
    """A period from ``YYYY``, ``YYYY-Qn``, ``YYYY-H1``/``YYYY-H2`` or ``YYYY-MM``; else a usage error (exit 2)."""
    value = text.strip()
    for pattern, kind in _FORMS:
        match = pattern.match(value)
        if match:
            year = int(match.group(1))
            index = int(match.group(2)) if match.lastindex and match.lastindex > 1 else 0
            if year in YEARS:
                return Period(kind, year, index)  # type: ignore[arg-type]
    raise QbplanError("usage-bad-period", period=text)
