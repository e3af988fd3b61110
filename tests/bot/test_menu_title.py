"""A menu choice typed word for word, in any language, is that choice (bot/nlu/menu_title.py)."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.i18n import catalog
from bot.nlu.menu_title import MenuTitle, menu_titles, typed_title
from bot.replies.rendering import all_responses
from core.names import LANGUAGE, LANGUAGE_CHOSEN, LAUNCH_LANGUAGES


def test_every_title_of_every_launch_language_is_its_buttons_choice():
    buttons = all_responses()["utter_menu"][0]["buttons"]
    assert len(buttons) == 8
    for language in LAUNCH_LANGUAGES:
        for button in buttons:
            title = catalog.translate(language, "utter_menu:button", button["title"])
            assert typed_title(title) == button["payload"].lstrip("/"), (language, title)


@pytest.mark.parametrize(
    "text, intent",
    [
        ("Xulashooyinka sharciga", "ask_legal_options"),  # the classifier read the questionnaire
        ("sirta xogtaada", "privacy"),  # the classifier read an unsure "forget me"
        ("OPÇÕES JURÍDICAS!", "ask_legal_options"),  # folded: case, accents and punctuation do not count
        ("privacy", "privacy"),
    ],
)
def test_a_typed_title_is_found_however_it_is_written(text, intent):
    assert typed_title(text) == intent


@pytest.mark.parametrize("text", ["legal options for immigrants", "what about privacy?", "/privacy", "", "court " * 9])
def test_anything_but_a_whole_title_is_left_to_the_classifier(text):
    assert typed_title(text) is None


def test_the_component_sets_the_choice_and_leaves_other_messages_alone():
    typed = Message({TEXT: "Sirta xogtaada", INTENT: {"name": "forget_me", "confidence": 0.4}})
    other = Message({TEXT: "i want to forget this", INTENT: {"name": "forget_me", "confidence": 0.4}})
    MenuTitle().process([typed, other])
    assert typed.get(INTENT) == {"name": "privacy", "confidence": 1.0}
    assert typed.get(INTENT_RANKING_KEY)[0]["name"] == "privacy"
    assert other.get(INTENT)["name"] == "forget_me"


def entities(message: Message) -> dict[str, str]:
    return {e["entity"]: e["value"] for e in message.get(ENTITIES) or []}


def test_a_title_only_one_language_shows_says_that_language():
    # Two words are too few for the language detector; the menu they come from says it.
    somali = Message({TEXT: "Sirta xogtaada", INTENT: {"name": "forget_me", "confidence": 0.4}})
    MenuTitle().process([somali])
    assert entities(somali)[LANGUAGE] == "so"


def test_a_title_says_its_language_over_a_two_word_detection():
    # "Legal options" was detected as Somali, whose messages borrow both words.
    message = Message(
        {
            TEXT: "Legal options",
            INTENT: {"name": "legal_questionnaire", "confidence": 0.6},
            ENTITIES: [{"entity": LANGUAGE, "value": "so", "extractor": "LanguageSelector"}],
        }
    )
    MenuTitle().process([message])
    assert message.get(INTENT)["name"] == "ask_legal_options"
    assert entities(message)[LANGUAGE] == "en"


class Conversation:
    """A tracker whose slots are given; no events, so its language was not a guess."""

    def __init__(self, **slots):
        self.slots = slots
        self.events = []

    def get_slot(self, name):
        return self.slots.get(name)


@pytest.mark.parametrize(
    "slots", [{LANGUAGE_CHOSEN: "es", LANGUAGE: "es"}, {LANGUAGE: "es"}], ids=["chosen", "said for sure"]
)
def test_a_settled_language_is_kept(slots):
    message = Message({TEXT: "Sirta xogtaada", INTENT: {"name": "menu", "confidence": 0.4}})
    MenuTitle().process([message], tracker=Conversation(**slots))
    assert message.get(INTENT)["name"] == "privacy"
    assert LANGUAGE not in entities(message)


def test_a_translators_new_title_counts_at_once(monkeypatch):
    before = menu_titles()
    real = catalog.translations

    class Edited:
        def __init__(self, language):
            self.wrapped = real(language)

        def pgettext(self, context, msgid):
            if msgid == "Privacy" and context == "utter_menu:button":
                return "Sirta"
            return self.wrapped.pgettext(context, msgid)

    edited = {}
    monkeypatch.setattr(catalog, "translations", lambda language: edited.setdefault(language, Edited(language)))
    assert typed_title("sirta") == "privacy"
    assert menu_titles() is not before  # rebuilt because a catalog changed
