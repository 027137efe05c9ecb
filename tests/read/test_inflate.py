"""A zip member unpacked by hand: the same bytes as zipfile's, resumable at any checkpoint, its CRC checked."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from qbplan.read import inflate
from qbplan.read.inflate import Member
from qbplan.read.probe import audit_xlsx_sheet, xlsx_sheet_parts
from qbplan.read.xlsx_rows import typed_rows, xlsx_sheet


def _zip(path: Path, data: bytes, method: int) -> zipfile.ZipFile:
    with zipfile.ZipFile(path, "w", compression=method) as zf:
        zf.writestr("a.txt", b"first")
        zf.writestr("part.xml", data)
    return zipfile.ZipFile(path)


def _data(size: int) -> bytes:
    rng = random.Random(size)
    return b"".join(b'<row r="%d"><c><v>%d</v></c></row>' % (i, rng.randint(0, 9**9)) for i in range(size))


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED], ids=["deflated", "stored"])
def test_the_bytes_are_zipfiles_and_every_checkpoint_resumes_them(tmp_path: Path, method: int, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(inflate, "_RAW_CHUNK", 4096)  # many checkpoints on a small member
    data = _data(20_000)
    zf = _zip(tmp_path / "a.zip", data, method)
    member = Member(zf, "part.xml")
    pairs = list(member.chunks())
    assert b"".join(chunk for _, chunk in pairs) == data == zf.read("part.xml")
    assert len(pairs) > 10
    for mark, _chunk in pairs[:: max(1, len(pairs) // 7)]:
        assert mark is not None
        assert b"".join(chunk for _, chunk in member.chunks(mark)) == data[mark.out :]


def test_a_damaged_member_is_refused_as_zipfile_refuses_it(tmp_path: Path) -> None:
    data = _data(5_000)
    path = tmp_path / "a.zip"
    _zip(path, data, zipfile.ZIP_STORED).close()
    raw = bytearray(path.read_bytes())
    at = raw.index(b'<row r="2500"')
    raw[at + 12] ^= 1  # one byte of a stored member: only the CRC can tell
    path.write_bytes(bytes(raw))
    with zipfile.ZipFile(path) as zf:
        with pytest.raises(zipfile.BadZipFile, match="CRC"):
            zf.read("part.xml")
        with pytest.raises(zipfile.BadZipFile, match="CRC"):
            list(Member(zf, "part.xml").chunks())


def test_a_zip_given_as_a_file_object_is_read_through_zipfile(tmp_path: Path) -> None:
    data = _data(1_000)
    _zip(tmp_path / "a.zip", data, zipfile.ZIP_DEFLATED).close()
    with zipfile.ZipFile(io.BytesIO((tmp_path / "a.zip").read_bytes())) as zf:
        pairs = list(Member(zf, "part.xml").chunks())
    assert b"".join(chunk for _, chunk in pairs) == data and all(mark is None for mark, _ in pairs)


def test_the_audit_leaves_checkpoints_that_find_the_same_rows(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(inflate, "_RAW_CHUNK", 2048)
    path = tmp_path / "s.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("S")
    for r in range(3_000):
        sheet.write_row(r, 0, [f"Đơn vị {r}", r, r * 1.5, r % 2 == 0])
    sheet.write_formula(1_500, 4, "=1/0", None, "#DIV/0!")  # the audit then parses the sheet too
    book.close()
    wanted = [0, 1, 2, 999, 1_000, 1_500, 2_048, 2_999]
    with zipfile.ZipFile(path) as zf:
        parts = xlsx_sheet(zf, xlsx_sheet_parts(zf)["S"])
        plain = typed_rows(xlsx_sheet(zf, parts.sheet), wanted, range(0, 5))
        audit = audit_xlsx_sheet(zf, parts.sheet, parts.index.note)
        assert (1_500, 4) in audit.problems
        assert len(parts.index.marks) > 20 and parts.index.root.startswith(b"<worksheet")
        groups = parts.index.starts([n + 1 for n in wanted])
        assert len(groups) > 3  # most rows are unpacked from a checkpoint just before them
        assert typed_rows(parts, wanted, range(0, 5)) == plain
    assert plain is not None and plain[1_000][:4] == ["Đơn vị 1000", 1000.0, 1500.0, True]


def test_a_member_that_unpacks_to_more_than_it_declares_is_cut_short(tmp_path: Path) -> None:
    # 64 MiB of zeros deflate to ~64 KiB; the zip then says the member is 1,000 bytes.
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("part.xml", b"\0" * (64 << 20))
    raw = bytearray(path.read_bytes())
    local, central = raw.index(b"PK\x03\x04"), raw.index(b"PK\x01\x02")
    raw[local + 22 : local + 26] = (1000).to_bytes(4, "little")
    raw[central + 24 : central + 28] = (1000).to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    with zipfile.ZipFile(path) as zf:
        chunks = Member(zf, "part.xml").chunks()
        with pytest.raises(zipfile.BadZipFile, match="more than it declares"):
            for _mark, chunk in chunks:
                assert len(chunk) <= 1001  # never more than what is declared, and one byte
