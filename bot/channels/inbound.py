"""Checks every channel applies to what arrives, before Rasa sees it (Rasa-free).

Stock Rasa 3.6 answers an empty body with a 500 and hangs on a megabyte-long message; here bad input gets a
clear 4xx and a message Rasa can always process: a string of bounded length, without control characters
or lone surrogates (which cannot be encoded as UTF-8 further down).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

MAX_MESSAGE_CHARS = 2000  # far longer than anyone types at a kiosk or in an SMS (Twilio's cap is 1,600)
MAX_SENDER_CHARS = 128
MAX_BODY_BYTES = 64 * 1024
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


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


def clean_sender(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise BadInput("sender must be a string")
    sender = str(value).strip()
    if not sender or len(sender) > MAX_SENDER_CHARS or _CONTROL.search(sender):
        raise BadInput(f"sender must be 1 to {MAX_SENDER_CHARS} printable characters")
    return sender


def clean_metadata(value: Any) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadInput("metadata must be an object")
    return value
