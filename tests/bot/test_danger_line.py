"""Every reply keeps the way to emergency help in sight: the 911 line a turn ends with (bot/channels/turns.py)."""

from __future__ import annotations

import asyncio

import pytest

from bot.channels.turns import TurnOutput, with_danger_line


def test_a_reply_without_911_gets_the_line_in_its_language():
    replies = with_danger_line([{"recipient_id": "a", "text": "¿En qué ciudad?"}], "es", "rest")
    assert [reply["text"] for reply in replies] == ["¿En qué ciudad?", "Si está en peligro ahora, llame al 911."]
    assert replies[-1]["recipient_id"] == "a"


@pytest.mark.parametrize("language", ["en", "es", "fr", "pt", "ar", "so"])
def test_the_line_names_911_in_every_language(language):
    (_, line) = with_danger_line([{"recipient_id": "a", "text": "..."}], language, "sms")
    assert "911" in line["text"]


def test_a_reply_that_names_911_is_left_as_it_is():
    crisis = [{"recipient_id": "a", "text": "Call 911 now."}, {"recipient_id": "a", "text": "Which town?"}]
    assert with_danger_line(crisis, "en", "rest") == crisis


def test_a_silent_turn_stays_silent():
    assert with_danger_line([], "en", "rest") == []


def test_the_turn_output_notes_the_language_the_replies_are_written_in():
    output = TurnOutput()
    asyncio.run(output.send_response("a", {"text": "Bonjour", "language": "fr"}))
    asyncio.run(output.send_response("a", {"text": "Which town?", "buttons": [{"title": "x", "payload": "/x"}]}))
    assert output.language == "fr"
    assert [message["text"] for message in output.messages] == ["Bonjour", "Which town?"]
    assert "language" not in output.messages[0]  # it is never sent to the person
