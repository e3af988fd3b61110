"""Every setting the assistant reads, with its default and a help line (the README and deploy/env.example
document each; tests check both).

Settings come from the environment so that a deployment changes behaviour without editing files. A few
defaults follow other settings, so that changing one never leaves another pointing at the old value: the
action server's URL follows its port and address, and the statistics file lives in the state folder.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from core.paths import PROJECT_ROOT

# The folder name under /var/lib (systemd's StateDirectory=) or ~/.local/state.
STATE_FOLDER_NAME = "maine-assistant"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS = (
    Setting(
        "BIND_HOST",
        "127.0.0.1",
        "Address the Rasa server listens on; a kiosk or SMS gateway reaches it through a reverse proxy.",
    ),
    Setting("RASA_PORT", "5005", "Port of the Rasa server (channels, kiosk page, /health)."),
    Setting(
        "ACTIONS_BIND_HOST",
        "127.0.0.1",
        "Address the action server listens on. It has no authentication and is sent whole conversations: "
        "keep it on 127.0.0.1 unless it runs on another machine than the Rasa server.",
    ),
    Setting("ACTIONS_PORT", "5055", "Port of the action server."),
    Setting(
        "ACTION_SERVER_URL",
        "",
        "Where the Rasa server calls the custom actions; empty: http://127.0.0.1:<ACTIONS_PORT>/webhook "
        "(or ACTIONS_BIND_HOST's address, when that is one address rather than all).",
    ),
    Setting(
        "ACTIONS_IN_PROCESS",
        "true",
        "Run the custom actions inside the Rasa server's process (one process, no HTTP round trip per action); "
        "false: `make run` also starts the action server and Rasa calls it at ACTION_SERVER_URL.",
    ),
    Setting(
        "PARSE_THREADS",
        "2",
        "Threads that parse messages beside the Rasa server's event loop (the sentence encoder runs without "
        "Python's lock, so other conversations go on meanwhile); 0 parses in the event loop, as Rasa does.",
    ),
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
        "FACTS_MAX_AGE_MONTHS",
        "12",
        "`make facts` flags a fact whose source is older than this many months, or undated (docs/facts.md).",
    ),
    Setting(
        "STATE_DIR",
        "",
        "The folder of the only file the servers write, the anonymous counts; kept apart from the code so a "
        "redeploy keeps it. Empty: systemd's StateDirectory (/var/lib/maine-assistant) under systemd, else "
        "~/.local/state/maine-assistant. A relative path is under the project folder.",
    ),
    Setting(
        "STATS_DB",
        "counts.db",
        "The SQLite file of the anonymous counts; a relative path is under STATE_DIR.",
    ),
)

_DEFAULTS = {setting.name: setting.default for setting in SETTINGS}


def get(name: str) -> str:
    """The value of a setting: the environment's, else the default. Unknown names are a programming error."""
    return os.environ.get(name, _DEFAULTS[name])


def default(name: str) -> str:
    return _DEFAULTS[name]


def get_int(name: str) -> int:
    return int(get(name))


def get_float(name: str) -> float:
    return float(get(name))


def get_bool(name: str) -> bool:
    """True for true/yes/on/1 (any case); anything else is False."""
    return is_true(get(name))


def is_true(value: str) -> bool:
    return value.strip().lower() in {"true", "yes", "on", "1"}


def state_dir() -> Path:
    """STATE_DIR, else the folder systemd made for the service ($STATE_DIRECTORY, set by StateDirectory=),
    else the user's state folder. Nothing is created here: whoever writes a file makes its folder."""
    configured = get("STATE_DIR").strip()
    if configured:
        path = Path(configured).expanduser()
        return path if path.is_absolute() else PROJECT_ROOT / path
    systemd = os.environ.get("STATE_DIRECTORY", "").split(":")[0]
    if systemd:
        return Path(systemd)
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / STATE_FOLDER_NAME


def stats_db_path() -> Path:
    path = Path(get("STATS_DB")).expanduser()
    return path if path.is_absolute() else state_dir() / path


def action_server_url() -> str:
    """ACTION_SERVER_URL, else the action server this machine starts: its port, and its address unless it
    listens on every address (then 127.0.0.1 reaches it)."""
    configured = get("ACTION_SERVER_URL").strip()
    if configured:
        return configured
    host = get("ACTIONS_BIND_HOST").strip() or "127.0.0.1"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None  # a host name
    if address is not None and address.is_unspecified:
        host = "127.0.0.1"
    elif address is not None and address.version == 6:
        host = f"[{host}]"
    return f"http://{host}:{get('ACTIONS_PORT')}/webhook"
