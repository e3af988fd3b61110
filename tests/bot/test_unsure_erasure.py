"""Deleting cannot be undone: a forget-me the classifier is unsure of asks first (bot/nlu/unsure_erasure.py)."""

from __future__ import annotations

import pytest
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.intent_classifier import READ_BY_MEANING_ONLY
from bot.nlu.unsure_erasure import SURE_ERASURE, UnsureErasure, asked_to_confirm, reading
from core.names import request_understood


def after(utter_action: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        "t", [UserUttered("hmm"), BotUttered("...", metadata={"utter_action": utter_action})]
    )


@pytest.mark.parametrize(
    "text, intent, confidence, confirming, result",
    [
        ("Zelda Quistxqkffl zq24c06a68@example.org", "forget_me", 0.38, False, "forget_me_unsure"),
        ("vous pouvez m'oublier ?", "forget_me", SURE_ERASURE - 0.01, False, "forget_me_unsure"),
        ("delete this chat now", "forget_me", SURE_ERASURE, False, None),  # sure: deleted at once
        ("olvídame", "forget_me", 0.3, False, None),  # the forget-me command of keywords.yml, at any confidence
        ("i ilow", "forget_me", 0.3, False, None),
        ("where is the court", "ask_court", 0.3, False, None),  # only forget_me is ever touched
        ("/forget_me", "forget_me", 1.0, False, None),  # the button
        ("yes", "answer", 0.4, True, "forget_me"),  # the answer to "Do you want me to delete...?"
        ("sí", "greet", 0.4, True, "forget_me"),
        ("haa", "out_of_scope", 0.4, True, "forget_me"),
        ("no", "answer", 0.4, True, "menu"),
        ("yes", "answer", 0.4, False, None),  # nothing was asked: the classifier decides
        ("where is the court", "ask_court", 0.9, True, None),  # another question instead of an answer
    ],
)
def test_what_a_message_is_read_as(text, intent, confidence, confirming, result):
    assert reading(text, {"name": intent, "confidence": confidence}, confirming) == result


def test_a_reading_by_meaning_alone_never_deletes_at_once():
    sure = {"name": "forget_me", "confidence": 0.69}
    assert reading("Zelda Quistptdird zq420d7e97@example.org", sure, False, by_meaning_only=True) == "forget_me_unsure"
    assert reading("Zelda Quistptdird zq420d7e97@example.org", sure, False, by_meaning_only=False) is None
    assert reading("olvídame", sure, False, by_meaning_only=True) is None  # the command of keywords.yml


def test_the_question_is_known_from_the_latest_bot_message_only():
    assert asked_to_confirm(after("utter_ask_forget_me"))
    assert not asked_to_confirm(after("utter_menu"))
    assert not asked_to_confirm(None)
    later = after("utter_ask_forget_me")
    later.update(UserUttered("where is the court"))
    later.update(BotUttered("Which town?", metadata={"utter_action": "utter_ask_place"}))
    assert not asked_to_confirm(later)


def test_the_component_sets_the_intent_with_full_confidence():
    message = Message({TEXT: "marker scale-9848715738424de88e39d63b9a622491"})
    message.set(INTENT, {"name": "forget_me", "confidence": 0.62})
    message.set(READ_BY_MEANING_ONLY, True)
    UnsureErasure().process([message])
    assert message.get(INTENT) == {"name": "forget_me_unsure", "confidence": 1.0}
    answer = Message({TEXT: "yes"})
    answer.set(INTENT, {"name": "answer", "confidence": 0.7})
    UnsureErasure().process([answer], after("utter_ask_forget_me"))
    assert answer.get(INTENT)["name"] == "forget_me"


def test_the_evaluation_scores_an_unsure_forget_me_as_the_request_it_is():
    assert request_understood("forget_me_unsure") == "forget_me"
    assert request_understood("privacy") == "privacy"
    assert request_understood(None) is None


@pytest.mark.parametrize(
    "intent, forget_me, by_meaning_only, result",
    [
        ("thanks", 0.37, False, "forget_me_unsure"),  # "merci de m'oublier": the polite "please forget me"
        ("goodbye", 0.30, False, "forget_me_unsure"),
        ("thanks", 0.05, False, None),  # a plain thank-you
        ("thanks", 0.37, True, None),  # words never seen: a guess by meaning alone asks nothing
        ("greet", 0.40, False, None),  # only small talk that may close a conversation
    ],
)
def test_small_talk_with_a_real_chance_of_forget_me_asks(intent, forget_me, by_meaning_only, result):
    ranking = [{"name": intent, "confidence": 1 - forget_me}, {"name": "forget_me", "confidence": forget_me}]
    read = reading("merci de m'oublier", ranking[0], False, by_meaning_only, ranking)
    assert read == result


def test_the_component_reads_the_ranking():
    message = Message({TEXT: "merci de m'oublier"})
    message.set(INTENT, {"name": "thanks", "confidence": 0.62})
    message.set(INTENT_RANKING_KEY, [{"name": "thanks", "confidence": 0.62}, {"name": "forget_me", "confidence": 0.37}])
    UnsureErasure().process([message])
    assert message.get(INTENT) == {"name": "forget_me_unsure", "confidence": 1.0}
