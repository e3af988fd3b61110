"""Serving as the systemd units do: each server started alone (`python -m bot.runtime.serve --only ...`) from a
copy of the project, with the settings' own defaults where a deployment leaves them out, Redis for the
conversations, and a Spanish catalog saved with a translator's slip.

- The Rasa server finds the action server from ACTIONS_PORT alone (ACTION_SERVER_URL unset), and the
  action server listens on 127.0.0.1 only.
- The saved catalog is served as it is, with no build step; its broken translation is an error in the log
  and is served in English.
- /health (GET and HEAD) parses a message, counts nothing and keeps no conversation, and names the action
  server and Redis when each goes down.
- The counts go to STATE_DIR.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
import sqlite_utils
from babel.messages.pofile import read_po, write_po

from tests.conftest import PROJECT_ROOT
from tests.redis_server import RedisServer
from tools.servers import free_port

pytestmark = pytest.mark.e2e

START_TIMEOUT_SECONDS = 180
NOT_COPIED = shutil.ignore_patterns(
    ".venv", ".git", "test-artifacts", "results", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"
)


def break_spanish_catalog(copy: Path) -> None:
    """A translator's work saved in Poedit: a new greeting, and a slip (a placeholder renamed)."""
    source = copy / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    with source.open("rb") as handle:
        catalog = read_po(handle)
    message = next(m for m in catalog if m.context == "utter_talk_to_person")
    message.string = message.string.replace("{line_dv}", "{linea_dv}")
    greet = next(m for m in catalog if m.context == "utter_greet")
    greet.string = "NUEVO SALUDO"
    with source.open("wb") as handle:
        write_po(handle, catalog)


