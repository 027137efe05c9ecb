"""The command line through Typer's CliRunner, and as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qbplan.cli import app
from tests.helpers import ROOT, SAMPLES, TARGETS_YAML, agency, write_form

runner = CliRunner()


def _commands() -> list[list[str]]:
    import typer.main

    group = typer.main.get_command(app)
    return [[], *([name] for name in group.commands)]  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c) or "qbplan")
def test_every_command_has_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    # Vietnamese by default, Click's own words included.
    assert "Cách dùng" in result.output and "Usage" not in result.output
    assert "Show this message" not in result.output and "Options" not in result.output
    assert "{" not in result.output.split("\n", 1)[0] and "<list[" not in result.output
    # The usage line's placeholders are translated too.
    assert "[OPTIONS]" not in result.output and "COMMAND" not in result.output
    text = result.output.split("Cách dùng", 1)[1]
    assert len(text.strip()) > 80  # more than a bare usage line


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("qbplan ")


def test_sample_table_and_exit_code() -> None:
    result = runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx")])
    assert result.exit_code == 1, result.output
    for ind in ("ct01", "ct04a", "ct11"):
        assert ind in result.output
    assert "CHƯA ĐẠT" in result.output and "ĐẠT" in result.output
    assert "391 dòng số liệu" in result.output


def test_english() -> None:
    result = runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "--lang", "en"])
    assert "FAIL" in result.output and "Indicator results" in result.output


def test_compliant_exits_0_and_invalid_exits_3() -> None:
    assert runner.invoke(app, ["check", str(SAMPLES / "survey-compliant.xlsx")]).exit_code == 0
    result = runner.invoke(app, ["check", str(SAMPLES / "survey-invalid.xlsx"), "-f", "json"])
    assert result.exit_code == 3
    doc = json.loads(result.stdout)
    assert doc["summary"]["rows_excluded"] == len(doc["errors"]) == 8
    first = doc["errors"][0]
    assert set(first) == {"file", "sheet", "row", "column", "cell", "value", "code", "params", "message"}
    assert first["sheet"] == "Cơ quan, đơn vị" and first["cell"] == f"H{first['row']}"


def test_fail_on() -> None:
    path = str(SAMPLES / "survey.xlsx")
    assert runner.invoke(app, ["check", path, "--fail-on", "never"]).exit_code == 0
    assert runner.invoke(app, ["check", path, "--fail-on", "warn"]).exit_code == 1


def test_json_shape(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "--format", "json"])
    doc = json.loads(result.stdout)
    assert [i["id"] for i in doc["indicators"]][:3] == ["ct01", "ct02a", "ct02b"]
    for ind in doc["indicators"]:
        assert {"id", "title", "numerator", "denominator", "rate", "target", "goal", "status", "excluded_rows"} <= set(
            ind
        )
        assert isinstance(ind["numerator"], int) and isinstance(ind["denominator"], int)
        assert ind["rate"] is None or 0 <= ind["rate"] <= 1
    assert set(doc) >= {"indicators", "errors", "warnings", "summary"}


def test_by_huyen() -> None:
    result = runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "--by", "huyen", "-f", "json"])
    doc = json.loads(result.stdout)
    ct11 = next(i for i in doc["indicators"] if i["id"] == "ct11")
    assert len(ct11["breakdown"]) == 8
    assert sum(g["numerator"] for g in ct11["breakdown"]) == ct11["numerator"]
    assert "breakdown" not in next(i for i in doc["indicators"] if i["id"] == "ct03")
    table = runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "--by", "huyen"])
    # Headings name the column by its label; province-level agencies (blank district) are "Cấp tỉnh".
    assert "Chi tiết theo Huyện, thị xã, thành phố" in table.output and "Huyện Lệ Thủy" in table.output
    assert "Cấp tỉnh" in table.output and "(không ghi)" not in table.output
    by_label = runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "--by", "Huyện, thị xã, thành phố"])
    assert by_label.output == table.output


def test_bad_by_column_exits_2() -> None:
    result = runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "--by", "tinh_thanh"])
    assert result.exit_code == 2
    assert result.stderr.startswith("qbplan: --by tinh_thanh: không trang nào của biểu mẫu có cột này. Chọn một trong:")
    assert "Huyện, thị xã, thành phố (huyen)" in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "input-empty"),
        (b"not a workbook at all", "input-not-workbook"),
    ],
)
def test_bad_input_is_one_line_exit_2(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    result = runner.invoke(app, ["check", str(path), "--lang", "en"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"qbplan: {path}:")
    assert result.stdout == ""


def test_missing_file_vietnamese(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(tmp_path / "khong-co.xlsx")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"qbplan: {tmp_path / 'khong-co.xlsx'}: không tìm thấy tệp"


def test_one_bad_file_among_good_ones_is_reported_and_the_rest_checked(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"garbage")
    result = runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx"), str(bad), "-f", "json"])
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert doc["summary"]["unreadable_files"] == 1
    assert any(e["code"] == "input-not-workbook" and e["file"] == str(bad) for e in doc["errors"])
    assert next(i for i in doc["indicators"] if i["id"] == "ct11")["status"] == "pass"


def test_bad_targets_file_exit_2_with_line(tmp_path: Path) -> None:
    bad = tmp_path / "t.yaml"
    bad.write_text(
        TARGETS_YAML.read_text(encoding="utf-8").replace("    target: 70\n", "    target: 170\n", 1), encoding="utf-8"
    )
    result = runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "--targets", str(bad), "--lang", "en"])
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert line.startswith(f"qbplan: {bad}:") and "indicators[2].target" in line and "\n" not in line


def test_local_targets_yaml_is_preferred(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = TARGETS_YAML.read_text(encoding="utf-8").replace("    target: 70\n", "    target: 10\n")
    (tmp_path / "targets.yaml").write_text(text, encoding="utf-8")
    path = write_form(tmp_path / "s.xlsx", {"co_quan": [agency(so_vien_chuc=10, so_vien_chuc_trang_bi=2)]})
    monkeypatch.chdir(tmp_path)
    doc = json.loads(runner.invoke(app, ["check", str(path), "-f", "json"]).stdout)
    assert next(i for i in doc["indicators"] if i["id"] == "ct02b")["status"] == "pass"  # 20% >= 10%


def test_usage_error_exit_2() -> None:
    assert runner.invoke(app, ["check"]).exit_code == 2
    assert runner.invoke(app, ["check", "x.xlsx", "--format", "pdf"]).exit_code == 2


def test_python_m_qbplan_runs_as_a_process() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "qbplan", "check", "samples/survey.xlsx", "-f", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["summary"]["exit_code"] == 1
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("argv", [["--help", "--lang", "en"], ["check", "--lang=en", "--help"]])
def test_help_in_english(argv: list[str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "qbplan", *argv], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert "Kiểm tra" not in proc.stdout
    assert "Check agencies'" in proc.stdout or "Validate the submissions" in proc.stdout


@pytest.mark.parametrize("fmt", ["json", "junit", "markdown", "csv", "html", "xlsx", "table"])
def test_output_file_for_every_format_and_nothing_on_stdout(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    result = runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "-f", fmt, "-o", str(out)])
    assert result.exit_code == 1 and result.stdout == ""
    assert out.stat().st_size > 500
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temp file left
    if fmt == "table":
        assert "\x1b[" not in out.read_text(encoding="utf-8")  # no colour codes in a file


def test_writing_the_report_to_a_file_is_said_on_stderr(tmp_path: Path) -> None:
    out = tmp_path / "bao-cao.html"
    result = runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "-o", str(out)])
    assert result.stdout == "" and f"qbplan: đã ghi {out}" in result.stderr
    result = runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "-o", str(out), "--lang", "en"])
    assert f"qbplan: wrote {out}" in result.stderr


@pytest.mark.parametrize(("columns", "widest"), [("80", 80), ("100", 100), (None, 120)])
def test_piped_output_is_as_wide_as_columns_says(columns: str | None, widest: int) -> None:
    result = runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx")], env={"COLUMNS": columns or ""})
    width = max(len(line) for line in result.stdout.splitlines())
    assert widest - 10 < width <= widest


def test_a_binary_format_on_a_terminal_needs_output(monkeypatch: pytest.MonkeyPatch) -> None:
    import qbplan.cli.output as output

    monkeypatch.setattr(output, "stdout_is_terminal", lambda: True)
    result = runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "-f", "xlsx", "--lang", "en"])
    assert result.exit_code == 2
    assert result.stderr == "qbplan: the xlsx format is binary and not for a terminal: add --output FILE (or pipe it)\n"


def test_a_failing_render_keeps_the_previous_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qbplan.render import json as json_format

    out = tmp_path / "report.json"
    out.write_text('{"previous": true}')

    def broken(report: object, stream: object, options: object) -> None:
        stream.write('{"half": ')  # type: ignore[attr-defined]
        raise RuntimeError("disk full")

    monkeypatch.setattr(json_format, "render", broken)
    result = runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "-f", "json", "-o", str(out)])
    assert result.exit_code == 2
    assert json.loads(out.read_text()) == {"previous": True}
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_no_color_when_piped_or_no_color_set() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "qbplan", "check", str(SAMPLES / "survey.xlsx")],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "NO_COLOR": "1", "FORCE_COLOR": ""},
        check=False,
    )
    assert proc.returncode == 1 and "\x1b[" not in proc.stdout and proc.stderr == ""


def test_folder_and_glob_inputs(tmp_path: Path) -> None:
    write_form(tmp_path / "a" / "one.xlsx", {"co_quan": [agency(ma_don_vi="A")]}) if (
        tmp_path / "a"
    ).mkdir() is None else None
    write_form(tmp_path / "two.xlsx", {"co_quan": [agency(ma_don_vi="B")]})
    result = runner.invoke(app, ["check", str(tmp_path), "-f", "json"])
    doc = json.loads(result.stdout)
    assert [Path(f["file"]).name for f in doc["files"]] == ["two.xlsx", "one.xlsx"]
    result = runner.invoke(app, ["check", str(tmp_path / "*.xlsx"), "-f", "json"])
    assert [Path(f["file"]).name for f in json.loads(result.stdout)["files"]] == ["two.xlsx"]
    result = runner.invoke(app, ["check", str(tmp_path / "nothing-*.xlsx"), "--lang", "en"])
    assert result.exit_code == 2 and "no file matches" in result.output


@pytest.mark.parametrize(
    ("argv", "vi", "en"),
    [
        # An argument by its metavar as --help shows it, never by its name in the code ("inputs").
        (["check"], "thiếu tham số 'TỆP'", "Missing argument 'FILE'"),
        (["verify"], "thiếu tham số 'PHỤ_LỤC'", "Missing argument 'ANNEX'"),
        (["check", "x", "--period"], "tùy chọn --period cần một giá trị", "requires an argument"),
        (["chek", "x"], "không có lệnh 'chek' (có phải 'check'?)", "No such command"),
        (["check", "--bogus", "x"], "không có tùy chọn --bogus", "No such option"),
        (["check", "-f", "xml", "x"], "giá trị không hợp lệ cho --format / -f", "Invalid value"),
        # The choices are listed in the chosen language, never in click's English.
        (["check", "-f", "xml", "x"], "'xml' không có trong các lựa chọn: 'table', 'json'", "'xml' is not one of"),
        (["check", "--fail-on", "x", "x"], "'x' không có trong các lựa chọn: 'warn', 'fail', 'never'", "--fail-on"),
    ],
)
def test_usage_errors_are_one_line_in_the_chosen_language(argv: list[str], vi: str, en: str) -> None:
    for lang, expected in (("vi", vi), ("en", en)):
        proc = subprocess.run(
            [sys.executable, "-m", "qbplan", *argv],
            capture_output=True,
            text=True,
            env={**__import__("os").environ, "QBPLAN_LANG": lang},
            check=False,
        )
        assert proc.returncode == 2 and proc.stdout == ""
        (line,) = proc.stderr.splitlines()
        assert line.startswith("qbplan: ") and expected in line and "--help" in line
        assert "Value error" not in line
        if lang == "vi":
            assert "is not one of" not in line


def test_output_naming_an_input_is_refused_and_the_input_kept(tmp_path: Path) -> None:
    submission = tmp_path / "nop.xlsx"
    submission.write_bytes((SAMPLES / "survey.xlsx").read_bytes())
    before = submission.read_bytes()
    result = runner.invoke(app, ["check", str(tmp_path), "-f", "json", "-o", str(submission)])
    assert result.exit_code == 2 and "trùng với tệp đầu vào" in result.stderr
    assert submission.read_bytes() == before


def test_a_missing_output_folder_is_one_line_not_an_internal_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "-f", "json", "-o", str(tmp_path / "a/b.json")])
    assert result.exit_code == 2 and "lỗi nội bộ" not in result.stderr
    assert result.stderr.count("\n") == 1 and "không tồn tại" in result.stderr


def test_the_progress_bar_says_when_it_is_merging(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    for i in range(4):
        (tmp_path / f"xa-{i}.xlsx").write_bytes((SAMPLES / "survey.xlsx").read_bytes())
    master, slave = os.openpty()  # the bar is drawn only on a terminal
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100"}
    cmd = [sys.executable, "-m", "qbplan", "check", str(tmp_path), "-f", "json"]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=slave, env=env, timeout=120, check=False)
    os.close(slave)
    drawn = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        drawn += chunk
    os.close(master)
    assert "Đang tổng hợp" in drawn.decode("utf-8", "replace")
    assert json.loads(proc.stdout)["summary"]["files"] == 4  # stdout is the report alone


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [("--timeout", "inf", "phải ≤ 604800"), ("--timeout", "1e20", "phải ≤"), ("--max-memory-mb", "10", "phải ≥ 256")],
)
def test_absurd_limits_are_usage_errors_not_overflows(option: str, value: str, said: str) -> None:
    import subprocess
    import sys

    cmd = [sys.executable, "-m", "qbplan", "check", str(SAMPLES / "survey.xlsx"), option, value]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert result.returncode == 2 and said in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_worker_out_of_its_memory_limit_is_said_so() -> None:
    from qbplan.run.pipeline import _from_failure
    from qbplan.run.workers import WorkerFailure

    result = _from_failure("big.xlsx", WorkerFailure("crashed", "MemoryError: "), 256 * 1024 * 1024)
    assert result.failure is not None and result.failure.code == "input-memory-limit"
    assert result.failure.params["mb"] == 256
    # Without a limit a crash is still a crash.
    assert _from_failure("x.xlsx", WorkerFailure("crashed", "SIGABRT"), None).failure.code == "input-crashed"  # type: ignore[union-attr]


def test_an_unreadable_file_on_the_command_line_does_not_abort_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    locked = tmp_path / "noread.xlsx"
    locked.write_bytes((SAMPLES / "survey-compliant.xlsx").read_bytes())
    access = os.access

    def no_read(path: object, mode: int, *args: object, **kwargs: object) -> bool:
        # As a user without read permission sees it (CI runs as root, who reads anything).
        return False if str(path) == str(locked) else access(path, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", no_read)
    result = runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx"), str(locked), "-f", "json"])
    doc = json.loads(result.stdout)  # not a usage error with an empty stdout
    assert [f["file"] for f in doc["files"]] == [str(SAMPLES / "survey.xlsx"), str(locked)]


def test_a_targets_file_dropped_in_the_current_folder_is_warned_about_and_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lenient = TARGETS_YAML.read_text(encoding="utf-8").replace("target: 100", "target: 1")
    (tmp_path / "targets.yaml").write_text(lenient, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    doc = json.loads(runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "-f", "json"]).stdout)
    assert doc["warnings"][0]["code"] == "targets-local" and doc["targets"] == "targets.yaml"
    for fmt in ("table", "markdown", "html", "junit", "csv"):
        out = runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "-f", fmt]).stdout
        assert "targets.yaml" in out and "qd-2972-2017-quang-binh" in out, fmt
    # The same bytes as the bundled plan: nothing to warn about.
    (tmp_path / "targets.yaml").write_bytes(TARGETS_YAML.read_bytes())
    doc = json.loads(runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "-f", "json"]).stdout)
    assert all(w["code"] != "targets-local" for w in doc["warnings"])


def test_qbplans_own_xlsx_report_in_the_folder_is_left_out_by_its_marker(tmp_path: Path) -> None:
    folder = tmp_path / "nop"
    folder.mkdir()
    (folder / "xa-1.xlsx").write_bytes((SAMPLES / "survey.xlsx").read_bytes())
    first = runner.invoke(app, ["check", str(folder), "-f", "xlsx", "-o", str(folder / "bao-cao.xlsx")])
    assert first.exit_code == 1
    (folder / "bao-cao.xlsx").rename(folder / "renamed-anything.xlsx")  # recognised by content, not by name
    again = runner.invoke(app, ["check", str(folder), "-f", "json"])
    doc = json.loads(again.stdout)
    assert again.exit_code == 1 and [f["file"] for f in doc["files"]] == [str(folder / "xa-1.xlsx")]
    assert [w["code"] for w in doc["warnings"]].count("input-own-report") == 1


def test_groups_of_an_enum_column_are_shown_by_their_labels() -> None:
    table = runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "--by", "cap"]).output
    assert "Chi tiết theo Cấp" in table and "│ Tỉnh " in table and "│ tinh " not in table
    doc = json.loads(runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "--by", "cap", "-f", "json"]).stdout)
    assert {g["group"] for g in doc["indicators"][0]["breakdown"]} == {"tinh", "huyen", "xa"}  # JSON keeps keys


def test_help_names_the_plan_in_the_targets_file_in_use(tmp_path: Path) -> None:
    import subprocess
    import sys

    other = TARGETS_YAML.read_text(encoding="utf-8").replace(
        "title_vi: Quy hoạch phát triển công nghệ thông tin tỉnh Quảng Bình",
        "title_vi: Kế hoạch CNTT tỉnh Quảng Trị",
        1,
    )
    (tmp_path / "targets.yaml").write_text(other, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "qbplan", "--help"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert "Kế hoạch CNTT tỉnh Quảng Trị" in run.stdout and "Quảng Bình" not in run.stdout.split("Tùy chọn")[0]


def test_help_names_the_bundled_plan_where_there_is_no_local_targets_file(tmp_path: Path) -> None:
    import yaml

    bundled = Path(__file__).resolve().parents[1] / "src" / "qbplan" / "data" / "targets.yaml"
    title = yaml.safe_load(bundled.read_text(encoding="utf-8"))["plan"]["title_en"]
    env = {**os.environ, "QBPLAN_LANG": "en"}
    shown = subprocess.run(
        [sys.executable, "-m", "qbplan", "--help"], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    assert " ".join(title.split()) in " ".join(shown.stdout.split())


@pytest.mark.parametrize("command", [[], ["check"], ["verify"], ["history"], ["template"], ["explain"], ["plans"]])
def test_dash_h_is_help_on_every_command(command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "-h"])
    assert result.exit_code == 0 and "--help" in result.stdout
    assert result.stdout == CliRunner().invoke(app, [*command, "--help"]).stdout


@pytest.mark.parametrize(
    ("name", "starts"),
    [("bao-cao.xlsx", b"PK\x03\x04"), ("bao-cao.html", b"<!DOCTYPE html>"), ("bao-cao.json", b"{"),
     ("bao-cao.xml", b"<?xml")],
)  # fmt: skip
def test_output_without_format_takes_the_format_its_name_asks_for(tmp_path: Path, name: str, starts: bytes) -> None:
    out = tmp_path / name
    result = CliRunner().invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "-o", str(out), "-q"])
    assert result.exit_code == 1, result.output
    assert out.read_bytes().lstrip(b"\xef\xbb\xbf").startswith(starts)


def test_an_explicit_format_wins_over_the_output_name(tmp_path: Path) -> None:
    out = tmp_path / "bao-cao.xlsx"
    result = CliRunner().invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "-o", str(out), "-f", "json", "-q"])
    assert result.exit_code == 1 and out.read_text(encoding="utf-8").startswith("{")


def test_plans_in_json_name_each_plan_and_what_it_follows() -> None:
    import json

    result = CliRunner().invoke(app, ["plans", "-f", "json"])
    assert result.exit_code == 0
    plans = {p["id"]: p for p in json.loads(result.stdout)}
    assert plans["qd-2972-2017-quang-binh"]["default"] is True
    assert plans["qd-2972-2017-hai-cap"]["follows"] == "qd-2972-2017-quang-binh"
    assert "nối tiếp: qd-2972-2017-quang-binh" in CliRunner().invoke(app, ["plans"]).stdout


def test_every_workbook_qbplan_writes_is_left_out_of_the_next_check(tmp_path: Path) -> None:
    """The report, the annex and the history workbook all carry the marker."""
    folder = tmp_path / "nop"
    folder.mkdir()
    (folder / "xa-1.xlsx").write_bytes((SAMPLES / "survey.xlsx").read_bytes())
    survey = str(folder / "xa-1.xlsx")
    for args, code in (
        (["check", survey, "-f", "xlsx", "-o", str(folder / "a.xlsx")], 1),  # the sample misses targets
        (["check", survey, "-f", "annex", "-o", str(folder / "b.xlsx")], 1),
        (["history", "--db", str(SAMPLES / "history.db"), "-f", "xlsx", "-o", str(folder / "c.xlsx")], 0),
    ):
        assert runner.invoke(app, args).exit_code == code, args
    doc = json.loads(runner.invoke(app, ["check", str(folder), "-f", "json"]).stdout)
    assert [f["file"] for f in doc["files"]] == [survey]
    assert [w["code"] for w in doc["warnings"]].count("input-own-report") == 3


def test_the_projects_targets_file_is_found_from_a_subfolder_up_to_the_repository_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lenient = TARGETS_YAML.read_text(encoding="utf-8").replace("target: 100", "target: 1")
    project = tmp_path / "du-an"
    (project / "nop-2025" / "so").mkdir(parents=True)
    (project / "targets.yaml").write_text(lenient, encoding="utf-8")
    monkeypatch.chdir(project / "nop-2025" / "so")
    doc = json.loads(runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "-f", "json"]).stdout)
    assert doc["targets"] == str(project / "targets.yaml")
    assert doc["warnings"][0]["code"] == "targets-local"
    ct01 = next(i for i in doc["indicators"] if i["id"] == "ct01")
    assert ct01["goal"] == "1 %"  # the project's plan decided, not the bundled one
    # A repository's root ends the search: a targets.yaml above it is not this project's.
    (project / "repo" / "sub").mkdir(parents=True)
    (project / "repo" / ".git").mkdir()
    monkeypatch.chdir(project / "repo" / "sub")
    doc = json.loads(runner.invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "-f", "json"]).stdout)
    assert doc["targets"].endswith("qbplan/data/targets.yaml") and doc["warnings"][0]["code"] != "targets-local"
