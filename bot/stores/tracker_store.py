"""A tracker store that keeps conversations in memory only and forgets them (endpoints.yml `tracker_store`).

Privacy rule 1: nothing a person writes reaches disk. Each conversation is deleted after a period of
inactivity (CONVERSATION_TIMEOUT_MINUTES), and at once when the conversation is restarted, which is what
"forget me", STOP and the kiosk's quick exit do (a Restarted event in the turn just handled).

Where the memory is: this process's (one server), or Redis when REDIS_URL is set (several servers behind a
load balancer, docs/scale-out.md), where each conversation is a key that Redis itself expires. Saving a
conversation is also where a turn is counted for the anonymous statistics (bot/stats), counts only.

A long conversation is kept short (`compacted`): Rasa reads the whole stored history on every turn (rebuilding
the tracker, the policies' states, the custom actions' copy of it), so without this a turn's cost grew with
the conversation's length (62 ms at turn 300 against about 35 at turn 5, issue #12). Above COMPACT_ABOVE_TURNS
messages, only the last KEEP_TURNS are kept, after a session start that sets the slots to their values at
that point: the policies look three turns back at most, the follow-up action looks back to the last answer.

Memory is bounded: at most MAX_CONVERSATIONS live conversations. Anyone can start a conversation per message
(a fresh REST sender each time); above the bound the least recently active conversation is dropped, and if
its person writes again, that message starts a new conversation and is answered as a first message.
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
from bot.stores.redis_client import KEY_PREFIX, shared_redis
from core import settings
from core.names import LANGUAGE

logger = logging.getLogger(__name__)

_FROM_SETTINGS: Any = object()
# Compacting costs one pass over the history, so it happens once every COMPACT_ABOVE_TURNS - KEEP_TURNS turns.
COMPACT_ABOVE_TURNS = 20
KEEP_TURNS = 10
DROP_REPORT_SECONDS = 60.0  # at most one log line a minute about dropped conversations, however many


class DropReport:
    """Tells the operator, at most once a minute, how many conversations the bound dropped (counts only)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.dropped = 0
        self.last_report: float | None = None

    def add(self, dropped: int, bound: int) -> None:
        if dropped <= 0:
            return
        self.dropped += dropped
        now = self.clock()
        if self.last_report is None or now - self.last_report >= DROP_REPORT_SECONDS:
            logger.warning(
                "MAX_CONVERSATIONS (%d) reached: %d least recently active conversations dropped since the last report.",
                bound,
                self.dropped,
            )
            self.dropped, self.last_report = 0, now


def restarted_this_turn(tracker: DialogueStateTracker) -> bool:
    """True when a Restarted event follows the latest user message: the person asked to be forgotten."""
    for event in reversed(tracker.events):
        if isinstance(event, Restarted):
            return True
        if isinstance(event, UserUttered):
            return False
    return False


