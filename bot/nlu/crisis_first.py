"""NLU component that never lets a likely crisis end as "I did not understand" (config.yml, after FallbackClassifier).

The fallback classifier gives up when the top intents are too close ("i cut my arms": self-harm 0.46,
danger 0.43). When the best guess is a crisis, answering the crisis is the safe mistake: the person gets
911 or 988 instead of a menu.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.component import UntrainedComponent
from core.names import CRISIS_INTENTS

MIN_CRISIS_CONFIDENCE = 0.3


def crisis_instead_of_fallback(intent: dict[str, Any] | None, ranking: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The crisis intent to answer instead of the fallback, or None."""
    if not intent or intent.get("name") != DEFAULT_NLU_FALLBACK_INTENT_NAME:
        return None
    candidates = [entry for entry in ranking if entry.get("name") != DEFAULT_NLU_FALLBACK_INTENT_NAME]
    if candidates and candidates[0]["name"] in CRISIS_INTENTS and candidates[0]["confidence"] >= MIN_CRISIS_CONFIDENCE:
        return dict(candidates[0])
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisFirst(UntrainedComponent):
    """Replaces nlu_fallback by the top-ranked intent when that is danger_now or self_harm."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            crisis = crisis_instead_of_fallback(message.get(INTENT), message.get(INTENT_RANKING_KEY) or [])
            if crisis is not None:
                message.set(INTENT, crisis, add_to_output=True)
        return messages
