"""Reading a register: the form's identifying columns, one sheet per form sheet with a unique key.

A register is read like a submission (the same sniffing, refusals, header
search and layout rules) against a reduced form: each form sheet that has a
unique key column keeps only its text and enum columns, the key, the name and
the columns scopes and groups use (``cap``, ``loai``, ``huyen``). Any problem in
a register is a :class:`RegisterError` (exit 2) naming its file, sheet and
cell: a register is the yardstick, so it must be right before anything is
measured with it.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qbplan.config.targets import Column, Form, Sheet, Targets
from qbplan.errors import InputError, QbplanError
from qbplan.layout.table import SheetTable
from qbplan.model.findings import Finding
from qbplan.model.valid import ValidRows

if TYPE_CHECKING:  # pragma: no cover - validate is imported when a register is read
    from qbplan.validate.sheet import ValidatedSheet

# A register lists units, not data: a CSV past this is a mistake or an attack.
MAX_CSV_BYTES = 64 * 1024 * 1024
CSV_EXTENSIONS = (".csv", ".txt")


class RegisterError(QbplanError):
    """The register cannot be used: unreadable, or a cell, a sheet or a key is wrong.

    ``finding`` (code and parameters) is what was wrong, said as a finding of
    the register's file would be; the message names the file, sheet and cell.
    """

    def message(self, lang: str = "vi") -> str:
        """``danh mục đơn vị báo cáo file › sheet › cell: what is wrong``, in one line."""
        from qbplan.i18n import ui
        from qbplan.model.wording import place_text, sentence

        inner = self.params.get("finding")
        if self.code != "register-invalid" or not isinstance(inner, dict):
            return super().message(lang)
        # Not a finding of the report: a refusal, worded with the sentence its code has.
        code, file = str(inner["code"]), self.params.get("file")
        said = sentence(
            code, dict(inner["params"]), lang, value=inner.get("value"), file=file, sheet=self.params.get("sheet")
        )
        if code.startswith("input-"):
            return f"{ui('register.prefix', lang)}: {said}"  # the sentence names the file
        where = place_text(file, self.params.get("sheet"), self.params.get("cell"), self.params.get("row"))
        return f"{ui('register.prefix', lang)} {where}: {said}"


def invalid(
    file: str,
    sheet: str | None,
    row: int | None,
    cell: str | None,
    code: str,
    params: dict[str, Any],
    value: Any = None,
) -> RegisterError:
    """A register refused for one finding at one place (picklable: it may cross from a worker)."""
    inner = {"code": code, "params": params, "value": value}
    return RegisterError("register-invalid", file=file, sheet=sheet, row=row, cell=cell, finding=inner)


@dataclass(frozen=True, slots=True)
class Unit:
    """One unit that must report: its identifying values (parsed, by column key) and its place."""

    values: dict[str, Any]
    row: int


@dataclass(frozen=True)
class RegisterSheet:
    """The units of one form sheet."""

    form_sheet: str
    file: str
    sheet: str  # as named in the register's workbook (a CSV: its file name)
    key: str  # the unique key column
    name: str | None  # the column that names a unit
    group: str | None  # the column missing units are grouped by (the district)
    columns: tuple[str, ...]  # every identifying column, in form order
    units: tuple[Unit, ...]
    # Columns of the register alone (the scoring's per-unit targets, the
    # reporting unit): in each unit's values, never matched.
    extra: tuple[str, ...] = ()

    def owner(self, unit: Unit) -> str | None:
        """The code of the unit that reports ``unit``'s row, when the register names one."""
        value = unit.values.get(OWNER.key)
        return str(value) if value not in (None, "") else None


@dataclass(frozen=True)
class Register:
    """A whole register: form sheet key -> its units. Sheets without a register are not checked."""

    files: tuple[str, ...]
    sheets: dict[str, RegisterSheet] = field(default_factory=dict)


def key_column(spec: Sheet) -> Column | None:
    """The column that identifies a row of ``spec`` (the first unique one), or None."""
    return next((c for c in spec.columns if c.unique), None)


def identifying(spec: Sheet) -> list[Column]:
    """The columns a register gives for ``spec``: its text and enum columns (key, name, level, type, district)."""
    return [c for c in spec.columns if c.type in ("text", "enum")]


