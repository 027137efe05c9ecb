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

from qbplan.config.targets import Rule, Sheet
from qbplan.layout.table import SheetTable
from qbplan.model.cells import CellProblem
from qbplan.model.findings import Finding, Place, finding
from qbplan.model.valid import ValidRows
from qbplan.textnorm import fold
from qbplan.validate.parsers import column_parser, row_model
from qbplan.validate.totals import check_totals


@dataclass(frozen=True)
class ValidatedSheet:
    """The outcome of validating one :class:`SheetTable`."""

    table: SheetTable
    # The valid rows, screened and from the row model, in Excel row order.
    valid: ValidRows
    # Rows left out: (Excel row number, whatever values did parse)
    invalid: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)


def _label(spec: Sheet, key: str) -> str:
    col = spec.column(key)
    return col.label if col else key


def cell_finding(table: SheetTable, row: int, key: str, code: str, value: Any, **params: object) -> Finding:
    """A finding about one cell of ``table``: code, parameters and the cell's place."""
    raw = value.detail if isinstance(value, CellProblem) else value
    place = Place(table.file, table.sheet, row, key, table.col_index.get(key))
    return finding(code, place, {"label": _label(table.spec, key), **params}, raw)


def _parse_each(parsers: dict[str, Callable[[Any], Any]], values: dict[str, Any]) -> dict[str, Any]:
    """Parse columns one by one, keeping those that parse (for invalid rows)."""
    out: dict[str, Any] = {}
    for key, parse in parsers.items():
        try:
            out[key] = parse(values.get(key))
        except PydanticCustomError:
            continue
    return out


class _RowModel:
    """The sheet's Pydantic row model, and each column's own parser for the rows it rejects."""

    def __init__(self, spec: Sheet) -> None:
        self.model = row_model(spec)
        self.parsers = {c.key: column_parser(c) for c in spec.columns}

    def parse(self, table: SheetTable, excel_row: int, raw: dict[str, Any]) -> tuple[dict[str, Any], list[Finding]]:
        """The row's parsed values and the model's findings; a rejected row keeps every cell that parses."""
        try:
            return dict(self.model.model_validate(raw)), []
        except ValidationError as exc:
            return _parse_each(self.parsers, raw), _model_findings(table, excel_row, raw, exc)


class _Rules:
    """The row and table rules of one sheet, applied row by row after the row model."""

    def __init__(self, table: SheetTable) -> None:
        spec = table.spec
        self.table = table
        self.limits = [(c.key, c.le) for c in spec.columns if c.le]
        self.of = {key: " + ".join(f"'{_label(spec, r)}'" for r in refs) for key, refs in self.limits}
        self.first_seen: dict[str, dict[Any, int]] = {c.key: {} for c in spec.columns if c.unique}
        self.consistency = [(rule, _rule_text(spec, rule)) for rule in spec.rules]

    def broken(self, row: int, raw: dict[str, Any], parsed: dict[str, Any]) -> list[Finding]:
        """Every rule the row breaks: ``le``, then consistency, then unique keys."""
        return self.exceeds(row, raw, parsed) + self.inconsistent(row, raw, parsed) + self.repeats(row, raw, parsed)

    def exceeds(self, row: int, raw: dict[str, Any], parsed: dict[str, Any]) -> list[Finding]:
        """The ``le`` rule: a value no larger than the sum of its columns."""
        out = []
        for key, refs in self.limits:
            value, parts = parsed.get(key), [parsed.get(r) for r in refs]
            if value is None or any(v is None for v in parts):
                continue
            total = sum(parts)  # type: ignore[arg-type]
            if value > total:
                out.append(
                    cell_finding(self.table, row, key, "exceeds-total", raw.get(key), limit=total, of=self.of[key])
                )
        return out

    def inconsistent(self, row: int, raw: dict[str, Any], parsed: dict[str, Any]) -> list[Finding]:
        """The consistency rules of targets.yaml: when these values, then those."""
        out = []
        for rule, text in self.consistency:
            if not all(parsed.get(k) in allowed for k, allowed in rule.when.items()):
                continue
            for key, allowed in rule.require.items():
                value = parsed.get(key)
                if value is not None and value not in allowed:
                    out.append(cell_finding(self.table, row, key, "inconsistent", raw.get(key), rule=text))
        return out

    def repeats(self, row: int, raw: dict[str, Any], parsed: dict[str, Any]) -> list[Finding]:
        """Unique keys: a code seen before in this sheet (folded) is a duplicate."""
        out = []
        for key, seen in self.first_seen.items():
            value = parsed.get(key)
            if value is None:
                continue
            first = seen.setdefault(fold(value) if isinstance(value, str) else value, row)
            if first != row:
                index = self.table.col_index.get(key)
                first_cell = Place(row=first, index=index).cell() or str(first)
                out.append(cell_finding(self.table, row, key, "duplicate-key", raw.get(key), first=first_cell))
        return out


