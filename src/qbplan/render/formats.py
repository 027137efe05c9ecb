"""Every output format of every command family, declared once: its name, whether it is bytes, its suffixes.

``qbplan check``, ``qbplan history`` and ``qbplan rank`` each have a
:class:`Family`. The CLI asks it which format a run writes (``--format``, else
the ``--output`` file's suffix, else the family's default) and writes it with
one function, :func:`qbplan.cli.output.emit`. Renderers stay where they are
(``qbplan.render``, ``qbplan.render.history``, ``qbplan.render.rank``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath


@dataclass(frozen=True)
class OutputFormat:
    """One format: its name (``--format``), whether it writes bytes, and the file suffixes that ask for it."""

    name: str
    binary: bool = False
    suffixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Family:
    """The formats of one command family, the first being its default."""

    command: str
    formats: tuple[OutputFormat, ...]

    def get(self, name: str) -> OutputFormat:
        """The format called ``name`` (KeyError for none)."""
        for fmt in self.formats:
            if fmt.name == name:
                return fmt
        raise KeyError(name)

    def names(self) -> tuple[str, ...]:
        """Every format's name, the default first."""
        return tuple(f.name for f in self.formats)

    def by_suffix(self, path: str | None) -> OutputFormat | None:
        """The format an output file's suffix asks for (``.xlsx``: xlsx), or None."""
        if not path:
            return None
        suffix = PurePath(path).suffix.lower()
        return next((f for f in self.formats if suffix in f.suffixes), None)

    def chosen(self, given: str | None, output: str | None) -> OutputFormat:
        """``--format`` when given, else what ``--output``'s suffix asks for, else the default (a table)."""
        if given is not None:
            return self.get(given)
        return self.by_suffix(output) or self.formats[0]


_TABLE = OutputFormat("table", suffixes=(".txt",))
_JSON = OutputFormat("json", suffixes=(".json",))
_CSV = OutputFormat("csv", suffixes=(".csv",))
_HTML = OutputFormat("html", suffixes=(".html", ".htm"))
_XLSX = OutputFormat("xlsx", binary=True, suffixes=(".xlsx",))

CHECK = Family(
    "check",
    (
        _TABLE,
        _JSON,
        OutputFormat("junit", suffixes=(".xml",)),
        OutputFormat("markdown", suffixes=(".md",)),
        _CSV,
        _HTML,
        _XLSX,
        OutputFormat("annex", binary=True),  # an .xlsx too: asked for by name
    ),
)
HISTORY = Family("history", (_TABLE, _JSON, _CSV, _HTML, _XLSX))
RANK = Family("rank", (_TABLE, _JSON, _CSV, _XLSX, OutputFormat("cards", binary=True)))
# ``qbplan history --ranks``: each unit's saved index and rank, in text formats only.
RANK_HISTORY = Family("history --ranks", (_TABLE, _JSON, _CSV))