def name_column(spec: Sheet) -> Column | None:
    """The column that names a unit: the first text column after the key."""
    key = key_column(spec)
    cols = identifying(spec)
    after = cols[cols.index(key) + 1 :] if key in cols else cols
    return next((c for c in after if c.type == "text" and not c.unique), None)


def group_column(spec: Sheet, by: str | None = None) -> Column | None:
    """The column missing units are listed by: ``--by`` when the register has it, else the next text column."""
    cols = identifying(spec)
    if by is not None:
        chosen = spec.column(by)
        if chosen is not None and chosen in cols:
            return chosen
    key, name = key_column(spec), name_column(spec)
    return next((c for c in cols if c not in (key, name) and c.type == "text"), None)


def register_form(targets: Targets) -> Targets:
    """The targets with a reduced form: each sheet with a unique key, its identifying columns only.

    Consistency rules stay when all their columns do (``loai: ubnd_xa`` needs
    ``cap: xa`` in the register too); ``le`` rules and number columns go. Only
    the key column is required: a register may leave out, or leave blank, any
    other identifying column.
    """
    sheets = []
    for spec in targets.form.sheets:
        if key_column(spec) is None:
            continue
        key = key_column(spec)
        # Only the key is needed: planners keep registers of code and name, or
        # code alone. Every other column is cross-checked where it is given.
        cols = [c.model_copy(update={"le": [], "required": c is key}) for c in identifying(spec)]
        cols += _unit_target_columns(targets, spec)
        cols += [OWNER, EMAIL]
        keys = {c.key for c in cols}
        rules = [r for r in spec.rules if set(r.when) | set(r.require) <= keys]
        sheets.append(Sheet(key=spec.key, label=spec.label, aliases=spec.aliases, columns=cols, rules=rules))
    form = Form(version=targets.form.version, sheets=sheets)
    return Targets(version=1, plan=targets.plan, form=form, indicators=targets.indicators, path=targets.path)


def _unit_target_columns(targets: Targets, spec: Sheet) -> list[Column]:
    """The scoring's per-unit targets, read as text beside the units of its sheet (optional, like every column)."""
    scoring = targets.scoring
    if scoring is None or scoring.sheet != spec.key:
        return []
    return [Column(key=t.key, label=t.label, aliases=t.aliases, type="text", required=False)
            for t in scoring.unit_targets]  # fmt: skip


# The register's own column naming the unit that reports each row (its code in
# the units' sheet): the intake takes a row from that unit's link only.
OWNER = Column(
    key="don_vi_bao_cao",
    label="Đơn vị báo cáo",
    aliases=["Mã đơn vị báo cáo", "Reporting unit"],
    type="text",
    required=False,
)

# The register's own column of each unit's e-mail: where ``qbplan remind`` writes to it (optional).
EMAIL = Column(
    key="thu_dien_tu",
    label="Thư điện tử",
    aliases=["Email", "E-mail", "Địa chỉ thư điện tử"],
    type="text",
    required=False,
)

Reader = Callable[[str], list[RegisterSheet]]


def load_register(
    paths: Sequence[str], targets: Targets, run: Callable[[Reader, str], list[RegisterSheet]] | None = None
) -> Register:
    """Read the register files in ``paths`` (workbooks, or one CSV per sheet) into one register.

    ``run(read, path)`` calls ``read(path)``; the pipeline passes one that
    reads in a worker bounded in time and memory, as every input is.
    """
    reduced = register_form(targets)

    def read(path: str) -> list[RegisterSheet]:
        return read_register_file(path, reduced, targets)

    sheets: dict[str, RegisterSheet] = {}
    for path in expand(paths):
        for sheet in run(read, path) if run else read(path):
            if sheet.form_sheet in sheets:
                first = sheets[sheet.form_sheet]
                params = {"form_sheet": sheet.form_sheet, "first": f"{first.file} › {first.sheet}"}
                raise invalid(path, sheet.sheet, None, None, "register-sheet-twice", params)
            sheets[sheet.form_sheet] = sheet
    return Register(files=tuple(paths), sheets=sheets)


