"""What a person who texts gets while the assistant cannot answer: a static TwiML reply, the fallback.

Twilio calls a number's fallback URL when the webhook fails (the server is down, restarting or too slow),
and nginx answers the SMS webhook with the same file when the Rasa server does not (deploy/nginx). The
file cannot know the person's language, so it has one message per registered language, each 911 and the
three 24/7 lines (`utter_sms_fallback`, bot/replies/messages/fallback.yml), rendered from the catalogs with
the numbers from data/facts/lines.csv, and each within the SMS segment budget. A one-language file per
language serves a number that mostly hears from one community. `make fallback` writes them into
deploy/twilio/ (Rasa-free).
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from bot.i18n.languages import registered_codes
from bot.replies.rendering import channel_message
from core.paths import PROJECT_ROOT

FALLBACK = "utter_sms_fallback"
FALLBACK_DIR = PROJECT_ROOT / "deploy" / "twilio"
ALL_LANGUAGES_FILE = "fallback.xml"


def fallback_text(language: str) -> str:
    return channel_message(FALLBACK, language, "sms")["text"]


def twiml(texts: list[str]) -> str:
    """A TwiML <Response> with one <Message> per text, one line each, so a diff shows which changed."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<Response>"]
    lines += [f"  <Message>{escape(text)}</Message>" for text in texts]
    return "\n".join([*lines, "</Response>", ""])


def fallback_files(languages: tuple[str, ...] | None = None) -> dict[str, str]:
    """File name -> TwiML: every language in one file, then one file per language."""
    codes = languages or registered_codes()
    files = {ALL_LANGUAGES_FILE: twiml([fallback_text(code) for code in codes])}
    files.update({f"fallback-{code}.xml": twiml([fallback_text(code)]) for code in codes})
    return files


def write_fallback_files(folder: Path = FALLBACK_DIR) -> list[Path]:
    """Write the files, remove those of languages no longer registered, and return what was written."""
    folder.mkdir(parents=True, exist_ok=True)
    files = fallback_files()
    for stale in folder.glob("fallback*.xml"):
        if stale.name not in files:
            stale.unlink()
    written = []
    for name, content in files.items():
        path = folder / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written
