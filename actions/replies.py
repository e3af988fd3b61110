"""How the custom actions write their replies: in the person's language, for their channel (Rasa-free).

The actions render their messages here, in the action server, with the same code and catalogs as the Rasa
server's response generator (bot/replies/rendering.py): message templates come from bot/replies/messages/*.yml (catalog
context = the message name), and text that a data file shows people (an eligibility note, a court rule) is
looked up under "<table>:<column>" (bot/i18n/extract.data_context), so a translator finds both in the same
catalog. Names of organisations, courts, programmes and forms are shown as they are.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from bot.i18n.extract import data_context
from bot.i18n.languages import SOURCE_LANGUAGE, reply_language
from bot.replies.rendering import (
    PLAIN_TEXT_CHANNELS,
    LocalText,
    all_responses,
    default_values,
    numbered_choices,
    render_response,
    translate_text,
)
from core.names import EXPECTS, LANGUAGE, TOLD


@dataclass(frozen=True)
class Replies:
    language: str = SOURCE_LANGUAGE
    channel: str | None = None

    @classmethod
    def for_tracker(cls, tracker: Any) -> Replies:
        """For a rasa_sdk Tracker: the reply language slot and the channel of the latest message."""
        return cls(reply_language(tracker.get_slot(LANGUAGE)), tracker.get_latest_input_channel())

    @property
    def plain_text(self) -> bool:
        """SMS: short replies, buttons written as numbered choices."""
        return self.channel in PLAIN_TEXT_CHANNELS

    def message(self, name: str, /, **values: Any) -> dict[str, Any]:
        """The message `name` of bot/replies/messages/*.yml or the domain: {"text": ..., "buttons": [...]}."""
        message = render_response(all_responses(), name, self.language, self.channel, values)
        if message is None:
            raise KeyError(f"no message {name!r} in bot/replies/messages")
        return {**message, LANGUAGE: self.language}

    def text(self, name: str, /, **values: Any) -> LocalText:
        return LocalText(self.message(name, **values)["text"])

    def data(self, table: str, column: str, source: str, **values: Any) -> LocalText:
        """A data file's text in the person's language (English until translated), placeholders filled."""
        merged = {**default_values(), **values}
        return LocalText(translate_text(self.language, data_context(table, column), source, merged))

    def date(self, iso: str) -> LocalText:
        """ "24 November 2026" in the person's language ("24/11/26" on SMS); the text as it is when it is not a
        date."""
        try:
            day = datetime.date.fromisoformat(iso.strip())
            return LocalText(format_date(day, format="short" if self.plain_text else "long", locale=self._locale()))
        except (ValueError, UnknownLocaleError):
            return LocalText(iso)

    def language_names(self, codes: list[str]) -> LocalText:
        """Language names in the person's language: "somali, arabe"."""
        locale = self._locale()
        names = [(locale.languages.get(code) if locale else None) or code for code in codes]
        return LocalText(", ".join(names))

    def with_choices(self, text: str, buttons: list[dict[str, str]]) -> dict[str, Any]:
        """A message with buttons made in code; on SMS they are also numbered lines, as in render_response."""
        shown = numbered_choices(text, buttons) if buttons and self.plain_text else text
        return {"text": shown, "buttons": buttons}

    def _locale(self) -> Locale | None:
        try:
            return Locale.parse(self.language)
        except (ValueError, UnknownLocaleError):
            return None


def send(dispatcher: Any, message: Mapping[str, Any], expects: str | None = None, told: str | None = None) -> None:
    """Send a rendered message; `expects` marks a question whose answer bot/nlu/expected_answer.py recognises,
    `told` the disclosure a line acknowledges."""
    extra: dict[str, str] = {EXPECTS: expects} if expects else {}
    if told:
        extra[TOLD] = told
    if message.get(LANGUAGE):
        extra[LANGUAGE] = message[LANGUAGE]  # for the channel's 911 line (bot/channels/turns.py); never shown
    dispatcher.utter_message(text=message.get("text"), buttons=message.get("buttons") or None, **extra)


def join_lines(*parts: str | None) -> str:
    return "\n".join(part for part in parts if part)


# What a person told beside their question (entity `disclosure`, bot/nlu/danger_first.py) and the line that fits.
DISCLOSURE_LINES = {
    "domestic_violence": "utter_disclosure_domestic_violence",
    "sexual_assault": "utter_disclosure_sexual_assault",
    "trafficking_signs": "utter_disclosure_trafficking_signs",
}


def acknowledge(dispatcher: Any, replies: Replies, told: str | None) -> None:
    """After an answer: the 24/7 line that fits what the person told in the same message, if anything."""
    if told in DISCLOSURE_LINES:
        send(dispatcher, replies.message(DISCLOSURE_LINES[told]), told=told)
