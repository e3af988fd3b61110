"""NLU component: a message that answers what the assistant just asked is understood as that answer
(config.yml: bot.nlu.expected_answer.ExpectedAnswer, after the classifier, before the fallback).

The assistant asks two kinds of question: "Which town or county are you in?" and the yes/no questions of
the legal-options questionnaire. The action that asks marks its message (`expects` in the BotUttered
metadata: "place" or "answer"), so nothing extra is stored. A reply of "Lewiston", "lewistan" or "بلويستون"
after a place question becomes `inform_place`; "sí", "haa" or "لا" after a yes/no question becomes `answer`
with the entity `answer` (yes/no/skip). A message that is only a place ("in Portland please") is
`inform_place` at any time. A likely crisis is never turned into an answer.

A question about the list just given is not an answer to "Which town?": "i dont have a green card does that
matter" read as a follow-up (0.5 or more), or "do I have to have called the police?", which names what it asks
(the `follow_ups` words of keywords.yml), stays a follow-up (bot/nlu/follow_up_in_context.py answers it about
that list), where it used to search statewide and show the same list again.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.i18n.keywords import answer_word, follow_up_aspects
from bot.nlu.component import UntrainedComponent, add_entity, latest_bot_metadata, set_intent
from bot.nlu.danger_first import likely_crisis
from core.names import ANSWER, EXPECTS, EXPECTS_ANSWER, EXPECTS_PLACE, FOLLOW_UP, INFORM_PLACE
from core.places import FILLERS, resolve_place, words_beside_place

SURE_OF_ANOTHER_QUESTION = 0.8
LIKELY_FOLLOW_UP = 0.5  # after a place question, a follow-up this likely is no answer to it


def expected(tracker: DialogueStateTracker | None) -> str | None:
    """What the latest bot message asked for ("place", "answer"), if anything."""
    return latest_bot_metadata(tracker).get(EXPECTS)


def is_only_a_place(text: str) -> bool:
    """A message that names a place and nothing else but fillers: "Lewiston", "in Portland, Maine please"."""
    others = words_beside_place(text)
    return others is not None and all(word in FILLERS for word in others)


def understood_as(
    text: str, asked: str | None, confidence: float = 0.0, intent: str | None = None
) -> tuple[str, str | None] | None:
    """(intent, answer) when the text answers the question asked, or is only a place; else None.

    After a place question, a reply that names no place is still the answer ("I don't know", "no") unless the
    classifier is sure it asks something else, or likely enough that it follows up the list just given: the
    action then searches statewide instead of asking again.
    """
    if text.startswith("/"):  # a button's payload says what it is
        return None
    if asked == EXPECTS_ANSWER:
        word = answer_word(text)
        if word:
            return ANSWER, word
    if asked == EXPECTS_PLACE:
        if resolve_place(text) is not None:
            return INFORM_PLACE, None
        # A question about the list just given names what it asks (its cost, its hours, the police): the
        # translators' follow-up words. "no idea" or "anywhere" names none of them, and answers.
        follows_up = (intent == FOLLOW_UP and confidence >= LIKELY_FOLLOW_UP) or bool(follow_up_aspects(text))
        if confidence < SURE_OF_ANOTHER_QUESTION and not follows_up:
            return INFORM_PLACE, None
    if is_only_a_place(text):
        return INFORM_PLACE, None
    return None


def _set(message: Message, intent: str, answer: str | None) -> None:
    set_intent(message, intent)
    if answer:
        add_entity(message, ANSWER, answer, "ExpectedAnswer")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ExpectedAnswer(UntrainedComponent):
    """Turns the answer to the assistant's own question into `inform_place` or `answer`."""

    def process(self, messages: list[Message], tracker: DialogueStateTracker | None = None) -> list[Message]:
        asked = expected(tracker)
        for message in messages:
            text = message.get(TEXT) or ""
            if likely_crisis(message) is not None and not is_only_a_place(text):  # a town's name alone is no crisis
                continue
            intent = message.get(INTENT) or {}
            found = understood_as(text, asked, intent.get("confidence") or 0.0, intent.get("name"))
            if found:
                _set(message, *found)
        return messages
