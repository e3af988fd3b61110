"""No message text and no sender id reaches the servers' logs at the level `make run` uses."""

import pytest

from core.yaml_files import read_yaml
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.e2e


def sent_texts() -> list[str]:
    table = read_yaml(PROJECT_ROOT / "tests" / "e2e" / "conversations.yml")
    forget = table.pop("forget_me")
    return [text for turns in table.values() for text, _ in turns] + list(forget.values())


def test_no_message_the_other_tests_sent_is_in_the_shared_servers_logs(servers):
    # Made-up names, numbers and addresses on every channel, and the files: tests/e2e/test_privacy_canary.py.
    logs = servers.logs()
    assert logs.strip(), "the servers wrote no log at all: the capture is broken"
    for text in sent_texts():
        if len(text) >= 12:  # long enough to be unmistakable
            assert text not in logs


def test_the_server_uses_the_ephemeral_tracker_store(servers):
    # Rasa silently falls back to a plain in-memory store that never forgets if ours fails to load.
    assert "Conversations are kept in memory only" in servers.logs()


def test_tracker_api_is_closed(servers):
    import requests

    response = requests.get(f"{servers.url}/conversations/anyone/tracker", timeout=10)
    assert response.status_code in (403, 404)
