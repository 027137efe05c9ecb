"""A hostile report for the renderers: formula-like values, pipes, markup."""

from __future__ import annotations

from fractions import Fraction

import pytest

from qbplan.model.findings import Finding
from qbplan.model.report import FileSummary, Grouping, GroupResult, Report
from tests.helpers import indicator_result


@pytest.fixture
def report() -> Report:
    groups = (
        GroupResult(group="Lệ Thủy", numerator=3, denominator=4, status="pass"),
        GroupResult(group=None, numerator=0, denominator=1, status="fail"),
    )
    return Report(
        plan_id="p",
        plan_title_vi="Quy hoạch <CNTT> | 2025",
        plan_title_en="Quy hoạch <CNTT> | 2025",
        targets_file="targets.yaml",
        indicators=[
            indicator_result(
                id="ct01",
                title_vi="Hạ tầng | mạng",
                numerator=7,
                denominator=10,
                target=Fraction(7, 10),
                goal="70 %",
                status="pass",
                breakdown=groups,
            ),
            indicator_result(
                id="ct02",
                title_vi='=HYPERLINK("http://x")',
                numerator=1,
                denominator=3,
                target=Fraction(1),
                goal="100 %",
                status="fail",
                excluded_rows=2,
            ),
            indicator_result(id="ct03", numerator=0, denominator=0, status="no_data"),
        ],
        errors=[
            Finding(
                code="not-a-number",
                severity="error",
                params={"label": "<b>Số</b> | CBCC"},
                file="a|b.xlsx",
                sheet="co_quan",
                row=12,
                column="so_cbcc",
                cell="G12",
                value="=1+2",
            ),
            Finding(code="input-corrupt", severity="error", params={"file": "hong.xlsx"}, file="hong.xlsx"),
        ],
        warnings=[
            Finding(
                code="totals-mismatch",
                severity="warning",
                params={
                    "label": "Tổng cộng",
                    "column_label": "Số CBCC",
                    "stated": 66,
                    "computed": 65,
                    "scope_first": None,
                    "scope_last": None,
                },
                file="a|b.xlsx",
                sheet="co_quan",
                row=20,
                column="so_cbcc",
                cell="G20",
                value=66,
            )
        ],
        files=[
            FileSummary(
                file="a|b.xlsx",
                readable=True,
                sheets=("co_quan",),
                rows_read=10,
                rows_excluded=1,
                errors=1,
                warnings=1,
                layout_rows={"total": 2, "signoff": 3},
            ),
            FileSummary(file="hong.xlsx", readable=False, errors=1),
        ],
        by="huyen",
        grouping=Grouping("huyen", "Huyện", "Cấp tỉnh", "Province level"),
    )
