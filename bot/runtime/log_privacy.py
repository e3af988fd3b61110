"""The second line of privacy rule 1 in the Rasa process: Rasa's own warnings never carry what a person wrote.

The first line is at the channels (bot/channels/inbound.py): typed text is never parsed as a payload, so
Rasa has nothing of the person's to warn about. Should some other path reach Rasa's warnings anyway:

- Rasa's "Failed to parse arguments in line '<the whole message>'" warnings are ignored. Rasa shows user
  warnings "once", which keeps each warned text in Python's warning registry for the life of the process;
  an ignored warning is dropped before it is registered.
- Rasa's structured log events lose the values of the fields that can hold a person's words, a sender id or
  a slot (`user_text`, `parse_data_text`, ...) at every level, before any output. The event's name stays, so
  an operator still sees that something happened.
- Sanic's report of an unhandled error names the path only: it would print the whole URL, query string
  included (Rasa's API token travels as `?token=`), and the traceback (whose last line may quote the input).
  The error's type stays.

`install()` runs once Rasa has configured its logging (the channels call it as the server builds them).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import MutableMapping
from typing import Any
from urllib.parse import urlsplit

import structlog

REDACTED = "[redacted]"
PARSE_WARNING = r"Failed to parse arguments in line"
# Rasa 3.6's own list of fields to anonymise (rasa/utils/log_utils.py), and the sender id.
PRIVATE_FIELDS = frozenset(
    {
        "text",
        "response_text",
        "user_text",
        "slot_values",
        "parse_data_text",
        "parse_data_entities",
        "prediction_events",
        "tracker_latest_message",
        "prefilled_slots",
        "message",
        "response",
        "slot_candidates",
        "rasa_event",
        "rasa_events",
        "tracker_states",
        "current_states",
        "old_states",
        "successes",
        "current_entity",
        "next_entity",
        "states",
        "entity",
        "token_text",
        "user_message",
        "json_message",
        "sender_id",
        "conversation_id",
        "metadata",
    }
)


def redact_private_fields(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """A structlog processor: every private field's value replaced, whatever the level."""
    for key in PRIVATE_FIELDS.intersection(event):
        event[key] = REDACTED
    return event


class PathOnly(logging.Filter):
    """On Sanic's error logger: "Exception occurred while handling uri: 'http://host/p?token=...'" becomes
    "An unhandled error (KeyError) on /p"; nothing else of the record (traceback, URL) is printed."""

    def filter(self, record: logging.LogRecord) -> bool:
        if "uri: %s" in str(record.msg) and record.args:
            url = record.args[-1] if isinstance(record.args, tuple) else record.args
            path = urlsplit(str(url).strip("'\"")).path or "?"
            error = record.exc_info[1] if record.exc_info else None
            record.msg, record.args = "An unhandled error (%s) on %s", (type(error).__name__, path)
            record.exc_info, record.exc_text = None, None
        return True


_PATH_ONLY = PathOnly()


def install() -> None:
    """Idempotent. Call after Rasa configured warnings and structlog (both happen before channels load)."""
    warnings.filterwarnings("ignore", message=PARSE_WARNING, category=UserWarning)
    sanic_errors = logging.getLogger("sanic.error")
    if _PATH_ONLY not in sanic_errors.filters:
        sanic_errors.addFilter(_PATH_ONLY)
    # In place: loggers Rasa already bound (structlog caches them) share this very list.
    processors = structlog.get_config()["processors"]
    if redact_private_fields not in processors:
        processors.insert(0, redact_private_fields)
