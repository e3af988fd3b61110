"""The custom actions inside the Rasa process (ACTIONS_IN_PROCESS): the same answer as the action server's,
without the HTTP round trip, and the same fault note when an action fails."""

from __future__ import annotations

import pytest
from rasa.core.actions import action as rasa_action
from rasa.core.actions import forms as rasa_forms
from rasa.core.actions.action import ActionExecutionRejection, action_for_name_or_text
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered
from rasa.utils.endpoints import EndpointConfig
from rasa_sdk import Action
from rasa_sdk.events import SlotSet as SdkSlotSet
from rasa_sdk.interfaces import ActionExecutionRejection as SdkRejection

from bot.runtime import action_faults, in_process_actions
from bot.runtime.action_faults import unavailable_message
from bot.runtime.in_process_actions import InProcessAction, InProcessEndpoint
from tests.conftest import PROJECT_ROOT, make_tracker


@pytest.fixture(scope="module")
def endpoint():
    return InProcessEndpoint()


@pytest.fixture
def domain():
    return Domain.from_directory(str(PROJECT_ROOT / "domain"))


def tracker_asking(text: str, intent: str, entities=(), **slots):
    tracker = make_tracker("in-process-test", **slots)
    tracker.update(UserUttered(text, intent={"name": intent, "confidence": 1.0}, entities=list(entities)))
    return tracker


async def run(action, tracker, domain):
    channel = CollectingOutputChannel()
    return await action.run(channel, TemplatedNaturalLanguageGenerator({}), tracker, domain)


def test_every_action_of_the_domain_is_loaded(endpoint, domain):
    custom = {name for name in domain.user_actions if name.startswith("action_")}
    assert custom and custom <= set(endpoint.executor.actions)


async def test_a_court_question_is_answered_in_process_as_the_action_server_would(endpoint, domain, monkeypatch):
    monkeypatch.setattr(in_process_actions, "_endpoint", endpoint)
    tracker = tracker_asking(
        "where is the court in Bangor",
        "ask_court",
        entities=[{"entity": "place", "value": "Bangor"}],
        language="en",
    )
    events = await run(InProcessAction("action_court", EndpointConfig("http://unused")), tracker, domain)
    texts = [event.text for event in events if isinstance(event, BotUttered)]
    assert any("Bangor District Court" in text for text in texts), texts


async def test_the_domain_is_never_sent_and_the_call_is_the_action_servers(endpoint, domain, monkeypatch):
    seen = {}

    async def recording(action_call):
        seen.update(action_call)
        return {"events": [], "responses": []}

    monkeypatch.setattr(endpoint.executor, "run", recording)
    monkeypatch.setattr(in_process_actions, "_endpoint", endpoint)
    await run(InProcessAction("action_court"), tracker_asking("court?", "ask_court"), domain)
    assert seen["next_action"] == "action_court" and seen["tracker"]["sender_id"] == "in-process-test"
    assert "domain" not in seen


class Failing(Action):
    def name(self):
        return "action_test_failing"

    async def run(self, dispatcher, tracker, domain):
        raise RuntimeError("a bug")


class Rejecting(Action):
    def name(self):
        return "action_test_rejecting"

    async def run(self, dispatcher, tracker, domain):
        raise SdkRejection(self.name(), "not this slot")


class Setting(Action):
    def name(self):
        return "action_test_setting"

    async def run(self, dispatcher, tracker, domain):
        dispatcher.utter_message(text="set")
        return [SdkSlotSet("topic", "court")]


@pytest.fixture
def with_test_actions(endpoint, monkeypatch):
    for action in (Failing, Rejecting, Setting):
        monkeypatch.setitem(endpoint.executor.actions, action().name(), action().run)
    monkeypatch.setattr(in_process_actions, "_endpoint", endpoint)
    return endpoint


@pytest.mark.parametrize("language", ["en", "ar"])
async def test_an_action_that_fails_gets_the_fault_note(with_test_actions, domain, language):
    events = await run(
        InProcessAction("action_test_failing"), tracker_asking("x", "ask_court", language=language), domain
    )
    [event] = events
    assert event.text == unavailable_message(language, "collector")["text"] and "911" in event.text


async def test_an_unknown_action_gets_the_fault_note(with_test_actions, domain):
    events = await run(InProcessAction("action_nobody_wrote"), tracker_asking("x", "ask_court"), domain)
    assert [event.text for event in events] == [unavailable_message("en", "collector")["text"]]


async def test_a_rejection_is_rasas_rejection_not_a_fault(with_test_actions, domain):
    with pytest.raises(ActionExecutionRejection):
        await run(InProcessAction("action_test_rejecting"), tracker_asking("x", "ask_court"), domain)


async def test_events_and_messages_come_back_as_rasa_events(with_test_actions, domain):
    events = await run(InProcessAction("action_test_setting"), tracker_asking("x", "ask_court"), domain)
    assert isinstance(events[0], BotUttered) and events[0].text == "set"
    assert events[1] == SlotSet("topic", "court")


def test_install_makes_rasa_build_in_process_actions(endpoint, monkeypatch, domain):
    monkeypatch.setattr(in_process_actions, "_endpoint", endpoint)
    monkeypatch.setattr(rasa_action, "RemoteAction", rasa_action.RemoteAction)
    monkeypatch.setattr(rasa_forms, "RemoteAction", rasa_forms.RemoteAction)
    action_faults.install()
    in_process_actions.install()
    action = action_for_name_or_text("action_court", domain, EndpointConfig("http://127.0.0.1:1/webhook"))
    assert isinstance(action, InProcessAction) and action.action_endpoint is endpoint


async def test_an_answer_that_breaks_rasas_schema_gets_the_fault_note(endpoint, domain, monkeypatch):
    async def malformed(action_call):
        return {"events": "not a list", "responses": []}

    monkeypatch.setattr(endpoint.executor, "run", malformed)
    monkeypatch.setattr(in_process_actions, "_endpoint", endpoint)
    events = await run(InProcessAction("action_court"), tracker_asking("x", "ask_court"), domain)
    assert [event.text for event in events] == [unavailable_message("en", "collector")["text"]]
