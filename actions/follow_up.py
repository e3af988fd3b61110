"""Follow-ups and what a crisis message also asked: the conversation keeps its thread.

- `action_follow_up` (intent follow_up: "is it free?", "which form?", "where is it?", "can I text them?")
  answers about the answer before: the legal option explained last, the court, the services found, or the
  24/7 lines of a crisis reply. What it asks about comes from the `follow_ups` word lists
  (locales/<lang>/keywords.yml); what it is about, from the conversation: the slots the actions set, else
  the reply the assistant sent last.
- `action_also` runs after a crisis reply: a message that told of danger and also asked about the court or a
  visa gets its danger reply first, then the answer to its question (entity `also`, bot/nlu/danger_first.py).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.ask_court import CASE, CASE_OPTIONS, COURT, DETAIL_ASPECTS, OPTION_CASES, answer_court, court_detail
from actions.ask_legal import LEGAL, OPTION
from actions.ask_services import SERVICES, answer_services, place_label
from actions.legal_replies import contact_lines, field_line, option_reply, option_title
from actions.replies import Replies, acknowledge, join_lines, send
from actions.request import Request
from actions.safe_action import SafeAction
from bot.i18n.keywords import find_need, follow_up_aspects
from core.facts import fact
from core.legal import legal_option
from core.names import ALSO, AUTHORITIES, DISCLOSURE, MINOR, NEED_SHELTER, NOT_ENGLISH, TOLD, TOPIC

# The 24/7 lines each crisis reply gives, and those of them that take text messages.
REPLY_LINES = {
    "utter_danger": ("line_911", "line_dv", "line_sa", "line_988"),
    "utter_self_harm": ("line_988", "line_maine_crisis", "line_911"),
    "utter_trafficking": ("line_htl", "text_htl"),
    "utter_sexual_assault": ("line_sa",),
    "utter_domestic_violence": ("line_dv",),
    "utter_shelter": ("line_dv", "line_211", "text_211"),
    "utter_talk_to_person": ("line_dv", "line_sa", "line_htl"),
}
TEXT_LINES = {
    "line_911": "line_911",
    "line_988": "line_988",
    "line_htl": "text_htl",
    "line_211": "text_211",
    "line_maine_crisis": "line_maine_crisis",
}
DISCLOSURE_REPLIES = {
    "domestic_violence": "utter_domestic_violence",
    "sexual_assault": "utter_sexual_assault",
    "trafficking_signs": "utter_trafficking",
}
# A crisis reply already gives these lines: what the message also told needs no second reply. The notice for a
# young person (minor) gives none, so what they told gets its reply.
ALREADY_GIVEN = {"danger_now": {"domestic_violence", "sexual_assault"}, "self_harm": set()}


# Custom actions whose answer a follow-up is about; the slots they set say what the answer was.
TOPIC_ACTIONS = {"action_legal_options", "action_court", "action_find_services", "action_answer_place", "action_also"}


def thread(tracker: Tracker) -> str | None:
    """What the conversation's latest answer was: a crisis reply's name (its lines), "slots" (the topic the
    custom actions remembered), or None. Small talk between (a thank-you, the privacy answer) is skipped."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            reply = (event.get("metadata") or {}).get("utter_action")
            if reply in REPLY_LINES:
                return reply
        elif event.get("event") == "action" and event.get("name") in TOPIC_ACTIONS:
            return "slots"
        elif event.get("event") in ("restart", "session_started"):
            return None
    return None


# "Will they call the police / immigration?" (follow_ups: authorities). What the replies already say of a line,
# for each line that has it; a legal option's own fields that speak of them (its English text decides which).
AUTHORITY_LINES = {"line_htl": "utter_followup_authorities_htl", "line_sa": "utter_followup_authorities_sa"}
CRISIS_REPLIES = ("utter_danger", "utter_self_harm")  # 911 is the police: no advice about avoiding it there
SPEAKS_OF_AUTHORITIES = re.compile(r"\b(police|immigration|law enforcement)\b", re.IGNORECASE)
LEGAL_FIELDS = ("who_can_get_it", "time_limit", "what_it_gives", "how_to_apply")
LAWYERS = "legal_help"  # the `needs` key of keywords.yml for a lawyer

# "What's their number?" with no answer before it: the lines anyone can call, not a question back.
NO_THREAD_LINES = "utter_talk_to_person"
LINE_ASPECTS = ("contact", "text")


def line_reply(replies: Replies, reply: str, aspect: str | None, again: bool = True) -> dict[str, Any]:
    keys = REPLY_LINES[reply]
    if aspect == "text":
        keys = tuple(dict.fromkeys(TEXT_LINES[k] for k in keys if k in TEXT_LINES))
        heading = "utter_followup_lines_text"
    elif aspect in ("cost", "hours"):  # "are they open now?": every one of these lines is free and 24 hours
        heading = "utter_followup_lines_free"
    elif aspect == "language":
        heading = "utter_followup_lines_interpreter"
    else:
        heading = "utter_followup_lines" if again else "utter_followup_lines_first"
    return {"text": join_lines(replies.text(heading), *contact_lines(replies, tuple(fact(k) for k in keys)))}


