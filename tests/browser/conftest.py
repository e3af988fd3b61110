"""The kiosk's browser tests share one pair of real servers (short idle times, an SMS number) and one
Chromium: Debian's, at /usr/bin/chromium (make test installs it when missing; `playwright install` is never
run)."""

from __future__ import annotations

import pytest

from tests.browser.kiosk_page import (
    CHROMIUM,
    CHROMIUM_ARGS,
    IDLE_WARNING_SECONDS,
    IDLE_WIPE_SECONDS,
    SMS_NUMBER,
    Recorder,
)
from tools.servers import Servers


# Package scope: the servers and the browser end with the last test of tests/browser. Playwright's sync API
# keeps its event loop running while the browser is open, and later tests call asyncio.run().
@pytest.fixture(scope="package")
def servers(tmp_path_factory):
    """The real servers, with short idle times so the inactivity wipe can be watched, and an SMS number."""
    running = Servers(
        log_dir=tmp_path_factory.mktemp("kiosk-server-logs"),
        env_overrides={
            "KIOSK_IDLE_WARNING_SECONDS": str(IDLE_WARNING_SECONDS),
            "KIOSK_IDLE_WIPE_SECONDS": str(IDLE_WIPE_SECONDS),
            "SMS_NUMBER": SMS_NUMBER,
        },
    )
    try:
        yield running.start()
    finally:
        running.stop()


@pytest.fixture(scope="package")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: apt-get install -y chromium (make test does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def recorder():
    return Recorder()


@pytest.fixture
def viewport():
    """The screen size of a test's page; a test may override this fixture."""
    return {"width": 1280, "height": 900}


@pytest.fixture
def context(browser, recorder, viewport):
    context = browser.new_context(viewport=viewport, locale="en-US")
    context.on("request", recorder.on_request)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(context, recorder):
    page = context.new_page()
    page.on("console", recorder.on_console)
    page.on("pageerror", lambda error: recorder.problems.append(f"page error: {error}"))
    page.set_default_timeout(15_000)
    yield page
    assert recorder.problems == [], "script errors or Content-Security-Policy violations"
