"""Both languages have every message, with the same placeholders."""

from __future__ import annotations

import string
from fractions import Fraction

from qbplan.i18n import MESSAGES, UI, message
from qbplan.i18n.numbers import format_int, format_percent


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


def test_values_are_shown_as_people_read_them() -> None:
    from qbplan.i18n.numbers import display_value

    assert [display_value(v) for v in (14.0, -4.0, 1250.5, 1234567, True)] == [
        "14",
        "-4",
        "1.250,5",
        "1.234.567",
        "TRUE",
    ]
    assert [display_value(v, "en") for v in (14.0, 1250.5, 1234567)] == ["14", "1,250.5", "1,234,567"]


def test_json_values_are_whole_numbers_when_whole() -> None:
    from qbplan.model.findings import json_scalar

    # The same cell reads as 14.0 from .xlsx and 14 from .xls: JSON says 14 for both.
    assert json_scalar(14.0) == 14 and isinstance(json_scalar(14.0), int) and json_scalar(1250.5) == 1250.5


def test_every_finding_code_has_its_severity_and_both_sentences() -> None:
    from qbplan.i18n import FINDINGS, MESSAGES

    for code, entry in FINDINGS.items():
        assert entry.severity in ("error", "warning"), code
        assert entry.vi and entry.en, code
        assert _fields(entry.vi) == _fields(entry.en), code
    # A code is a finding or a refusal; never both with two texts that could drift apart.
    assert not set(FINDINGS) & set(MESSAGES)
