"""The core ``check``: many files, bad files among good ones, mutated bytes."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest

from qbplan.errors import InputError, QbplanError
from qbplan.model.wording import describe
from qbplan.run.pipeline import CheckOptions, check, run_bounded
from tests.helpers import SAMPLES, agency, write_form


def test_no_inputs_is_a_usage_error(targets) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(QbplanError) as info:
        check([], targets)
    assert info.value.code == "usage-no-inputs" and info.value.exit_code == 2


def test_files_are_summarised(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    path = write_form(tmp_path / "a.xlsx", {"co_quan": [agency(), agency(ma_don_vi="T2", so_cbcc="x")]})
    report = check([path], targets)
    (summary,) = report.files
    assert (summary.rows_read, summary.rows_excluded, summary.errors, summary.sheets) == (2, 1, 1, ("co_quan",))
    assert report.exit_code == 3


@pytest.mark.parametrize("seed", range(3))
def test_flipped_bytes_never_escape_as_exceptions(tmp_path: Path, targets, seed: int) -> None:  # type: ignore[no-untyped-def]
    """Each mutated workbook is either checked or refused as a finding."""
    original = (SAMPLES / "survey.xlsx").read_bytes()
    rng = random.Random(seed)
    for i in range(25):
        data = bytearray(original)
        for _ in range(rng.randint(1, 16)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path = tmp_path / f"m{i}.xlsx"
        path.write_bytes(bytes(data))
        report = check([path], targets)  # must not raise
        assert len(report.files) == 1
        if not report.files[0].readable:
            assert report.errors[0].code.startswith("input-") and report.errors[0].file == str(path)


def test_unusable_sheet_is_named_in_the_file_finding(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers import grid_for, write_grid

    grid = [row[:2] for row in grid_for("doanh_nghiep", [{"huyen": "H", "so_doanh_nghiep": 5}])]
    path = write_grid(tmp_path / "a.xlsx", {"Doanh nghiệp": grid})
    report = check([path], targets)
    (finding,) = report.errors
    assert (finding.code, finding.file, finding.sheet) == ("input-missing-columns", str(path), "Doanh nghiệp")
    assert report.exit_code == 2


def _stored_copy(source: Path, target: Path) -> Path:
    """The same workbook with its parts stored, not deflated: flipped bytes then hit the XML itself."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
    return target


def _xls(target: Path) -> Path:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Phần mềm dùng chung")
    for i, row in enumerate([["Mã phần mềm", "Tên phần mềm", "Đã đầu tư nâng cấp"], ["PM1", "QLVB", "Có"]]):
        for j, value in enumerate(row):
            ws.write(i, j, value)
    wb.save(str(target))
    return target


@pytest.mark.parametrize("kind", ["xlsx-stored", "xls", "ods"])
def test_flipped_bytes_in_every_format_are_checked_or_refused_in_bounded_time(
    tmp_path: Path, targets, kind: str
) -> None:  # type: ignore[no-untyped-def]
    import pandas as pd

    if kind == "xlsx-stored":
        source = _stored_copy(SAMPLES / "survey.xlsx", tmp_path / "source.xlsx")
    elif kind == "xls":
        source = _xls(tmp_path / "source.xls")
    else:
        source = tmp_path / "source.ods"
        pd.DataFrame({"Mã phần mềm": ["PM1"], "Tên phần mềm": ["QLVB"], "Đã đầu tư nâng cấp": ["Có"]}).to_excel(
            source, sheet_name="phan_mem", index=False, engine="odf"
        )
    original = source.read_bytes()
    rng = random.Random(kind)
    paths = []
    for i in range(40):
        data = bytearray(original)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path = tmp_path / "mutated" / f"m{i:02d}{source.suffix}"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(bytes(data))
        paths.append(path)
    report = check([tmp_path / "mutated"], targets, CheckOptions(timeout=60))  # must not raise or hang
    assert len(report.files) == 40
    refused = {f.file for f in report.files if not f.readable}
    for finding in report.errors:
        if finding.file in refused:
            assert finding.code.startswith("input-") and "\n" not in describe(finding)


def test_one_bad_value_on_many_rows_costs_a_bounded_report(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    import secrets

    from qbplan.model.findings import MAX_PER_CODE, MAX_VALUE_CHARS

    huge = secrets.token_hex(15_000)  # 30,000 incompressible characters (a cell holds 32,767), on every row
    rows = [agency(ma_don_vi=f"U{i}", so_cbcc=huge) for i in range(MAX_PER_CODE + 50)]
    report = check([write_form(tmp_path / "amp.xlsx", {"co_quan": rows})], targets)
    codes = [f.code for f in report.errors]
    assert codes.count("not-a-number") == MAX_PER_CODE and codes.count("findings-capped") == 1
    cap = next(f for f in report.errors if f.code == "findings-capped")
    assert cap.params["extra"] == 50 and cap.severity == "error"
    # Every row is still left out and counted; each value kept is cut, with its length.
    assert report.rows_excluded == MAX_PER_CODE + 50
    first = report.errors[0]
    assert len(str(first.value)) == MAX_VALUE_CHARS + 1 and first.params["value_length"] == 30_000


def _refuse(path: str) -> None:
    raise InputError("input-missing", file=path)


def _abort(path: str) -> None:
    import os

    os.abort()


def test_run_bounded_raises_a_workers_refusal_as_itself_and_a_crash_as_input_crashed() -> None:
    with pytest.raises(InputError) as refused:
        run_bounded(_refuse, "nop/a.xlsx", CheckOptions())
    assert (refused.value.code, refused.value.file) == ("input-missing", "nop/a.xlsx")
    with pytest.raises(InputError) as crashed:
        run_bounded(_abort, "nop/b.xlsx", CheckOptions())
    assert (crashed.value.code, crashed.value.file) == ("input-crashed", "nop/b.xlsx")


def test_a_capped_report_renders_in_every_format(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    import io

    from qbplan.model.findings import MAX_PER_CODE
    from qbplan.render import FORMATS, RenderOptions, get_renderer, is_binary

    rows = [agency(ma_don_vi=f"U{i}", so_cbcc="nhiều") for i in range(MAX_PER_CODE + 5)]
    report = check([write_form(tmp_path / "many.xlsx", {"co_quan": rows})], targets)
    assert any(f.code == "findings-capped" for f in report.errors)
    for fmt in FORMATS:
        out: io.BytesIO | io.StringIO = io.BytesIO() if is_binary(fmt) else io.StringIO()
        get_renderer(fmt)(report, out, RenderOptions(color=False, width=120))
    text = io.StringIO()
    get_renderer("json")(report, text, RenderOptions())
    assert "… và 5 lỗi 'not-a-number' khác trong trang này" in text.getvalue()
