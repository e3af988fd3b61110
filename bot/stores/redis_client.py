"""The Redis connection for scale-out (REDIS_URL), shared by the tracker store and the lock store.

Redis holds conversations for several Rasa servers, so it must keep them in memory only (privacy rule 1):
a Redis that saves to disk is refused at start-up rather than trusted with what people write.
"""

from __future__ import annotations

import logging
from functools import lru_cache

import redis

from core import settings

logger = logging.getLogger(__name__)

KEY_PREFIX = "assistant:"


class RedisWritesToDisk(RuntimeError):
    """The configured Redis would copy conversations to disk (RDB snapshots or an append-only file)."""


def redis_from_settings() -> redis.Redis | None:
    """A client for REDIS_URL, or None when it is empty (one server: conversations in its own memory)."""
    url = settings.get("REDIS_URL").strip()
    if not url:
        return None
    client = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5)
    refuse_persistence(client)
    return client


@lru_cache(maxsize=1)
def shared_redis() -> redis.Redis | None:
    """One client, and one connection pool, for every part of this process that uses Redis (the stores, the
    channels' keys, rate limits and replay memory), made and checked once."""
    return redis_from_settings()


def refuse_persistence(client: redis.Redis) -> None:
    """Raise RedisWritesToDisk when Redis snapshots or logs its data to disk (docs/scale-out.md shows how to
    turn both off). A Redis that hides CONFIG (some managed services do) cannot be checked: a warning."""
    try:
        config = {**client.config_get("save"), **client.config_get("appendonly")}
    except redis.ResponseError:
        logger.warning("Redis does not say whether it writes to disk (CONFIG is disabled); make sure it does not.")
        return
    if config.get("save") or config.get("appendonly") == "yes":
        raise RedisWritesToDisk(
            "Redis is set to write its data to disk (save / appendonly); conversations must stay in memory. "
            "Start it with --save '' --appendonly no (docs/scale-out.md)."
        )
