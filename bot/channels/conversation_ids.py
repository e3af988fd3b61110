"""Conversation ids: each channel (and each partner app) its own id space, under a key nobody sees.

A conversation id is a bearer key: whoever sends it continues that conversation, or deletes it. So no channel
hands Rasa the id a client sent. Each channel turns it into the conversation id with HMAC-SHA256 under a
random key, over the channel's space name and the client's id: a kiosk session's id sent over REST, or one
partner's "user-1" sent by another partner, lands in another conversation, and a phone number or an e-mail
address a partner uses as its id never reaches memory or Redis as it is (privacy rule 2 for every channel).

The kiosk's ids are issued by this server (`issue_kiosk_session`): random, and signed with the key, so the
kiosk channel refuses an id it did not issue.

The key (privacy rule 2): drawn at random, never on disk, never in a log. Without REDIS_URL it lives in this
process, so a restart severs every link, as it always did. With REDIS_URL it lives only in Redis's memory, so
every server derives the same id for the same phone; a server that still knows the key writes it back after
a Redis restart. Either way the key is rotated every day at 08:00 UTC (3 or 4 am in Maine, when fewest people
write): a rotation severs every SMS and REST conversation from its sender, as a restart does. A kiosk
session keeps the key it was issued under, so a conversation on the screen survives the rotation.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import redis

from bot.stores.redis_client import KEY_PREFIX, shared_redis

logger = logging.getLogger(__name__)

ROTATION_SECONDS = 24 * 3600
ROTATION_OFFSET_SECONDS = 8 * 3600  # rotate at 08:00 UTC
# A key stays in Redis for two periods: the one it serves, and the next, for the kiosk sessions it issued.
KEY_EXPIRY_SECONDS = 2 * ROTATION_SECONDS
KEY_BYTES = 32
REDIS_KEY = KEY_PREFIX + "conversation-key:{}"

SMS = "sms"
KIOSK = "kiosk"
REST = "rest"


class KeyUnavailable(RuntimeError):
    """Redis cannot be reached and this server does not know the current key: no id can be derived."""


class UnknownSession(ValueError):
    """A kiosk session id this server did not issue, or one issued under a key that has expired."""


class ConversationKeys:
    """The current key, and the one before it, in this process or in Redis."""

    def __init__(self, client: Any = None, clock: Callable[[], float] = time.time) -> None:
        self.client = client
        self.clock = clock
        self._known: dict[int, bytes] = {}  # this process's copy, so a Redis outage does not stop the ids

    def epoch(self) -> int:
        return int((self.clock() - ROTATION_OFFSET_SECONDS) // ROTATION_SECONDS)

    def current(self) -> tuple[int, bytes]:
        epoch = self.epoch()
        key = self._key(epoch, create=True)
        assert key is not None
        return epoch, key

    def key_of(self, epoch: int) -> bytes | None:
        """The key of the current or the previous period, or None (older, or never made)."""
        current = self.epoch()
        if epoch not in (current, current - 1):
            return None
        return self._key(epoch, create=epoch == current)

    def _key(self, epoch: int, create: bool) -> bytes | None:
        known = self._known.get(epoch)
        if self.client is None:
            if known is None and create:
                known = self._remember(epoch, secrets.token_bytes(KEY_BYTES))
            return known
        name = REDIS_KEY.format(epoch)
        try:
            stored = self.client.get(name)
            if stored is None and (known is not None or create):
                # First server of the period, or Redis restarted: offer this server's key; another server may
                # have offered its own first, and then every server takes that one.
                self.client.set(name, known or secrets.token_bytes(KEY_BYTES), nx=True, ex=KEY_EXPIRY_SECONDS)
                stored = self.client.get(name)
        except redis.RedisError as error:
            if known is None and create:
                raise KeyUnavailable(f"Redis is unavailable ({type(error).__name__})") from None
            return known
        return self._remember(epoch, bytes(stored)) if stored is not None else None

    def _remember(self, epoch: int, key: bytes) -> bytes:
        self._known[epoch] = key
        for old in [known for known in self._known if known < epoch - 1]:
            del self._known[old]
        return key


def _digest(key: bytes, space: str, value: str) -> str:
    return hmac.new(key, f"{space}\0{value}".encode(), hashlib.sha256).hexdigest()


def conversation_id(keys: ConversationKeys, space: str, client_id: str) -> str:
    """The conversation id of `client_id` in `space` (SMS, REST or "rest:<partner>"): 64 hex characters. Also
    the keyed digest of anything else that must be recognised but not kept as it is (an SMS's MessageSid)."""
    _, key = keys.current()
    return _digest(key, space, client_id)


def issue_kiosk_session(keys: ConversationKeys) -> str:
    """A new kiosk session id: "<period>-<random>-<signature>", 32 random hex characters and a 32-character tag."""
    epoch, key = keys.current()
    nonce = secrets.token_hex(16)
    return f"{epoch}-{nonce}-{_kiosk_tag(key, nonce)}"


def kiosk_conversation_id(keys: ConversationKeys, session: str) -> str:
    """The conversation id of a kiosk session this server issued, or UnknownSession."""
    parts = session.split("-")
    if len(parts) != 3 or not parts[0].isdigit():
        raise UnknownSession("not a kiosk session id")
    epoch, nonce, tag = int(parts[0]), parts[1], parts[2]
    key = keys.key_of(epoch)
    if key is None or not hmac.compare_digest(tag, _kiosk_tag(key, nonce)):
        raise UnknownSession("not a kiosk session id this server issued, or it has expired")
    return _digest(key, KIOSK, nonce)


def _kiosk_tag(key: bytes, nonce: str) -> str:
    return _digest(key, "kiosk-session", nonce)[:32]


@lru_cache(maxsize=1)
def shared_keys() -> ConversationKeys:
    """The one key ring of this process, in Redis when REDIS_URL is set."""
    return ConversationKeys(shared_redis())
