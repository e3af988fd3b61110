"""Conversations live in memory only, expire after inactivity and vanish on restart ("forget me"), in this
process's memory or in Redis (REDIS_URL), and each saved turn is counted for the statistics."""

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Restarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.stores.tracker_store import EphemeralTrackerStore, restarted_this_turn


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def store(clock):
    return EphemeralTrackerStore(Domain.empty(), timeout_minutes=30, clock=clock, redis_client=None, turn_counter=None)


def conversation(sender_id, *events):
    tracker = DialogueStateTracker(sender_id, [])
    for event in events:
        tracker.update(event)
    return tracker


async def test_a_saved_conversation_can_be_retrieved(store):
    await store.save(conversation("a", UserUttered("hello")))
    tracker = await store.retrieve("a")
    assert tracker is not None and tracker.latest_message.text == "hello"


async def test_a_conversation_expires_after_the_timeout(store, clock):
    await store.save(conversation("a", UserUttered("hello")))
    clock.now += 30 * 60 - 1
    assert await store.retrieve("a") is not None
    clock.now += 2
    assert await store.retrieve("a") is None
    assert list(await store.keys()) == []
    assert store.memory._conversations == {}


async def test_activity_resets_the_timeout(store, clock):
    await store.save(conversation("a", UserUttered("hello")))
    clock.now += 20 * 60
    await store.save(conversation("a", UserUttered("hello"), UserUttered("again")))
    clock.now += 20 * 60
    assert await store.retrieve("a") is not None


async def test_only_idle_conversations_expire(store, clock):
    await store.save(conversation("old", UserUttered("hi")))
    clock.now += 25 * 60
    await store.save(conversation("new", UserUttered("hi")))
    clock.now += 10 * 60
    assert sorted(await store.keys()) == ["new"]


async def test_a_restart_in_the_turn_deletes_the_conversation(store):
    await store.save(conversation("a", UserUttered("hello")))
    forgotten = conversation(
        "a",
        UserUttered("hello"),
        UserUttered("forget me"),
        BotUttered("Done."),
        ActionExecuted("action_restart"),
        Restarted(),
    )
    await store.save(forgotten)
    assert await store.retrieve("a") is None
    assert "a" not in store.memory._conversations


async def test_delete(store):
    await store.save(conversation("a", UserUttered("hello")))
    await store.delete("a")
    assert await store.retrieve("a") is None


@pytest.mark.parametrize(
    "events, expected",
    [
        ([UserUttered("hi"), BotUttered("hello")], False),
        ([UserUttered("forget me"), ActionExecuted("action_restart"), Restarted()], True),
        # a restart before the latest message belongs to an earlier turn
        ([Restarted(), UserUttered("hi again")], False),
        ([], False),
    ],
)
def test_restarted_this_turn(events, expected):
    assert restarted_this_turn(conversation("a", *events)) is expected


async def test_a_retrieved_conversation_has_the_saved_state_and_is_a_fresh_copy(store):
    from rasa.shared.core.events import SlotSet
    from rasa.shared.core.slots import TextSlot

    tracker = DialogueStateTracker("a", [TextSlot("language", mappings=[{}])])
    for event in (
        UserUttered("hola", {"name": "greet", "confidence": 0.9}),
        SlotSet("language", "es"),
        ActionExecuted("utter_greet"),
    ):
        tracker.update(event)
    await store.save(tracker)
    retrieved = await store.retrieve("a")
    assert list(retrieved.events) == list(tracker.events)
    assert retrieved.latest_message.intent["name"] == "greet" and retrieved.latest_action_name == "utter_greet"
    # a turn that changes its tracker and then fails (never saved) leaves the stored conversation as it was
    retrieved.update(UserUttered("otra cosa"))
    again = await store.retrieve("a")
    assert again is not retrieved and len(again.events) == len(tracker.events)
    assert again.latest_message.text == "hola"


# ---- in Redis (REDIS_URL): the same rules, with Redis expiring the keys ----------------------------------


@pytest.fixture
def redis_store(redis_server):
    client = redis_server.client()
    client.flushdb()
    return EphemeralTrackerStore(Domain.empty(), timeout_minutes=30, redis_client=client, turn_counter=None)


async def test_redis_keeps_a_conversation_with_the_inactivity_timeout_as_its_expiry(redis_store, redis_server):
    await redis_store.save(conversation("a", UserUttered("hello")))
    tracker = await redis_store.retrieve("a")
    assert tracker is not None and tracker.latest_message.text == "hello"
    assert list(await redis_store.keys()) == ["a"]
    ttl = redis_server.client().pttl("assistant:tracker:a")
    assert 29 * 60 * 1000 < ttl <= 30 * 60 * 1000


