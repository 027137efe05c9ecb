"""User-facing text: Vietnamese by default, English with ``--lang en``.

The words are data, one module each: the findings (:mod:`.findings`, each
code with its severity), the refusals that stop a run (:mod:`.messages`) and
the interface (:mod:`.interface`). Numbers are formatted by :mod:`.numbers`.
This package imports nothing else of qbplan: every floor above may use it.
Tests check that both languages have every entry, with the same placeholders.
"""

from __future__ import annotations

from typing import Any

from qbplan.i18n.findings import FINDINGS
from qbplan.i18n.interface import UI
from qbplan.i18n.messages import MESSAGES
from qbplan.i18n.pydantic import PydanticDetail

__all__ = ["DOCUMENT_LANG", "FINDINGS", "MESSAGES", "UI", "PydanticDetail", "localized", "message", "ui"]

# The administrative documents qbplan writes, the survey form and a report's
# annex, are in Vietnamese whatever --lang says (see ``form.*``, ``doc.*`` and
# ``annex.*`` in the interface): agencies fill in the form, provinces file the annex.
DOCUMENT_LANG = "vi"


def localized(vi: str, en: str, lang: str) -> str:
    """The text of a pair in ``lang``."""
    return en if lang == "en" else vi


def _template(code: str, lang: str) -> str | None:
    entry = MESSAGES.get(code)
    if entry is not None:
        return entry.get(lang) or entry["vi"]
    found = FINDINGS.get(code)
    return None if found is None else localized(found.vi, found.en, lang)


def message(code: str, lang: str = "vi", /, **params: Any) -> str:
    """The message for a refusal or finding ``code``, formatted with ``params``."""
    template = _template(code, lang)
    if template is None:
        return f"{code}: {params}"
    more = params.pop("more", 0)
    params["more_text"] = ui("more_text", lang, n=more) if more else ""
    # A parameter that is itself worded (PydanticDetail) is worded in the message's language.
    params = {k: v.text(lang) if _worded_later(v) else v for k, v in params.items()}
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return f"{template} {params}"


def _worded_later(value: Any) -> bool:
    """A parameter that words itself in the message's language (Pydantic's, PyYAML's or a driver's reason)."""
    return isinstance(value, PydanticDetail) or callable(getattr(value, "text", None))


def ui(key: str, lang: str = "vi", /, **params: Any) -> str:
    """A piece of interface text."""
    entry = UI[key]
    return (entry.get(lang) or entry["vi"]).format(**params)
