"""`make preview`: the trained model's answer, rendered per channel, as a live conversation would get it."""

from __future__ import annotations

import os
import textwrap

import pytest

from bot.i18n.new_language import add_locale
from bot.replies.rendering import channel_message, render_response
from bot.replies.sms_segments import pack_messages, segments
from tests.conftest import without_danger_line
from tests.tools.test_i18n import NEW, copy_of_repository, serve_from, translate_and_compile
from tools import preview as preview_module
from tools.preview import (
    CHANNEL_TITLES,
    CHANNELS,
    INDENT,
    MODEL_PATH,
    load_agent,
    main,
    preview,
    sms_lines,
    training_notice,
)

pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(not MODEL_PATH.exists(), reason=f"no trained model at {MODEL_PATH} (make train)"),
]


@pytest.fixture(scope="module")
def agent():
    return load_agent()


@pytest.mark.parametrize("language", ["so", "en", "ar"])
async def test_preview_renders_the_answer_in_the_chosen_language_on_every_channel(agent, responses, language):
    replies = await preview(agent, "he has a gun", language)
    assert [reply.channel for reply in replies] == list(CHANNELS)
    for reply in replies:
        assert (reply.intent, reply.responses, reply.language) == ("danger_now", ["utter_danger"], language)
        expected = render_response(responses, "utter_danger", language, reply.channel)["text"]
        assert [message["text"] for message in reply.messages] == [expected]  # it names 911: no line added


def test_make_preview_prints_the_somali_answer_for_each_channel(agent, responses, monkeypatch, capsys):
    monkeypatch.setattr(preview_module, "load_agent", lambda model_path: agent)
    assert main(["--language", "so", "he has a gun"]) == 0
    output = capsys.readouterr().out
    somali = {channel: render_response(responses, "utter_danger", "so", channel)["text"] for channel in CHANNELS}
    assert somali["sms"] != render_response(responses, "utter_danger", "en", "sms")["text"]
    sections = output.split("\n== ")[1:]
    assert [section.split(" ==")[0] for section in sections] == [CHANNEL_TITLES[channel] for channel in CHANNELS]
    for channel, section in zip(CHANNELS, sections, strict=True):
        if channel != "sms":
            assert textwrap.indent(somali[channel], INDENT) in section
    # By SMS, each text message as the channel packs it, with what it costs.
    assert [textwrap.indent(part, INDENT) in sections[-1] for part in pack_messages([somali["sms"]])] == [True]
    assert f"[text message 1 of 1: {segments(somali['sms'])} segments, GSM-7]" in sections[-1]
    assert "utter_danger" in output


async def test_preview_runs_the_custom_actions_and_shows_a_real_service_answer(agent):
    """No action server: the services action runs in this process, as the action server would run it."""
    replies = await preview(agent, "necesito un abogado en Portland", "es")
    for reply in replies:
        assert reply.actions and all(action.startswith("action_") for action in reply.actions)
        text = "\n".join(message["text"] for message in reply.messages)
        assert "Pine Tree Legal Assistance" in text and "Portland" in text
        assert "utter_action_unavailable" not in reply.responses
        assert channel_message("utter_action_unavailable", "es", reply.channel)["text"] not in text


def test_the_sms_answer_shows_each_text_message_and_why_it_costs_more():
    # Joined, the two would be one UCS-2 message of 5 segments: the channel sends them apart.
    lines = sms_lines([{"text": "Call 911. " * 30}, {"text": "Línea: 911."}])
    assert lines[1] == f"{INDENT}[text message 1 of 2: 2 segments, GSM-7]"
    assert lines[3] == f"{INDENT}[text message 2 of 2: 1 segment, UCS-2 (70 characters a segment, because of 'í')]"


def test_before_retraining_it_names_the_changed_files_and_the_time_it_takes(tmp_path, monkeypatch):
    model = tmp_path / "assistant.tar.gz"
    model.write_bytes(b"")
    os.utime(model, (1_000_000_000, 1_000_000_000))  # older than every training file
    monkeypatch.setattr(preview_module, "TRAINING_SECONDS", tmp_path / "training-seconds")
    (tmp_path / "training-seconds").write_text("163\n", encoding="utf-8")
    # A project of its own: which files are newest must not depend on what was edited last in this checkout.
    root = tmp_path / "project"
    for name in ("config.yml", "domain/safety.yml", "data/nlu/es/core.yml", "data/rules/rules.yml"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("version: '3.1'\n", encoding="utf-8")
    os.utime(root / "data/nlu/es/core.yml", (999_999_000, 999_999_000))  # older than the model, so unchanged
    notice = training_notice(model, root)
    assert "retrained first" in notice and "163 s (about 3 min)" in notice
    assert "domain/safety.yml" in notice and "config.yml" in notice and "data/nlu/es/core.yml" not in notice


def test_preview_shows_numbered_choices_on_sms_and_buttons_elsewhere(agent, responses, monkeypatch, capsys):
    monkeypatch.setattr(preview_module, "load_agent", lambda model_path: agent)
    assert main(["--language", "es", "menu"]) == 0
    kiosk, sms = capsys.readouterr().out.split("\n== kiosk ==")[1].split("\n== sms ==")
    title = render_response(responses, "utter_menu", "es", "kiosk")["buttons"][0]["title"]
    assert f"{INDENT}[{title}]" in kiosk
    assert f"{INDENT}1. {title}" in sms and f"[{title}]" not in sms


async def test_a_new_language_without_training_examples_is_previewed_in_that_language(
    agent, responses, tmp_path, monkeypatch
):
    locales, nlu = copy_of_repository(tmp_path)
    add_locale(NEW, locales, nlu)
    translate_and_compile(locales, NEW, "utter_danger", "Se vi estas en danĝero, voku:")
    serve_from(monkeypatch, locales)  # the model was loaded before the language existed, as on a running server
    replies = await preview(agent, "he has a gun", NEW)
    for reply in replies:
        assert reply.language == NEW
        expected = render_response(responses, "utter_danger", NEW, reply.channel)["text"]
        assert expected.startswith("Se vi estas")
        # The test's translation left out 911, so the channel's 911 line follows it (bot/channels/turns.py).
        assert without_danger_line([message["text"] for message in reply.messages]) == [expected]


@pytest.mark.parametrize("argv", [["--language", "de", "hello"], ["--language", "xx-nonsense", "hello"]])
def test_preview_refuses_an_unregistered_language_before_loading_the_model(monkeypatch, capsys, argv):
    monkeypatch.setattr(preview_module, "load_agent", lambda model_path: pytest.fail("loaded the model"))
    assert main(argv) == 1
    assert "make locale" in capsys.readouterr().err
