"""Validation: each submitted row against a Pydantic model built from the form.

The row model is the contract: one field per form column, each with a parser
that accepts what people really type (``"1.234"``, ``Có``, ``x``, a label
instead of an enum key) and raises a ``PydanticCustomError`` whose type is
the finding's stable code. Cross-column rules (``le``) and unique keys are
checked after the model, on the parsed values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from qbplan.config.targets import Sheet
from qbplan.i18n import message
from qbplan.layout.table import SheetTable
from qbplan.read.cells import CellProblem, column_letter
from qbplan.results.report import Finding, json_scalar
from qbplan.textnorm import fold
from qbplan.validate.parsers import column_parser, row_model
from qbplan.validate.totals import check_totals


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
