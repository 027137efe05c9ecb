"""The parts of an Office Open XML package, found as Excel finds them: through relationships.

A workbook part is not always ``xl/workbook.xml``: the package's
``_rels/.rels`` says where the main document is, and some writers put it
elsewhere or store part names with backslashes. Names are looked up
normalised (forward slashes, no leading slash).
"""

from __future__ import annotations

import posixpath
import zipfile
from xml.etree import ElementTree

_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFFICE_DOCUMENT = "/officeDocument"


def _normal(name: str) -> str:
    return name.replace("\\", "/").lstrip("/")


class Package:
    """A zip read as an OPC package: parts by normalised name, and their relationships."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.members = {_normal(info.filename): info.filename for info in zf.infolist() if not info.is_dir()}
        self._lower = {name.lower(): member for name, member in self.members.items()}

    def member(self, part: str) -> str | None:
        """The zip member holding ``part``, matched as Excel does (slashes normalised, case folded)."""
        part = _normal(part)
        return self.members.get(part) or self._lower.get(part.lower())

    def read(self, part: str) -> bytes:
        member = self.member(part)
        if member is None:
            raise KeyError(part)
        return self.zf.read(member)

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, target part) of ``part`` ("" for the package itself)."""
        folder, name = posixpath.split(_normal(part))
        rels = self.member(posixpath.join(folder, "_rels", f"{name}.rels"))
        if rels is None:
            return {}
        out = {}
        for rel in ElementTree.fromstring(self.zf.read(rels)):
            if rel.tag != f"{_NS_PKG_REL}Relationship" or rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "").replace("\\", "/")
            resolved = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            out[rel.get("Id", "")] = (rel.get("Type", ""), posixpath.normpath(resolved))
        return out

    def workbook(self) -> str | None:
        """The main workbook part (``xl/workbook.xml`` or ``.bin`` usually), or None when there is none."""
        for kind, target in self.relationships("").values():
            if kind.endswith(_OFFICE_DOCUMENT) and self.member(target) is not None:
                return target
        for fallback in ("xl/workbook.xml", "xl/workbook.bin"):
            if self.member(fallback) is not None:
                return fallback
        return None
