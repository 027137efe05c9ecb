"""Secrets of the intake: per-unit link tokens, the planner's session, and CSRF tokens.

Every token is an HMAC of the server's secret, so nothing but the secret is
stored; every comparison is in constant time (:func:`hmac.compare_digest`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

SECRET_FILE = "secret.key"


def load_secret(folder: Path) -> bytes:
    """The server's secret, made once (0600) in ``folder``: unit links stay valid across restarts."""
    path = folder / SECRET_FILE
    if path.exists():
        return path.read_bytes()
    folder.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(secret)
    return secret


def _mac(secret: bytes, purpose: str, value: str) -> str:
    digest = hmac.new(secret, f"{purpose}\0{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:20]).decode().rstrip("=")


def unit_token(secret: bytes, unit_key: str) -> str:
    """The secret part of a unit's link: who holds it can see and send that unit's submissions only."""
    return _mac(secret, "unit", unit_key)


def csrf_token(secret: bytes, subject: str) -> str:
    """The token every form of ``subject``'s pages carries (a unit's link token, or the planner's session)."""
    return _mac(secret, "csrf", subject)


def planner_session(secret: bytes, planner_token: str) -> str:
    """The planner's session cookie: derived from the token given at start, never the token itself."""
    return _mac(secret, "planner", planner_token)


def same(a: str, b: str) -> bool:
    """Whether two tokens are equal, in constant time."""
    return hmac.compare_digest(a.encode(), b.encode())
