"""A tracker store that keeps conversations in memory only and forgets them (endpoints.yml `tracker_store`).

Privacy rule 1: nothing a person writes reaches disk. Each conversation is deleted after a period of
inactivity (CONVERSATION_TIMEOUT_MINUTES), and at once when the conversation is restarted, which is what
"forget me", STOP and the kiosk's quick exit do (a Restarted event in the turn just handled).

Where the memory is: this process's (one server), or Redis when REDIS_URL is set (several servers behind a
load balancer, docs/scale-out.md), where each conversation is a key that Redis itself expires. Saving a
conversation is also where a turn is counted for the anonymous statistics (bot/stats), counts only.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any, Protocol

import rasa.shared.core.trackers
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SerializedTrackerAsText, TrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.conversation import Dialogue
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, Restarted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.stats.counts import TurnCounter, turn_counter_from_settings
from bot.stores.redis_client import KEY_PREFIX, redis_from_settings
from core import settings
from core.names import LANGUAGE

logger = logging.getLogger(__name__)

_FROM_SETTINGS: Any = object()


def restarted_this_turn(tracker: DialogueStateTracker) -> bool:
    """True when a Restarted event follows the latest user message: the person asked to be forgotten."""
    for event in reversed(tracker.events):
        if isinstance(event, Restarted):
            return True
        if isinstance(event, UserUttered):
            return False
    return False


class ConversationMemory(Protocol):
    """Where conversations live until they expire: as event objects (this process) or serialised (Redis)."""

    keeps_objects: bool

    def get(self, sender_id: str) -> Any | None: ...
    def put(self, sender_id: str, stored: Any) -> None: ...
    def delete(self, sender_id: str) -> None: ...
    def keys(self) -> list[str]: ...


class ProcessMemory:
    """Conversations in this process's memory, each deleted `timeout_seconds` after its last save.

    It keeps the events themselves, not Rasa's JSON: turning each event of the conversation back into an
    object on every turn (Rasa finds each one's class by walking all of Event's subclasses) was 15% of a turn's
    CPU (docs/performance.md). Rasa treats events as values once made, and a turn retrieves a fresh tracker.
    """

    keeps_objects = True

    def __init__(self, timeout_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.timeout_seconds = timeout_seconds
        self.clock = clock
        # Oldest activity first, so expiry only looks at the conversations that are due.
        self._conversations: OrderedDict[str, tuple[float, tuple[Event, ...]]] = OrderedDict()

    def expire(self) -> int:
        """Delete every conversation idle for longer than the timeout; return how many were deleted."""
        cutoff = self.clock() - self.timeout_seconds
        expired = 0
        while self._conversations:
            sender_id, (last_active, _) = next(iter(self._conversations.items()))
            if last_active > cutoff:
                break
            del self._conversations[sender_id]
            expired += 1
        return expired

    def get(self, sender_id: str) -> tuple[Event, ...] | None:
        self.expire()
        entry = self._conversations.get(sender_id)
        return entry[1] if entry else None

    def put(self, sender_id: str, events: tuple[Event, ...]) -> None:
        self.expire()
        self._conversations.pop(sender_id, None)
        self._conversations[sender_id] = (self.clock(), events)

    def delete(self, sender_id: str) -> None:
        self._conversations.pop(sender_id, None)

    def keys(self) -> list[str]:
        self.expire()
        return list(self._conversations)


class RedisMemory:
    """Conversations in Redis, shared by several servers. Every save sets the key's expiry again, so Redis
    deletes a conversation `timeout_seconds` after its last message, whichever server handled it."""

    prefix = KEY_PREFIX + "tracker:"
    keeps_objects = False

    def __init__(self, client: Any, timeout_seconds: float) -> None:
        self.client = client
        self.expiry_ms = max(1, int(timeout_seconds * 1000))

    def get(self, sender_id: str) -> str | None:
        value = self.client.get(self.prefix + sender_id)
        return value.decode("utf-8") if isinstance(value, bytes) else value

    def put(self, sender_id: str, serialised: str) -> None:
        self.client.set(self.prefix + sender_id, serialised, px=self.expiry_ms)

    def delete(self, sender_id: str) -> None:
        self.client.delete(self.prefix + sender_id)

    def keys(self) -> list[str]:
        return [
            (key.decode("utf-8") if isinstance(key, bytes) else key)[len(self.prefix) :]
            for key in self.client.scan_iter(match=self.prefix + "*", count=500)
        ]


class EphemeralTrackerStore(TrackerStore, SerializedTrackerAsText):
    """Conversations that expire after inactivity and vanish when restarted, in memory or in Redis."""

    def __init__(
        self,
        domain: Domain,
        event_broker: EventBroker | None = None,
        timeout_minutes: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        redis_client: Any = _FROM_SETTINGS,
        turn_counter: TurnCounter | None = _FROM_SETTINGS,
        **kwargs: dict[str, Any],
    ) -> None:
        kwargs.pop("host", None)  # Rasa passes the endpoint's url; the settings say where Redis is
        super().__init__(domain, event_broker, **kwargs)
        minutes = timeout_minutes if timeout_minutes is not None else settings.get_float("CONVERSATION_TIMEOUT_MINUTES")
        self.timeout_seconds = minutes * 60
        client = redis_from_settings() if redis_client is _FROM_SETTINGS else redis_client
        self.memory: ConversationMemory = (
            RedisMemory(client, self.timeout_seconds)
            if client is not None
            else ProcessMemory(self.timeout_seconds, clock)
        )
        self.turn_counter = turn_counter_from_settings() if turn_counter is _FROM_SETTINGS else turn_counter
        where = "in Redis (kept in memory there)" if client is not None else "in memory only"
        logger.info("Conversations are kept %s and deleted after %s minutes without a message.", where, minutes)

    async def save(self, tracker: DialogueStateTracker) -> None:
        if self.turn_counter is not None:
            self.turn_counter.count_turn(tracker)
        if restarted_this_turn(tracker):
            self.memory.delete(tracker.sender_id)
            self._keep_language(tracker)
            return
        stored = tuple(tracker.events) if self.memory.keeps_objects else self.serialise_tracker(tracker)
        self.memory.put(tracker.sender_id, stored)

    async def delete(self, sender_id: str) -> None:
        self.memory.delete(sender_id)

    def _keep_language(self, tracker: DialogueStateTracker) -> None:
        """After "forget me", nothing of the conversation is kept but the language it was in, so the next
        question on the same screen or phone is answered in it (unless it is written in another one)."""
        language = tracker.get_slot(LANGUAGE)
        if not language:
            return
        fresh = self.init_tracker(tracker.sender_id)
        # A session already started, so Rasa does not start one again (which would clear the slot).
        for event in (
            ActionExecuted(ACTION_SESSION_START_NAME),
            SessionStarted(),
            SlotSet(LANGUAGE, language),
            ActionExecuted(ACTION_LISTEN_NAME),
        ):
            fresh.update(event)
        stored = tuple(fresh.events) if self.memory.keeps_objects else self.serialise_tracker(fresh)
        self.memory.put(tracker.sender_id, stored)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        return await self._retrieve(sender_id, fetch_all_sessions=False)

    async def retrieve_full_tracker(self, sender_id: str) -> DialogueStateTracker | None:
        return await self._retrieve(sender_id, fetch_all_sessions=True)

    async def _retrieve(self, sender_id: str, fetch_all_sessions: bool) -> DialogueStateTracker | None:
        stored = self.memory.get(sender_id)
        if stored is None:
            return None
        tracker = (
            self._from_events(sender_id, stored)
            if self.memory.keeps_objects
            else self.deserialise_tracker(sender_id, stored)
        )
        if tracker is None or fetch_all_sessions:
            return tracker
        # As Rasa's own stores do: the latest session only.
        sessions = rasa.shared.core.trackers.get_trackers_for_conversation_sessions(tracker)
        return sessions[-1] if len(sessions) > 1 else tracker

    def _from_events(self, sender_id: str, events: tuple[Event, ...]) -> DialogueStateTracker:
        tracker = self.init_tracker(sender_id)
        tracker.recreate_from_dialogue(Dialogue(sender_id, list(events)))
        return tracker

    async def keys(self) -> Iterable[str]:
        return self.memory.keys()
