"""The middleware every response passes through: security headers, the body limit and its 413 page."""

from __future__ import annotations

from typing import Any

from qbplan.i18n import ui

# Every response: no caching (pages carry a unit's data), no referrer (a link is a secret), no sniffing,
# no framing, nothing loaded from elsewhere and no script.
SECURITY_HEADERS = (
    (b"cache-control", b"no-store"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"default-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'"),
)


class SecurityHeaders:
    """The security headers on every response, set in one place rather than by each route."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in SECURITY_HEADERS}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": [*kept, *SECURITY_HEADERS]}
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """Refuse a request body past ``limit`` bytes (413) before it is parsed or spooled to disk.

    Starlette's multipart parser spools a whole upload before the handler can
    look at its size: without this, one request could fill the disk. A
    declared Content-Length is refused at once; a chunked body is counted.
    """

    def __init__(self, app: Any, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _too_large(send, self.limit, scope)
            return
        seen, over = 0, False

        async def counted() -> Any:
            nonlocal seen, over
            if over:
                return {"type": "http.request", "body": b"", "more_body": False}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    # Cut here: the app sees a body that ends, and whatever it answers is replaced below.
                    over = True
                    return {"type": "http.request", "body": b"", "more_body": False}
            return message

        async def unless_over(message: Any) -> None:
            if not over:
                await send(message)

        try:
            await self.app(scope, counted, unless_over)
        except Exception:
            if not over:
                raise
        if over:
            await _too_large(send, self.limit, scope)


async def _too_large(send: Any, limit: int, scope: Any) -> None:
    """The 413 page, with a way back to the unit's page when the upload came from one."""
    from html import escape

    path = str(scope.get("path", ""))
    back = path.removesuffix("/upload") if path.startswith("/u/") and path.endswith("/upload") else "/"
    text = escape(ui("serve.too_large", "vi", limit=limit // (1024 * 1024)))
    link = escape(ui("serve.back", "vi"))
    body = (
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>413</title></head><body>'
        f'<p role="alert">{text}</p><p><a href="{escape(back)}">{link}</a></p></body></html>'
    ).encode()
    headers = [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
