"""Every reply keeps the way to emergency help in sight: the 911 line a turn ends with (bot/channels/turns.py)."""

from __future__ import annotations

import asyncio

import pytest

from bot.channels.turns import TurnOutput, with_danger_line


def test_a_reply_without_911_gets_the_line_in_its_language():
    replies = with_danger_line([{"recipient_id": "a", "text": "¿En qué ciudad?"}], "es", "rest")
    assert [reply["text"] for reply in replies] == ["¿En qué ciudad?\n¿Está en peligro ahora mismo? Llame al 911."]
    assert replies[-1]["recipient_id"] == "a"


def test_the_line_goes_on_the_last_message_and_its_choices_stay():
    choices = [{"title": "Yes", "payload": "/answer"}]
    replies = with_danger_line([{"text": "Found:"}, {"text": "Is that right?", "buttons": choices}], "en", "kiosk")
    assert replies[0] == {"text": "Found:"}
    assert replies[1] == {"text": "Is that right?\nIn danger right now? Call 911.", "buttons": choices}


@pytest.mark.parametrize("language", ["en", "es", "fr", "pt", "ar", "so"])
def test_the_line_names_911_in_every_language(language):
    (reply,) = with_danger_line([{"recipient_id": "a", "text": "..."}], language, "sms")
    assert "911" in reply["text"].split("\n")[-1]


def test_a_reply_that_names_911_is_left_as_it_is():
    crisis = [{"recipient_id": "a", "text": "Call 911 now."}, {"recipient_id": "a", "text": "Which town?"}]
    assert with_danger_line(crisis, "en", "rest") == crisis


def test_a_911_line_is_said_once_per_turn():
    # The notice for a young person, then the domestic violence line: both end with the same sentence.
    notice = {"text": "You can get help at any age.\nIf you are in danger now, call 911."}
    line = {"text": "It is not your fault.\nHelpline: 1-866-834-4357.\nIf you are in danger now, call 911."}
    replies = with_danger_line([notice, line], "en", "sms")
    assert [reply["text"] for reply in replies] == [notice["text"], "It is not your fault.\nHelpline: 1-866-834-4357."]


def test_a_different_911_line_and_a_reply_of_choices_stay():
    choices = [{"title": "Yes", "payload": "/answer"}]
    first = {"text": "Call 911 now."}
    other = {"text": "If you are in danger right now, call 911."}
    repeated = {"text": "Call 911 now.", "buttons": choices}
    only = {"text": "Call 911 now."}
    replies = with_danger_line([first, other, repeated, only], "en", "rest")
    assert replies == [first, other, {"text": "", "buttons": choices}]


def test_a_silent_turn_stays_silent():
    assert with_danger_line([], "en", "rest") == []


def test_the_turn_output_notes_the_language_the_replies_are_written_in():
    output = TurnOutput()
    asyncio.run(output.send_response("a", {"text": "Bonjour", "language": "fr"}))
    asyncio.run(output.send_response("a", {"text": "Which town?", "buttons": [{"title": "x", "payload": "/x"}]}))
    assert output.language == "fr"
    assert [message["text"] for message in output.messages] == ["Bonjour", "Which town?"]
    assert "language" not in output.messages[0]  # it is never sent to the person
