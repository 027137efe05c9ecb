"""The options of ``check -f annex``: who files the annex, its report, who signs it (Decree 30/2020/NĐ-CP)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from qbplan.cli.options import h

if TYPE_CHECKING:  # pragma: no cover
    from qbplan.config.targets import Targets
    from qbplan.render.options import Annex

_PANEL = h("Phụ lục (-f annex)", "Annex (-f annex)")

AuthorityOption = Annotated[
    str,
    typer.Option(
        "--authority",
        help=h(
            "Cơ quan chủ quản, ví dụ 'UBND tỉnh Quảng Bình' (mặc định theo tệp chỉ tiêu).",
            "The parent authority, e.g. 'UBND tỉnh Quảng Bình' (default from the targets file).",
        ),
        rich_help_panel=_PANEL,
    ),
]
UnitOption = Annotated[
    str,
    typer.Option(
        "--unit",
        help=h(
            "Cơ quan, đơn vị báo cáo (mặc định theo tệp chỉ tiêu).",
            "The reporting unit (default from the targets file).",
        ),
        rich_help_panel=_PANEL,
    ),
]
ReportNumberOption = Annotated[
    str,
    typer.Option(
        "--report-number",
        help=h("Số báo cáo, ví dụ 123/BC-SKHCN.", "The report's number, e.g. 123/BC-SKHCN."),
        rich_help_panel=_PANEL,
    ),
]
ReportDateOption = Annotated[
    str,
    typer.Option(
        "--report-date",
        help=h("Ngày báo cáo, ví dụ 15/12/2025.", "The report's date, e.g. 15/12/2025."),
        rich_help_panel=_PANEL,
    ),
]
SignerOption = Annotated[str, typer.Option("--signer", help=h("Người ký.", "Who signs it."), rich_help_panel=_PANEL)]
SignOffOption = Annotated[
    bool,
    typer.Option(
        "--sign-off/--no-sign-off",
        help=h("Có khối ký tên cuối phụ lục.", "End the annex with the signature block."),
        rich_help_panel=_PANEL,
    ),
]


def annex_from(
    targets: Targets,
    *,
    authority: str,
    unit: str,
    report_number: str,
    report_date: str,
    signer: str,
    sign_off: bool,
) -> Annex:
    """The annex's names: each option given, else the targets file's ``annex`` section."""
    from qbplan.render.options import Annex

    return Annex.of_plan(
        targets,
        unit=unit,
        report_number=report_number,
        signer=signer,
        authority=authority,
        report_date=report_date,
        sign_off=sign_off,
    )
