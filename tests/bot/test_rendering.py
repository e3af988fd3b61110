"""Every reply renders in every registered language and channel, from the catalogs, with its facts filled."""

import os

import pytest

from bot.i18n import catalog
from bot.i18n.languages import offered_languages, registered_codes
from bot.replies import rendering
from bot.replies.rendering import LRI, PDI, language_buttons, placeholders, render_response
from core.facts import fact_values

CHANNELS = ["collector", "kiosk", "sms"]


@pytest.mark.parametrize("language", registered_codes())
@pytest.mark.parametrize("channel", CHANNELS)
def test_every_response_renders_completely(messages, language, channel):
    for name, variations in messages.items():
        # The custom actions fill in what only they know ({need}, {place}, {court}); every other placeholder
        # must come from the facts.
        own = {key: "X" for variation in variations for key in placeholders(variation.get("text") or "")}
        own = {key: value for key, value in own.items() if key not in fact_values() and key != "minutes"}
        message = render_response(messages, name, language, channel, own)
        assert message["text"].strip() or message.get("buttons"), name
        assert not placeholders(message["text"]), f"{name} in {language} keeps a placeholder"


# Offered languages only: their fallback reply is translated (a translate-first reply), a preview's may not be yet.
@pytest.mark.parametrize("language", [language.code for language in offered_languages() if language.code != "en"])
def test_replies_come_from_the_language_catalog(responses, language):
    message = render_response(responses, "utter_fallback", language, "collector")
    source = responses["utter_fallback"][0]["text"]
    assert message["text"] == catalog.translate(language, "utter_fallback", source)
    assert message["text"] != source


# Danger and self-harm can be hard to tell apart in one message (bot/nlu/danger_first.py answers the likelier):
# whichever reply it gets, the person sees both numbers, in their language, on every channel.
@pytest.mark.parametrize("language", [language.code for language in offered_languages()])
@pytest.mark.parametrize("name", ["utter_danger", "utter_self_harm"])
def test_both_crisis_replies_give_911_and_988(responses, language, name):
    for channel in CHANNELS:
        text = render_response(responses, name, language, channel)["text"]
        assert "911" in text and "988" in text, (name, language, channel)


def test_phone_numbers_come_from_the_facts_file(responses):
    text = render_response(responses, "utter_trafficking", "en", "collector")["text"]
    assert fact_values()["line_htl"] in text and fact_values()["text_htl"] in text


def test_sms_gets_numbered_choices_and_keeps_the_payloads(responses):
    message = render_response(responses, "utter_menu", "en", "sms")
    titles = [button["title"] for button in message["buttons"]]
    for number, title in enumerate(titles, start=1):
        assert f"\n{number}. {title}" in message["text"]


def test_button_channels_get_buttons_not_numbers(responses):
    message = render_response(responses, "utter_menu", "es", "collector")
    assert "\n1. " not in message["text"]
    assert message["buttons"][0]["payload"] == "/danger_now"
    assert message["buttons"][0]["title"] == catalog.translate("es", "utter_menu:button", "I am in danger now")


def test_responses_share_the_menu_buttons(responses):
    menu = render_response(responses, "utter_menu", "fr", "collector")["buttons"]
    assert render_response(responses, "utter_greet", "fr", "collector")["buttons"] == menu
    assert render_response(responses, "utter_fallback", "fr", "collector")["buttons"] == menu


def test_numbers_are_isolated_in_right_to_left_text(responses):
    text = render_response(responses, "utter_domestic_violence", "ar", "sms")["text"]
    assert f"{LRI}{fact_values()['line_dv']}{PDI}" in text
    assert LRI not in render_response(responses, "utter_domestic_violence", "so", "sms")["text"]


def test_language_picker_lists_every_language_by_native_name(responses):
    buttons = render_response(responses, "utter_choose_language", "en", "collector")["buttons"]
    assert [b["title"] for b in buttons] == [b["title"] for b in language_buttons()]
    assert {"Soomaali", "العربية", "Español"} <= {b["title"] for b in buttons}
    assert buttons[-1]["payload"].startswith("/choose_language{")


