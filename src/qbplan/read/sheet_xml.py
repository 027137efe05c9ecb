"""Pieces of a sheet's XML, found with byte searches and parsed one at a time.

A large sheet is never parsed whole in Python (~250 µs a row). The cell
audit (qbplan.read.probe) parses only the cells that hold a formula or an
error; the doubtful rows' reader (qbplan.read.xlsx_rows) only the rows it
wants. Both cut an element out of the unpacked bytes and parse it inside the
sheet's own root start tag, so that its namespaces (x14ac:dyDescent and the
like) resolve.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

# The sheet's root start tag, unprefixed: a prefixed sheet (<x:worksheet>)
# prefixes its rows and cells too, and the byte searches look for <row and <c.
_ROOT = re.compile(rb"<worksheet\b[^>]*>")


def root_tag(buf: bytes) -> bytes | None:
    """The sheet's root start tag with its namespaces, if ``buf`` (the start of the XML) holds it whole."""
    found = _ROOT.search(buf)
    return found.group() if found else None


def element_end(buf: bytes, start: int, name: bytes) -> int | None:
    """Where the element ``<name …>`` starting at ``start`` ends (past its ``</name>``, or its ``/>``).

    None when it ends past ``buf``.
    """
    close = buf.find(b">", start)
    if close < 0:
        return None
    if buf[close - 1 : close] == b"/":
        return close + 1  # an empty element
    end = buf.find(b"</" + name + b">", close)
    return None if end < 0 else end + len(name) + 3


def parse_in(root: bytes, fragment: bytes) -> ElementTree.Element:
    """The one element ``fragment`` holds, parsed inside the sheet's root start tag ``root``."""
    (element,) = ElementTree.fromstring(root + fragment + b"</worksheet>")
    return element
