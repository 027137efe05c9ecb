"""Reading: a workbook file to tables of rows, each row keeping its place.

The format is sniffed from the content, hostile files are refused before any
parser sees them (zip bombs, XML DTDs), encrypted workbooks are opened with a
password, and each sheet goes to the columnar path (qbplan.fastpath) when it
is large, or is read with python-calamine, audited (qbplan.audit) and laid out
(qbplan.layout).
"""

from __future__ import annotations

import functools
import os
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from qbplan.audit import SheetAudit, audit_ods, audit_xls, audit_xlsx_sheet, xlsx_sheet_parts
from qbplan.cells import CellProblem, column_letter
from qbplan.errors import InputError
from qbplan.layout import HEADER_SCAN_ROWS, Header, SheetTable, TotalsRow, match_by_header, match_sheet, read_table
from qbplan.targets import Sheet, Targets

__all__ = [
    "HEADER_SCAN_ROWS",
    "CellProblem",
    "Header",
    "Limits",
    "SheetAudit",
    "SheetTable",
    "TotalsRow",
    "Workbook",
    "column_letter",
    "read_workbook",
    "sniff",
]

# Zip members that inflate past this, or at a ratio past MAX_RATIO, are refused
# before any parsing: a zip bomb must not reach the XML parser.
DEFAULT_MAX_UNZIPPED = 1024 * 1024 * 1024
MAX_RATIO = 200
# How far into an XML part a DOCTYPE may hide before its root element.
_PROLOG_LIMIT = 1024 * 1024
# Everything zipfile, zlib and the XML parser raise on a damaged archive: a
# flipped byte can surface as any of these (NotImplementedError for an unknown
# zip version, RuntimeError for an encrypted member, zlib.error, EOFError ...).
_ZIP_ERRORS = (
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
_EXTENSIONS = {"xlsx": (".xlsx", ".xlsm", ".xlam"), "xls": (".xls", ".xla"), "ods": (".ods",)}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class Workbook:
    """What one input file holds for the form."""

    file: str
    tables: list[SheetTable]
    other_sheets: list[str]
    # (code, sheet, params) for things worth a warning, e.g. hidden sheets
    notes: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource limits for one input file; raise them for known-good giant files."""

    max_unzipped: int = DEFAULT_MAX_UNZIPPED
    max_ratio: int = MAX_RATIO


def sniff(path: str, limits: Limits = Limits()) -> str:
    """Check the file is a workbook by its content; return 'xlsx', 'ods' or 'xls'."""
    try:
        if os.path.isdir(path):
            raise InputError("input-is-directory", file=path)
        with open(path, "rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise InputError("input-missing", file=path) from None
    except PermissionError:
        raise InputError("input-permission", file=path) from None
    except OSError as exc:
        raise InputError("input-unreadable", file=path, detail=exc.strerror or str(exc)) from None
    if os.path.basename(path).startswith("~$"):
        raise InputError("input-lock-file", file=path)
    if not head:
        raise InputError("input-empty", file=path)
    if head.startswith(ZIP_MAGIC):
        return _sniff_zip(path, limits)
    if head == OLE_MAGIC:
        if _ole_is_encrypted(path):
            raise InputError("input-encrypted", file=path)
        return "xls"
    raise InputError("input-not-workbook", file=path)


def _sniff_zip(path: str, limits: Limits) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {info.filename for info in infos}
            total = sum(info.file_size for info in infos)
            if total > limits.max_unzipped:
                raise InputError("input-zip-bomb", file=path, size=total, limit=limits.max_unzipped)
            for info in infos:
                ratio = info.file_size / info.compress_size if info.compress_size else 0
                if info.file_size > 1024 * 1024 and ratio > limits.max_ratio:
                    raise InputError("input-zip-bomb", file=path, size=total, limit=limits.max_unzipped)
            if "xl/workbook.xml" in names:
                kind = "xlsx"
            elif "content.xml" in names and "mimetype" in names:
                kind = "ods"
            else:
                raise InputError("input-not-workbook", file=path)
            # Real workbooks never declare a DTD; one that does is an entity
            # expansion (billion laughs) or external-entity attempt.
            for info in infos:
                if info.filename.endswith((".xml", ".rels")) and _has_doctype(zf, info.filename):
                    raise InputError("input-xml-dtd", file=path, part=info.filename)
    except _ZIP_ERRORS:
        raise InputError("input-corrupt", file=path) from None
    return kind


_ROOT_START = re.compile(rb"<[A-Za-z_]")


def _has_doctype(zf: zipfile.ZipFile, member: str) -> bool:
    """Whether the XML prolog of ``member`` (what comes before its root) holds a DOCTYPE."""
    seen = b""
    with zf.open(member) as fh:
        while len(seen) < _PROLOG_LIMIT:
            chunk = fh.read(64 * 1024)
            if not chunk:
                break
            seen += chunk
            root = _ROOT_START.search(seen)
            if root:
                return b"<!DOCTYPE" in seen[: root.start()] or b"<!ENTITY" in seen[: root.start()]
    return b"<!DOCTYPE" in seen or b"<!ENTITY" in seen


def _ole_is_encrypted(path: str) -> bool:
    # An encrypted .xlsx is an OLE container holding an "EncryptionInfo"
    # stream; its directory entry names are UTF-16LE.
    marker = "EncryptionInfo".encode("utf-16-le")
    with open(path, "rb") as fh:
        return marker in fh.read(8 * 1024 * 1024)


def read_workbook(
    path: str,
    targets: Targets,
    limits: Limits = Limits(),
    password: str | None = None,
) -> Workbook:
    """Read one input file into tables for the form's sheets.

    An encrypted workbook is decrypted with ``password`` (msoffcrypto-tool)
    into a private temporary file, which is removed afterwards.

    Raises :class:`InputError` when the file cannot be read or holds none of
    the form's sheets, or when a sheet lacks a required column.
    """
    try:
        kind = sniff(path, limits)
    except InputError as exc:
        if exc.code != "input-encrypted" or not password:
            raise
        return _read_encrypted(path, targets, limits, password)
    return _read_plain(path, kind, targets)


def _read_encrypted(path: str, targets: Targets, limits: Limits, password: str) -> Workbook:
    import tempfile

    import msoffcrypto  # deferred: only encrypted files need it

    with tempfile.TemporaryDirectory(prefix="qbplan-") as tmp:
        clear = os.path.join(tmp, "decrypted" + os.path.splitext(path)[1])
        try:
            with open(path, "rb") as fh, open(clear, "wb") as out:
                office = msoffcrypto.OfficeFile(fh)
                office.load_key(password=password)
                office.decrypt(out)
        except msoffcrypto.exceptions.InvalidKeyError:
            raise InputError("input-password-wrong", file=path) from None
        except Exception as exc:  # noqa: BLE001 - msoffcrypto raises many types for damaged containers
            raise InputError("input-corrupt", file=path, detail=_short(exc)) from None
        try:
            workbook = _read_plain(clear, sniff(clear, limits), targets)
        except InputError as exc:
            # Name the file the user gave, never the temporary copy.
            exc.file = path
            exc.params["file"] = path
            raise
    workbook.file = path
    for table in workbook.tables:
        table.file = path
    return workbook


def _read_plain(path: str, kind: str, targets: Targets) -> Workbook:
    import python_calamine  # deferred: keeps `qbplan --help` fast

    try:
        if os.path.splitext(path)[1].lower() in _EXTENSIONS[kind]:
            book = python_calamine.CalamineWorkbook.from_path(path)
        else:
            # Calamine picks its parser by extension when given a path; a
            # file object makes it go by content, as our sniff did.
            with open(path, "rb") as fh:
                book = python_calamine.CalamineWorkbook.from_filelike(fh)
        metadata = list(book.sheets_metadata)
    except python_calamine.PasswordError:
        raise InputError("input-encrypted", file=path) from None
    except BaseException as exc:  # noqa: BLE001 - see _unreadable: panics are BaseException
        raise _unreadable(path, exc) from None

    audit_zip: zipfile.ZipFile | None = None
    parts: dict[str, str] = {}
    audits: Callable[[str], SheetAudit]
    try:
        if kind == "xlsx":
            audit_zip = zipfile.ZipFile(path)
            parts = xlsx_sheet_parts(audit_zip)
            zf = audit_zip

            def audits(name: str) -> SheetAudit:
                return audit_xlsx_sheet(zf, parts[name]) if name in parts else SheetAudit()

        elif kind == "ods":
            with zipfile.ZipFile(path) as ods_zip:
                ods = audit_ods(ods_zip)

            def audits(name: str) -> SheetAudit:
                return ods.get(name, SheetAudit())

        else:
            xls = audit_xls(path)

            def audits(name: str) -> SheetAudit:
                return xls.get(name, SheetAudit())

    except _ZIP_ERRORS:
        raise InputError("input-corrupt", file=path) from None
    except Exception as exc:  # noqa: BLE001 - xlrd has its own error types for damaged .xls
        raise _unreadable(path, exc) from None

    @functools.cache
    def fast_reader() -> Any:
        import fastexcel

        return fastexcel.read_excel(path)

    def large(name: str) -> bool:
        from qbplan import fastpath

        return (
            audit_zip is not None
            and name in parts
            and fastpath.is_large(audit_zip, parts[name])
            and fastpath.available()
        )

    try:
        return _read_sheets(path, targets, book, metadata, audits, large, fast_reader)
    finally:
        if audit_zip is not None:
            audit_zip.close()


def _unreadable(path: str, exc: BaseException) -> BaseException:
    """The error to raise when calamine fails on ``path``.

    Calamine raises several unrelated exception types, and a Rust panic arrives
    as pyo3's PanicException, a BaseException: all of them mean "damaged".
    Interrupts and exits pass through unchanged.
    """
    if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)):
        return exc
    return InputError("input-corrupt", file=path, detail=_short(exc))


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _read_sheets(
    path: str,
    targets: Targets,
    book: Any,
    metadata: list[Any],
    audits: Callable[[str], SheetAudit],
    large: Callable[[str], bool],
    fast_reader: Callable[[], Any],
) -> Workbook:
    import python_calamine

    tables: list[SheetTable] = []
    other: list[str] = []
    notes: list[tuple[str, str, dict[str, Any]]] = []
    taken: dict[str, str] = {}
    for meta in metadata:
        name = meta.name
        if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
            other.append(name)
            continue
        spec = match_sheet(targets, name)
        if spec is not None and spec.key in taken:
            # Decided by name alone: no need to load a sheet that is skipped.
            notes.append(("sheet-duplicate", name, {"form_sheet": spec.key, "first": taken[spec.key]}))
            continue
        if spec is not None and large(name):
            hidden = meta.visible != python_calamine.SheetVisibleEnum.Visible
            fast = _read_fast(path, fast_reader, name, spec, audits, hidden)
            if fast is not None:
                taken[spec.key] = name
                _add_table(fast, notes, tables)
                continue
        try:
            sheet = book.get_sheet_by_name(name)
            grid = sheet.to_python(skip_empty_area=True)
            start = sheet.start or (0, 0)
        except BaseException as exc:  # noqa: BLE001 - see _unreadable
            raise _unreadable(path, exc) from None
        header: Header | None = None
        if spec is None:
            # Agencies rename sheets; recognise a form sheet by its header too.
            # Sheets already taken are excluded, so this is never a duplicate.
            matched = match_by_header(targets, grid, exclude=set(taken))
            if matched is None:
                other.append(name)
                continue
            spec, header = matched
        taken[spec.key] = name
        hidden = meta.visible != python_calamine.SheetVisibleEnum.Visible
        try:
            audit = audits(name)
        except _ZIP_ERRORS:
            raise InputError("input-corrupt", file=path) from None
        _add_table(read_table(path, name, spec, grid, start, audit, hidden, header), notes, tables)
    if not tables:
        raise InputError(
            "input-no-form-sheet",
            file=path,
            expected=", ".join(f"{s.key} ({s.label})" for s in targets.form.sheets),
            found=", ".join(m.name for m in metadata) or "-",
        )
    return Workbook(file=path, tables=tables, other_sheets=other, notes=notes)


def _add_table(table: SheetTable, notes: list[tuple[str, str, dict[str, Any]]], tables: list[SheetTable]) -> None:
    if table.hidden:
        notes.append(("sheet-hidden", table.sheet, {}))
    if table.hidden_rows:
        rows = table.hidden_rows
        notes.append(("rows-hidden", table.sheet, {"count": len(rows), "rows": _row_list(rows)}))
    tables.append(table)


def _read_fast(
    path: str,
    reader: Callable[[], Any],
    name: str,
    spec: Sheet,
    audits: Callable[[str], SheetAudit],
    hidden: bool,
) -> SheetTable | None:
    from concurrent.futures import ThreadPoolExecutor

    from qbplan import fastpath

    # The audit (unzip and search the sheet XML in Python) runs beside
    # fastexcel's read, which releases the GIL: on a 1M-row sheet it hides ~1.5 s.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(audits, name)

        def audit() -> SheetAudit:
            try:
                return pending.result()
            except _ZIP_ERRORS:
                raise InputError("input-corrupt", file=path) from None

        return fastpath.read_sheet(path, reader, name, spec, audit, hidden, None)


def _row_list(rows: list[int], limit: int = 10) -> str:
    shown = ", ".join(str(r) for r in rows[:limit])
    return shown + (", …" if len(rows) > limit else "")
