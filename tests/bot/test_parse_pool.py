"""Parsing beside the event loop (PARSE_THREADS): the same parse, in a pool thread, while the loop goes on."""

from __future__ import annotations

import asyncio
import threading

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor

from bot.runtime import parse_pool


class Processor(MessageProcessor):
    """Only what parse_message touches: a graph that says which thread ran it, and waits at `barrier` (if
    any) until as many parses as it has parties are running at once."""

    def __init__(self) -> None:
        self.http_interpreter = None
        self.trackers = []
        self.barrier: threading.Barrier | None = None
        self.loop_went_on = threading.Event()

    def _parse_message_with_graph(self, message, tracker, only_output_properties=True):
        if self.barrier is not None:
            self.barrier.wait(timeout=10)  # broken (an error) if the parses ran one after the other
        self.trackers.append(tracker)
        return {
            "text": message.text,
            "intent": {"name": "greet"},
            "entities": [],
            "thread": threading.current_thread().name,
        }

    def _check_for_unseen_features(self, parse_data):
        parse_data["checked"] = True


@pytest.fixture
def pooled(monkeypatch):
    monkeypatch.setattr(MessageProcessor, "parse_message", MessageProcessor.parse_message)
    monkeypatch.setattr(parse_pool, "_pool", None)
    parse_pool.install(2)
    parse_pool.install(2)  # idempotent
    yield Processor()
    parse_pool._pool.shutdown()


async def test_the_parse_runs_in_a_pool_thread_and_is_finished_as_rasa_does(pooled):
    parsed = await pooled.parse_message(UserMessage("hello", sender_id="a"))
    assert parsed["thread"].startswith("parse") and parsed["checked"] is True
    assert parsed["text"] == "hello" and pooled.trackers[0].sender_id == "a"


async def test_two_messages_are_parsed_at_once_while_the_event_loop_goes_on(pooled):
    loop_went_on = asyncio.Event()
    pooled.barrier = threading.Barrier(3)  # both parses and the event loop's task below

    async def meanwhile():
        await asyncio.get_running_loop().run_in_executor(None, pooled.barrier.wait, 10)
        loop_went_on.set()

    parsed = await asyncio.gather(
        *(pooled.parse_message(UserMessage(f"m{n}", sender_id=str(n))) for n in range(2)), meanwhile()
    )
    assert [result["text"] for result in parsed[:2]] == ["m0", "m1"] and loop_went_on.is_set()
    assert {result["thread"] for result in parsed[:2]} == {"parse_0", "parse_1"}


def test_zero_threads_leaves_rasas_parse(monkeypatch):
    original = MessageProcessor.parse_message
    monkeypatch.setattr(MessageProcessor, "parse_message", original)
    parse_pool.install(0)
    assert MessageProcessor.parse_message is original