async def test_redis_forgets_at_once_on_restart(redis_store):
    await redis_store.save(conversation("a", UserUttered("hello")))
    await redis_store.save(conversation("a", UserUttered("forget me"), ActionExecuted("action_restart"), Restarted()))
    assert await redis_store.retrieve("a") is None
    await redis_store.save(conversation("b", UserUttered("hello")))
    await redis_store.delete("b")
    assert list(await redis_store.keys()) == []


async def test_redis_deletes_an_idle_conversation_by_itself(redis_server):
    import asyncio

    store = EphemeralTrackerStore(
        Domain.empty(), timeout_minutes=0.01, redis_client=redis_server.client(), turn_counter=None
    )
    await store.save(conversation("idle", UserUttered("hello")))
    assert await store.retrieve("idle") is not None
    await asyncio.sleep(1.0)  # 0.6 s of inactivity allowed
    assert await store.retrieve("idle") is None
    assert redis_server.client().exists("assistant:tracker:idle") == 0


def test_a_redis_that_writes_to_disk_is_refused(redis_server):
    from bot.stores.redis_client import RedisWritesToDisk, refuse_persistence

    client = redis_server.client()
    refuse_persistence(client)  # as the tests start it: --save '' --appendonly no
    client.config_set("save", "3600 1")
    try:
        with pytest.raises(RedisWritesToDisk):
            refuse_persistence(client)
    finally:
        client.config_set("save", "")


async def test_each_saved_turn_is_offered_to_the_turn_counter(clock):
    class Recorder:
        def __init__(self):
            self.trackers = []

        def count_turn(self, tracker):
            self.trackers.append(tracker)

    recorder = Recorder()
    store = EphemeralTrackerStore(
        Domain.empty(), timeout_minutes=30, clock=clock, redis_client=None, turn_counter=recorder
    )
    await store.save(conversation("a", UserUttered("hello")))
    await store.save(conversation("a", UserUttered("forget me"), ActionExecuted("action_restart"), Restarted()))
    assert [tracker.sender_id for tracker in recorder.trackers] == ["a", "a"]


# ---- a bound on live conversations (MAX_CONVERSATIONS) --------------------------------------------------


async def test_above_the_bound_the_least_recently_active_conversation_is_dropped(clock):
    store = EphemeralTrackerStore(
        Domain.empty(), timeout_minutes=30, max_conversations=3, clock=clock, redis_client=None, turn_counter=None
    )
    for sender in ("a", "b", "c"):
        await store.save(conversation(sender, UserUttered("hello")))
        clock.now += 1
    await store.save(conversation("a", UserUttered("hello"), UserUttered("again")))  # a is active again
    await store.save(conversation("d", UserUttered("hello")))
    assert sorted(await store.keys()) == ["a", "c", "d"]
    assert await store.retrieve("b") is None  # its next message starts a new conversation
    for number in range(100):
        await store.save(conversation(f"flood-{number}", UserUttered("hello")))
    assert len(list(await store.keys())) == 3


async def test_the_bound_is_reported_at_most_once_a_minute(clock, caplog):
    store = EphemeralTrackerStore(
        Domain.empty(), timeout_minutes=30, max_conversations=1, clock=clock, redis_client=None, turn_counter=None
    )
    with caplog.at_level("WARNING"):
        for number in range(50):
            await store.save(conversation(f"s{number}", UserUttered("hello")))
        clock.now += 61
        await store.save(conversation("late", UserUttered("hello")))
    reports = [record.getMessage() for record in caplog.records if "MAX_CONVERSATIONS" in record.getMessage()]
    assert reports == [
        "MAX_CONVERSATIONS (1) reached: 1 least recently active conversations dropped since the last report.",
        "MAX_CONVERSATIONS (1) reached: 49 least recently active conversations dropped since the last report.",
    ]


async def test_in_redis_the_bound_holds_across_servers(redis_server):
    client = redis_server.client()
    client.flushdb()
    first, second = (
        EphemeralTrackerStore(
            Domain.empty(), timeout_minutes=30, max_conversations=5, redis_client=client, turn_counter=None
        )
        for _ in range(2)
    )
    ticks = iter(range(1_000_000, 2_000_000))  # a second apart, so no two saves tie
    first.memory.clock = second.memory.clock = lambda: next(ticks)
    for number in range(40):
        await (first, second)[number % 2].save(conversation(f"s{number}", UserUttered("hello")))
    assert sorted(await first.keys()) == [f"s{number}" for number in range(35, 40)]
    assert client.zcard("assistant:active") == 5
    assert 0 < client.pttl("assistant:active") <= 30 * 60 * 1000
    await second.save(conversation("s36", UserUttered("forget me"), ActionExecuted("action_restart"), Restarted()))
    assert client.zcard("assistant:active") == 4 and await first.retrieve("s36") is None


