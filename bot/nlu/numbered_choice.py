"""NLU component that turns a bare digit into the button it numbers
(config.yml: bot.nlu.numbered_choice.NumberedChoice).

On SMS the buttons of a reply are written as numbered lines (bot/replies/rendering.py), and the person answers
"1". The buttons are already in the conversation, in the BotUttered events' data, so the mapping
needs nothing stored beyond it: the message's text becomes that button's payload ("/danger_now"), which
Rasa's RegexMessageHandler, run after every pipeline component, then parses into intent and entities.

It must come first in the pipeline: the tokenizer, the featurizers, the classifier and the language
selector then all see the payload, as they would see a tapped button (the language selector leaves
payloads alone, so a digit never changes the language). A digit that picks nothing (no choices on offer,
or out of range) becomes "/menu": the person gets the choices again instead of a guess (the classifier
took a bare "3" for "I am a minor").
"""

from __future__ import annotations

import unicodedata
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.component import UntrainedComponent


def latest_buttons(tracker: DialogueStateTracker | None) -> list[dict[str, Any]]:
    """The choices the person saw last: the buttons of the latest bot message that had any, as long as no more
    than one of the person's messages came after it. After "8" (privacy) a "6" still picks from the menu just
    above the privacy note, which had no choices of its own; older choices are stale."""
    if tracker is None:
        return []
    messages_back = 0
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            messages_back += 1
            if messages_back > MAX_MESSAGES_BACK:
                return []
        elif isinstance(event, BotUttered) and (event.data or {}).get("buttons"):
            return list(event.data["buttons"])
    return []


MAX_MESSAGES_BACK = 1
MENU_PAYLOAD = "/menu"


def bare_digit(text: str) -> int | None:
    """0-9 for a message that is one digit, in any script (Arabic keyboards type "٣"), else None."""
    text = text.strip()
    return unicodedata.decimal(text, None) if len(text) == 1 else None


def chosen_number(text: str) -> int | None:
    """1-9 for a message that is one digit, else None."""
    number = bare_digit(text)
    return number if number and number >= 1 else None


def chosen_payload(text: str, buttons: list[dict[str, Any]]) -> str | None:
    number = chosen_number(text)
    if number is None or number > len(buttons):
        return None
    return buttons[number - 1].get("payload") or None


# Registered as an intent classifier only because that is how Rasa 3.6 places a component that needs no
# training in the prediction graph, in pipeline order; a tokenizer or featurizer type would also run it
# on the training data.
@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class NumberedChoice(UntrainedComponent):
    """Replaces the text of a bare-digit message with the payload of the button it numbers."""

    def process(self, messages: list[Message], tracker: DialogueStateTracker | None = None) -> list[Message]:
        if tracker is None:  # parsing outside a conversation (NLU evaluation): nothing was offered
            return messages
        buttons = latest_buttons(tracker)
        for message in messages:
            text = message.get(TEXT) or ""
            if bare_digit(text) is not None:
                message.set(TEXT, chosen_payload(text, buttons) or MENU_PAYLOAD)
        return messages
