"""Sniffing: what a file is, by its content, and refusing hostile ones before any parser sees them."""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from xml.etree import ElementTree

from qbplan.defaults import DEFAULT_MAX_UNZIPPED
from qbplan.errors import InputError
from qbplan.model.version import REPORT_MARKER
from qbplan.read.package import Package

# Zip members that inflate past this, or at a ratio past MAX_RATIO, are refused
# before any parsing: a zip bomb must not reach the XML parser.


MAX_RATIO = 200


# How far into an XML part a DOCTYPE may hide before its root element.
_PROLOG_LIMIT = 1024 * 1024


# Everything zipfile, zlib and the XML parser raise on a damaged archive: a
# flipped byte can surface as any of these (NotImplementedError for an unknown
# zip version, RuntimeError for an encrypted member, zlib.error, EOFError ...).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    ElementTree.ParseError,
    EOFError,
    OSError,
    ValueError,
    KeyError,
    NotImplementedError,
    RuntimeError,
    UnicodeDecodeError,
)


# Extensions calamine maps to each format we sniff.
EXTENSIONS = {"xlsx": (".xlsx", ".xlsm", ".xlam"), "xlsb": (".xlsb",), "xls": (".xls", ".xla"), "ods": (".ods",)}


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource limits for one input file; raise them for known-good giant files."""

    max_unzipped: int = DEFAULT_MAX_UNZIPPED
    max_ratio: int = MAX_RATIO


def sniff(path: str, limits: Limits = Limits(), *, own_report: bool = False) -> str:
    """Check the file is a workbook by its content; return 'xlsx', 'xlsb', 'ods' or 'xls'.

    qbplan's own reports are refused as submissions, unless ``own_report``
    (``verify`` reads the annex qbplan wrote).
    """
    head = _head(path)
    if os.path.basename(path).startswith("~$"):
        raise InputError("input-lock-file", file=path)
    if not head:
        raise InputError("input-empty", file=path)
    if head.startswith(ZIP_MAGIC):
        return _sniff_zip(path, limits, own_report)
    if head == OLE_MAGIC:
        if _ole_is_encrypted(path):
            raise InputError("input-encrypted", file=path)
        return "xls"
    raise InputError("input-not-workbook", file=path)


def _head(path: str) -> bytes:
    """The file's first 8 bytes; refused when it is a folder, missing or unreadable."""
    try:
        if os.path.isdir(path):
            raise InputError("input-is-directory", file=path)
        with open(path, "rb") as fh:
            return fh.read(8)
    except FileNotFoundError:
        raise InputError("input-missing", file=path) from None
    except PermissionError:
        raise InputError("input-permission", file=path) from None
    except OSError as exc:
        raise InputError("input-unreadable", file=path, detail=exc.strerror or str(exc)) from None


def _sniff_zip(path: str, limits: Limits, own_report: bool) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            _refuse_bomb(path, infos, limits)
            kind = _zip_kind(path, zf)
            _refuse_dtd(path, zf, infos)
            if kind == "ods":
                _refuse_repeated_rows(path, zf)
            elif kind == "xlsx" and not own_report and _is_own_report(zf):
                raise InputError("input-own-report", file=path)
    except ZIP_ERRORS:
        raise InputError("input-corrupt", file=path) from None
    return kind