def compacted(
    events: list[Event],
    init_tracker: Callable[[], DialogueStateTracker],
    keep_turns: int = KEEP_TURNS,
    above_turns: int = COMPACT_ABOVE_TURNS,
) -> list[Event]:
    """The events to keep of a conversation: all of them up to `above_turns` messages; beyond, a session
    start that sets every slot to its value before the last `keep_turns` messages, then those messages'
    events (a turn is a message and what answered it)."""
    messages = [index for index, event in enumerate(events) if isinstance(event, UserUttered)]
    if len(messages) <= above_turns:
        return events
    cut = messages[-keep_turns]
    if cut > 0 and isinstance(events[cut - 1], ActionExecuted) and events[cut - 1].action_name == ACTION_LISTEN_NAME:
        cut -= 1
    before = init_tracker()
    for event in events[:cut]:
        before.update(event)
    initial = init_tracker()
    at = events[cut].timestamp  # in time order with the events kept
    values = before.current_slot_values().items()
    slots = [SlotSet(name, value, timestamp=at) for name, value in values if value != initial.get_slot(name)]
    start: list[Event] = [ActionExecuted(ACTION_SESSION_START_NAME, timestamp=at), SessionStarted(timestamp=at)]
    start += slots
    if not (isinstance(events[cut], ActionExecuted) and events[cut].action_name == ACTION_LISTEN_NAME):
        start.append(ActionExecuted(ACTION_LISTEN_NAME, timestamp=at))
    return start + list(events[cut:])


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

    def __init__(
        self, timeout_seconds: float, max_conversations: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.timeout_seconds = timeout_seconds
        self.max_conversations = max(1, max_conversations)
        self.clock = clock
        self.drops = DropReport(clock)
        # Oldest activity first, so expiry and the bound only look at the conversations that are due.
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
        dropped = 0
        while len(self._conversations) > self.max_conversations:
            self._conversations.popitem(last=False)
            dropped += 1
        self.drops.add(dropped, self.max_conversations)

    def delete(self, sender_id: str) -> None:
        self._conversations.pop(sender_id, None)

    def keys(self) -> list[str]:
        self.expire()
        return list(self._conversations)


# One step in Redis, so that two servers saving at once never let the count pass the bound: save the
# conversation with its expiry, note its activity in a sorted set (score: milliseconds), forget the entries of
# conversations Redis has already expired, then drop the least recently active beyond the bound.
# KEYS: the conversation, the activity set. ARGV: id, serialised, expiry ms, now ms, bound, key prefix.
_SAVE_BOUNDED = """
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', tonumber(ARGV[4]) - tonumber(ARGV[3]))
redis.call('PEXPIRE', KEYS[2], ARGV[3])
local extra = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
if extra <= 0 then
  return 0
end
local dropped = redis.call('ZPOPMIN', KEYS[2], extra)
for i = 1, #dropped, 2 do
  redis.call('DEL', ARGV[6] .. dropped[i])
end
return extra
"""


class RedisMemory:
    """Conversations in Redis, shared by several servers. Every save sets the key's expiry again, so Redis
    deletes a conversation `timeout_seconds` after its last message, whichever server handled it. A sorted
    set of conversation ids by last activity (`assistant:active`, expiring too) keeps the bound across servers."""

    prefix = KEY_PREFIX + "tracker:"
    activity_key = KEY_PREFIX + "active"
    keeps_objects = False

    def __init__(
        self, client: Any, timeout_seconds: float, max_conversations: int, clock: Callable[[], float] = time.time
    ) -> None:
        self.client = client
        self.expiry_ms = max(1, int(timeout_seconds * 1000))
        self.max_conversations = max(1, max_conversations)
        self.clock = clock
        self.drops = DropReport()
        self._save = client.register_script(_SAVE_BOUNDED)

    def get(self, sender_id: str) -> str | None:
        value = self.client.get(self.prefix + sender_id)
        return value.decode("utf-8") if isinstance(value, bytes) else value

    def put(self, sender_id: str, serialised: str) -> None:
        now_ms = int(self.clock() * 1000)
        dropped = self._save(
            keys=[self.prefix + sender_id, self.activity_key],
            args=[sender_id, serialised, self.expiry_ms, now_ms, self.max_conversations, self.prefix],
        )
        self.drops.add(int(dropped), self.max_conversations)

    def delete(self, sender_id: str) -> None:
        with self.client.pipeline() as pipe:
            pipe.delete(self.prefix + sender_id)
            pipe.zrem(self.activity_key, sender_id)
            pipe.execute()

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
        max_conversations: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        redis_client: Any = _FROM_SETTINGS,
        turn_counter: TurnCounter | None = _FROM_SETTINGS,
        **kwargs: dict[str, Any],
    ) -> None:
        kwargs.pop("host", None)  # Rasa passes the endpoint's url; the settings say where Redis is
        super().__init__(domain, event_broker, **kwargs)
        minutes = timeout_minutes if timeout_minutes is not None else settings.get_float("CONVERSATION_TIMEOUT_MINUTES")
        self.timeout_seconds = minutes * 60
        bound = max_conversations if max_conversations is not None else settings.get_int("MAX_CONVERSATIONS")
        client = shared_redis() if redis_client is _FROM_SETTINGS else redis_client
        self.memory: ConversationMemory = (
            RedisMemory(client, self.timeout_seconds, bound)
            if client is not None
            else ProcessMemory(self.timeout_seconds, bound, clock)
        )
        self.turn_counter = turn_counter_from_settings() if turn_counter is _FROM_SETTINGS else turn_counter
        where = "in Redis (kept in memory there)" if client is not None else "in memory only"
        logger.info(
            "Conversations are kept %s and deleted after %s minutes without a message; at most %d at once.",
            where,
            minutes,
            bound,
        )

    async def save(self, tracker: DialogueStateTracker) -> None:
        if self.turn_counter is not None:
            self.turn_counter.count_turn(tracker)
        if restarted_this_turn(tracker):
            self.memory.delete(tracker.sender_id)
            self._keep_language(tracker)
            return
        events = compacted(list(tracker.events), lambda: self.init_tracker(tracker.sender_id))
        if len(events) < len(tracker.events):
            tracker = self.init_tracker(tracker.sender_id)
            tracker.recreate_from_dialogue(Dialogue(tracker.sender_id, events))
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
