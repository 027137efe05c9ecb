"""The table rule across files: a unique code given in two files counts once, in the first.

Inside one sheet the row validator already leaves repeats out (``duplicate-key``),
so every repeat here is across files. The merge is one keyed pass over all
rows (no lookup per repeated row), and a file that only repeats another file
is one finding naming both files, not one per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from qbplan.config.targets import Column, Sheet
from qbplan.model.batch import Holder, Resolved
from qbplan.model.columns import HOLDER, ROW
from qbplan.model.findings import Place, finding
from qbplan.textnorm import fold


def fold_keys(values: Any) -> Any:
    """Unique-key values as the validator compares them: folded text, numbers as they are."""
    series = pd.Series(values, dtype=object)
    texts = series.map(lambda v: isinstance(v, str))
    if texts.all() and series.map(str.isascii).all():
        # Clean ASCII text: fold() is lower(), and pandas does it in bulk.
        return series.str.lower()
    return series.map(lambda v: fold(v) if isinstance(v, str) else v)


def resolve_across_files(frame: pd.DataFrame, spec: Sheet, holders: Sequence[Holder]) -> Resolved:
    """Keep each unique code in the first holder (input order); report the rest."""
    resolved = Resolved(frame=frame)
    if len(holders) < 2:
        return resolved
    for col in (c for c in spec.columns if c.unique):
        resolved = _resolve_column(resolved, spec, col, holders)
    return resolved


def _resolve_column(resolved: Resolved, spec: Sheet, col: Column, holders: Sequence[Holder]) -> Resolved:
    """``resolved`` with the rows that repeat an earlier holder's code in ``col`` taken out and said."""
    frame = resolved.frame.reset_index(drop=True)
    folded = fold_keys(frame[col.key])
    present = folded.notna()
    repeat = (folded.duplicated(keep="first") & present).to_numpy()
    if not repeat.any():
        return resolved
    # Position of each code's first row, by a keyed join (one pass, no per-row lookup).
    first_pos = pd.Series(np.arange(len(frame)), index=folded)[(present & ~repeat).to_numpy()]
    first_of = first_pos.reindex(folded[repeat].to_numpy()).to_numpy()
    owners = frame[HOLDER].to_numpy()
    rows = frame[ROW].to_numpy()
    keys = [c.key for c in spec.columns]
    repeated = np.flatnonzero(repeat)
    values = frame.loc[repeat, keys].to_dict("records")
    whole = _whole_file_repeats(owners, first_of, repeated, present.to_numpy())
    findings = list(resolved.findings)
    excluded = list(resolved.excluded)
    for i, j, row_values in zip(repeated, first_of, values, strict=True):
        owner = int(owners[i])
        excluded.append((holders[owner].file, row_values))
        if owner in whole:
            continue
        first = holders[int(owners[j])]
        first_cell = Place(row=int(rows[j]), index=first.col_index.get(col.key)).cell() or ""
        here = holders[owner]
        place = Place(here.file, here.sheet, int(rows[i]), col.key, here.col_index.get(col.key))
        row_params = {"label": col.label, "first": f"{first.file}, '{first.sheet}'!{first_cell}"}
        findings.append(finding("duplicate-across-files", place, row_params, row_values[col.key]))
    for owner, (source, count) in whole.items():
        here, first = holders[owner], holders[source]
        params: dict[str, object] = {"count": count, "first": first.file, "sheet": here.sheet}
        findings.append(finding("file-repeats-file", Place(here.file, here.sheet), params))
    return Resolved(frame[~repeat].reset_index(drop=True), tuple(findings), tuple(excluded))


def _whole_file_repeats(owners: Any, first_of: Any, repeated: Any, present: Any) -> dict[int, tuple[int, int]]:
    """Holders whose every keyed row repeats rows of one other holder: {holder: (that holder, rows)}."""
    source_of_repeat = owners[first_of]
    out: dict[int, tuple[int, int]] = {}
    for owner in np.unique(owners[repeated]):
        mine = owners[repeated] == owner
        sources = np.unique(source_of_repeat[mine])
        keyed = int((present & (owners == owner)).sum())
        if len(sources) == 1 and int(mine.sum()) == keyed and keyed > 1:
            out[int(owner)] = (int(sources[0]), keyed)
    return out
