"""Privacy, proven: a made-up name, phone number, street and email sent on every channel end up nowhere.

The servers run as `make run` runs them (its log level, access log off, statistics on), with a Twilio token
so that SMS is open and an API token, so that Rasa's HTTP API, and with it Sanic's own logging, is on. They
get their own HOME and TMPDIR in this test's folder, so that every file they can write lands where it is
searched: that folder and the project. The canaries are new on every run, so a file from an earlier run
cannot hide or fake a leak; requests come from a loopback address picked for the run, so an access log line
would show it. A second Rasa server, at DEBUG with Sanic's access log on, shows that these checks do catch
a leak (the client address in the access log), that Rasa's structured events lose the text even there, and
that Rasa's debug lines carry only the keyed hash the channel files a conversation under, never the sender.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import string
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests
from twilio.request_validator import RequestValidator

from bot.stats.counts import Counts, known_values
from tests.conftest import PROJECT_ROOT
from tools.servers import Servers

pytestmark = pytest.mark.e2e

# Any 127.x.y.z address reaches the server on Linux; this one is picked for the run, so it appears nowhere else.
CLIENT_IP = "127.{}.{}.{}".format(*random.sample(range(2, 255), 3))
TOKEN = "canary-token-" + uuid.uuid4().hex
API_TOKEN = "canary-api-" + uuid.uuid4().hex
TIMEOUT = 60
SCAN_LIMIT_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class Canary:
    """A person who does not exist, new on every run."""

    name: str = field(default_factory=lambda: "Zelda Quist" + "".join(random.choices(string.ascii_lowercase, k=6)))
    digits: str = field(default_factory=lambda: f"{random.randrange(10_000):04d}")
    street: str = field(default_factory=lambda: f"{random.randrange(10, 99)} Larkspur{uuid.uuid4().hex[:5]} Lane")
    email: str = field(default_factory=lambda: f"zq{uuid.uuid4().hex[:8]}@example.org")

    @property
    def phone(self) -> str:
        return f"207-555-{self.digits}"

    @property
    def e164(self) -> str:
        return f"+1207555{self.digits}"

    def secrets(self) -> list[str]:
        surname = self.name.split()[1]
        return [surname, self.phone, self.e164, f"207555{self.digits}", self.street.split()[1], self.email]

    def messages(self) -> list[str]:
        """What people write, in each launch language, with the made-up details in it."""
        return [
            f"My name is {self.name}, call me at {self.phone}, I live at {self.street}, {self.email}. He hits me",
            f"Me llamo {self.name}, mi número es {self.phone} y vivo en {self.street}, necesito un lugar seguro",
            f"Je m'appelle {self.name}, j'habite {self.street}, écrivez à {self.email}, j'ai besoin d'un avocat",
            f"Meu nome é {self.name}, moro na {self.street}, meu telefone é {self.phone}, onde fica o tribunal",
            f"اسمي {self.name} وأسكن في {self.street} ورقمي {self.phone}، أنا في خطر",
            f"Magacaygu waa {self.name}, waxaan deggan ahay {self.street}, lambarkaygu waa {self.phone}, caawimaad",
        ]

    def slash_messages(self) -> list[str]:
        """Typed text that starts with "/", as Rasa would read a payload: each one once made Rasa print it."""
        return [
            f"/notanintent my name is {self.name}",
            f"/help I live at {self.street}",
            f'/greet{{"language": "{self.email}"}}',
            f"/greet{{not json {self.phone}}}",
            f"//{self.name} {self.email}",
        ]


def post_from_client_ip(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    """POST from CLIENT_IP, so that an access log would show that address."""
    address = url.split("//", 1)[1]
    host_port, path = address.split("/", 1)
    host, port = host_port.split(":")
    connection = http.client.HTTPConnection(host, int(port), source_address=(CLIENT_IP, 0), timeout=TIMEOUT)
    try:
        connection.request("POST", "/" + path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def post_json(servers: Servers, path: str, payload: dict) -> tuple[int, bytes]:
    return post_from_client_ip(servers.url + path, json.dumps(payload).encode(), {"Content-Type": "application/json"})


def post_sms(servers: Servers, phone: str, text: str) -> tuple[int, bytes]:
    url = servers.url + "/webhooks/sms/webhook"
    form = {"From": phone, "To": "+12075550100", "Body": text, "MessageSid": "SM" + uuid.uuid4().hex}
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": RequestValidator(TOKEN).compute_signature(url, form),
    }
    return post_from_client_ip(url, urlencode(form).encode(), headers)


def converse_on_every_channel(servers: Servers, canary: Canary) -> dict:
    """One conversation per language on REST, SMS and the kiosk; return what the tracker API said."""
    rest_sender = f"canary-rest-{uuid.uuid4().hex}"
    status, body = post_json(servers, "/webhooks/kiosk/session", {})
    assert status == 200, body
    kiosk_sender = json.loads(body)["session"]
    for message in canary.messages() + canary.slash_messages():
        status, body = post_json(servers, "/webhooks/rest/webhook", {"sender": rest_sender, "message": message})
        assert status == 200 and json.loads(body), body
        status, body = post_sms(servers, canary.e164, message)
        assert status == 200 and b"<Message>" in body, body
        status, body = post_json(servers, "/webhooks/kiosk/webhook", {"sender": kiosk_sender, "message": message})
        assert status == 200 and json.loads(body), body
    # The tracker API, asked for the conversations while they are still in memory.
    api = {
        sender: requests.get(f"{servers.url}/conversations/{sender}/tracker", timeout=TIMEOUT)
        for sender in (rest_sender, kiosk_sender)
    }
    # With the API token (and only with it), the REST channel tells which id a sender's conversation is filed
    # under; the tracker API knows nothing under the sender itself.
    lookup_url = f"{servers.url}/webhooks/rest/conversation_id"
    lookups = {
        "without a token": requests.get(lookup_url, params={"sender": rest_sender}, timeout=TIMEOUT),
        "with the token": requests.get(
            lookup_url,
            params={"sender": rest_sender},
            headers={"Authorization": f"Bearer {API_TOKEN}"},
            timeout=TIMEOUT,
        ),
    }
    conversation = lookups["with the token"].json()["conversation_id"]
    trackers = {
        name: requests.get(
            f"{servers.url}/conversations/{sender}/tracker", params={"token": API_TOKEN}, timeout=TIMEOUT
        )
        for name, sender in (("filed under", conversation), ("the sender", rest_sender))
    }
    # A button press that names its topic, so the statistics test knows one topic for certain.
    assert post_json(servers, "/webhooks/rest/webhook", {"sender": rest_sender, "message": "/need_shelter"})[0] == 200
    # Then forgotten, as a person would ask on each channel.
    assert post_json(servers, "/webhooks/rest/webhook", {"sender": rest_sender, "message": "forget me"})[0] == 200
    assert post_sms(servers, canary.e164, "STOP")[0] == 200
    assert post_json(servers, "/webhooks/kiosk/wipe", {"sender": kiosk_sender})[0] == 200
    return {"senders": [rest_sender, kiosk_sender], "api": api, "lookups": lookups, "trackers": trackers}


def files_written_since(start: float, *roots: Path) -> list[Path]:
    found = []
    for root in roots:
        for folder, folders, files in os.walk(root):  # symlinks (the shared .venv) are not followed
            folders[:] = [name for name in folders if name != ".git"]
            for name in files:
                path = Path(folder) / name
                try:
                    # The change time too: a program can set a file's modification time back (the statistics
                    # file's is set to the start of the day), never its change time.
                    stat = path.stat()
                    if path.is_file() and not path.is_symlink() and max(stat.st_mtime, stat.st_ctime) >= start:
                        found.append(path)
                except OSError:
                    pass  # removed while we looked
    return found


def leaks_in(paths: list[Path], secrets: list[str]) -> list[tuple[str, str]]:
    wanted = [(secret, secret.encode("utf-8")) for secret in secrets]
    leaks = []
    for path in paths:
        if path.stat().st_size > SCAN_LIMIT_BYTES:
            raise AssertionError(f"{path} is too big to search; it was written during the run")
        content = path.read_bytes()
        leaks += [(str(path), secret) for secret, encoded in wanted if encoded in content]
    return leaks


@dataclass
class Run:
    canary: Canary
    servers: Servers
    home: Path
    files: list[Path]
    api: dict
    senders: list[str]
    lookups: dict
    trackers: dict


def isolated(log_dir: Path, **overrides: str) -> tuple[Servers, Path]:
    home = log_dir / "home"
    (home / "tmp").mkdir(parents=True)
    env = {"HOME": str(home), "TMPDIR": str(home / "tmp"), **overrides}
    return Servers(log_dir=log_dir, env_overrides=env), home


@pytest.fixture(scope="module")
def canary_run(tmp_path_factory) -> Run:
    """The servers at `make run`'s level, every channel used with canaries, then stopped (logs flushed)."""
    canary = Canary()
    start = time.time() - 1  # file times have a coarse clock on some file systems
    servers, home = isolated(
        tmp_path_factory.mktemp("canary"),
        TWILIO_AUTH_TOKEN=TOKEN,
        RASA_API_TOKEN=API_TOKEN,
        SMS_RATE_LIMIT_PER_MINUTE="0",
    )
    servers.start()
    try:
        talk = converse_on_every_channel(servers, canary)
    finally:
        servers.stop()
    files = files_written_since(start, servers.log_dir, PROJECT_ROOT)
    return Run(canary, servers, home, files, talk["api"], talk["senders"], talk["lookups"], talk["trackers"])


