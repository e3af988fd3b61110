"""NLU component: a young person who says their age and tells of abuse gets the notice for minors first, then
the line that fits what they told (config.yml: bot.nlu.young_person.YoungPerson, after ToldAndAsked).

"im 15 and my moms boyfriend hits me when shes at work" reads as domestic violence, and its reply gives the
adults' domestic violence line. A person under 18 needs to know first that advocates, doctors and teachers
must report abuse of a child (utter_minor), and then where to call. So when the message says the writer's own
age under 18 (`young` in keywords.yml: "im 15", "tengo 14 años", "15 jir ayaan ahay") and the reading is a
disclosure (domestic violence, sexual assault, trafficking), the intent becomes `minor` and what was told
becomes the entity `also`, which actions/follow_up.py answers right after the notice (data/rules/core.yml).
A message the classifier already read as `minor` keeps what it told the same way, when the classifier saw a
real chance of it.

A crisis is never changed (DangerFirst ran before: 911 or 988 comes first), nor a question (a teenager asking
for a protection order is answered about the protection order).
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.i18n.keywords import says_young_age
from bot.nlu.component import UntrainedComponent, add_entity, set_intent
from bot.nlu.danger_first import MIN_DISCLOSURE_CONFIDENCE, strongest
from core.names import ALSO, DISCLOSURE_INTENTS, MINOR

EXTRACTOR = "YoungPerson"


def told_by_a_young_person(message: Message) -> str | None:
    """The disclosure a young person's message told, when it is to be answered as `minor`; else None."""
    text = message.get(TEXT) or ""
    intent = (message.get(INTENT) or {}).get("name")
    if text.startswith("/"):  # a button's payload says what it is
        return None
    if intent in DISCLOSURE_INTENTS:
        return intent if says_young_age(text) else None
    if intent == MINOR:
        return strongest(message.get(INTENT_RANKING_KEY) or [], DISCLOSURE_INTENTS, MIN_DISCLOSURE_CONFIDENCE)
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class YoungPerson(UntrainedComponent):
    """May set intent minor, with what was told as the entity `also`."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            told = told_by_a_young_person(message)
            if told is not None:
                if (message.get(INTENT) or {}).get("name") != MINOR:
                    set_intent(message, MINOR)
                add_entity(message, ALSO, told, EXTRACTOR)
        return messages
