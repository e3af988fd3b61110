"""One turn of a conversation at a time: in this process, and across servers sharing Redis (atomically)."""

import asyncio
import threading

import pytest

from bot.stores.lock_store import KEY_EXPIRY_SECONDS, ConversationLockStore


@pytest.fixture
def redis_client(redis_server):
    client = redis_server.client()
    client.flushdb()
    return client


def stores(redis_client, count=2):
    """Lock stores as on `count` servers: each with its own connection to the same Redis."""
    from redis import Redis

    return [
        ConversationLockStore(
            redis_client=Redis(connection_pool=None, **redis_client.connection_pool.connection_kwargs)
        )
        for _ in range(count)
    ]


async def overlapping_turns(lock_stores, conversation_id="c1", turns=6) -> list[tuple[str, int]]:
    """Run `turns` concurrent turns of one conversation, alternating stores; return the enter/leave log."""
    log: list[tuple[str, int]] = []

    async def turn(number: int) -> None:
        store = lock_stores[number % len(lock_stores)]
        async with store.lock(conversation_id, wait_time_in_seconds=0.02):
            log.append(("enter", number))
            await asyncio.sleep(0.05)
            log.append(("leave", number))

    await asyncio.gather(*(turn(number) for number in range(turns)))
    return log


def assert_serialised(log, turns):
    assert len(log) == 2 * turns
    for index in range(0, len(log), 2):
        assert log[index][0] == "enter" and log[index + 1] == ("leave", log[index][1]), log


async def test_in_process_turns_of_one_conversation_never_overlap():
    assert_serialised(await overlapping_turns([ConversationLockStore(redis_client=None)]), 6)


async def test_turns_on_two_servers_sharing_redis_never_overlap(redis_client):
    assert_serialised(await overlapping_turns(stores(redis_client)), 6)
    assert redis_client.keys("assistant:lock:*") == []  # nobody waits: the lock is gone


def test_redis_tickets_are_unique_under_contention(redis_client):
    """Rasa's RedisLockStore reads, changes and writes in three steps, so two servers can draw one ticket."""
    lock_stores = stores(redis_client, 4)
    tickets: list[int] = []
    guard = threading.Lock()

    def draw(store):
        for _ in range(50):
            ticket = store.issue_ticket("busy", lock_lifetime=600)
            with guard:
                tickets.append(ticket)

    threads = [threading.Thread(target=draw, args=(store,)) for store in lock_stores for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(tickets) == list(range(len(tickets)))


def test_a_redis_lock_key_expires(redis_client):
    store = stores(redis_client, 1)[0]
    store.issue_ticket("c2")
    assert 0 < redis_client.ttl("assistant:lock:c2") <= KEY_EXPIRY_SECONDS


def test_several_workers_need_redis(monkeypatch):
    monkeypatch.setenv("SANIC_WORKERS", "2")
    with pytest.raises(ValueError, match="REDIS_URL"):
        ConversationLockStore(redis_client=None)
