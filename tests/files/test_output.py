"""Atomic report writing."""

from __future__ import annotations

from pathlib import Path

import pytest

from qbplan.files.output import atomic_write


def test_a_failed_write_leaves_the_previous_report_and_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "results.xml"
    target.write_text("previous")
    with pytest.raises(KeyboardInterrupt), atomic_write(target) as out:
        out.write("<half")
        raise KeyboardInterrupt
    assert target.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["results.xml"]


def test_a_finished_write_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "r.xlsx"
    with atomic_write(target, binary=True) as out:
        out.write(b"PK")
    assert target.read_bytes() == b"PK" and oct(target.stat().st_mode & 0o777) != "0o600"


def test_a_symlink_is_written_through_and_the_target_keeps_its_mode(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    with atomic_write(link) as out:
        out.write("new")
    assert link.is_symlink() and real.read_text() == "new"
    assert real.stat().st_mode & 0o777 == 0o640


def test_a_fifo_is_written_into_not_replaced(tmp_path: Path) -> None:
    import os
    import stat
    import threading

    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    with atomic_write(fifo) as out:
        out.write("report")
    reader.join(5)
    assert got == ["report"] and stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_character_device_is_written_into_not_replaced() -> None:
    import stat

    with atomic_write("/dev/null") as out:
        out.write("report")
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)


@pytest.mark.parametrize(
    ("name", "code"), [("missing/r.json", "usage-output-no-folder"), (".", "usage-output-is-directory")]
)
def test_a_path_that_cannot_be_a_file_is_a_usage_error(tmp_path: Path, name: str, code: str) -> None:
    from qbplan.errors import EXIT_CANNOT_RUN, QbplanError

    with pytest.raises(QbplanError) as info, atomic_write(tmp_path / name) as out:
        out.write("x")
    assert info.value.code == code and info.value.exit_code == EXIT_CANNOT_RUN
    assert list(tmp_path.iterdir()) == []


def test_the_output_may_not_be_an_input(tmp_path: Path) -> None:
    from qbplan.errors import QbplanError
    from qbplan.files.output import RunInputs, refuse_writing_over

    submission = tmp_path / "nop.xlsx"
    submission.write_bytes(b"PK")
    (tmp_path / "alias.xlsx").symlink_to(submission)
    with pytest.raises(QbplanError) as info:
        refuse_writing_over(tmp_path / "alias.xlsx", RunInputs(submissions=(str(submission),)))
    assert info.value.code == "usage-output-is-input"
    refuse_writing_over(tmp_path / "report.json", RunInputs(submissions=(str(submission),)))  # another name is fine


def test_dev_stdout_into_a_pipe_is_written_into(tmp_path: Path) -> None:
    """The README's ``-o /dev/stdout``: when stdout is a pipe, /dev/stdout resolves to no file at all."""
    import subprocess
    import sys

    from tests.helpers import SAMPLES

    done = subprocess.run(
        [sys.executable, "-m", "qbplan", "check", str(SAMPLES / "survey.xlsx"), "-f", "json", "-o", "/dev/stdout"],
        capture_output=True,  # stdout is a pipe, as in `qbplan … -o /dev/stdout | jq`
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr.decode()
    assert done.stdout.decode().startswith("{") and b"Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []
