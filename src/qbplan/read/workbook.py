"""Reading: a workbook file to tables of rows, each row keeping its place.

The format is sniffed from the content, hostile files are refused before any
parser sees them (zip bombs, XML DTDs), encrypted workbooks are opened with a
password, and each sheet is audited for what the fast readers turn into
blanks (qbplan.read.probe). A large .xlsx form sheet is read as strings
(qbplan.read.large) and screened in bulk by the screen the caller passes in
(the runner passes qbplan.validate.screen); every other sheet, and every
sheet when no screen is given, is read with python-calamine and laid out
(qbplan.layout).
"""

from __future__ import annotations

import dataclasses
import functools
import os
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from qbplan.config.targets import Sheet, Targets
from qbplan.errors import InputError
from qbplan.layout.header import is_blank, match_by_header, match_sheet
from qbplan.layout.rows import read_table
from qbplan.layout.table import SheetTable
from qbplan.model.audit import SheetAudit
from qbplan.model.findings import Finding, Place, finding
from qbplan.read.large import StringGrid, is_large, read_strings
from qbplan.read.probe import audit_ods, audit_xls, audit_xlsx_sheet, xlsx_sheet_parts
from qbplan.read.sniff import EXTENSIONS, ZIP_ERRORS, Limits, sniff
from qbplan.read.xlsx_rows import CellTexts, TypedLines, XlsxSheet, typed_rows, xlsx_sheet


class LargeSheetReader(Protocol):
    """A bulk screen: a large sheet read as strings to a table, or None to have it read row by row."""

    def __call__(
        self,
        path: str,
        grid: StringGrid,
        name: str,
        spec: Sheet,
        get_audit: Callable[[], SheetAudit],
        hidden: bool,
        typed_lines: TypedLines,
    ) -> SheetTable | None: ...


# Gives the bulk screen. Called in a thread beside the read of a large sheet:
# importing the screen (pandas, pyarrow) costs ~0.45 s that the read hides.
ScreenLoader = Callable[[], LargeSheetReader]


@dataclass
class Workbook:
    """What one input file holds for the form."""

    file: str
    tables: list[SheetTable]
    # Sheets that hold something but are none of the form's (a guide, notes, a chart).
    other_sheets: list[str]
    # Things worth a warning, e.g. hidden sheets
    notes: list[Finding] = field(default_factory=list)


def read_workbook(
    path: str,
    targets: Targets,
    limits: Limits | None = None,
    password: str | None = None,
    screen: ScreenLoader | None = None,
) -> Workbook:
    """Read one input file into tables for the form's sheets.

    An encrypted workbook (.xlsx, or .xls with RC4, CryptoAPI or XOR) is
    decrypted with ``password``, else Excel's default password, by
    msoffcrypto-tool into a private temporary file, removed afterwards.

    ``screen`` gives the bulk screen for large .xlsx sheets; without it every
    sheet is read row by row, to the same result.

    Raises :class:`InputError` when the file cannot be read or holds none of
    the form's sheets, or when a sheet lacks a required column.
    """
    try:
        kind = sniff(path, limits or Limits())
    except InputError as exc:
        if exc.code != "input-encrypted":
            raise
        return _read_encrypted(path, targets, limits or Limits(), password, screen)
    return _read_plain(path, kind, targets, screen)


# Excel's own default: a workbook "protected" with it opens in Excel and
# LibreOffice without asking, so qbplan opens it without asking too.
DEFAULT_PASSWORD = "VelvetSweatshop"


def _decrypt(path: str, clear: str, password: str | None) -> None:
    """Decrypt ``path`` into ``clear`` with ``password``, else silently with Excel's default one."""
    import msoffcrypto  # deferred: only encrypted files need it

    def attempt(key: str) -> bool:
        with open(path, "rb") as fh, open(clear, "wb") as out:
            office = msoffcrypto.OfficeFile(fh)
            try:
                # .xls checks the key when it is loaded, .xlsx when it decrypts.
                office.load_key(password=key)
                office.decrypt(out)
            except msoffcrypto.exceptions.InvalidKeyError:
                return False
        return True

    if password:
        try:
            if attempt(password):
                return
        except Exception as exc:  # noqa: BLE001 - msoffcrypto raises many types for damaged containers
            raise InputError("input-corrupt", file=path, detail=_short(exc)) from None
    try:
        if attempt(DEFAULT_PASSWORD):
            return
    except Exception:  # noqa: BLE001 - the silent try failed: say the file needs its password
        pass
    raise InputError("input-password-wrong" if password else "input-encrypted", file=path)


def _read_encrypted(
    path: str, targets: Targets, limits: Limits, password: str | None, screen: ScreenLoader | None
) -> Workbook:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="qbplan-") as tmp:
        clear = os.path.join(tmp, "decrypted" + os.path.splitext(path)[1])
        _decrypt(path, clear, password)
        try:
            workbook = _read_plain(clear, sniff(clear, limits), targets, screen)
        except InputError as exc:
            # Name the file the user gave, never the temporary copy.
            exc.file = path
            exc.params["file"] = path
            raise
    return dataclasses.replace(
        workbook,
        file=path,
        tables=[dataclasses.replace(table, file=path) for table in workbook.tables],
        notes=[dataclasses.replace(note, file=path) for note in workbook.notes],
    )


def _read_plain(path: str, kind: str, targets: Targets, screen: ScreenLoader | None) -> Workbook:
    book, metadata = _open_book(path, kind)
    probe = _probe(path, kind)
    try:
        fast_reader = functools.cache(functools.partial(_fast_read, path))
        reader = _SheetReader(path, targets, book, probe, fast_reader, screen)
        workbook = _read_sheets(reader, metadata)
        workbook.notes[:0] = probe.notes
        return workbook
    finally:
        probe.close()


def _open_book(path: str, kind: str) -> tuple[Any, list[Any]]:
    """calamine's workbook and its sheets' metadata; refused when encrypted or unreadable."""
    import python_calamine  # deferred: keeps `qbplan --help` fast

    try:
        if os.path.splitext(path)[1].lower() in EXTENSIONS[kind] and _utf8(path):
            book = python_calamine.CalamineWorkbook.from_path(path)
        else:
            # Calamine picks its parser by extension when given a path; a
            # file object makes it go by content, as our sniff did.
            with open(path, "rb") as fh:
                book = python_calamine.CalamineWorkbook.from_filelike(fh)
        return book, list(book.sheets_metadata)
    except python_calamine.PasswordError:
        raise InputError("input-encrypted", file=path) from None
    except BaseException as exc:  # noqa: BLE001 - see _unreadable: panics are BaseException
        raise _unreadable(path, exc) from None


def _fast_read(path: str) -> Any:
    import fastexcel

    # A name that is not UTF-8 (a zip from Windows) cannot cross into Rust: give the bytes.
    return fastexcel.read_excel(path if _utf8(path) else Path(path).read_bytes())


@dataclass
class _Probe:
    """The cell audit of a workbook's sheets: an .xlsx read sheet by sheet, the others all at once."""

    zip: zipfile.ZipFile | None = None  # an .xlsx, open while its sheets are read
    parts: dict[str, str] = field(default_factory=dict)  # .xlsx sheet name -> zip member
    by_name: dict[str, SheetAudit] = field(default_factory=dict)  # .ods, .xls
    notes: list[Finding] = field(default_factory=list)

    def audit(self, name: str) -> SheetAudit:
        """What the audit found in sheet ``name`` (nothing for a sheet it cannot see)."""
        if self.zip is not None and name in self.parts:
            return audit_xlsx_sheet(self.zip, self.parts[name])
        return self.by_name.get(name, SheetAudit())

    def large(self, name: str) -> XlsxSheet | None:
        """A large .xlsx sheet's parts, for the bulk screen; None for any other sheet."""
        if self.zip is None or name not in self.parts or not is_large(self.zip, self.parts[name]):
            return None
        return xlsx_sheet(self.zip, self.parts[name])

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()


def _probe(path: str, kind: str) -> _Probe:
    """Audit the cells calamine does not report (errors, unsaved formulas, hidden rows) as ``kind`` allows."""
    try:
        if kind == "xlsx":
            return _xlsx_probe(path)
        if kind == "ods":
            with zipfile.ZipFile(path) as ods_zip:
                return _Probe(by_name=audit_ods(ods_zip))
        if kind == "xlsb":
            # Binary cells: no XML to probe for error cells and unsaved formulas.
            return _Probe(notes=[finding("probe-skipped", Place(path), {"detail": ".xlsb"})])
        xls, notes = _probe_xls(path)
        return _Probe(by_name=xls, notes=notes)
    except ZIP_ERRORS:
        raise InputError("input-corrupt", file=path) from None


