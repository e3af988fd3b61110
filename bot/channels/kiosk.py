"""The kiosk channel: a public touch screen page and the endpoints it talks to, under /webhooks/kiosk/.

credentials.yml: `bot.channels.kiosk.KioskInput:`. Routes:

- `GET  /`              the page (bot/channels/kiosk/index.html, kiosk.js, kiosk.css: no CDN, no build step)
- `POST /session`      -> {"session": a new conversation id}, issued by this server: random, and signed, so
                        the webhook refuses (403) an id it did not issue (bot/channels/conversation_ids.py)
- `POST /webhook`       {"sender" (the session), "message" (typed) or "payload" (a button), "metadata":
                        {"language"}} -> a JSON list of replies (text, buttons), each with the `language` it is
                        written in, so the page can follow a change of language. Typed text is always words,
                        never a payload.
- `POST /wipe`          {"sender"} -> deletes the conversation at once ("/restart": the tracker store forgets it)
- `GET  /strings?lang=` the page's words in that language (bot/replies/messages/kiosk.yml), its lang and dir, and the
                        kiosk settings (idle times, exit address, SMS number)
- `GET  /languages?lang=` the languages offered (code, native name, direction, a note while a draft), and the
                        one `lang` names even when it is only a preview (a kiosk set up for that language)
- `GET  /away`          a neutral page for the quick exit (KIOSK_EXIT_URL's default)

Every response carries a Content-Security-Policy that allows only this origin, `Cache-Control: no-store`,
`Referrer-Policy: no-referrer` and `X-Content-Type-Options: nosniff`. The page keeps its session id in memory
only; like message text it is never logged, and the conversation is filed under a keyed hash of it, in the
kiosk's own id space.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import string
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.conversation_ids import (
    KeyUnavailable,
    UnknownSession,
    issue_kiosk_session,
    kiosk_conversation_id,
    shared_keys,
)
from bot.channels.inbound import (
    MAX_LANGUAGE_CHARS,
    MAX_MESSAGE_CHARS,
    BadInput,
    button_payload,
    clean_metadata,
    clean_sender,
    message_language,
    typed_text,
)
from bot.channels.rest import TURN_TIMEOUT_SECONDS, parse_body, refuse_oversized_bodies
from bot.channels.turns import TurnOutput, conversation_language, payload_names, run_turn, with_danger_line
from bot.i18n.languages import SOURCE_LANGUAGE, get_language, normalise_code, registered_languages
from bot.replies.rendering import channel_message, channel_messages, render_response
from bot.runtime import log_privacy
from core import settings
from core.names import LANGUAGE, LANGUAGE_CHOSEN

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "kiosk"
# The only files served, with their types: nothing else under the folder is reachable.
STATIC_FILES = {
    "kiosk.js": "text/javascript; charset=utf-8",
    "kiosk.css": "text/css; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}
AWAY_TEMPLATE = "away.html"  # filled in by away_page, never served as it is
STRING_PREFIX = "kiosk_"
WIPE_TEXT = "/restart"  # Rasa's restart intent: action_restart, and the tracker store deletes the conversation
MEMORY_UNAVAILABLE = "the assistant cannot reach its memory (Redis); try again in a moment"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class KioskOutput(TurnOutput):
    """Collects the replies of one turn; named "kiosk" so that kiosk-specific response variations apply."""

    @classmethod
    def name(cls) -> str:
        return "kiosk"


class DiscardingOutput(KioskOutput):
    """For the wipe: a restart has nothing to say, and nothing it says reaches anyone."""

    async def _persist_message(self, message: dict[str, Any]) -> None:
        return None


def page_language(value: Any) -> str:
    """A registered code for `value` ("so", "pt-BR"), English when absent, BadInput when it is not one."""
    if value is None or value == "":
        return SOURCE_LANGUAGE
    if not isinstance(value, str) or len(value) > MAX_LANGUAGE_CHARS:
        raise BadInput("lang must be a language code")
    code = normalise_code(value)
    if code is None:
        raise BadInput("unknown language", status=404)
    return code


def language_entry(code: str) -> dict[str, str]:
    language = get_language(code)
    return {"code": language.code, "name": language.name, "dir": language.direction}


def kiosk_string(key: str, language: str) -> str:
    rendered = render_response(channel_messages(), STRING_PREFIX + key, language, KioskOutput.name())
    return rendered["text"] if rendered else ""


def kiosk_strings(language: str) -> dict[str, str]:
    """Every `kiosk_` message, rendered from the catalogs (English until translated), keyed without the prefix."""
    names = [name for name in channel_messages() if name.startswith(STRING_PREFIX)]
    return {name[len(STRING_PREFIX) :]: kiosk_string(name[len(STRING_PREFIX) :], language) for name in names}


def _seconds(name: str) -> int:
    """A whole number of seconds from the settings; a mistyped value falls back to the default (a kiosk
    that never wipes itself would be worse than one that wipes at the usual time)."""
    try:
        return int(float(settings.get(name)))
    except (ValueError, OverflowError):
        logger.warning("%s is not a number of seconds; using its default.", name)
        return int(next(s.default for s in settings.SETTINGS if s.name == name))


def kiosk_settings() -> dict[str, Any]:
    warning = max(1, _seconds("KIOSK_IDLE_WARNING_SECONDS"))
    wipe = max(warning + 1, _seconds("KIOSK_IDLE_WIPE_SECONDS"))
    return {
        "exit_url": settings.get("KIOSK_EXIT_URL") or "away",
        "idle_warning_seconds": warning,
        "idle_wipe_seconds": wipe,
        "sms_number": settings.get("SMS_NUMBER").strip(),
        "max_message_chars": MAX_MESSAGE_CHARS,
    }


def languages_payload(asked: str | None = None) -> dict[str, Any]:
    """The registry as the picker needs it, read at each request: a language added to locales/languages.yml
    appears without a code change. Each comes with "Choose your language" in that language, and a draft with
    "Computer translation, not yet checked" in that language. A preview language is listed only when the
    page's address asks for it (`?lang=ymm`): a kiosk at a place that serves its speakers."""
    return {
        "languages": [
            picker_entry(language.code)
            for language in registered_languages()
            if language.offered or language.code == asked
        ],
        "default": SOURCE_LANGUAGE,
    }


