"""A custom action that cannot run still gets the person an answer: the fault note, 911 and the 24/7 lines."""

import argparse
import asyncio
import logging

import pytest
from aiohttp import web
from rasa.core.actions.action import action_for_name_or_text
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.utils.endpoints import EndpointConfig

from bot.runtime import action_faults
from bot.runtime.action_faults import PoliteRemoteAction, unavailable_message
from core.facts import fact_values
from tests.conftest import PROJECT_ROOT, make_tracker
from tools.servers import free_port

SECRET = "My name is Zelda Quistorp, 207-555-0199"
DOMAIN_YAML = """
version: "3.1"
actions:
  - action_lookup
slots:
  language:
    type: text
    influence_conversation: false
    mappings: [{type: custom}]
"""


@pytest.fixture
def domain():
    return Domain.from_yaml(DOMAIN_YAML)


def tracker_in(language):
    tracker = make_tracker("fault-test", language=language)
    tracker.update(UserUttered(SECRET, intent={"name": "find_services"}))
    return tracker


async def run_action(url, domain, language="en"):
    channel = CollectingOutputChannel()
    action = PoliteRemoteAction("action_lookup", EndpointConfig(url))
    return await action.run(channel, TemplatedNaturalLanguageGenerator({}), tracker_in(language), domain)


def assert_fault_note(events, language):
    [event] = events
    assert isinstance(event, BotUttered)
    assert event.text == unavailable_message(language, "collector")["text"]
    assert "911" in event.text
    for key in ("line_dv", "line_sa", "line_htl"):
        assert str(fact_values()[key]) in event.text


@pytest.mark.parametrize("language", ["en", "es", "ar", "so"])
async def test_an_action_server_that_is_down_gets_the_fault_note_in_the_persons_language(domain, language):
    events = await run_action(f"http://127.0.0.1:{free_port()}/webhook", domain, language)
    assert_fault_note(events, language)
    if language != "en":
        assert events[0].text != unavailable_message("en", "collector")["text"]


async def test_an_action_server_error_or_hang_is_answered_and_its_body_never_logged(domain, caplog, monkeypatch):
    async def crash(request):
        body = await request.text()  # rasa-sdk echoes the request (the whole conversation) on a 500
        return web.Response(status=500, text=body)

    async def slow(request):
        await asyncio.sleep(60)
        return web.json_response({"events": [], "responses": []})

    app = web.Application()
    app.router.add_post("/crash", crash)
    app.router.add_post("/slow", slow)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        with caplog.at_level(logging.INFO):
            assert_fault_note(await run_action(f"http://127.0.0.1:{port}/crash", domain), "en")
            monkeypatch.setattr(action_faults, "ACTION_TIMEOUT_SECONDS", 0.5)  # the real limit is 8 s
            assert_fault_note(await run_action(f"http://127.0.0.1:{port}/slow", domain), "en")
    finally:
        await runner.shutdown()
        await runner.cleanup()
    assert "could not run (RasaException)" in caplog.text and "could not run (TimeoutError)" in caplog.text
    assert "Zelda" not in caplog.text and "207-555-0199" not in caplog.text


def test_rasa_builds_the_polite_action_once_installed(domain):
    action_faults.install()
    action = action_for_name_or_text("action_lookup", domain, EndpointConfig("http://127.0.0.1:1/webhook"))
    assert isinstance(action, PoliteRemoteAction)


@pytest.mark.parametrize("in_process", ["false", "true"])
def test_the_rasa_server_installs_it_before_rasa_runs_a_command(in_process, monkeypatch):
    import rasa.core.actions.action as rasa_action
    import rasa.core.actions.forms as rasa_forms
    from rasa.core.processor import MessageProcessor
    from rasa.plugin import plugin_manager

    from bot.replies.nlg import CatalogNaturalLanguageGenerator
    from bot.runtime import rasa_server
    from bot.runtime.in_process_actions import InProcessAction

    monkeypatch.setenv("ACTIONS_IN_PROCESS", in_process)
    monkeypatch.setattr(MessageProcessor, "parse_message", MessageProcessor.parse_message)
    monkeypatch.setattr(rasa_forms, "RemoteAction", rasa_forms.RemoteAction)
    monkeypatch.setattr(rasa_action, "RemoteAction", PoliteRemoteAction.__mro__[1])  # as Rasa ships it
    CatalogNaturalLanguageGenerator(domain=Domain.load(str(PROJECT_ROOT / "domain")))
    assert rasa_action.RemoteAction is not PoliteRemoteAction  # loading the generator changes nothing
    rasa_server.register()
    rasa_server.register()  # idempotent
    # What rasa.__main__.main does once logging is configured, before it runs the command.
    assert plugin_manager().hook.configure_commandline(cmdline_arguments=argparse.Namespace()) == []
    assert rasa_action.RemoteAction is (InProcessAction if in_process == "true" else PoliteRemoteAction)
    assert issubclass(rasa_action.RemoteAction, PoliteRemoteAction)  # the fault note either way


def test_the_action_server_adds_its_error_answers_as_a_rasa_sdk_plugin():
    from rasa_sdk.plugin import plugin_manager

    from bot.runtime import action_server

    action_server.register()
    action_server.register()  # idempotent
    assert plugin_manager().is_registered(action_server)
