"""The samples, recomputed independently from the workbook cells with openpyxl."""

from __future__ import annotations

import json
import os
from fractions import Fraction
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from qbplan.cli import app
from tests.helpers import ROOT, SAMPLES, raw_targets, reference

GOLDEN = Path(__file__).with_name("golden") / "survey.json"


def _read_logical(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Rows by form sheet key, parsed without qbplan: labels to keys, text to ints."""
    form = raw_targets()["form"]["sheets"]
    out: dict[str, list[dict[str, Any]]] = {}
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for spec in form:
        if spec["label"] not in wb.sheetnames:
            continue  # a file of the inbox sample holds some sheets only
        ws = wb[spec["label"]]
        rows = list(ws.iter_rows(values_only=True))
        header_i = next(i for i, r in enumerate(rows) if r and r[0] == spec["columns"][0]["label"])
        cols = spec["columns"]
        parsed = []
        for raw in rows[header_i + 1 :]:
            if raw is None or all(v is None for v in raw):
                continue
            row = {}
            for col, value in zip(cols, raw, strict=False):
                if col.get("type") == "enum":
                    value = next(k for k, label in col["values"].items() if label == value or k == value)
                elif col.get("type") == "yesno":
                    value = value == "Có"
                elif col.get("type") == "int" and isinstance(value, str):
                    value = int(value.replace(".", ""))
                row[col["key"]] = value
            parsed.append(row)
        out[spec["key"]] = parsed
    return out


@pytest.mark.parametrize("name", ["survey.xlsx", "survey-compliant.xlsx"])
def test_every_indicator_matches_an_independent_computation(name: str) -> None:
    expected = reference(_read_logical(SAMPLES / name))
    result = CliRunner().invoke(app, ["check", str(SAMPLES / name), "-f", "json"])
    doc = json.loads(result.stdout)
    got = {i["id"]: (i["numerator"], i["denominator"], i["status"]) for i in doc["indicators"]}
    assert got == expected
    # Only the word that, without a register, ct03 and ct05 count the databases and software the file lists.
    assert doc["errors"] == []
    said = [(w["code"], w["params"]["indicator"], w["params"]["count"]) for w in doc["warnings"]]
    assert said == [("denominator-from-files", i, expected[i][1]) for i in ("ct03", "ct05")]


def test_survey_has_met_and_missed_targets_and_one_exactly_at_target() -> None:
    expected = reference(_read_logical(SAMPLES / "survey.xlsx"))
    statuses = {s for _, _, s in expected.values()}
    assert {"pass", "fail"} <= statuses
    num, den, status = expected["ct11"]
    assert num * 10 == den * 7 and status == "pass"  # exactly 70%


def test_compliant_sample_meets_every_target() -> None:
    assert {s for _, _, s in reference(_read_logical(SAMPLES / "survey-compliant.xlsx")).values()} == {"pass"}


def test_samples_are_reproducible_from_the_generator(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate", SAMPLES / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    names = ["survey.xlsx", "survey-compliant.xlsx", "survey-invalid.xlsx", "danh-muc.xlsx"]
    names += [f"thieu-don-vi/{p.name}" for p in sorted((SAMPLES / "thieu-don-vi").iterdir())]
    assert sorted(p.name for p in (tmp_path / "thieu-don-vi").iterdir()) == [n.split("/")[1] for n in names[4:]]
    for name in names:
        assert (tmp_path / name).read_bytes() == (SAMPLES / name).read_bytes(), name


def test_golden_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(
        app, ["check", "samples/survey-invalid.xlsx", "-f", "json", "--targets", "targets.yaml"]
    )
    doc = json.loads(result.stdout)
    doc.pop("qbplan")
    if os.environ.get("QBPLAN_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert doc == json.loads(GOLDEN.read_text(encoding="utf-8"))


def _keys(path: Path, label: str) -> list[str]:
    """The codes in column A of one sheet below the header, read with openpyxl."""
    wb = openpyxl.load_workbook(path, read_only=True)
    if label not in wb.sheetnames:
        return []
    return [str(r[0]) for r in wb[label].iter_rows(min_row=7, values_only=True) if r and r[0] is not None]


def test_the_inbox_sample_is_incomplete_against_the_register_and_says_who_is_missing() -> None:
    inbox = sorted((SAMPLES / "thieu-don-vi").glob("*.xlsx"))
    result = CliRunner().invoke(
        app, ["check", str(SAMPLES / "thieu-don-vi"), "-r", str(SAMPLES / "danh-muc.xlsx"), "-f", "json"]
    )
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["errors"] == []
    by_sheet = {c["sheet"]: c for c in doc["completeness"]}
    for spec in raw_targets()["form"]["sheets"]:
        registered = _keys(SAMPLES / "danh-muc.xlsx", spec["label"])
        sent = {k for path in inbox for k in _keys(path, spec["label"])}
        got = by_sheet[spec["key"]]
        assert (got["expected"], got["submitted"]) == (len(registered), len(sent))
        assert [u["key"] for u in got["missing"]] == [k for k in registered if k not in sent]
    # ct07b over the communes that reported, bounded by the ones that did not (Fraction, not the code's numbers).
    communes = [r for path in inbox for r in _read_logical(path)["co_quan"] if r["loai"] == "ubnd_xa"]
    total = sum(1 for r in _read_logical(SAMPLES / "survey.xlsx")["co_quan"] if r["loai"] == "ubnd_xa")
    yes = sum(1 for r in communes if r["co_trang_ttdt"])
    ct07b = next(i for i in doc["indicators"] if i["id"] == "ct07b")
    assert Fraction(ct07b["bounds"]["low_exact"]) == Fraction(yes, total)
    assert Fraction(ct07b["bounds"]["high_exact"]) == Fraction(yes + total - len(communes), total)
    assert {i["status"] for i in doc["indicators"]} >= {"incomplete", "fail"}