class Deployment:
    def __init__(self, copy: Path, redis: RedisServer) -> None:
        self.copy = copy
        self.redis = redis
        self.rasa_port, self.actions_port = free_port(), free_port()
        self.state = copy / "state"
        self.processes: dict[str, subprocess.Popen] = {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def environment(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if key != "ACTION_SERVER_URL"}
        env.pop("PYTHONPATH", None)
        env.update(
            RASA_PORT=str(self.rasa_port),
            ACTIONS_PORT=str(self.actions_port),
            REDIS_URL=self.redis.url,
            STATE_DIR=str(self.state),
            STATS_ENABLED="true",
            HOME=str(self.copy / "home"),
            # The two systemd units' deployment: the actions in a server of their own.
            ACTIONS_IN_PROCESS="false",
        )
        env.pop("STATS_DB", None)
        return env

    def start(self, server: str) -> subprocess.Popen:
        log = (self.copy / f"{server}.log").open("ab")
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.runtime.serve", "--only", server],
            cwd=self.copy,
            env=self.environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes[server] = process
        return process

    def log(self, server: str) -> str:
        return (self.copy / f"{server}.log").read_text(encoding="utf-8", errors="replace")

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                assert process.poll() is None, f"{name} exited:\n{self.log(name)[-3000:]}"
            try:
                if requests.get(self.url + "/health", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(1)
        raise RuntimeError("the servers did not start")

    def stop(self, server: str) -> None:
        process = self.processes[server]
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)

    def restart(self, server: str) -> None:
        self.stop(server)
        self.start(server)
        self.wait_until_up()

    def say(self, message: str, sender: str | None = None, language: str | None = None) -> list[dict]:
        body: dict = {"sender": sender or f"serve-{uuid.uuid4().hex}", "message": message}
        if language:
            body["metadata"] = {"language": language}
        answer = requests.post(self.url + "/webhooks/rest/webhook", json=body, timeout=60)
        answer.raise_for_status()
        return answer.json()

    def counted_turns(self) -> int:
        path = self.state / "counts.db"
        if not path.exists():
            return 0
        return sum(row["count"] for row in sqlite_utils.Database(path)["counts"].rows)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    copy = tmp_path_factory.mktemp("deployed") / "maine-assistant"
    shutil.copytree(PROJECT_ROOT, copy, ignore=NOT_COPIED)
    break_spanish_catalog(copy)
    redis = RedisServer(tmp_path_factory.mktemp("serve-redis")).start()
    running = Deployment(copy, redis)
    try:
        running.start("actions")
        running.start("rasa")
        running.wait_until_up()
        yield running
    finally:
        for server in ("rasa", "actions"):
            if server in running.processes:
                running.stop(server)
        redis.stop()


def test_each_server_runs_as_its_own_process(deployment):
    for server, module in (("rasa", "bot.runtime.rasa_server"), ("actions", "bot.runtime.action_server")):
        pid = deployment.processes[server].pid
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        assert module.encode() in command, command  # `--only` became the server itself (exec)


def test_the_rasa_server_finds_the_actions_from_actions_port_alone(deployment):
    replies = deployment.say("I need a lawyer in Portland")
    assert "Portland" in replies[0]["text"]
    assert "utter_action_unavailable" not in str(replies)


def test_the_action_server_listens_on_loopback_only(deployment):
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", deployment.actions_port)) == 0
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.2", deployment.actions_port)) != 0


def test_a_saved_catalog_is_served_and_its_broken_translation_is_an_error(deployment):
    assert "ERROR serve: the es catalog" in deployment.log("rasa")
    assert "served in English" in deployment.log("rasa")
    replies = deployment.say("hola", language="es")
    assert replies[0]["text"].startswith("NUEVO SALUDO")  # as saved: no build step


def test_health_counts_nothing_and_keeps_no_conversation(deployment):
    client = deployment.redis.client()
    deployment.say("hello")  # so that the counts file exists
    deployment.restart("rasa")  # the counts reach the file at the top of the hour, or when the server stops
    turns, keys = deployment.counted_turns(), sorted(client.keys("*"))
    assert turns >= 1
    for method in ("GET", "HEAD", "GET"):
        assert requests.request(method, deployment.url + "/health", timeout=10).status_code == 200
    assert sorted(client.keys("*")) == keys
    deployment.say("hello")  # the same checks do see a person's turn
    assert len(client.keys("*")) > len(keys)
    deployment.restart("rasa")
    assert deployment.counted_turns() == turns + 1  # that turn, and nothing for the three health checks


def test_health_names_every_part(deployment):
    body = requests.get(deployment.url + "/health", timeout=10).json()
    assert body["status"] == "ok"
    assert body["parts"] == {"model": "ok", "actions": "ok", "redis": "ok"}


def test_the_counts_are_in_the_state_folder(deployment):
    assert (deployment.state / "counts.db").exists()
    assert not (deployment.copy / "stats" / "counts.db").exists()


def test_health_names_the_action_server_when_it_is_down_and_redis_when_it_is(deployment):
    """Last: it stops the action server, then Redis."""
    deployment.stop("actions")
    answer = requests.get(deployment.url + "/health", timeout=10)
    assert answer.status_code == 503
    assert answer.json()["down"] == ["actions"]
    assert requests.head(deployment.url + "/health", timeout=10).status_code == 503
    deployment.redis.stop()
    body = requests.get(deployment.url + "/health", timeout=10).json()
    assert body["down"] == ["actions", "redis"]
    assert body["parts"]["model"] == "ok"


# The kernel's own form of systemd's MemoryDenyWriteExecute= (Linux 6.3 and later): no memory both writable
# and executable, inherited across exec.
WITH_MEMORY_DENY_WRITE_EXECUTE = """
import ctypes, mmap, os, sys
libc = ctypes.CDLL(None, use_errno=True)
assert libc.prctl(65, 1, 0, 0, 0) == 0, "PR_SET_MDWE: " + os.strerror(ctypes.get_errno())
try:
    mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
    sys.exit("writable and executable memory was still allowed")
except PermissionError:
    pass
os.execv(sys.executable, [sys.executable, "-m", "bot.runtime.serve", "--only", "actions"])
"""


def action_request(language: str) -> dict:
    message = {
        "text": "Portland",
        "intent": {"name": "find_services", "confidence": 1.0},
        "entities": [{"entity": "need", "value": "legal_help"}],
    }
    return {
        "next_action": "action_find_services",
        "sender_id": "mdwe-test",
        "version": "3.6.21",
        "domain": {},
        "tracker": {
            "sender_id": "mdwe-test",
            "slots": {"language": language},
            "latest_message": message,
            "events": [{"event": "user", "text": "Portland", "parse_data": message, "input_channel": "rest"}],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
    }


def test_the_action_server_runs_with_memory_deny_write_execute(deployment, tmp_path):
    """deploy/systemd's action server unit sets MemoryDenyWriteExecute=yes: the server answers under it."""
    port = free_port()
    env = {**deployment.environment(), "ACTIONS_PORT": str(port)}
    log = (tmp_path / "actions-mdwe.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-c", WITH_MEMORY_DENY_WRITE_EXECUTE], cwd=deployment.copy, env=env, stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert process.poll() is None, (tmp_path / "actions-mdwe.log").read_text()
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        answer = requests.post(f"http://127.0.0.1:{port}/webhook", json=action_request("en"), timeout=30)
        assert answer.status_code == 200, answer.text
        assert "Portland" in answer.json()["responses"][0]["text"]
    finally:
        process.terminate()
        process.wait(timeout=30)
