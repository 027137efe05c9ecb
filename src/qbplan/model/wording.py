"""Findings in words: the sentence for a finding, and where it is, in the chosen language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qbplan.i18n import UI, message, ui
from qbplan.i18n.numbers import display_value, format_int
from qbplan.model.findings import Finding, Scalar

# Parameters that are positions or codes, never quantities: shown as written.
_AS_WRITTEN = frozenset({"row", "line", "first", "last", "seconds", "count"})


def _shown(key: str, value: Scalar, lang: str) -> Scalar:
    if isinstance(value, int) and not isinstance(value, bool) and key not in _AS_WRITTEN:
        return format_int(value, lang)
    if isinstance(value, float) and key not in _AS_WRITTEN:
        return display_value(value, lang)  # 2,5 in Vietnamese, 2.5 in English
    return value


def describe(finding: Finding, lang: str = "vi") -> str:
    """The sentence for ``finding`` in ``lang``, made from its code and parameters; then the unit's explanation."""
    said = sentence(finding.code, finding.params, lang, value=finding.value, file=finding.file, sheet=finding.sheet)
    explanation = finding.params.get("explanation")
    if explanation:
        said += " — " + ui("finding.explained", lang, text=explanation)
    return said


def sentence(
    code: str,
    params: Mapping[str, Scalar],
    lang: str = "vi",
    *,
    value: Scalar = None,
    file: str | None = None,
    sheet: str | None = None,
) -> str:
    """The sentence for ``code`` with ``params``, said of a cell ``value`` in ``file`` › ``sheet``.

    A finding's sentence (:func:`describe`), and a refusal's that names a
    finding's code (a register's bad cell).
    """
    shown: dict[str, Any] = {k: _shown(k, v, lang) for k, v in params.items()}
    shown.setdefault("value", display_value(value, lang))
    shown.setdefault("file", file or "")
    shown.setdefault("sheet", sheet or "")
    for key in ("status", "reason"):
        # A status or a reason is a word of the interface: said, not keyed.
        if f"{key}.{shown.get(key)}" in UI:
            shown[key] = ui(f"{key}.{shown[key]}", lang)
    if "scope_first" in shown:
        shown["scope"] = _scope(shown.pop("scope_first"), shown.pop("scope_last"), lang)
    return message(code, lang, **shown)


def _scope(first: int | None, last: int | None, lang: str) -> str:
    """The rows a subtotal covers; a grand total covers the whole table."""
    return ui("scope.table", lang) if first is None else ui("scope.rows", lang, first=first, last=last)


def where(f: Finding) -> str:
    """``file › sheet › cell`` (or the row when there is no cell), as written: the caller makes it safe to show."""
    return place_text(f.file, f.sheet, f.cell, f.row)


def place_text(file: str | None, sheet: str | None, cell: str | None, row: int | None) -> str:
    """``file › sheet › cell``, or the row when there is no cell; the parts that are known."""
    return " › ".join(p for p in (file, sheet, cell or (str(row) if row else None)) if p)
