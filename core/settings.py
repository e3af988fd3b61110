"""Every setting the assistant reads, with its default and a help line (the README documents each; a test checks).

Settings come from the environment so that a deployment changes behaviour without editing files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS = (
    Setting(
        "BIND_HOST",
        "127.0.0.1",
        "Address both servers listen on; a kiosk or SMS gateway reaches them through a reverse proxy.",
    ),
    Setting("RASA_PORT", "5005", "Port of the Rasa server (channels, kiosk page, health check)."),
    Setting("ACTIONS_PORT", "5055", "Port of the action server."),
    Setting("ACTION_SERVER_URL", "http://127.0.0.1:5055/webhook", "Where the Rasa server calls the custom actions."),
    Setting(
        "CONVERSATION_TIMEOUT_MINUTES", "30", "Minutes of inactivity after which a conversation is deleted from memory."
    ),
    Setting(
        "LANGUAGE_MIN_CONFIDENCE",
        "0.60",
        "How sure language detection must be (0-1) before it switches the reply language.",
    ),
    Setting(
        "RASA_API_TOKEN", "", "When set, opens Rasa's HTTP API (--enable-api) behind this token; empty keeps it closed."
    ),
    Setting(
        "LOG_LEVEL", "INFO", "Log level of both servers. DEBUG prints message text: never use it with real people."
    ),
    Setting(
        "TWILIO_AUTH_TOKEN",
        "",
        "Twilio auth token that signs SMS webhooks; without it the SMS channel refuses every request.",
    ),
    Setting(
        "SMS_PUBLIC_URL",
        "",
        "The public URL Twilio calls for SMS (behind a proxy it differs from the URL Rasa sees); "
        "empty: the request URL.",
    ),
    Setting(
        "SMS_RATE_LIMIT_PER_MINUTE",
        "10",
        "Messages one phone number may send per minute before it gets a polite please-wait reply.",
    ),
    Setting(
        "SMS_NUMBER", "", 'The operator\'s SMS number, shown on the kiosk as "continue on your phone"; empty hides it.'
    ),
    Setting(
        "KIOSK_EXIT_URL",
        "/webhooks/kiosk/away",
        "Where the kiosk's quick exit goes: a neutral page (default: a plain local page).",
    ),
    Setting("KIOSK_IDLE_WARNING_SECONDS", "90", "Seconds without a touch before the kiosk warns it will clear itself."),
    Setting(
        "KIOSK_IDLE_WIPE_SECONDS",
        "120",
        "Seconds without a touch before the kiosk wipes the conversation and returns to the language picker.",
    ),
    Setting(
        "REST_PARTNER_TOKENS",
        "",
        "Partner apps allowed on the REST channel, as name:token pairs separated by commas (tokens of 16 or more "
        "characters, sent as `Authorization: Bearer <token>`); each partner gets its own conversation ids. Empty: "
        "the REST channel is open to anyone who can reach it.",
    ),
    Setting(
        "MAX_CONVERSATIONS",
        "10000",
        "Live conversations kept at most (in memory or in Redis); above it the least recently active one is "
        "dropped, and its next message starts over.",
    ),
    Setting(
        "REDIS_URL",
        "",
        "Scale-out: a Redis URL (redis://host:6379/0) for the conversations, their locks, the SMS rate limits and "
        "the conversation-id key, shared by several Rasa servers; empty: in this process's memory "
        "(docs/scale-out.md).",
    ),
    Setting(
        "STATS_ENABLED",
        "true",
        "Count turns per day, channel, language and topic for `make stats` (counts only); false counts nothing.",
    ),
    Setting(
        "STATS_DB",
        "stats/counts.db",
        "The SQLite file of the anonymous counts (relative paths are under the project folder).",
    ),
)

_DEFAULTS = {setting.name: setting.default for setting in SETTINGS}


def get(name: str) -> str:
    """The value of a setting: the environment's, else the default. Unknown names are a programming error."""
    return os.environ.get(name, _DEFAULTS[name])


def get_int(name: str) -> int:
    return int(get(name))


def get_float(name: str) -> float:
    return float(get(name))


def get_bool(name: str) -> bool:
    """True for true/yes/on/1 (any case); anything else is False."""
    return get(name).strip().lower() in {"true", "yes", "on", "1"}
