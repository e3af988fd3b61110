"""The place action: the person named a town or county ("Lewiston", or the answer to "Which town?").

It continues what the person was asking about (services or the court), with the place remembered for the
rest of the conversation. After a reply to what someone told (sexual assault, abuse, trafficking, nowhere to
sleep), a town given next asks for that help near it; with nothing asked or told yet, it asks what they need
there.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.ask_court import COURT, OPTION_CASES, answer_court
from actions.ask_legal import LEGAL, OPTION
from actions.ask_services import SERVICES, answer_services, place_label
from actions.follow_up import thread
from actions.replies import Replies, send
from actions.request import Request, place_slots
from actions.safe_action import SafeAction
from core.names import NEED, TOPIC

# The help a town asks for right after one of these replies: the local advocates (sexual assault centres,
# domestic violence and anti-trafficking programmes are listed under advocacy) or a safe place to stay.
REPLY_NEEDS = {
    "utter_sexual_assault": "counselling",
    "utter_domestic_violence": "counselling",
    "utter_trafficking": "counselling",
    "utter_shelter": "safe_housing",
}


def legal_option_case(option: str | None) -> str | None:
    """The court case a legal option is filed as ("protection_from_abuse"), if any."""
    return OPTION_CASES.get(option or "")


class ActionAnswerPlace(SafeAction):
    def name(self) -> str:
        return "action_answer_place"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        request = Request.from_tracker(tracker)
        topic = tracker.get_slot(TOPIC)
        if topic == SERVICES or request.need() is not None:
            return answer_services(dispatcher, tracker, request)
        if topic == COURT or (topic == LEGAL and legal_option_case(tracker.get_slot(OPTION))):
            # "Where do I file it? I live in Westbrook" after a protection order: its court, for that town.
            return answer_court(dispatcher, tracker, request)
        told = REPLY_NEEDS.get(thread(tracker) or "")
        if told and request.place is not None:
            return answer_services(dispatcher, tracker, dataclasses.replace(request, entities={NEED: told}))
        if request.place is None:  # "inform_place" with no place we know: show what we can do
            send(dispatcher, Replies.for_tracker(tracker).message("utter_menu"))
            return []
        replies = Replies.for_tracker(tracker)
        send(dispatcher, replies.message("utter_place_noted", place=place_label(replies, request.place)))
        return [SlotSet(key, value) for key, value in place_slots(request.place).items()]
