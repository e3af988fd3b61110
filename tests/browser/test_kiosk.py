"""The kiosk page in a real browser (Debian's Chromium, driven by Playwright) against the real servers: the
picker, a conversation, the quick exit, the inactivity wipe, and what the browser keeps and contacts.
Fixtures in conftest.py; screenshots go to test-artifacts/."""

from __future__ import annotations

import time

import pytest

from bot.i18n.languages import offered_languages
from bot.replies.rendering import render_response
from tests.browser.kiosk_page import (
    ARABIC_QUESTION,
    IDLE_WARNING_SECONDS,
    IDLE_WIPE_SECONDS,
    MIN_TOUCH_PX,
    RESPONSES,
    SMS_NUMBER,
    SOMALI_QUESTION,
    ask,
    assert_not_idle_warned,
    expected,
    kiosk_text,
    kiosk_url,
    open_kiosk,
    pick,
    replies,
    say_directly,
    screenshot,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


# ---- the picker and a conversation --------------------------------------------------------------------


def test_picker_shows_every_offered_language_by_native_name(page, servers):
    open_kiosk(page, servers)
    buttons = page.locator("button.language")
    # The name is the button's own text; a machine draft adds a note under it, in its language.
    names = buttons.evaluate_all("buttons => buttons.map(button => button.firstChild.textContent)")
    assert names == [language.name for language in offered_languages()]
    notes = page.locator("button.language .language-note")
    assert notes.count() == sum(language.is_draft for language in offered_languages())
    for index, language in enumerate(offered_languages()):
        assert buttons.nth(index).get_attribute("lang") == language.code
        assert buttons.nth(index).get_attribute("dir") == language.direction
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#chat").is_hidden()
    assert page.locator("#quick-exit").is_visible()
    screenshot(page, "kiosk-picker.png")


def test_somali_question_gets_the_somali_answer(page, servers):
    open_kiosk(page, servers)
    pick(page, "so")
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("so", "ltr")
    assert replies(page) == [expected("utter_greet", "so")]
    assert page.locator(".from-assistant .choice").all_text_contents() == [
        button["title"] for button in render_response(RESPONSES, "utter_greet", "so", "kiosk")["buttons"]
    ]
    answer = ask(page, SOMALI_QUESTION)
    assert answer == expected("utter_domestic_violence", "so")
    # What the person wrote is shown as they wrote it, in its own direction.
    mine = page.locator(".from-user .message-text").last
    assert mine.text_content() == SOMALI_QUESTION and mine.get_attribute("dir") == "auto"
    # The reply is announced to screen readers.
    announcer = page.locator("#announcer")
    assert announcer.get_attribute("aria-live") == "polite"
    assert announcer.text_content() == answer
    # Continue on your phone: the operator's number.
    assert page.locator("#sms").is_visible()
    assert page.locator("#sms-number").text_content() == SMS_NUMBER
    assert_not_idle_warned(page)


def test_the_server_issues_one_session_per_conversation(page, servers, recorder):
    """The conversation id comes from the server (POST session), once, and every message of the conversation
    uses it; a new conversation gets a new one."""
    open_kiosk(page, servers)
    pick(page, "en")
    ask(page, "hello")
    page.locator("#start-over").click()
    page.locator("button.language").first.wait_for()
    pick(page, "es")
    sessions = [url for method, url, _ in recorder.requests if method == "POST" and url.endswith("/session")]
    assert len(sessions) == 2
    senders = recorder.senders()
    assert len(senders) == 2 and all(len(sender.split("-")) == 3 for sender in senders)  # period-random-signature


def test_arabic_is_right_to_left(page, servers):
    open_kiosk(page, servers)
    pick(page, "ar")
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
    assert replies(page) == [expected("utter_greet", "ar")]
    assert ask(page, ARABIC_QUESTION) == expected("utter_domestic_violence", "ar")
    reply = page.locator(".from-assistant").last
    assert (reply.get_attribute("lang"), reply.get_attribute("dir")) == ("ar", "rtl")
    # Right to left: the replies start at the right edge, the quick exit moves to the left corner.
    viewport = page.viewport_size["width"]
    box = page.locator(".from-assistant").first.bounding_box()
    assert viewport - (box["x"] + box["width"]) < box["x"]
    assert page.locator("#quick-exit").bounding_box()["x"] < viewport / 2
    assert_not_idle_warned(page)


def test_a_language_chosen_in_the_conversation_turns_the_page(page, servers):
    open_kiosk(page, servers)
    pick(page, "so")
    # The menu's "change language", then a language button: the page follows into Arabic, right to left.
    menu = render_response(RESPONSES, "utter_menu", "so", "kiosk")["buttons"]
    change = next(button["title"] for button in menu if button["payload"] == "/change_language")
    page.locator(".choice", has_text=change).first.click()
    page.locator(".from-assistant").nth(1).wait_for()
    page.locator(".from-assistant").nth(1).locator(".choice", has_text="العربية").click()
    page.locator(".from-assistant").nth(2).wait_for()
    assert replies(page)[-1] == expected("utter_language_set", "ar")
    page.locator("html[lang='ar'][dir='rtl']").wait_for(state="attached")
    # From now on the page asks in Arabic: an English question is answered in Arabic.
    assert ask(page, "my husband hits me") == expected("utter_domestic_violence", "ar")


def test_touch_targets_are_large(page, servers):
    open_kiosk(page, servers)
    pick(page, "es")
    for button in page.locator("button:visible").all():
        box = button.bounding_box()
        assert box["height"] >= MIN_TOUCH_PX and box["width"] >= MIN_TOUCH_PX, button.text_content()
    box = page.locator("#message").bounding_box()
    assert box["height"] >= MIN_TOUCH_PX


def test_text_size_control(page, servers):
    open_kiosk(page, servers)
    pick(page, "fr")
    size = lambda: page.evaluate("parseFloat(getComputedStyle(document.querySelector('.message-text')).fontSize)")  # noqa: E731
    start = size()
    page.locator("#text-larger").click()
    page.locator("#text-larger").click()
    assert size() > start * 1.2
    page.locator("#text-smaller").click()
    page.locator("#text-smaller").click()
    assert size() == start
    assert page.locator("#text-smaller").is_disabled()
    assert page.locator("#text-larger").get_attribute("aria-label") == kiosk_text("text_larger", "fr")


def test_sms_number_is_hidden_when_not_set(page, servers):
    def without_number(route):
        response = route.fetch()
        body = response.json()
        body["settings"]["sms_number"] = ""
        route.fulfill(response=response, json=body)

    page.route("**/webhooks/kiosk/strings*", without_number)
    open_kiosk(page, servers)
    pick(page, "pt")
    assert page.locator("#sms").is_hidden()


def test_keyboard_only(page, servers):
    open_kiosk(page, servers)
    active = lambda: page.evaluate(  # noqa: E731
        "(() => { const e = document.activeElement; return [e.id, e.className, e.getAttribute('data-code')]; })()"
    )
    # The quick exit comes first, then the text size, then the languages.
    page.keyboard.press("Tab")
    assert active()[0] == "quick-exit"
    for _ in range(10):
        if active()[1] == "language":
            break
        page.keyboard.press("Tab")
    assert active()[1] == "language"
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; })()"
    )
    assert style[0] == "solid" and float(style[1].rstrip("px")) >= 2, "focus is visible"
    page.keyboard.press("Tab")
    assert active()[2] == "es"
    page.keyboard.press("Enter")
    page.locator(".from-assistant").first.wait_for()
    assert page.locator("html").get_attribute("lang") == "es"
    assert replies(page) == [expected("utter_greet", "es")]
    for _ in range(30):
        if active()[0] == "message":
            break
        page.keyboard.press("Tab")
    assert active()[0] == "message"
    page.keyboard.type("mi esposo me golpea")
    page.keyboard.press("Enter")
    page.locator(".from-assistant").nth(1).wait_for()
    assert replies(page)[-1] == expected("utter_domestic_violence", "es")
    # A menu button, by keyboard: back from the text box to the last one ("Privacy"), and Enter.
    page.keyboard.press("Shift+Tab")
    assert active()[1] == "choice"
    page.keyboard.press("Enter")
    page.locator(".from-assistant").nth(2).wait_for()
    assert replies(page)[-1] == expected("utter_privacy", "es")


