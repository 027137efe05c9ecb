"""The corpus of broken and hostile files: one line, the right code, exit 2, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.corpus.build import OUT, PASSWORD, build

EXPECTED = json.loads((OUT / "expected.json").read_text(encoding="utf-8"))


def _qbplan(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qbplan", *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_the_committed_corpus_is_what_the_script_builds(tmp_path: Path) -> None:
    rebuilt = build(tmp_path)
    assert rebuilt == EXPECTED
    for name in rebuilt:
        if name != "encrypted.xlsx":  # random salt
            assert (tmp_path / name).read_bytes() == (OUT / name).read_bytes(), name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_file_gets_its_code_and_exit_code(name: str) -> None:
    want = EXPECTED[name]
    path = str(OUT / name)
    proc = _qbplan("check", path, "--format", "json", "--lang", "en")
    assert proc.returncode == want["exit"], proc.stderr
    assert "Traceback" not in proc.stderr
    doc = json.loads(proc.stdout)
    if want["code"] == "ok":
        assert doc["errors"] == [] and doc["summary"]["rows_read"] == 2
        return
    (error,) = doc["errors"]
    assert error["code"] == want["code"] and error["file"] == path
    assert error["message"].startswith(path) and "\n" not in error["message"]


def test_table_output_for_a_refused_file_is_one_line_on_stderr() -> None:
    proc = _qbplan("check", str(OUT / "billion-laughs.xlsx"))
    assert proc.returncode == 2 and proc.stdout == ""
    (line,) = proc.stderr.splitlines()
    assert "billion-laughs.xlsx" in line and "DTD" in line


def test_a_folder_of_broken_files_still_checks_the_good_ones() -> None:
    samples = Path(__file__).resolve().parents[2] / "samples" / "survey.xlsx"
    proc = _qbplan("check", str(OUT), str(samples), "--format", "json", "-q")
    assert proc.returncode == 2
    doc = json.loads(proc.stdout)
    readable = [f["file"] for f in doc["files"] if f["readable"]]
    assert str(samples) in readable
    assert doc["summary"]["rows_read"] > 300
    # The lock file is skipped when a folder is searched; every other bad file is reported.
    refused = {Path(e["file"]).name for e in doc["errors"] if e["code"].startswith("input-")}
    assert refused == {n for n, w in EXPECTED.items() if w["exit"] == 2 and not n.startswith("~$")}


def test_the_password_opens_the_encrypted_workbook() -> None:
    path = str(OUT / "encrypted.xlsx")
    assert _qbplan("check", path, "--password", PASSWORD, "-q").returncode == 0
    wrong = _qbplan("check", path, "--password", "nope", "--lang", "en")
    assert wrong.returncode == 2 and "wrong password" in wrong.stderr


@pytest.mark.parametrize("fmt", ["table", "json", "junit", "markdown", "csv", "html"])
def test_stdout_is_the_chosen_format_alone_over_the_whole_corpus(fmt: str, tmp_path: Path) -> None:
    import csv
    import io
    from xml.etree import ElementTree

    from tests.helpers import grid_for
    from tests.read.test_workbook import _xls

    # An .xls whose size is not a whole number of sectors: xlrd prints a WARNING to stdout.
    grid = grid_for("phan_mem", [{"ma_phan_mem": "PM1", "ten_phan_mem": "A", "da_nang_cap": "Có"}])
    odd = _xls(tmp_path / "odd.xls", "Phần mềm dùng chung", grid)
    odd.write_bytes(odd.read_bytes() + b"\0" * 100)
    proc = _qbplan("check", str(OUT), str(odd), "-f", fmt, "-q")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    out = proc.stdout
    assert "WARNING" not in out and "CODEPAGE" not in out
    if fmt == "json":
        # Every corpus file but the Excel lock file (skipped, with a warning), and the odd .xls.
        doc = json.loads(out)
        assert doc["summary"]["files"] == len([n for n in EXPECTED if not n.startswith("~$")]) + 1
        assert any(w["code"] == "input-skipped" for w in doc["warnings"])
    elif fmt == "junit":
        assert ElementTree.fromstring(out.encode()).tag == "testsuites"
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
        # The findings are rows too: every refused file's error, and the warnings.
        assert {r["kind"] for r in rows} == {"plan", "indicator", "file", "error", "warning"}
        assert all(r["code"] and r["message"] for r in rows if r["kind"] in ("error", "warning"))
    elif fmt == "html":
        assert out.startswith("<!DOCTYPE html>") and out.rstrip().endswith("</html>")
    else:
        assert out.strip()