# ---- long conversations: only the last turns are kept, with the slots' values --------------------------------


SLOTS = ("language", "place", "topic")


def long_conversation(turns: int) -> DialogueStateTracker:
    from rasa.shared.core.events import SessionStarted, SlotSet
    from rasa.shared.core.slots import TextSlot

    slots = [TextSlot(name, mappings=[{}]) for name in SLOTS]
    tracker = DialogueStateTracker("long", slots)
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    for turn in range(turns):
        tracker.update(UserUttered(f"message {turn}", {"name": "ask_court", "confidence": 0.9}))
        if turn == 0:
            tracker.update(SlotSet("language", "so"))
        tracker.update(SlotSet("place", f"town {turn}"))
        if turn == turns - 3:
            tracker.update(SlotSet("topic", "court"))
        tracker.update(ActionExecuted("action_court"))
        tracker.update(BotUttered(f"answer {turn}"))
        tracker.update(ActionExecuted("action_listen"))
    return tracker


def domain_with_slots() -> Domain:
    return Domain.from_yaml(
        'version: "3.1"\nslots:\n'
        + "".join(
            f"  {name}:\n    type: text\n    mappings: [{{type: custom}}]\n" for name in ("language", "place", "topic")
        )
    )


@pytest.mark.parametrize("turns", [1, 20])
def test_a_short_conversation_is_kept_whole(turns):
    from bot.stores.tracker_store import compacted

    events = list(long_conversation(turns).events)
    assert compacted(events, lambda: DialogueStateTracker("long", [])) == events


async def test_a_long_conversation_keeps_its_last_turns_and_every_slot(clock):
    from bot.stores.tracker_store import KEEP_TURNS

    store = EphemeralTrackerStore(domain_with_slots(), clock=clock, redis_client=None, turn_counter=None)
    tracker = long_conversation(300)
    await store.save(tracker)
    kept = await store.retrieve("long")
    messages = [event.text for event in kept.events if isinstance(event, UserUttered)]
    assert messages == [f"message {turn}" for turn in range(300 - KEEP_TURNS, 300)]
    expected = {"language": "so", "place": "town 299", "topic": "court"}
    assert {name: kept.get_slot(name) for name in SLOTS} == {name: tracker.get_slot(name) for name in SLOTS} == expected
    assert kept.latest_message.text == "message 299" and kept.latest_action_name == "action_listen"
    assert kept.events[0].action_name == "action_session_start" and kept.events[1].type_name == "session_started"
    # the slots as they were before the turns kept: the language of the first turn, the town of the one before
    assert [(e.key, e.value) for e in kept.events if e.type_name == "slot"][:2] == [
        ("language", "so"),
        ("place", f"town {300 - KEEP_TURNS - 1}"),
    ]
    timestamps = [event.timestamp for event in kept.events]
    assert timestamps == sorted(timestamps)


async def test_a_conversation_stays_short_however_long_it_goes(clock):
    from bot.stores.tracker_store import COMPACT_ABOVE_TURNS

    store = EphemeralTrackerStore(domain_with_slots(), clock=clock, redis_client=None, turn_counter=None)
    await store.save(long_conversation(1))
    for turn in range(1, 100):
        tracker = await store.retrieve("long")
        tracker.update(UserUttered(f"more {turn}", {"name": "greet", "confidence": 0.9}))
        tracker.update(BotUttered("hi"))
        tracker.update(ActionExecuted("action_listen"))
        await store.save(tracker)
        kept = await store.retrieve("long")
        assert sum(isinstance(event, UserUttered) for event in kept.events) <= COMPACT_ABOVE_TURNS
        assert kept.latest_message.text == f"more {turn}" and kept.get_slot("language") == "so"


async def test_redis_keeps_a_long_conversation_short_too(redis_store):
    from bot.stores.tracker_store import KEEP_TURNS

    redis_store.domain = domain_with_slots()
    await redis_store.save(long_conversation(50))
    kept = await redis_store.retrieve("long")
    assert sum(isinstance(event, UserUttered) for event in kept.events) == KEEP_TURNS
    assert kept.current_slot_values()["place"] == "town 49"
