"""The Twilio fallback (deploy/twilio/): valid TwiML, 911 and the three 24/7 lines in every registered
language, each message within three SMS segments, and the checked-in files as `make fallback` writes them."""

import xml.etree.ElementTree as ElementTree

import pytest

from bot.i18n.languages import SOURCE_LANGUAGE, registered_codes
from bot.replies.fallback import ALL_LANGUAGES_FILE, FALLBACK_DIR, fallback_files, fallback_text
from bot.replies.sms_segments import MAX_SEGMENTS, TWILIO_MAX_CHARS, segments
from core.facts import fact_values

FILES = fallback_files()
LINES = ("line_dv", "line_sa", "line_htl")


def test_the_checked_in_files_are_what_make_fallback_writes():
    on_disk = {path.name: path.read_text(encoding="utf-8") for path in FALLBACK_DIR.glob("fallback*.xml")}
    assert sorted(on_disk) == sorted(FILES), "run `make fallback`"
    for name, content in FILES.items():
        assert on_disk[name] == content, f"deploy/twilio/{name} is out of date: run `make fallback`"


def messages(content: str) -> list[str]:
    """The texts of a TwiML answer, checked to be what Twilio accepts for a reply: a <Response> holding only
    <Message> elements with text and nothing else."""
    root = ElementTree.fromstring(content.encode("utf-8"))
    assert root.tag == "Response" and not root.attrib and not (root.text or "").strip()
    texts = []
    for element in root:
        assert element.tag == "Message" and not element.attrib and len(element) == 0
        assert not (element.tail or "").strip()
        texts.append(element.text or "")
    return texts


@pytest.mark.parametrize("name", sorted(FILES))
def test_each_file_is_valid_twiml_with_911_and_the_three_lines_in_three_segments(name):
    texts = messages(FILES[name])
    assert texts
    for text in texts:
        assert "911" in text
        for line in LINES:
            assert str(fact_values()[line]) in text, (name, line)
        assert segments(text) <= MAX_SEGMENTS, (name, segments(text), text)
        assert len(text) <= TWILIO_MAX_CHARS


def test_every_registered_language_has_its_own_message_in_the_file_for_all():
    texts = messages(FILES[ALL_LANGUAGES_FILE])
    assert texts == [fallback_text(code) for code in registered_codes()]
    english = fallback_text(SOURCE_LANGUAGE)
    untranslated = [code for code in registered_codes() if code != SOURCE_LANGUAGE and fallback_text(code) == english]
    assert not untranslated, f"the fallback is not translated into {untranslated}"


def test_english_fits_two_segments():
    assert segments(fallback_text(SOURCE_LANGUAGE)) <= 2
