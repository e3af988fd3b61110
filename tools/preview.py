"""`make preview LANG=so MSG="he has a gun"`: what the assistant would answer, on each channel, without servers.

The trained model runs in this process, so the message goes through the same NLU pipeline, rules and
catalog renderer as a live conversation, and so do the custom actions (services, legal options, courts, the
questionnaire): rasa-sdk's own executor runs them here with the JSON Rasa would post to the action server.
LANG forces the answer language as metadata.language does on REST, which is how people reach a language that
is still a preview or has no training examples yet; without LANG the assistant picks the language itself, as
it would live. Each channel gets its own new conversation. The SMS answer is shown as the SMS channel sends
it (bot/replies/sms_segments.py): each text message with its segments and encoding, since one letter outside
the GSM-7 alphabet makes every segment hold 70 characters instead of 160.

`--before-training` is what `make preview` prints when the model is older than its training data and must be
retrained first: which files changed, and how long the last training took.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import textwrap
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.i18n.languages import SOURCE_LANGUAGE, normalise_code
from bot.replies.rendering import PLAIN_TEXT_CHANNELS
from bot.replies.sms_segments import GSM7_BASIC, GSM7_EXTENSION, UCS2, encoding, pack_messages, segments
from bot.runtime.serve import MODEL_PATH
from core.names import LANGUAGE
from core.paths import PROJECT_ROOT

# What `make train` builds the model from (the Makefile's MODEL_INPUTS), and where it notes how long it took.
MODEL_INPUTS = ("config.yml", "domain/*.yml", "data/nlu/*/*.yml", "data/rules/*.yml", "data/stories/*.yml")
TRAINING_SECONDS = MODEL_PATH.parent / "training-seconds"
TYPICAL_TRAINING_SECONDS = 180  # 2 cores (README, "Performance")

# The channels' names as the response generator sees them: the REST webhook's collector, the kiosk page, SMS.
CHANNELS = ("collector", "kiosk", "sms")
CHANNEL_TITLES = {"collector": "collector (REST)", "kiosk": "kiosk", "sms": "sms"}
INDENT = "    "


@dataclass(frozen=True)
class Reply:
    channel: str
    intent: str | None
    confidence: float | None
    language: str
    responses: list[str]  # the replies' names: their contexts in the catalog
    actions: list[str]  # the custom actions that ran (action_ask_services ...)
    messages: list[dict[str, Any]]


def collecting_channel(name: str):
    """A channel that keeps the messages sent to it and calls itself `name`, so replies render for it."""
    from bot.channels.turns import TurnOutput

    class NamedCollectingChannel(TurnOutput):
        @classmethod
        def name(cls) -> str:
            return name

    return NamedCollectingChannel()


def in_process_actions():
    """An action endpoint that runs the custom actions in this process: rasa-sdk's executor gets the JSON Rasa
    would post to the action server, and its answer goes back through the same JSON, so the actions see what
    they see live."""
    from rasa.utils.endpoints import EndpointConfig
    from rasa_sdk.executor import ActionExecutor

    class InProcessActions(EndpointConfig):
        def __init__(self) -> None:
            super().__init__(url="in-process://actions")
            self.executor = ActionExecutor()
            self.executor.register_package("actions")

        async def request(self, method: str = "post", subpath: str | None = None, **kwargs: Any) -> Any:
            call = json.loads(json.dumps(kwargs["json"]))
            return json.loads(json.dumps(await self.executor.run(call)))

    return InProcessActions()


def load_agent(model_path: Path = MODEL_PATH):
    from rasa.core.agent import Agent
    from rasa.utils.endpoints import EndpointConfig

    from bot.runtime import action_faults

    # As the Rasa server: a custom action that fails gets the fault note.
    action_faults.install()
    # The same in-process response generator as endpoints.yml; Rasa's default would send the English texts.
    return Agent.load(
        str(model_path),
        generator=EndpointConfig(type="bot.replies.nlg.CatalogNaturalLanguageGenerator"),
        action_endpoint=in_process_actions(),
    )


async def reply_on(agent, channel_name: str, text: str, language: str | None) -> Reply:
    from rasa.core.channels.channel import UserMessage
    from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

    from bot.channels.turns import with_danger_line

    channel = collecting_channel(channel_name)
    sender = f"preview-{uuid.uuid4().hex}"
    metadata = {"language": language} if language else None
    # input_channel as the channels set it: the actions shorten their answers for SMS.
    await agent.handle_message(UserMessage(text, channel, sender, input_channel=channel_name, metadata=metadata))
    # The full tracker: "forget me" restarts the conversation, and a restart starts a new, empty session.
    tracker = await agent.tracker_store.retrieve_full_tracker(sender)
    events = list(tracker.events) if tracker else []
    last_user = max((i for i, event in enumerate(events) if isinstance(event, UserUttered)), default=None)
    message = events[last_user] if last_user is not None else None
    turn = events[(last_user or 0) + 1 :]
    return Reply(
        channel=channel_name,
        intent=message.intent.get("name") if message else None,
        confidence=message.intent.get("confidence") if message else None,
        language=answer_language(message),
        responses=[
            event.metadata["utter_action"]
            for event in turn
            if isinstance(event, BotUttered) and (event.metadata or {}).get("utter_action")
        ],
        actions=[
            event.action_name
            for event in turn
            if isinstance(event, ActionExecuted)
            and event.action_name
            and not event.action_name.startswith(("utter_", "action_listen"))
        ],
        # As the channels send it: a reply that does not name 911 ends with the 911 line.
        messages=with_danger_line(channel.messages, channel.language or answer_language(message), channel_name),
    )


def answer_language(message) -> str:
    """The language the reply was rendered in: what the language component chose for this message (each
    preview is a new conversation, so nothing was chosen before), else English."""
    entities = message.entities if message else []
    return next((entity["value"] for entity in entities if entity.get("entity") == LANGUAGE), SOURCE_LANGUAGE)


async def preview(agent, text: str, language: str | None, channels: tuple[str, ...] = CHANNELS) -> list[Reply]:
    return [await reply_on(agent, channel, text, language) for channel in channels]


def outside_gsm7(text: str) -> str:
    """The characters that make a text UCS-2 ("ệ", a curly apostrophe "’"), in order, each once."""
    found = [ch for ch in text if ch not in GSM7_BASIC and ch not in GSM7_EXTENSION]
    return "".join(dict.fromkeys(found))


def sms_lines(messages: list[dict[str, Any]]) -> list[str]:
    """The SMS answer as the channel sends it: the turn's texts packed into text messages, each with its cost."""
    packed = pack_messages([message["text"] for message in messages if message.get("text")])
    lines = []
    for number, text in enumerate(packed, start=1):
        lines.append(textwrap.indent(text, INDENT))
        cost = f"{segments(text)} segment{'s' if segments(text) != 1 else ''}, {encoding(text).upper()}"
        if encoding(text) == UCS2:
            cost += f" (70 characters a segment, because of {outside_gsm7(text)[:12]!r})"
        lines.append(f"{INDENT}[text message {number} of {len(packed)}: {cost}]")
    return lines


