"""NLU component: a message that is one of the menu's choices, typed as the menu shows it in any registered
language, is that choice (config.yml: bot.nlu.menu_title.MenuTitle, after the language selector).

On SMS the menu is a numbered list, and some people type the words rather than the number; on the kiosk
some type what they read on a button. The classifier reads most titles right, but not all: measured on the
48 titles of the six launch languages, the Somali "Xulashooyinka sharciga" (Legal options) became the
questionnaire, and "Sirta xogtaada" (Privacy) an unsure "forget me", which asked whether to delete the
conversation. A title is what its button does, as a tapped button is (bot/nlu/numbered_choice.py does the
same for a number). The text itself is kept, so the language selector, which runs before, reads the language
from the title's words. Two words are often too few for it ("Legal options" was read as Somali, whose
messages borrow both words), so in a conversation whose language is not yet known for sure (a first message,
or one after a guess), a title that only one language's menu shows says that language, as a guess later
messages may correct. A language chosen or said before is kept: one title does not switch a conversation.

The titles are read from the domain (utter_menu's buttons) and the catalogs, so a translator's new title
counts at once. Only a whole message counts, folded (no case, accents or punctuation): "legal options for
immigrants" is a question for the classifier.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.i18n import catalog
from bot.i18n.languages import SOURCE_LANGUAGE, registered_codes
from bot.nlu.component import UntrainedComponent, add_entity, has_entity, set_intent
from bot.nlu.language_selector import EXTRACTOR as LANGUAGE_SELECTOR
from bot.nlu.language_selector import GUESS_CONFIDENCE, language_was_guessed
from bot.nlu.sentence_encoder import PAYLOAD_PREFIX
from bot.replies.rendering import all_responses
from core.names import LANGUAGE, LANGUAGE_CHOSEN
from core.text import normalise

MENU = "utter_menu"
MAX_TITLE_WORDS = 8  # longer messages are never a title: no look-up for them


# The titles, rebuilt only when the domain or a catalog was read again (each is kept as one object until its
# file changes): building them costs about 0.6 ms; a look-up about 50 µs, mostly the catalogs' change checks,
# and only for a message of at most MAX_TITLE_WORDS words.
_built: tuple[tuple[object, ...], dict[str, tuple[str, frozenset[str]]]] | None = None


def menu_titles() -> dict[str, tuple[str, frozenset[str]]]:
    """Every menu title, folded, in English and each registered language -> the intent its button asks for and
    the languages whose menu shows it."""
    global _built
    responses = all_responses()
    sources = (responses, *(catalog.translations(code) for code in registered_codes()))
    same = _built is not None and len(_built[0]) == len(sources)
    if _built is None or not same or any(a is not b for a, b in zip(_built[0], sources, strict=True)):
        _built = (sources, _titles(responses))
    return _built[1]


def _titles(responses: dict[str, list]) -> dict[str, tuple[str, frozenset[str]]]:
    variations: list[dict] = responses.get(MENU) or [{}]
    buttons = variations[0].get("buttons") or []
    intents: dict[str, str] = {}
    languages: dict[str, set[str]] = {}
    for button in buttons:
        payload = str(button.get("payload") or "")
        if not payload.startswith(PAYLOAD_PREFIX):
            continue
        intent = payload[len(PAYLOAD_PREFIX) :].split("{")[0]
        source = str(button.get("title") or "")
        shown = {code: catalog.translate(code, f"{MENU}:button", source) for code in registered_codes()}
        shown[SOURCE_LANGUAGE] = source
        for code, title in shown.items():
            folded = normalise(title)
            if folded and intents.setdefault(folded, intent) == intent:
                languages.setdefault(folded, set()).add(code)
    return {folded: (intent, frozenset(languages[folded])) for folded, intent in intents.items()}


def typed_title(text: str) -> str | None:
    """The intent of the menu choice a message is, word for word; else None."""
    found = _found(text)
    return found[0] if found else None


def title_language(text: str) -> str | None:
    """The one language whose menu shows this title; None if several do or none."""
    found = _found(text)
    return next(iter(found[1])) if found and len(found[1]) == 1 else None


def _found(text: str) -> tuple[str, frozenset[str]] | None:
    folded = normalise(text)
    if not folded or text.startswith(PAYLOAD_PREFIX) or len(folded.split()) > MAX_TITLE_WORDS:
        return None
    return menu_titles().get(folded)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class MenuTitle(UntrainedComponent):
    """May set the intent of the menu choice a message names word for word, and guess its language."""

    def process(self, messages: list[Message], tracker: DialogueStateTracker | None = None) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = typed_title(text)
            if intent is None:
                continue
            set_intent(message, intent)
            language = title_language(text)
            if language and not _language_known(message, tracker):
                add_entity(message, LANGUAGE, language, LANGUAGE_SELECTOR, confidence=GUESS_CONFIDENCE)
        return messages


def _language_known(message: Message, tracker: DialogueStateTracker | None) -> bool:
    """Whether the language is already settled: chosen in this message or before, or said for sure earlier."""
    if has_entity(message, LANGUAGE_CHOSEN):
        return True
    if tracker is None:
        return False
    if tracker.get_slot(LANGUAGE_CHOSEN):
        return True
    return bool(tracker.get_slot(LANGUAGE)) and not language_was_guessed(tracker)
