"""Running one turn for a channel: bounded in time, and a failure never repeats the message in the log."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from sanic.request import Request

from bot.channels.inbound import PayloadNames

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
