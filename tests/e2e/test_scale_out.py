"""Scale-out, for real: Debian's redis-server and two Rasa servers on different ports sharing it (REDIS_URL).

Alternate turns of one conversation go to each server and the conversation carries on, on REST and on SMS
(one phone, one conversation id on every server); concurrent turns of one conversation, spread over both, are
processed one at a time; the SMS rate limit and the memory of answered messages hold across both; a flood of
new senders keeps the number of live conversations at MAX_CONVERSATIONS; a conversation's key expires after
the inactivity timeout, and "forget me" deletes it at once; with Redis stopped mid-conversation the crisis
line still goes out, and the servers recover when it is back (docs/scale-out.md).
"""

from __future__ import annotations

import json
import time
import uuid
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from twilio.request_validator import RequestValidator

from actions.replies import Replies
from bot.replies.rendering import channel_messages, render_response
from tests.conftest import domain_responses, without_danger_line
from tools.servers import Servers

pytestmark = pytest.mark.e2e

TIMEOUT_MINUTES = 0.1  # 6 seconds, so that the test can watch a key expire
TRACKER_KEY = "assistant:tracker:{}"
RESPONSES = domain_responses()
TWILIO_TOKEN = "scale-out-token-" + uuid.uuid4().hex
# Both servers sit behind one public address, as behind a load balancer: Twilio signs that URL.
PUBLIC_URL = "https://assistant.example.org/webhooks/sms/webhook"
SMS_RATE_LIMIT = 6
MAX_CONVERSATIONS = 30


def expected(response: str, language: str) -> str:
    return render_response(RESPONSES, response, language, "collector")["text"]


def texts(replies: list[dict]) -> list[str]:
    return without_danger_line([reply.get("text", "") for reply in replies])


@pytest.fixture(scope="module")
def cluster(redis_server, tmp_path_factory):
    """Two Rasa servers (one action server) behind no balancer: the test itself alternates between them."""
    redis_server.client().flushdb()
    env = {
        "REDIS_URL": redis_server.url,
        "CONVERSATION_TIMEOUT_MINUTES": str(TIMEOUT_MINUTES),
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "SMS_PUBLIC_URL": PUBLIC_URL,
        "SMS_RATE_LIMIT_PER_MINUTE": str(SMS_RATE_LIMIT),
        "MAX_CONVERSATIONS": str(MAX_CONVERSATIONS),
    }
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
    """The events of the conversation whose first user message is `sender`'s marker (the REST channel files it
    under a keyed hash of the sender, which only the servers can compute)."""
    return json.loads(find_conversation(redis_server, marker_of(sender)))["events"]


def marker_of(sender: str) -> str:
    return f"marker {sender}"


def begin(servers: Servers, sender: str) -> None:
    """A first message that lets the test find the conversation in Redis: it names the sender."""
    servers.say(sender, marker_of(sender))


def conversations_holding(redis_server, text: str) -> list[bytes]:
    client = redis_server.client()
    found = (client.get(key) for key in client.scan_iter(TRACKER_KEY.format("*")))
    return [raw for raw in found if raw and text.encode() in raw]


def find_conversation(redis_server, text: str) -> bytes:
    found = conversations_holding(redis_server, text)
    assert len(found) == 1, f"{len(found)} conversations in Redis hold {text!r}"
    return found[0]


def tracker_keys(redis_server) -> list[bytes]:
    return list(redis_server.client().scan_iter(TRACKER_KEY.format("*")))


def sms(servers: Servers, phone: str, body: str, message_sid: str | None = None) -> requests.Response:
    form = {"From": phone, "To": "+12075550100", "Body": body, "MessageSid": message_sid or "SM" + uuid.uuid4().hex}
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(PUBLIC_URL, form)
    return requests.post(
        servers.url + "/webhooks/sms/webhook", data=form, headers={"X-Twilio-Signature": signature}, timeout=60
    )


