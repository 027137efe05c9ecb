"""``--format junit``: a JUnit XML test report for Jenkins and GitLab.

One suite of test cases, one per indicator: a missed target is a
``<failure>`` with its numbers (and, with ``--fail-on warn``, so is a warn or
no-data indicator). A second suite has one case per input file: an unreadable
file, or a file with invalid rows, is an ``<error>`` listing its findings.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TextIO
from xml.etree import ElementTree as ET

from qbplan.model.report import Report
from qbplan.render.options import RenderOptions
from qbplan.render.view import (
    Breakdown,
    CompletenessRow,
    FileRow,
    FindingRow,
    IndicatorRow,
    UnitRow,
    View,
    build_view,
)


def _failing(status: str, report: Report) -> bool:
    if report.fail_on == "never":
        return False
    if report.fail_on == "warn":
        return status != "pass"
    # As the exit code: a target missed, or perhaps missed (units did not report).
    return status in ("fail", "incomplete")


def _numbers(ind: IndicatorRow, view: View) -> str:
    return f"{ind.id}: {ind.rate} ({ind.fraction}), {view.label('col.target')} {ind.goal}: {ind.status_text}"


def _finding_line(f: FindingRow) -> str:
    return f"[{f.code}] {f.where}: {f.message}"


def _breakdown_lines(breakdown: Breakdown | None) -> list[str]:
    if breakdown is None:
        return []
    return [breakdown.heading] + [f"  {g.name}: {g.rate} ({g.fraction}) {g.status_text}" for g in breakdown.groups]


def _indicator_suite(root: ET.Element, view: View) -> int:
    report = view.report
    suite = ET.SubElement(root, "testsuite", name=f"qbplan.indicators: {view.plan}")
    # Which targets file and plan gave these results.
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="targets", value=view.targets_file)
    ET.SubElement(properties, "property", name="plan", value=report.plan_id)
    breakdowns = {b.id: b for b in view.breakdowns}
    outcomes = [_indicator_case(suite, ind, view, breakdowns.get(ind.id)) for ind in view.indicators]
    failures = outcomes.count("failure")
    _set_counts(suite, tests=len(outcomes), failures=failures, errors=0, skipped=outcomes.count("skipped"))
    return failures


def _indicator_case(suite: ET.Element, ind: IndicatorRow, view: View, breakdown: Breakdown | None) -> str:
    """One indicator's case; "failure", "skipped" (no data) or "" (passed)."""
    case = ET.SubElement(suite, "testcase", classname="qbplan.indicators", name=f"{ind.id} {ind.title}")
    text = _numbers(ind, view)
    outcome = ""
    if _failing(ind.status, view.report):
        outcome = "failure"
        node = ET.SubElement(case, "failure", message=text, type=ind.status)
        excluded = f"{view.label('col.excluded')}: {ind.excluded}"
        node.text = "\n".join(x for x in (text, ind.note, excluded, ind.result.source) if x)
    elif ind.status == "no_data":
        outcome = "skipped"
        ET.SubElement(case, "skipped", message=text)
    ET.SubElement(case, "system-out").text = "\n".join([text, *_breakdown_lines(breakdown)])
    return outcome


def _set_counts(suite: ET.Element, **counts: int) -> None:
    """The suite's totals as JUnit readers expect them, in the order given."""
    for key, value in counts.items():
        suite.set(key, str(value))


def _file_suite(root: ET.Element, view: View) -> int:
    by_file: dict[str | None, list[FindingRow]] = defaultdict(list)
    for f in view.errors:
        by_file[f.finding.file].append(f)
    files = ET.SubElement(root, "testsuite", name="qbplan.files")
    errors = sum(_file_case(files, row, view, by_file.get(row.file, [])) for row in view.files)
    _set_counts(files, tests=len(view.files), failures=0, errors=errors)
    return errors


def _file_case(suite: ET.Element, row: FileRow, view: View, found: list[FindingRow]) -> bool:
    """One file's case, an error when it has any (the first said, all listed); whether it has."""
    case = ET.SubElement(suite, "testcase", classname="qbplan.files", name=row.file)
    if found:
        first = found[0]
        message = first.message if not row.summary.readable else f"{len(found)} × {first.code}: {first.message}"
        node = ET.SubElement(case, "error", message=message, type=first.code)
        node.text = "\n".join(_finding_line(f) for f in found)
    counts = (
        ("col.rows", row.rows),
        ("col.excluded", row.excluded),
        ("col.blank", row.blank),
        ("col.layout", row.layout),
        ("col.errors", row.errors),
        ("col.warnings", row.warnings),
    )
    ET.SubElement(case, "system-out").text = "; ".join(f"{view.label(key)}: {value}" for key, value in counts)
    return bool(found)


def _unit_line(u: UnitRow) -> str:
    return " · ".join(p for p in (u.group, u.key, u.name, u.where) if p)


def _completeness_suite(root: ET.Element, view: View) -> int:
    """One case per form sheet with a register: a failure when a unit is missing or unknown."""
    if not view.completeness:
        return 0
    suite = ET.SubElement(root, "testsuite", name="qbplan.completeness")
    failures = sum(_completeness_case(suite, c, view) for c in view.completeness)
    _set_counts(suite, tests=len(view.completeness), failures=failures, errors=0)
    return failures


def _completeness_case(suite: ET.Element, c: CompletenessRow, view: View) -> bool:
    """One register's case; whether it failed (a unit missing or unknown, unless --fail-on never)."""
    case = ET.SubElement(suite, "testcase", classname="qbplan.completeness", name=c.sheet)
    failed = bool(c.missing or c.unknown) and view.report.fail_on != "never"
    if failed:
        node = ET.SubElement(case, "failure", message=c.heading, type="incomplete")
        missing = [f"{view.label('title.missing')}: {_unit_line(u)}" for u in c.missing]
        node.text = "\n".join(missing + [f"{view.label('title.unknown')}: {_unit_line(u)}" for u in c.unknown])
    ET.SubElement(case, "system-out").text = f"{c.heading}\n{c.register}"
    return failed


def render(report: Report, out: TextIO, options: RenderOptions) -> None:
    """Write the JUnit XML document (every finding, whatever ``max_findings``)."""
    view = build_view(report, options.lang)
    root = ET.Element("testsuites", name="qbplan")
    failures = _indicator_suite(root, view)
    errors = _file_suite(root, view)
    failures += _completeness_suite(root, view)
    root.set("tests", str(len(report.indicators) + len(report.files) + len(report.completeness)))
    root.set("failures", str(failures))
    root.set("errors", str(errors))
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