def test_no_file_written_during_the_run_holds_a_canary(canary_run):
    written = {path.name for path in canary_run.files}
    # The search did find what the servers wrote: their logs and the statistics file.
    assert {"rasa.log", "stats.db"} <= written, written
    assert ("actions.log" in written) is not canary_run.servers.actions_in_process, written
    secrets = canary_run.canary.secrets() + canary_run.senders + [CLIENT_IP, API_TOKEN]
    assert leaks_in(canary_run.files, secrets) == []


def test_no_log_line_holds_a_canary_a_sender_or_the_client_address(canary_run):
    logs = canary_run.servers.logs()
    assert "Conversations are kept in memory only" in logs  # the capture works
    for secret in canary_run.canary.secrets() + canary_run.senders + [CLIENT_IP]:
        assert secret not in logs
    for message in canary_run.canary.messages() + canary_run.canary.slash_messages():
        assert message not in logs


def test_the_tracker_api_does_not_hand_out_the_conversation(canary_run):
    for sender, response in canary_run.api.items():
        assert response.status_code == 401, sender  # open behind a token, asked without it
        for secret in canary_run.canary.secrets():
            assert secret not in response.text


def test_only_the_api_token_finds_the_id_a_rest_conversation_is_filed_under(canary_run):
    assert canary_run.lookups["without a token"].status_code == 401
    found = canary_run.lookups["with the token"]
    assert found.status_code == 200 and found.json()["conversation_id"] != canary_run.senders[0]
    filed_under, the_sender = canary_run.trackers["filed under"].json(), canary_run.trackers["the sender"].json()
    assert any(event["event"] == "user" for event in filed_under["events"])
    assert not any(event["event"] == "user" for event in the_sender.get("events") or [])


