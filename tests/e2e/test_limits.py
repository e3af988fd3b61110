"""Every endpoint of both servers has a size limit and timeouts: a 4xx, never a 5xx or a hang (bot/runtime/serve.py)."""

from __future__ import annotations

import socket
import time

import pytest
import requests

from bot.channels.inbound import MAX_BODY_BYTES
from bot.runtime.serve import SERVER_LIMITS, TIMEOUTS, server_environment
from tools.servers import Servers, port_open

pytestmark = pytest.mark.e2e

OVERSIZE = b"x" * (MAX_BODY_BYTES + 1)
RASA_POST_ENDPOINTS = [
    "/webhooks/rest/webhook",
    "/webhooks/sms/webhook",
    "/webhooks/kiosk/webhook",
    "/webhooks/kiosk/wipe",
]


def test_both_servers_start_with_limits_timeouts_and_quiet_logs():
    for server in ("rasa", "actions"):
        env = server_environment(server)
        assert int(env["SANIC_REQUEST_MAX_SIZE"]) == int(SERVER_LIMITS[server]["SANIC_REQUEST_MAX_SIZE"])
        assert {name: env[name] for name in TIMEOUTS} == TIMEOUTS
        # Sanic's access log (client addresses) off, and Rasa's level for library loggers above INFO.
        assert env["SANIC_ACCESS_LOG"] == "false" and env["LOG_LEVEL_LIBRARIES"] == "ERROR"
    assert int(server_environment("rasa")["SANIC_REQUEST_MAX_SIZE"]) == MAX_BODY_BYTES


@pytest.mark.parametrize("path", RASA_POST_ENDPOINTS)
def test_an_oversized_body_gets_413_on_every_channel_endpoint(servers, path):
    response = requests.post(
        servers.url + path, data=OVERSIZE, headers={"Content-Type": "application/json"}, timeout=20
    )
    assert response.status_code == 413
    assert response.text and "x" * 100 not in response.text


@pytest.mark.parametrize("path", ["/webhooks/rest/webhook", "/webhooks/kiosk/webhook"])
def test_an_oversized_body_without_a_length_gets_413_too(servers, path):
    chunks = (b"x" * 4096 for _ in range(MAX_BODY_BYTES // 4096 + 2))  # sent chunked: no Content-Length
    response = requests.post(servers.url + path, data=chunks, headers={"Content-Type": "application/json"}, timeout=20)
    assert response.status_code == 413


@pytest.fixture(scope="module")
def action_server(tmp_path_factory):
    """The separate action server (ACTIONS_IN_PROCESS=false), alone: the shared servers run the actions in
    the Rasa process."""
    running = Servers(log_dir=tmp_path_factory.mktemp("action-server"), env_overrides={"ACTIONS_IN_PROCESS": "false"})
    running.start_actions()
    deadline = time.monotonic() + 120
    while not port_open(running.actions_port):
        assert time.monotonic() < deadline, running.logs()
        time.sleep(0.5)
    try:
        yield running
    finally:
        running.stop()


def test_the_action_server_refuses_a_body_over_its_limit_and_echoes_nothing(action_server):
    limit = int(SERVER_LIMITS["actions"]["SANIC_REQUEST_MAX_SIZE"])
    url = f"http://127.0.0.1:{action_server.actions_port}/webhook"
    response = requests.post(url, data=b"{" + b" " * limit + b"}", timeout=30)
    assert response.status_code == 413
    # rasa-sdk's own error answer would echo the request (the whole conversation) back; ours names the error.
    response = requests.post(url, json={"version": 5, "tracker": {"text": "Zelda"}}, timeout=30)  # fails inside
    assert response.status_code == 500 and response.json() == {"error": "AttributeError"}


def test_a_client_that_never_finishes_its_request_is_cut_off(servers):
    """A slow client (or one that stalls on purpose) cannot hold a connection longer than the request timeout.
    (A body that stalls once the request has reached its route is cut by the response timeout, 45 s.)"""
    timeout = int(TIMEOUTS["SANIC_REQUEST_TIMEOUT"])
    with socket.create_connection(("127.0.0.1", servers.rasa_port), timeout=timeout + 10) as sock:
        sock.sendall(b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: localhost\r\nContent-Type: appl")
        started = time.monotonic()
        answer = sock.recv(4096)  # the server answers (408) and closes, rather than wait for ever
        waited = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 408") or answer == b""
    assert timeout - 1 <= waited <= timeout + 5


HEAD = (
    b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
    b"Content-Length: 200\r\n\r\n"
)


@pytest.mark.parametrize("part", ["head", "body"])
def test_a_client_that_drips_its_request_is_cut_off_at_a_total_deadline(servers, part):
    """Sanic's own timer restarts with every byte, so a byte every second and a half kept a connection open for
    as long as the client liked; the whole request must now arrive within the request timeout of its first byte
    (bot/runtime/request_deadline.py; Sanic checks its timers every 5 s here, hence the margin)."""
    deadline = int(TIMEOUTS["SANIC_REQUEST_TIMEOUT"])
    drip = HEAD if part == "head" else b'{"sender": "slow", "message": "' + b"x" * 200
    answer, closed = b"", False
    with socket.create_connection(("127.0.0.1", servers.rasa_port), timeout=5) as sock:
        if part == "body":
            sock.sendall(HEAD)
        sock.settimeout(1.5)  # also the pause between two bytes
        started = time.monotonic()
        for byte in drip:
            if time.monotonic() - started > deadline * 4:
                break  # the server would have listened for ever: give up
            try:
                sock.sendall(bytes([byte]))
                answer = sock.recv(4096)
            except TimeoutError:
                continue  # nothing yet: keep dripping
            except OSError:
                pass  # the server closed the connection
            closed = True
            break
        waited = time.monotonic() - started
    assert closed, f"still open after {waited:.0f} s"
    assert answer == b"" or answer.startswith(b"HTTP/1.1 408"), answer[:100]
    assert deadline - 1 <= waited <= deadline + 8


def test_the_action_server_answers_an_unknown_path_with_404_and_logs_nothing(action_server):
    before = action_server.logs()
    for method, path in (("GET", "/"), ("GET", "/nothing-here"), ("GET", "/webhook")):
        response = requests.request(method, f"http://127.0.0.1:{action_server.actions_port}{path}", timeout=10)
        assert response.status_code in (404, 405), (path, response.status_code)
        assert response.json() == {"error": "NotFound" if response.status_code == 404 else "MethodNotSupported"}
    assert "ERROR" not in action_server.logs()[len(before) :]
