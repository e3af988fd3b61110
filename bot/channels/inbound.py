"""Checks every channel applies to what arrives, before Rasa sees it (Rasa-free).

Stock Rasa 3.6 answers an empty body with a 500 and hangs on a megabyte-long message; here bad input gets a
clear 4xx and a message Rasa can always process: a string of bounded length, without control characters
or lone surrogates (which cannot be encoded as UTF-8 further down).

Text a person typed is never a button payload. Rasa reads any text that starts with "/" as one
(`/intent{"entity": "value"}`), and when it cannot parse it, it prints the whole text in a warning at the
level `make run` uses (and Python keeps each warned text for the life of the process). So typed text loses
its leading slashes, and only a payload of the assistant's own form, naming an intent and entities the
model knows, reaches Rasa as a payload.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from bot.i18n.languages import normalise_code

MAX_MESSAGE_CHARS = 2000  # far longer than anyone types at a kiosk or in an SMS (Twilio's cap is 1,600)
MAX_SENDER_CHARS = 128
MAX_BODY_BYTES = 64 * 1024
MAX_LANGUAGE_CHARS = 35  # a BCP 47 tag is never longer; anything longer is not a language
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
PAYLOAD_PREFIX = "/"  # Rasa's INTENT_MESSAGE_PREFIX
_LEADING_SLASHES = re.compile(r"^[\s/]+")
# The only payload form the assistant's buttons use: an intent name, then at most one JSON object of entities.
# One line only: Rasa's own pattern does not read entities across a line break, and would warn.
_PAYLOAD = re.compile(r"/(?P<intent>[A-Za-z0-9_]+)(?P<entities>\{.*\})?\Z")


class BadInput(ValueError):
    """Input a channel refuses, with a reason safe to return to the client (it never repeats the input)."""

    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


def clean_text(value: Any) -> str:
    """The message as Rasa should see it, or BadInput."""
    if not isinstance(value, str):
        raise BadInput("message must be a string")
    if len(value) > MAX_MESSAGE_CHARS:
        raise BadInput(f"message is longer than {MAX_MESSAGE_CHARS} characters", status=413)
    # Lone surrogates ("\ud800") survive JSON decoding but break every UTF-8 encoder downstream.
    text = value.encode("utf-8", "replace").decode("utf-8")
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", text)).strip()
    if not text:
        raise BadInput("message is empty")
    return text


def typed_text(value: Any) -> str:
    """What a person typed, as words: "/help me" is "help me", never a payload."""
    text = _LEADING_SLASHES.sub("", clean_text(value))
    if not text:
        raise BadInput("message is empty")
    return text


@dataclass(frozen=True)
class PayloadNames:
    """The intents and entities a payload may name: the loaded model's."""

    intents: Collection[str]
    entities: Collection[str]


def button_payload(value: Any, names: PayloadNames) -> str:
    """A payload of the assistant's own form, which Rasa parses without a warning, or BadInput."""
    text = clean_text(value)
    match = _PAYLOAD.match(text)
    if match is None or match.group("intent") not in names.intents:
        raise BadInput("payload is not one this assistant offers")
    if match.group("entities"):
        try:
            entities = json.loads(match.group("entities"))
        except ValueError:
            raise BadInput("payload is not one this assistant offers") from None
        if not isinstance(entities, dict) or not all(
            key in names.entities and isinstance(entity, (str, int, float, bool)) for key, entity in entities.items()
        ):
            raise BadInput("payload is not one this assistant offers")
    return text


def text_or_payload(value: Any, names: PayloadNames | None) -> str:
    """For a channel that sends payloads and typed text in one field (REST, as Rasa's own): a well-formed
    payload of the assistant's, else the words. Without the model's names (not loaded yet) it is words."""
    text = clean_text(value)
    if names is not None and text.startswith(PAYLOAD_PREFIX):
        try:
            return button_payload(text, names)
        except BadInput:
            pass
    return typed_text(text)


def clean_sender(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise BadInput("sender must be a string")
    sender = str(value).strip()
    if not sender or len(sender) > MAX_SENDER_CHARS or _CONTROL.search(sender):
        raise BadInput(f"sender must be 1 to {MAX_SENDER_CHARS} printable characters")
    return sender


def parse_json_object(body: bytes) -> dict[str, Any]:
    """A request body as a JSON object, or BadInput. Deeply nested JSON exhausts Python's recursion limit
    while it is decoded: that is the client's mistake (400), not the server's (500)."""
    if len(body) > MAX_BODY_BYTES:
        raise BadInput(f"request body is larger than {MAX_BODY_BYTES} bytes", status=413)
    try:
        parsed = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise BadInput("request body must be JSON") from None
    except RecursionError:
        raise BadInput("request body is nested too deeply") from None
    if not isinstance(parsed, dict):
        raise BadInput("request body must be a JSON object")
    return parsed


def message_language(value: Any) -> str | None:
    """The language a message asks for: a registered code, or None (absent, or one this server does not
    speak: the reply then comes in the conversation's language, which is politer than refusing)."""
    if value is not None and not isinstance(value, str):
        raise BadInput("metadata.language must be a language code")
    return normalise_code(value) if value and len(value) <= MAX_LANGUAGE_CHARS else None


def clean_metadata(value: Any) -> dict[str, str]:
    """What Rasa may keep of a message's metadata: its language, nothing else. Anything else a client sends
    would be kept with the conversation and sent to the action server on every turn."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadInput("metadata must be an object")
    language = message_language(value.get("language"))
    return {"language": language} if language else {}
