"""`make preview LANG=so MSG="he has a gun"`: what the assistant would answer, on each channel, without servers.

The trained model runs in this process, so the message goes through the same NLU pipeline, rules and
catalog renderer as a live conversation. LANG forces the answer language as metadata.language does on
REST, which is how people reach a language that has no training examples yet; without LANG the assistant
picks the language itself, as it would live. Each channel gets its own new conversation.
"""

from __future__ import annotations

import argparse
import asyncio
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
from bot.runtime.serve import MODEL_PATH
from core.names import LANGUAGE

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
    responses: list[str]
    messages: list[dict[str, Any]]


def collecting_channel(name: str):
    """A channel that keeps the messages sent to it and calls itself `name`, so replies render for it."""
    from rasa.core.channels.channel import CollectingOutputChannel

    class NamedCollectingChannel(CollectingOutputChannel):
        @classmethod
        def name(cls) -> str:
            return name

    return NamedCollectingChannel()


def load_agent(model_path: Path = MODEL_PATH):
    from rasa.core.agent import Agent
    from rasa.utils.endpoints import EndpointConfig

    from bot.runtime import action_faults

    # As the Rasa server: a custom action that cannot run (none runs here) gets the fault note.
    action_faults.install()
    # The same in-process response generator as endpoints.yml; Rasa's default would send the English texts.
    return Agent.load(str(model_path), generator=EndpointConfig(type="bot.replies.nlg.CatalogNaturalLanguageGenerator"))


async def reply_on(agent, channel_name: str, text: str, language: str | None) -> Reply:
    from rasa.core.channels.channel import UserMessage
    from rasa.shared.core.events import ActionExecuted, UserUttered

    channel = collecting_channel(channel_name)
    sender = f"preview-{uuid.uuid4().hex}"
    metadata = {"language": language} if language else None
    await agent.handle_message(UserMessage(text, channel, sender, metadata=metadata))
    # The full tracker: "forget me" restarts the conversation, and a restart starts a new, empty session.
    tracker = await agent.tracker_store.retrieve_full_tracker(sender)
    events = list(tracker.events) if tracker else []
    last_user = max((i for i, event in enumerate(events) if isinstance(event, UserUttered)), default=None)
    message = events[last_user] if last_user is not None else None
    return Reply(
        channel=channel_name,
        intent=message.intent.get("name") if message else None,
        confidence=message.intent.get("confidence") if message else None,
        language=answer_language(message),
        responses=[
            event.action_name
            for event in events[(last_user or 0) + 1 :]
            if isinstance(event, ActionExecuted) and (event.action_name or "").startswith("utter_")
        ],
        messages=channel.messages,
    )


def answer_language(message) -> str:
    """The language the reply was rendered in: what the language component chose for this message (each
    preview is a new conversation, so nothing was chosen before), else English."""
    entities = message.entities if message else []
    return next((entity["value"] for entity in entities if entity.get("entity") == LANGUAGE), SOURCE_LANGUAGE)


async def preview(agent, text: str, language: str | None, channels: tuple[str, ...] = CHANNELS) -> list[Reply]:
    return [await reply_on(agent, channel, text, language) for channel in channels]


def format_replies(text: str, replies: list[Reply]) -> str:
    first = replies[0]
    confidence = f" ({first.confidence:.2f})" if first.confidence is not None else ""
    lines = [
        f"Message: {text}",
        f"Understood as: {first.intent or '-'}{confidence}",
        f"Answer language: {first.language}",
        f"Responses (msgctxt in the catalog): {', '.join(first.responses) or '-'}",
    ]
    for reply in replies:
        lines += ["", f"== {CHANNEL_TITLES.get(reply.channel, reply.channel)} =="]
        for message in reply.messages:
            lines.append(textwrap.indent(message.get("text") or "", INDENT))
            # An SMS shows only the text, where the choices are already numbered.
            if reply.channel not in PLAIN_TEXT_CHANNELS:
                lines += [f"{INDENT}[{button['title']}]" for button in message.get("buttons") or []]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.preview", description=__doc__)
    parser.add_argument("message", help="what a person writes")
    parser.add_argument("--language", help="answer in this registered language (as metadata.language)")
    parser.add_argument("--model", type=Path, default=MODEL_PATH, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

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
