"""NLU component: a short question right after an answer is about that answer (config.yml, before the fallback).

"will he be in the same room?" after the court's answer, "y dónde mando la solicitud?" after a legal option:
read alone, the classifier may take them for something else, even for danger. Read in the conversation,
they follow up the answer just given. When the assistant's last turn answered a question (a custom action or
a crisis reply with its lines), the message is short, and the classifier counts a follow-up among its real
guesses, or the message holds follow-up words of keywords.yml (`follow_ups`: "free", "form", "open"), the
message is a follow-up, unless it holds words of the safety lists or may be self-harm: bot/nlu/danger_first.py,
which runs later, reads those.

A conversation's first message follows up nothing: one the classifier read as a follow-up is then its next
guess, when that guess is a real one ("they have my id card", "the trafficking hotline number?").
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.i18n.keywords import asks_for, find_legal_option, find_need, follow_up_aspects
from bot.nlu.component import UntrainedComponent, set_intent
from bot.nlu.danger_first import must_stay_a_crisis
from core.names import (
    ASK_LEGAL,
    AUTHORITIES,
    CHANGE_LANGUAGE,
    FIND_SERVICES,
    FOLLOW_UP,
    LEGAL_OPTION,
    NEED,
    NEED_SHELTER,
    NOT_ENGLISH,
    PRIVACY,
    TOPIC,
)

# What answers a question: the custom actions, and the replies that give 24/7 lines.
ANSWERING_ACTIONS = {
    "action_legal_options",
    "action_court",
    "action_find_services",
    "action_answer_place",
    "action_follow_up",
    "action_also",
    "utter_danger",
    "utter_self_harm",
    "utter_trafficking",
    "utter_sexual_assault",
    "utter_domestic_violence",
    "utter_shelter",
    "utter_talk_to_person",
}
MAX_WORDS = 10
MIN_FOLLOW_UP = 0.15  # the classifier's chance of a follow-up, among its real guesses
MAX_OTHER = 0.6  # unless it is sure of something else
LEGAL = "legal"  # the topic slot's value after a legal option's answer (actions/ask_legal.py)
QUESTIONNAIRE = "legal_questionnaire"
# With nothing answered yet, the next guess instead of a follow-up: a real guess, at least half as likely.
MIN_INSTEAD = 0.2
MIN_SHARE_OF_FOLLOW_UP = 0.5
SAFE_HOUSING = "safe_housing"  # the `needs` key of keywords.yml for a place to sleep


def is_first_message(tracker: DialogueStateTracker | None) -> bool:
    """Whether the message being read opens its conversation (None: a message read alone)."""
    return tracker is None or not any(isinstance(e, UserUttered) for e in tracker.events)


def instead_of_follow_up(message: Message) -> None:
    """A conversation's first message read as a follow-up is what its own words say, when the classifier's next
    guess is a real one: "they have my id card" tells of trafficking; "is it free?" alone stays a follow-up,
    whose reply asks what it is about."""
    intent = message.get(INTENT) or {}
    if intent.get("name") != FOLLOW_UP or intent.get("confidence") == 1.0:
        return
    ranking = message.get(INTENT_RANKING_KEY) or []
    others = [e for e in ranking if e.get("name") not in (FOLLOW_UP, DEFAULT_NLU_FALLBACK_INTENT_NAME)]
    if not others:
        return
    best = max(others, key=lambda e: e.get("confidence", 0.0))
    share = best.get("confidence", 0.0)
    if share >= MIN_INSTEAD and share >= MIN_SHARE_OF_FOLLOW_UP * intent.get("confidence", 1.0):
        # Without the follow-up in the ranking: the fallback classifier would read a tie between the top two.
        rest = [e for e in ranking if e is not best and e.get("name") != FOLLOW_UP]
        message.set(INTENT, {"name": best["name"], "confidence": share}, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [best, *rest], add_to_output=True)


def names_nothing_new(intent: str | None, text: str, tracker: DialogueStateTracker | None) -> bool:
    """A services search that names no kind of help, or, right after one legal option was explained, a legal
    question that names no option (after the trafficking reply, "can I get papers to stay?" is a new question).
    That legal question may be read as the questionnaire ("who can help me apply" after the U visa): it is one
    only when it asks for the questions in so many words."""
    if intent == FIND_SERVICES:
        return find_need(text) is None
    explained = tracker is not None and tracker.get_slot(TOPIC) == LEGAL and bool(tracker.get_slot(LEGAL_OPTION))
    if intent == QUESTIONNAIRE and asks_for(text, QUESTIONNAIRE):
        return False
    return intent in (ASK_LEGAL, QUESTIONNAIRE) and explained and find_legal_option(text) is None


def asks_for_a_bed(intent: str | None, text: str, tracker: DialogueStateTracker | None) -> bool:
    """A place to sleep asked for ("where can i go tonight? im near machias") right after the trafficking reply, in
    so many words (`needs: safe_housing`), when the last answer was not already about one, is a new question
    however much its "where" sounds like a follow-up. Not a detail of any answer: a bed tonight."""
    if intent not in (NEED_SHELTER, FIND_SERVICES) or find_need(text) != SAFE_HOUSING:
        return False
    return tracker is None or tracker.get_slot(NEED) != SAFE_HOUSING


def answered_last(tracker: DialogueStateTracker | None) -> bool:
    """Whether the assistant's last turn answered a question (the action before it listened)."""
    if tracker is None:
        return False
    # From the end, and only as far as the last action that spoke: this runs for every message, twice (the
    # language selector asks too), and a conversation may be hundreds of turns long.
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecuted) and event.action_name != "action_listen":
            return event.action_name in ANSWERING_ACTIONS
    return False


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class FollowUpInContext(UntrainedComponent):
    """May set intent follow_up."""

    def process(self, messages: list[Message], tracker: DialogueStateTracker | None = None) -> list[Message]:
        if not answered_last(tracker):
            if is_first_message(tracker):
                for message in messages:
                    if not (message.get(TEXT) or "").startswith("/"):
                        instead_of_follow_up(message)
            return messages
        for message in messages:
            text = message.get(TEXT) or ""
            intent = message.get(INTENT) or {}
            if text.startswith("/") or len(text.split()) > MAX_WORDS or intent.get("confidence") == 1.0:
                continue  # a payload, a story, or an intent set from the conversation (a town, a yes)
            ranking = message.get(INTENT_RANKING_KEY) or []
            follow_up = next((e["confidence"] for e in ranking if e.get("name") == FOLLOW_UP), 0.0)
            if intent.get("name") == FOLLOW_UP or must_stay_a_crisis(message):
                continue
            # The classifier's guess, or the translators' follow-up words ("free", "form", "open", "number").
            aspects = follow_up_aspects(text)
            if asks_for_a_bed(intent.get("name"), text, tracker):
                continue
            if (follow_up >= MIN_FOLLOW_UP or aspects) and intent.get("confidence", 1.0) < MAX_OTHER:
                set_intent(message, FOLLOW_UP)
            elif aspects and names_nothing_new(intent.get("name"), text, tracker):
                # "who helps for free?" right after a legal option, "do I need papers?" after Victims'
                # Compensation: read as a new search or a new legal question, but naming no kind of help and no
                # option, only what it asks about the answer ("free", "papers"): a question about that answer.
                set_intent(message, FOLLOW_UP)
            elif intent.get("name") == CHANGE_LANGUAGE and NOT_ENGLISH in aspects:
                # "what if I don't speak English?" right after the lines: the reply is already in their language,
                # so it asks whether the lines speak it, not for another language here.
                set_intent(message, FOLLOW_UP)
            elif intent.get("name") == PRIVACY and AUTHORITIES in aspects:
                # "will they call immigration?" right after the hotline: about the hotline as much as about this
                # chat, however sure the classifier is that it asks about privacy. The follow-up's answer says
                # what is known of both (actions/follow_up.py).
                set_intent(message, FOLLOW_UP)
        return messages
