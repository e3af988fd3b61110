"""No message text and no sender id reaches the servers' logs at the level `make run` uses."""

import uuid

import pytest
import yaml

from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.e2e

CANARIES = {
    "en": "My name is Zelda Quistorp, call me at 207-555-0199, I live at 42 Larkspur Lane, zq@example.org",
    "es": "Me llamo Zelda Quistorp, mi número es 207-555-0199 y vivo en 42 Larkspur Lane",
    "fr": "Je m'appelle Zelda Quistorp, j'habite 42 Larkspur Lane, écrivez à zq@example.org",
    "pt": "Meu nome é Zelda Quistorp, moro na 42 Larkspur Lane, meu telefone é 207-555-0199",
    "ar": "اسمي زيلدا كويستورب وأسكن في 42 Larkspur Lane ورقمي 207-555-0199",
    "so": "Magacaygu waa Zelda Quistorp, waxaan deggan ahay 42 Larkspur Lane, lambarkaygu waa 207-555-0199",
}
SECRETS = ["Zelda", "Quistorp", "207-555-0199", "Larkspur", "zq@example.org", "زيلدا"]


def sent_texts() -> list[str]:
    table = yaml.safe_load((PROJECT_ROOT / "tests" / "e2e" / "conversations.yml").read_text(encoding="utf-8"))
    forget = table.pop("forget_me")
    return [text for turns in table.values() for text, _ in turns] + list(forget.values())


def test_no_message_text_or_sender_id_in_any_log(servers):
    senders = [f"canary-{uuid.uuid4().hex}" for _ in CANARIES]
    for sender, text in zip(senders, CANARIES.values()):
        servers.say(sender, text)
        servers.say(sender, "forget me")
    logs = servers.logs()
    assert logs.strip(), "the servers wrote no log at all: the capture is broken"
    for secret in SECRETS + senders:
        assert secret not in logs
    # Every message the other end-to-end tests sent (long enough to be unmistakable).
    for text in sent_texts():
        if len(text) >= 12:
            assert text not in logs


def test_the_server_uses_the_ephemeral_tracker_store(servers):
    # Rasa silently falls back to a plain in-memory store that never forgets if ours fails to load.
    assert "Conversations are kept in memory only" in servers.logs()


def test_tracker_api_is_closed(servers):
    import requests

    response = requests.get(f"{servers.url}/conversations/anyone/tracker", timeout=10)
    assert response.status_code in (403, 404)
