"""Text from submissions is data in every format: it never acts on a terminal, a page, a parser or a comment."""

from __future__ import annotations

import dataclasses
import io
import json
from xml.etree import ElementTree

import openpyxl
import pytest

from qbplan.model.findings import Finding
from qbplan.model.report import Report
from qbplan.render import RenderOptions, get_renderer
from qbplan.render.safe import markdown_text, visible

HOSTILE = [
    "[/]",
    "[/bold]oops",
    "[link=http://evil.example/]CLICKME[/link]",
    "\x1b[2J\x1b]0;TITLE\x07",
    "ok\nqbplan: all 14 targets met",
    "abc\u202egpj.exe",
    "a\x01b",
    "\udcff\udcfe.xlsx",
]


def _hostile(report: Report) -> Report:
    findings = [
        Finding(
            code="not-a-number",
            severity="error",
            params={"label": text},
            file=text,
            sheet=text,
            row=5,
            column="so_cbcc",
            cell="G5",
            value=text,
        )
        for text in HOSTILE
    ]
    return dataclasses.replace(report, errors=findings, plan_title_vi="[bold]QH\x1b[31m")


def _render(fmt: str, report: Report, **options: object) -> str:
    out = io.BytesIO() if fmt == "xlsx" else io.StringIO()
    get_renderer(fmt)(report, out, RenderOptions(max_findings=50, **options))  # type: ignore[arg-type]
    return "" if fmt == "xlsx" else out.getvalue()  # type: ignore[return-value]


@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "junit", "csv"])
def test_no_control_character_reaches_a_human_format(fmt: str, report: Report) -> None:
    text = _render(fmt, _hostile(report), color=False, width=200)
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text and "\x01" not in text
    if fmt in ("table", "html"):
        assert "\\x1b[2J" in text  # shown, escaped, not dropped
    elif fmt == "markdown":
        assert "\\\\x1b\\[2J" in text  # and Markdown's own escapes on top
    text.encode("utf-8")  # no lone surrogate: the bad file-name bytes are shown as \\xff


def test_rich_markup_in_data_is_shown_not_interpreted(report: Report) -> None:
    text = _render("table", _hostile(report), color=False, width=300)
    assert "[/bold]oops" in text and "[link=http://evil.example/]CLICKME[/link]" in text
    assert "[bold]QH" in text


def test_a_forged_line_stays_on_its_own_line(report: Report) -> None:
    text = _render("table", _hostile(report), color=False, width=300)
    assert not any(line.startswith("qbplan: all 14 targets met") for line in text.splitlines())


def test_markdown_neutralises_mentions_links_images_and_html() -> None:
    text = markdown_text("@all ![x](http://e.x/p.png) <img src=x onerror=alert(1)> [a](b) `tick`")
    assert "@all" not in text and "@\u200ball" in text
    assert "![" not in text and "<img" not in text and "](" not in text and "`" not in text.replace("\\`", "")


def test_json_stays_valid_utf8_with_an_undecodable_file_name(report: Report) -> None:
    doc = json.loads(_render("json", _hostile(report)).encode("utf-8"))
    assert "\\xff\\xfe.xlsx" in [e["file"] for e in doc["errors"]]


def test_junit_parses(report: Report) -> None:
    ElementTree.fromstring(_render("junit", _hostile(report)).encode("utf-8"))


def test_xlsx_is_written_and_reopens(report: Report) -> None:
    out = io.BytesIO()
    get_renderer("xlsx")(_hostile(report), out, RenderOptions())
    ws = openpyxl.load_workbook(io.BytesIO(out.getvalue())).worksheets[1]
    assert "a\\x01b" in [c.value for c in ws["G"]]


def test_visible_escapes() -> None:
    assert visible("a\x1bb\u202ec\udcff") == "a\\x1bb<U+202E>c\\xff"
