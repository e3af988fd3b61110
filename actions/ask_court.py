"""The court action: "Where do I go for a protection order? I live in Lewiston" -> the court, how to reach it,
what to bring, what happens, interpreters, remote hearings and safety at court, in the person's language.

The kind of case comes from the message (bot/i18n/keywords.py case_types, or a protection-order option), else
from earlier in the conversation; the county from the message or the conversation (asked for once). A court
whose address is not confirmed is named with the number to call instead (or, when it is said to share a
building whose address is confirmed, that building, with the warning that no official page confirms it).
On SMS: the courts and the two lines that matter most (free interpreters, an advocate who can come along).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.ask_services import answer_services, place_label
from actions.legal_replies import how_to_apply_reply, option_reply
from actions.provenance import provenance_line
from actions.replies import Replies, acknowledge, join_lines, send
from actions.request import Request, place_slots
from actions.safe_action import SafeAction
from bot.i18n.keywords import find_need, follow_up_aspects
from core.courts import (
    CallNumber,
    CourtAnswer,
    CourtChoice,
    advice_for,
    court_for_case_type,
    courts_for_county,
    general_line,
    number_to_call,
)
from core.facts import facts
from core.legal import legal_option
from core.names import DISCLOSURE, EXPECTS_PLACE, FOLLOW_UP, INFORM_PLACE, PLACE_ASKED, TOPIC
from core.names import LEGAL_OPTION as OPTION

COURT = "court"
CASE = "court_case"
PROTECTION_ORDERS = ("protection_from_abuse", "protection_from_harassment")
SEALING = "record_sealing_prostitution"
OPTION_CASES = {
    "protection_from_abuse": "protection_from_abuse",
    "protection_from_harassment": "protection_from_harassment",
    "record_relief_prostitution": SEALING,
    "civil_suit_trafficker": "civil_suit_trafficker",
}
SMS_ADVICE = ("interpreter", "advocate")
BULLET = "• "
SMS_BULLET = "- "  # GSM-7 has no "•": one would make the whole text message cost twice the segments


def fact_values() -> dict[str, str]:
    """Every line, email and website with a key (lines.csv and contacts.csv), for advice placeholders."""
    return {key: fact.value for key, fact in facts().items()}


def call_label(replies: Replies, call: CallNumber) -> str:
    if call.kind == "court":
        return replies.text("utter_court_clerk", court=call.court)
    if call.kind == "building":
        return replies.text("utter_court_clerk_same_building", court=call.court)
    return replies.data("court_general", "name", call.label)


def hours(replies: Replies, choice: CourtChoice) -> str:
    """The court's own hours, else the usual hours of Maine courts (data/courts/general.csv)."""
    if choice.hours_are_general:
        return replies.data("court_general", "value", choice.hours)
    return replies.data("courts", "hours", choice.hours)


def address_line(replies: Replies, choice: CourtChoice) -> str:
    """The court's address when confirmed; else the building it is said to be in, saying that is not confirmed;
    else the number to call to ask the way."""
    court, call, building = choice.court, choice.call, choice.building_court
    if court.street_and_town:
        return replies.text("utter_court_address", address=court.street_and_town)
    if building is not None:
        return replies.text(
            "utter_court_address_building",
            building=court.building,
            address=building.street_and_town,
            number=call.number,
        )
    return replies.text("utter_court_address_unconfirmed", number=call.number)


def phone_line(replies: Replies, choice: CourtChoice) -> str:
    return replies.text("utter_court_phone", number=choice.call.number, label=call_label(replies, choice.call))


def hours_line(replies: Replies, choice: CourtChoice) -> str:
    return replies.text("utter_court_hours", hours=hours(replies, choice))


def court_block(replies: Replies, choice: CourtChoice) -> str:
    court, call = choice.court, choice.call
    address = address_line(replies, choice)
    if replies.plain_text:
        return (
            f"{SMS_BULLET}{court.name}: {court.street_and_town or (address if choice.building_court else call.number)}"
        )
    return join_lines(
        f"{BULLET}{court.name}",
        address,
        phone_line(replies, choice),
        hours_line(replies, choice),
        replies.text("utter_court_took_cases", courts=", ".join(c.name for c in choice.took_cases_from))
        if choice.took_cases_from
        else None,
        provenance_line(replies, court.provenance),
    )


