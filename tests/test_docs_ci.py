"""docs/ci.md's recipes, run as far as this machine allows: the cron line by sh, the systemd unit's
exit statuses, and the pre-commit hook's file pattern."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from qbplan.files.inputs import WORKBOOK_EXTENSIONS
from tests.helpers import SAMPLES

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")


def _block(language: str, after: str) -> str:
    """The first fenced block of ``language`` after the heading ``after``."""
    tail = DOC.split(after, 1)[1]
    found = re.search(rf"```{language}\n(.*?)```", tail, re.S)
    assert found is not None
    return found.group(1)


def test_the_cron_line_gives_the_password_to_both_commands_and_writes_both_reports(tmp_path: Path) -> None:
    line = next(ln for ln in _block("cron", "## A scheduled job (cron)").splitlines() if not ln.startswith("#"))
    command = line.split(None, 5)[5].replace("\\%", "%")  # after the five time fields, as cron runs it
    srv, log = tmp_path / "srv", tmp_path / "qbplan.log"
    (srv / "qbplan" / ".venv" / "bin").mkdir(parents=True)
    (srv / "bao-cao").mkdir()
    (srv / "nop").mkdir()
    shutil.copy(SAMPLES / "survey.xlsx", srv / "nop" / "so-noi-vu.xlsx")
    secret = tmp_path / "password"
    secret.write_text("mat-khau\n")
    seen = tmp_path / "seen"
    # qbplan itself, behind a wrapper that notes the password each run was given.
    wrapper = srv / "qbplan" / ".venv" / "bin" / "qbplan"
    wrapper.write_text(f'#!/bin/sh\necho "$QBPLAN_PASSWORD" >> {seen}\nexec {sys.executable} -m qbplan "$@"\n')
    wrapper.chmod(0o755)
    command = command.replace("/srv/", f"{srv}/").replace("/etc/qbplan/password", str(secret))
    command = command.replace("/var/log/qbplan.log", str(log))
    subprocess.run(["sh", "-c", command], check=False, timeout=300, env={**os.environ, "HOME": str(tmp_path)})
    assert seen.read_text().splitlines() == ["mat-khau", "mat-khau"]
    written = sorted(p.suffix for p in (srv / "bao-cao").iterdir())
    assert written == [".html", ".json"], log.read_text()


def test_the_systemd_unit_counts_a_miss_and_invalid_rows_as_results_not_failures() -> None:
    unit = _block("ini", "`/etc/systemd/system/qbplan.service`")
    statuses = re.search(r"^SuccessExitStatus=(.*)$", unit, re.M)
    assert statuses is not None and set(statuses.group(1).split()) == {"1", "3"}


def test_the_systemd_units_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("no systemd-analyze")
    service = _block("ini", "`/etc/systemd/system/qbplan.service`")
    timer = _block("ini", "`/etc/systemd/system/qbplan.timer`")
    # The unit's program must exist for verify: this test's own stand-in, at a path of its own.
    program = tmp_path / "qbplan"
    program.write_text("#!/bin/sh\nexit 0\n")
    program.chmod(0o755)
    service = service.replace("/srv/qbplan/.venv/bin/qbplan", str(program)).replace("User=qbplan\n", "")
    service = service.replace("WorkingDirectory=/srv/qbplan", f"WorkingDirectory={tmp_path}")
    (tmp_path / "qbplan.service").write_text(service)
    (tmp_path / "qbplan.timer").write_text(timer)
    result = subprocess.run(
        [analyze, "verify", str(tmp_path / "qbplan.service"), str(tmp_path / "qbplan.timer")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode, [ln for ln in result.stderr.splitlines() if "qbplan" in ln]) == (0, []), result.stderr


def test_the_pre_commit_hook_takes_every_workbook_qbplan_reads_in_any_case() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])
    for suffix in WORKBOOK_EXTENSIONS:
        for name in (f"nop/so{suffix}", f"nop/SO{suffix.upper()}"):
            assert files.search(name) and not exclude.search(name), name
    assert exclude.search("nop/~$so.xlsx") and not files.search("nop/so.docx")
