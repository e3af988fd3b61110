"""NLU component: danger and self-harm win over everything else in a message (config.yml, last in the pipeline).

A person tells a story and, in passing, says he is at the door. The classifier reads the whole message and may
call it a question about the court. This component looks again, after every other component, for:

- a phrase of the safety word lists (`safety` in locales/<lang>/keywords.yml, every registered language for
  every message, as translators write them): a net the classifier cannot override;
- a sentence of a long message that the classifier scored as a crisis on its own (`crisis_segments`), unless
  it only says the danger is over ("il est parti maintenant": the classifier hears "now");
- a real chance of a crisis among the classifier's guesses, even when another guess is stronger: answering
  a crisis that was not one costs a person a few lines to read; missing one can cost far more. The chance is
  danger's and self-harm's together, since both replies give 911: "someone help me now" may split its
  probability between the two and be neither alone.

Both crisis replies give 911 and 988, so a message whose chance is split between the two gets the likelier
one's reply: "my husband threatens to kill me" read as 0.14 danger and 0.10 self-harm gets 911 and the advocates'
lines first, not "I am glad you wrote, call 988". A sentence or a word list that says self-harm outright still
wins.

What else the message asked or told is not lost: the strongest question or disclosure becomes the entity
`also`, which actions/follow_up.py answers right after the crisis reply. For a question asked after a story
(the court, a legal option, a service), the strongest disclosure in it (domestic violence, sexual assault,
trafficking) becomes the entity `disclosure`, so the answer can add the line that fits what was told; a
question that names it outright (`told` in keywords.yml: "trafficking survivors", "violencia doméstica")
counts too.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.i18n.keywords import best, crisis_keys, says_only_that_danger_is_over
from bot.nlu.component import UntrainedComponent, add_entity, set_intent
from bot.nlu.intent_classifier import SEGMENTS
from core.legal import SURE_OPTION
from core.names import (
    ALSO,
    ASK_LEGAL,
    CRISIS_INTENTS,
    DANGER,
    DISCLOSURE,
    DISCLOSURE_INTENTS,
    LEGAL_OPTION,
    QUESTION_INTENTS,
    SELF_HARM,
)
from core.sentences import segments

EXTRACTOR = "DangerFirst"
# Danger and self-harm together this likely count, even behind another guess. Measured on the held-out sets,
# the development set and a fresh blind set (docs/nlu-quality.md): it catches every crisis that the former bar,
# 0.15 for either intent alone, caught, and one more, with fewer false crises on both.
MIN_CRISIS_CHANCE = 0.2
SEGMENT_THRESHOLD = 0.5  # one sentence this likely to be a crisis makes the whole message one
MIN_ALSO_CONFIDENCE = 0.2  # what else the message asks or tells, to answer after the crisis reply
MIN_DISCLOSURE_CONFIDENCE = 0.2
ASKS_THE_LAW = (ASK_LEGAL, "ask_court")
# Set by an earlier component from the conversation itself (an answer to the assistant's question, a language
# name, "forget me"): only the safety word lists override them.
DECIDED = {"inform_place", "answer", "choose_language", "change_language", "forget_me", "follow_up"}


def guesses(ranking: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [entry for entry in ranking if entry.get("name") != DEFAULT_NLU_FALLBACK_INTENT_NAME]


def crisis_in(text: str, ranking: list[dict[str, Any]], segment_scores: list[dict[str, float]]) -> str | None:
    """The crisis the message signals anywhere, or None."""
    signals = set(crisis_keys(text))
    sentences = segments(text) if segment_scores else []
    for index, scores in enumerate(segment_scores):
        if index < len(sentences) and says_only_that_danger_is_over(sentences[index]):
            continue
        signals.update(name for name, score in scores.items() if score >= SEGMENT_THRESHOLD)
    chances = {e["name"]: e.get("confidence", 0) for e in guesses(ranking) if e["name"] in CRISIS_INTENTS}
    if chances and sum(chances.values()) >= MIN_CRISIS_CHANCE:
        signals.add(max(chances, key=lambda name: chances[name]))  # both replies give 911 and 988
    if SELF_HARM in signals:
        return SELF_HARM  # its reply gives 988 and 911
    return DANGER if DANGER in signals else None


def likely_crisis(message: Message) -> str | None:
    """The crisis this component, which runs last, would answer the message with (danger_now, self_harm), or None.
    The components before it that read the conversation (an answer to a question) must not turn it into
    something else."""
    ranking = message.get(INTENT_RANKING_KEY) or [message.get(INTENT) or {}]
    return crisis_in(message.get(TEXT) or "", ranking, message.get(SEGMENTS) or [])


def must_stay_a_crisis(message: Message) -> bool:
    """Whether a short question after an answer must still be read for a crisis, not as a follow-up: it holds
    words of the safety lists, or it may be self-harm ("what number do I call, I can't go on"). A follow-up's
    reply ends with the 911 line, as every reply does, but only a crisis reply gives 988."""
    return bool(crisis_keys(message.get(TEXT) or "")) or likely_crisis(message) == SELF_HARM


def sure_option(message: Message) -> bool:
    """Whether the legal option finder named an option, or is sure of the one the message asks about."""
    return any(
        entity.get("entity") == LEGAL_OPTION and (entity.get("confidence_entity") or 0) >= SURE_OPTION
        for entity in message.get(ENTITIES) or []
    )


def strongest(ranking: list[dict[str, Any]], names: tuple[str, ...], minimum: float) -> str | None:
    found = [e for e in guesses(ranking) if e["name"] in names and e.get("confidence", 0) >= minimum]
    return max(found, key=lambda e: e["confidence"])["name"] if found else None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DangerFirst(UntrainedComponent):
    """May set intent danger_now or self_harm; may add the entities `also` and `disclosure`."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text.startswith("/"):  # a button's payload says what it is
                self._process_one(message, text)
        return messages

    @staticmethod
    def _process_one(message: Message, text: str) -> None:
        intent = message.get(INTENT) or {}
        ranking = message.get(INTENT_RANKING_KEY) or []
        if intent.get("name") in DECIDED and intent.get("confidence") == 1.0:
            crisis = next(iter(sorted(crisis_keys(text), reverse=True)), None)  # self_harm sorts first
        else:
            crisis = crisis_in(text, ranking, message.get(SEGMENTS) or [])
        if crisis is not None:
            also = strongest(ranking, QUESTION_INTENTS + DISCLOSURE_INTENTS, MIN_ALSO_CONFIDENCE)
            if also not in ASKS_THE_LAW and sure_option(message):
                # The story ended in a question about one legal option: that is answered after the crisis
                # reply, and what was told keeps its line in that answer.
                if also in DISCLOSURE_INTENTS:
                    add_entity(message, DISCLOSURE, also, EXTRACTOR)
                also = ASK_LEGAL
            if intent.get("name") != crisis:
                set_intent(message, crisis)
            if also:
                add_entity(message, ALSO, also, EXTRACTOR)
            return
        asked = intent.get("name")
        if asked == DEFAULT_NLU_FALLBACK_INTENT_NAME:
            likeliest = guesses(ranking)
            asked = likeliest[0]["name"] if likeliest else asked
        if asked in QUESTION_INTENTS:
            # The classifier's reading of the story, else what the message names outright ("a shelter for
            # trafficking survivors": the question outweighs a few words of story in the classifier's eyes).
            told = strongest(ranking, DISCLOSURE_INTENTS, MIN_DISCLOSURE_CONFIDENCE) or best(text, "told")
            if told:
                add_entity(message, DISCLOSURE, told, EXTRACTOR)