def expand(paths: Sequence[str]) -> list[str]:
    """The register files ``paths`` name: a folder (searched as an inbox is) gives its .csv files and workbooks."""
    from qbplan.files.inputs import WORKBOOK_EXTENSIONS, collect

    found = collect(paths, extensions=CSV_EXTENSIONS + WORKBOOK_EXTENSIONS)
    # Skipped entries (a lock file, a hidden file) are not register files; a folder with none is refused.
    refused = next((p for p in found.problems if p.code != "input-skipped"), None)
    if refused is not None:
        code = "register-empty-folder" if refused.code == "input-empty-folder" else refused.code
        params = {"detail": refused.reason} if refused.code == "input-unreadable" else {}
        raise invalid(refused.path, None, None, None, code, params)
    return found.files


def read_register_file(path: str, reduced: Targets, targets: Targets) -> list[RegisterSheet]:
    """The register sheets of one file; raises :class:`RegisterError` for anything wrong in it."""
    from qbplan.validate.sheet import validate_table

    try:
        tables = [_csv_table(path, reduced)] if path.lower().endswith(CSV_EXTENSIONS) else _tables(path, reduced)
    except InputError as exc:
        raise _from_input(path, exc) from None
    out = []
    for table in tables:
        validated = validate_table(table)
        refused = validated.errors + [w for w in validated.warnings if w.code in _REGISTER_WORDING]
        if refused:
            first = refused[0]
            # A repeat or a broken rule in the register is not a row "left out": it is said as the register's.
            raise _refused(path, first, _REGISTER_WORDING.get(first.code, first.code))
        spec = targets.sheet(table.spec.key)
        assert spec is not None  # the reduced form's sheets are the form's
        out.append(_register_sheet(path, table.sheet, spec, table.spec, validated))
    return out


def _refused(path: str, found: Finding, code: str | None = None) -> RegisterError:
    """The register refused for a finding the reader or validator made in it."""
    return invalid(path, found.sheet, found.row, found.cell, code or found.code, dict(found.params), found.value)


def _tables(path: str, reduced: Targets) -> list[SheetTable]:
    """The register's sheets of a workbook; every other sheet that holds something is refused."""
    from qbplan.read.sniff import Limits
    from qbplan.read.workbook import read_workbook

    workbook = read_workbook(path, reduced, Limits())
    # A submission's sheet without its header costs that sheet; a register's is refused.
    refused = [n for n in workbook.notes if n.severity == "error" or n.code == "sheet-duplicate"]
    if refused:
        raise _refused(path, refused[0])
    other = workbook.other_sheets
    if other:
        known = ", ".join(f"{s.key} ({s.label})" for s in reduced.form.sheets)
        raise invalid(path, other[0], None, None, "register-unknown-sheet", {"sheet": other[0], "expected": known})
    return workbook.tables


# Findings whose sentence is about a submission ("this row is not counted"), said of a register.
_REGISTER_WORDING = {
    "duplicate-key": "register-duplicate-key",
    "inconsistent": "register-inconsistent",
    # Every keyed row of a register is a unit: one under the sign-off cannot be left out as a submission's is.
    "layout-signoff-keyed": "register-row-in-signoff",
    "layout-section-keyed": "register-row-as-heading",
    "layout-total-keyed": "register-row-as-heading",
}


def _column_lists(valid: ValidRows, keys: list[str]) -> tuple[dict[str, list[Any]], list[int]]:
    """The valid rows' columns as lists, blanks as None (the bulk screen gives arrays), and their Excel rows."""
    if isinstance(valid.excel_rows, list):
        return {k: list(valid.columns[k]) for k in keys}, valid.excel_rows
    from qbplan.validate.merge import objects

    return {k: objects(valid.columns[k]).tolist() for k in keys}, [int(r) for r in valid.excel_rows]


def _refuse_control_characters(path: str, name: str, reduced: Sheet, units: tuple[Unit, ...]) -> None:
    """A unit's value with a control character (a CSV can hold one) is refused at its place.

    It cannot be written into a form (XML 1.0 has no such characters) and no
    agency can type it back, so its unit could never be matched.
    """
    from qbplan.textnorm import not_xml

    labels = {c.key: c.label for c in reduced.columns}
    for unit in units:
        for key, value in unit.values.items():
            if isinstance(value, str) and not_xml(value):
                params = {"label": labels.get(key, key), "value": value}
                raise invalid(path, name, unit.row, None, "register-control-character", params, value)


