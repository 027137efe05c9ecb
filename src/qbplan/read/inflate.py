"""A zip member unpacked by hand, with places a later pass can resume from.

A large sheet's XML is unpacked once by the cell audit (qbplan.read.probe),
beside fastexcel's read. The doubtful rows the screen finds afterwards sit
somewhere in that XML; unpacking it all again to reach them costs 1.4 s at a
million rows. Here each chunk comes with a :class:`Checkpoint` (the inflater's
state before it, as ``zlib`` can copy it), so that a reader can resume just
before a row instead of at the start (qbplan.read.xlsx_rows).

Members that are not plainly stored or deflated (encrypted, another method,
a zip given as a file object) are read through ``zipfile`` as before, with no
checkpoints. The CRC is checked whenever a member is read to its end from
its start, as ``zipfile`` does.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

_RAW_CHUNK = 1 << 19  # compressed bytes a step: ~4 MiB of sheet XML
_MAX_OUT = 1 << 23  # unpacked bytes a step at most, however well the data compresses
_LOCAL_HEADER = struct.Struct("<4s22xHH")
_LOCAL_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Checkpoint:
    """Where a chunk starts: bytes unpacked before it, compressed bytes read before it, the inflater then."""

    out: int
    raw: int
    state: Any  # the inflater (a zlib decompressor) to copy


class Member:
    """One zip member's bytes in chunks, each with the checkpoint before it."""

    def __init__(self, zf: zipfile.ZipFile, member: str) -> None:
        self.zf, self.name = zf, member
        self.info = zf.getinfo(member)
        self.path = zf.filename
        self.start = self._data_start() if self._by_hand() else None

    def _by_hand(self) -> bool:
        methods = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
        return bool(self.path) and not self.info.flag_bits & 1 and self.info.compress_type in methods

    def _data_start(self) -> int:
        assert self.path is not None
        with open(self.path, "rb") as fh:
            fh.seek(self.info.header_offset)
            magic, name_len, extra_len = _LOCAL_HEADER.unpack(fh.read(_LOCAL_HEADER.size))
        if magic != _LOCAL_MAGIC:
            raise zipfile.BadZipFile(f"bad local header for {self.name}")
        return int(self.info.header_offset) + _LOCAL_HEADER.size + int(name_len) + int(extra_len)

    def chunks(self, at: Checkpoint | None = None) -> Iterator[tuple[Checkpoint | None, bytes]]:
        """The member's bytes from ``at`` (its start by default), each chunk with the checkpoint before it.

        Checkpoints are None when the member cannot be read by hand.
        """
        if self.start is None:
            with self.zf.open(self.name) as fh:
                while chunk := fh.read(1 << 22):
                    yield None, chunk
            return
        yield from self._inflate(at)

    def _inflate(self, at: Checkpoint | None) -> Iterator[tuple[Checkpoint | None, bytes]]:
        """Inflate from ``at``, never past the size the zip declares (a bomb that lies is cut short there)."""
        assert self.start is not None and self.path is not None
        inflater = at.state.copy() if at is not None else self._inflater()
        raw, out = (at.raw, at.out) if at is not None else (0, 0)
        crc, pending = 0, b""  # compressed bytes read but not yet inflated
        with open(self.path, "rb") as fh:
            fh.seek(self.start + raw)
            while pending or raw < self.info.compress_size:
                if not pending:
                    pending = self._read_raw(fh, raw)
                    raw += len(pending)
                mark = Checkpoint(out, raw - len(pending), inflater.copy())
                chunk = self._step(inflater, pending, out)
                pending = inflater.unconsumed_tail
                out += len(chunk)
                crc = zlib.crc32(chunk, crc)
                yield mark, chunk
        if at is None:
            self._check_whole(crc, out)

    def _check_whole(self, crc: int, size: int) -> None:
        """A read from the start ends at the declared size with the declared CRC (which covers the whole member)."""
        if crc != self.info.CRC or size != self.info.file_size:
            raise zipfile.BadZipFile(f"bad CRC-32 for {self.name}")

    def _read_raw(self, fh: IO[bytes], raw: int) -> bytes:
        """The next compressed chunk after ``raw`` bytes of the member; refused when the file ends first."""
        data = fh.read(min(_RAW_CHUNK, self.info.compress_size - raw))
        if not data:
            raise zipfile.BadZipFile(f"{self.name} is cut short")
        return data

    def _step(self, inflater: Any, pending: bytes, out: int) -> bytes:
        """Inflate at most what is left of the declared size, and one byte more to catch a lie; a step at a time."""
        budget = self.info.file_size - out
        chunk: bytes = inflater.decompress(pending, min(budget + 1, _MAX_OUT))
        if len(chunk) > budget:
            raise zipfile.BadZipFile(f"{self.name} unpacks to more than it declares")
        return chunk

    def _inflater(self) -> Any:
        return zlib.decompressobj(-15) if self.info.compress_type == zipfile.ZIP_DEFLATED else _Stored()


class _Stored:
    """A stored member's "inflater": its bytes as they are, with nothing to remember."""

    unconsumed_tail = b""

    def decompress(self, data: bytes, max_length: int) -> bytes:
        return data  # at most a raw chunk; the caller checks the declared size

    def copy(self) -> _Stored:
        return self
