"""One DataFrame of valid rows per form sheet, over all files, in input order.

Rows from the row path arrive as lists and are joined as lists, so a folder of
thousands of small files builds one DataFrame per form sheet, not one per
file. The table rule across files (:mod:`qbplan.validate.across`) runs on the
merged rows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from qbplan.config.targets import Targets
from qbplan.model.batch import FileResult, Holder, Resolved, SheetResult
from qbplan.model.columns import FILE, HOLDER, ROW, SHEET
from qbplan.model.valid import ValidRows
from qbplan.validate.across import resolve_across_files

_INT_COLUMNS = (ROW, HOLDER)


def merge_files(results: Sequence[FileResult], targets: Targets) -> dict[str, Resolved]:
    """form sheet key -> its rows over all files (columns: the form's, ``__row``, ``__file``, ``__sheet``)."""
    merged: dict[str, Resolved] = {}
    for spec in targets.form.sheets:
        found = _sheets_of(results, spec.key)
        if not found:
            continue
        keys = [c.key for c in spec.columns]
        holders = [Holder(file, s.sheet, s.col_index) for file, s in found]
        frame = _concat(keys, [s for _, s in found])
        resolved = resolve_across_files(frame, spec, holders)
        merged[spec.key] = dataclasses.replace(resolved, frame=_placed(resolved.frame, holders))
    return merged


def _sheets_of(results: Sequence[FileResult], key: str) -> list[tuple[str, SheetResult]]:
    """(file, sheet) of every sheet read as form sheet ``key``, in input order."""
    return [(r.file, s) for r in results for s in r.sheets if s.form_sheet == key]


def _placed(frame: pd.DataFrame, holders: list[Holder]) -> pd.DataFrame:
    """``frame`` with the file and sheet of each row in ``__file`` and ``__sheet`` instead of ``__holder``."""
    holder = frame[HOLDER].to_numpy()
    # Object columns: pandas 3 would infer its Arrow str dtype, which cannot
    # hold a file name with bytes that are not UTF-8.
    files = np.array([h.file for h in holders], dtype=object)[holder]
    sheets = np.array([h.sheet for h in holders], dtype=object)[holder]
    placed: pd.DataFrame = frame.assign(
        **{
            FILE: pd.Series(files, index=frame.index, dtype=object),
            SHEET: pd.Series(sheets, index=frame.index, dtype=object),
        }
    ).drop(columns=HOLDER)
    return placed


def _concat(keys: list[str], sheets: Sequence[SheetResult]) -> pd.DataFrame:
    """One DataFrame of every sheet's valid rows; rows given as lists are gathered as lists, then framed once."""
    parts: list[pd.DataFrame] = []
    lists: dict[str, list[Any]] = {k: [] for k in [*keys, *_INT_COLUMNS]}
    for h, sheet in enumerate(sheets):
        data = sheet.data
        if not isinstance(data.excel_rows, list):
            # The bulk screen's arrays: framed as they are, without a pass through Python objects.
            if lists[ROW]:
                parts.append(_list_frame(lists))
            parts.append(_array_frame(keys, data, h))
            continue
        _extend(lists, keys, data, h)
    if lists[ROW] or not parts:
        parts.append(_list_frame(lists))
    return concat_frames(parts) if len(parts) > 1 else parts[0]


def _array_frame(keys: list[str], data: ValidRows, holder: int) -> pd.DataFrame:
    frame: pd.DataFrame = pd.DataFrame({k: data.columns[k] for k in keys})
    frame[ROW] = np.asarray(data.excel_rows, dtype="int64")
    frame[HOLDER] = holder
    return frame


def _extend(lists: dict[str, list[Any]], keys: list[str], data: ValidRows, holder: int) -> None:
    """Add a sheet's rows given as lists, each marked with its ``holder``."""
    for k in keys:
        lists[k].extend(data.columns[k])
    lists[ROW].extend(data.excel_rows)
    lists[HOLDER].extend([holder] * len(data))


def concat_frames(parts: Sequence[Any]) -> Any:
    """Stack DataFrames with the same columns; blanks stay None.

    pd.concat turns None into NaN in object columns (pandas 3), and a NaN
    district would become a group of its own; numpy keeps None as it is.
    """
    columns = {}
    for key in parts[0].columns:
        if key in _INT_COLUMNS:
            columns[key] = np.concatenate([part[key].to_numpy(dtype="int64") for part in parts])
        else:
            columns[key] = objects(np.concatenate([objects(part[key]) for part in parts]))
    return pd.DataFrame(columns)


def objects(values: Any) -> Any:
    """A column as a Series of Python objects, with None for every kind of blank (NA, NaN, null)."""
    if isinstance(values, pd.Series):
        # pandas-stubs do not allow na_value=None, which is what is wanted here.
        values = values.to_numpy(dtype=object, na_value=None)  # type: ignore[call-overload]
    return pd.Series(values, dtype=object)


def _list_frame(lists: dict[str, list[Any]]) -> Any:
    """A DataFrame of the rows gathered as lists; the lists are emptied."""
    frame = pd.DataFrame({k: pd.array(v, dtype="int64" if k in _INT_COLUMNS else object) for k, v in lists.items()})
    for values in lists.values():
        values.clear()
    return frame