# Follow-ups that ask for one fact, which an option may not hold: "I do not have that detail", not the whole
# option again. ("what's the difference?" and a question with no follow-up word still get the explanation.)
UNKNOWN_ASPECTS = ("cost", "time", "text")


def legal_follow_up(replies: Replies, key: str, aspect: str | None) -> dict[str, Any]:
    option = legal_option(key)
    fields = option.plain_text()
    data = {
        "documents": ["how_to_apply"],
        "cost": ["fee"],
        "where": ["how_to_apply", "where_free_help"],
        "contact": ["where_free_help"],
        "hours": ["where_free_help"],
        "time": ["time_limit"],
        "help": ["where_free_help"],
    }.get(aspect or "", [])
    if aspect == "language":
        return court_interpreters(replies)
    shown = [f for f in data if fields.get(f)]
    lines: list[str] = []
    if not shown and aspect in UNKNOWN_ASPECTS:
        # Asked what the option's facts do not hold ("how long does it take?" of the U visa; the fee of a
        # program that lists none): say so, and who can tell, rather than the whole explanation again.
        lines = [option_title(replies, option), replies.text("utter_followup_legal_unknown")]
        shown = [f for f in ("where_free_help",) if fields.get(f)]
    elif not shown:
        return option_reply(replies, option)
    for field in shown:
        lines.append(field_line(replies, field, fields[field]))
        if field == "how_to_apply" and option.form_numbers:
            lines.append(replies.text("utter_legal_forms", forms=", ".join(option.form_numbers)))
    lines.extend(contact_lines(replies, option.contacts[:2]))
    lines.append(replies.text("utter_legal_disclaimer"))
    return {"text": join_lines(*lines)}


# "How much does it cost?" after a court's answer: the fee of the case asked about (a protection order: none),
# else what costs nothing in every court of Maine, the interpreter. We hold no other court fees.
COURT_WIDE_COST = "court_interpreter"


def court_cost(replies: Replies, case: str | None) -> dict[str, Any]:
    """The fee of the court case just answered about, with its name ("Protection from Abuse order", "No fee.")."""
    option = legal_option(CASE_OPTIONS.get(case or "", COURT_WIDE_COST))
    if not option.plain_text().get("fee"):
        option = legal_option(COURT_WIDE_COST)
    fee = field_line(replies, "fee", option.plain_text()["fee"])
    return {"text": join_lines(option_title(replies, option), fee, replies.text("utter_legal_disclaimer"))}


def last_told(tracker: Tracker) -> str | None:
    """The latest reply to what someone told (sexual assault, abuse, trafficking) in the conversation, if any:
    the services found after it are that kind of help."""
    for event in reversed(tracker.events):
        metadata = (event.get("metadata") or {}) if event.get("event") == "bot" else {}
        reply = metadata.get("utter_action")
        if reply in DISCLOSURE_REPLIES.values():
            return reply
        if metadata.get(TOLD) in DISCLOSURE_REPLIES:  # the line added after an answer (actions/replies.py)
            return DISCLOSURE_REPLIES[metadata[TOLD]]
        if event.get("event") in ("restart", "session_started"):
            return None
    return None


def line_statements(replies: Replies, reply: str | None) -> list[str]:
    """What the replies say of the police and immigration for each line the reply gave."""
    return [replies.text(AUTHORITY_LINES[k]) for k in REPLY_LINES.get(reply or "", ()) if k in AUTHORITY_LINES]


def authorities_reply(
    replies: Replies, reply: str | None, topic: str | None, option: str | None, told: str | None = None
) -> dict[str, Any]:
    """Whether the police or immigration will be told: what is known of the answer just given, then what the
    assistant itself does (the question may be about either)."""
    lines: list[str] = []
    if reply in REPLY_LINES:
        lines += line_statements(replies, reply)
        if reply not in CRISIS_REPLIES:
            lines.append(replies.text("utter_followup_authorities_lines"))
    elif topic == LEGAL and option:
        fields = legal_option(option).plain_text()
        for field in LEGAL_FIELDS:
            if fields.get(field) and SPEAKS_OF_AUTHORITIES.search(fields[field]):
                lines.append(field_line(replies, field, fields[field]))
        if lines:
            lines.append(replies.text("utter_legal_disclaimer"))
    elif topic == SERVICES:  # the local programs found after a disclosure: its line's statement first
        lines += line_statements(replies, told)
        lines.append(replies.text("utter_followup_authorities_ask"))
    lines.append(replies.text("utter_followup_authorities_me"))
    return {"text": join_lines(*lines)}


def court_interpreters(replies: Replies) -> dict[str, Any]:
    return replies.message(
        "utter_followup_court_interpreter",
        number=fact("line_court_interpreters").value,
        email=fact("email_court_interpreters").value,
    )