def _refuse_bomb(path: str, infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse by the sizes the zip declares, before anything is inflated."""
    total = sum(info.file_size for info in infos)
    if total > limits.max_unzipped:
        raise InputError("input-zip-bomb", file=path, size=total, limit=limits.max_unzipped)
    for info in infos:
        ratio = info.file_size / info.compress_size if info.compress_size else 0
        if info.file_size > 1024 * 1024 and ratio > limits.max_ratio:
            raise InputError("input-zip-bomb", file=path, size=total, limit=limits.max_unzipped)


def _zip_kind(path: str, zf: zipfile.ZipFile) -> str:
    package = Package(zf)
    workbook = package.workbook()
    if workbook is not None:
        return "xlsb" if workbook.lower().endswith(".bin") else "xlsx"
    if package.member("content.xml") and package.member("mimetype"):
        return "ods"
    raise InputError("input-not-workbook", file=path)


def _refuse_dtd(path: str, zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Real workbooks never declare a DTD; one that does is an entity expansion
    (billion laughs) or an external-entity attempt. Every part that is XML by
    its content is checked, whatever its name says (".dat", ".XML")."""
    for info in infos:
        if not info.is_dir() and _declares_dtd(zf, info):
            raise InputError("input-xml-dtd", file=path, part=info.filename)


# A row of values written once and repeated past this many times is not a
# table anyone typed: 1 KB of .ods would become millions of rows (or, at
# 1e9, never finish). Blank rows repeated to the sheet's end are normal.
MAX_REPEATED_ROWS = 10_000
_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def _refuse_repeated_rows(path: str, zf: zipfile.ZipFile) -> None:
    """Refuse an .ods whose content repeats a row that holds values more than :data:`MAX_REPEATED_ROWS` times."""
    repeated = f"{{{_TABLE_NS}}}number-rows-repeated"
    with zf.open("content.xml") as fh:
        for _event, elem in ElementTree.iterparse(fh, events=("end",)):
            if elem.tag != f"{{{_TABLE_NS}}}table-row":
                continue
            count = elem.get(repeated, "1")
            if count.isdigit() and int(count) > MAX_REPEATED_ROWS and _has_values(elem):
                raise InputError("input-repeated-rows", file=path, rows=int(count), limit=MAX_REPEATED_ROWS)
            elem.clear()


def _has_values(row: ElementTree.Element) -> bool:
    value_type = f"{{{_OFFICE_NS}}}value-type"
    return any(cell.get(value_type) or "".join(cell.itertext()).strip() for cell in row)


# Set in docProps/core.xml by qbplan's xlsx report (qbplan.render.xlsx).


def _is_own_report(zf: zipfile.ZipFile) -> bool:
    """Whether the workbook is a report qbplan wrote (its keywords carry the marker)."""
    core = Package(zf).member("docProps/core.xml")
    if core is None:
        return False
    with zf.open(core) as fh:
        return REPORT_MARKER.encode() in fh.read(64 * 1024)


_ROOT_START = re.compile(rb"<[A-Za-z_]")


def _declares_dtd(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether ``info`` is XML by its content and its prolog (what comes before the root) holds a DOCTYPE.

    One pass over the member: its first bytes say whether it is XML at all
    (an image is left after 64 bytes), then the prolog is read up to its root.
    """
    with zf.open(info) as fh:
        seen = fh.read(64)
        if not seen.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            return False
        while len(seen) < _PROLOG_LIMIT:
            root = _ROOT_START.search(seen)
            if root:
                return b"<!DOCTYPE" in seen[: root.start()] or b"<!ENTITY" in seen[: root.start()]
            chunk = fh.read(64 * 1024)
            if not chunk:
                break
            seen += chunk
    return b"<!DOCTYPE" in seen or b"<!ENTITY" in seen


def _ole_is_encrypted(path: str) -> bool:
    # An encrypted .xlsx is an OLE container holding an "EncryptionInfo"
    # stream; its directory entry names are UTF-16LE.
    marker = "EncryptionInfo".encode("utf-16-le")
    with open(path, "rb") as fh:
        if marker in fh.read(8 * 1024 * 1024):
            return True
    return _xls_is_encrypted(path)


def _xls_is_encrypted(path: str) -> bool:
    """An .xls is encrypted when its Workbook stream has a FilePass record (RC4, CryptoAPI or XOR)."""
    import msoffcrypto  # deferred: only OLE files need it

    try:
        with open(path, "rb") as fh:
            return bool(msoffcrypto.OfficeFile(fh).is_encrypted())
    except Exception:  # noqa: BLE001 - a damaged container is reported by the reader, exactly
        return False
