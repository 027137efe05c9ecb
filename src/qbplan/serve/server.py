"""Serving the intake under uvicorn, with the limits a public round needs.

uvicorn closes an idle keep-alive connection, but waits for ever on a request
whose head never ends: 1,100 half-sent requests then held every file
descriptor, and the home page timed out. Here a request's head must arrive
whole within ``HEAD_TIMEOUT`` seconds of the connection (or of the previous
response), or the connection is closed; the file-descriptor limit is raised
to what the system allows, and the connection cap sits well below it.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

# Seconds a client has to send a whole request head (line and headers).
HEAD_TIMEOUT = 10.0
# Idle keep-alive connections are closed after this many seconds.
KEEP_ALIVE = 5
# Connections at once; beyond it a request gets uvicorn's 503. Half-open ones go after HEAD_TIMEOUT.
MAX_CONNECTIONS = 4096


class HeadTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol, with a deadline for each request's head."""

    head_timeout = HEAD_TIMEOUT

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_deadline: asyncio.TimerHandle | None = None
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._head_deadline = self.loop.call_later(self.head_timeout, self._too_slow)

    def _disarm(self) -> None:
        deadline = getattr(self, "_head_deadline", None)
        if deadline is not None:
            deadline.cancel()
            self._head_deadline = None

    def _too_slow(self) -> None:
        self._head_deadline = None
        # Only a head still incomplete: a request being answered (a slow check) is left alone.
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is not h11.IDLE:
            self._disarm()  # the head arrived

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()  # the next request on this connection has its own deadline

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def raise_file_limit() -> int:
    """Raise this process's open-file limit to the hard limit; the soft limit now in force."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        soft = hard
    return soft


def serve(app: Any, host: str, port: int) -> None:
    """Run ``app`` on ``host:port`` until stopped, with the head deadline and the connection cap."""
    import uvicorn

    files = raise_file_limit()
    # No access log: a unit's link carries its secret, and a log is read by others. No "server:
    # uvicorn" header. The cap leaves room for the database, the stored files and the check workers.
    uvicorn.run(
        app,
        host=host,
        port=port,
        access_log=False,
        log_level="warning",
        server_header=False,
        timeout_keep_alive=KEEP_ALIVE,
        limit_concurrency=max(64, min(MAX_CONNECTIONS, files - 256)),
        http=HeadTimeoutProtocol,
    )
