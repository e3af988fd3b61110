"""A translator adds a language to a running assistant: no retraining, no code change, no restart, no build step.

The whole project is copied (its trained model included) and served from the copy; the language is then added
with the translator's own commands (TRANSLATING.md) while the servers run. As a preview it is served to whoever
asks for it by name (an app's metadata.language, the kiosk's ?lang= address) and offered to nobody else; once
its translate-first replies and its danger words are in and its status is `draft`, the kiosk offers it, marked
as a machine draft. TRANSLATING.md follows Vietnamese; the test uses Esperanto, which nobody will add to this
assistant for real, so the test stays green after Vietnamese is added.
"""

import os
import shutil
import subprocess
import sys
import time
import uuid

import pytest
import requests
from babel.messages.pofile import read_po, write_po

from bot.i18n.translate_first import translate_first_rank
from core.reloading import CHECK_EVERY_SECONDS
from tests.conftest import PROJECT_ROOT, all_messages, without_danger_line
from tools.servers import free_port

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CODE = "eo"
# The running server looks at a saved file at most this often (core/reloading.py; bound here, at import, to the
# value the servers run with: the unit tests' fixture sets it to 0 in process only).
SERVER_LOOKS_EVERY_S = CHECK_EVERY_SECONDS + 0.1
GREETING = "Saluton. Mi estas komputila programo, ne homo. Kion vi bezonas?"
DRAFT_NOTE = "Komputilo tradukis ĉi tion. Homo ankoraŭ ne kontrolis ĝin."
DANGER_WORDS = "safety:\n  danger_now: [li havas pafilon]\n  self_harm: [mi volas morti]\n"


@pytest.fixture(scope="module")
def running_copy(tmp_path_factory):
    copy = tmp_path_factory.mktemp("project") / "main"
    shutil.copytree(
        PROJECT_ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "test-artifacts", "results", "__pycache__", ".pytest_cache"),
    )
    rasa_port, actions_port = free_port(), free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(copy),
        "RASA_PORT": str(rasa_port),
        "ACTIONS_PORT": str(actions_port),
        "ACTION_SERVER_URL": f"http://127.0.0.1:{actions_port}/webhook",
    }
    log = (copy / "servers.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "bot.runtime.serve"], cwd=copy, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{rasa_port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        assert server.poll() is None, (copy / "servers.log").read_text()
        try:
            if requests.get(url + "/", timeout=2).ok:
                break
        except requests.RequestException:
            time.sleep(1)
    else:
        pytest.fail("the copied project's servers did not start")
    try:
        yield copy, url, env
    finally:
        server.terminate()
        server.wait(timeout=30)


def translator(copy, env, *args):
    """What TRANSLATING.md tells a translator to run (make locale / make i18n-check)."""
    subprocess.run([sys.executable, "-m", "tools.i18n", *args], cwd=copy, env=env, check=True)


def save_in_poedit(copy, translate) -> None:
    """Translate the catalog's entries as Poedit would save them: translate(message) -> text or None."""
    path = copy / "locales" / CODE / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id and (text := translate(message)) is not None:
            message.string = text
    with path.open("wb") as handle:
        write_po(handle, catalog)


def kiosk_languages(url, asked=None):
    params = {"lang": asked} if asked else None
    return {
        e["code"]: e
        for e in requests.get(url + "/webhooks/kiosk/languages", params=params, timeout=10).json()["languages"]
    }


def rest_greeting(url) -> str:
    replies = requests.post(
        url + "/webhooks/rest/webhook",
        json={"sender": f"{CODE}-{uuid.uuid4().hex}", "message": "hello", "metadata": {"language": CODE}},
        timeout=30,
    ).json()
    return without_danger_line([reply["text"] for reply in replies])[0]  # the greeting, without the 911 line


@pytest.fixture(scope="module")
def added_as_preview(running_copy):
    """The language added as TRANSLATING.md says, while the servers run, its greeting translated; yields the
    model's mtime before."""
    copy, _url, env = running_copy
    trained_at = (copy / "models" / "assistant.tar.gz").stat().st_mtime
    translator(copy, env, "locale", CODE)
    source = all_messages()["utter_greet"][0]["text"]
    save_in_poedit(copy, lambda message: GREETING if (message.context, message.id) == ("utter_greet", source) else None)
    translator(copy, env, "check", CODE)
    time.sleep(SERVER_LOOKS_EVERY_S)
    return trained_at


@pytest.fixture(scope="module")
def moved_to_draft(running_copy, added_as_preview):
    """Every translate-first reply translated, danger words written, and the status changed to draft."""
    copy, _url, env = running_copy

    def translate_first(message):
        if translate_first_rank(message.context) is None or message.string:
            return None
        if message.context == "utter_draft_translation":
            return DRAFT_NOTE
        return f"(eo) {message.id}"  # its placeholders kept, as TRANSLATING.md asks

    save_in_poedit(copy, translate_first)
    keywords = copy / "locales" / CODE / "keywords.yml"
    keywords.write_text(
        keywords.read_text(encoding="utf-8").replace("safety:\n  danger_now: []\n  self_harm: []\n", DANGER_WORDS),
        encoding="utf-8",
    )
    registry = copy / "locales" / "languages.yml"
    text = registry.read_text(encoding="utf-8")
    entry = text.index(f"- code: {CODE}\n")  # only this language's entry: another may be a preview too
    registry.write_text(text[:entry] + text[entry:].replace("status: preview", "status: draft", 1), encoding="utf-8")
    report = subprocess.run(
        [sys.executable, "-m", "tools.i18n", "report"], cwd=copy, env=env, capture_output=True, text=True
    )
    assert "has status draft but lacks" not in report.stderr, report.stderr
    assert f"  {CODE}    draft        13/13" in report.stdout, report.stdout
    time.sleep(SERVER_LOOKS_EVERY_S)


def test_a_preview_is_served_when_asked_for_and_offered_to_nobody(running_copy, added_as_preview):
    _copy, url, _env = running_copy
    assert CODE not in kiosk_languages(url)
    assert CODE in kiosk_languages(url, asked=CODE)  # a kiosk whose address names it: .../kiosk/?lang=eo
    assert rest_greeting(url) == GREETING  # an app that sends metadata.language, no restart


def test_a_draft_is_offered_and_says_it_is_a_machine_draft(running_copy, added_as_preview, moved_to_draft):
    copy, url, _env = running_copy
    listed = kiosk_languages(url)
    assert listed[CODE]["name"] == "Esperanto"
    assert listed[CODE]["note"] == "Computer translation, not yet checked"  # not translated in this test
    assert rest_greeting(url) == f"{GREETING}\n{DRAFT_NOTE}"
    assert (copy / "models" / "assistant.tar.gz").stat().st_mtime == added_as_preview  # never retrained


def test_the_draft_is_picked_on_the_kiosk_page(running_copy, added_as_preview, moved_to_draft):
    """The same, in the browser: the new language's button appears on the picker with its note, and picking it
    greets in the language."""
    from playwright.sync_api import sync_playwright

    from tests.browser.kiosk_page import CHROMIUM, CHROMIUM_ARGS

    _, url, _ = running_copy
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(url + "/webhooks/kiosk/")
            button = page.locator(f"button.language[data-code='{CODE}']")
            button.wait_for()
            assert button.locator(".language-note").text_content() == "Computer translation, not yet checked"
            button.click()
            page.locator(".from-assistant .message-text").first.wait_for()
            assert page.locator(".from-assistant .message-text").first.text_content().startswith(GREETING)
            assert page.locator("html").get_attribute("lang") == CODE
        finally:
            browser.close()
