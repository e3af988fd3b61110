"""This assistant, served from a temporary copy of the project as `make run` serves it (bot/runtime/serve.py's
commands and environment), plus a Twilio auth token so that its SMS channel answers signed requests."""

from __future__ import annotations

import os
from pathlib import Path
from unittest import mock

import yaml

from bench.project import MODEL, ROOT
from bench.servers import Assistant, Process, clean_environment, free_port
from bot.runtime.serve import actions_command, rasa_command, server_environment


def conversations() -> list[list[str]]:
    """One conversation per language: the end-to-end tests' messages (tests/e2e/conversations.yml), one per
    critical path, written by hand, never trained on ("forget me" left out: it ends the conversation)."""
    table = yaml.safe_load((ROOT / "tests" / "e2e" / "conversations.yml").read_text(encoding="utf-8"))
    table.pop("forget_me", None)
    return [[text for text, _ in turns] for turns in table.values()]


def assistant(root: Path, log_dir: Path, sms_token: str) -> Assistant:
    rasa_port, actions_port = free_port(), free_port()
    with mock.patch.dict(os.environ, clean_environment(), clear=True):
        env = server_environment()
    env.update(
        PYTHONPATH=str(root),
        ACTION_SERVER_URL=f"http://127.0.0.1:{actions_port}/webhook",
        TWILIO_AUTH_TOKEN=sms_token,
        SMS_PUBLIC_URL="",
    )
    # bot/runtime/serve.py names the repo's endpoints.yml and credentials.yml; the copy's are the same files.
    rasa = [arg.replace(str(ROOT), str(root)) for arg in rasa_command(root / MODEL, str(rasa_port))]
    return Assistant(
        "ours",
        [Process("actions", actions_command(str(actions_port)), root, env), Process("rasa", rasa, root, env)],
        rasa_port,
        log_dir,
        wait_for_ports=[actions_port],
    )
