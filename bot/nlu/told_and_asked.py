"""NLU component: a disclosure that asks for a service in a named place is answered as the service question
(config.yml: bot.nlu.told_and_asked.ToldAndAsked, right after DangerFirst).

"is there a doctor in rockland who does the exam after a sexual assault" is read as sexual_assault (0.77) with
find_services behind it (0.21). The sexual assault reply gives the helpline, but not the doctor in Rockland
that was asked for. When the classifier sees a real chance of a services question behind a disclosure and the
message names both a service (the `needs` of keywords.yml: a doctor, a lawyer, a shelter) and a place in
Maine, the person asked for that help there: the services near that place are the answer, and what was told
keeps its line in it (the entity `disclosure`, as DangerFirst sets for a question asked after a story).

It runs after DangerFirst so that a crisis is never lost: DangerFirst reads the classifier's crisis chances
first, and a message it turned into a crisis is no longer a disclosure here. Measured on every evaluation set
(docs/nlu-quality.md): four first messages change, all asking for a doctor after a sexual assault in a named
town; no held-out or blind message changes. Without the service named ("where can i get an exam after being
raped, im in saco") the answer would only ask "What kind of help are you looking for?", so the disclosure's
own reply stays.

One service needs no place: the exam after a sexual assault. "It's Tuesday now, is it too late to get an exam?"
reads as sexual assault (0.87, the services reading near 0), and the sexual assault reply says nothing of the
exam. The services answer for the exam holds in all of Maine (the programs that go with a person to the exam,
and the compensation program that pays for it) and offers to narrow it by town. So a sexual assault told in a
message that names the exam (`needs: medical_forensic_exam` in keywords.yml) and asks something (a question
mark, "too late", "where", "how much" of `follow_ups`, or the classifier's services reading) is that question;
its line stays in the answer.

A bed tonight needs no place either: "my husband beats me in front of my kids, where can I go tonight?" read as
domestic violence got only the helpline. The shelter reply gives the lines that look for an emergency bed and
the safe places of all of Maine, then offers to narrow by town. So a disclosure whose question (its last
sentence) asks for a safe place (`needs: safe_housing`: "where can I go tonight", "وين اروح الليلة") and asks
something (as for the exam, or the classifier's shelter reading) is the shelter question, its line kept.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.i18n.keywords import find_asked_need, find_need, follow_up_aspects, matches
from bot.nlu.component import UntrainedComponent, add_entity, set_intent
from bot.nlu.danger_first import strongest
from core.names import DISCLOSURE, DISCLOSURE_INTENTS, FIND_SERVICES, NEED_SHELTER
from core.places import resolve_place

EXTRACTOR = "ToldAndAsked"
# How likely a services question behind a disclosure must be. Low, because the message must also name both the
# service and a place: measured on every evaluation set, between 0.1 and 0.2 (DangerFirst's bar for what else a
# message asks, used here before) only "is there a doctor in rockland who does the exam after a sexual assault"
# changes (0.19 after the tenth training round; 0.21 before); the next ones, stories of forced work or an
# assault in a named town that ask for nothing, are under 0.01.
MIN_ASKED = 0.1
EXAM = "medical_forensic_exam"
SAFE_HOUSING = "safe_housing"
SEXUAL_ASSAULT = "sexual_assault"
QUESTION_MARKS = ("?", "؟")
# What a follow-up word asks that an exam question asks too: is it too late, where, does it cost.
ASKING = {"time", "where", "cost"}


def question_asked(text: str, intent: dict[str, Any], ranking: list[dict[str, Any]]) -> str | None:
    """The question (find_services, need_shelter) a message read as a disclosure asks after its story, or None."""
    if text.startswith("/") or intent.get("name") not in DISCLOSURE_INTENTS:
        return None
    if intent["name"] == SEXUAL_ASSAULT and need_asked(text, ranking, EXAM, find_need(text), FIND_SERVICES):
        return FIND_SERVICES
    if need_asked(text, ranking, SAFE_HOUSING, find_asked_need(text), NEED_SHELTER):
        return NEED_SHELTER
    if strongest(ranking, (FIND_SERVICES,), MIN_ASKED) is None:
        return None
    return FIND_SERVICES if matches(text, "needs") and resolve_place(text) is not None else None


def need_asked(text: str, ranking: list[dict[str, Any]], need: str, named: str | None, reading: str) -> bool:
    """Whether a message names `need` (the exam, a bed tonight: statewide answers) and asks something about it: a
    question mark, a follow-up word, or some chance of that question (`reading`) in the classifier's eyes."""
    if named != need:
        return False
    if any(mark in text for mark in QUESTION_MARKS) or ASKING & set(follow_up_aspects(text)):
        return True
    return strongest(ranking, (reading,), MIN_ASKED) is not None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ToldAndAsked(UntrainedComponent):
    """May set intent find_services or need_shelter, with the disclosure it replaced as the entity `disclosure`."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            asked = question_asked(message.get(TEXT) or "", intent, message.get(INTENT_RANKING_KEY) or [])
            if asked is not None:
                set_intent(message, asked)
                add_entity(message, DISCLOSURE, intent["name"], EXTRACTOR)
        return messages
