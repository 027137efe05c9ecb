"""Planner accounts: roles, what each may do, the password rule and the hash.

Why argon2-cffi: the reference binding of Argon2id, the password hash OWASP
recommends, maintained by the author of ``attrs``; hashes carry their own
parameters, so a later, stronger setting re-hashes at the next sign-in.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from typing import Literal

Role = Literal["viewer", "reviewer", "admin"]
# In order of what each may do: every role may do what the roles before it may.
ROLES: tuple[Role, ...] = ("viewer", "reviewer", "admin")
# The shortest password taken, and the name rule (shown in the audit trail and on pages).
MIN_PASSWORD_LENGTH = 12
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._@-]{0,63}")
# The actor recorded for the start-up token, before any admin account exists.
TOKEN_ACTOR = ""


@dataclass(frozen=True)
class Account:
    """A named planner: their role and, when limited, the register group of the units they see."""

    name: str
    role: Role
    unit_group: str  # "" for every unit
    created_at: _dt.datetime | None = None
    disabled_at: _dt.datetime | None = None

    @property
    def active(self) -> bool:
        """Whether the account may sign in."""
        return self.disabled_at is None

    def may(self, needed: Role) -> bool:
        """Whether this account's role includes ``needed``."""
        return ROLES.index(self.role) >= ROLES.index(needed)

    def sees(self, group: str) -> bool:
        """Whether a unit of this register group is among the units this account sees."""
        return not self.unit_group or self.unit_group == group


# The start-up token's holder: the first admin, until an admin account exists.
BOOTSTRAP = Account(TOKEN_ACTOR, "admin", "")


def password_problem(name: str, password: str) -> str | None:
    """Why a password is refused ("account-weak-password"), or None when it is taken.

    At least 12 characters, not made of the account's name, not one character repeated.
    """
    if len(password) < MIN_PASSWORD_LENGTH or len(set(password)) < 4 or name.lower() in password.lower():
        return "account-weak-password"
    return None


def name_problem(name: str) -> str | None:
    """Why an account name is refused ("account-bad-name"), or None."""
    return None if NAME_PATTERN.fullmatch(name) else "account-bad-name"


def hasher() -> object:
    """The argon2id hasher, with the library's current recommended parameters."""
    from argon2 import PasswordHasher

    return PasswordHasher()
