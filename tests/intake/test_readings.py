"""A file's reading kept in the store: given back exactly, or not at all."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings

from qbplan.config.targets import load_targets
from qbplan.intake import readings
from qbplan.run.pipeline import CheckOptions, check_file, evaluate, loaded_from
from tests.helpers import SAMPLES, write_form
from tests.helpers.strategies import agencies

TARGETS = load_targets()


def _report(result: object) -> object:
    report = evaluate(loaded_from([result], TARGETS), TARGETS, CheckOptions(keep_figures=True), None).report
    return dataclasses.replace(report, checked_at=None)


@pytest.mark.parametrize("name", ["survey.xlsx", "survey-invalid.xlsx", "survey-compliant.xlsx"])
def test_a_samples_reading_gives_the_same_report_back(name: str) -> None:
    path = str(SAMPLES / name)
    result = check_file(path, TARGETS)
    kept = readings.dump(result)
    assert kept is not None
    assert _report(readings.load(kept, path)) == _report(result)


@settings(max_examples=15, deadline=None)
@given(rows=agencies(max_rows=12))
def test_any_agencies_reading_gives_the_same_report_back(tmp_path_factory: pytest.TempPathFactory, rows: list) -> None:
    path = str(write_form(tmp_path_factory.mktemp("r") / "nop.xlsx", {"co_quan": rows}))
    result = check_file(path, TARGETS)
    kept = readings.dump(result)
    assert kept is not None
    assert _report(readings.load(kept, path)) == _report(result)


def test_a_reading_moves_to_another_servers_path(tmp_path: Path) -> None:
    path = str(SAMPLES / "survey-invalid.xlsx")
    result = check_file(path, TARGETS)
    moved = readings.load(readings.dump(result) or b"", "/srv/may-hai/files/abc.xlsx")
    assert moved is not None and moved.file == "/srv/may-hai/files/abc.xlsx"
    errors = [f for s in moved.sheets for f in s.errors]
    assert errors and {f.file for f in errors} == {"/srv/may-hai/files/abc.xlsx"}


@pytest.mark.parametrize("junk", [b"", b"not zlib", __import__("zlib").compress(b'{"format": 99}'),
                                  __import__("zlib").compress(b'{"format": 1, "file": "x"}')])  # fmt: skip
def test_what_is_not_a_reading_gives_none(junk: bytes) -> None:
    assert readings.load(junk, "x.xlsx") is None
