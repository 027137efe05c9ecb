"""Setting the submitted rows against the register: who reported, who did not, who is unknown.

:func:`match_register` takes the rows merged across files and returns new
data (nothing loaded is changed): the rows kept for the indicators, the rows
left out here with their findings, each register's units marked reported or
not, and the completeness of each form sheet. Without a register every row is
kept and nothing else is said.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from qbplan.config.targets import Sheet, Targets
from qbplan.model.batch import Loaded
from qbplan.model.columns import FILE, ROW, SHEET
from qbplan.model.findings import Finding, Place, capped, finding
from qbplan.model.report import Completeness, Grouping, UnitRef
from qbplan.register.load import Register, RegisterSheet, Unit, group_column
from qbplan.textnorm import fold, name_key, place_key, place_name_key, place_unit
from qbplan.validate.merge import objects

# The column of a register's units that says whether the unit gave a valid row.
REPORTED = "__reported"


@dataclass
class Matched:
    """The rows each indicator counts, and what the register says about the rest."""

    # form sheet key -> valid rows kept (the merged frame's columns)
    frames: dict[str, pd.DataFrame]
    # form sheet key -> (file, parsed values) of rows left out here, to count per file and indicator
    left_out: dict[str, list[tuple[str, dict[str, Any]]]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    # form sheet key -> the register's units (identifying columns, and REPORTED)
    units: dict[str, pd.DataFrame] = field(default_factory=dict)
    completeness: list[Completeness] = field(default_factory=list)


def match_register(loaded: Loaded, targets: Targets, register: Register | None, by: str | None = None) -> Matched:
    """Keep the rows of registered units whose identifying columns agree with the register."""
    matched = Matched(frames={key: m.frame for key, m in loaded.merged.items()})
    if register is None:
        return matched
    places = loaded.column_places
    for key, reg in register.sheets.items():
        spec = targets.sheet(key)
        assert spec is not None  # a register sheet is a form sheet
        _Sheet(spec, reg, places, by).match(loaded, matched)
    matched.findings = _capped_by_sheet(matched.findings)
    return matched


def _capped_by_sheet(findings: list[Finding]) -> list[Finding]:
    """A file of a hundred thousand unknown codes costs a hundred findings of each code, not a hundred thousand."""
    by_sheet: dict[tuple[str | None, str | None], list[Finding]] = {}
    for f in findings:
        by_sheet.setdefault((f.file, f.sheet), []).append(f)
    return [f for group in by_sheet.values() for f in capped(group)]


def same(a: Any, b: Any) -> bool:
    """Whether a submitted value says what the register says.

    Case, spaces and where a tone mark sits do not count ("Hoà" is "Hòa"),
    nor the unit word's spelling ("TP Đồng Hới" is "Thành phố Đồng Hới"); the
    tone itself does: "Hòa" and "Hóa" are two names. A value typed with no
    diacritics at all ("Hoa", from a keyboard without Vietnamese input) is
    taken at its letters: it cannot contradict the register, which the unit's
    code already decides.
    """
    if a == b:
        return True
    if not (isinstance(a, str) and isinstance(b, str)):
        return False
    key = fold if a.isascii() or b.isascii() else name_key
    if key(a) == key(b):
        return True
    units = place_unit(a), place_unit(b)
    place = place_key if a.isascii() or b.isascii() else place_name_key
    return place(a) == place(b) and (None in units or units[0] == units[1])


def unit_key(value: Any) -> Any:
    """A key as it is matched: folded text (as the validator compares unique keys)."""
    return fold(value) if isinstance(value, str) else value


@dataclass
class _Tally:
    """What matching one sheet's rows found."""

    kept: set[Any] = field(default_factory=set)  # keys of registered units with a row kept
    submitted: set[Any] = field(default_factory=set)  # keys of registered units with any row
    unknown: list[UnitRef] = field(default_factory=list)  # rows of keys the register lacks
    left_out: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (file, values) of rows left out
    drop: list[int] = field(default_factory=list)  # positions in the frame of the rows left out


