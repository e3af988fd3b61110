"""A reading by meaning alone needs more confidence than one of known words before it counts as understood."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.intent_classifier import READ_BY_MEANING_ONLY
from bot.nlu.meaning_aware_fallback import MeaningAwareFallback

CONFIG = {**MeaningAwareFallback.get_default_config(), "threshold": 0.2, "ambiguity_threshold": 0.0}


def read(confidence: float, by_meaning_only: bool) -> str:
    top = {"name": "legal_questionnaire", "confidence": confidence}
    message = Message({TEXT: "Ana Quist ana.quist@example.org", INTENT: top, INTENT_RANKING_KEY: [top]})
    message.set(READ_BY_MEANING_ONLY, by_meaning_only)
    MeaningAwareFallback(CONFIG).process([message])
    return message.get(INTENT)["name"]


@pytest.mark.parametrize(
    ("confidence", "by_meaning_only", "expected"),
    [
        (0.35, True, "nlu_fallback"),  # made-up words placed near an intent: not understood
        (0.45, True, "legal_questionnaire"),  # a new language's sure enough reading stands
        (0.35, False, "legal_questionnaire"),  # known words keep Rasa's own bar
        (0.15, False, "nlu_fallback"),
    ],
)
def test_the_bar_depends_on_how_the_message_was_read(confidence, by_meaning_only, expected):
    assert read(confidence, by_meaning_only) == expected


def test_an_intent_set_from_the_conversation_stands():
    top = {"name": "inform_place", "confidence": 1.0}
    message = Message({TEXT: "Presque Isle", INTENT: top, INTENT_RANKING_KEY: [top], READ_BY_MEANING_ONLY: True})
    MeaningAwareFallback(CONFIG).process([message])
    assert message.get(INTENT)["name"] == "inform_place"
