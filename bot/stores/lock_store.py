"""The lock store (endpoints.yml `lock_store`): one turn of a conversation at a time, on one server or many.

Rasa takes a ticket per message and processes a conversation's messages in ticket order. Without REDIS_URL
the tickets live in this process, as in Rasa's InMemoryLockStore. With it they live in Redis, so that two
servers behind a load balancer never run two turns of one conversation at once. Rasa's own RedisLockStore
reads, changes and writes a lock in three steps, so two servers can draw the same ticket (the maintainers
called it "far from atomic"); here every change is one Redis transaction (WATCH/MULTI), retried when
another server changed the lock in between. Lock keys carry the conversation id, so they expire too.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

from bot.stores.redis_client import KEY_PREFIX, shared_redis

logger = logging.getLogger(__name__)

T = TypeVar("T")
# A changed lock is dropped by Redis after this long unless changed again; a server that died mid-turn
# leaves no conversation id behind for longer. Longer than any ticket (LOCK_LIFETIME) can live.
KEY_EXPIRY_SECONDS = max(LOCK_LIFETIME * 2, 120)


class ConversationLockStore(LockStore):
    """Ticket locks in this process, or in Redis (atomically) when REDIS_URL is set."""

    prefix = KEY_PREFIX + "lock:"

    def __init__(self, endpoint_config: EndpointConfig | None = None, redis_client: Any = None) -> None:
        self.red = redis_client if redis_client is not None else shared_redis()
        self._local: dict[str, TicketLock] = {}
        if self.red is None and int(os.environ.get("SANIC_WORKERS", "1") or 1) > 1:
            # Rasa lets a custom lock store run several workers; without Redis each would lock on its own.
            raise ValueError("SANIC_WORKERS > 1 needs REDIS_URL: the workers must share one lock store.")
        super().__init__()

    # Rasa's read and write primitives (used by its waiting loop).
    def get_lock(self, conversation_id: str) -> TicketLock | None:
        if self.red is None:
            return self._local.get(conversation_id)
        return self._decode(self.red.get(self.prefix + conversation_id))

    def save_lock(self, lock: TicketLock) -> None:
        if self.red is None:
            self._local[lock.conversation_id] = lock
        else:
            self.red.set(self.prefix + lock.conversation_id, lock.dumps(), ex=KEY_EXPIRY_SECONDS)

    def delete_lock(self, conversation_id: str) -> None:
        if self.red is None:
            self._local.pop(conversation_id, None)
        else:
            self.red.delete(self.prefix + conversation_id)

    # Rasa's read-change-write steps, each made one transaction.
    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: TicketLock | None) -> tuple[TicketLock | None, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except redis.RedisError as error:
            raise LockError(f"Error while acquiring lock ({type(error).__name__}).") from error

    def update_lock(self, conversation_id: str) -> None:
        def drop_expired(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self.cleanup(conversation_id, ticket_number)  # Rasa calls it only from cleanup: one step for both

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Give back the ticket, and delete the lock when nobody else waits, in one step."""

        def give_back(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, give_back)

    def _change(self, conversation_id: str, change: Callable[[TicketLock | None], tuple[TicketLock | None, T]]) -> T:
        """Apply `change` to the stored lock (None: delete it) and return its result, atomically."""
        if self.red is None:
            # One event loop, no await in between: nothing else can run between the read and the write.
            lock, result = change(self._local.get(conversation_id))
            if lock is None:
                self._local.pop(conversation_id, None)
            else:
                self._local[conversation_id] = lock
            return result
        key = self.prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    lock, result = change(self._decode(pipe.get(key)))
                    pipe.multi()
                    if lock is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, lock.dumps(), ex=KEY_EXPIRY_SECONDS)
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # another server changed the lock between our read and write: read again

    @staticmethod
    def _decode(serialised: Any) -> TicketLock | None:
        return TicketLock.from_dict(json.loads(serialised)) if serialised else None
