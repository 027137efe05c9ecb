"""The claims an annex's cells make, read exactly, or named as unreadable.

A province writes its figures in many ways: "77,9 %", "77.9%", "108/154 xã",
"108/154 xã (70,1%)", "92,8–100,0 %" while units are missing, or a number in
a cell formatted as a percentage. Each is read into counts and a rate kept as
a Fraction with the decimals it was written to. Anything else with a figure
in it ("khoảng 80%", two rates in one cell, "80% (năm 2023: 70%)") is
unreadable: ``verify`` fails closed and says so, it never skips it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from qbplan.textnorm import clean, fold

# A count: digits grouped by "." or spaces ("1.234"), a range "60–78", then "/ of".
_INT = r"\d{1,3}(?:[. \u00a0]\d{3})+|\d+"
_COUNT = re.compile(rf"(?<![\d,.])({_INT})(?:\s*[–-]\s*({_INT}))?\s*/\s*({_INT})(?![\d,])")
# A percentage: "77,9 %", "77.9%", a range "92,8–100,0 %".
_NUM = r"\d+(?:[.,]\d+)?"
_RATE = re.compile(rf"(?<![\d,.])({_NUM})(?:\s*%?\s*[–-]\s*({_NUM}))?\s*%")
# A cell that is one bare number ("77,9"): a rate in percent.
_BARE = re.compile(rf"^\s*({_NUM})\s*$")
_DIGIT = re.compile(r"\d")
# Words that make a figure an estimate or a bound, not a claim that can be checked exactly.
_HEDGE = re.compile(r"(?:^|\W)(?:khoang|gan|tren|hon|duoi|uoc|du kien|xap xi|toi thieu|toi da)(?:\W|$)|[~<>≥≤≈]")
# Numbers in a cell beyond these are not a rate anyone wrote; refuse before Fraction() does work.
_MAX_CHARS = 200


@dataclass(frozen=True, slots=True)
class Percent:
    """A claimed percentage, or a range of two, and the decimals it was written to."""

    low: Fraction  # in percent: 77.9
    high: Fraction | None  # the upper bound of a range; None for one value
    decimals: int


@dataclass(frozen=True, slots=True)
class Count:
    """A claimed count "108/154", or "60–78/78" with units missing."""

    low: int
    high: int | None
    of: int


@dataclass(frozen=True, slots=True)
class Claim:
    """What one cell claims: a count, a rate, both, or nothing it can be read as."""

    count: Count | None = None
    rate: Percent | None = None
    readable: bool = True

    @property
    def empty(self) -> bool:
        """A blank cell, or one of words only: it claims nothing."""
        return self.readable and self.count is None and self.rate is None


UNREADABLE = Claim(readable=False)


def read_claim(value: Any) -> Claim:
    """The claim of one cell (see the module's docstring)."""
    if value is None or isinstance(value, bool):
        return Claim(readable=value is None)
    if isinstance(value, (int, float)):
        return _number(value)
    text = str(value).strip()
    if not text:
        return Claim()
    if len(text) > _MAX_CHARS:
        return UNREADABLE
    bare = _BARE.match(text)
    if bare:
        return Claim(rate=_percent(bare.group(1), None))
    counts = list(_COUNT.finditer(text))
    rest = _COUNT.sub(" ", text)
    rates = list(_RATE.finditer(rest))
    rest = _RATE.sub(" ", rest)
    if len(counts) > 1 or len(rates) > 1 or _DIGIT.search(rest):
        return UNREADABLE  # two claims in one cell, or a figure that is neither
    if (counts or rates) and _HEDGE.search(fold(rest)):
        return UNREADABLE  # "khoảng 80%", "trên 80%": not a figure to hold the data to
    count = _count(*counts[0].groups()) if counts else None
    rate = _percent(*rates[0].groups()) if rates else None
    if count is None and rate is None:
        return Claim()
    return Claim(count=count, rate=rate)


# The year a milestone target is of, as the annex writes it: "97 % (mốc 2023)", "97 % (2023 milestone)".
_MILESTONE = re.compile(r"\(\s*(?:m[oôóốồổỗộ]c\s+[0-9]{4}|[0-9]{4}\s+milestone)\s*\)\s*$", re.IGNORECASE)


def read_goal(value: Any) -> Claim:
    """The claim of a target cell: as :func:`read_claim`, the milestone's year note set aside."""
    if isinstance(value, str):
        value = _MILESTONE.sub("", clean(value))
    return read_claim(value)


def _number(value: float) -> Claim:
    """A number cell: a fraction of one (a cell formatted as %, 0.779) or percent (77.9)."""
    if value != value or value in (float("inf"), float("-inf")) or abs(value) > 1e6 or value < 0:
        return UNREADABLE
    text = format(value, ".15g") if isinstance(value, float) else str(value)
    if "e" in text:
        return UNREADABLE  # 1e-05: no annex writes a rate so
    exact = Fraction(text)
    decimals = len(text.split(".")[1]) if "." in text else 0
    if abs(value) <= 1:
        return Claim(rate=Percent(exact * 100, None, max(0, decimals - 2)))
    return Claim(rate=Percent(exact, None, decimals))


def _percent(low: str, high: str | None) -> Percent:
    texts = [t.replace(",", ".") for t in (low, high) if t is not None]
    decimals = max(len(t.split(".")[1]) if "." in t else 0 for t in texts)
    return Percent(Fraction(texts[0]), Fraction(texts[1]) if len(texts) > 1 else None, decimals)


def _count(low: str, high: str | None, of: str) -> Count:
    def whole(text: str) -> int:
        return int(re.sub(r"\D", "", text))

    return Count(whole(low), whole(high) if high is not None else None, whole(of))


def rounded_matches(claimed: Fraction, exact: Fraction, decimals: int) -> bool:
    """``claimed`` is ``exact`` rounded to ``decimals``, down or half up (both are how people round)."""
    scale = 10**decimals
    scaled = exact * scale
    down = Fraction(scaled.numerator // scaled.denominator, scale)
    half_up = Fraction((2 * scaled.numerator + scaled.denominator) // (2 * scaled.denominator), scale)
    return claimed in (down, half_up)


def rounded_down(exact: Fraction, decimals: int) -> Fraction:
    """``exact`` rounded down to ``decimals``: what the annex should show."""
    scale = 10**decimals
    scaled = exact * scale
    return Fraction(scaled.numerator // scaled.denominator, scale)


def percent_text(number: Fraction, decimals: int) -> str:
    """77,9 % as the annex writes it."""
    whole = int(number)
    if decimals == 0:
        return f"{whole} %"
    rest = abs(number - whole) * 10**decimals
    return f"{whole},{int(rest):0{decimals}d} %"


# The verdict words provinces write (folded) and what each claims:
# met (and perhaps beyond), exceeded, not met, needs effort, not known.
VERDICTS: dict[str, str] = {
    fold(word): claim
    for words, claim in (
        (("Đạt", "Hoàn thành", "Đạt kế hoạch", "Đạt chỉ tiêu", "Met", "Achieved"), "pass"),
        (("Vượt", "Đạt và vượt", "Vượt kế hoạch", "Vượt chỉ tiêu", "Exceeded"), "exceeded"),
        (
            ("Chưa đạt", "Không đạt", "Chưa hoàn thành", "Không hoàn thành", "Not met", "Not achieved"),
            "fail",
        ),
        (("Cần cố gắng", "Needs effort"), "warn"),
        (("Chưa đủ số liệu", "Incomplete data", "Chưa có số liệu", "Không có số liệu", "No data"), "unknown"),
    )
    for word in words
}

# The statuses (with "exceeded") each claim is true of.
TRUE_OF: dict[str, frozenset[str]] = {
    "pass": frozenset({"pass", "exceeded"}),
    "exceeded": frozenset({"exceeded"}),
    "fail": frozenset({"fail", "warn"}),
    "warn": frozenset({"warn"}),
    "unknown": frozenset({"incomplete", "no_data"}),
}


def read_verdict(value: Any) -> str | None:
    """The claim of a verdict cell ("pass", "exceeded", "fail", "warn", "unknown"), or None when unknown."""
    if not isinstance(value, str):
        return None
    return VERDICTS.get(fold(value.strip().rstrip(".")))
