"""The development set (tests/conversations/<lang>.yml), scored end to end through the REST channel.

Each single message is the first message of a new conversation; each conversation's turns go in order in one
new conversation. A turn is right when every check its `expect` names holds (tests/conversations/README.md):
the intent Rasa gave the message, every `contains`, one `any_of`, and the reply language. The intent and the
reply language are read from the conversation itself, through Rasa's tracker API (opened behind a token made
for the run): the latest user event's intent and the `language` slot that the replies were rendered in.

"forget me" deletes the conversation, so after that turn there is nothing to read: the turn's intent counts as
forget_me, and its language is not checked (the reply was rendered before the deletion).
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from core.names import request_understood
from core.paths import PROJECT_ROOT
from core.yaml_files import read_yaml

DEVSET_DIR = PROJECT_ROOT / "tests" / "conversations"
CRISIS_INTENTS = ("danger_now", "self_harm")
DELETED = "forget_me"  # what a turn that deleted its conversation counts as
# Rasa wraps numbers and names in right-to-left replies in these isolates; a person does not see them.
_ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069\u200e\u200f"), None)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Turn:
    text: str
    expect: dict[str, Any]


@dataclass(frozen=True)
class Item:
    """One single message (a conversation of one turn) or one conversation."""

    id: str
    category: str
    language: str
    turns: tuple[Turn, ...]

    @property
    def is_conversation(self) -> bool:
        return "-c" in self.id


@dataclass
class TurnResult:
    item: Item
    index: int
    intent: str | None
    language: str | None
    replies: str
    failures: list[str] = field(default_factory=list)

    @property
    def turn(self) -> Turn:
        return self.item.turns[self.index]

    @property
    def right(self) -> bool:
        return not self.failures


def load_items(path: Path) -> list[Item]:
    data = read_yaml(path)
    language = data["language"]
    items = [
        Item(m["id"], m["category"], language, (Turn(str(m["text"]), m.get("expect") or {}),))
        for m in data.get("messages") or []
    ]
    items += [
        Item(c["id"], c["category"], language, tuple(Turn(str(t["text"]), t.get("expect") or {}) for t in c["turns"]))
        for c in data.get("conversations") or []
    ]
    return items


def devset_files(unregistered: bool = False) -> list[Path]:
    folder = DEVSET_DIR / "unregistered" if unregistered else DEVSET_DIR
    return sorted(folder.glob("*.yml"))


def comparable(text: str) -> str:
    """NFC, no bidi isolates, case and runs of whitespace ignored (tests/conversations/README.md)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text).translate(_ISOLATES)).casefold().strip()


def as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def check(
    expect: dict[str, Any],
    file_language: str,
    intent: str | None,
    language: str | None,
    replies: str,
    score_language: bool = True,
) -> list[str]:
    """The checks of one turn that failed, each named ("intent", "contains:911", "language")."""
    failures = []
    said = comparable(replies)
    intents = as_list(expect.get("intent"))
    if intents and intent not in intents:
        failures.append("intent")
    failures += [f"contains:{fact}" for fact in as_list(expect.get("contains")) if comparable(fact) not in said]
    any_of = as_list(expect.get("any_of"))
    if any_of and not any(comparable(fact) in said for fact in any_of):
        failures.append("any_of")
    if expect.get("not_crisis") and (intent in CRISIS_INTENTS):
        failures.append("not_crisis")
    wanted = expect.get("language", file_language)
    if score_language and language is not None and wanted and language != wanted:
        failures.append("language")
    return failures


class RestClient:
    """The REST channel and the tracker API of one running Rasa server."""

    def __init__(self, url: str, api_token: str, timeout: float = 60) -> None:
        self.url, self.token, self.timeout = url, api_token, timeout
        self.session = requests.Session()

    def say(self, sender: str, text: str) -> list[dict[str, Any]]:
        response = self.session.post(
            f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=self.timeout
        )
        response.raise_for_status()
        return response.json()

    def tracker(self, sender: str) -> dict[str, Any]:
        # The REST channel files a conversation under a keyed hash of the sender, which only the server knows.
        found = self.session.get(
            f"{self.url}/webhooks/rest/conversation_id",
            params={"sender": sender},
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=self.timeout,
        )
        found.raise_for_status()
        conversation = found.json()["conversation_id"]
        response = self.session.get(
            f"{self.url}/conversations/{conversation}/tracker", params={"token": self.token}, timeout=self.timeout
        )
        response.raise_for_status()
        return response.json()


def reply_text(replies: list[dict[str, Any]]) -> str:
    """Every bot message of the turn joined, button titles included."""
    parts = []
    for reply in replies:
        parts.append(reply.get("text") or "")
        parts += [str(button.get("title", "")) for button in reply.get("buttons") or []]
    return "\n".join(part for part in parts if part)


