"""Text from submissions made safe to show: what a cell, a sheet name or a file name holds is data.

Submissions come from many hands. A cell may hold terminal escape sequences
(``\\x1b[2J``), a BEL that retitles the terminal, a newline that forges a log
line, a right-to-left override (U+202E) that reverses what follows, or bytes
that are not UTF-8 at all in a file name. None of it may act: every human
format shows such characters visibly escaped, and every XML writer gets text
it can store.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, and the bidirectional formatting characters.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Lone surrogates: os.fsdecode's way of keeping bytes that are not UTF-8.
_SURROGATE = re.compile("[\udc80-\udcff]")
# What XML 1.0 cannot hold at all (besides the surrogates above).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"<U+{code:04X}>"


def _byte(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()) - 0xDC00:02x}"


def visible(text: str) -> str:
    """``text`` with every control, bidi override and undecodable byte shown as an escape (``\\x1b``)."""
    return _UNSAFE.sub(_escape, _SURROGATE.sub(_byte, text))


def valid_unicode(text: str) -> str:
    """``text`` encodable as UTF-8: undecodable file-name bytes shown as ``\\xff`` (for JSON and CSV)."""
    return _SURROGATE.sub(_byte, text)


def xml_text(text: str) -> str:
    """``text`` an XML 1.0 document can hold: forbidden characters and bytes escaped visibly."""
    return _NOT_XML.sub(_escape, _SURROGATE.sub(_byte, text))


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")
_MENTION = re.compile(r"@(?=\w)")


def markdown_text(text: str) -> str:
    """Text inert in GitHub/GitLab Markdown: no markup, links, images, raw HTML or @mentions."""
    text = visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MENTION.sub("@\u200b", text)