def picker_entry(code: str) -> dict[str, str]:
    entry = {**language_entry(code), "prompt": kiosk_string("choose_language", code)}
    if get_language(code).is_draft:
        entry["note"] = kiosk_string("draft_translation", code)
    return entry


def strings_payload(language: str) -> dict[str, Any]:
    """The page's words in `language`, its lang and dir, the greeting to send first, and the kiosk settings."""
    entry = language_entry(language)
    strings, english = kiosk_strings(language), kiosk_strings(SOURCE_LANGUAGE)
    return {
        "lang": entry["code"],
        "dir": entry["dir"],
        "name": entry["name"],
        "strings": strings,
        # Shown in English until translated: the page marks them lang="en" dir="ltr".
        "untranslated": sorted(key for key, text in strings.items() if text == english[key])
        if language != SOURCE_LANGUAGE
        else [],
        "greeting": greeting_payload(language),
        "settings": kiosk_settings(),
    }


def greeting_payload(language: str) -> str:
    """What the page sends first: the greeting, with the language chosen (a payload skips detection)."""
    return "/greet" + json.dumps({LANGUAGE: language, LANGUAGE_CHOSEN: language})


def with_headers(result: HTTPResponse) -> HTTPResponse:
    for name, value in SECURITY_HEADERS.items():
        result.headers[name] = value
    return result


def refused(error: BadInput) -> HTTPResponse:
    return with_headers(response.json({"error": error.reason}, status=error.status))


def technical_problem(language: str) -> list[dict]:
    """Said when a turn fails or takes too long: still the crisis number, in the page's language."""
    message = channel_message("utter_technical_problem", language, KioskOutput.name())
    return [{**message, "language": language}]


def away_page(language: str) -> str:
    """A plain local page with nothing about violence or help on it: where the quick exit lands (kiosk/away.html,
    every value escaped)."""
    if kiosk_string("away_text", language) == kiosk_string("away_text", SOURCE_LANGUAGE):
        language = SOURCE_LANGUAGE  # not translated yet: an English page, marked as English
    strings = kiosk_strings(language)
    entry = language_entry(language)
    values = {
        "lang": entry["code"],
        "dir": entry["dir"],
        "title": strings["away_title"],
        "text": strings["away_text"],
        "home": strings["away_home"],
    }
    template = string.Template((STATIC_DIR / AWAY_TEMPLATE).read_text(encoding="utf-8"))
    return template.substitute({name: html.escape(value) for name, value in values.items()})


