"""Scale-out, for real: Debian's redis-server and two Rasa servers on different ports sharing it (REDIS_URL).

Alternate turns of one conversation go to each server and the conversation carries on; concurrent turns of
one conversation, spread over both, are processed one at a time; a conversation's key expires after the
inactivity timeout, and "forget me" deletes it at once (docs/scale-out.md).
"""

from __future__ import annotations

import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from bot.replies.rendering import render_response
from tests.conftest import domain_responses
from tools.servers import Servers

pytestmark = pytest.mark.e2e

TIMEOUT_MINUTES = 0.1  # 6 seconds, so that the test can watch a key expire
TRACKER_KEY = "assistant:tracker:{}"
RESPONSES = domain_responses()


def expected(response: str, language: str) -> str:
    return render_response(RESPONSES, response, language, "collector")["text"]


def texts(replies: list[dict]) -> list[str]:
    return [reply.get("text", "") for reply in replies]


@pytest.fixture(scope="module")
def cluster(redis_server, tmp_path_factory):
    """Two Rasa servers (one action server) behind no balancer: the test itself alternates between them."""
    redis_server.client().flushdb()
    env = {"REDIS_URL": redis_server.url, "CONVERSATION_TIMEOUT_MINUTES": str(TIMEOUT_MINUTES)}
    first = Servers(log_dir=tmp_path_factory.mktemp("scale-out-a"), env_overrides=env)
    second = Servers(log_dir=tmp_path_factory.mktemp("scale-out-b"), env_overrides=env, actions_port=first.actions_port)
    try:
        for servers in (first, second):
            servers.log_dir.mkdir(parents=True, exist_ok=True)
        first.start_actions()
        first.start_rasa()
        second.start_rasa()  # both load their model at the same time
        first.wait_until_up()
        second.wait_until_up()
        yield first, second
    finally:
        second.stop()
        first.stop()


def stored_events(redis_server, sender: str) -> list[dict]:
    raw = redis_server.client().get(TRACKER_KEY.format(sender))
    assert raw is not None, "the conversation is not in Redis"
    return json.loads(raw)["events"]


def test_both_servers_keep_conversations_in_redis(cluster):
    for servers in cluster:
        assert "Conversations are kept in Redis" in servers.logs()


def test_alternate_turns_on_each_server_continue_one_conversation(cluster, redis_server):
    first, second = cluster
    sender = f"scale-{uuid.uuid4().hex}"
    assert texts(first.say(sender, "Soomaali")) == [expected("utter_language_set", "so")]
    # The second server has never seen this conversation: only Redis knows Somali was chosen.
    assert texts(second.say(sender, "hello")) == [expected("utter_greet", "so")]
    assert texts(first.say(sender, "he is outside my door with a knife help")) == [expected("utter_danger", "so")]
    users = [event for event in stored_events(redis_server, sender) if event["event"] == "user"]
    assert len(users) == 3


def test_concurrent_turns_of_one_conversation_are_processed_one_at_a_time(cluster, redis_server):
    first, second = cluster
    sender = f"scale-{uuid.uuid4().hex}"
    turns = 8

    def send(number: int) -> list[dict]:
        servers = (first, second)[number % 2]
        response = requests.post(
            servers.url + "/webhooks/rest/webhook", json={"sender": sender, "message": "hello"}, timeout=60
        )
        response.raise_for_status()
        return response.json()

    with ThreadPoolExecutor(max_workers=turns) as pool:
        replies = list(pool.map(send, range(turns)))
    assert all(texts(reply) == [expected("utter_greet", "en")] for reply in replies)
    # Had two turns run at once, one server's save would have overwritten the other's turn, or their
    # events would interleave. Every turn is there, each finished (listening) before the next began.
    events = stored_events(redis_server, sender)
    starts = [index for index, event in enumerate(events) if event["event"] == "user"]
    assert len(starts) == turns
    for start, end in zip(starts, [*starts[1:], len(events)], strict=True):
        turn = events[start + 1 : end]
        assert any(event["event"] == "bot" for event in turn), turn
        assert turn[-1]["event"] == "action" and turn[-1]["name"] == "action_listen", turn
    assert redis_server.client().keys("assistant:lock:*") == []  # nobody waits: no lock is left behind


def test_forget_me_deletes_the_conversation_from_redis_at_once(cluster, redis_server):
    first, second = cluster
    sender = f"scale-{uuid.uuid4().hex}"
    first.say(sender, "hello")
    assert redis_server.client().exists(TRACKER_KEY.format(sender)) == 1
    second.say(sender, "forget me")
    assert redis_server.client().exists(TRACKER_KEY.format(sender)) == 0


def test_a_conversation_key_expires_after_the_inactivity_timeout(cluster, redis_server):
    first, second = cluster
    sender = f"scale-{uuid.uuid4().hex}"
    first.say(sender, "Soomaali")
    key = TRACKER_KEY.format(sender)
    assert 0 < redis_server.client().pttl(key) <= TIMEOUT_MINUTES * 60 * 1000
    deadline = time.monotonic() + TIMEOUT_MINUTES * 60 + 5
    while redis_server.client().exists(key) and time.monotonic() < deadline:
        time.sleep(0.25)
    assert redis_server.client().exists(key) == 0
    # Forgotten on both servers: the choice of Somali is gone, so English is back.
    assert texts(second.say(sender, "hello")) == [expected("utter_greet", "en")]