class ActionFollowUp(SafeAction):
    """Reads slots topic, legal_option, court_case, need, town, county; the last bot reply; entity-free."""

    def name(self) -> str:
        return "action_follow_up"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        request = Request.from_tracker(tracker)
        replies = Replies.for_tracker(tracker)
        aspects = follow_up_aspects(request.words)
        # "can I text them instead of calling?" names both: writing is what it asks.
        aspect = "text" if "text" in aspects else (aspects[0] if aspects else None)
        if aspect == NOT_ENGLISH:  # "what if I don't speak English?": whether they speak the person's language
            aspect = "language"
        reply = thread(tracker)
        topic = tracker.get_slot(TOPIC)
        if aspect == AUTHORITIES:
            send(dispatcher, authorities_reply(replies, reply, topic, tracker.get_slot(OPTION), last_told(tracker)))
            return []
        if reply in REPLY_LINES and aspect is None and find_need(request.words) == LAWYERS:
            # "ok, and for a lawyer?" after the hotline's number: the lines do not give one; free legal help does.
            # Only a lawyer: other kinds of help are named in follow-ups about the lines themselves ("lacag",
            # money; a green card), and answering those with a search lost turns (docs/nlu-quality.md).
            return answer_services(dispatcher, tracker, request)
        if reply in REPLY_LINES:  # a crisis reply was the latest answer: the follow-up is about its lines
            send(dispatcher, line_reply(replies, reply, aspect))
            return []
        option = tracker.get_slot(OPTION)
        if topic == LEGAL and option:
            # "Where do I file it? I live in Auburn" after a protection order: its court, for that town.
            if OPTION_CASES.get(option) and (request.place or (aspect == "where" and request.where)):
                return answer_court(dispatcher, tracker, request)
            send(dispatcher, legal_follow_up(replies, option, aspect))
            return []
        if topic == COURT:
            if aspect == "language":
                send(dispatcher, court_interpreters(replies))
                return []
            if aspect == "cost" and request.place is None:
                send(dispatcher, court_cost(replies, tracker.get_slot(CASE)))
                return []
            place = request.remembered
            if aspect in DETAIL_ASPECTS and request.place is None and place is not None:
                where = place_label(replies, place)
                case = tracker.get_slot(CASE)
                send(dispatcher, court_detail(replies, aspect, case, where, place.county, place.municipality))
                return []
            return answer_court(dispatcher, tracker, dataclasses.replace(request, intent="inform_place"))
        if topic == SERVICES:
            if aspect == "cost":
                send(dispatcher, replies.message("utter_followup_services_cost"))
            elif aspect == "language":  # "do they speak Portuguese?": what the list says of each, where known
                send(dispatcher, replies.message("utter_followup_services_language"))
            # A question about the list keeps its kind of help, though its words may name another: "lacag ma la
            # bixiyaa?" (is it paid for?) holds "lacag", money, a basic need. "and a lawyer?" asks no aspect.
            words = "" if aspect else request.text
            return answer_services(dispatcher, tracker, dataclasses.replace(request, intent="inform_place", text=words))
        if aspect in LINE_ASPECTS:
            send(dispatcher, line_reply(replies, NO_THREAD_LINES, aspect, again=False))
            return []
        key = request.legal_option()
        if key:  # no answer before it, but it names what it asks about: "are court interpreters free?"
            send(dispatcher, legal_follow_up(replies, key, aspect))
            return [SlotSet(TOPIC, LEGAL), SlotSet(OPTION, key)]
        send(dispatcher, replies.message("utter_followup_what"))
        return []


class ActionAlso(SafeAction):
    """After a crisis reply, or the notice for a young person: answers entity `also`, the question or disclosure
    the message held beside it."""

    def name(self) -> str:
        return "action_also"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        request = Request.from_tracker(tracker)
        also = request.entities.get(ALSO)
        asked = dataclasses.replace(request, intent=also or "")
        if also == "ask_court":
            return answer_court(dispatcher, tracker, asked)
        if also in ("find_services", NEED_SHELTER):
            if also == NEED_SHELTER and request.intent == MINOR:
                # The lines that look for a bed tonight, as a shelter question alone gets them (data/rules):
                # after a crisis, its own reply gave the helpline already.
                send(dispatcher, Replies.for_tracker(tracker).message("utter_shelter"))
            return answer_services(dispatcher, tracker, asked)
        if also == "ask_legal_options":
            key = asked.legal_option()
            if key:
                replies = Replies.for_tracker(tracker)
                send(dispatcher, option_reply(replies, legal_option(key)))
                acknowledge(dispatcher, replies, request.entities.get(DISCLOSURE))
                return [SlotSet(TOPIC, LEGAL), SlotSet(OPTION, key)]
            return []
        if also in DISCLOSURE_REPLIES and also not in ALREADY_GIVEN.get(request.intent, set()):
            send(dispatcher, Replies.for_tracker(tracker).message(DISCLOSURE_REPLIES[also]))
        return []
