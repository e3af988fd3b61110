"""NLU component that decides the answer language for each message
(config.yml: bot.nlu.language_selector.LanguageSelector).

An explicit choice always wins: `metadata.language`, or a message that is (or, for the choose_language
intent, names) a registered language. It sets the `language` and `language_chosen` entities, which fill
the slots of the same names. Otherwise, unless a choice was made earlier in the conversation (the
`language_chosen` slot), a confidently detected language sets `language`. It runs after the intent
classifier, so it can turn a bare language name into the choose_language intent.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.i18n.detection import MAX_CHOICE_WORDS, MAX_NAMED_CHOICE_WORDS, LanguageDetector
from bot.i18n.keywords import asks_for
from bot.i18n.languages import normalise_code, registered_languages
from bot.nlu.component import UntrainedComponent, add_entity, set_intent
from bot.nlu.danger_first import likely_crisis, must_stay_a_crisis
from bot.nlu.follow_up_in_context import answered_last
from core import settings
from core.names import CHANGE_LANGUAGE, FOLLOW_UP, LANGUAGE, LANGUAGE_CHOSEN

CHOOSE = "choose_language"
EXTRACTOR = "LanguageSelector"
GUESS_CONFIDENCE = 0.5  # the `language` entity of a guess, so that later messages may still correct it


def language_was_guessed(tracker: DialogueStateTracker | None) -> bool:
    """Whether the conversation's language so far comes from a guess, not from a message that said it."""
    if tracker is None:
        return False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            found = [e for e in event.entities if e.get("entity") == LANGUAGE and e.get("extractor") == EXTRACTOR]
            if found:
                return (found[-1].get("confidence_entity") or 0) < 1.0
    return False


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class LanguageSelector(UntrainedComponent):
    """Sets entities `language` (answer language) and `language_chosen` (an explicit choice); may set intent
    choose_language (a bare language name) or change_language (asked to choose, named none)."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageSelector:
        return cls(settings.get_float("LANGUAGE_MIN_CONFIDENCE"))

    def __init__(self, min_confidence: float) -> None:
        self.min_confidence = min_confidence
        self._languages = registered_languages()
        self.detector = LanguageDetector(list(self._languages), min_confidence)

    def _current_detector(self) -> LanguageDetector:
        """The detector for the registry as it is now: a language added with `make locale` can be named
        and detected without a restart (the registry is re-read when its file changes)."""
        languages = registered_languages()
        if languages is not self._languages:
            self._languages = languages
            self.detector = LanguageDetector(list(languages), self.min_confidence)
        return self.detector

    def process(self, messages: list[Message], tracker: DialogueStateTracker | None = None) -> list[Message]:
        self._current_detector()
        chosen_before = tracker.get_slot(LANGUAGE_CHOSEN) if tracker is not None else None
        current = tracker.get_slot(LANGUAGE) if tracker is not None else None
        after_answer = answered_last(tracker)
        guessed = language_was_guessed(tracker)
        for message in messages:
            self._process_one(message, chosen_before, current, after_answer, guessed)
        return messages

    def _process_one(
        self,
        message: Message,
        chosen_before: str | None,
        current: str | None = None,
        after_answer: bool = False,
        guessed: bool = False,
    ) -> None:
        text = message.get(TEXT) or ""
        if text.startswith("/"):
            return  # a button payload: its own entities say what was chosen
        intent = (message.get(INTENT) or {}).get("name")
        # "my daughter helps me read, can you answer in English?": asked outright (`requests` in keywords.yml),
        # a choice whatever the classifier made of the rest, unless the message may be a crisis.
        asked = asks_for(text, CHOOSE) and likely_crisis(message) is None
        named = self.detector.named_languages(
            text, MAX_NAMED_CHOICE_WORDS if intent == CHOOSE or asked else MAX_CHOICE_WORDS
        )
        if (
            after_answer
            and not asked
            and named == {current}
            and not self.detector.is_only_a_language_name(text)
            and not must_stay_a_crisis(message)
        ):
            # "do they speak Spanish at 988?", asked in Spanish right after an answer: nobody asks to switch to
            # the language they are already answered in, so it asks about the answer (a follow-up).
            set_intent(message, FOLLOW_UP)
            return
        choice: str | None = None
        if len(named) == 1 and (intent == CHOOSE or asked or self.detector.is_only_a_language_name(text)):
            choice = next(iter(named))
            set_intent(message, CHOOSE)
        elif intent == CHOOSE:
            set_intent(message, CHANGE_LANGUAGE)  # asked for a language but named none we speak: offer the list
        if choice is None:
            metadata = message.get("metadata")
            choice = normalise_code(metadata.get("language")) if isinstance(metadata, dict) else None
        if choice is not None:
            add_entity(message, LANGUAGE, choice, EXTRACTOR)
            add_entity(message, LANGUAGE_CHOSEN, choice, EXTRACTOR)
        elif not chosen_before:
            detected = self.detector.detect(text)
            if detected is not None:
                add_entity(message, LANGUAGE, detected, EXTRACTOR)
            elif not current or guessed:
                # A first message, or one after a language that was only guessed ("menu" then "abogado"): a
                # guess beats English for everyone. It stays a guess (a lower confidence) until a message
                # says the language for sure.
                guess = self.detector.guess_beside_place(text)
                if guess is not None:
                    add_entity(message, LANGUAGE, guess, EXTRACTOR, confidence=GUESS_CONFIDENCE)
