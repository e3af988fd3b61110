"""A total deadline for receiving a request, on both servers (Sanic 21.12).

Sanic's REQUEST_TIMEOUT counts from the last byte received, not from the first: a client that sends one byte
every few seconds keeps a connection, and a slot of the server, for as long as it likes (a review held one
open for 120 s with a 10 s timeout). Here the whole request, its head and its body, must arrive within
SANIC_REQUEST_TIMEOUT seconds of its first byte, or the client gets 408 and the connection is closed. Once
the request is in, the response timeout applies as before. The reverse proxy in front should absorb slow
clients first (docs/scale-out.md).

Rasa and rasa-sdk call `app.run()` themselves, without a protocol, and Sanic then takes the protocol class
named in `sanic.app`: `install()` puts these subclasses there before the server starts.
"""

from __future__ import annotations

from time import monotonic
from typing import Any

import sanic.app
from sanic.exceptions import RequestTimeout
from sanic.http import Stage
from sanic.server.protocols.http_protocol import HttpProtocol
from sanic.server.protocols.websocket_protocol import WebSocketProtocol


class _TotalDeadline:
    """The deadline, for either of Sanic's protocols (their subclasses below hold the start time)."""

    __slots__ = ()
    _request_started: float | None

    def data_received(self: Any, data: bytes) -> None:
        http = getattr(self, "_http", None)  # set once the connection task runs, maybe after the first bytes
        if data and (http is None or http.stage is Stage.IDLE):
            self._request_started = monotonic()  # the first byte of a new request on this connection
        super().data_received(data)  # type: ignore[misc]

    def check_timeouts(self: Any) -> None:
        http = getattr(self, "_http", None)  # set once the connection task runs, maybe after the first bytes
        if (
            self._task
            and http is not None
            and self._request_started is not None
            and (http.stage is Stage.REQUEST or (http.stage is Stage.HANDLER and http.request_body))
            and monotonic() - self._request_started > self.request_timeout
        ):
            http.exception = RequestTimeout("Request Timeout")
            self._task.cancel()
            return
        super().check_timeouts()  # type: ignore[misc]


class DeadlineHttpProtocol(_TotalDeadline, HttpProtocol):
    __slots__ = ("_request_started",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._request_started = None
        super().__init__(*args, **kwargs)


class DeadlineWebSocketProtocol(_TotalDeadline, WebSocketProtocol):
    __slots__ = ("_request_started",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._request_started = None
        super().__init__(*args, **kwargs)


def install() -> None:
    """Idempotent; call before the server starts."""
    sanic.app.HttpProtocol = DeadlineHttpProtocol  # type: ignore[misc]
    sanic.app.WebSocketProtocol = DeadlineWebSocketProtocol  # type: ignore[misc]