def test_unknown_response_renders_nothing(responses):
    assert render_response(responses, "utter_restart", "en", "collector") is None


def test_privacy_answer_states_the_real_timeout(responses, monkeypatch):
    monkeypatch.setenv("CONVERSATION_TIMEOUT_MINUTES", "15")
    assert "15 minutes" in render_response(responses, "utter_privacy", "en", "collector")["text"]


def test_a_translation_with_wrong_placeholders_falls_back_to_english(responses, monkeypatch):
    monkeypatch.setattr(catalog, "translate", lambda language, context, msgid: "Llame al {wrong}")
    text = render_response(responses, "utter_domestic_violence", "es", "collector")["text"]
    assert text.startswith("I am sorry")


def test_a_channel_variation_is_used_on_its_channel_only():
    responses = {
        "utter_x": [
            {"text": "Long answer for screens.", "metadata": {"buttons_from": "utter_menu"}},
            {"text": "Short SMS answer.", "channel": "sms"},
        ],
        "utter_menu": [{"text": "Menu", "buttons": [{"title": "Court", "payload": "/ask_court"}]}],
    }
    assert render_response(responses, "utter_x", "en", "collector")["text"] == "Long answer for screens."
    sms = render_response(responses, "utter_x", "en", "sms")
    assert sms["text"].startswith("Short SMS answer.")


def test_an_untranslated_channel_variation_gives_way_to_the_translated_default(monkeypatch):
    responses = {"utter_x": [{"text": "Long answer."}, {"text": "Short.", "channel": "sms"}]}
    translations = {("es", "utter_x", "Long answer."): "Respuesta larga."}
    monkeypatch.setattr(
        catalog, "translate", lambda language, context, msgid: translations.get((language, context, msgid), msgid)
    )
    assert render_response(responses, "utter_x", "es", "sms")["text"] == "Respuesta larga."
    translations[("es", "utter_x:sms", "Short.")] = "Corta."
    assert render_response(responses, "utter_x", "es", "sms")["text"] == "Corta."
    assert render_response(responses, "utter_x", "en", "sms")["text"] == "Short."


def test_an_edited_message_is_rendered_at_once_and_a_broken_edit_keeps_the_one_before(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(rendering, "CHANNEL_MESSAGES_DIR", tmp_path)
    path = tmp_path / "core.yml"
    path.write_text('responses:\n  utter_x:\n    - text: "Call 911."\n', encoding="utf-8")
    assert render_response(rendering.channel_messages(), "utter_x", "en")["text"] == "Call 911."
    path.write_text('responses:\n  utter_x:\n    - text: "Call or text 911."\n', encoding="utf-8")
    assert render_response(rendering.channel_messages(), "utter_x", "en")["text"] == "Call or text 911."
    path.write_text("responses: [broken\n", encoding="utf-8")
    assert render_response(rendering.channel_messages(), "utter_x", "en")["text"] == "Call or text 911."
    assert "cannot be read" in caplog.text


def test_a_channels_own_message_is_never_none():
    assert "911" in rendering.channel_message("utter_technical_problem", "so", "sms")["text"]
    with pytest.raises(KeyError):
        rendering.channel_message("utter_no_such_message", "en")


def test_a_reply_file_added_or_removed_is_seen_without_a_restart(tmp_path):
    from bot.replies.rendering import _yaml_files

    (tmp_path / "b.yml").write_text("responses: {}\n", encoding="utf-8")
    assert _yaml_files(tmp_path) == (tmp_path / "b.yml",)
    (tmp_path / "a.yml").write_text("responses: {}\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a reply file\n", encoding="utf-8")
    os.utime(tmp_path, ns=(1, 1))  # a new modification time, whatever the filesystem clock's tick
    assert _yaml_files(tmp_path) == (tmp_path / "a.yml", tmp_path / "b.yml")
    (tmp_path / "b.yml").unlink()
    os.utime(tmp_path, ns=(2, 2))
    assert _yaml_files(tmp_path) == (tmp_path / "a.yml",)
