"""A translator adds Vietnamese to a running assistant: no retraining, no code change, no restart.

The whole project is copied (its trained model included) and served from the copy; Vietnamese is then added
with the translator's own commands (TRANSLATING.md) while the servers run, and a person who picks it on the
kiosk is answered in Vietnamese.
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

from tests.conftest import PROJECT_ROOT, domain_responses
from tools.servers import free_port

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

GREETING_VI = "Xin chào. Tôi là một chương trình máy tính, không phải là người. Bạn cần gì?"


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
    """What TRANSLATING.md tells a translator to run (make locale / make i18n-compile)."""
    subprocess.run([sys.executable, "-m", "tools.i18n", *args], cwd=copy, env=env, check=True)


@pytest.fixture(scope="module")
def vietnamese_added(running_copy):
    """Vietnamese added as TRANSLATING.md says, while the servers run; yields the model's mtime before."""
    copy, _url, env = running_copy
    trained_at = (copy / "models" / "assistant.tar.gz").stat().st_mtime
    translator(copy, env, "locale", "vi")
    catalog_path = copy / "locales" / "vi" / "LC_MESSAGES" / "messages.po"
    with catalog_path.open("rb") as handle:
        catalog = read_po(handle)
    source = domain_responses()["utter_greet"][0]["text"]
    catalog.get(source, context="utter_greet").string = GREETING_VI  # what Poedit would save
    with catalog_path.open("wb") as handle:
        write_po(handle, catalog)
    translator(copy, env, "compile", "vi")
    return trained_at


def test_vietnamese_added_while_running_is_served_on_the_kiosk(running_copy, vietnamese_added):
    copy, url, _env = running_copy
    languages = requests.get(url + "/webhooks/kiosk/languages", timeout=10).json()
    assert "Tiếng Việt" in str(languages)

    # What the kiosk page does when Vietnamese is picked: fetch its words, then send the greeting payload.
    strings = requests.get(url + "/webhooks/kiosk/strings", params={"lang": "vi"}, timeout=10).json()
    sender = requests.post(url + "/webhooks/kiosk/session", timeout=10).json()["session"]
    replies = requests.post(
        url + "/webhooks/kiosk/webhook",
        json={"sender": sender, "payload": strings["greeting"], "metadata": {"language": "vi"}},
        timeout=30,
    ).json()
    assert replies[0]["text"] == GREETING_VI

    # Over REST too, and the model was never retrained.
    rest = requests.post(
        url + "/webhooks/rest/webhook",
        json={"sender": f"vi-{uuid.uuid4().hex}", "message": "hello", "metadata": {"language": "vi"}},
        timeout=30,
    ).json()
    assert rest[0]["text"] == GREETING_VI
    assert (copy / "models" / "assistant.tar.gz").stat().st_mtime == vietnamese_added


def test_vietnamese_is_picked_on_the_kiosk_page(running_copy, vietnamese_added):
    """The same, in the browser: the new language's button appears on the picker, and picking it greets."""
    from playwright.sync_api import sync_playwright

    from tests.browser.test_kiosk import CHROMIUM, CHROMIUM_ARGS

    _, url, _ = running_copy
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(url + "/webhooks/kiosk/")
            button = page.locator("button.language[data-code='vi']")
            button.wait_for()
            assert button.text_content() == "Tiếng Việt"
            button.click()
            page.locator(".from-assistant .message-text").first.wait_for()
            assert page.locator(".from-assistant .message-text").first.text_content() == GREETING_VI
            assert page.locator("html").get_attribute("lang") == "vi"
        finally:
            browser.close()
