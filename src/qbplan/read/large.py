"""Which sheets are large enough for the bulk screen (qbplan.validate.screen).

A light module: the screen needs numpy, pandas and pyarrow, and a worker that
reads only small sheets must not pay for importing them.
"""

from __future__ import annotations

import zipfile

# Sheets whose XML unpacks to less than this go the row path: for them it is
# as fast, and it imports no pyarrow.
FAST_MIN_BYTES = 16 * 1024 * 1024


def is_large(zf: zipfile.ZipFile, member: str) -> bool:
    """Whether an .xlsx sheet is big enough for the bulk screen."""
    try:
        return zf.getinfo(member).file_size >= FAST_MIN_BYTES
    except KeyError:
        return False
