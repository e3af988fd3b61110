"""A language's registry status decides where it is offered and what it says about itself (bot/i18n/languages.py):
a preview is served only when asked for by name, a draft says it is a machine draft, a review names its reviewer's
role and date. Statuses are set on a copy of the registry."""

from __future__ import annotations

import datetime

import pytest
import yaml

from bot.channels import kiosk
from bot.i18n import languages
from bot.i18n.detection import LanguageDetector
from bot.i18n.languages import normalise_code, offered_languages, read_registry, registered_codes
from bot.replies.rendering import channel_message, draft_note, language_buttons, render_response
from core.yaml_files import read_yaml

REGISTRY = languages.REGISTRY_PATH


def registry_with(tmp_path, monkeypatch, changes: dict[str, dict], added: list[dict] = ()) -> None:
    """Serve a copy of the registry in which each language in `changes` has those fields changed."""
    data = read_yaml(REGISTRY)
    for entry in data["languages"]:
        entry.update(changes.get(entry["code"], {}))
    data["languages"] += list(added)
    copy = tmp_path / "languages.yml"
    copy.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(languages, "REGISTRY_PATH", copy)


MAAY = {"code": "ymm", "name": "Af-Maay", "direction": "ltr", "status": "preview", "by_hand": True}


def test_a_preview_language_is_served_when_asked_for_but_never_offered(tmp_path, monkeypatch):
    registry_with(tmp_path, monkeypatch, {"so": {"status": "preview"}})
    assert "so" in registered_codes() and normalise_code("so") == "so"  # metadata.language, ?lang=so
    assert "so" not in {language.code for language in offered_languages()}
    assert "Soomaali" not in {button["title"] for button in language_buttons()}
    assert "so" not in {entry["code"] for entry in kiosk.languages_payload()["languages"]}
    # A kiosk whose address names it (.../kiosk/?lang=so) lists it.
    assert "so" in {entry["code"] for entry in kiosk.languages_payload("so")["languages"]}


def test_a_preview_language_can_be_named_but_is_never_detected(tmp_path, monkeypatch):
    registry_with(tmp_path, monkeypatch, {"so": {"status": "preview"}})
    detector = LanguageDetector(list(languages.registered_languages()), min_confidence=0.6)
    assert detector.named_languages("Soomaali") == {"so"}
    somali = "waxaan u baahanahay meel aan seexdo caawa, ninkaygu wuu i garaacay"
    assert detector.detect(somali) != "so"
    registry_with(tmp_path, monkeypatch, {})
    detector = LanguageDetector(list(languages.registered_languages()), min_confidence=0.6)
    assert detector.detect(somali) == "so"


def test_a_language_babel_does_not_know_is_named_by_its_registry_entry(tmp_path, monkeypatch):
    registry_with(tmp_path, monkeypatch, {}, [MAAY])
    entry = languages.get_language("ymm")
    assert (entry.name, entry.direction, entry.by_hand) == ("Af-Maay", "ltr", True)
    detector = LanguageDetector(list(languages.registered_languages()), min_confidence=0.6)
    assert detector.named_languages("af-maay") == {"ymm"}
    assert kiosk.strings_payload("ymm")["name"] == "Af-Maay"
    # Until its catalog exists, replies are in English, never an error.
    assert render_response({"utter_x": [{"text": "Hello."}]}, "utter_x", "ymm", "sms")["text"] == "Hello."


@pytest.mark.parametrize("name", ["utter_greet", "utter_language_set"])
def test_a_draft_says_so_when_a_person_enters_it(responses, name):
    assert languages.get_language("es").status == "draft"
    for channel in ("collector", "kiosk", "sms"):
        note = channel_message("utter_draft_translation", "es", channel)["text"]
        assert note != channel_message("utter_draft_translation", "en", channel)["text"]  # said in Spanish
        assert note in render_response(responses, name, "es", channel)["text"]
    assert draft_note("en") is None
    note = channel_message("utter_draft_translation", "es")["text"]
    assert note not in render_response(responses, "utter_danger", "es", "collector")["text"]  # nothing else


@pytest.mark.parametrize("language", ["es", "fr", "pt", "ar", "so"])
def test_the_note_never_costs_a_greeting_by_sms_another_text_message(responses, language, monkeypatch):
    from bot.replies import rendering
    from bot.replies.sms_segments import pack_messages

    with_note = pack_messages([render_response(responses, "utter_greet", language, "sms")["text"]])
    monkeypatch.setattr(rendering, "draft_note", lambda language, channel=None: None)
    without = pack_messages([render_response(responses, "utter_greet", language, "sms")["text"]])
    assert len(with_note) == len(without)


def test_a_reviewed_language_no_longer_says_it_is_a_draft(tmp_path, monkeypatch, responses):
    registry_with(
        tmp_path, monkeypatch, {"es": {"status": "reviewed", "reviewed_by": "advocate", "reviewed_on": "2026-01-05"}}
    )
    assert draft_note("es") is None
    note = channel_message("utter_draft_translation", "es")["text"]
    assert note not in render_response(responses, "utter_greet", "es", "collector")["text"]
    assert "note" not in next(e for e in kiosk.languages_payload()["languages"] if e["code"] == "es")


def test_the_kiosk_picker_marks_a_draft_in_its_own_language():
    listed = {entry["code"]: entry for entry in kiosk.languages_payload()["languages"]}
    assert "note" not in listed["en"]
    for code in ("es", "fr", "pt", "ar", "so"):
        assert listed[code]["note"] == kiosk.kiosk_string("draft_translation", code)
        assert listed[code]["note"] != kiosk.kiosk_string("draft_translation", "en")


@pytest.mark.parametrize(
    "fields, problem",
    [
        ({"status": "finished"}, "not one of"),
        ({"status": "reviewed"}, "reviewed_by"),
        ({"status": "reviewed", "reviewed_by": "advocate"}, "reviewed_by"),
        ({"status": "reviewed", "reviewed_by": "advocate", "reviewed_on": "soon"}, "not a date"),
        ({"status": "reviewed", "reviewed_by": "advocate", "reviewed_on": "2999-01-01"}, "in the future"),
        ({"direction": "down"}, "direction"),
    ],
)
def test_a_registry_entry_that_cannot_be_served_as_it_says_is_refused(tmp_path, monkeypatch, fields, problem):
    registry_with(tmp_path, monkeypatch, {"fr": fields})
    with pytest.raises(ValueError, match=problem):
        read_registry(languages.REGISTRY_PATH)


def test_a_review_names_a_role_and_a_date(tmp_path, monkeypatch):
    registry_with(
        tmp_path, monkeypatch, {"fr": {"status": "reviewed", "reviewed_by": "advocate", "reviewed_on": "2026-01-05"}}
    )
    french = languages.get_language("fr")
    assert (french.reviewed_by, french.reviewed_on) == ("advocate", datetime.date(2026, 1, 5))
