"""What the SMS channel remembers between requests: rate windows and answered messages, each bounded and
forgetting itself; in this process, or in Redis shared by several servers."""

import pytest

from bot.channels.sms_limits import (
    MAX_REMEMBERED_MESSAGES,
    REPLAY_WINDOW_SECONDS,
    AnsweredMessages,
    RateLimiter,
    SharedRateLimiter,
    rate_limiter,
)


def test_the_limiter_keeps_a_sliding_window_per_sender():
    now = [0.0]
    limiter = RateLimiter(limit=3, window=60, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")
    now[0] = 59.0
    assert not limiter.allow("a")
    now[0] = 60.5  # the first three left the window
    assert limiter.allow("a")


def test_the_limiter_forgets_idle_senders():
    now = [0.0]
    limiter = RateLimiter(limit=10, window=60, clock=lambda: now[0])
    for sender in range(1000):
        limiter.allow(f"sender-{sender}")
    assert len(limiter) == 1000
    now[0] = 61.0
    limiter.allow("someone")
    assert len(limiter) == 1


def test_a_limit_of_zero_turns_the_limit_off():
    limiter = RateLimiter(limit=0)
    assert all(limiter.allow("a") for _ in range(100))


def test_without_redis_the_limiter_is_this_processs():
    assert isinstance(rate_limiter(None, 5), RateLimiter)


def test_a_message_is_answered_once_and_then_forgotten():
    now = [0.0]
    answered = AnsweredMessages(clock=lambda: now[0])
    assert answered.first_time("m1") and answered.first_time("m2")
    assert not answered.first_time("m1")
    now[0] = REPLAY_WINDOW_SECONDS + 1
    assert answered.first_time("m3")
    assert len(answered) == 1  # m1 and m2 were forgotten
    assert answered.first_time("m1")


def test_the_memory_of_answered_messages_is_bounded_under_a_flood():
    answered = AnsweredMessages(clock=lambda: 0.0)
    for number in range(MAX_REMEMBERED_MESSAGES + 10):
        answered.first_time(f"m{number}")
    assert len(answered) == MAX_REMEMBERED_MESSAGES


# ---- in Redis: every server counts the same messages --------------------------------------------------------


@pytest.fixture
def client(redis_server):
    client = redis_server.client()
    client.flushdb()
    return client


def test_two_servers_share_one_moving_window(client):
    first, second = SharedRateLimiter(client, 4), SharedRateLimiter(client, 4)
    allowed = [(first, second)[turn % 2].allow("phone-a") for turn in range(6)]
    assert allowed == [True, True, True, True, False, False]
    assert first.allow("phone-b")  # per sender
    assert isinstance(rate_limiter(client, 4), SharedRateLimiter)


def test_the_shared_windows_expire_in_redis(client):
    SharedRateLimiter(client, 4).allow("phone-a")
    [key] = client.keys("*")
    assert key.startswith(b"assistant:sms-rate/") and b"phone" in key  # the conversation id, never a number
    assert 0 < client.ttl(key) <= 60


def test_two_servers_share_the_memory_of_answered_messages(client):
    first, second = AnsweredMessages(client), AnsweredMessages(client)
    assert first.first_time("digest-1")
    assert not second.first_time("digest-1")
    [key] = client.keys("assistant:sms-seen:*")
    assert 0 < client.ttl(key) <= REPLAY_WINDOW_SECONDS


def test_without_redis_nothing_is_refused_for_it():
    """Redis gone: the limit and the replay memory let the message through (the turn then answers with the
    crisis lines), never an error."""
    import redis

    dead = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.5)
    assert SharedRateLimiter(dead, 1).allow("a")
    assert AnsweredMessages(dead).first_time("m")