def test_the_statistics_counted_every_channel_and_hold_only_counts(canary_run):
    counts = Counts(canary_run.servers.stats_db)
    rows = counts.rows()
    counts.close()
    assert {row["channel"] for row in rows} == {"rest", "sms", "kiosk"}
    # Six messages per channel; "forget me" and STOP end the conversation (nothing is counted for them).
    assert sum(row["count"] for row in rows) >= 18
    for row in rows:
        for column, values in known_values().items():
            assert row[column] in values, row
    assert "housing" in {row["topic"] for row in rows}


# ---- the same checks catch a leak: a server at DEBUG with Sanic's access log on ---------------------------


@pytest.fixture(scope="module")
def leaky_logs(tmp_path_factory) -> tuple[Canary, str, str]:
    canary = Canary()
    servers, _ = isolated(
        tmp_path_factory.mktemp("leaky"),
        LOG_LEVEL="DEBUG",
        LOG_LEVEL_LIBRARIES="DEBUG",
        SANIC_ACCESS_LOG="true",
        STATS_ENABLED="false",
        RASA_API_TOKEN=API_TOKEN,
    )
    servers.start(actions=False)
    sender = f"canary-debug-{uuid.uuid4().hex}"
    try:
        assert (
            post_json(servers, "/webhooks/rest/webhook", {"sender": sender, "message": canary.messages()[0]})[0] == 200
        )
    finally:
        servers.stop()
    return canary, sender, servers.logs()


def test_at_debug_rasas_log_lines_show_the_keyed_hash_never_the_sender(leaky_logs, canary_run):
    _canary, sender, leaky = leaky_logs
    assert "processor.message.parse" in leaky and sender not in leaky
    assert re.search(r"\b[0-9a-f]{64}\b", leaky)  # the conversation id Rasa sees: HMAC-SHA256, 64 hex digits
    quiet = canary_run.servers.logs()
    assert "processor.message.parse" not in quiet  # structured debug events are filtered at INFO


def test_even_at_debug_structured_events_lose_the_text(leaky_logs):
    canary, _, leaky = leaky_logs
    assert '"parse_data_text": "[redacted]"' in leaky  # bot/runtime/log_privacy.py, at every level
    assert canary.name not in leaky


def test_with_the_access_log_on_sanic_would_print_the_client_address(leaky_logs, canary_run):
    _, _, leaky = leaky_logs
    assert CLIENT_IP in leaky and "/webhooks/rest/webhook" in leaky
    assert CLIENT_IP not in canary_run.servers.logs()
