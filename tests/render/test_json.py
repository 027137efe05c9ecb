"""The JSON renderer's document."""

from __future__ import annotations

import io
import json
from fractions import Fraction

from qbplan.model.report import FileSummary, Report
from qbplan.render import RenderOptions, get_renderer
from tests.helpers import indicator_result


def test_rate_and_exact_rate() -> None:
    ind = indicator_result(numerator=1, denominator=3, target=Fraction(1, 3), goal="33 %", status="pass")
    nodata = indicator_result(id="y", numerator=0, denominator=0, status="no_data")
    report = Report(
        plan_id="p",
        plan_title_vi="p",
        plan_title_en="p",
        targets_file="t",
        indicators=[ind, nodata],
        errors=[],
        warnings=[],
        files=[FileSummary(file="f", readable=True)],
    )
    out = io.StringIO()
    get_renderer("json")(report, out, RenderOptions())
    doc = json.loads(out.getvalue())
    assert doc["indicators"][0]["rate_exact"] == "1/3" and doc["indicators"][0]["status"] == "pass"
    assert doc["indicators"][1]["rate"] is None and doc["indicators"][1]["rate_exact"] is None
    assert doc["summary"]["indicators"] == {"pass": 1, "warn": 0, "fail": 0, "incomplete": 0, "no_data": 1}
    assert doc["summary"]["exit_code"] == 1  # an indicator with no data has met nothing
