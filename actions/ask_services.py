"""The services action: "I need a lawyer in Portland" -> the three best services, in the person's language.

Needs a need (from the message, a button, the intent or earlier) and a place. Without a need it asks which
kind of help; without a place it asks for the town or county once, then searches statewide. Each result
gives the name (as it is), how to reach it, hours, languages, who it is for and where that comes from
("checked on" only after a live check: actions/provenance.py); on SMS only the name and how to reach it, so
three results fit in a few segments.
"""

from __future__ import annotations

import functools
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.provenance import oldest_check, provenance_line
from actions.replies import Replies, acknowledge, join_lines, send
from actions.request import Request, place_slots
from actions.safe_action import SafeAction
from core.directory.search import Service, find_services, needs, open_directory
from core.names import DISCLOSURE, EXPECTS_PLACE, FOLLOW_UP, INFORM_PLACE, NEED, PLACE_ASKED, TOPIC
from core.places import Place

SERVICES = "services"
MAX_CONTACTS = 3  # the local numbers come first; a long list of offices helps nobody choose
CONTACT_MESSAGES = {
    "voice": "utter_service_call",
    "text": "utter_service_text",
    "whatsapp": "utter_service_whatsapp",
    "textphone": "utter_service_tty",  # HSDS names a TTY line "textphone"
}
BULLET = "• "
SMS_BULLET = "- "  # GSM-7 has no "•": one would make the whole text message cost twice the segments


@functools.lru_cache(maxsize=1)
def directory() -> Any:
    return open_directory()


def need_names() -> dict[str, str]:
    """Need code -> English label, in the taxonomy's order."""
    return needs(directory())


def place_label(replies: Replies, place: Place) -> str:
    if place.municipality:
        return replies.text("utter_place_town", town=place.municipality, county=place.county)
    return replies.text("utter_place_county", county=place.county)


def ask_need(replies: Replies) -> dict[str, Any]:
    buttons = [
        {"title": replies.data("taxonomy", "name", label), "payload": f'/find_services{{"need": "{code}"}}'}
        for code, label in need_names().items()
    ]
    return replies.with_choices(replies.text("utter_ask_need"), buttons)


def contacts(replies: Replies, service: Service, limit: int | None = None) -> str:
    """ "Call 207-774-8211 · Text 233733", or the website when the sources confirm no phone."""
    parts = [replies.text(CONTACT_MESSAGES[phone.type], number=phone.number) for phone in service.phones]
    parts = list(dict.fromkeys(parts))[: limit or MAX_CONTACTS]
    if not parts and service.websites:
        parts = [replies.text("utter_service_website", url=service.websites[0].url)]
    return " · ".join(parts)


def service_block(replies: Replies, service: Service) -> str:
    if replies.plain_text:  # the shorter of the service's and its organisation's own names
        name = min(filter(None, (service.name, service.organization)), key=len)
        return f"{SMS_BULLET}{name}: {contacts(replies, service, limit=1)}"
    name = f"{BULLET}{service.name}"
    hours = "; ".join(dict.fromkeys(replies.data("schedule", "description", h.description) for h in service.hours))
    spoken = [language.code for language in service.languages if language.code != "en"]
    return join_lines(
        name,
        contacts(replies, service),
        replies.text("utter_service_hours", hours=hours) if hours else None,
        replies.text("utter_service_speaks", languages=replies.language_names(spoken)) if spoken else None,
        replies.text(
            "utter_service_interpreter", how=replies.data("service", "interpretation_services", service.interpretation)
        )
        if service.interpretation and not service.speaks_language
        else None,
        replies.text("utter_service_for", who=replies.data("service", "eligibility_description", service.eligibility))
        if service.eligibility
        else None,
        replies.text("utter_service_alert", alert=replies.data("service", "alert", service.alert))
        if service.alert
        else None,
        provenance_line(replies, service.provenance),
    )


def checked_line_sms(replies: Replies, results: list[Service]) -> str:
    """One line for the whole short list: the oldest live check, or that nobody has checked them live."""
    oldest = oldest_check([service.provenance for service in results])
    if oldest is None:
        return replies.text("utter_sources_not_checked")
    return replies.text("utter_checked_on", date=replies.date(oldest.isoformat()))


def services_reply(replies: Replies, need: str, place: Place | None) -> dict[str, Any]:
    """The answer for a need near a place (statewide when place is None)."""
    county, town = (place.county, place.municipality) if place else (None, None)
    results = find_services(directory(), need, county=county, language=replies.language, limit=3, municipality=town)
    need_label = replies.data("taxonomy", "name", need_names()[need])
    where = place_label(replies, place) if place else None
    if not results:
        return replies.message("utter_services_none", need=need_label, place=where or "Maine")
    heading = (
        replies.text("utter_services_found", need=need_label, place=where)
        if where
        else replies.text("utter_services_found_statewide", need=need_label)
    )
    blocks = [service_block(replies, service) for service in results]
    if replies.plain_text:
        blocks.append(checked_line_sms(replies, results))
    separator = "\n" if replies.plain_text else "\n\n"
    body = separator.join([heading, *blocks])
    return {"text": join_lines(body, replies.text("utter_services_more"))}


def answer_services(dispatcher: CollectingDispatcher, tracker: Tracker, request: Request) -> list[dict[str, Any]]:
    """Shared by the services action, the place answer and follow-ups. Answer first, narrow later: without a
    town, the services that serve all of Maine now, and an offer to find closer ones once the town is known."""
    replies = Replies.for_tracker(tracker)
    need = request.need(before=tracker.get_slot(NEED) if request.intent in (INFORM_PLACE, FOLLOW_UP) else None)
    events = [SlotSet(TOPIC, SERVICES), *[SlotSet(k, v) for k, v in place_slots(request.place).items()]]
    told = request.entities.get(DISCLOSURE)
    if need is None:
        acknowledge(dispatcher, replies, told)
        send(dispatcher, ask_need(replies))
        return events
    events.append(SlotSet(NEED, need))
    place = request.where
    send(dispatcher, services_reply(replies, need, place))
    acknowledge(dispatcher, replies, told)
    if place is None and not request.wants_statewide:
        send(dispatcher, replies.message("utter_services_narrow"), expects=EXPECTS_PLACE)
    return [*events, SlotSet(PLACE_ASKED, False)]


class ActionFindServices(SafeAction):
    def name(self) -> str:
        return "action_find_services"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        return answer_services(dispatcher, tracker, Request.from_tracker(tracker))
