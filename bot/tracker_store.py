"""A tracker store that keeps conversations in memory only and forgets them (endpoints.yml `tracker_store`).

Privacy rule 1: nothing a person writes reaches disk. Each conversation is deleted after a period of
inactivity (CONVERSATION_TIMEOUT_MINUTES), and at once when the conversation is restarted, which is what
"forget me", STOP and the kiosk's quick exit do (a Restarted event in the turn just handled).
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from typing import Any, Callable, Dict, Iterable, Optional, Text, Tuple

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.conversation import Dialogue
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, Restarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import settings

logger = logging.getLogger(__name__)


def restarted_this_turn(tracker: DialogueStateTracker) -> bool:
    """True when a Restarted event follows the latest user message: the person asked to be forgotten."""
    for event in reversed(tracker.events):
        if isinstance(event, Restarted):
            return True
        if isinstance(event, UserUttered):
            return False
    return False


class EphemeralTrackerStore(InMemoryTrackerStore):
    """In-memory conversations that expire after inactivity and vanish when restarted."""

    def __init__(
        self,
        domain: Domain,
        event_broker: Optional[EventBroker] = None,
        timeout_minutes: Optional[float] = None,
        clock: Callable[[], float] = time.monotonic,
        **kwargs: Dict[Text, Any],
    ) -> None:
        kwargs.pop("host", None)  # Rasa passes the endpoint's url; a memory store has none
        super().__init__(domain, event_broker, **kwargs)
        minutes = timeout_minutes if timeout_minutes is not None else settings.get_float("CONVERSATION_TIMEOUT_MINUTES")
        self.timeout_seconds = minutes * 60
        self.clock = clock
        # Oldest activity first, so expiry only looks at the conversations that are due.
        self._last_active: "OrderedDict[Text, float]" = OrderedDict()
        logger.info("Conversations are kept in memory only and deleted after %s minutes without a message.", minutes)

    def expire(self) -> int:
        """Delete every conversation idle for longer than the timeout; return how many were deleted."""
        cutoff = self.clock() - self.timeout_seconds
        expired = 0
        while self._last_active:
            sender_id, last_active = next(iter(self._last_active.items()))
            if last_active > cutoff:
                break
            self._forget(sender_id)
            expired += 1
        return expired

    def _forget(self, sender_id: Text) -> None:
        self._last_active.pop(sender_id, None)
        self.store.pop(sender_id, None)

    async def delete(self, sender_id: Text) -> None:
        self._forget(sender_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        self.expire()
        if restarted_this_turn(tracker):
            self._forget(tracker.sender_id)
            return
        await self.stream_events(tracker)
        # The events themselves, not Rasa's JSON: turning each event of the conversation back into an object on
        # every turn (Rasa finds each one's class by walking all of Event's subclasses) was 15% of a turn's CPU
        # (docs/performance.md). Rasa treats events as values once made, and a turn retrieves a fresh tracker.
        self.store[tracker.sender_id] = tuple(tracker.events)  # type: ignore[assignment]
        self._last_active.pop(tracker.sender_id, None)
        self._last_active[tracker.sender_id] = self.clock()

    async def _retrieve(self, sender_id: Text, fetch_all_sessions: bool) -> Optional[DialogueStateTracker]:
        self.expire()
        return await super()._retrieve(sender_id, fetch_all_sessions)

    def deserialise_tracker(self, sender_id: Text, stored: Tuple[Event, ...]) -> Optional[DialogueStateTracker]:  # type: ignore[override]
        tracker = self.init_tracker(sender_id)
        tracker.recreate_from_dialogue(Dialogue(sender_id, list(stored)))
        return tracker

    async def keys(self) -> Iterable[Text]:
        self.expire()
        return list(self.store.keys())