def _register_sheet(path: str, name: str, spec: Sheet, reduced: Sheet, validated: ValidatedSheet) -> RegisterSheet:
    keys = [c.key for c in reduced.columns]
    columns, rows = _column_lists(validated.valid, keys)
    units = tuple(Unit(values={k: columns[k][i] for k in keys}, row=int(rows[i])) for i in range(len(rows)))
    _refuse_control_characters(path, name, reduced, units)
    key, nm, group = key_column(spec), name_column(spec), group_column(spec)
    assert key is not None  # only sheets with a key are in the reduced form
    return RegisterSheet(
        form_sheet=spec.key,
        file=path,
        sheet=name,
        key=key.key,
        name=nm.key if nm else None,
        group=group.key if group else None,
        columns=tuple(k for k in keys if spec.column(k) is not None),
        units=units,
        extra=tuple(k for k in keys if spec.column(k) is None),
    )


def _from_input(path: str, exc: InputError) -> RegisterError:
    """A reading refusal of the register file, said as the register's."""
    params = {k: v for k, v in exc.params.items() if k != "file"}
    if exc.code == "input-no-form-sheet":
        return invalid(path, None, None, None, "register-no-sheet", params)
    return invalid(path, params.get("sheet"), params.get("row"), None, exc.code, params)


def _csv_table(path: str, reduced: Targets) -> Any:
    """The one register sheet of a CSV file, named by the file (``co_quan.csv``) or known by its header."""
    from qbplan.layout.header import match_by_header, match_sheet
    from qbplan.layout.rows import read_table
    from qbplan.model.audit import SheetAudit

    name = Path(path).stem
    grid = _csv_grid(path)
    spec = match_sheet(reduced, name)
    header = None
    if spec is None:
        matched = match_by_header(reduced, grid, exclude=set())
        if matched is None:
            known = ", ".join(f"{s.key} ({s.label})" for s in reduced.form.sheets)
            raise invalid(path, name, None, None, "register-unknown-sheet", {"sheet": name, "expected": known})
        spec, header = matched
    return read_table(path, name, spec, grid, (0, 0), SheetAudit(), False, header)


def _csv_grid(path: str) -> list[list[Any]]:
    """The cells of a CSV file as text (blank cells None): UTF-8, with or without a BOM; , ; or tab."""
    text = _csv_text(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text))
    try:
        return [[cell if cell.strip() else None for cell in line] for line in reader]
    except csv.Error as exc:
        params = {"line": reader.line_num, "detail": str(exc)}
        raise invalid(path, None, None, None, "register-csv-broken", params) from None


def csv_delimiter(text: str) -> str:
    """The delimiter of a register CSV: the one of , ; tab that its header line uses most, outside quotes.

    The header names the columns, so it holds every delimiter of the file.
    Linear in the header's length: csv.Sniffer is quadratic, and a 62 KB file
    took it 19 s. Excel writes ";" where the decimal comma is the custom.
    """
    counts = dict.fromkeys(",;\t", 0)
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif ch in "\r\n":
            if any(counts.values()):
                break
        elif ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_bytes(path: str) -> bytes:
    """Up to one byte more than a register CSV may hold; refused when missing, a folder or unreadable."""
    try:
        if not os.path.isfile(path):
            code = "input-is-directory" if os.path.isdir(path) else "input-missing"
            raise invalid(path, None, None, None, code, {})
        with open(path, "rb") as fh:
            return fh.read(MAX_CSV_BYTES + 1)
    except OSError as exc:
        raise invalid(path, None, None, None, "input-unreadable", {"detail": exc.strerror or str(exc)}) from None


def _csv_text(path: str) -> str:
    """A CSV file's text, read bounded; refused when missing, too large, empty, binary or not UTF-8."""
    raw = _csv_bytes(path)
    if len(raw) > MAX_CSV_BYTES:
        raise invalid(path, None, None, None, "register-too-large", {"limit": MAX_CSV_BYTES})
    if not raw:
        raise invalid(path, None, None, None, "input-empty", {})
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise invalid(path, None, None, None, "register-csv-encoding", {"line": line}) from None
    if "\x00" in text:
        raise invalid(path, None, None, None, "input-not-workbook", {})
    return text
