"""Conversation ids: a keyed hash per channel (and per partner), the kiosk's ids issued and signed by the server,
the key in this process or only in Redis's memory, rotated daily."""

import pytest
import redis

from bot.channels.conversation_ids import (
    KIOSK,
    REDIS_KEY,
    REST,
    ROTATION_OFFSET_SECONDS,
    ROTATION_SECONDS,
    SMS,
    ConversationKeys,
    KeyUnavailable,
    UnknownSession,
    conversation_id,
    issue_kiosk_session,
    kiosk_conversation_id,
)

PHONE = "+12075550123"
MORNING = 20_000 * ROTATION_SECONDS + ROTATION_OFFSET_SECONDS + 3600  # an hour after a rotation


class Clock:
    def __init__(self, now=MORNING):
        self.now = now

    def __call__(self):
        return self.now


def test_an_id_is_a_keyed_hash_stable_within_a_period():
    keys = ConversationKeys(clock=Clock())
    first = conversation_id(keys, SMS, PHONE)
    assert first == conversation_id(keys, SMS, PHONE) != conversation_id(keys, SMS, "+12075550124")
    assert len(first) == 64 and PHONE[2:] not in first


def test_each_channel_and_each_partner_has_its_own_id_space():
    keys = ConversationKeys(clock=Clock())
    ids = {conversation_id(keys, space, "user-1") for space in (SMS, REST, KIOSK, f"{REST}:a", f"{REST}:b")}
    assert len(ids) == 5


def test_each_process_draws_its_own_key_without_redis():
    one, other = ConversationKeys(clock=Clock()), ConversationKeys(clock=Clock())
    assert conversation_id(one, SMS, PHONE) != conversation_id(other, SMS, PHONE)


def test_the_key_rotates_daily_at_0800_utc():
    clock = Clock(MORNING - 3600 + 1)  # just after 08:00 UTC
    keys = ConversationKeys(clock=clock)
    before = conversation_id(keys, SMS, PHONE)
    clock.now += ROTATION_SECONDS - 2  # the next morning, a second before 08:00
    assert conversation_id(keys, SMS, PHONE) == before
    clock.now += 2
    assert conversation_id(keys, SMS, PHONE) != before


def test_a_kiosk_session_is_issued_signed_and_refused_when_forged():
    keys = ConversationKeys(clock=Clock())
    session = issue_kiosk_session(keys)
    assert session != issue_kiosk_session(keys)
    conversation = kiosk_conversation_id(keys, session)
    assert len(conversation) == 64 and session not in conversation
    epoch, nonce, tag = session.split("-")
    forged = [
        f"{epoch}-{nonce}-{'0' * 32}",
        f"{epoch}-{'a' * 32}-{tag}",
        f"{int(epoch) - 5}-{nonce}-{tag}",
        "demo",
        "user-1",
        f"{epoch}-{nonce}",
        "x-y-z",
    ]
    for value in forged:
        with pytest.raises(UnknownSession):
            kiosk_conversation_id(keys, value)
    other_server = ConversationKeys(clock=Clock())
    with pytest.raises(UnknownSession):
        kiosk_conversation_id(other_server, session)  # another process, another key: not issued here


def test_a_kiosk_session_survives_one_rotation_but_not_two():
    clock = Clock()
    keys = ConversationKeys(clock=clock)
    session = issue_kiosk_session(keys)
    conversation = kiosk_conversation_id(keys, session)
    clock.now += ROTATION_SECONDS
    assert kiosk_conversation_id(keys, session) == conversation
    clock.now += ROTATION_SECONDS
    with pytest.raises(UnknownSession):
        kiosk_conversation_id(keys, session)


# ---- in Redis: every server the same key, only in Redis's memory ------------------------------------------


@pytest.fixture
def client(redis_server):
    client = redis_server.client()
    client.flushdb()
    return client


def test_servers_sharing_redis_derive_the_same_ids(client):
    first, second = ConversationKeys(client, clock=Clock()), ConversationKeys(client, clock=Clock())
    assert conversation_id(first, SMS, PHONE) == conversation_id(second, SMS, PHONE)
    session = issue_kiosk_session(first)
    assert kiosk_conversation_id(second, session) == kiosk_conversation_id(first, session)
    [name] = client.keys("assistant:conversation-key:*")
    assert name.decode() == REDIS_KEY.format(first.epoch())
    assert 0 < client.ttl(name) <= 2 * ROTATION_SECONDS  # Redis forgets it by itself


def test_after_a_redis_restart_a_server_that_knows_the_key_writes_it_back(client):
    first, second = ConversationKeys(client, clock=Clock()), ConversationKeys(client, clock=Clock())
    before = conversation_id(first, SMS, PHONE)
    assert conversation_id(second, SMS, PHONE) == before
    client.flushdb()  # what a restarted Redis holds
    assert conversation_id(first, SMS, PHONE) == before
    assert conversation_id(ConversationKeys(client, clock=Clock()), SMS, PHONE) == before  # a server started since


def test_with_redis_down_a_server_goes_on_with_the_key_it_knows_and_says_when_it_knows_none(client):
    keys = ConversationKeys(client, clock=Clock())
    before = conversation_id(keys, SMS, PHONE)
    keys.client = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.5)  # Redis gone
    assert conversation_id(keys, SMS, PHONE) == before
    with pytest.raises(KeyUnavailable):
        conversation_id(ConversationKeys(keys.client, clock=Clock()), SMS, PHONE)
