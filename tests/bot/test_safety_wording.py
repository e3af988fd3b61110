"""The wording fixes of the safety-critical translations (issue 21), kept fixed: each language's glossary
(locales/style/<lang>.md) lists, under "Words to avoid", phrases that misled a reader, and no translation may
use them; right-to-left lines start with a right-to-left word; and the few replies whose fix is one sentence."""

from __future__ import annotations

import re
import unicodedata

import pytest

from bot.i18n.catalog_files import po_path, read_catalog
from bot.i18n.languages import registered_languages
from bot.replies.rendering import PLACEHOLDER
from tests.conftest import PROJECT_ROOT

STYLE_DIR = PROJECT_ROOT / "locales" / "style"
RTL_LANGUAGES = [language.code for language in registered_languages() if language.direction == "rtl"]
GLOSSARIES = sorted(path.stem for path in STYLE_DIR.glob("*.md"))


def translations(language: str) -> list[tuple[str, str]]:
    """(msgctxt, translation) of every entry in use (not the obsolete ones) that has one. Data texts share a
    context per column ("lines:name"), so a context may come more than once."""
    catalog = read_catalog(po_path(language))
    return [(message.context or "", message.string) for message in catalog if message.id and message.string]


def translation(language: str, context: str) -> str:
    [text] = [text for found, text in translations(language) if found == context]
    return text


def words_to_avoid(language: str) -> list[tuple[str, str]]:
    """(avoid, use instead) from the glossary's "Words to avoid" table: the first two cells of each row, as
    `code`."""
    text = (STYLE_DIR / f"{language}.md").read_text(encoding="utf-8")
    section = text.split("## Words to avoid", 1)
    if len(section) == 1:
        return []
    rows = []
    for line in section[1].split("\n## ", 1)[0].splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0].startswith("`"):
            rows.append((cells[0].strip("`"), cells[1].strip("`")))
    return rows


@pytest.mark.parametrize("language", ["fr", "es", "ar", "so"])
def test_the_glossary_lists_words_to_avoid(language):
    assert words_to_avoid(language), f"locales/style/{language}.md has no 'Words to avoid' table"


@pytest.mark.parametrize("language", GLOSSARIES)
def test_no_translation_uses_a_word_to_avoid(language):
    found = []
    for avoid, instead in words_to_avoid(language):
        for context, text in translations(language):
            # The phrase to use may contain the one to avoid ("violence conjugale ou familiale").
            if avoid.lower() in text.lower().replace(instead.lower(), ""):
                found.append(f"{context}: {avoid!r} (use {instead!r})")
    assert found == []


def first_strong_direction(line: str) -> str | None:
    """The direction ("L" or "R") of the first letter that sets a line's direction, as a phone that sets it line by line
    reads it. Placeholders are left out: their values come wrapped in left-to-right isolates, which that
    rule skips."""
    for character in PLACEHOLDER.sub("", line):
        kind = unicodedata.bidirectional(character)
        if kind == "L":
            return "L"
        if kind in ("R", "AL"):
            return "R"
    return None


@pytest.mark.parametrize("language", RTL_LANGUAGES)
def test_right_to_left_lines_start_with_a_right_to_left_word(language):
    """A line that starts with a Latin name ("211 Maine، ...") shows out of order where direction is set line by
    line (SMS); a line with no Arabic at all ("WhatsApp: {number}") reads fine left to right."""
    wrong = []
    for context, text in translations(language):
        for line in text.splitlines():
            has_rtl = any(unicodedata.bidirectional(character) in ("R", "AL") for character in line)
            if has_rtl and first_strong_direction(line) == "L":
                wrong.append(f"{context}: {line}")
    assert wrong == []


def test_first_strong_direction():
    assert first_strong_direction("211 Maine، 24 ساعة") == "L"
    assert first_strong_direction("خط 211 Maine، 24 ساعة") == "R"
    assert first_strong_direction("{place}: بماذا يمكنني مساعدتك") == "R"
    assert first_strong_direction("24/7") is None


def test_arabic_counts_minutes_without_agreeing_with_the_number():
    """«{minutes} دقيقة» is grammatical only for 11 to 99 minutes; the setting may be any number."""
    for context, text in translations("ar"):
        assert not re.search(r"\{minutes\}\s*(دقيقة|دقائق)", text), context
        if "{minutes}" in text:
            assert "(عدد الدقائق: {minutes})" in text, context


def test_arabic_shelter_reply_says_call_now():
    shelter = translation("ar", "utter_shelter")
    assert "يُرجى الاتصال الآن" in shelter.splitlines()[0]


def test_arabic_trafficking_reply_says_what_you_describe():
    first_line = translation("ar", "utter_trafficking").splitlines()[0]
    assert "ما وصفته" in first_line and "ما يحدث لك" not in first_line


def test_somali_self_harm_reply_says_what_the_crisis_line_is():
    text = translation("so", "utter_self_harm")
    sentence = next(sentence for sentence in re.split(r"(?<=\.)\s", text) if "{line_maine_crisis}" in sentence)
    assert len(sentence.split("Maine Crisis Line")[0].split()) >= 3, sentence


def test_somali_minors_notice_names_abuse_of_a_child():
    assert "xadgudubka" in translation("so", "utter_minor")


def test_the_quick_exit_hint_says_quickly_in_english():
    """kiosk.js counts three Shift presses within one second only."""
    script = (PROJECT_ROOT / "bot" / "channels" / "kiosk" / "kiosk.js").read_text(encoding="utf-8")
    assert "var SHIFT_WINDOW_MS = 1000;" in script
    english = read_catalog(PROJECT_ROOT / "locales" / "messages.pot").get(
        "Or press the Shift key three times quickly.", context="kiosk_quick_exit_hint"
    )
    assert english is not None
