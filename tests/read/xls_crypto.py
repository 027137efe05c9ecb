"""An RC4-encrypted .xls for tests, made the way Excel 97-2003 encrypts.

msoffcrypto-tool decrypts .xls but does not encrypt it, and no writer here
does, so the fixture is built: the WriteAccess record (112 bytes, right after
the interface records) becomes a FilePass record of the same size, and every
record body after BOF is XORed with the RC4 key stream at its position in the
Workbook stream (re-keyed every 1024 bytes), as [MS-XLS] 2.2.10 says. The
stream keeps its size, so the OLE container is rewritten in place.
"""

from __future__ import annotations

import io
import os
import struct
from hashlib import md5
from pathlib import Path

_BOF, _FILEPASS, _WRITEACCESS, _BOUNDSHEET = 0x0809, 0x002F, 0x005C, 0x0085
# Records that are never encrypted ([MS-XLS] 2.2.10).
_CLEAR = {0x0809, 0x002F, 0x0194, 0x0195, 0x00E1, 0x0138, 0x0196}


def _key_stream(password: str, salt: bytes, size: int) -> bytes:
    from msoffcrypto.method.rc4 import DocumentRC4

    # RC4 is its own inverse: "decrypting" zeros gives the key stream.
    return DocumentRC4.decrypt(password, salt, io.BytesIO(bytes(size)), blocksize=1024).read()


def _filepass(password: str, salt: bytes, size: int) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher

    try:
        from cryptography.hazmat.decrepit.ciphers.algorithms import ARC4
    except ImportError:  # older cryptography
        from cryptography.hazmat.primitives.ciphers.algorithms import ARC4  # type: ignore[no-redef]
    from msoffcrypto.method.rc4 import _makekey

    verifier = os.urandom(16)
    encryptor = Cipher(ARC4(_makekey(password, salt, 0)), mode=None).encryptor()
    sealed = encryptor.update(verifier) + encryptor.update(md5(verifier).digest())
    body = struct.pack("<HHH", 1, 1, 1) + salt + sealed  # RC4, version 1.1
    return body + bytes(size - len(body))


def _cover_padding(stream: bytearray) -> None:
    """xlwt pads the stream with zeros to a sector; make the padding one record, as readers walk records."""
    pos = end = 0
    while pos + 4 <= len(stream):
        num, size = struct.unpack_from("<HH", stream, pos)
        pos += 4 + size
        if num == 0x000A:  # EOF: the padding starts after the last one
            end = pos
    if len(stream) - end >= 4:
        struct.pack_into("<HH", stream, end, 0, len(stream) - end - 4)


def encrypt_xls(plain: Path, target: Path, password: str = "VelvetSweatshop") -> Path:
    """Write ``plain`` (an unencrypted .xls) to ``target`` encrypted with ``password``."""
    import olefile

    target.write_bytes(plain.read_bytes())
    with olefile.OleFileIO(str(target), write_mode=True) as ole:
        stream = bytearray(ole.openstream("Workbook").read())
        _cover_padding(stream)
        salt = os.urandom(16)
        keys = _key_stream(password, salt, len(stream))
        pos = 0
        while pos + 4 <= len(stream):
            num, size = struct.unpack_from("<HH", stream, pos)
            body = pos + 4
            if num == _WRITEACCESS:
                struct.pack_into("<H", stream, pos, _FILEPASS)
                stream[body : body + size] = _filepass(password, salt, size)
            elif num not in _CLEAR:
                start = body + 4 if num == _BOUNDSHEET else body  # lbPlyPos stays clear
                for i in range(start, body + size):
                    stream[i] ^= keys[i]
            pos = body + size
        ole.write_stream("Workbook", bytes(stream))
    return target
