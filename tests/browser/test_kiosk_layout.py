"""The kiosk as a person sees it: nothing covers the conversation (at every text size, portrait and landscape,
left to right and right to left), the greeting comes first however fast someone types, and a screenshot of
each language (test-artifacts/, copied to docs/screenshots/ by `make screenshots`)."""

from __future__ import annotations

import json
import time

import pytest

from bot.i18n.languages import registered_languages
from tests.browser.kiosk_page import (
    LANDSCAPE,
    PORTRAIT,
    QUESTIONS,
    ask,
    expected,
    layout,
    open_kiosk,
    overlaps,
    pick,
    replies,
    screenshot,
    scroll_conversation,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

TEXT_SIZE_STEPS = 6  # kiosk.js TEXT_SIZES: 100% to 200%
# However large the text, the conversation keeps at least this share of the screen's height.
MIN_CONVERSATION_SHARE = 0.25


def assert_nothing_covers_the_conversation(page, where: str) -> None:
    found = layout(page)
    viewport = found["viewport"]
    assert not found["pageScrolls"], f"{where}: the page itself scrolls, so the quick exit could leave the screen"
    for element in found["around"]:
        assert not overlaps(element["box"], found["log"]), f"{where}: {element['name']} overlaps the conversation"
        box = element["box"]
        inside = box["left"] >= 0 and box["top"] >= 0 and box["right"] <= viewport["width"] + 0.5
        assert inside and box["bottom"] <= viewport["height"] + 0.5, f"{where}: {element['name']} is off the screen"
    assert found["messages"], f"{where}: no message is in view"
    for message in found["messages"]:
        assert message["covered"] == [], f"{where}: something is in front of {message['text']!r}"
    conversation_height = found["log"]["bottom"] - found["log"]["top"]
    assert conversation_height >= MIN_CONVERSATION_SHARE * viewport["height"], (
        f"{where}: the conversation has only {conversation_height:.0f} px of {viewport['height']}"
    )


@pytest.mark.parametrize(
    ("screen", "language"),
    [(PORTRAIT, "so"), (PORTRAIT, "ar"), (LANDSCAPE, "so"), (LANDSCAPE, "ar")],
    ids=["portrait-so", "portrait-ar", "landscape-so", "landscape-ar"],
)
def test_nothing_covers_the_conversation(page, servers, screen, language):
    page.set_viewport_size(screen)
    open_kiosk(page, servers)
    pick(page, language)
    ask(page, QUESTIONS[language])
    for step in range(TEXT_SIZE_STEPS):
        for end in ("top", "bottom"):
            scroll_conversation(page, end)
            assert_nothing_covers_the_conversation(page, f"{language}, text size step {step}, scrolled to the {end}")
        assert_quick_exit_in_its_corner(page, screen)
        if step < TEXT_SIZE_STEPS - 1:
            page.locator("#text-larger").click()
    assert page.locator("#text-larger").is_disabled()


def assert_quick_exit_in_its_corner(page, screen) -> None:
    """At the top, on the side where a line ends: the right, or the left in a right-to-left language."""
    box = page.locator("#quick-exit").bounding_box()
    assert box["y"] < 0.05 * screen["height"]
    centre = box["x"] + box["width"] / 2
    if page.locator("html").get_attribute("dir") == "rtl":
        assert centre < screen["width"] / 2
    else:
        assert centre > screen["width"] / 2


def test_the_picker_is_not_covered_either(page, servers):
    page.set_viewport_size(PORTRAIT)
    open_kiosk(page, servers)
    exit_box = page.locator(".exit-area").bounding_box()
    exit_edges = {
        "left": exit_box["x"],
        "top": exit_box["y"],
        "right": exit_box["x"] + exit_box["width"],
        "bottom": exit_box["y"] + exit_box["height"],
    }
    for button in page.locator("button.language, #picker-title").all():
        box = button.bounding_box()
        edges = {"left": box["x"], "top": box["y"], "right": box["x"] + box["width"]}
        edges["bottom"] = box["y"] + box["height"]
        assert not overlaps(edges, exit_edges), button.text_content()


def test_the_greeting_comes_first_when_the_person_types_at_once(page, servers):
    """The greeting's answer is held back, as on a slow network, while the person writes twice: the greeting
    still comes first, and each answer comes under its own question."""
    held = []

    def hold_the_greeting(route):
        body = json.loads(route.request.post_data or "{}")
        if str(body.get("payload", "")).startswith("/greet"):
            held.append(route)
        else:
            route.continue_()

    page.route("**/webhooks/kiosk/webhook", hold_the_greeting)
    open_kiosk(page, servers)
    page.locator("button.language[data-code='es']").click()
    deadline = time.monotonic() + 15
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert held, "the page never sent the greeting"
    first, second = "mi esposo me golpea", "necesito un lugar seguro para dormir"
    for words in (first, second):
        page.locator("#message").fill(words)
        page.locator("#message").press("Enter")
    # What the person wrote shows at once, before any answer.
    assert page.locator(".from-user .message-text").all_text_contents() == [first, second]
    held[0].continue_()
    page.locator(".from-assistant").nth(2).wait_for()
    order = page.locator("#log > li").evaluate_all(
        "items => items.map(item => item.classList.contains('from-user')"
        " ? item.querySelector('.message-text').textContent : 'assistant')"
    )
    # One turn's answer may come as several messages: count each run of them once.
    turns = [entry for index, entry in enumerate(order) if index == 0 or entry != order[index - 1]]
    assert turns == ["assistant", first, "assistant", second, "assistant"]
    assert replies(page)[0] == expected("utter_greet", "es")
    assert replies(page)[1] == expected("utter_domestic_violence", "es")


@pytest.mark.parametrize("language", [language.code for language in registered_languages()])
def test_screenshot_of_each_language_in_portrait(page, servers, language):
    page.set_viewport_size(PORTRAIT)
    open_kiosk(page, servers)
    pick(page, language)
    answer = ask(page, QUESTIONS[language])
    assert answer and "911" in answer
    assert page.locator("html").get_attribute("lang") == language
    scroll_conversation(page, "top")
    screenshot(page, f"kiosk-{language}-portrait.png")


def test_screenshot_in_landscape(page, servers):
    page.set_viewport_size(LANDSCAPE)
    open_kiosk(page, servers)
    screenshot(page, "kiosk-picker-landscape.png")
    pick(page, "ar")
    ask(page, QUESTIONS["ar"])
    screenshot(page, "kiosk-ar-landscape.png")
