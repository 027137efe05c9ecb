"""What the commands share: the help language, the options defined once, and turning them into the library's.

The help language is read from the command line (``--lang``) or
``QBPLAN_LANG`` at import, because Typer reads every help text at import,
before any option is parsed: the one piece of state set at import.
"""

from __future__ import annotations

import itertools
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from qbplan.config.paths import resolve_targets_path
from qbplan.defaults import (
    FAIL_ON,
    LANGS,
    MAX_MEMORY_MB,
    MAX_TIMEOUT,
    MIN_MEMORY_MB,
)
from qbplan.errors import QbplanError


def _help_lang(argv: list[str]) -> str:
    """Language of --help text, read before Typer parses anything."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return os.environ.get("QBPLAN_LANG", "vi")


HELP_LANG = "en" if _help_lang(sys.argv[1:]).strip().lower() == "en" else "vi"


def h(vi: str, en: str) -> str:
    """The help text of a pair, in the help language."""
    return en if HELP_LANG == "en" else vi


Lang = Enum("Lang", {name: name for name in LANGS}, type=str)  # type: ignore[misc]


DEFAULT_LANG = Lang(HELP_LANG)
OPTIONS = h("[TÙY CHỌN]", "[OPTIONS]")


# Choices come from the library, so the CLI cannot drift from it.
FailOn = Enum("FailOn", {name: name for name in FAIL_ON}, type=str)  # type: ignore[misc]


class ExplainFormat(str, Enum):
    table = "table"
    json = "json"


# Options several commands share, defined once.
InputsArgument = Annotated[
    list[Path],
    typer.Argument(
        help=h("Biểu số liệu: tệp, thư mục hoặc mẫu tên tệp.", "The submissions: files, folders or globs."),
        show_default=False,
        metavar=h("TỆP", "FILE"),
        # qbplan reports an unreadable file itself (input-permission) and checks the rest.
        readable=False,
    ),
]
TargetsOption = Annotated[
    Optional[Path],
    typer.Option(
        "--targets",
        "-t",
        help=h(
            "Tệp chỉ tiêu YAML. Mặc định: ./targets.yaml nếu có, nếu không thì bản kèm theo gói.",
            "Targets YAML file. Default: ./targets.yaml if present, else the bundled one.",
        ),
    ),
]
PlanOption = Annotated[
    Optional[str],
    typer.Option(
        "--plan",
        help=h(
            "Kế hoạch kèm theo qbplan (xem qbplan plans), thay cho --targets.",
            "A plan bundled with qbplan (see qbplan plans), instead of --targets.",
        ),
        show_default=False,
    ),
]
LangOption = Annotated[
    Lang, typer.Option("--lang", case_sensitive=False, help=h("Ngôn ngữ: vi hoặc en.", "Language: vi or en."))
]
ForceOption = Annotated[
    bool, typer.Option("--force", help=h("Ghi đè nếu tệp đã có.", "Overwrite the file if it exists."))
]
PasswordOption = Annotated[
    Optional[str],
    typer.Option(
        "--password",
        envvar="QBPLAN_PASSWORD",
        help=h(
            "Mật khẩu mở tệp được mã hóa (nên dùng biến môi trường QBPLAN_PASSWORD).",
            "Password for encrypted workbooks (prefer the QBPLAN_PASSWORD variable).",
        ),
        show_default=False,
    ),
]
RegisterOption = Annotated[
    Optional[list[Path]],
    typer.Option(
        "--register",
        "-r",
        help=h(
            "Danh mục đơn vị phải báo cáo (.xlsx, .ods, .xls, hoặc một tệp .csv mỗi trang; có thể ghi nhiều lần). "
            "Mặc định: danh mục ghi trong tệp chỉ tiêu, nếu có.",
            "The register of units that must report (.xlsx, .ods, .xls, or one .csv per sheet; may be repeated). "
            "Default: the register the targets file names, if any.",
        ),
        show_default=False,
        metavar=h("DANH_MỤC", "REGISTER"),
    ),
]


def register_paths(paths: list[Path] | None) -> tuple[str, ...] | None:
    """``--register`` as CheckOptions takes it: None (not given) lets the targets file name one."""
    return tuple(str(p) for p in paths) if paths else None


PeriodOption = Annotated[
    Optional[str],
    typer.Option(
        "--period",
        help=h(
            "Kỳ báo cáo: 2024, 2024-Q1 (quý), 2024-H1 (6 tháng), 2024-03 (tháng). Chọn mốc của năm đó nếu có.",
            "Reporting period: 2024, 2024-Q1 (quarter), 2024-H1 (half), 2024-03 (month). Picks that year's milestones.",
        ),
        show_default=False,
        metavar=h("KỲ", "PERIOD"),
    ),
]
DbOption = Annotated[
    # Text, not a Path: a Path would fold the // of postgresql://host/db.
    Optional[str],
    typer.Option(
        "--db",
        help=h(
            "Cơ sở dữ liệu lịch sử: tệp SQLite, hoặc máy chủ postgresql://người_dùng:mật_khẩu@máy/csdl. "
            "Mặc định: biến QBPLAN_DB, nếu không thì qbplan.db ở thư mục hiện tại.",
            "The history database: an SQLite file, or a server postgresql://user:password@host/db. "
            "Default: QBPLAN_DB, else qbplan.db in the current folder.",
        ),
        show_default=False,
        metavar=h("TỆP|URL", "FILE|URL"),
    ),
]

TimeoutOption = Annotated[
    float,
    typer.Option(
        "--timeout",
        min=1,
        max=MAX_TIMEOUT,
        help=h("Thời gian tối đa (giây) để đọc một tệp.", "Most seconds one file may take to read."),
    ),
]
MaxMemoryOption = Annotated[
    Optional[int],
    typer.Option(
        "--max-memory-mb",
        min=MIN_MEMORY_MB,
        max=MAX_MEMORY_MB,
        help=h(
            "Bộ nhớ tối đa (MB) mà tiến trình đọc một tệp được dùng thêm. Mặc định: không giới hạn.",
            "Most MB of memory the process reading one file may take on. Default: no limit.",
        ),
    ),
]


def targets_from(targets: Path | None, plan: str | None) -> Any:
    """The targets of ``--plan`` or ``--targets`` (or the default file), plan_targets."""
    from qbplan.config.targets import load_targets, plan_path

    if plan is not None and targets is not None:
        raise QbplanError("usage-plan-and-targets")
    return load_targets(plan_path(plan.strip().lower()) if plan is not None else targets)


MB = 1024 * 1024


def as_bytes(megabytes: int | None) -> int | None:
    """A --max-memory value in bytes; None (no limit) stays None."""
    return megabytes * MB if megabytes else None


def plan_in_use() -> str:
    """The title of the plan a check here would use (./targets.yaml, else the bundled file), read cheaply.

    Help must stay fast, so no YAML parser or Pydantic: the plan's title line is
    read as text. Whatever goes wrong, help names no plan rather than fail.
    """
    path = resolve_targets_path(None)
    key = "title_en:" if HELP_LANG == "en" else "title_vi:"
    try:
        with open(path, encoding="utf-8-sig") as fh:
            for line in itertools.islice(fh, 200):
                if line.strip().startswith(key):
                    return f" ({line.split(':', 1)[1].strip().strip(chr(34))}, {path})"
    except OSError:
        pass
    return ""


# qbplan serve and qbplan serve users: where the intake keeps its files and records.
DEFAULT_INTAKE_FOLDER = Path("qbplan-intake")
IntakeFolderOption = Annotated[
    Path,
    typer.Option(
        "--folder",
        help=h(
            "Thư mục lưu các tệp đã nhận và cơ sở dữ liệu tiếp nhận.",
            "The folder for the files received and the intake database.",
        ),
    ),
]
IntakeDbOption = Annotated[
    Optional[str],
    typer.Option(
        "--db",
        help=h(
            "Cơ sở dữ liệu tiếp nhận: đường dẫn tệp SQLite hoặc postgresql://… (mặc định THƯ_MỤC/intake.db).",
            "The intake database: an SQLite file path or postgresql://… (default FOLDER/intake.db).",
        ),
        show_default=False,
    ),
]
