"""Shared fixtures. Rasa's structured logger prints debug events, with message text, unless configured."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from core.yaml_files import read_yaml

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
# Unit tests build tracker stores; none of them may add to a statistics file (the servers' tests set their own).
os.environ.setdefault("STATS_ENABLED", "false")

import sanic.app  # noqa: F401  (see below)
from rasa.utils.log_utils import configure_structlog

configure_structlog(logging.WARNING)
# Sanic's app module, when first imported, puts a filter that shows every DeprecationWarning once in front of
# pyproject.toml's warning filters. Imported here, while pytest configures itself, its filter is gone before
# the test modules are collected, so theirs apply.

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def files_looked_at_on_every_read(monkeypatch):
    """In process, a test that edits a catalog or a keyword file reads it back at once; the servers the e2e
    tests start keep core/reloading.py's one look a second (tests/core/test_reloading.py tests both)."""
    import core.reloading

    monkeypatch.setattr(core.reloading, "CHECK_EVERY_SECONDS", 0.0)


def domain_responses() -> dict[str, list]:
    responses: dict[str, list] = {}
    for path in sorted((PROJECT_ROOT / "domain").glob("*.yml")):
        responses.update(read_yaml(path).get("responses") or {})
    return responses


def danger_lines() -> set[str]:
    """The 911 line a channel adds to a reply that does not name 911 (bot/channels/turns.py), in every
    registered language and for every channel."""
    from bot.channels.turns import DANGER_LINE
    from bot.i18n.languages import registered_codes
    from bot.replies.rendering import channel_message

    return {
        channel_message(DANGER_LINE, language, channel)["text"]
        for language in registered_codes()
        for channel in ("rest", "kiosk", "sms", "collector")
    }


def without_danger_line(texts: list[str]) -> list[str]:
    """A turn's texts as the dialogue wrote them: the channel's 911 line taken off the end of the last text
    (bot/channels/turns.py). The line itself is tested in tests/bot/test_danger_line.py and on each channel."""
    if not texts:
        return texts
    *before, last = texts
    for line in danger_lines():
        if last == line:
            return before
        # SMS packs messages with a blank line between them, and may send the line as a text of its own.
        separator = next((s for s in ("\n\n", "\n") if last.endswith(s + line)), None)
        if separator is not None:
            return [*before, last[: -len(line) - len(separator)]]
    return texts


def all_messages() -> dict[str, list]:
    """The domain's responses and what the channels say outside the dialogue (bot/replies/messages/)."""
    from bot.replies.rendering import channel_messages

    return {**domain_responses(), **channel_messages()}


def pytest_collection_modifyitems(items):
    """A test that needs Redis, however it gets it, is marked `redis` (`make check` leaves those out)."""
    for item in items:
        if "redis_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.redis)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """Debian's redis-server on a free port, keeping nothing on disk (as docs/scale-out.md asks)."""
    from tests.redis_server import RedisServer

    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def responses() -> dict[str, list]:
    return domain_responses()


@pytest.fixture(scope="session")
def messages() -> dict[str, list]:
    return all_messages()


def make_tracker(sender_id: str = "test", **slots):
    """A DialogueStateTracker with the domain's slots, some of them set."""
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.load(str(PROJECT_ROOT / "domain"))
    tracker = DialogueStateTracker(sender_id, domain.slots)
    for name, value in slots.items():
        tracker.update(SlotSet(name, value))
    return tracker


def csv_copy_with(source: Path, directory: Path, key: str, **changes: str) -> Path:
    """A copy of a data CSV in `directory` whose row with this `key` has the given columns changed."""
    import csv

    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows, columns = list(reader), reader.fieldnames
    for row in rows:
        if row["key"] == key:
            row.update(changes)
    path = directory / source.name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path