class _Sheet:
    """Matching one form sheet against its register."""

    def __init__(self, spec: Sheet, reg: RegisterSheet, places: dict[tuple[str, str], dict[str, int]], by: str | None):
        self.spec, self.reg, self.places = spec, reg, places
        self.units = {unit_key(u.values[reg.key]): u for u in reg.units}
        group = group_column(spec, by)
        self.group = group.key if group else None

    def match(self, loaded: Loaded, out: Matched) -> None:
        frame = out.frames.get(self.spec.key)
        tally = _Tally()
        if frame is not None and len(frame):
            self._rows(frame, tally, out.findings)
            if tally.drop:
                out.frames[self.spec.key] = frame.drop(index=frame.index[tally.drop])
        tally.submitted |= self._elsewhere(loaded) & set(self.units)
        out.left_out[self.spec.key] = tally.left_out
        out.units[self.spec.key] = self._units_frame(tally.kept)
        out.completeness.append(self._completeness(tally.submitted, tally.unknown))

    def _rows(self, frame: Any, tally: _Tally, findings: list[Finding]) -> None:
        """Check each valid row of ``frame`` against the register."""
        reg = self.reg
        # Blanks as None: a blank district may arrive as NaN from the bulk screen.
        columns = {c: objects(frame[c]).tolist() for c in [*reg.columns, FILE, SHEET, ROW]}
        for i in range(len(frame)):
            values = {c: columns[c][i] for c in reg.columns}
            where = (columns[FILE][i], columns[SHEET][i], int(columns[ROW][i]))
            self._row(i, values, where, tally, findings)

    def _row(
        self, i: int, values: dict[str, Any], where: tuple[str, str, int], tally: _Tally, findings: list[Finding]
    ) -> None:
        """Keep row ``i``, or leave it out with its findings (and as unknown when its key is not registered)."""
        k = unit_key(values[self.reg.key])
        found = self._check(values, self.units.get(k), where)
        if k in self.units:
            tally.submitted.add(k)
        if not found:
            tally.kept.add(k)
            return
        findings += found
        tally.drop.append(i)
        tally.left_out.append((where[0], values))
        if k not in self.units:
            tally.unknown.append(self._ref(values, where))

    def _check(self, values: dict[str, Any], unit: Unit | None, where: tuple[str, str, int]) -> list[Finding]:
        """The register's findings on one valid row (its unit, if registered): unknown, or disagreeing columns."""
        key = self.reg.key
        if unit is None:
            return [self._finding("not-in-register", where, key, values[key], {})]
        out = []
        for col in self.reg.columns:
            given = unit.values.get(col)
            # A column the register leaves out, or a cell it leaves blank, says nothing to check against.
            if col != key and given is not None and not same(values[col], given):
                expected = self._shown(col, unit.values[col])
                params = {"expected": expected, "key": unit.values[key], "register_row": unit.row}
                out.append(self._finding("register-mismatch", where, col, self._shown(col, values[col]), params))
        return out

    def _finding(self, code: str, where: tuple[str, str, int], col: str, value: Any, params: dict[str, Any]) -> Finding:
        file, sheet, row = where
        index = self.places.get((file, sheet), {}).get(col)
        column = self.spec.column(col)
        label = column.label if column else col
        return finding(code, Place(file, sheet, row, col, index), {"label": label, **params}, value)

    def _shown(self, col: str, value: Any) -> Any:
        """An enum value by its label, as people wrote it; a blank as empty text."""
        column = self.spec.column(col)
        if column is not None and column.values and value in column.values:
            return column.values[value]
        return "" if value is None else value

    def _ref(self, values: dict[str, Any], where: tuple[str, str, int] | None = None) -> UnitRef:
        reg = self.reg
        name = values.get(reg.name) if reg.name else None
        group = values.get(self.group) if self.group else None
        file, sheet, row = where or (None, None, None)
        return UnitRef(key=str(values[reg.key]), name=name, group=group, file=file, sheet=sheet, row=row)

    def _elsewhere(self, loaded: Loaded) -> set[Any]:
        """Keys of the rows left out before (invalid, or repeated across files): submitted, not reported."""
        key = self.reg.key
        keys = {
            unit_key(values.get(key))
            for result in loaded.results
            for sheet in result.sheets
            if sheet.form_sheet == self.spec.key
            for _, values in sheet.invalid
        }
        merged = loaded.merged.get(self.spec.key)
        if merged is not None:
            keys |= {unit_key(values.get(key)) for _, values in merged.excluded}
        return keys

    def _units_frame(self, kept: set[Any]) -> Any:
        reg = self.reg
        every = (*reg.columns, *reg.extra)
        data: dict[str, Any] = {c: pd.Series([u.values[c] for u in reg.units], dtype=object) for c in every}
        # self.units is keyed in register order (a key is unique in a register).
        reported = [k in kept for k in self.units]
        data[REPORTED] = pd.Series(reported, dtype=bool)
        return pd.DataFrame(data)

    def _completeness(self, submitted: set[Any], unknown: list[UnitRef]) -> Completeness:
        reg = self.reg
        missing = tuple(self._ref(u.values) for k, u in self.units.items() if k not in submitted)
        group = self.spec.column(self.group) if self.group else None
        return Completeness(
            sheet=self.spec.key,
            label=self.spec.label,
            register=f"{reg.file} › {reg.sheet}",
            expected=len(reg.units),
            submitted=len(submitted),
            missing=missing,
            unknown=tuple(unknown),
            grouping=Grouping.of(group) if group else None,
        )
