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

A young person who asks for the exam, a place to sleep, the court or a named legal option ("im 15, he raped me,
where can i get an exam?", "tengo 16, dónde está el tribunal en Portland") gets the notice too, before the
answer: at the exam, the shelter or the court they meet the adults the notice is about (doctors, advocates)
and should know it before going, story told or not (the classifier often reads the question alone, with no
share left for the story). The question becomes `also`, answered after the notice, with the
line that fits when a story was read (entity `disclosure`). A legal question that names no option is answered
as it is: its answer is the list of options to choose from, not one answer to give after the notice.

A crisis is never changed (DangerFirst ran before: 911 or 988 comes first).
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.i18n.keywords import says_young_age
from bot.nlu.component import UntrainedComponent, add_entity, set_intent
from bot.nlu.danger_first import MIN_DISCLOSURE_CONFIDENCE, strongest, sure_option
from core.names import ALSO, ASK_LEGAL, DISCLOSURE_INTENTS, FIND_SERVICES, MINOR, NEED_SHELTER

EXTRACTOR = "YoungPerson"
# Questions that actions/follow_up.py (action_also) answers after the notice as they are answered alone.
ANSWERED_AFTER_THE_NOTICE = ("ask_court", FIND_SERVICES, NEED_SHELTER)


def told_by_a_young_person(message: Message) -> str | None:
    """What a young person's message told or asked, to answer after the notice (`also`); else None, when the
    message is not to be answered as `minor`."""
    text = message.get(TEXT) or ""
    intent = (message.get(INTENT) or {}).get("name")
    if text.startswith("/"):  # a button's payload says what it is
        return None
    if intent in DISCLOSURE_INTENTS or asks_one_answer(message, intent):
        return intent if says_young_age(text) else None
    if intent == MINOR:
        return strongest(message.get(INTENT_RANKING_KEY) or [], DISCLOSURE_INTENTS, MIN_DISCLOSURE_CONFIDENCE)
    return None


def asks_one_answer(message: Message, intent: str | None) -> bool:
    """Whether the question has one answer that action_also gives as it is given alone."""
    if intent == ASK_LEGAL:
        return sure_option(message)  # as DangerFirst decides which legal question it answers after a crisis
    return intent in ANSWERED_AFTER_THE_NOTICE


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
