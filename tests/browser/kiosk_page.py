"""What the browser tests do with the kiosk page: open it, pick a language, ask, read the replies, take
screenshots, and measure where things are on the screen."""

from __future__ import annotations

import json
import time
from pathlib import Path

import requests

from bot.replies.rendering import channel_messages, render_response
from tests.conftest import PROJECT_ROOT, domain_responses, without_danger_line

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IDLE_WARNING_SECONDS = 5
IDLE_WIPE_SECONDS = 10
SMS_NUMBER = "207-555-0142"
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
RESPONSES = domain_responses()
MIN_TOUCH_PX = 48

# A kiosk's usual screen stands upright; some hang on a wall sideways.
PORTRAIT = {"width": 1080, "height": 1920}
LANDSCAPE = {"width": 1920, "height": 1080}

# Someone asking for help in each launch language, in their own words.
QUESTIONS = {
    "en": "my husband hits me",
    "es": "mi esposo me golpea",
    "fr": "mon mari me frappe",
    "pt": "meu marido me bate",
    "ar": "زوجي يضربني",
    "so": "waxaan u baahanahay caawimaad, ninkayga ayaa i garaaca",
}
SOMALI_QUESTION = QUESTIONS["so"]
ARABIC_QUESTION = QUESTIONS["ar"]


def expected(name: str, language: str) -> str:
    return render_response(RESPONSES, name, language, "kiosk")["text"]


def kiosk_text(key: str, language: str) -> str:
    return render_response(channel_messages(), f"kiosk_{key}", language, "kiosk")["text"]


class Recorder:
    """Every request the page makes, and every script error or Content-Security-Policy violation."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, str | None]] = []
        self.problems: list[str] = []

    def on_request(self, request) -> None:
        self.requests.append((request.method, request.url, request.post_data))

    def on_console(self, message) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            self.problems.append(message.text)

    def senders(self) -> list[str]:
        found = []
        for method, url, body in self.requests:
            if method == "POST" and url.endswith("/webhook") and body:
                sender = json.loads(body)["sender"]
                if sender not in found:
                    found.append(sender)
        return found

    def wait_for_wipe(self, sender: str, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(
                url.endswith("/wipe") and body and json.loads(body).get("sender") == sender
                for _, url, body in self.requests
            ):
                time.sleep(0.5)  # the beacon is on its way; the server handles it in milliseconds
                return
            time.sleep(0.1)
        raise AssertionError("the page never asked the server to wipe the conversation")


def kiosk_url(servers) -> str:
    return f"{servers.url}/webhooks/kiosk/"


def open_kiosk(page, servers):
    response = page.goto(kiosk_url(servers))
    page.locator("button.language").first.wait_for()
    return response


def pick(page, code: str) -> None:
    page.locator(f"button.language[data-code='{code}']").click()
    page.locator(".from-assistant").first.wait_for()


def replies(page) -> list[str]:
    # Each turn's last message ends with the channel's 911 line (bot/channels/turns.py): taken off each.
    texts = page.locator(".from-assistant .message-text").all_text_contents()
    return [kept[0] if (kept := without_danger_line([text])) else "" for text in texts]


def ask(page, text: str) -> str:
    before = page.locator(".from-assistant").count()
    page.locator("#message").fill(text)
    page.locator("#message").press("Enter")
    page.locator(".from-assistant").nth(before).wait_for()
    return replies(page)[-1]


def say_directly(servers, sender: str, message: str) -> list[str]:
    """The channel's own webhook, as the page calls it, but without a language: what the server remembers."""
    response = requests.post(
        f"{servers.url}/webhooks/kiosk/webhook", json={"sender": sender, "message": message}, timeout=60
    )
    response.raise_for_status()
    return without_danger_line([reply["text"] for reply in response.json()])


def screenshot(page, name: str) -> None:
    """The screen exactly as a person sees it."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def assert_not_idle_warned(page) -> None:
    assert page.locator("#idle-warning").is_hidden()


# ---- where things are on the screen -------------------------------------------------------------------

# Everything on screen besides the conversation itself. The inactivity warning is left out on purpose: it is
# a dialog that covers the page until the person answers it.
AROUND_THE_CONVERSATION = [
    "#quick-exit",
    "#quick-exit-hint",
    "#text-smaller",
    "#text-larger",
    "#start-over",
    "#status",
    "#composer",
    "#sms",
    ".footer",
]

LAYOUT_SCRIPT = """(selectors) => {
  const box = (element) => {
    const r = element.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
  };
  const shown = (element) => element.getClientRects().length > 0 && getComputedStyle(element).visibility !== 'hidden';
  const log = document.querySelector('#log');
  const logBox = box(log);
  const around = [];
  for (const selector of selectors) {
    for (const element of document.querySelectorAll(selector)) {
      if (shown(element)) around.push({name: selector, box: box(element)});
    }
  }
  // Each message as far as it is inside the conversation's box (the rest is scrolled out of view), and which
  // element the browser finds at points spread over that visible part: nothing may be in front of it.
  const messages = [];
  for (const message of log.querySelectorAll('.message')) {
    const b = box(message);
    const visible = {
      left: b.left, right: b.right, top: Math.max(b.top, logBox.top), bottom: Math.min(b.bottom, logBox.bottom),
    };
    if (visible.bottom - visible.top < 1) continue;
    const covered = [];
    // Inside the rounded corners (0.75rem): the browser finds the box behind a corner's curve.
    const inset = (low, high) => {
      const margin = Math.min(20, (high - low) / 2);
      return [low + margin, (low + high) / 2, high - margin];
    };
    for (const x of inset(visible.left, visible.right)) {
      for (const y of inset(visible.top, visible.bottom)) {
        const found = document.elementFromPoint(x, y);
        if (!found || !message.contains(found)) {
          const by = found ? (found.id || found.className || found.tagName) : 'nothing';
          covered.push({x: Math.round(x), y: Math.round(y), by});
        }
      }
    }
    messages.push({text: message.textContent.slice(0, 60), box: b, visible, covered});
  }
  return {
    viewport: {width: window.innerWidth, height: window.innerHeight},
    pageScrolls: document.scrollingElement.scrollHeight > window.innerHeight + 1
      || document.scrollingElement.scrollWidth > window.innerWidth + 1,
    log: logBox,
    around,
    messages,
  };
}"""


def overlaps(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def layout(page) -> dict:
    return page.evaluate(LAYOUT_SCRIPT, AROUND_THE_CONVERSATION)


def scroll_conversation(page, where: str) -> None:
    """Scroll the conversation's own box to its "top" or "bottom"."""
    page.evaluate(
        "(where) => { const log = document.querySelector('#log');"
        " log.scrollTop = where === 'top' ? 0 : log.scrollHeight; }",
        where,
    )
