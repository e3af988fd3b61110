"""The action server down: the assistant still answers, with the crisis numbers and a polite note, and
recovers by itself when the action server is back (bot/runtime/action_faults.py).

Its own pair of servers: the action server is really stopped (its process ended, its port closed) and
started again, which the shared servers' other tests must not see.
"""

from __future__ import annotations

import uuid

import pytest
import requests

from bot.channels.kiosk import greeting_payload
from bot.replies.rendering import render_response
from bot.runtime.action_faults import unavailable_message
from tests.conftest import domain_responses
from tools.servers import Servers

pytestmark = pytest.mark.e2e

TIMEOUT = 30
RESPONSES = domain_responses()


@pytest.fixture(scope="module")
def servers_with_actions(tmp_path_factory):
    # The separate action server (ACTIONS_IN_PROCESS=false), the deployment in which it can be down.
    running = Servers(log_dir=tmp_path_factory.mktemp("action-faults"), env_overrides={"ACTIONS_IN_PROCESS": "false"})
    try:
        yield running.start()
    finally:
        running.stop()


def new_sender() -> str:
    return f"fault-{uuid.uuid4().hex}"


LANGUAGE_NAMES = {"en": "English", "es": "español", "ar": "العربية"}


def rest(servers: Servers, sender: str, message: str) -> list[str]:
    return [reply.get("text", "") for reply in servers.say(sender, message)]


def in_language(servers: Servers, language: str) -> str:
    """A new conversation whose language was chosen by typing its name (buttons skip detection)."""
    sender = new_sender()
    rest(servers, sender, LANGUAGE_NAMES[language])
    return sender


def kiosk(servers: Servers, sender: str, message: str) -> list[str]:
    response = requests.post(
        servers.url + "/webhooks/kiosk/webhook",
        json={"sender": sender, "payload" if message.startswith("/") else "message": message},
        timeout=TIMEOUT,
    )
    assert response.status_code == 200
    return [reply["text"] for reply in response.json()]


def note(language: str, channel: str = "collector") -> str:
    return unavailable_message(language, channel)["text"]


def test_the_assistant_answers_without_its_action_server_and_recovers(servers_with_actions):
    servers = servers_with_actions
    # Up: the services question is answered by the action server (it asks for the town, or lists services).
    answer_when_up = rest(servers, new_sender(), "/find_services")
    assert answer_when_up and note("en") not in answer_when_up

    servers.stop_actions()

    # Down: the same question gets the polite note, with 911 and the 24/7 lines, in the person's language.
    for language in ("en", "es", "ar"):
        assert rest(servers, in_language(servers, language), "/find_services") == [note(language)]
        assert "911" in note(language)
    sender = requests.post(servers.url + "/webhooks/kiosk/session", timeout=TIMEOUT).json()["session"]
    kiosk(servers, sender, greeting_payload("so"))  # as the page starts, once Somali is picked
    assert kiosk(servers, sender, "/ask_court") == [note("so", "kiosk")]
    # A crisis answer needs no action server; shelter comes with the note where the list of places would be.
    danger = render_response(RESPONSES, "utter_danger", "en", "collector")["text"]
    assert rest(servers, new_sender(), "he is outside my door with a knife help") == [danger]
    shelter = render_response(RESPONSES, "utter_shelter", "es", "collector")["text"]
    assert rest(servers, new_sender(), "no tengo dónde dormir esta noche") == [shelter, note("es")]

    servers.start_actions()
    servers.wait_until_up()

    # Back: the next question is answered by the action server again, with no restart of Rasa.
    answer_when_back = rest(servers, new_sender(), "/find_services")
    assert answer_when_back == answer_when_up


def test_the_failure_is_logged_without_what_the_person_wrote(servers_with_actions):
    logs = servers_with_actions.logs()
    assert "action_find_services could not run" in logs
    assert "no tengo dónde dormir" not in logs and "fault-" not in logs
