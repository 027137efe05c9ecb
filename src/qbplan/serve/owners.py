"""Which rows of the survey each unit reports: its own row, and the rows the register names it for.

The register's first sheet lists the units that get a link. Every other
register sheet may name, in its "Đơn vị báo cáo" column, the unit that reports
each row (a commune its households row, the survey's department the
databases). A row a unit does not own is an error at its cell in that unit's
verdict, so a link can send no other unit's figures; a row nobody owns can be
sent by no link, and the planner's page says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from qbplan.register.load import OWNER, Register, RegisterSheet, invalid
from qbplan.register.match import unit_key


@dataclass(frozen=True)
class Ownership:
    """Each unit's rows, by form sheet: their keys (folded, to match) and their register values (to prefill)."""

    units_sheet: str  # the form sheet whose register lists the units
    keys: Mapping[str, Mapping[str, frozenset[Any]]]  # unit -> form sheet -> folded row keys
    rows: Mapping[str, Mapping[str, tuple[dict[str, Any], ...]]]  # unit -> form sheet -> register values
    owner_of: Mapping[str, Mapping[Any, str]]  # form sheet -> folded row key -> owning unit
    unowned: Mapping[str, int]  # form sheet -> rows the register names no unit for

    def owns(self, unit: str, sheet: str, key: Any) -> bool:
        """Whether ``unit`` reports the row of ``sheet`` whose key is ``key``."""
        return unit_key(key) in self.keys.get(unit, {}).get(sheet, frozenset())

    def sheets_of(self, unit: str) -> list[str]:
        """The form sheets ``unit`` reports rows of, the units' sheet first."""
        return list(self.rows.get(unit, {}))


def ownership(register: Register) -> Ownership:
    """Each unit's rows from ``register``; an owner that is no unit is refused at its cell (exit 2)."""
    sheets = list(register.sheets.values())
    units_sheet = sheets[0]
    units = {str(u.values[units_sheet.key]) for u in units_sheet.units}
    keys: dict[str, dict[str, set[Any]]] = {unit: {} for unit in units}
    rows: dict[str, dict[str, list[dict[str, Any]]]] = {unit: {} for unit in units}
    owner_of: dict[str, dict[Any, str]] = {}
    unowned: dict[str, int] = {}
    for sheet in sheets:
        owner_of[sheet.form_sheet] = {}
        for unit in sheet.units:
            key = unit.values[sheet.key]
            owner = str(key) if sheet is units_sheet else sheet.owner(unit)
            if owner is None:
                unowned[sheet.form_sheet] = unowned.get(sheet.form_sheet, 0) + 1
                continue
            if owner not in units:
                raise _unknown_owner(sheet, units_sheet, unit.row, owner)
            keys[owner].setdefault(sheet.form_sheet, set()).add(unit_key(key))
            values = {k: v for k, v in unit.values.items() if k not in sheet.extra}
            rows[owner].setdefault(sheet.form_sheet, []).append(values)
            owner_of[sheet.form_sheet][unit_key(key)] = owner
    return Ownership(
        units_sheet=units_sheet.form_sheet,
        keys={u: {s: frozenset(k) for s, k in by.items()} for u, by in keys.items()},
        rows={u: {s: tuple(r) for s, r in by.items()} for u, by in rows.items()},
        owner_of=owner_of,
        unowned=unowned,
    )


def _unknown_owner(sheet: RegisterSheet, units_sheet: RegisterSheet, row: int, owner: str) -> Exception:
    params = {"label": OWNER.label, "value": owner, "units": units_sheet.sheet}
    return invalid(sheet.file, sheet.sheet, row, None, "register-owner-unknown", params, owner)