class KioskInput(InputChannel):
    """credentials.yml: `bot.channels.kiosk.KioskInput:` (no settings: they come from the environment)."""

    @classmethod
    def name(cls) -> str:
        return "kiosk"

    def __init__(self) -> None:
        self.keys = shared_keys()

    def conversation(self, session_id: str) -> str:
        """The conversation id of the session the page sends, or BadInput (403: not one this server issued;
        503: Redis, which holds the key, cannot be reached and this server does not know it)."""
        try:
            return kiosk_conversation_id(self.keys, session_id)
        except UnknownSession:
            raise BadInput("unknown session: ask for a new one (POST session)", status=403) from None
        except KeyUnavailable:
            raise BadInput(MEMORY_UNAVAILABLE, status=503) from None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        log_privacy.install()  # Rasa has configured its logging by now
        kiosk = Blueprint("kiosk_webhook", __name__)
        refuse_oversized_bodies(kiosk, refused)

        @kiosk.middleware("response")
        async def security_headers(_: Request, result: HTTPResponse) -> None:
            with_headers(result)

        @kiosk.route("/", methods=["GET"])
        async def page(request: Request) -> HTTPResponse:
            if not request.path.endswith("/"):
                # The page loads its files and endpoints relative to its own folder: ".../kiosk/". A relative
                # Location keeps working behind a reverse proxy that serves this under another prefix.
                folder = request.path.rstrip("/").rsplit("/", 1)[-1]
                return with_headers(response.redirect(f"{folder}/", status=308))
            return with_headers(await self._static("index.html", "text/html; charset=utf-8"))

        @kiosk.route("/kiosk.js", methods=["GET"])
        async def script(_: Request) -> HTTPResponse:
            return with_headers(await self._static("kiosk.js", STATIC_FILES["kiosk.js"]))

        @kiosk.route("/kiosk.css", methods=["GET"])
        async def stylesheet(_: Request) -> HTTPResponse:
            return with_headers(await self._static("kiosk.css", STATIC_FILES["kiosk.css"]))

        @kiosk.route("/favicon.svg", methods=["GET"])
        async def icon(_: Request) -> HTTPResponse:
            # Named by the page, so the browser does not ask the server's root for /favicon.ico.
            return with_headers(await self._static("favicon.svg", STATIC_FILES["favicon.svg"]))

        @kiosk.route("/languages", methods=["GET"])
        async def languages(request: Request) -> HTTPResponse:
            try:
                asked = message_language(request.args.get("lang"))
            except BadInput:
                asked = None  # the page's own address: never an error on the first screen
            return with_headers(response.json(languages_payload(asked)))

        @kiosk.route("/strings", methods=["GET"])
        async def strings(request: Request) -> HTTPResponse:
            try:
                language = page_language(request.args.get("lang"))
            except BadInput as error:
                return refused(error)
            return with_headers(response.json(strings_payload(language)))

        @kiosk.route("/away", methods=["GET"])
        async def away(request: Request) -> HTTPResponse:
            try:
                language = page_language(request.args.get("lang"))
            except BadInput:
                language = SOURCE_LANGUAGE  # a neutral page never shows an error
            return with_headers(response.html(away_page(language)))

        @kiosk.route("/session", methods=["POST"])
        async def session(_: Request) -> HTTPResponse:
            try:
                return with_headers(response.json({"session": issue_kiosk_session(self.keys)}))
            except KeyUnavailable:
                return refused(BadInput(MEMORY_UNAVAILABLE, status=503))

        @kiosk.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = parse_body(request)
                session_id = clean_sender(body.get("sender"))
                sender = self.conversation(session_id)
                text = self._message_text(request, body)
                # Only the language goes on to Rasa: the page sends nothing else, and nothing else is trusted.
                metadata = clean_metadata(body.get("metadata"))
                language = metadata.get("language")
            except BadInput as error:
                return refused(error)
            collector = KioskOutput()
            message = UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata)
            if not await run_turn(on_new_message, message, TURN_TIMEOUT_SECONDS):
                return with_headers(response.json(technical_problem(language or SOURCE_LANGUAGE)))
            reply_language = (
                collector.language or await conversation_language(request, sender) or language or SOURCE_LANGUAGE
            )
            messages = with_danger_line(collector.messages, reply_language, self.name())
            replies = [self._reply(message, session_id, reply_language) for message in messages]
            return with_headers(response.json(replies))

        @kiosk.route("/wipe", methods=["POST"])
        async def wipe(request: Request) -> HTTPResponse:
            # The page sends this with navigator.sendBeacon, so it arrives as text/plain: the body is read as
            # JSON whatever its declared type.
            try:
                sender = self.conversation(clean_sender(parse_body(request).get("sender")))
            except BadInput as error:
                return refused(error)
            message = UserMessage(WIPE_TEXT, DiscardingOutput(), sender, input_channel=self.name())
            try:
                await asyncio.wait_for(on_new_message(message), timeout=TURN_TIMEOUT_SECONDS)
            except Exception as error:  # noqa: BLE001 - a wipe that failed for any reason is reported, never raised
                logger.error("A kiosk wipe failed (%s).", type(error).__name__)
                return with_headers(response.json({"error": "the conversation could not be deleted"}, status=503))
            return with_headers(response.json({"status": "deleted"}))

        return kiosk

    @staticmethod
    def _message_text(request: Request, body: dict[str, Any]) -> str:
        """A tapped button's payload, checked against the model's intents and entities, or typed words."""
        if "payload" not in body:
            return typed_text(body.get("message"))
        names = payload_names(request)
        if names is None:
            raise BadInput("the assistant is starting; try again in a moment", status=503)
        return button_payload(body["payload"], names)

    @staticmethod
    async def _static(file_name: str, content_type: str) -> HTTPResponse:
        body = (STATIC_DIR / file_name).read_bytes()
        return response.raw(body, content_type=content_type)

    @staticmethod
    def _reply(message: dict[str, Any], session_id: str, language: str) -> dict[str, Any]:
        reply: dict[str, Any] = {"recipient_id": session_id, "text": message.get("text") or ""}
        if message.get("buttons"):
            reply["buttons"] = [
                {"title": str(button.get("title", "")), "payload": str(button.get("payload", ""))}
                for button in message["buttons"]
                if isinstance(button, dict)
            ]
        reply["language"] = language
        return reply

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        return None
