"""NLU component: Rasa's fallback classifier, with a higher bar for a reading by meaning alone
(config.yml: bot.nlu.meaning_aware_fallback.MeaningAwareFallback, where FallbackClassifier was).

A message whose words the classifier never saw (a new language, or a made-up name with an e-mail address, a
string of letters and digits) is read by the sentence embedding alone (bot/nlu/intent_classifier.py). That
reading lands near some intent even when the text means nothing: of 600 made-up messages, a quarter got the
start of the legal questionnaire and a sixth the domestic violence reply, at confidences of 0.25-0.45
(docs/nlu-quality.md, "The fifth and sixth rounds"). Below `meaning_only_threshold` such a reading is "not
understood", whose reply offers the menu and the 911 line. Danger and self-harm are not lost: bot/nlu/danger_first.py
runs after this and still reads the classifier's ranking. A forget-me is left to bot/nlu/unsure_erasure.py, which
asks before it deletes anything (and honours a translator's forget-me command in a language with no examples
yet). A reading of known words keeps Rasa's own threshold.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.intent_classifier import READ_BY_MEANING_ONLY
from core.names import FORGET_ME

MEANING_ONLY_THRESHOLD = "meaning_only_threshold"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class MeaningAwareFallback(FallbackClassifier):
    """May set intent nlu_fallback, as FallbackClassifier does."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**FallbackClassifier.get_default_config(), MEANING_ONLY_THRESHOLD: 0.4}

    def _should_fallback(self, message: Message) -> bool:
        if super()._should_fallback(message):
            return True
        intent = message.get(INTENT) or {}
        if not message.get(READ_BY_MEANING_ONLY) or intent.get(INTENT_NAME_KEY) == FORGET_ME:
            return False
        return (intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0) < self.component_config[MEANING_ONLY_THRESHOLD]
