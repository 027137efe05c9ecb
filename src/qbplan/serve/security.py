"""Secrets of the intake: the secret its links are made from, per-unit link tokens, and CSRF tokens.

Every token is an HMAC of the server's secret, so nothing but the secret is
stored; every comparison is in constant time (:func:`hmac.compare_digest`).
The planner's sessions are random ids kept by the store (qbplan.intake.store).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import secrets
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from qbplan.errors import QbplanError

if TYPE_CHECKING:
    from qbplan.intake.store import IntakeStore

SECRET_FILE = "secret.key"
SECRET_BYTES = 32


def load_secret(folder: Path) -> bytes:
    """The server's secret in ``folder``, checked: present, owner-only, of its full length.

    Refused with one line (exit 2) when missing (``serve-secret-missing``),
    readable by other accounts (``serve-secret-open``) or empty or short
    (``serve-secret-damaged``): a link made from a weak secret can be
    computed by anyone from the public unit codes.
    """
    found = read_secret(folder)
    if found is None:
        raise QbplanError("serve-secret-missing", file=str(folder / SECRET_FILE))
    return found


def read_secret(folder: Path) -> bytes | None:
    """:func:`load_secret`, with None instead of a refusal when there is no secret file."""
    path = folder / SECRET_FILE
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None
    if stat.S_IMODE(mode) & 0o077:
        raise QbplanError("serve-secret-open", file=str(path), mode=f"{stat.S_IMODE(mode):04o}")
    data = path.read_bytes()
    if len(data) != SECRET_BYTES:
        raise QbplanError("serve-secret-damaged", file=str(path), size=len(data), expected=SECRET_BYTES)
    return data


def create_secret(folder: Path, *, replace: bool = False) -> bytes:
    """A new secret, written whole (0600, synced) before it takes the name: never a half or empty file.

    ``replace`` puts it over the old one (rotating every link); else an existing file is never touched.
    """
    path = folder / SECRET_FILE
    secret = secrets.token_bytes(SECRET_BYTES)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".secret-", suffix=".tmp")  # 0600
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(secret)
            out.flush()
            os.fsync(out.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails if a secret appeared meanwhile: never two secrets
            os.unlink(tmp)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise QbplanError("serve-secret-unwritable", file=str(path), detail=exc.strerror or str(exc)) from None
    return secret


# The store's settings: the secret's fingerprint (every store), and the secret itself (a server store).
FINGERPRINT = "secret_fingerprint"
SHARED = "link_secret"


def links_secret(folder: Path, store: IntakeStore, *, rotate: bool = False) -> bytes:
    """The links' secret: made on a first start, else the one known; a new one only when ``rotate`` asks.

    On SQLite it is the folder's ``secret.key``, recognised by the fingerprint the store keeps: a
    secret that went missing or was swapped stops the start (made again silently, it would turn
    every link already sent into a 404). On a server store (several intake servers, no shared disk)
    the database holds it: the first server to start offers its folder's secret, or a new one, and
    every later server uses the one kept; a folder's own file is then not read.
    """
    known = store.setting(FINGERPRINT)
    if store.is_server:
        secret = _shared(folder, store, known, rotate)
    elif rotate:
        secret = create_secret(folder, replace=True)
    else:
        found = read_secret(folder)
        path = str(folder / SECRET_FILE)
        if found is None and known is not None:
            raise QbplanError("serve-secret-missing", file=path)
        if found is not None and known is not None and not same(known, fingerprint(found)):
            raise QbplanError("serve-secret-other", file=path)
        secret = found if found is not None else create_secret(folder)
    store.set_setting(FINGERPRINT, fingerprint(secret))
    return secret


def known_links_secret(folder: Path, store: IntakeStore) -> bytes:
    """The secret the running round's links are made from, read only (for ``--links`` and reminders).

    An intake never started (its first admin added ahead) has made no links yet: said so, not as a
    secret gone missing.
    """
    if store.setting(FINGERPRINT) is None:
        raise QbplanError("serve-not-started", folder=str(folder))
    if not store.is_server:
        return load_secret(folder)
    kept = store.setting(SHARED)
    if kept is None:
        raise QbplanError("serve-secret-missing", file=_where(store))
    return _from_hex(kept, store)


def _shared(folder: Path, store: IntakeStore, known: str | None, rotate: bool) -> bytes:
    if rotate:
        secret = secrets.token_bytes(SECRET_BYTES)
        store.set_setting(SHARED, secret.hex())
        return secret
    kept = store.setting(SHARED)
    if kept is not None:
        return _from_hex(kept, store)
    # A round begun before the secret moved into the database: its links came from a folder's file.
    found = read_secret(folder)
    if known is not None and (found is None or not same(known, fingerprint(found))):
        code = "serve-secret-missing" if found is None else "serve-secret-other"
        raise QbplanError(code, file=str(folder / SECRET_FILE))
    offered = found if found is not None else secrets.token_bytes(SECRET_BYTES)
    return _from_hex(store.setting_once(SHARED, offered.hex()), store)


def _from_hex(kept: str, store: IntakeStore) -> bytes:
    """The secret as the store keeps it (hex); one of the wrong length is refused as a damaged file is."""
    try:
        secret = bytes.fromhex(kept)
    except ValueError:
        secret = b""
    if len(secret) != SECRET_BYTES:
        raise QbplanError("serve-secret-damaged", file=_where(store), size=len(secret), expected=SECRET_BYTES)
    return secret


def _where(store: IntakeStore) -> str:
    from qbplan.storage.location import redacted

    return f"{redacted(store.url)} ({SHARED})"


def fingerprint(secret: bytes) -> str:
    """What the store keeps of the secret: enough to recognise it, nothing to make a link with."""
    return hmac.new(secret, b"qbplan secret fingerprint", hashlib.sha256).hexdigest()


def _mac(secret: bytes, purpose: str, value: str) -> str:
    digest = hmac.new(secret, f"{purpose}\0{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:20]).decode().rstrip("=")


def tokens_by_hash(secret: bytes, unit_keys: Iterable[str]) -> dict[str, str]:
    """Each unit's key by the SHA-256 of its link token: looked up so, a comparison tells nothing of a token."""
    return {hashlib.sha256(unit_token(secret, key).encode()).hexdigest(): key for key in unit_keys}


def unit_token(secret: bytes, unit_key: str) -> str:
    """The secret part of a unit's link: who holds it can see and send that unit's submissions only."""
    return _mac(secret, "unit", unit_key)


def csrf_token(secret: bytes, subject: str) -> str:
    """The token every form of ``subject``'s pages carries (a unit's link token, or the planner's session)."""
    return _mac(secret, "csrf", subject)


def same(a: str, b: str) -> bool:
    """Whether two tokens are equal, in constant time."""
    return hmac.compare_digest(a.encode(), b.encode())
