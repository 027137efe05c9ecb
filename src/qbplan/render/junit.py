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

from qbplan.i18n import format_int, format_percent, ui
from qbplan.render import RenderOptions
from qbplan.results.report import Finding, IndicatorResult, Report


def _failing(ind: IndicatorResult, report: Report) -> bool:
    if report.fail_on == "never":
        return False
    if report.fail_on == "warn":
        return ind.status != "pass"
    return ind.status == "fail"


def _numbers(ind: IndicatorResult, lang: str) -> str:
    return (
        f"{ind.id}: {format_percent(ind.rate, lang)} "
        f"({format_int(ind.numerator, lang)}/{format_int(ind.denominator, lang)}), "
        f"{ui('col.target', lang)} {ind.goal}: {ui(f'status.{ind.status}', lang)}"
    )


def _finding_line(f: Finding) -> str:
    where = " › ".join(p for p in (f.file, f.sheet, f.cell or (str(f.row) if f.row else None)) if p)
    return f"[{f.code}] {where}: {f.message}"


def render(report: Report, out: TextIO, options: RenderOptions) -> None:
    """Write the JUnit XML document."""
    lang = report.lang
    root = ET.Element("testsuites", name="qbplan")

    suite = ET.SubElement(root, "testsuite", name=f"qbplan.indicators: {report.plan_title}")
    failures = skipped = 0
    for ind in report.indicators:
        case = ET.SubElement(suite, "testcase", classname="qbplan.indicators", name=f"{ind.id} {ind.title}")
        text = _numbers(ind, lang)
        if _failing(ind, report):
            failures += 1
            node = ET.SubElement(case, "failure", message=text, type=ind.status)
            excluded = f"{ui('col.excluded', lang)}: {ind.excluded_rows}"
            node.text = f"{text}\n{excluded}\n{ind.source}"
        elif ind.status == "no_data":
            skipped += 1
            ET.SubElement(case, "skipped", message=text)
        else:
            ET.SubElement(case, "system-out").text = text
    suite.set("tests", str(len(report.indicators)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(skipped))

    by_file: dict[str | None, list[Finding]] = defaultdict(list)
    for f in report.errors:
        by_file[f.file].append(f)
    files = ET.SubElement(root, "testsuite", name="qbplan.files")
    errors = 0
    for summary in report.files:
        case = ET.SubElement(files, "testcase", classname="qbplan.files", name=summary.file)
        found = by_file.get(summary.file, [])
        counts = (
            f"{ui('col.rows', lang)}: {summary.rows_read}; {ui('col.excluded', lang)}: {summary.rows_excluded}; "
            f"{ui('col.blank', lang)}: {summary.blank_rows}; "
            f"{ui('col.layout', lang)}: {sum(summary.layout_rows.values())}; "
            f"{ui('col.errors', lang)}: {summary.errors}; {ui('col.warnings', lang)}: {summary.warnings}"
        )
        if found:
            errors += 1
            first = found[0]
            message = first.message if not summary.readable else f"{len(found)} × {first.code}: {first.message}"
            node = ET.SubElement(case, "error", message=message, type=first.code)
            node.text = "\n".join(_finding_line(f) for f in found)
        ET.SubElement(case, "system-out").text = counts
    files.set("tests", str(len(report.files)))
    files.set("failures", "0")
    files.set("errors", str(errors))

    root.set("tests", str(len(report.indicators) + len(report.files)))
    root.set("failures", str(failures))
    root.set("errors", str(errors))
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
