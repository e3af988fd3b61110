"""Bad input to the REST channel gets a 4xx or a polite reply: never a 5xx, never a hang."""

import json

import pytest
import requests

from bot.channels.inbound import MAX_MESSAGE_CHARS

pytestmark = pytest.mark.e2e

TIMEOUT = 20  # seconds; a hang fails the test


def post(servers, data: bytes, content_type="application/json"):
    return requests.post(
        servers.url + "/webhooks/rest/webhook", data=data, headers={"Content-Type": content_type}, timeout=TIMEOUT
    )


@pytest.mark.parametrize(
    "body, status",
    [
        (b"", 400),
        (b"{not json", 400),
        (b"null", 400),
        (b"[1, 2]", 400),
        (b'"hello"', 400),
        (json.dumps({"sender": "bad-1", "message": None}).encode(), 400),
        (json.dumps({"sender": "bad-2", "message": 42}).encode(), 400),
        (json.dumps({"sender": "bad-3", "message": ["a", "b"]}).encode(), 400),
        (json.dumps({"sender": "bad-4", "message": "   "}).encode(), 400),
        (json.dumps({"message": "hello"}).encode(), 400),
        (json.dumps({"sender": {"a": 1}, "message": "hello"}).encode(), 400),
        (json.dumps({"sender": "bad-5", "message": "hello", "metadata": "so"}).encode(), 400),
        (json.dumps({"sender": "bad-6", "message": "x" * (MAX_MESSAGE_CHARS + 1)}).encode(), 413),
        (json.dumps({"sender": "bad-7", "message": "x" * 1_000_000}).encode(), 413),
        (b"\xff\xfe\x00garbage", 400),
    ],
)
def test_refused_with_a_clear_4xx(servers, body, status):
    response = post(servers, body)
    assert response.status_code == status
    assert response.json()["error"]


@pytest.mark.parametrize(
    "message",
    [
        "help\x00 me\x07 now",  # control characters
        "\ud800 lone surrogate",  # json.dumps escapes it as \\ud800
        "\u202e\u200b",  # only invisible formatting characters left after cleaning
        "😀😀😀",
    ],
)
def test_odd_text_gets_an_answer(servers, message):
    response = post(servers, json.dumps({"sender": "odd-text", "message": message}).encode())
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.json() and response.json()[0]["text"]


def test_numeric_sender_is_accepted(servers):
    response = post(servers, json.dumps({"sender": 12345, "message": "hello"}).encode())
    assert response.status_code == 200 and response.json()[0]["text"]


def test_health_check(servers):
    assert requests.get(servers.url + "/webhooks/rest/", timeout=TIMEOUT).json() == {"status": "ok"}
    assert requests.get(servers.url + "/", timeout=TIMEOUT).status_code == 200


# ---- hostile input found by the security review (issue #15) ------------------------------------------------

NESTED = [b"[" * 10_000 + b"]" * 10_000, b'{"a":' * 10_000 + b"1" + b"}" * 10_000]


@pytest.mark.parametrize("path", ["/webhooks/rest/webhook", "/webhooks/kiosk/webhook", "/webhooks/kiosk/wipe"])
@pytest.mark.parametrize("body", NESTED, ids=["arrays", "objects"])
def test_deeply_nested_json_gets_400_not_500(servers, path, body):
    before = servers.logs()
    response = requests.post(servers.url + path, data=body, headers={"Content-Type": "application/json"}, timeout=20)
    assert response.status_code == 400
    assert "nested" in response.json()["error"]
    new_lines = servers.logs()[len(before) :]
    assert "RecursionError" not in new_lines and "Traceback" not in new_lines


def test_replies_are_never_cached_or_sniffed(servers):
    for response in (
        post(servers, json.dumps({"sender": "headers", "message": "hello"}).encode()),
        post(servers, b"{"),
        requests.get(servers.url + "/webhooks/rest/", timeout=TIMEOUT),
    ):
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_replies_are_addressed_to_the_partners_own_sender(servers):
    response = post(servers, json.dumps({"sender": "partner-user-7", "message": "hello"}).encode())
    assert [reply["recipient_id"] for reply in response.json()] == ["partner-user-7"]
