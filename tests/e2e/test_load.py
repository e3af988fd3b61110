"""A bounded load test on localhost: 50 conversations at once for a minute, zero errors, memory flat.

Speed is measured and reported (test-artifacts/load-test.json and the test's output), not asserted:
speed targets belong in benchmarks. What is asserted: every turn answered, and the server's memory grew
by less than MEMORY_GROWTH_LIMIT_MB while some thousand conversations came and went.
"""

import asyncio
import json

import pytest

from tests.conftest import PROJECT_ROOT
from tools import load_test

pytestmark = pytest.mark.e2e

CONVERSATIONS_AT_ONCE = 50
SECONDS = 60
# Every conversation stays in memory for CONVERSATION_TIMEOUT_MINUTES (30): the growth allowed is for those
# (a few tens of KB each), far below what a leak of the model's size or per-turn garbage would show.
MEMORY_GROWTH_LIMIT_MB = 200


def test_fifty_conversations_at_once_for_a_minute(servers, capsys):
    result = asyncio.run(load_test.run_load(servers.url, CONVERSATIONS_AT_ONCE, SECONDS, servers.rasa_pid))
    summary = result.summary()
    artifacts = PROJECT_ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "load-test.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    with capsys.disabled():
        print("\nload test:", json.dumps(summary))
    assert result.turns > CONVERSATIONS_AT_ONCE * 3  # it really ran
    assert result.errors == []
    assert result.rss_before_mb and result.rss_after_mb
    assert result.rss_after_mb - result.rss_before_mb < MEMORY_GROWTH_LIMIT_MB
