"""A file's SHA-256: what a saved run records of each input, and what the intake stores files by."""

from __future__ import annotations

import hashlib
import os


def sha256_of(path: str | os.PathLike[str]) -> tuple[str, int] | None:
    """The SHA-256 and size of a regular file, read in blocks; None when it cannot be read."""
    try:
        if not os.path.isfile(path):
            return None
        digest = hashlib.sha256()
        size = 0
        with open(path, "rb") as fh:
            while block := fh.read(1 << 20):
                digest.update(block)
                size += len(block)
    except OSError:
        return None
    return digest.hexdigest(), size


def sha256_hex(path: str | os.PathLike[str]) -> str:
    """The file's SHA-256 alone; "" when it cannot be read (so it matches no stored hash)."""
    found = sha256_of(path)
    return found[0] if found is not None else ""
