"""`make preview`: the trained model's answer, rendered per channel, as a live conversation would get it."""

from __future__ import annotations

import textwrap

import pytest

from bot.i18n.new_language import add_locale
from bot.replies.rendering import render_response
from tests.tools.test_i18n import copy_of_repository, serve_from, translate_and_compile
from tools import preview as preview_module
from tools.preview import CHANNEL_TITLES, CHANNELS, INDENT, MODEL_PATH, load_agent, main, preview

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
        assert [message["text"] for message in reply.messages] == [expected]


def test_make_preview_prints_the_somali_answer_for_each_channel(agent, responses, monkeypatch, capsys):
    monkeypatch.setattr(preview_module, "load_agent", lambda model_path: agent)
    assert main(["--language", "so", "he has a gun"]) == 0
    output = capsys.readouterr().out
    somali = {channel: render_response(responses, "utter_danger", "so", channel)["text"] for channel in CHANNELS}
    assert somali["sms"] != render_response(responses, "utter_danger", "en", "sms")["text"]
    sections = output.split("\n== ")[1:]
    assert [section.split(" ==")[0] for section in sections] == [CHANNEL_TITLES[channel] for channel in CHANNELS]
    for channel, section in zip(CHANNELS, sections, strict=True):
        assert textwrap.indent(somali[channel], INDENT) in section
    assert "utter_danger" in output


def test_preview_shows_numbered_choices_on_sms_and_buttons_elsewhere(agent, responses, monkeypatch, capsys):
    monkeypatch.setattr(preview_module, "load_agent", lambda model_path: agent)
    assert main(["--language", "es", "menu"]) == 0
    kiosk, sms = capsys.readouterr().out.split("\n== kiosk ==")[1].split("\n== sms ==")
    title = render_response(responses, "utter_menu", "es", "kiosk")["buttons"][0]["title"]
    assert f"{INDENT}[{title}]" in kiosk
    assert f"{INDENT}1. {title}" in sms and "[" not in sms


async def test_a_new_language_without_training_examples_is_previewed_in_that_language(
    agent, responses, tmp_path, monkeypatch
):
    locales, nlu = copy_of_repository(tmp_path)
    add_locale("vi", locales, nlu)
    translate_and_compile(locales, "vi", "utter_danger", "Nếu bạn đang gặp nguy hiểm, hãy gọi:")
    serve_from(monkeypatch, locales)  # the model was loaded before "vi" existed, as on a running server
    replies = await preview(agent, "he has a gun", "vi")
    for reply in replies:
        assert reply.language == "vi"
        expected = render_response(responses, "utter_danger", "vi", reply.channel)["text"]
        assert expected.startswith("Nếu bạn")
        assert [message["text"] for message in reply.messages] == [expected]


@pytest.mark.parametrize("argv", [["--language", "de", "hello"], ["--language", "xx-nonsense", "hello"]])
def test_preview_refuses_an_unregistered_language_before_loading_the_model(monkeypatch, capsys, argv):
    monkeypatch.setattr(preview_module, "load_agent", lambda model_path: pytest.fail("loaded the model"))
    assert main(argv) == 1
    assert "make locale" in capsys.readouterr().err
