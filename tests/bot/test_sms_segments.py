"""SMS segment counting and splitting, and every reply on the SMS channel within the segment budget."""

import pytest

from bot.i18n.languages import registered_codes
from bot.replies.rendering import render_response
from bot.replies.sms_segments import (
    GSM7,
    MAX_SEGMENTS,
    TWILIO_MAX_CHARS,
    UCS2,
    encoding,
    pack_messages,
    segments,
    split_message,
)
from tests.conftest import all_messages, domain_responses


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Call 911 now.", GSM7),
        ("¡Hola! ¿Dónde?", UCS2),  # ó is not in GSM-7, though ¡ ¿ é ñ are
        ("¡Hola! ¿Qué pasó?", UCS2),
        ("¡Hola! ¿Qué tal, señora?", GSM7),
        ("Waxaan u baahanahay caawimaad", GSM7),  # Somali is written in Latin letters
        ("مرحبا", UCS2),
        ("help 😀", UCS2),
        ("{} [] ~ \\ | ^ €", GSM7),  # the extension table is still GSM-7
        ("ça va", UCS2),  # GSM-7 has only the capital Ç
        ("Ça va", GSM7),
        ("", GSM7),
    ],
)
def test_encoding(text, expected):
    assert encoding(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", 0),
        ("a", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("a" * 459, 3),
        ("a" * 460, 4),
        ("€" * 80, 1),  # an extension character costs two septets
        ("€" * 81, 2),
        ("a" * 159 + "€", 2),
        ("a" * 152 + "€" + "a" * 10, 2),  # the pair moves whole to the next segment: 152 | 2 + 10
        ("a" * 152 + "€" + "a" * 152, 3),  # 306 septets, but 152 | 2 + 151 | 1: the € never straddles two
        ("ع" * 70, 1),
        ("ع" * 71, 2),
        ("ع" * 134, 2),
        ("ع" * 135, 3),
        ("a" * 69 + "ó", 1),
        ("a" * 70 + "ó", 2),
        ("😀" * 35, 1),  # a surrogate pair counts as two UCS-2 units
        ("😀" * 36, 2),
    ],
)
def test_segments(text, expected):
    assert segments(text) == expected


def test_a_short_reply_is_not_split():
    assert split_message("Call 911.\nOr text 911.") == ["Call 911.\nOr text 911."]


def test_a_long_reply_is_split_at_line_ends_in_order():
    lines = [f"{number}. " + "word " * 30 for number in range(1, 9)]
    text = "\n".join(line.strip() for line in lines)
    messages = split_message(text)
    assert len(messages) > 1
    assert all(segments(message) <= MAX_SEGMENTS for message in messages)
    assert "\n".join(messages) == text  # nothing lost, nothing reordered, every cut at a line end


def test_a_line_too_long_for_one_message_is_cut_between_words():
    text = " ".join(f"w{number}" for number in range(400))  # about 1,900 characters on one line
    messages = split_message(text, max_segments=1)
    assert all(segments(message) == 1 for message in messages)
    assert " ".join(messages) == text


def test_a_line_too_long_is_cut_after_a_sentence_where_possible():
    first, second = "First sentence " + "a" * 100 + ".", "Second sentence " + "b" * 100 + "."
    assert split_message(f"{first} {second}", max_segments=1) == [first, second]
    assert split_message("إنه خطر؟ " + "ع " * 40, max_segments=1)[0] == "إنه خطر؟"


def test_a_word_too_long_for_one_message_is_cut_inside():
    messages = split_message("x" * 400, max_segments=1)
    assert [len(message) for message in messages] == [160, 160, 80]


def test_a_phone_number_isolate_is_never_cut():
    number = "\u20661-866-834-4357\u2069"
    text = " ".join(["كلمة"] * 60 + [number] + ["كلمة"] * 60)
    for message in split_message(text, max_segments=1):
        assert message.count("\u2066") == message.count("\u2069")


@pytest.mark.parametrize(
    "replies, expected",
    [
        (["One.", "Two."], ["One.\n\nTwo."]),
        (["One.", "a" * 300, "Two."], ["One.\n\n" + "a" * 300 + "\n\nTwo."]),  # 310 characters: 3 segments
        (["One.", "a" * 455, "Two."], ["One.", "a" * 455, "Two."]),  # joined, they would need a fourth
        (["مرحبا", "Two."], ["مرحبا\n\nTwo."]),
    ],
)
def test_replies_of_one_turn_are_joined_when_they_fit(replies, expected):
    assert pack_messages(replies) == expected


LANGUAGES = registered_codes()
MESSAGES = all_messages()


def test_arabic_and_somali_are_covered():
    assert {"ar", "so"} <= set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_every_reply_fits_the_sms_budget(name, language):
    text = render_response(MESSAGES, name, language, "sms")["text"]
    messages = split_message(text)
    assert messages, name
    for message in messages:
        assert segments(message) <= MAX_SEGMENTS, (name, language, message)
        assert len(message) <= TWILIO_MAX_CHARS


# What SMS can send: the domain's responses and the channel's own messages (not the kiosk's).
SMS_REPLIES = sorted(
    {*domain_responses(), "utter_technical_problem", "utter_sms_please_wait", "utter_sms_write_in_words"}
)


@pytest.mark.parametrize("name", SMS_REPLIES)
def test_english_replies_are_one_or_two_segments(name):
    text = render_response(MESSAGES, name, "en", "sms")["text"]
    assert segments(text) <= 2, (
        f"{name} is {segments(text)} segments in English: write a shorter `channel: sms` variation"
    )
