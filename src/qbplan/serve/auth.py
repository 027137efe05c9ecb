"""Who may open what: a unit by its link, a planner by a session and a role. Each check is one call that raises.

Routes declare what they need as a dependency (``Depends(needs("reviewer"))``,
``Depends(posts("admin"))`` for a form that changes something, with its CSRF
token); the app turns the exceptions below into the login redirect, the 403
page and the 404 page, in one place (:func:`qbplan.serve.app.create_app`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Form, Request

from qbplan.intake.accounts import Account, Role
from qbplan.intake.store import Submission
from qbplan.serve import security
from qbplan.serve.service import UnitInfo, submission_of
from qbplan.serve.views import service_of

PLANNER_COOKIE = "qbplan_planner"


class SignInNeeded(Exception):
    """No planner is signed in (or the session ended): the login page."""


class Forbidden(Exception):
    """Signed in, but the role does not allow it, or the form's CSRF token is wrong: 403."""

    def __init__(self, needed: Role | None = None) -> None:
        super().__init__(needed or "csrf")
        self.needed = needed


class NotFound(Exception):
    """No such page for this link or this planner (another unit's submission looks the same as none): 404."""


@dataclass(frozen=True)
class Planner:
    """The signed-in planner of a request: their account, session id, the forms' CSRF token and their address."""

    account: Account
    session: str
    csrf: str
    address: str

    @property
    def name(self) -> str:
        """The name kept in the audit trail ("" for the start-up token)."""
        return self.account.name


def address_of(request: Request) -> str:
    """The client's address, as the audit trail and the sign-in throttle keep it."""
    return request.client.host if request.client else ""


def signed_in(request: Request) -> Planner | None:
    """The planner whose session the cookie carries, while it lasts and its account is active; else None."""
    service = service_of(request)
    session = request.cookies.get(PLANNER_COOKIE, "")
    account = service.store.session_account(session) if session else None
    if account is None:
        return None
    return Planner(account, session, security.csrf_token(service.secret, session), address_of(request))


def needs(role: Role) -> Callable[[Request], Planner]:
    """The dependency of a page that needs ``role``: the planner, or :class:`SignInNeeded` / :class:`Forbidden`."""

    def dependency(request: Request) -> Planner:
        who = signed_in(request)
        if who is None:
            raise SignInNeeded
        if not who.account.may(role):
            raise Forbidden(role)
        return who

    dependency.role = role  # type: ignore[attr-defined]  # read by the test that holds routes to roles
    return dependency


def posts(role: Role) -> Callable[..., Planner]:
    """The dependency of a form that changes something: :func:`needs` and the form's CSRF token."""
    check = needs(role)

    def dependency(request: Request, csrf: str = Form("")) -> Planner:
        who = check(request)
        if not security.same(csrf, who.csrf):
            raise Forbidden
        return who

    dependency.role = role  # type: ignore[attr-defined]
    return dependency


def unit_of_link(request: Request, token: str) -> UnitInfo:
    """The unit a link belongs to, or :class:`NotFound`."""
    unit = service_of(request).unit_of(token)
    if unit is None:
        raise NotFound
    return unit


def unit_posts(request: Request, token: str, csrf: str = Form("")) -> UnitInfo:
    """The unit of a link that sends a form, with the form's CSRF token checked."""
    unit = unit_of_link(request, token)
    if not security.same(csrf, security.csrf_token(service_of(request).secret, token)):
        raise Forbidden
    return unit


def sees_unit(request: Request, who: Planner, unit_key: str) -> bool:
    """Whether the planner's account sees this unit (an account may be limited to a register group)."""
    unit = service_of(request).units.get(unit_key)
    return who.account.sees(unit.group if unit is not None else "")


def submission_seen(request: Request, who: Planner, number: str) -> Submission:
    """The submission a path names, when it is one and of a unit the planner sees; else :class:`NotFound`."""
    found = submission_of(service_of(request), number)
    if found is None or not sees_unit(request, who, found.unit_key):
        raise NotFound
    return found


# What a route declares it needs, as the type of one parameter.
Viewer = Annotated[Planner, Depends(needs("viewer"))]
Admin = Annotated[Planner, Depends(needs("admin"))]
ReviewerPost = Annotated[Planner, Depends(posts("reviewer"))]
AdminPost = Annotated[Planner, Depends(posts("admin"))]
LinkUnit = Annotated[UnitInfo, Depends(unit_of_link)]
LinkUnitPost = Annotated[UnitInfo, Depends(unit_posts)]