# ---- quick exit ---------------------------------------------------------------------------------------


def start_somali_conversation(page, servers, recorder) -> str:
    open_kiosk(page, servers)
    pick(page, "so")
    ask(page, SOMALI_QUESTION)
    [sender] = recorder.senders()
    # The conversation exists on the server and remembers the language chosen.
    assert say_directly(servers, sender, "hello") == [expected("utter_greet", "so")]
    return sender


def assert_left_for_the_neutral_page(page, servers, sender, recorder) -> None:
    page.wait_for_url("**/webhooks/kiosk/away")
    text = page.locator("body").inner_text().lower()
    assert "violence" not in text and "911" not in text and "soomaali" not in text
    assert page.title() == kiosk_text("away_title", "en")
    recorder.wait_for_wipe(sender)
    # Back does not lead to the conversation.
    page.go_back()
    assert page.url != kiosk_url(servers)
    assert expected("utter_domestic_violence", "so") not in page.content()
    # The conversation is gone: the same id starts a new one, in English.
    assert say_directly(servers, sender, "hello") == [expected("utter_greet", "en")]


def test_quick_exit_button(page, servers, recorder):
    sender = start_somali_conversation(page, servers, recorder)
    page.locator("#quick-exit").click()
    assert_left_for_the_neutral_page(page, servers, sender, recorder)


