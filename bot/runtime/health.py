"""`GET /health` and `HEAD /health` on the Rasa server: is every part that answers people working?

For a load balancer, a service monitor or an operator with curl. Three parts are checked at once, each
within CHECK_TIMEOUT_SECONDS:

- model: the trained model parses one fixed message (HEALTH_MESSAGE, never a person's words). Parsing runs
  the NLU alone: no conversation is started or kept, and nothing is counted in the statistics.
- actions: with ACTIONS_IN_PROCESS, this process has the custom actions loaded; otherwise the action server
  answers its own health route (rasa-sdk's `GET /health`), at the address the Rasa server calls for them.
- redis: Redis answers PING, when REDIS_URL is set; "not used" otherwise.

200 when every part is well, 503 otherwise; the JSON body names each part ("ok", "not used", or what is
wrong) and lists the parts that are down. It also carries the server's recent traffic (bot/runtime/traffic.py),
which never changes the status. Nothing here is logged: the answer is the report.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.runtime import traffic
from core import settings

PATH = "/health"
HEALTH_MESSAGE = "hello"
CHECK_TIMEOUT_SECONDS = 2.0
OK = "ok"
NOT_USED = "not used"


def action_health_url(webhook_url: str) -> str:
    """rasa-sdk serves /health beside /webhook: http://127.0.0.1:5055/webhook -> http://127.0.0.1:5055/health."""
    parts = urlsplit(webhook_url)
    folder = parts.path.rstrip("/")
    folder = folder[: -len("webhook")] if folder.endswith("webhook") else folder + "/"
    return urlunsplit((parts.scheme, parts.netloc, folder.rstrip("/") + "/health", "", ""))


def failure(error: BaseException) -> str:
    """What went wrong, by the error's type only (an error's text can carry a URL with a password in it)."""
    if isinstance(error, asyncio.TimeoutError):
        return f"no answer within {CHECK_TIMEOUT_SECONDS:g} s"
    return f"unreachable ({type(error).__name__})"


async def check_model(app: Sanic) -> str:
    agent = getattr(app.ctx, "agent", None)
    if agent is None or not agent.is_ready():
        return "not loaded"
    parsed = await agent.parse_message(HEALTH_MESSAGE)
    intent = (parsed.get("intent") or {}).get("name")
    return OK if intent else "parsed the message but found no intent"


async def check_actions(app: Sanic) -> str:
    if settings.get_bool("ACTIONS_IN_PROCESS"):
        from bot.runtime.in_process_actions import loaded_actions

        return OK if loaded_actions() else "no custom action loaded in this process"
    agent = getattr(app.ctx, "agent", None)
    endpoint = getattr(agent, "action_endpoint", None)
    url = action_health_url(getattr(endpoint, "url", None) or settings.action_server_url())
    timeout = aiohttp.ClientTimeout(total=CHECK_TIMEOUT_SECONDS)
    async with aiohttp.ClientSession(timeout=timeout) as session, session.get(url) as answer:
        return OK if answer.status == 200 else f"answered HTTP {answer.status}"


async def check_redis(app: Sanic) -> str:
    url = settings.get("REDIS_URL").strip()
    if not url:
        return NOT_USED
    import redis.asyncio

    client = redis.asyncio.Redis.from_url(
        url, socket_timeout=CHECK_TIMEOUT_SECONDS, socket_connect_timeout=CHECK_TIMEOUT_SECONDS
    )
    try:
        return OK if await client.ping() else "did not answer PING"
    finally:
        await client.close()


CHECKS = {"model": check_model, "actions": check_actions, "redis": check_redis}


async def _run(check: Any, app: Sanic) -> str:
    try:
        return await asyncio.wait_for(check(app), CHECK_TIMEOUT_SECONDS + 0.5)
    except Exception as error:  # noqa: BLE001 - whatever failed, the report names the part and the error's type
        return failure(error)


async def report(app: Sanic) -> tuple[int, dict[str, Any]]:
    """(HTTP status, body) of the health check."""
    results = await asyncio.gather(*(_run(check, app) for check in CHECKS.values()))
    parts = dict(zip(CHECKS, results, strict=True))
    down = [name for name, state in parts.items() if state not in (OK, NOT_USED)]
    body = {"status": "down" if down else OK, "parts": parts, "down": down, "traffic": traffic.summary(app)}
    return (503 if down else 200), body


def add_route(app: Sanic) -> None:
    """GET and HEAD /health on the app (before the server starts). HEAD runs the same checks: a monitor that
    sends HEAD gets the same status code, without the body."""

    async def health(request: Request) -> HTTPResponse:
        status, body = await report(request.app)
        return response.json(body, status=status, headers={"Cache-Control": "no-store"})

    app.add_route(health, PATH, methods=["GET", "HEAD"], name="health")
