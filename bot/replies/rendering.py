"""Turns a response name into the text and buttons a person sees, in their language, for their channel.

Rasa-free, so the NLG class (bot/replies/nlg.py), the actions and `make preview` all render the same way.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from bot.i18n import catalog
from bot.i18n.languages import SOURCE_LANGUAGE, is_draft, offered_languages, registered_languages
from bot.i18n.placeholders import PLACEHOLDER, placeholders
from core import settings
from core.facts import fact_values
from core.names import LANGUAGE, LANGUAGE_CHOSEN
from core.paths import DOMAIN_DIR
from core.reloading import Reloading
from core.yaml_files import read_yaml

logger = logging.getLogger(__name__)

# Channels that show no buttons: choices become numbered lines the person answers with a digit.
PLAIN_TEXT_CHANNELS = {"sms"}
# Unicode "left-to-right isolate" ... "pop directional isolate": keeps phone numbers and English names
# in reading order inside right-to-left text, in plain text where no <bdi> exists.
LRI, PDI = "\u2066", "\u2069"
CHANNEL_MESSAGES_DIR = Path(__file__).resolve().parent / "messages"
# A machine-drafted language says so where a person enters it: in the greeting, and when they pick it.
DRAFT_NOTE = "utter_draft_translation"
DRAFT_NOTED_RESPONSES = frozenset({"utter_greet", "utter_language_set"})


def read_responses(*paths: Path) -> dict[str, list]:
    """The `responses` of these YAML files, later files winning."""
    responses: dict[str, list] = {}
    for path in paths:
        responses.update((read_yaml(path) or {}).get("responses") or {})
    return responses


# Re-read when a file changes: a wording fixed in bot/replies/messages is served at once (a translator's preview).
_responses = Reloading(read_responses, errors=(yaml.YAMLError, OSError))


def list_yaml_files(folder: Path) -> tuple[Path, ...]:
    return tuple(sorted(folder.glob("*.yml")))


# A folder's files, listed again when the folder changes (a file added, removed or renamed changes its
# modification time), looked at once a second as the files are: listing both folders on every reply was
# about 2% of the Rasa process's time on the realistic mix (docs/performance.md).
_yaml_files = Reloading(list_yaml_files, errors=(OSError,))


def channel_messages() -> dict[str, list]:
    """What the channels and the custom actions say outside the domain (bot/replies/messages/*.yml), in the domain's
    response format."""
    return _responses(*_yaml_files(CHANNEL_MESSAGES_DIR))


def all_responses() -> dict[str, list]:
    """The domain's responses and bot/replies/messages: what a custom action may render (utter_menu's buttons too)."""
    return _responses(*_yaml_files(DOMAIN_DIR), *_yaml_files(CHANNEL_MESSAGES_DIR))


class LocalText(str):
    """A value already written in the reply's language (a translated data text, a Babel date). In a
    right-to-left reply it is not isolated as left-to-right, as numbers, names and addresses are."""


def _fill(text: str, values: Mapping[str, Any], rtl: bool) -> str:
    """Replace {name} placeholders; an unknown one stays visible rather than failing the reply."""

    def value(match: re.Match) -> str:
        key = match.group(1)
        if key not in values:
            logger.warning("reply placeholder has no value: %s", key)
            return match.group(0)
        if rtl and not isinstance(values[key], LocalText):
            return f"{LRI}{values[key]}{PDI}"
        return str(values[key])

    return PLACEHOLDER.sub(value, text)


def translate_text(language: str, context: str, source: str, values: Mapping[str, Any]) -> str:
    """Translate a source text and fill its placeholders; a translation whose placeholders differ from the
    source's (a translator's slip) falls back to the English source instead of showing a broken reply."""
    translated = catalog.translate(language, context, source)
    if placeholders(translated) != placeholders(source):
        logger.warning("translation of %s has other placeholders than its source; using the source", context)
        translated = source
    return _fill(translated, values, is_rtl(language))


def is_rtl(language: str) -> bool:
    return any(entry.code == language and entry.direction == "rtl" for entry in registered_languages())


def default_values() -> dict[str, Any]:
    """Values every reply may use: the facts (phone numbers) and the inactivity timeout."""
    values: dict[str, Any] = dict(fact_values())
    # A whole number of minutes to show, even for a fractional timeout (a test's, or "0.5"): rounded up.
    values["minutes"] = math.ceil(settings.get_float("CONVERSATION_TIMEOUT_MINUTES"))
    return values


def language_buttons() -> list[dict[str, str]]:
    """One button per offered language (not a preview one), titled with its native name."""
    return [
        {
            "title": language.name,
            "payload": "/choose_language" + json.dumps({LANGUAGE: language.code, LANGUAGE_CHOSEN: language.code}),
        }
        for language in offered_languages()
    ]


def draft_note(language: str, channel: str | None = None) -> str | None:
    """ "A computer translated this..." in a draft language (shorter by SMS), else None."""
    if not is_draft(language):
        return None
    return channel_message(DRAFT_NOTE, language, channel)["text"]


def pick_variation(
    variations: list[Mapping[str, Any]], channel: str | None, language: str = SOURCE_LANGUAGE, name: str = ""
) -> Mapping[str, Any]:
    """The variation written for this channel (`channel: sms`: shorter, for the segment budget), else the
    default one. Its catalog context is "<response>:<channel>", so the two are translated separately; until
    the channel's variation is translated into the person's language, the translated default is used
    (a longer reply in their language helps more than a short one in English)."""
    default = next((v for v in variations if not v.get("channel")), variations[0])
    specific = next((v for v in variations if channel and v.get("channel") == channel), None)
    if specific is None or not specific.get("text"):
        return specific or default
    if language != SOURCE_LANGUAGE and not catalog.is_translated(
        language, message_context(name, specific), specific["text"]
    ):
        return default
    return specific


def message_context(name: str, variation: Mapping[str, Any]) -> str:
    return f"{name}:{variation['channel']}" if variation.get("channel") else name


def _buttons(responses: Mapping[str, list], name: str, variation: Mapping[str, Any], language: str) -> list[dict]:
    if name == "utter_choose_language":
        return language_buttons()
    source_name = (variation.get("metadata") or {}).get("buttons_from", name)
    source = pick_variation(responses.get(source_name) or [{}], None)
    buttons = source.get("buttons") or []
    return [
        {"title": catalog.translate(language, f"{source_name}:button", b["title"]), "payload": b["payload"]}
        for b in buttons
    ]


def channel_message(name: str, language: str, channel: str | None = None) -> dict[str, Any]:
    """A message of bot/replies/messages (what a channel says itself: the technical problem with 911, an SMS
    note), which always exists: a missing one fails the tests as a KeyError, never a reply of None."""
    message = render_response(channel_messages(), name, language, channel)
    if message is None:
        raise KeyError(f"no message {name!r} in bot/replies/messages")
    return message


def numbered_choices(text: str, buttons: list[dict[str, str]]) -> str:
    lines = [f"{number}. {button['title']}" for number, button in enumerate(buttons, start=1)]
    return "\n".join([text, *lines]) if text else "\n".join(lines)


def render_response(
    responses: Mapping[str, list],
    name: str,
    language: str,
    channel: str | None = None,
    values: Mapping[str, Any] | None = None,
) -> dict[str, Any] | None:
    """The message for response `name`: {"text": ..., "buttons": [...]} or None when there is no such response.

    On plain-text channels the buttons are also written into the text as numbered choices; they stay in the
    message so the channel can map a digit back to its payload.
    """
    variations = responses.get(name)
    if not variations:
        return None
    variation = pick_variation(variations, channel, language, name)
    merged = {**default_values(), **(values or {})}
    context = message_context(name, variation)
    text = translate_text(language, context, variation["text"], merged) if variation.get("text") else ""
    note = draft_note(language, channel) if name in DRAFT_NOTED_RESPONSES else None
    if note:
        text = f"{text}\n{note}"
    buttons = _buttons(responses, name, variation, language)
    if buttons and channel in PLAIN_TEXT_CHANNELS:
        text = numbered_choices(text, buttons)
    message: dict[str, Any] = {"text": text}
    if buttons:
        message["buttons"] = buttons
    return message
