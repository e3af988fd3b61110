"""The health report, part by part (the real server's /health: tests/e2e/test_health.py)."""

from types import SimpleNamespace

import pytest

from bot.runtime import health
from bot.runtime.traffic import Window
from tools.servers import free_port


@pytest.mark.parametrize(
    ("webhook", "expected"),
    [
        ("http://127.0.0.1:5055/webhook", "http://127.0.0.1:5055/health"),
        ("http://127.0.0.1:5055/webhook/", "http://127.0.0.1:5055/health"),
        ("https://example.org/actions/webhook", "https://example.org/actions/health"),
        ("http://[fd00::6]:5055/webhook", "http://[fd00::6]:5055/health"),
        ("http://10.0.0.6:5055", "http://10.0.0.6:5055/health"),
    ],
)
def test_the_action_servers_health_route_is_beside_its_webhook(webhook, expected):
    assert health.action_health_url(webhook) == expected


def app_with(agent=None):
    return SimpleNamespace(ctx=SimpleNamespace(agent=agent, traffic=Window()))


async def test_every_part_down_is_named_with_503(monkeypatch):
    closed = free_port()
    monkeypatch.setenv("ACTIONS_IN_PROCESS", "false")
    monkeypatch.setenv("ACTION_SERVER_URL", f"http://127.0.0.1:{closed}/webhook")
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    status, body = await health.report(app_with(agent=None))
    assert status == 503
    assert body["status"] == "down"
    assert body["parts"]["model"] == "not loaded"
    assert body["parts"]["actions"].startswith("unreachable (")
    assert body["parts"]["redis"].startswith("unreachable (")
    assert body["down"] == ["model", "actions", "redis"]
    assert body["traffic"]["requests"] == "<5"


async def test_actions_in_process_are_ok_once_loaded_and_down_before(monkeypatch):
    from bot.runtime import in_process_actions

    monkeypatch.setenv("ACTIONS_IN_PROCESS", "true")
    monkeypatch.setattr(in_process_actions, "_endpoint", None)
    assert await health.check_actions(app_with()) == "no custom action loaded in this process"
    monkeypatch.setattr(in_process_actions, "_endpoint", in_process_actions.InProcessEndpoint())
    assert await health.check_actions(app_with()) == health.OK


async def test_redis_is_not_a_part_without_redis_url(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert await health.check_redis(app_with()) == health.NOT_USED


async def test_a_slow_part_is_reported_as_such_not_awaited_forever(monkeypatch):
    async def never(_):
        import asyncio

        await asyncio.sleep(60)

    monkeypatch.setattr(health, "CHECK_TIMEOUT_SECONDS", 0.1)
    assert await health._run(never, app_with()) == "no answer within 0.1 s"


async def test_a_loaded_model_that_parses_is_ok():
    class Agent:
        def __init__(self):
            self.parsed = []

        def is_ready(self):
            return True

        async def parse_message(self, text):
            self.parsed.append(text)
            return {"intent": {"name": "greet", "confidence": 0.9}}

    agent = Agent()
    assert await health.check_model(app_with(agent)) == health.OK
    assert agent.parsed == [health.HEALTH_MESSAGE]


def test_the_rasa_server_gets_health_and_head_routes_where_rasa_builds_its_app():
    import uuid

    import rasa.core.run
    from sanic import Sanic, response

    from bot.runtime import rasa_server

    rasa_server.install()
    rasa_server.install()  # idempotent
    assert rasa.core.run.configure_app.adds_assistant_routes

    app = Sanic(f"health-test-{uuid.uuid4().hex[:8]}")

    @app.get("/webhooks/kiosk/")
    async def page(_):
        return response.text("page")

    @app.post("/webhooks/rest/webhook")
    async def webhook(_):
        return response.json([])

    rasa_server.add_to_app(app)
    methods: dict[str, set[str]] = {}
    for route in app.router.routes:
        methods.setdefault(route.path, set()).update(route.methods)
    assert methods["health"] == {"GET", "HEAD"}
    assert methods["webhooks/kiosk"] == {"GET", "HEAD"}
    assert methods["webhooks/rest/webhook"] == {"POST"}  # HEAD only where GET is
    assert app.ctx.traffic is not None
