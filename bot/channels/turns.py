"""Running one turn for a channel: bounded in time, and a failure never repeats the message in the log."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from sanic.request import Request

from bot.channels.inbound import PayloadNames
from bot.i18n.languages import normalise_code
from bot.replies.rendering import channel_message
from core.names import LANGUAGE

DANGER_LINE = "utter_danger_line"

logger = logging.getLogger(__name__)


async def run_turn(
    on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage, timeout_seconds: float
) -> bool:
    """Hand the message to Rasa; False when the turn failed or took too long, so the channel can still answer
    (with the technical-problem message and its 911 line). Only the error's type is logged: Rasa's own REST
    channel logs the message text at ERROR here."""
    try:
        await asyncio.wait_for(on_new_message(message), timeout=timeout_seconds)
    except Exception as error:  # noqa: BLE001 - any failure gets the same polite answer
        logger.error(
            "A %s turn failed (%s); answered with the technical-problem message.",
            message.input_channel,
            type(error).__name__,
        )
        return False
    return True


def payload_names(request: Request) -> PayloadNames | None:
    """The intents and entities of the model this server runs, or None while no model is loaded."""
    domain = getattr(getattr(request.app.ctx, "agent", None), "domain", None)
    if domain is None:
        return None
    return PayloadNames(frozenset(domain.intents), frozenset(domain.entities))


class TurnOutput(CollectingOutputChannel):
    """Collects the replies of one turn and the language they are written in: the response generator and the
    custom actions send it along with each message (bot/replies/nlg.py, actions/replies.py), so the channel
    needs no second look at the conversation."""

    language: str | None = None

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self._note_language(kwargs)
        await super().send_text_message(recipient_id, text, **kwargs)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        self._note_language(kwargs)
        await super().send_text_with_buttons(recipient_id, text, buttons, **kwargs)

    def _note_language(self, fields: dict[str, Any]) -> None:
        language = fields.get(LANGUAGE)
        if isinstance(language, str) and language:
            self.language = language


def with_danger_line(messages: list[dict[str, Any]], language: str, channel: str) -> list[dict[str, Any]]:
    """The turn's replies, the last one ending with "In danger right now? Call 911." unless one of them
    already names 911: whatever the question was, the way to emergency help stays in sight. The line goes on
    the last message's own last line (no extra kiosk bubble, no extra SMS); its choices stay below it. A turn
    with nothing to say (a wipe) stays silent. A 911 line is said once per turn (`said_once`)."""
    messages = said_once(messages)
    if not messages or any("911" in (message.get("text") or "") for message in messages):
        return messages
    line = channel_message(DANGER_LINE, language, channel)["text"]
    *before, last = messages
    text = last.get("text") or ""
    return [*before, {**last, "text": f"{text}\n{line}" if text else line}]


def said_once(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The turn's replies without a line naming 911 that an earlier reply of the same turn already said word
    for word: the notice for a young person and the line that follows it (actions/follow_up.py, action_also)
    both end "If you are in danger now, call 911.", which a text message would otherwise carry twice. A
    reply that was only that line, with no choices, is left out."""
    said: set[str] = set()
    kept: list[dict[str, Any]] = []
    for message in messages:
        lines = (message.get("text") or "").split("\n")
        new = [line for line in lines if not ("911" in line and line.strip() in said)]
        said.update(line.strip() for line in lines if "911" in line)
        if new == lines:
            kept.append(message)
        elif any(line.strip() for line in new) or message.get("buttons"):
            kept.append({**message, "text": "\n".join(new)})
    return kept


async def conversation_language(request: Request, conversation: str) -> str | None:
    """The language a conversation now answers in, from its tracker (None when it cannot be read)."""
    store = getattr(getattr(request.app.ctx, "agent", None), "tracker_store", None)
    if store is None:
        return None
    try:
        tracker = await store.retrieve(conversation)
    except Exception as error:  # noqa: BLE001 - the reply matters more than the language label
        logger.warning("Could not read the conversation language (%s).", type(error).__name__)
        return None
    return normalise_code(tracker.get_slot(LANGUAGE)) if tracker is not None else None
