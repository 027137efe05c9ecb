"""Validation: each submitted row against a Pydantic model built from the form.

The row model is the contract: one field per form column, each with a parser
that accepts what people really type (``"1.234"``, ``Có``, ``x``, a label
instead of an enum key) and raises a ``PydanticCustomError`` whose type is
the finding's stable code. Cross-column rules (``le``) and unique keys are
checked after the model, on the parsed values.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, create_model
from pydantic_core import PydanticCustomError

from qbplan.cells import CellProblem, column_letter
from qbplan.i18n import format_int, message, ui
from qbplan.layout import SheetTable, TotalsRow
from qbplan.report import Finding, json_scalar
from qbplan.targets import Column, Sheet
from qbplan.textnorm import NO, YES, clean, fold

_INT_PLAIN = re.compile(r"^\+?\d+$")
# Vietnamese writes thousands with dots (1.234.567); spaces also occur.
_INT_GROUPED = re.compile(r"^\+?\d{1,3}(?:([. ])\d{3})(?:\1\d{3})*$")
_NEGATIVE = re.compile(r"^-\s*\d[\d. ]*$")


def _fail(code: str, **ctx: Any) -> PydanticCustomError:
    return PydanticCustomError(code, code, ctx)


def _check_problem(value: Any) -> None:
    if isinstance(value, CellProblem):
        raise _fail(value.code, detail=value.detail)


def parse_int(value: Any) -> int:
    """A whole number >= 0 from an Excel cell as typed by people."""
    _check_problem(value)
    if isinstance(value, bool):
        raise _fail("not-a-number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise _fail("not-a-number")
        if not value.is_integer():
            raise _fail("not-whole")
        number = int(value)
    elif isinstance(value, str):
        text = clean(value)
        if _INT_PLAIN.match(text):
            number = int(text)
        elif _INT_GROUPED.match(text):
            number = int(re.sub(r"[. +]", "", text))
        elif _NEGATIVE.match(text):
            raise _fail("negative")
        else:
            raise _fail("not-a-number")
    else:
        raise _fail("not-a-number")
    if number < 0:
        raise _fail("negative")
    return number


def parse_yesno(value: Any) -> bool:
    """Có/Không with or without diacritics, x, TRUE/FALSE, 1/0."""
    _check_problem(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        folded = fold(value)
        if folded in YES:
            return True
        if folded in NO:
            return False
    raise _fail("invalid-yesno")


def parse_text(value: Any) -> str:
    """Text, cleaned; whole numbers typed as codes keep no ``.0``."""
    _check_problem(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    return clean(str(value))


def _enum_parser(col: Column) -> Callable[[Any], str]:
    lookup: dict[str, str] = {}
    for key, label in (col.values or {}).items():
        lookup[fold(key)] = key
        lookup[fold(label)] = key
    allowed = ", ".join(col.values or {})

    def parse_enum(value: Any) -> str:
        _check_problem(value)
        found = lookup.get(fold(str(value))) if isinstance(value, str) else None
        if found is None:
            raise _fail("invalid-enum", allowed=allowed)
        return found

    return parse_enum


_PARSERS: dict[str, tuple[type, Callable[[Any], Any]]] = {
    "int": (int, parse_int),
    "yesno": (bool, parse_yesno),
    "text": (str, parse_text),
}


def column_parser(col: Column) -> Callable[[Any], Any]:
    """The parser of one column, blank handling included."""
    base = _enum_parser(col) if col.type == "enum" else _PARSERS[col.type][1]

    def parse(value: Any) -> Any:
        if value is None:
            if col.required:
                raise _fail("required")
            return None
        result = base(value)
        if result == "" and col.type == "text":
            if col.required:
                raise _fail("required")
            return None
        return result

    return parse


# id(spec) -> (spec, model); the spec is kept so its id cannot be reused.
_MODELS: dict[int, tuple[Sheet, type[BaseModel]]] = {}


def row_model(spec: Sheet) -> type[BaseModel]:
    """The Pydantic model of one row of ``spec`` (built once per sheet)."""
    cached = _MODELS.get(id(spec))
    if cached is not None:
        return cached[1]
    fields: dict[str, Any] = {}
    for col in spec.columns:
        py_type = str if col.type == "enum" else _PARSERS[col.type][0]
        # A runtime-built type: mypy cannot check a variable used as a type.
        annotation = Annotated[py_type | None, BeforeValidator(column_parser(col))]  # type: ignore[valid-type]
        fields[col.key] = (annotation, None)
    model: type[BaseModel] = create_model(
        f"Row_{spec.key}",
        __config__=ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True),
        **fields,
    )
    _MODELS[id(spec)] = (spec, model)
    return model


@dataclass
class ValidatedSheet:
    """The outcome of validating one :class:`SheetTable`."""

    table: SheetTable
    # Valid rows: (Excel row number, parsed values by column key)
    records: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    # Rows left out: (Excel row number, whatever values did parse)
    invalid: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    # The valid rows, column by column: a DataFrame from the columnar path, or
    # {key: list of values, "__row": Excel rows} from this one (no pandas here:
    # workers stay light, pandas is imported once in the parent).
    columns: Any = None


def _label(spec: Sheet, key: str) -> str:
    col = spec.column(key)
    return col.label if col else key


def _finding(table: SheetTable, row: int, key: str, code: str, value: Any, lang: str, **params: Any) -> Finding:
    label = _label(table.spec, key)
    index = table.col_index.get(key)
    raw = value.detail if isinstance(value, CellProblem) else value
    return Finding(
        code=code,
        severity="error",
        message=message(code, lang, column=key, label=label, value=display_value(raw, lang), **params),
        file=table.file,
        sheet=table.sheet,
        row=row,
        column=key,
        cell=f"{column_letter(index)}{row}" if index is not None else None,
        value=json_scalar(raw),
    )


def display_value(value: Any, lang: str) -> str:
    """A cell value as people read it: 14 not 14.0; 1250,5 in Vietnamese."""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return str(value).replace(".", ",") if lang == "vi" else str(value)
    scalar = json_scalar(value)
    return "" if scalar is None else str(scalar)


def _parse_each(parsers: dict[str, Callable[[Any], Any]], values: dict[str, Any]) -> dict[str, Any]:
    """Parse columns one by one, keeping those that parse (for invalid rows)."""
    out: dict[str, Any] = {}
    for key, parse in parsers.items():
        try:
            out[key] = parse(values.get(key))
        except PydanticCustomError:
            continue
    return out


def validate_table(table: SheetTable, lang: str = "vi") -> ValidatedSheet:
    """Validate every row of ``table``: types, required cells, rules, unique keys."""
    if table.frame is not None:
        # The columnar path only hands over sheets it proved valid.
        return ValidatedSheet(table=table, columns=table.frame)
    spec = table.spec
    model = row_model(spec)
    keys = table.keys
    result = ValidatedSheet(table=table)
    rules = [(c.key, c.le) for c in spec.columns if c.le]
    of_labels = {key: " + ".join(f"'{_label(spec, r)}'" for r in refs) for key, refs in rules}
    unique = [c.key for c in spec.columns if c.unique]
    first_seen: dict[str, dict[Any, int]] = {k: {} for k in unique}
    parsers = {c.key: column_parser(c) for c in spec.columns}
    for excel_row, values in table.rows:
        raw = dict(zip(keys, values, strict=True))
        row_errors: list[Finding] = []
        try:
            parsed: dict[str, Any] = dict(model.model_validate(raw))
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                key = str(err["loc"][0])
                ctx = err.get("ctx") or {}
                row_errors.append(_finding(table, excel_row, key, err["type"], raw.get(key), lang, **ctx))
            parsed = _parse_each(parsers, raw)
        for key, refs in rules:
            value = parsed.get(key)
            limits = [parsed.get(r) for r in refs]
            if value is None or any(v is None for v in limits):
                continue
            total = sum(limits)  # type: ignore[arg-type]
            if value > total:
                row_errors.append(
                    _finding(table, excel_row, key, "exceeds-total", raw.get(key), lang, limit=total, of=of_labels[key])
                )
        for key in unique:
            value = parsed.get(key)
            if value is None:
                continue
            folded = fold(value) if isinstance(value, str) else value
            first = first_seen[key].get(folded)
            if first is None:
                first_seen[key][folded] = excel_row
            else:
                index = table.col_index.get(key)
                first_cell = f"{column_letter(index)}{first}" if index is not None else str(first)
                row_errors.append(
                    _finding(table, excel_row, key, "duplicate-key", raw.get(key), lang, first=first_cell)
                )
        if row_errors:
            result.errors.extend(row_errors)
            result.invalid.append((excel_row, parsed))
        else:
            result.records.append((excel_row, parsed))
    if table.totals:
        result.warnings.extend(check_totals(table, result.records + result.invalid, lang))
    result.columns = records_columns(spec, result.records)
    return result


def records_columns(spec: Sheet, records: list[tuple[int, dict[str, Any]]]) -> dict[str, list[Any]]:
    """Valid rows column by column: one list per form column, and "__row"."""
    columns: dict[str, list[Any]] = {c.key: [values.get(c.key) for _, values in records] for c in spec.columns}
    columns["__row"] = [row for row, _ in records]
    return columns


def check_totals(table: SheetTable, parsed: list[tuple[int, dict[str, Any]]], lang: str = "vi") -> list[Finding]:
    """Compare each totals row with the sum of the rows it totals.

    ``parsed`` holds every data row, valid or not, with what parsed: the
    agency's own total includes its bad rows. A yes/no column's total is the
    count of "Có". A totals cell that is not a whole number is not compared.
    """
    spec = table.spec
    numeric = [c for c in spec.columns if c.type in ("int", "yesno")]
    ordered = sorted(parsed, key=lambda item: item[0])
    out: list[Finding] = []
    for total in table.totals:
        covered = [values for row, values in ordered if _covers(total, row)]
        stated_values = dict(zip(table.keys, total.values, strict=True))
        for col in numeric:
            raw = stated_values.get(col.key)
            if raw is None:
                continue
            try:
                stated = parse_int(raw)
            except PydanticCustomError:
                continue
            if col.type == "int":
                computed = sum(v.get(col.key) or 0 for v in covered)
            else:
                computed = sum(1 for v in covered if v.get(col.key) is True)
            if stated == computed:
                continue
            scope = (
                ui("scope.table", lang)
                if total.first is None
                else ui("scope.rows", lang, first=total.first, last=total.last)
            )
            index = table.col_index.get(col.key)
            out.append(
                Finding(
                    code="totals-mismatch",
                    severity="warning",
                    message=message(
                        "totals-mismatch",
                        lang,
                        label=total.label,
                        column_label=col.label,
                        stated=format_int(stated, lang),
                        computed=format_int(computed, lang),
                        scope=scope,
                    ),
                    file=table.file,
                    sheet=table.sheet,
                    row=total.row,
                    column=col.key,
                    cell=f"{column_letter(index)}{total.row}" if index is not None else None,
                    value=stated,
                )
            )
    return out


def _covers(total: TotalsRow, row: int) -> bool:
    if total.first is None or total.last is None:
        return True
    return total.first <= row <= total.last
