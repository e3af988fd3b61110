"""What the SMS channel remembers between requests: how often each conversation wrote, and which messages
it has already answered. In this process's memory, or in Redis when REDIS_URL is set, so that several servers
share one count per phone and one memory of answered messages.

Everything is keyed by a keyed hash (bot/channels/conversation_ids.py), never a phone number or a Twilio id,
and forgets itself: a rate window after a minute, an answered message after a few minutes.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Any, Protocol

import redis
from limits import RateLimitItemPerMinute
from limits.storage import RedisStorage
from limits.strategies import MovingWindowRateLimiter

from bot.stores.redis_client import KEY_PREFIX

logger = logging.getLogger(__name__)

RATE_WINDOW_SECONDS = 60.0
# Twilio answers a webhook once; a request seen again within this time is a replay (or a proxy's retry).
REPLAY_WINDOW_SECONDS = 10 * 60
# Bounds the in-process memory of answered messages under a flood: far above what one server answers in
# REPLAY_WINDOW_SECONDS (about 130 turns a second at most: docs/performance.md).
MAX_REMEMBERED_MESSAGES = 200_000
SEEN_KEY = KEY_PREFIX + "sms-seen:{}"


class RateLimit(Protocol):
    def allow(self, key: str) -> bool: ...


class RateLimiter:
    """At most `limit` messages per sender in any `window` seconds, in this process's memory.

    Keyed by conversation id, never the phone number. Only accepted messages are remembered (at most
    `limit` timestamps per sender), and a sender idle for a whole window is dropped, so memory stays
    bounded by the number of people writing within the last minute. (The `limits` package's own memory
    storage, in 2.4, the last release that accepts the `packaging` Rasa 3.6 needs, keeps every key it ever
    saw: 100,000 senders left 67 MB behind after their windows had passed.)
    """

    def __init__(self, limit: int, window: float = RATE_WINDOW_SECONDS, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.window = window
        self.clock = clock
        # Least recently accepted first, so dropping idle senders only looks at those that are due.
        self._accepted: OrderedDict[str, deque[float]] = OrderedDict()

    def allow(self, key: str) -> bool:
        now = self.clock()
        self._drop_idle(now)
        if self.limit <= 0:
            return True  # SMS_RATE_LIMIT_PER_MINUTE=0 turns the limit off
        stamps = self._accepted.get(key) or deque()
        while stamps and stamps[0] <= now - self.window:
            stamps.popleft()
        if len(stamps) >= self.limit:
            return False
        stamps.append(now)
        self._accepted[key] = stamps
        self._accepted.move_to_end(key)
        return True

    def _drop_idle(self, now: float) -> None:
        while self._accepted:
            key, stamps = next(iter(self._accepted.items()))
            if stamps and stamps[-1] > now - self.window:
                break
            del self._accepted[key]

    def __len__(self) -> int:
        return len(self._accepted)


class SharedRateLimiter:
    """The same moving window, counted in Redis by the `limits` package, so that every server counts the
    same messages. Redis drops a window's key once the window has passed."""

    def __init__(self, client: Any, limit: int) -> None:
        self.limit = limit
        self.item = RateLimitItemPerMinute(max(limit, 1), namespace=KEY_PREFIX + "sms-rate")
        # The limiter holds its storage only weakly: keep it here.
        self.storage = RedisStorage("redis://", connection_pool=client.connection_pool)
        self.limiter = MovingWindowRateLimiter(self.storage)

    def allow(self, key: str) -> bool:
        if self.limit <= 0:
            return True
        try:
            return bool(self.limiter.hit(self.item, key))
        except redis.RedisError as error:
            # The turn itself needs Redis too, and will answer with the crisis lines; never refuse for this.
            logger.warning("The SMS rate limit could not be checked (%s).", type(error).__name__)
            return True


def rate_limiter(client: Any, limit: int) -> RateLimit:
    return SharedRateLimiter(client, limit) if client is not None else RateLimiter(limit)


class AnsweredMessages:
    """Remembers, for REPLAY_WINDOW_SECONDS, the keyed digest of each message answered: in this process or in
    Redis (one key per message, which Redis expires)."""

    def __init__(self, client: Any = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self.clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()  # oldest first

    def first_time(self, digest: str) -> bool:
        """True the first time a message is seen (and remembers it), False for a repeat."""
        if self.client is not None:
            try:
                return bool(self.client.set(SEEN_KEY.format(digest), b"1", nx=True, ex=REPLAY_WINDOW_SECONDS))
            except redis.RedisError as error:
                logger.warning("Answered SMS could not be checked for replays (%s).", type(error).__name__)
                return True
        now = self.clock()
        while self._seen and (
            next(iter(self._seen.values())) <= now - REPLAY_WINDOW_SECONDS or len(self._seen) >= MAX_REMEMBERED_MESSAGES
        ):
            self._seen.popitem(last=False)
        if digest in self._seen:
            return False
        self._seen[digest] = now
        return True

    def __len__(self) -> int:
        return len(self._seen)
