"""What every renderer shares: the formats, the presentation options, and a renderer's shape."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, NoReturn, Protocol

if TYPE_CHECKING:  # pragma: no cover
    from qbplan.config.targets import Targets
    from qbplan.model.report import Report


class Format(str, Enum):
    """The formats of ``qbplan check``."""

    table = "table"
    json = "json"
    junit = "junit"
    markdown = "markdown"
    csv = "csv"
    html = "html"
    xlsx = "xlsx"
    annex = "annex"


class HistoryFormat(str, Enum):
    """The formats of ``qbplan history`` (:mod:`qbplan.render.history`): some of check's."""

    table = "table"
    json = "json"
    csv = "csv"
    html = "html"
    xlsx = "xlsx"


class RankFormat(str, Enum):
    """The formats of ``qbplan rank`` (:mod:`qbplan.render.rank`); ``cards`` is a workbook of scorecards."""

    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    cards = "cards"


FORMATS = tuple(f.value for f in Format)

HISTORY_FORMATS = tuple(f.value for f in HistoryFormat)


@dataclass(frozen=True)
class RenderOptions:
    """Presentation choices that do not change the results."""

    lang: str = "vi"
    max_findings: int = 20
    color: bool | None = None  # None: decide from the terminal and NO_COLOR
    width: int | None = None
    # CSV only: a UTF-8 byte order mark first, for Excel on Windows.
    bom: bool = True
    # The annex only: who files it, its report's number, who signs it.
    annex: Annex | None = None


@dataclass(frozen=True)
class Annex:
    """What the annex of an official report names (Decree 30/2020/NĐ-CP): who files it, its report, who signs.

    ``authority`` is the parent authority above the unit ("UBND tỉnh Quảng Bình");
    ``report_date`` is as people write it ("15/12/2025"); without the sign-off
    the annex ends with its table and notes, for a report that signs itself.
    """

    unit: str = ""
    report_number: str = ""
    signer: str = ""
    authority: str = ""
    report_date: str = ""
    place: str = ""
    sign_off: bool = True

    @classmethod
    def of_plan(cls, targets: Targets, **given: Any) -> Annex:
        """The annex's names: each one ``given`` (and not empty), else the targets file's ``annex`` section.

        One place for the CLI's ``-f annex`` and the intake's annex, so both carry the same heading.
        """
        spec = targets.annex
        defaults = {"unit": spec.unit, "authority": spec.authority, "place": spec.place}
        chosen = {key: value for key, value in given.items() if value not in ("", None)}
        return cls(**{**defaults, **chosen})


class Renderer(Protocol):
    def __call__(self, report: Report, out: Any, options: RenderOptions) -> None: ...


def assert_never(value: NoReturn) -> NoReturn:
    """Unreachable when every format is handled: mypy proves it (typing.assert_never is 3.11+)."""
    raise AssertionError(f"unhandled format {value!r}")