def advice_lines(replies: Replies, protection_order: bool, keys: tuple[str, ...] | None = None) -> list[str]:
    """The court guide's advice (data/courts/guide.csv), translated, its numbers filled in; only `keys` if given."""
    values = fact_values()
    return [
        replies.data("court_guide", "text", a.text, **values)
        for a in advice_for(protection_order)
        if keys is None or a.key in keys
    ]


def advice_block(replies: Replies, protection_order: bool) -> str:
    lines = advice_lines(replies, protection_order, SMS_ADVICE if replies.plain_text else None)
    if replies.plain_text:
        return join_lines(*lines)
    return join_lines(replies.text("utter_court_what_to_know"), *(f"{BULLET}{line}" for line in lines))


def choices_for_county(county: str) -> tuple[CourtChoice, ...]:
    """Every open court of a county, District first, each with the number to call."""
    return tuple(CourtChoice(court, number_to_call(court)) for court in courts_for_county(county))


def nearest_first(choices: tuple[CourtChoice, ...], town: str | None) -> list[CourtChoice]:
    """The court in the person's own town first (Houlton before Caribou for someone in Houlton)."""
    return sorted(choices, key=lambda choice: choice.court.town != town)


def court_choices(
    replies: Replies, case: str | None, where: str, county: str
) -> tuple[str, tuple[CourtChoice, ...], str | None]:
    """The heading, the courts and the filing rule of an answer about a kind of case (or none) in a county."""
    if case is None:
        return replies.text("utter_court_heading_list", place=where), choices_for_county(county), None
    answer: CourtAnswer = court_for_case_type(case, county)
    heading = (
        replies.text("utter_court_heading_protection", place=where)
        if case in PROTECTION_ORDERS
        else replies.text("utter_court_heading_case", case=answer.case_type.name, place=where)
    )
    rule = join_lines(
        replies.data("case_types", "rule", answer.case_type.rule),
        replies.data("case_types", "when_court_closed", answer.case_type.when_court_closed)
        if answer.closed and answer.case_type.when_court_closed
        else None,
    )
    return heading, answer.choices, rule


def court_reply(replies: Replies, case: str | None, where: str, county: str, town: str | None = None) -> dict[str, Any]:
    heading, choices, rule = court_choices(replies, case, where, county)
    separator = "\n" if replies.plain_text else "\n\n"
    blocks = [court_block(replies, choice) for choice in nearest_first(choices, town)]
    if not rule or replies.plain_text:
        rule = None
    parts = [heading, rule, *blocks, advice_block(replies, case in PROTECTION_ORDERS)]
    return {"text": separator.join(part for part in parts if part)}


# Follow-ups about one detail of the courts just given ("is there parking?", "when are they open?", "what is
# their number?"): that detail, not the whole answer again (on SMS, several text messages again).
DETAIL_ASPECTS = ("where", "hours", "contact")
# "When?" about a protection order may ask when a judge decides: the same-day order and the hearing's delay.
WHEN = ("po_same_day", "po_hearing")


def court_detail(
    replies: Replies, aspect: str, case: str | None, where: str, county: str, town: str | None = None
) -> dict[str, Any]:
    """The asked-for detail of each court of the answer before, with the number to call for the rest (we hold no
    parking, bus or access facts: the clerk has them)."""
    heading, choices, _ = court_choices(replies, case, where, county)
    bullet = SMS_BULLET if replies.plain_text else BULLET
    blocks = [
        join_lines(
            f"{bullet}{choice.court.name}",
            address_line(replies, choice) if aspect == "where" else None,
            hours_line(replies, choice) if aspect == "hours" else None,
            phone_line(replies, choice),
        )
        for choice in nearest_first(choices, town)
    ]
    tail: list[str] = []
    if aspect == "where":
        tail.append(replies.text("utter_court_ask_the_way"))
    if aspect == "hours" and case in PROTECTION_ORDERS:  # "when" may be about the order, not the doors
        tail += advice_lines(replies, True, WHEN)
    return {"text": join_lines(heading, *blocks, *tail)}


