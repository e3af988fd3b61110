"""The answer to the assistant's own question is understood as that answer (bot/nlu/expected_answer.py)."""

from __future__ import annotations

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.expected_answer import ExpectedAnswer, expected, is_only_a_place, understood_as


def tracker_after(expects: str | None) -> DialogueStateTracker:
    tracker = DialogueStateTracker.from_events(
        "t", [BotUttered("Which town?", metadata={"expects": expects} if expects else {})]
    )
    return tracker


def message(text: str, intent: str = "out_of_scope", confidence: float = 0.5) -> Message:
    msg = Message({TEXT: text})
    msg.set(INTENT, {"name": intent, "confidence": confidence})
    return msg


@pytest.mark.parametrize(
    "text, asked, confidence, result",
    [
        ("Lewiston", None, 0.9, ("inform_place", None)),
        ("in Portland, Maine please", None, 0.9, ("inform_place", None)),
        ("I need a lawyer in Portland", None, 0.9, None),  # more than a place: the classifier decides
        ("I need a lawyer in Portland", "place", 0.9, ("inform_place", None)),
        ("lewistan", "place", 0.9, ("inform_place", None)),  # a misspelling is fine as an answer
        ("no idea", "place", 0.4, ("inform_place", None)),  # ask once, then statewide
        ("what are my rights", "place", 0.95, None),  # clearly another question
        ("sí", "answer", 0.3, ("answer", "yes")),
        ("haa", "answer", 0.3, ("answer", "yes")),
        ("لا", "answer", 0.3, ("answer", "no")),
        ("yes", None, 0.3, None),  # nothing was asked
        ("/find_services", "place", 0.1, None),  # a button says what it is
    ],
)
def test_what_a_message_is_understood_as(text, asked, confidence, result):
    assert understood_as(text, asked, confidence) == result


@pytest.mark.parametrize(
    "text, intent, confidence, result",
    [
        # a question about the list just given follows it up; it does not answer "Which town?"
        ("is it free", "follow_up", 0.97, None),
        ("i dont have a green card does that matter", "follow_up", 0.5, None),
        ("i dont have a green card does that matter", "follow_up", 0.49, ("inform_place", None)),
        ("no idea", "answer", 0.6, ("inform_place", None)),  # an answer all the same: search statewide
        ("is it free in Lewiston", "follow_up", 0.9, ("inform_place", None)),  # a place named answers it
        # it names what it asks about the list (keywords.yml, follow_ups), however unsure the classifier is
        ("do i have to have called the police", "find_services", 0.4, None),
        ("son gratis?", "out_of_scope", 0.3, None),
        ("anywhere", "out_of_scope", 0.3, ("inform_place", None)),
    ],
)
def test_after_a_place_question_a_likely_follow_up_stays_one(text, intent, confidence, result):
    assert understood_as(text, "place", confidence, intent) == result


def test_the_question_asked_is_read_from_the_latest_bot_message():
    assert expected(tracker_after("place")) == "place"
    assert expected(tracker_after(None)) is None
    assert expected(None) is None


def test_a_place_that_is_also_a_word_is_not_a_place_on_its_own():
    assert not is_only_a_place("Hope")  # uncertain: also an ordinary word
    assert is_only_a_place("Lewiston")


def test_the_component_sets_intent_and_answer_entity_and_never_overrides_a_crisis():
    component = ExpectedAnswer()
    yes = message("yes please")
    component.process([yes], tracker_after("answer"))
    assert yes.get(INTENT) == {"name": "answer", "confidence": 1.0}
    assert [e["value"] for e in yes.get(ENTITIES)] == ["yes"]
    danger = message("he is at the door in Lewiston", intent="danger_now", confidence=0.6)
    component.process([danger], tracker_after("place"))
    assert danger.get(INTENT)["name"] == "danger_now"


def test_the_domain_has_the_intents_it_sets(responses):
    domain = Domain.load("domain")
    assert {"inform_place", "answer"} <= set(domain.intents)
    assert "answer" in domain.entities
