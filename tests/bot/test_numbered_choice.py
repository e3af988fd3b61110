"""A bare digit picks the numbered choice of the latest bot message, read from the conversation itself."""

import pytest
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.numbered_choice import NumberedChoice
from bot.replies.rendering import language_buttons, render_response
from tests.conftest import domain_responses, make_tracker

MENU = render_response(domain_responses(), "utter_menu", "en", "sms")
LANGUAGES = language_buttons()


def tracker_after(*bot_messages):
    """A conversation in which the person wrote before each bot message given; None marks a person's message
    that got no reply at all."""
    tracker = make_tracker()
    for message in bot_messages:
        tracker.update(UserUttered("hello"))
        if message is not None:
            tracker.update(BotUttered(message.get("text"), {"buttons": message.get("buttons")}))
    return tracker


def processed(text, tracker):
    return NumberedChoice().process([Message(data={TEXT: text})], tracker)[0].get(TEXT)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1", "/danger_now"),
        (" 2 ", "/need_shelter"),
        ("8", "/privacy"),
        ("٣", "/ask_legal_options"),  # Arabic-Indic digits, as Arabic phone keyboards type them
        ("9", "/menu"),  # the menu has eight choices: offer them again
        ("0", "/menu"),
        ("10", "10"),
        ("1.", "1."),
        ("one", "one"),
        ("1 please", "1 please"),
        ("hello", "hello"),
        ("", ""),
    ],
)
def test_a_digit_after_the_menu(text, expected):
    assert processed(text, tracker_after(MENU)) == expected


def test_a_digit_picks_a_language():
    tracker = tracker_after({"text": "Choose a language.", "buttons": LANGUAGES})
    somali = next(number for number, button in enumerate(LANGUAGES, start=1) if '"so"' in button["payload"])
    assert processed(str(somali), tracker) == '/choose_language{"language": "so", "language_chosen": "so"}'


@pytest.mark.parametrize(
    "bot_messages",
    [
        [],  # nothing offered yet
        [{"text": "Done. I deleted this conversation."}],  # no buttons
        [MENU, {"text": "Privacy note."}, {"text": "Take care."}],  # two replies since the menu: stale
    ],
)
def test_without_choices_a_digit_gets_the_menu(bot_messages):
    assert processed("1", tracker_after(*bot_messages)) == "/menu"


def test_a_digit_still_picks_from_the_menu_after_one_answer_without_choices():
    # "8" (privacy), then "6": the person is still reading the menu above the privacy note.
    assert processed("6", tracker_after(MENU, {"text": "Privacy note."})) == "/talk_to_person"


def test_the_latest_choices_count():
    tracker = tracker_after(MENU, {"text": "Choose a language.", "buttons": LANGUAGES})
    assert processed("1", tracker) == LANGUAGES[0]["payload"]


def test_no_tracker_leaves_the_message_alone():
    assert processed("1", None) == "1"