def latest_intent(tracker: dict[str, Any]) -> str | None:
    for event in reversed(tracker.get("events") or []):
        if event.get("event") == "user":
            return ((event.get("parse_data") or {}).get("intent") or {}).get("name")
    return None


def run_item(client: RestClient, item: Item, score_language: bool = True) -> list[TurnResult]:
    sender = f"devset-{uuid.uuid4().hex}"
    results = []
    for index, turn in enumerate(item.turns):
        replies = reply_text(client.say(sender, turn.text))
        tracker = client.tracker(sender)
        intent = request_understood(latest_intent(tracker))
        deleted = intent is None
        language = None if deleted else (tracker.get("slots") or {}).get("language")
        result = TurnResult(item, index, DELETED if deleted else intent, language, replies)
        result.failures = check(
            turn.expect, item.language, result.intent, language, replies, score_language and not deleted
        )
        results.append(result)
    return results


def run_all(
    client: RestClient,
    items: Iterable[Item],
    score_language: bool = True,
    progress: Callable[[Item], None] | None = None,
) -> list[TurnResult]:
    results: list[TurnResult] = []
    for item in items:
        results += run_item(client, item, score_language)
        if progress:
            progress(item)
    return results


# ---- summaries ----------------------------------------------------------------------------------------------


def share(right: int, total: int) -> float | None:
    return round(right / total, 4) if total else None


def is_danger(turn: Turn) -> bool:
    return "911" in as_list(turn.expect.get("contains"))


def is_self_harm(turn: Turn) -> bool:
    return "988" in as_list(turn.expect.get("contains"))


def summarise(results: list[TurnResult]) -> dict[str, Any]:
    """Per language: single messages and conversation turns right, whole conversations right, per category,
    danger (911) and self-harm (988) recall, language and intent accuracy, the safety intents' confusion."""
    by_language: dict[str, list[TurnResult]] = defaultdict(list)
    for result in results:
        by_language[result.item.language].append(result)
    return {language: summarise_language(rows) for language, rows in sorted(by_language.items())}


def summarise_language(rows: list[TurnResult]) -> dict[str, Any]:
    messages = [r for r in rows if not r.item.is_conversation]
    turns = [r for r in rows if r.item.is_conversation]
    conversations: dict[str, list[TurnResult]] = defaultdict(list)
    for r in turns:
        conversations[r.item.id].append(r)
    categories: dict[str, list[TurnResult]] = defaultdict(list)
    for r in rows:
        categories[r.item.category].append(r)
    danger = [r for r in rows if is_danger(r.turn)]
    self_harm = [r for r in rows if is_self_harm(r.turn)]
    languages = [r for r in rows if r.language is not None]
    intents = [r for r in rows if as_list(r.turn.expect.get("intent"))]
    return {
        "messages": share(sum(r.right for r in messages), len(messages)),
        "message_count": len(messages),
        "conversation_turns": share(sum(r.right for r in turns), len(turns)),
        "conversation_turn_count": len(turns),
        "whole_conversations": share(sum(all(r.right for r in c) for c in conversations.values()), len(conversations)),
        "conversation_count": len(conversations),
        "all_turns": share(sum(r.right for r in rows), len(rows)),
        "danger_911": share(sum(comparable("911") in comparable(r.replies) for r in danger), len(danger)),
        "danger_count": len(danger),
        "self_harm_988": share(sum(comparable("988") in comparable(r.replies) for r in self_harm), len(self_harm)),
        "self_harm_count": len(self_harm),
        "language": share(sum("language" not in r.failures for r in languages), len(languages)),
        "intent": share(sum("intent" not in r.failures for r in intents), len(intents)),
        "categories": {name: share(sum(r.right for r in c), len(c)) for name, c in sorted(categories.items())},
        "safety_confusion": safety_confusion(rows),
        "failures": [failure_row(r) for r in rows if not r.right],
    }


def safety_confusion(rows: list[TurnResult]) -> dict[str, dict[str, int]]:
    """Expected safety intent -> intent given, for turns whose one expected intent is a safety intent."""
    safety = ("danger_now", "self_harm", "trafficking_signs", "sexual_assault", "domestic_violence", "need_shelter")
    table: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        expected = as_list(r.turn.expect.get("intent"))
        if len(expected) == 1 and expected[0] in safety:
            table[expected[0]][r.intent or "-"] += 1
    return {intent: dict(counts.most_common()) for intent, counts in sorted(table.items())}


def failure_row(r: TurnResult) -> dict[str, Any]:
    return {
        "id": r.item.id if not r.item.is_conversation else f"{r.item.id}#{r.index + 1}",
        "category": r.item.category,
        "text": r.turn.text,
        "expected": r.turn.expect,
        "intent": r.intent,
        "language": r.language,
        "failed": r.failures,
        "reply": r.replies[:300],
    }
