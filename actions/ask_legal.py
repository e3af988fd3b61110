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

from actions.ask_court import answer_court
from actions.ask_services import answer_services
from actions.legal_replies import contact_lines, option_button, option_reply
from actions.replies import Replies, acknowledge, join_lines, send
from actions.request import Request
from actions.safe_action import SafeAction
from bot.i18n.keywords import compared_legal_options, find_asked_need, find_legal_option
from core.legal import legal_option, legal_options, options_that_may_fit, questions
from core.names import ANSWER, DISCLOSURE, EXPECTS_ANSWER, LAWYER_NEEDS, TOPIC
from core.names import LEGAL_OPTION as OPTION

LEGAL = "legal"
ANSWERS, QUESTION = "legal_answers", "legal_question"
# The options list's first page: with its two fixed buttons, at most 9 (one digit each on SMS), and the rest
# must fit on the "more" page under the same limit (tests/actions/test_help_actions.py).
FIRST_PAGE = (
    "protection_from_abuse",
    "protection_from_harassment",
    "address_confidentiality",
    "t_visa",
    "u_visa",
    "victims_compensation",
    "record_relief_prostitution",
)
MORE = "more"
# A protection order is asked for at the District Court where either person lives, so the town is the answer.
# Other options with a court (sealing a record, suing a trafficker) are explained first: the town in "I was
# arrested in Portland in 2019" is where it happened, and the card says how to find the court.
FILED_WHERE_YOU_LIVE = ("protection_from_abuse", "protection_from_harassment")
MAX_COMPARED = 3  # "T visa, U visa or Continued Presence?": each one's card, in the order asked
MAX_NUMBERED_CHOICES = 9  # a reply of one digit picks a choice on SMS (bot/nlu/numbered_choice.py)
ANSWER_VALUES = {"yes": True, "no": False, "skip": None}
# What a question's `notice_if_yes` (data/legal/questions.csv) says at once after a yes, before the next question.
NOTICES = {"minor_reporting": "utter_minor"}


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
        # "I need a lawyer in Portland", "free immigration lawyer?": a legal-aid office, unless an option is named
        # in so many words or the NLU is sure of it ("he beats me and holds my papers, can I apply alone?" asks
        # about the VAWA self-petition); a weaker guess, the lawyer request outweighs. Any other service named
        # with no option at all where the message asks ("can I still go to the hospital without reporting it?")
        # is that service; in the story before the question ("...to pay the rent. can I stay?") it is not.
        need = request.need()
        named_or_sure = find_legal_option(request.words) is not None or request.option_is_sure
        asks_for_it = need in LAWYER_NEEDS or (key is None and find_asked_need(request.words) is not None)
        if need and not named_or_sure and asks_for_it:
            return answer_services(dispatcher, tracker, request)
        if key in FILED_WHERE_YOU_LIVE and request.place is not None:
            return answer_court(dispatcher, tracker, request)  # "protection order? I live in Lewiston": the court
        compared = compared_legal_options(request.words)[:MAX_COMPARED]
        if compared:  # "what's the difference between a T visa and a U visa?": both, so they can be compared
            for each in compared:
                send(dispatcher, option_reply(replies, legal_option(each)))
            acknowledge(dispatcher, replies, request.entities.get(DISCLOSURE))
            return [SlotSet(TOPIC, LEGAL), SlotSet(OPTION, compared[0])]
        if key and key != MORE:
            send(dispatcher, option_reply(replies, legal_option(key)))
            acknowledge(dispatcher, replies, request.entities.get(DISCLOSURE))
            return [SlotSet(TOPIC, LEGAL), SlotSet(OPTION, key)]
        send(dispatcher, overview(replies, more=key == MORE))
        acknowledge(dispatcher, replies, request.entities.get(DISCLOSURE))
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