def test_quick_exit_by_pressing_shift_three_times(page, servers, recorder):
    sender = start_somali_conversation(page, servers, recorder)
    # Capitals typed with Shift are not a quick exit.
    page.locator("#message").focus()
    for letter in "ABC":
        page.keyboard.press(f"Shift+{letter}")
    assert page.url == kiosk_url(servers)
    assert page.locator("#message").input_value() == "ABC"
    for _ in range(3):
        page.keyboard.press("Shift")
    assert_left_for_the_neutral_page(page, servers, sender, recorder)


# ---- inactivity ---------------------------------------------------------------------------------------


def test_idle_warning_then_wipe_back_to_the_picker(page, servers, recorder):
    open_kiosk(page, servers)
    pick(page, "fr")
    picked = time.monotonic()
    [sender] = recorder.senders()
    warning = page.locator("#idle-warning")
    warning.wait_for(state="visible", timeout=(IDLE_WARNING_SECONDS + 10) * 1000)
    assert time.monotonic() - picked >= IDLE_WARNING_SECONDS - 1
    assert warning.get_attribute("role") == "alertdialog"
    assert page.locator("#idle-text").text_content() == kiosk_text("idle_warning", "fr")
    assert page.locator("#announcer").text_content() == kiosk_text("idle_warning", "fr")
    assert page.locator("#idle-continue").is_visible()
    screenshot(page, "kiosk-idle-warning.png")
    page.locator("#picker").wait_for(state="visible", timeout=(IDLE_WIPE_SECONDS + 10) * 1000)
    assert page.locator("#chat").is_hidden() and warning.is_hidden()
    assert page.locator(".message").count() == 0
    assert page.locator("html").get_attribute("lang") == "en"
    recorder.wait_for_wipe(sender)
    assert say_directly(servers, sender, "hello") == [expected("utter_greet", "en")]
    # A new person gets a new conversation id.
    pick(page, "so")
    assert recorder.senders()[-1] != sender


def test_continue_keeps_the_conversation(page, servers, recorder):
    open_kiosk(page, servers)
    pick(page, "pt")
    page.locator("#idle-warning").wait_for(state="visible", timeout=(IDLE_WARNING_SECONDS + 10) * 1000)
    page.locator("#idle-continue").click()
    assert page.locator("#idle-warning").is_hidden()
    assert replies(page) == [expected("utter_greet", "pt")]
    assert not any(url.endswith("/wipe") for _, url, _ in recorder.requests)


def test_start_over_wipes_and_returns_to_the_picker(page, servers, recorder):
    open_kiosk(page, servers)
    pick(page, "so")
    [sender] = recorder.senders()
    page.locator("#start-over").click()
    page.locator("#picker").wait_for(state="visible")
    recorder.wait_for_wipe(sender)
    assert say_directly(servers, sender, "hello") == [expected("utter_greet", "en")]


# ---- nothing kept, nothing sent elsewhere -------------------------------------------------------------


def test_nothing_is_kept_in_the_browser(page, context, servers):
    open_kiosk(page, servers)
    pick(page, "so")
    ask(page, SOMALI_QUESTION)
    page.locator("#text-larger").click()
    assert context.cookies() == []
    assert page.evaluate("document.cookie") == ""
    assert page.evaluate("localStorage.length") == 0
    assert page.evaluate("sessionStorage.length") == 0
    assert page.evaluate("indexedDB.databases().then(list => list.length)") == 0
    assert page.evaluate("caches.keys().then(keys => keys.length)") == 0
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then(list => list.length)") == 0


def test_only_the_server_is_contacted(page, servers, recorder):
    open_kiosk(page, servers)
    pick(page, "ar")
    ask(page, ARABIC_QUESTION)
    page.locator(".choice").first.click()
    page.locator(".from-assistant").nth(2).wait_for()
    page.locator("#start-over").click()
    pick(page, "es")
    page.locator("#quick-exit").click()
    page.wait_for_url("**/away")
    urls = [url for _, url, _ in recorder.requests]
    assert urls and all(url.startswith(servers.url + "/") for url in urls), urls


def test_the_content_security_policy_is_sent(page, servers, recorder):
    response = open_kiosk(page, servers)
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "connect-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-content-type-options"] == "nosniff"
    # The policy is in force: the browser refuses an inline script.
    page.evaluate(
        "(() => { const s = document.createElement('script'); s.textContent = 'window.inlineRan = true';"
        " document.body.appendChild(s); })()"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.inlineRan === true") is False
    assert any("Content Security Policy" in problem for problem in recorder.problems)
    recorder.problems.clear()  # that violation was this test's own doing
