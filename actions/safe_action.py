"""The base of every custom action: an action that fails still answers, and leaks nothing into a log.

When an action raises, rasa_sdk answers Rasa with an error whose body holds the whole tracker (every message
and the sender id), and Rasa logs that body at ERROR. So an action never raises: a failure is logged as the
exception type and where it happened (no message, no values), and the person gets a polite note with 911.
"""

from __future__ import annotations

import logging
import traceback
from abc import ABCMeta, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.replies import Replies, send

logger = logging.getLogger(__name__)


def where_it_failed(error: BaseException) -> str:
    """ "actions/ask_services.py:123": the innermost frame of our own code, without any value."""
    every = traceback.extract_tb(error.__traceback__)
    frames = [frame for frame in every if "/actions/" in frame.filename] or every
    if not frames:
        return "?"
    frame = frames[-1]
    return f"{frame.filename.rsplit('/', 2)[-2]}/{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}"


class SafeAction(Action, metaclass=ABCMeta):
    """Subclasses write `answer` instead of `run`. Abstract, so rasa_sdk does not register the base itself."""

    @abstractmethod
    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        raise NotImplementedError

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        try:
            return await self.answer(dispatcher, tracker, domain)
        except Exception as error:  # noqa: BLE001 - any failure must still give the person an answer
            logger.error("%s failed: %s at %s", self.name(), type(error).__name__, where_it_failed(error))
            dispatcher.messages.clear()  # a half-built answer would mislead
            send(dispatcher, Replies.for_tracker(tracker).message("utter_technical_problem"))
            return []
