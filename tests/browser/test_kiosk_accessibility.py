"""axe-core (shipped inside axe-playwright-python, nothing downloaded) with the WCAG 2.2 AA rule tags, on every
screen of the kiosk: the picker, a conversation in each language, each text-size step and the inactivity
warning. Zero violations."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from bot.i18n.languages import registered_languages
from tests.browser.kiosk_page import (
    IDLE_WARNING_SECONDS,
    PORTRAIT,
    QUESTIONS,
    ask,
    open_kiosk,
    pick,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

# Every rule of WCAG 2.0, 2.1 and 2.2 at levels A and AA (axe's own tags).
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}
# A run that checked this few rules did not look at the page.
MIN_RULES_PASSED = 15
TEXT_SIZE_STEPS = 6

axe = Axe()


def violations(page) -> tuple[list[dict], str]:
    results = axe.run(page, options=AXE_OPTIONS)
    assert len(results.response["passes"]) >= MIN_RULES_PASSED, "axe checked almost nothing"
    return results.response["violations"], results.generate_report()


def assert_accessible(page, where: str) -> None:
    found, report = violations(page)
    assert found == [], f"{where}:\n{report}"


def test_the_picker(page, servers):
    page.set_viewport_size(PORTRAIT)
    open_kiosk(page, servers)
    assert_accessible(page, "the language list")


@pytest.mark.parametrize("language", [language.code for language in registered_languages()])
def test_a_conversation_in_each_language(page, servers, language):
    open_kiosk(page, servers)
    pick(page, language)
    ask(page, QUESTIONS[language])
    assert_accessible(page, f"a conversation in {language}")


def test_every_text_size_step(page, servers):
    open_kiosk(page, servers)
    pick(page, "ar")
    ask(page, QUESTIONS["ar"])
    for step in range(TEXT_SIZE_STEPS):
        assert_accessible(page, f"text size step {step}")
        if step < TEXT_SIZE_STEPS - 1:
            page.locator("#text-larger").click()


def test_the_idle_warning(page, servers):
    open_kiosk(page, servers)
    pick(page, "so")
    page.locator("#idle-warning").wait_for(state="visible", timeout=(IDLE_WARNING_SECONDS + 10) * 1000)
    assert_accessible(page, "the inactivity warning")


def test_axe_finds_what_it_should(page, servers):
    """The check is live: grey text on white, and a button without a name, are reported."""
    open_kiosk(page, servers)
    page.evaluate(
        "(() => { const p = document.createElement('p'); p.textContent = 'faint words';"
        " p.style.color = '#bbbbbb'; document.querySelector('#picker').appendChild(p);"
        " const b = document.createElement('button'); document.querySelector('#picker').appendChild(b); })()"
    )
    found, _ = violations(page)
    assert {violation["id"] for violation in found} >= {"color-contrast", "button-name"}