def case_from(request: Request, before: str | None) -> str | None:
    option = request.legal_option()
    return request.case_type() or OPTION_CASES.get(option or "") or before


# Needs that no court question is about: "where can I sleep tonight in Bangor", taken for a "where is"
# question about the court, is a services question.
NOT_COURT_NEEDS = (
    "safe_housing",
    "medical_forensic_exam",
    "basic_needs",
    "counselling",
    "crisis_line",
    "labour_rights",
)


# Court questions whose answer is the same in every court of Maine: answered at once, town or not.
STATEWIDE_OPTIONS = ("court_interpreter", "remote_hearing")
# A case whose filing is the same everywhere (the form, the fee): explained before the town is asked for.
CASE_OPTIONS = {case: option for option, case in OPTION_CASES.items()}


def statewide_part(replies: Replies, request: Request, case: str | None) -> dict[str, Any] | None:
    """What holds in every Maine court for this question: interpreters, remote hearings, how to file."""
    option = request.legal_option()
    if option in STATEWIDE_OPTIONS or "language" in follow_up_aspects(request.words):
        return option_reply(replies, legal_option(option if option in STATEWIDE_OPTIONS else "court_interpreter"))
    if case in CASE_OPTIONS and request.where is None and request.intent != INFORM_PLACE:
        return how_to_apply_reply(replies, legal_option(CASE_OPTIONS[case]))
    return None


def answer_court(dispatcher: CollectingDispatcher, tracker: Tracker, request: Request) -> list[dict[str, Any]]:
    """Answer first, narrow later: what holds statewide at once; the court itself once the town is known."""
    replies = Replies.for_tracker(tracker)
    continuing = request.intent in (INFORM_PLACE, FOLLOW_UP)
    # The case asked about before: the court's own question, else the legal option explained last.
    before = (tracker.get_slot(CASE) or OPTION_CASES.get(tracker.get_slot(OPTION) or "")) if continuing else None
    case = case_from(request, before)
    if case is None and find_need(request.words) in NOT_COURT_NEEDS:
        return answer_services(dispatcher, tracker, request)
    events = [
        SlotSet(TOPIC, COURT),
        SlotSet(CASE, case),
        *[SlotSet(k, v) for k, v in place_slots(request.place).items()],
    ]
    told = request.entities.get(DISCLOSURE)
    if case == SEALING:
        send(dispatcher, replies.message("utter_court_record_sealing"))
        acknowledge(dispatcher, replies, told)
        return events
    place = request.where
    statewide = statewide_part(replies, request, case)
    if statewide is not None:
        send(dispatcher, statewide)
    if place is None:
        acknowledge(dispatcher, replies, told)
        if statewide is not None and request.legal_option() in STATEWIDE_OPTIONS:
            return events  # answered in full: the same in every court
        if not tracker.get_slot(PLACE_ASKED):
            send(dispatcher, replies.message("utter_ask_place"), expects=EXPECTS_PLACE)
            return [*events, SlotSet(PLACE_ASKED, True)]
        text = join_lines(
            replies.text("utter_court_need_place", number=general_line().number),
            advice_block(replies, case in PROTECTION_ORDERS),
        )
        send(dispatcher, {"text": text})
        return [*events, SlotSet(PLACE_ASKED, False)]
    send(dispatcher, court_reply(replies, case, place_label(replies, place), place.county, place.municipality))
    acknowledge(dispatcher, replies, told)
    return [*events, SlotSet(PLACE_ASKED, False)]


class ActionCourt(SafeAction):
    def name(self) -> str:
        return "action_court"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        return answer_court(dispatcher, tracker, Request.from_tracker(tracker))