def _rule_text(spec: Sheet, rule: Rule) -> str:
    """A rule as people read it, in the form's labels: "Loại cơ quan: UBND cấp xã ⇒ Cấp: Xã"."""

    def side(part: dict[str, list[str]]) -> str:
        out = []
        for key, allowed in part.items():
            col = spec.column(key)
            labels = [(col.values or {}).get(v, v) for v in allowed] if col else allowed
            out.append(f"{col.label if col else key}: {' / '.join(labels)}")
        return "; ".join(out)

    return f"{side(rule.when)} ⇒ {side(rule.require)}"


def _model_findings(table: SheetTable, row: int, raw: dict[str, Any], exc: ValidationError) -> list[Finding]:
    out = []
    for err in exc.errors(include_url=False):
        key = str(err["loc"][0])
        out.append(cell_finding(table, row, key, err["type"], raw.get(key), **(err.get("ctx") or {})))
    return out


def validate_table(table: SheetTable) -> ValidatedSheet:
    """Validate every row of ``table``: types, required cells, rules, unique keys, totals."""
    keys = [c.key for c in table.spec.columns]
    if table.screened is not None and not table.rows and not table.totals and not table.notes:
        # Every row was screened plainly valid: nothing for the row model.
        return ValidatedSheet(table=table, valid=table.screened)
    model = _RowModel(table.spec)
    rules = _Rules(table)
    records: list[tuple[int, dict[str, Any]]] = []
    invalid: list[tuple[int, dict[str, Any]]] = []
    errors: list[Finding] = []
    warnings: list[Finding] = []
    for excel_row, values in table.rows:
        raw = dict(zip(table.keys, values, strict=True))
        parsed, found = model.parse(table, excel_row, raw)
        found += rules.broken(excel_row, raw, parsed)
        errors.extend(found)
        (invalid if found else records).append((excel_row, parsed))
    for note in table.notes:
        # A row read as layout that holds a key: said at its key cell, so nothing leaves without a word.
        warnings.append(cell_finding(table, note.row, note.column, f"layout-{note.kind}-keyed", note.value))
    for item in check_totals(table, records + invalid, table.screened):
        (errors if item.severity == "error" else warnings).append(item)
    valid = _with_screened(table.screened, ValidRows.from_records(keys, records))
    return ValidatedSheet(table=table, valid=valid, invalid=invalid, errors=errors, warnings=warnings)


def _with_screened(screened: ValidRows | None, laid_out: ValidRows) -> ValidRows:
    """The screened rows and the row model's valid rows as one value, in Excel row order.

    Without screened rows, the row model's as they are (lists: no pandas in a worker that needs none).
    """
    if screened is None or not len(laid_out):
        return screened if screened is not None and len(screened) else laid_out
    import numpy as np

    rows = np.concatenate([np.asarray(screened.excel_rows, np.int64), np.asarray(laid_out.excel_rows, np.int64)])
    order = rows.argsort(kind="stable")
    columns = {}
    for key, values in screened.columns.items():
        both = np.concatenate([_objects(values), np.array(laid_out.columns[key], dtype=object)])
        columns[key] = both[order]
    return ValidRows(columns, rows[order])


def _objects(values: Any) -> Any:
    """A column as numpy objects, None for every kind of blank (NA, NaN, null)."""
    import pandas as pd

    return pd.Series(values).to_numpy(dtype=object, na_value=None)