def format_replies(text: str, replies: list[Reply]) -> str:
    first = replies[0]
    confidence = f" ({first.confidence:.2f})" if first.confidence is not None else ""
    lines = [
        f"Message: {text}",
        f"Understood as: {first.intent or '-'}{confidence}",
        f"Answer language: {first.language}",
        f"Responses (msgctxt in the catalog): {', '.join(first.responses) or '-'}",
        f"Custom actions run here: {', '.join(first.actions) or '-'}",
    ]
    for reply in replies:
        lines += ["", f"== {CHANNEL_TITLES.get(reply.channel, reply.channel)} =="]
        if reply.channel in PLAIN_TEXT_CHANNELS:
            lines += sms_lines(reply.messages)  # the choices are already numbered in the text
            continue
        for message in reply.messages:
            lines.append(textwrap.indent(message.get("text") or "", INDENT))
            lines += [f"{INDENT}[{button['title']}]" for button in message.get("buttons") or []]
    return "\n".join(lines)


def changed_training_files(model_path: Path = MODEL_PATH, root: Path = PROJECT_ROOT) -> list[Path]:
    """The model's inputs changed since it was trained (all of them when there is no model)."""
    built = model_path.stat().st_mtime if model_path.exists() else 0.0
    inputs = sorted(path for pattern in MODEL_INPUTS for path in root.glob(pattern))
    changed = [path for path in inputs if path.stat().st_mtime > built]
    return sorted(changed, key=lambda path: path.stat().st_mtime, reverse=True)  # the translator's own edit first


def training_notice(model_path: Path = MODEL_PATH, root: Path = PROJECT_ROOT) -> str:
    """What `make preview` says before it retrains the model."""
    changed = changed_training_files(model_path, root)
    names = ", ".join(str(path.relative_to(root)) for path in changed[:4]) + (" ..." if len(changed) > 4 else "")
    try:
        seconds = int(float(TRAINING_SECONDS.read_text(encoding="utf-8")))
        took = f"the last training on this computer took {seconds} s"
    except (OSError, ValueError):
        seconds, took = TYPICAL_TRAINING_SECONDS, "training takes about 3 minutes on a 2-core computer"
    reason = f"training data changed since it was trained ({names})" if model_path.exists() else "there is no model"
    return (
        f"preview: the model must be retrained first: {reason}.\n"
        f"preview: retraining now; {took} (about {max(1, round(seconds / 60))} min). Only training examples "
        "need this: a translation is shown at once."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.preview", description=__doc__)
    parser.add_argument("message", nargs="?", help="what a person writes")
    parser.add_argument("--language", help="answer in this registered language (as metadata.language)")
    parser.add_argument("--model", type=Path, default=MODEL_PATH, help=argparse.SUPPRESS)
    parser.add_argument("--before-training", action="store_true", help="say why and how long the model retrains")
    args = parser.parse_args(argv)
    if args.before_training:
        print(training_notice(args.model), file=sys.stderr)
        return 0
    if not args.message:
        parser.error("the message is missing")

    language = None
    if args.language:
        language = normalise_code(args.language)
        if language is None:
            print(
                f"preview: {args.language!r} is not in locales/languages.yml; add it with "
                f"`make locale LANG={args.language}`.",
                file=sys.stderr,
            )
            return 1
    if not args.model.exists():
        print(f"preview: no model at {args.model}; `make train` builds it.", file=sys.stderr)
        return 1

    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # The libraries' deprecation notices say nothing to a translator and bury the answer. Filters would not
    # do: Sanic turns deprecation notices back on when it is imported.
    warnings.showwarning = lambda *args, **kwargs: None
    from rasa.utils.log_utils import configure_structlog

    # Rasa's structured logger otherwise prints debug events, with the message text, to the terminal.
    configure_structlog(logging.WARNING)
    agent = load_agent(args.model)
    print(format_replies(args.message, asyncio.run(preview(agent, args.message, language))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
