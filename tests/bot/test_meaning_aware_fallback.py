"""A reading by meaning alone needs more confidence than one of known words before it counts as understood."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.danger_first import DangerFirst
from bot.nlu.intent_classifier import READ_BY_MEANING_ONLY
from bot.nlu.meaning_aware_fallback import MeaningAwareFallback
from core.yaml_files import read_yaml
from tests.conftest import PROJECT_ROOT

CONFIG = {**MeaningAwareFallback.get_default_config(), "threshold": 0.2, "ambiguity_threshold": 0.0}


def message(guesses: list[tuple[str, float]], by_meaning_only: bool) -> Message:
    ranking = [{"name": name, "confidence": confidence} for name, confidence in guesses]
    read = Message({TEXT: "Ana Quist ana.quist@example.org", INTENT: ranking[0], INTENT_RANKING_KEY: ranking})
    read.set(READ_BY_MEANING_ONLY, by_meaning_only)
    return read


def read(intent: str, confidence: float, by_meaning_only: bool) -> str:
    read = message([(intent, confidence)], by_meaning_only)
    MeaningAwareFallback(CONFIG).process([read])
    return read.get(INTENT)["name"]


@pytest.mark.parametrize(
    ("confidence", "by_meaning_only", "expected"),
    [
        (0.35, True, "nlu_fallback"),  # made-up words placed near an intent: not understood
        (0.4, True, "legal_questionnaire"),  # at the bar, a new language's reading stands
        (0.35, False, "legal_questionnaire"),  # known words keep Rasa's own bar
        (0.15, False, "nlu_fallback"),
    ],
)
def test_the_bar_depends_on_how_the_message_was_read(confidence, by_meaning_only, expected):
    assert read("legal_questionnaire", confidence, by_meaning_only) == expected


def test_a_forget_me_read_by_meaning_is_left_to_the_question_before_deleting():
    # bot/nlu/unsure_erasure.py asks "Do you want me to delete this conversation now?" (or honours the command)
    assert read("forget_me", 0.3, True) == "forget_me"


def test_a_crisis_behind_a_reading_too_unsure_to_count_is_still_answered():
    read = message([("thanks", 0.3), ("self_harm", 0.15), ("danger_now", 0.1)], by_meaning_only=True)
    MeaningAwareFallback(CONFIG).process([read])
    assert read.get(INTENT)["name"] == "nlu_fallback"
    DangerFirst().process([read])
    assert read.get(INTENT)["name"] == "self_harm"


def test_the_pipeline_reads_by_meaning_before_this_and_for_a_crisis_after_it():
    pipeline = [part["name"] for part in read_yaml(PROJECT_ROOT / "config.yml")["pipeline"]]
    fallback = pipeline.index("bot.nlu.meaning_aware_fallback.MeaningAwareFallback")
    assert pipeline.index("bot.nlu.intent_classifier.LinearIntentClassifier") < fallback
    assert fallback < pipeline.index("bot.nlu.danger_first.DangerFirst")
    assert "FallbackClassifier" not in pipeline  # this one replaces it
