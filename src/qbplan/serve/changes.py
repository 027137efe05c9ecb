"""What a pending correction changes against the accepted file: cells, rows added and rows gone.

Both files are read as the check reads them (in bounded workers), and their
valid rows compared by each sheet's key, so the planner sees the figures that
would change before accepting the correction.
"""

from __future__ import annotations

from typing import Any

from qbplan.config.targets import Targets
from qbplan.i18n import ui
from qbplan.model.batch import FileResult
from qbplan.register.load import key_column
from qbplan.register.match import unit_key
from qbplan.run.pipeline import CheckOptions, check_file, run_bounded

# Lines shown at most; the rest are counted.
SHOWN = 50


def compare(old: str, new: str, targets: Targets, options: CheckOptions, lang: str) -> list[str]:
    """Each difference between the valid rows of ``old`` and ``new``, worded; one line when there is none."""

    def read(path: str) -> FileResult:
        return check_file(path, targets, options.limits, options.password)

    before, after = run_bounded(read, old, options), run_bounded(read, new, options)
    lines: list[str] = []
    for spec in targets.form.sheets:
        key = key_column(spec)
        if key is None:
            continue
        was, now = _rows(before, spec.key, key.key), _rows(after, spec.key, key.key)
        for k in sorted(now.keys() - was.keys(), key=str):
            lines.append(ui("serve.change.added", lang, sheet=spec.label, key=now[k][key.key]))
        for k in sorted(was.keys() - now.keys(), key=str):
            lines.append(ui("serve.change.removed", lang, sheet=spec.label, key=was[k][key.key]))
        for k in sorted(was.keys() & now.keys(), key=str):
            for col in spec.columns:
                a, b = was[k].get(col.key), now[k].get(col.key)
                if a != b:
                    lines.append(
                        ui("serve.change.cell", lang, sheet=spec.label, key=now[k][key.key], label=col.label,
                           old=_shown(a, lang), new=_shown(b, lang))
                    )  # fmt: skip
    if not lines:
        return [ui("serve.change.none", lang)]
    more = len(lines) - SHOWN
    return lines[:SHOWN] + ([ui("serve.change.more", lang, count=more)] if more > 0 else [])


def _rows(result: FileResult, sheet: str, key: str) -> dict[Any, dict[str, Any]]:
    """The valid rows of ``sheet`` in ``result`` by their folded key."""
    out: dict[Any, dict[str, Any]] = {}
    for s in result.sheets:
        if s.form_sheet == sheet:
            for _, values in s.data.records():
                plain = {k: _plain(v) for k, v in values.items()}
                out.setdefault(unit_key(plain.get(key)), plain)
    return out


def _plain(value: Any) -> Any:
    """A value of the bulk screen's arrays as the row path gives it: None for NA, Python scalars."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()  # a numpy scalar
    return value


def _shown(value: Any, lang: str) -> str:
    if value is None:
        return ui("serve.change.blank", lang)
    if isinstance(value, bool):
        return ui("serve.change.yes" if value else "serve.change.no", lang)
    return str(value)
