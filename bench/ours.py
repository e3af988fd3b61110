"""This assistant, served from a temporary copy of the project as `make run` serves it (bot/runtime/serve.py's
commands and environment), plus a Twilio auth token so that its SMS channel answers signed requests."""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from unittest import mock

from bench.project import MODEL, ROOT
from bench.servers import Assistant, Process, clean_environment, free_port
from bot.runtime.serve import actions_command, default_servers, rasa_command, server_environment
from core.names import LAUNCH_LANGUAGES
from core.yaml_files import read_yaml

DEVELOPMENT_SET = ROOT / "tests" / "conversations"
# The intents a custom action answers (data/rules): a place, a court, a legal option, services, a follow-up,
# a town given as an answer, the legal questionnaire. The rest are fixed replies and the crisis replies.
ACTION_INTENTS = frozenset(
    {
        "ask_court",
        "ask_legal_options",
        "find_services",
        "need_shelter",
        "inform_place",
        "follow_up",
        "answer",
        "legal_questionnaire",
    }
)
CRISIS_INTENTS = frozenset({"danger_now", "self_harm"})


def _development_conversations(language: str) -> list[list[dict]]:
    table = read_yaml(DEVELOPMENT_SET / f"{language}.yml")
    return [conversation["turns"] for conversation in table["conversations"]]


def _intent(turn: dict) -> str:
    intent = turn["expect"].get("intent", "")
    return intent[0] if isinstance(intent, list) else intent


def realistic() -> list[list[str]]:
    """The realistic mix: every conversation of the development set (tests/conversations/<lang>.yml), the
    messages people really write, in all six languages, taken in turn one language after another. Two turns
    in three are answered by a custom action; the rest are greetings, thanks, "forget me", privacy questions,
    a crisis now and then (`mix()` counts them). Replayed as load only, never trained on."""
    per_language = [_development_conversations(code) for code in LAUNCH_LANGUAGES]
    return [
        [turn["text"] for turn in conversation]
        for group in itertools.zip_longest(*per_language)
        for conversation in group
        if conversation
    ]


def long_conversation() -> list[str]:
    """The realistic mix's messages in order as one long conversation, without the ones that ask to be
    forgotten (they would start it again)."""
    per_language = [_development_conversations(code) for code in LAUNCH_LANGUAGES]
    return [
        turn["text"]
        for group in itertools.zip_longest(*per_language)
        for conversation in group
        if conversation
        for turn in conversation
        if _intent(turn) != "forget_me"
    ]


def mix() -> dict[str, int]:
    """How many turns of the realistic mix each kind of reply answers, by the development set's expectations."""
    counts = {"custom action": 0, "crisis": 0, "fixed reply": 0}
    for code in LAUNCH_LANGUAGES:
        for conversation in _development_conversations(code):
            for turn in conversation:
                intent = _intent(turn)
                kind = "custom action" if intent in ACTION_INTENTS else "crisis" if intent in CRISIS_INTENTS else None
                counts[kind or "fixed reply"] += 1
    return counts


def conversations() -> list[list[str]]:
    """The easy mix, the old headline: one conversation per language, the end-to-end tests' messages
    (tests/e2e/conversations.yml), one per critical path, written by hand, never trained on ("forget me" left
    out: it ends the conversation). Mostly fixed replies."""
    table = read_yaml(ROOT / "tests" / "e2e" / "conversations.yml")
    table.pop("forget_me", None)
    return [[text for text, _ in turns] for turns in table.values()]


def assistant(root: Path, log_dir: Path, sms_token: str, settings: dict[str, str] | None = None) -> Assistant:
    """The processes `make run` starts (Rasa alone when it runs the actions itself); `settings` are
    core/settings.py values to serve with instead of the defaults (`python -m bench --set NAME=VALUE`)."""
    rasa_port, actions_port = free_port(), free_port()
    with mock.patch.dict(os.environ, clean_environment(**(settings or {})), clear=True):
        env = server_environment()
        servers = default_servers()
    env.update(
        PYTHONPATH=str(root),
        ACTION_SERVER_URL=f"http://127.0.0.1:{actions_port}/webhook",
        TWILIO_AUTH_TOKEN=sms_token,
        SMS_PUBLIC_URL="",
    )
    # bot/runtime/serve.py names the repo's endpoints.yml and credentials.yml; the copy's are the same files.
    rasa = [arg.replace(str(ROOT), str(root)) for arg in rasa_command(root / MODEL, str(rasa_port))]
    processes = [Process("rasa", rasa, root, env)]
    if "actions" in servers:
        processes.insert(0, Process("actions", actions_command(str(actions_port)), root, env))
    return Assistant(
        "ours", processes, rasa_port, log_dir, wait_for_ports=[actions_port] if "actions" in servers else []
    )
