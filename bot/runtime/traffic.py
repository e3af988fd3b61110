"""The Rasa server's recent traffic, in memory: how many requests, the share answered 5xx, the 95th percentile
of answer times. What an operator alerts on, without an access log (which would write every client's
address to disk, privacy rule 1).

Each answered request leaves only (when, status, seconds) in a bounded window of WINDOW_SECONDS; no path, no
address, no text. /health shows the summary. Like the statistics, a count under MIN_SHOWN is shown as "<5"
(it could tell someone watching that one person is using the kiosk right now), and the share and the
percentile are left out until there are MIN_SHOWN requests in the window.
"""

from __future__ import annotations

import collections
import math
import time
from collections.abc import Callable
from typing import Any

from sanic import Sanic
from sanic.request import Request
from sanic.response import BaseHTTPResponse

WINDOW_SECONDS = 15 * 60
MAX_REMEMBERED = 100_000  # requests per window kept at most (about 3 MB), far above what two cores answer
MIN_SHOWN = 5
NOT_COUNTED = ("/health",)  # a monitor's polling would drown out the people's requests


class Window:
    """(time, status, seconds) of the requests answered within the last `seconds`."""

    def __init__(self, seconds: float = WINDOW_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self.answered: collections.deque[tuple[float, int, float]] = collections.deque(maxlen=MAX_REMEMBERED)

    def add(self, status: int, seconds: float) -> None:
        self.answered.append((self.clock(), status, seconds))

    def _expire(self) -> None:
        oldest = self.clock() - self.seconds
        while self.answered and self.answered[0][0] < oldest:
            self.answered.popleft()

    def summary(self) -> dict[str, Any]:
        self._expire()
        answered = list(self.answered)
        count = len(answered)
        summary: dict[str, Any] = {
            "window_minutes": round(self.seconds / 60),
            "requests": count if count >= MIN_SHOWN else f"<{MIN_SHOWN}",
            "server_error_share": None,
            "p95_ms": None,
        }
        if count >= MIN_SHOWN:
            summary["server_error_share"] = round(sum(status >= 500 for _, status, _ in answered) / count, 4)
            summary["p95_ms"] = round(percentile([seconds for _, _, seconds in answered], 0.95) * 1000, 1)
        return summary


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `share` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def attach(app: Sanic, window: Window | None = None) -> Window:
    """Time every request the app answers (before the server starts)."""
    window = window or Window()
    app.ctx.traffic = window

    async def started(request: Request) -> None:
        request.ctx.traffic_started = time.perf_counter()

    async def answered(request: Request, result: BaseHTTPResponse) -> None:
        began = getattr(request.ctx, "traffic_started", None)
        if began is not None and request.path not in NOT_COUNTED:
            window.add(result.status, time.perf_counter() - began)

    app.register_middleware(started, "request")
    app.register_middleware(answered, "response")
    return window


def summary(app: Sanic) -> dict[str, Any] | None:
    window = getattr(app.ctx, "traffic", None)
    return window.summary() if window is not None else None
