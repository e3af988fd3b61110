"""The legal-options actions: explain one option, list them, or find those that may fit with a few questions.

Each option's text comes from data/legal/options.csv, translated under "options:<column>", with its official
English name (and form numbers) kept beside the translation so a person can ask for it by name. Every answer
says it is information, not legal advice, and gives free legal help. The questionnaire asks only yes/no
questions (data/legal/questions.csv): no names, no details of what happened; any question can be skipped.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.ask_court import OPTION_CASES, answer_court
from actions.ask_services import answer_services
from actions.provenance import provenance_line
from actions.replies import Replies, join_lines, send
from actions.request import Request
from actions.safe_action import SafeAction
from core.facts import Fact
from core.legal import LegalOption, legal_option, legal_options, options_that_may_fit, questions
from core.names import ANSWER, EXPECTS_ANSWER, TOPIC

LEGAL = "legal"
ANSWERS, QUESTION = "legal_answers", "legal_question"
FIRST_PAGE = (
    "protection_from_abuse",
    "protection_from_harassment",
    "t_visa",
    "u_visa",
    "victims_compensation",
    "record_relief_prostitution",
)
MORE = "more"
LAWYER_NEEDS = ("legal_help", "immigration_legal_help")
SMS_FIELDS = ("what_it_is", "how_to_apply")
MAX_NUMBERED_CHOICES = 9  # a reply of one digit picks a choice on SMS (bot/nlu/numbered_choice.py)
ANSWER_VALUES = {"yes": True, "no": False, "skip": None}
# What a question's `notice_if_yes` (data/legal/questions.csv) says at once after a yes, before the next question.
NOTICES = {"minor_reporting": "utter_minor"}


def option_title(replies: Replies, option: LegalOption) -> str:
    """The option's name in the person's language, with the official English name beside it when they differ."""
    translated = replies.data("options", "name", option.name)
    return option.name if translated == option.name else f"{translated} ({option.name})"


def option_button(replies: Replies, key: str) -> dict[str, str]:
    return {
        "title": replies.data("options", "name", legal_option(key).name),
        "payload": f'/ask_legal_options{{"legal_option": "{key}"}}',
    }


def contact_lines(replies: Replies, contacts: tuple[Fact, ...]) -> list[str]:
    """ "Pine Tree Legal Assistance: 207-774-8211", the name translated from the file the fact comes from."""
    return [
        replies.text("utter_legal_contact", name=replies.data(c.table, "name", c.name), value=c.value) for c in contacts
    ]


def option_reply(replies: Replies, option: LegalOption) -> dict[str, Any]:
    fields = option.plain_text()
    shown = {k: v for k, v in fields.items() if not replies.plain_text or k in SMS_FIELDS}
    lines = [option_title(replies, option)]
    for field, text in shown.items():
        lines.append(replies.text(f"utter_legal_{field}", text=replies.data("options", field, text)))
        if field == "how_to_apply" and option.form_numbers:
            lines.append(replies.text("utter_legal_forms", forms=", ".join(option.form_numbers)))
    contacts = option.contacts[:2] if replies.plain_text else option.contacts
    lines.extend(contact_lines(replies, contacts))
    if option.case_type and not replies.plain_text:
        lines.append(replies.text("utter_legal_ask_court"))
    if not replies.plain_text:
        lines.append(provenance_line(replies, option.provenance))
    lines.append(replies.text("utter_legal_disclaimer"))
    return {"text": "\n".join(lines)}


def overview(replies: Replies, more: bool) -> dict[str, Any]:
    fixed = replies.message("utter_legal_buttons")["buttons"]
    if more:
        keys = [option.key for option in legal_options() if option.key not in FIRST_PAGE]
        buttons = [option_button(replies, key) for key in keys]
        return replies.with_choices(replies.text("utter_legal_more"), buttons[:MAX_NUMBERED_CHOICES])
    buttons = [option_button(replies, key) for key in FIRST_PAGE] + fixed
    return replies.with_choices(replies.text("utter_legal_overview"), buttons)


class ActionLegalOptions(SafeAction):
    def name(self) -> str:
        return "action_legal_options"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        request = Request.from_tracker(tracker)
        replies = Replies.for_tracker(tracker)
        key = request.legal_option()
        if key is None and request.need() in LAWYER_NEEDS:  # "I need a lawyer in Portland": a legal-aid office
            return answer_services(dispatcher, tracker, request)
        if key in OPTION_CASES and request.place is not None:  # "protection order? I live in Lewiston": the court
            return answer_court(dispatcher, tracker, request)
        if key and key != MORE:
            send(dispatcher, option_reply(replies, legal_option(key)))
        else:
            send(dispatcher, overview(replies, more=key == MORE))
        return [SlotSet(TOPIC, LEGAL)]


# --- The questionnaire ---------------------------------------------------------------------------------------


def ask_question(replies: Replies, key: str) -> dict[str, Any]:
    question = next(q for q in questions() if q.key == key)
    buttons = replies.message("utter_yes_no")["buttons"]
    return replies.with_choices(replies.data("questions", "text", question.text), buttons)


def next_question(after: str) -> str | None:
    keys = [q.key for q in questions()]
    position = keys.index(after) + 1
    return keys[position] if position < len(keys) else None


def result(replies: Replies, answers: dict[str, bool | None]) -> dict[str, Any]:
    fits = options_that_may_fit(answers)
    help_lines = [replies.text("utter_legal_free_help"), *contact_lines(replies, fits.referrals)]
    if not fits:
        return {"text": join_lines(replies.text("utter_questionnaire_no_result"), *help_lines)}
    buttons = [option_button(replies, key) for key in fits]
    if replies.plain_text:
        buttons = buttons[:MAX_NUMBERED_CHOICES]
    text = join_lines(replies.text("utter_questionnaire_result"), *help_lines)
    return replies.with_choices(text, buttons)


class ActionLegalQuestionnaire(SafeAction):
    """Starts the questions (intent legal_questionnaire) or takes an answer (intent answer) and asks the next."""

    def name(self) -> str:
        return "action_legal_questionnaire"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        request = Request.from_tracker(tracker)
        replies = Replies.for_tracker(tracker)
        if request.intent == "legal_questionnaire":
            send(dispatcher, replies.message("utter_questionnaire_intro"))
            first = questions()[0].key
            send(dispatcher, ask_question(replies, first), expects=EXPECTS_ANSWER)
            return [SlotSet(TOPIC, LEGAL), SlotSet(ANSWERS, {}), SlotSet(QUESTION, first)]
        current = tracker.get_slot(QUESTION)
        answer = request.entities.get(ANSWER)
        if current is None or answer not in ANSWER_VALUES:
            send(dispatcher, replies.message("utter_questionnaire_not_started"))
            return []
        answers = {**(tracker.get_slot(ANSWERS) or {}), current: ANSWER_VALUES[answer]}
        question = next(q for q in questions() if q.key == current)
        if answer == "yes" and question.notice_if_yes in NOTICES:
            send(dispatcher, replies.message(NOTICES[question.notice_if_yes]))
        following = next_question(current)
        if following is None:
            send(dispatcher, result(replies, answers))
            return [SlotSet(ANSWERS, None), SlotSet(QUESTION, None)]
        send(dispatcher, ask_question(replies, following), expects=EXPECTS_ANSWER)
        return [SlotSet(ANSWERS, answers), SlotSet(QUESTION, following)]
