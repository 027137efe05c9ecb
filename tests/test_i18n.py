"""Both languages have every message, with the same placeholders."""

from __future__ import annotations

import string
from fractions import Fraction

from qbplan.i18n import MESSAGES, UI, format_int, format_percent, message


def _fields(text: str) -> set[str]:
    # "{detail_vi}" is the Vietnamese twin of "{detail}".
    return {f.removesuffix("_vi") for _, f, _, _ in string.Formatter().parse(text) if f}


def test_catalogues_are_complete_and_consistent() -> None:
    for table in (MESSAGES, UI):
        for key, entry in table.items():
            assert set(entry) == {"vi", "en"}, key
            assert _fields(entry["vi"]) == _fields(entry["en"]), key


def test_percent_formats() -> None:
    assert format_percent(Fraction(853, 1000), "vi") == "85,3 %"
    assert format_percent(Fraction(853, 1000), "en") == "85.3%"
    assert format_percent(None, "vi") == "—"


def test_percent_rounds_down_so_a_miss_never_shows_as_the_target() -> None:
    assert format_percent(Fraction(6999, 10000), "en") == "69.9%"
    assert format_percent(Fraction(7, 10), "en") == "70.0%"


def test_int_formats() -> None:
    assert format_int(1234567, "vi") == "1.234.567"
    assert format_int(1234567, "en") == "1,234,567"


def test_unknown_code_still_gives_text() -> None:
    assert "mystery" in message("mystery", "vi")