def _xlsx_probe(path: str) -> _Probe:
    zf = zipfile.ZipFile(path)
    try:
        return _Probe(zip=zf, parts=xlsx_sheet_parts(zf))
    except BaseException:
        zf.close()
        raise


def _probe_xls(path: str) -> tuple[dict[str, SheetAudit], list[Finding]]:
    """The .xls error-cell probe, or, when xlrd cannot read what calamine did, a warning that it did not run."""
    try:
        return audit_xls(path), []
    except Exception as exc:  # noqa: BLE001 - xlrd asserts on details calamine and Excel accept (a wrong SST count)
        return {}, [finding("probe-skipped", Place(path), {"detail": _short(exc) or type(exc).__name__})]


def _utf8(path: str) -> bool:
    """Whether ``path`` is valid Unicode (os.fsdecode keeps bytes that are not UTF-8 as surrogates)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


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


def _read_sheets(reader: _SheetReader, metadata: list[Any]) -> Workbook:
    path, targets = reader.path, reader.targets
    for meta in metadata:
        reader.read(meta)
    if not reader.tables and reader.refused:
        raise reader.refused[0]  # no sheet to check: the file is refused, as the sheet was
    if not reader.tables:
        raise InputError(
            "input-no-form-sheet",
            file=path,
            expected=", ".join(f"{s.key} ({s.label})" for s in targets.form.sheets),
            found=", ".join(m.name for m in metadata) or "-",
        )
    return Workbook(file=path, tables=reader.tables, other_sheets=reader.other, notes=reader.notes)


# What refuses one sheet of a workbook rather than the whole file.
_SHEET_REFUSALS = frozenset({"input-no-header", "input-missing-columns"})


class _SheetReader:
    """Reads a workbook's sheets one by one into tables of the form's sheets."""

    def __init__(
        self,
        path: str,
        targets: Targets,
        book: Any,
        probe: _Probe,
        fast_reader: Callable[[], Any],
        screen: ScreenLoader | None,
    ) -> None:
        self.path, self.targets, self.book = path, targets, book
        self.probe, self.fast_reader, self.screen = probe, fast_reader, screen
        self.tables: list[SheetTable] = []
        self.other: list[str] = []
        self.notes: list[Finding] = []
        self.taken: dict[str, str] = {}  # form sheet key -> the workbook sheet read for it
        # Form sheets refused alone (no header, a required column missing): the others are still read.
        self.refused: list[InputError] = []

    def read(self, meta: Any) -> None:
        import python_calamine

        name = meta.name
        if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
            self.other.append(name)
            return
        hidden = meta.visible != python_calamine.SheetVisibleEnum.Visible
        spec = match_sheet(self.targets, name)
        if spec is not None and spec.key in self.taken:
            # Decided by name alone: no need to load a sheet that is skipped.
            params = {"form_sheet": spec.key, "first": self.taken[spec.key]}
            self.notes.append(finding("sheet-duplicate", Place(self.path, name), params))
        else:
            try:
                self._sheet(name, spec, hidden)
            except InputError as exc:
                if exc.code not in _SHEET_REFUSALS:
                    raise
                # One bad sheet costs that sheet, not the workbook: its finding is an error of the file.
                self.refused.append(exc)
                self.notes.append(finding(exc.code, Place(self.path, exc.params.get("sheet")), exc.params))

    def _sheet(self, name: str, spec: Sheet | None, hidden: bool) -> None:
        # A large form sheet goes through the bulk reader; small or unrecognised ones row by row.
        xml = self.probe.large(name) if spec is not None and self.screen is not None else None
        if spec is not None and xml is not None and self.screen is not None:
            self._fast(name, spec, hidden, xml, self.screen)
        else:
            self._rows(name, spec, hidden)

    def _fast(self, name: str, spec: Sheet, hidden: bool, xml: XlsxSheet, screen: ScreenLoader) -> None:
        typed = _typed_lines(self.book, self.path, name, xml)
        table = _read_fast(self.path, (self.fast_reader, screen), name, spec, xml, hidden, typed)
        if table is None:
            self._rows(name, spec, hidden)
        else:
            self._add(spec, table)

    def _rows(self, name: str, spec: Sheet | None, hidden: bool) -> None:
        try:
            sheet = self.book.get_sheet_by_name(name)
            grid = sheet.to_python(skip_empty_area=True)
            start = sheet.start or (0, 0)
        except BaseException as exc:  # noqa: BLE001 - see _unreadable
            raise _unreadable(self.path, exc) from None
        # Agencies rename sheets; recognise a form sheet by its header too.
        # Sheets already taken are excluded, so this is never a duplicate.
        matched = (spec, None) if spec is not None else match_by_header(self.targets, grid, exclude=set(self.taken))
        if matched is None:
            self._other(name, grid)
            return
        spec, header = matched
        try:
            audit = self.probe.audit(name)
        except ZIP_ERRORS:
            raise InputError("input-corrupt", file=self.path) from None
        self._add(spec, read_table(self.path, name, spec, grid, start, audit, hidden, header))

    def _other(self, name: str, grid: list[list[Any]]) -> None:
        """A sheet that is no form sheet; a blank one (Excel's "Sheet2") holds nothing, so it is not named."""
        if any(not is_blank(v) for line in grid for v in line):
            self.other.append(name)

    def _add(self, spec: Sheet, table: SheetTable) -> None:
        """Take ``table`` for form sheet ``spec``, saying when the sheet or some of its rows are hidden."""
        self.taken[spec.key] = table.sheet
        if table.hidden:
            self.notes.append(finding("sheet-hidden", Place(table.file, table.sheet)))
        if table.hidden_rows:
            params = {"count": len(table.hidden_rows), "rows": _row_list(table.hidden_rows)}
            self.notes.append(finding("rows-hidden", Place(table.file, table.sheet), params))
        self.tables.append(table)


def _typed_lines(book: Any, path: str, name: str, xml: XlsxSheet) -> TypedLines:
    """Rows of sheet ``name`` with their types, by 0-based grid index, over the sheet's columns.

    Read from the sheet's XML for those rows alone when that reader is sure to
    give what calamine gives; else by calamine, which parses the whole sheet
    (loaded once, when first asked).
    """

    @functools.cache
    def sheet() -> Any:
        try:
            return book.get_sheet_by_name(name)
        except BaseException as exc:  # noqa: BLE001 - see _unreadable
            raise _unreadable(path, exc) from None

    def lines(rows: Sequence[int], columns: range, texts: CellTexts | None = None) -> dict[int, list[Any]]:
        found = typed_rows(xml, rows, columns, texts)
        if found is not None:
            return found
        wanted = set(rows)
        loaded = sheet()
        col0 = (loaded.start or (0, 0))[1]
        out: dict[int, list[Any]] = {}
        # iter_rows() starts at the sheet's first row, not at the range's
        # start (blank rows above come as blank lines), but at its first column.
        for k, row in enumerate(loaded.iter_rows()):
            if k in wanted:
                out[k] = [None] * col0 + list(row)
                if len(out) == len(wanted):
                    break
        return out

    return lines


def _read_fast(
    path: str,
    readers: tuple[Callable[[], Any], ScreenLoader],
    name: str,
    spec: Sheet,
    xml: XlsxSheet,
    hidden: bool,
    typed_lines: TypedLines,
) -> SheetTable | None:
    from concurrent.futures import ThreadPoolExecutor

    # Beside fastexcel's read, which releases the GIL, two threads: the audit
    # (unzip and search the sheet XML, keeping checkpoints for the doubtful
    # rows; ~1.5 s hidden at 1M rows) and the screen's import of pandas and pyarrow (~0.45 s).
    reader, screen = readers
    with ThreadPoolExecutor(max_workers=2) as pool:
        pending = pool.submit(audit_xlsx_sheet, xml.zf, xml.sheet, xml.index.note)
        loaded = pool.submit(screen)
        grid = read_strings(reader, name)
        if grid is None:
            return None

        def audit() -> SheetAudit:
            try:
                return pending.result()
            except ZIP_ERRORS:
                raise InputError("input-corrupt", file=path) from None

        return loaded.result()(path, grid, name, spec, audit, hidden, typed_lines)


def _row_list(rows: list[int], limit: int = 10) -> str:
    shown = ", ".join(str(r) for r in rows[:limit])
    return shown + (", …" if len(rows) > limit else "")