def sms_texts(response: requests.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return without_danger_line([message.text or "" for message in ET.fromstring(response.content).findall("Message")])


def sms_message(name: str) -> str:
    return render_response(channel_messages(), name, "en", "sms")["text"]


def test_both_servers_keep_conversations_in_redis(cluster):
    for servers in cluster:
        assert "Conversations are kept in Redis" in servers.logs()


def test_alternate_turns_on_each_server_continue_one_conversation(cluster, redis_server):
    first, second = cluster
    sender = f"scale-{uuid.uuid4().hex}"
    begin(second, sender)
    assert texts(first.say(sender, "Soomaali")) == [expected("utter_language_set", "so")]
    # The second server has never seen this conversation: only Redis knows Somali was chosen.
    assert texts(second.say(sender, "hello")) == [expected("utter_greet", "so")]
    assert texts(first.say(sender, "he is outside my door with a knife help")) == [expected("utter_danger", "so")]
    users = [event for event in stored_events(redis_server, sender) if event["event"] == "user"]
    assert len(users) == 4
    assert sender.encode() not in b"".join(tracker_keys(redis_server))  # filed under a keyed hash


def test_concurrent_turns_of_one_conversation_are_processed_one_at_a_time(cluster, redis_server):
    first, second = cluster
    sender = f"scale-{uuid.uuid4().hex}"
    begin(first, sender)
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
    starts = [index for index, event in enumerate(events) if event["event"] == "user"][1:]  # after the marker
    assert len(starts) == turns
    for start, end in zip(starts, [*starts[1:], len(events)], strict=True):
        turn = events[start + 1 : end]
        assert any(event["event"] == "bot" for event in turn), turn
        assert turn[-1]["event"] == "action" and turn[-1]["name"] == "action_listen", turn
    assert redis_server.client().keys("assistant:lock:*") == []  # nobody waits: no lock is left behind


def test_forget_me_deletes_the_conversation_from_redis_at_once(cluster, redis_server):
    first, second = cluster
    sender = f"scale-{uuid.uuid4().hex}"
    begin(first, sender)
    find_conversation(redis_server, marker_of(sender))
    second.say(sender, "forget me")
    assert conversations_holding(redis_server, marker_of(sender)) == []


def test_a_conversation_key_expires_after_the_inactivity_timeout(cluster, redis_server):
    first, second = cluster
    sender = f"scale-{uuid.uuid4().hex}"
    begin(first, sender)
    first.say(sender, "Soomaali")
    [key] = [k for k in tracker_keys(redis_server) if marker_of(sender).encode() in redis_server.client().get(k)]
    assert 0 < redis_server.client().pttl(key) <= TIMEOUT_MINUTES * 60 * 1000
    deadline = time.monotonic() + TIMEOUT_MINUTES * 60 + 5
    while redis_server.client().exists(key) and time.monotonic() < deadline:
        time.sleep(0.25)
    assert redis_server.client().exists(key) == 0
    # Forgotten on both servers: the choice of Somali is gone, so English is back.
    assert texts(second.say(sender, "hello")) == [expected("utter_greet", "en")]


# ---- SMS across servers (issue #14) ------------------------------------------------------------------------


def test_one_phones_sms_turns_on_two_servers_are_one_conversation(cluster):
    first, second = cluster
    phone = f"+1207{uuid.uuid4().int % 10_000_000:07d}"
    asked = "\n".join(sms_texts(sms(first, phone, "I need a lawyer")))
    assert sms_message("utter_ask_place") in asked
    # A town answered on the other server continues the conversation: the services, not "what do you need there?"
    answer = "\n".join(sms_texts(sms(second, phone, "Portland")))
    assert Replies("en", "sms").text("utter_services_more") in answer, answer
    assert "what do you need there" not in answer


def test_the_sms_rate_limit_holds_across_both_servers(cluster):
    first, second = cluster
    phone = f"+1207{uuid.uuid4().int % 10_000_000:07d}"
    answers = [sms_texts(sms((first, second)[turn % 2], phone, "hello")) for turn in range(SMS_RATE_LIMIT * 2)]
    wait = [sms_message("utter_sms_please_wait")]
    assert [answer == wait for answer in answers] == [False] * SMS_RATE_LIMIT + [True] * SMS_RATE_LIMIT
    other = f"+1207{uuid.uuid4().int % 10_000_000:07d}"
    assert sms_texts(sms(second, other, "hello")) != wait  # per phone


def test_a_replayed_sms_is_answered_once_whichever_server_gets_it(cluster):
    first, second = cluster
    phone, message_sid = f"+1207{uuid.uuid4().int % 10_000_000:07d}", "SM" + uuid.uuid4().hex
    assert sms_texts(sms(first, phone, "hello", message_sid)) != []
    for servers in (first, second):
        replay = sms(servers, phone, "hello", message_sid)
        assert replay.status_code == 200 and sms_texts(replay) == []


def test_metadata_other_than_the_language_never_reaches_the_conversation(cluster, redis_server):
    first, _ = cluster
    sender = f"scale-{uuid.uuid4().hex}"
    metadata = {"language": "so", "phone": "+12075550199", "blob": "z" * 50_000}
    begin(first, sender)
    assert texts(first.say(sender, "hello", metadata)) == [expected("utter_greet", "so")]
    raw = find_conversation(redis_server, marker_of(sender))
    assert b"+12075550199" not in raw and b"z" * 100 not in raw
    # Rasa adds its own model and assistant ids; of the client's, only the language is left.
    rasas_own = {"model_id", "assistant_id"}
    client_metadata = [
        {key: value for key, value in event.get("metadata", {}).items() if key not in rasas_own}
        for event in json.loads(raw)["events"]
        if event["event"] == "user"
    ]
    assert client_metadata == [{}, {"language": "so"}]


# ---- a bound on live conversations (issue #14) -------------------------------------------------------------


def test_a_flood_of_new_senders_keeps_the_conversations_bounded(cluster, redis_server):
    first, second = cluster
    person = f"scale-{uuid.uuid4().hex}"
    begin(first, person)
    assert texts(first.say(person, "I need a lawyer")) == [Replies("en", "collector").text("utter_ask_place")]

    def new_sender(number: int) -> int:
        servers = (first, second)[number % 2]
        response = requests.post(
            servers.url + "/webhooks/rest/webhook",
            json={"sender": f"flood-{uuid.uuid4().hex}", "message": "hello"},
            timeout=60,
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(new_sender, range(MAX_CONVERSATIONS * 4)))
    assert statuses == [200] * len(statuses)
    assert len(tracker_keys(redis_server)) <= MAX_CONVERSATIONS
    assert redis_server.client().zcard("assistant:active") <= MAX_CONVERSATIONS
    assert conversations_holding(redis_server, marker_of(person)) == []
    # The person whose conversation was dropped writes again: a new conversation, answered as a first message.
    answer = texts(second.say(person, "Portland"))
    assert answer and answer[0] == Replies("en", "collector").text("utter_place_noted").format(
        place="Portland (Cumberland County)"
    )
    assert "MAX_CONVERSATIONS (30) reached" in first.logs() + second.logs()


# ---- Redis going away (issue #14): last in this module, it stops the shared redis-server -------------------


def test_with_redis_stopped_mid_conversation_the_crisis_line_still_goes_out_and_it_recovers(cluster, redis_server):
    first, second = cluster
    sender, phone = f"scale-{uuid.uuid4().hex}", f"+1207{uuid.uuid4().int % 10_000_000:07d}"
    assert texts(first.say(sender, "Soomaali")) == [expected("utter_language_set", "so")]
    assert sms_texts(sms(second, phone, "I need a lawyer"))
    session = requests.post(first.url + "/webhooks/kiosk/session", timeout=60).json()["session"]
    redis_server.stop()
    try:
        danger = "he is outside my door with a knife help"
        started = time.monotonic()
        for servers in (first, second):
            over_rest = texts(servers.say(sender, danger))  # HTTP 200, or say() raises
            assert len(over_rest) == 1 and "911" in over_rest[0]
            over_sms = sms_texts(sms(servers, phone, danger))
            assert len(over_sms) == 1 and "911" in over_sms[0]
            at_the_kiosk = requests.post(
                servers.url + "/webhooks/kiosk/webhook", json={"sender": session, "message": danger}, timeout=60
            )
            assert at_the_kiosk.status_code == 200 and "911" in at_the_kiosk.json()[0]["text"]
        assert time.monotonic() - started < 20  # at once, not after the lock's minute of waiting
    finally:
        redis_server.start()  # the same port: what an operator's restart does
    # Back: a new conversation (Redis restarted empty), on either server, and the same id on both.
    assert texts(second.say(sender, "hello")) == [expected("utter_greet", "en")]
    assert texts(first.say(sender, "Soomaali")) == [expected("utter_language_set", "so")]
    assert texts(second.say(sender, "hello")) == [expected("utter_greet", "so")]
    asked = "\n".join(sms_texts(sms(first, phone, "I need a lawyer")))
    assert sms_message("utter_ask_place") in asked
    assert Replies("en", "sms").text("utter_services_more") in "\n".join(sms_texts(sms(second, phone, "Portland")))
