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
