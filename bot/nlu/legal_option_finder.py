"""NLU component: which legal option a question is about, in words people use (config.yml, after the classifier).

"Is there money for victims? I have hospital bills" names no option, yet it asks about Victims' Compensation.
The translators' word lists (`legal_options` in locales/<lang>/keywords.yml) catch the names and the common
words; when they find nothing, the message's sentence embedding is compared with each option's own name and
explanation, in English and in every registered language's catalog (data/legal/options.csv, translated under
"options:name" and "options:what_it_is"), and with its listed words. The nearest option, if near enough, is
set as the entity `legal_option`, which the legal, court and follow-up actions read. A short message that
names an option ("what is a PFA?", "شو يعني PFA") asks about it, though the classifier may have read a menu
request or small talk into it.

The options' embeddings are worked out once per set of texts and kept in build/ (derived data, nothing of any
person's), so a server starts without encoding them again.
"""

from __future__ import annotations

import hashlib
import logging

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.i18n import catalog
from bot.i18n.extract import data_context
from bot.i18n.keywords import find_legal_option, language_keywords
from bot.i18n.languages import registered_codes
from bot.nlu.component import UntrainedComponent, add_entity, set_intent
from bot.nlu.intent_classifier import dense_sentence_features
from bot.nlu.sentence_encoder import shared_encoder
from core.legal import legal_options
from core.paths import BUILD_DIR

logger = logging.getLogger(__name__)

ENTITY = "legal_option"
ASKS_ABOUT_OPTIONS = ("ask_legal_options", "ask_court")
ASK_LEGAL = "ask_legal_options"
# A message that names an option by its name ("what is a PFA?") asks about it, whatever these guesses said.
WEAK_READINGS = ("menu", "out_of_scope", "greet", "thanks", "nlu_fallback", "legal_questionnaire", "follow_up")
# Cosine similarity of the message to an option's nearest text, and its lead over the next option: measured on
# the training examples of ask_legal_options (docs/nlu-quality.md); below either, the answer is the overview.
MIN_SIMILARITY = 0.86
MIN_LEAD = 0.005
CACHE_PREFIX = "legal-option-texts-"


def option_texts() -> list[tuple[str, str]]:
    """(option key, text) for every way the data and the catalogs name or explain an option."""
    texts: list[tuple[str, str]] = []
    codes = registered_codes()
    for option in legal_options():
        for column, source in (("name", option.name), ("what_it_is", option.plain_text().get("what_it_is", ""))):
            if not source:
                continue
            texts.append((option.key, source))
            texts += [(option.key, catalog.translate(code, data_context("options", column), source)) for code in codes]
        if option.also_called:
            texts.append((option.key, option.also_called))
        for code in codes:
            for phrase in language_keywords(code).get("legal_options", {}).get(option.key, ()):
                texts.append((option.key, " ".join(phrase)))
    return list(dict.fromkeys(texts))


class OptionIndex:
    """The options' texts as unit vectors, built once per distinct set of texts (cached in build/)."""

    def __init__(self, texts: list[tuple[str, str]], vectors: np.ndarray) -> None:
        self.keys = [key for key, _ in texts]
        self.vectors = vectors

    @classmethod
    def build(cls) -> OptionIndex:
        texts = option_texts()
        digest = hashlib.sha256("\n".join(f"{k}\t{t}" for k, t in texts).encode()).hexdigest()[:16]
        cache = BUILD_DIR / f"{CACHE_PREFIX}{digest}.npy"
        try:
            vectors = np.load(cache)
        except (OSError, ValueError):
            vectors = shared_encoder().encode([text for _, text in texts])
            try:
                BUILD_DIR.mkdir(parents=True, exist_ok=True)
                np.save(cache, vectors)
            except OSError as error:  # a read-only deployment still works: it encodes at each start
                logger.warning("Could not keep the legal options' embeddings (%s).", type(error).__name__)
        return cls(texts, vectors)

    def nearest(self, vector: np.ndarray) -> tuple[str | None, float, float]:
        """The nearest option, its similarity, and its lead over the next option."""
        scores = self.vectors @ vector.reshape(-1)
        best: dict[str, float] = {}
        for key, score in zip(self.keys, scores, strict=True):
            best[key] = max(best.get(key, -1.0), float(score))
        ranked = sorted(best.items(), key=lambda item: -item[1])
        if not ranked:
            return None, 0.0, 0.0
        lead = ranked[0][1] - (ranked[1][1] if len(ranked) > 1 else 0.0)
        return ranked[0][0], ranked[0][1], lead


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class LegalOptionFinder(UntrainedComponent):
    """Sets entity `legal_option` for a legal or court question that names no option in known words."""

    def __init__(self) -> None:
        self._index: OptionIndex | None = None

    @property
    def index(self) -> OptionIndex:
        if self._index is None:
            self._index = OptionIndex.build()
        return self._index

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = message.get(INTENT) or {}
            if text.startswith("/") or self._has_option(message):
                continue
            named = find_legal_option(text)
            if named and intent.get("name") in WEAK_READINGS and intent.get("confidence") != 1.0:
                set_intent(message, ASK_LEGAL)
                intent = message.get(INTENT)
            if intent.get("name") not in ASKS_ABOUT_OPTIONS:
                continue
            # By meaning only for a legal question: a court question ("where is the court in Lewiston?") is
            # about the court, and its options (interpreters, remote hearings) are named in words.
            key = named or (self._nearest(message) if intent.get("name") == ASK_LEGAL else None)
            if key:
                add_entity(message, ENTITY, key, "LegalOptionFinder")
        return messages

    @staticmethod
    def _has_option(message: Message) -> bool:
        return any(entity.get("entity") == ENTITY for entity in message.get(ENTITIES) or [])

    def _nearest(self, message: Message) -> str | None:
        vector = dense_sentence_features(message)
        if vector is None or not vector.any():
            return None
        key, similarity, lead = self.index.nearest(vector)
        return key if similarity >= MIN_SIMILARITY and lead >= MIN_LEAD else None
