"""`make answers`: the "what it says" book, docs/answers/<language>.md for every registered language.

For advocates deciding whether to point someone to the assistant, and for reviewers of a translation: every
reply with its numbers filled in, as REST, the kiosk and SMS show it; answers of the custom actions for a few
services, every legal option and a few courts, run in this process against a conversation (rasa-sdk's
Tracker), so the book shows what the actions answer today; and the known misses of `make evaluate`
(docs/evaluation.json). Generated, never edited: a test fails while the checked-in books differ from what
this writes. Everything is rendered with the settings' defaults, whatever the environment says.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from actions.ask_court import ActionCourt
from actions.ask_legal import ActionLegalOptions, ActionLegalQuestionnaire
from actions.ask_services import ActionFindServices, need_names
from bot.i18n.languages import Language, registered_languages
from bot.replies.rendering import (
    CHANNEL_MESSAGES_DIR,
    default_values,
    placeholders,
    read_responses,
    render_response,
)
from bot.replies.sms_segments import pack_messages, segments
from core import settings
from core.facts import facts
from core.legal import legal_options
from core.names import LANGUAGE
from core.paths import DOMAIN_DIR, PROJECT_ROOT

BOOKS_DIR = PROJECT_ROOT / "docs" / "answers"
EVALUATION = PROJECT_ROOT / "docs" / "evaluation.json"
# The channels as the replies see them: REST's output channel is Rasa's "collector"; the actions see the
# channel the message came in on.
REPLY_CHANNELS = {"REST": "collector", "kiosk": "kiosk", "SMS": "sms"}
ACTION_CHANNELS = {"REST": "rest", "kiosk": "kiosk", "SMS": "sms"}
# Danger first (design.md, Safety rules), then the conversation.
DOMAIN_ORDER = ("safety", "core", "help", "language", "privacy")
KIOSK_PREFIX = "kiosk_"

# The examples: a few towns of different sizes and counties.
SERVICE_EXAMPLES = (("safe_housing", "Portland"), ("legal_help", "Lewiston"), ("counselling", "Bangor"))
COURT_EXAMPLES = (("protection_from_abuse", "Lewiston"), ("protection_from_abuse", "Machias"), (None, "Bangor"))


@contextlib.contextmanager
def default_settings() -> Iterator[None]:
    """The settings' defaults while the book is written: a timeout set for a test must not change the book."""
    saved = {s.name: os.environ.pop(s.name) for s in settings.SETTINGS if s.name in os.environ}
    try:
        yield
    finally:
        os.environ.update(saved)


# ---- rendering ----------------------------------------------------------------------------------------------


def fenced(text: str) -> str:
    """A reply as it is shown, line breaks and all, with nothing read as Markdown."""
    fence = "````" if "```" in text else "```"
    return f"{fence}text\n{text}\n{fence}"


def buttons_line(message: dict[str, Any]) -> str | None:
    buttons = message.get("buttons") or []
    return "Buttons: " + " · ".join(f"[{button['title']}]" for button in buttons) if buttons else None


def as_sent_by_sms(shown: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The texts of one turn as the SMS channel sends them: joined while they fit, split where they do not."""
    return [{"text": text} for text in pack_messages([m.get("text") or "" for m in shown if m.get("text")])]


def channel_versions(messages: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Each channel's messages, channels that show the same text and buttons named together; SMS as sent."""
    lines: list[str] = []
    groups: list[tuple[list[str], list[dict[str, Any]]]] = []
    for channel, shown in messages.items():
        if channel == "SMS":
            groups.append(([channel], as_sent_by_sms(shown)))
            continue
        same = next((group for group in groups if group[1] == shown), None)
        if same:
            same[0].append(channel)
        else:
            groups.append(([channel], shown))
    for channels, shown in groups:
        title = " and ".join(channels)
        if channels == ["SMS"]:
            counts = [segments(message["text"]) for message in shown]
            texts = "one text message" if len(shown) == 1 else f"{len(shown)} text messages"
            title += f", {texts} of {' + '.join(map(str, counts))} segment{'s' if counts != [1] else ''}"
        lines.append(f"**{title}:**")
        lines.append("")
        for message in shown:
            lines.append(fenced(message.get("text") or ""))
            buttons = buttons_line(message)
            if buttons:
                lines.append(buttons)
            lines.append("")
    return lines


def is_complete(variations: list[dict[str, Any]]) -> bool:
    """A reply whose every placeholder is a fact or a setting (the numbers, the minutes), not an action's value."""
    known = set(default_values())
    return all(placeholders(v.get("text") or "") <= known for v in variations)


def reply_section(title: str, responses: dict[str, list], language: str) -> list[str]:
    lines = [f"### {title}", ""]
    for name in responses:
        messages = {
            label: [render_response(responses, name, language, channel) or {}]
            for label, channel in REPLY_CHANNELS.items()
        }
        lines += [f"#### `{name}`", "", *channel_versions(messages)]
    return lines


def domain_files() -> list[Path]:
    files = sorted(DOMAIN_DIR.glob("*.yml"))
    return sorted(files, key=lambda path: DOMAIN_ORDER.index(path.stem) if path.stem in DOMAIN_ORDER else 99)


def replies_chapter(language: str) -> list[str]:
    lines = ["## Every reply", ""]
    lines.append(
        "What the conversation itself says (`domain/`), then what the channels and the lookups say on their own "
        "(`bot/replies/messages/`). Message parts that the lookups fill in (a town, a service's hours) are in "
        "the answers further down."
    )
    lines.append("")
    for path in domain_files():
        responses = read_responses(path)
        if responses:
            lines += reply_section(f"The conversation: {path.stem} (`domain/{path.name}`)", responses, language)
    parts: list[str] = []
    for path in sorted(CHANNEL_MESSAGES_DIR.glob("*.yml")):
        every = read_responses(path)
        complete = {name: v for name, v in every.items() if is_complete(v) and not name.startswith(KIOSK_PREFIX)}
        parts += [name for name in every if name not in complete and not name.startswith(KIOSK_PREFIX)]
        if complete:
            title = f"Said by the channels and lookups: {path.stem} (`bot/replies/messages/{path.name}`)"
            lines += reply_section(title, complete, language)
    lines += [
        f"Message parts shown only inside the answers below ({len(parts)}): "
        + ", ".join(f"`{name}`" for name in parts),
        "",
    ]
    return lines


def kiosk_chapter(language: str) -> list[str]:
    every = read_responses(*sorted(CHANNEL_MESSAGES_DIR.glob("*.yml")))
    names = [name for name in every if name.startswith(KIOSK_PREFIX)]
    lines = ["## The kiosk page's words", "", "| key | text |", "| --- | --- |"]
    for name in names:
        text = (render_response(every, name, language, "kiosk") or {}).get("text", "")
        lines.append(f"| `{name[len(KIOSK_PREFIX) :]}` | {table_cell(text)} |")
    return [*lines, ""]


def table_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


# ---- the custom actions, in process ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    title: str
    action: Any
    intent: str
    words: str = ""
    entities: tuple[tuple[str, str], ...] = ()


def tracker_for(example: Example, language: str, channel: str) -> Any:
    """A conversation whose latest message is the example's, understood as its intent and entities."""
    from rasa_sdk import Tracker

    entities = [{"entity": name, "value": value} for name, value in example.entities]
    message = {"text": example.words, "intent": {"name": example.intent, "confidence": 1.0}, "entities": entities}
    events = [{"event": "user", "text": example.words, "parse_data": message, "input_channel": channel}]
    return Tracker("answers-book", {LANGUAGE: language}, message, events, False, None, None, "action_listen")


def run_example(example: Example, language: str, channel: str) -> list[dict[str, Any]]:
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    asyncio.run(example.action.run(dispatcher, tracker_for(example, language, channel), {}))
    return [{"text": m.get("text") or "", "buttons": m.get("buttons") or []} for m in dispatcher.messages]


def examples() -> list[tuple[str, list[Example]]]:
    needs = need_names()
    services = [
        Example(f"{needs[need]} in {town}", ActionFindServices(), "find_services", town, (("need", need),))
        for need, town in SERVICE_EXAMPLES
    ]
    services.append(
        Example(f"{needs['crisis_line']}, all of Maine", ActionFindServices(), "find_services", "all of Maine",
                (("need", "crisis_line"),))
    )  # fmt: skip
    legal = [
        Example("The list of legal options", ActionLegalOptions(), "ask_legal_options"),
        Example("Which options may fit: the first question", ActionLegalQuestionnaire(), "legal_questionnaire"),
    ]
    legal += [
        Example(option.name, ActionLegalOptions(), "ask_legal_options", "", (("legal_option", option.key),))
        for option in legal_options()
    ]
    courts = []
    for option, town in COURT_EXAMPLES:
        title = f"A protection order, {town}" if option else f"The courts for {town}"
        entities = (("legal_option", option),) if option else ()
        courts.append(Example(title, ActionCourt(), "ask_court", town, entities))
    return [("Services near a town", services), ("Legal options", legal), ("Courts", courts)]


def answers_chapter(language: str) -> list[str]:
    lines = [
        "## Answers looked up by the custom actions",
        "",
        "Each answer below is what the action answers today for a message understood as the heading says "
        "(the town written in the message, the rest as if a button had been tapped).",
        "",
    ]
    for title, group in examples():
        lines += [f"### {title}", ""]
        for example in group:
            versions = {label: run_example(example, language, channel) for label, channel in ACTION_CHANNELS.items()}
            lines += [f"#### {example.title}", "", *channel_versions(versions)]
    return lines


# ---- known misses -----------------------------------------------------------------------------------------------


def misses_chapter(language: str, evaluation: dict[str, Any] | None) -> list[str]:
    lines = ["## Known misses (`make evaluate`)", ""]
    if evaluation is None:
        none = "No evaluation is on record (docs/evaluation.json): run `make evaluate`, then `make answers`."
        return [*lines, none, ""]
    summary = (evaluation.get("devset") or {}).get("registered", {}).get(language)
    lines.append(f"From `make evaluate` of {evaluation.get('date', 'an unknown date')} (docs/evaluation.json).")
    lines.append("")
    if summary is None:
        return [*lines, "This language has no development set yet (tests/conversations/).", ""]
    lines.append(
        f"Development set, end to end: {share(summary.get('all_turns'))} of its turns answered right; danger "
        f"answered with 911 in {share(summary.get('danger_911'))} of {summary.get('danger_count', 0)} messages; "
        f"self-harm with 988 in {share(summary.get('self_harm_988'))} of {summary.get('self_harm_count', 0)}."
    )
    heldout = (evaluation.get("heldout") or {}).get(language)
    if heldout and heldout.get("intent_f1") is not None:
        lines.append(f"Held-out NLU examples: intent F1 {heldout['intent_f1']:.3f}.")
    lines.append("")
    failures = sorted(summary.get("failures") or [], key=lambda f: (not is_danger_miss(f), f.get("id", "")))
    if not failures:
        return [*lines, "No turn of the development set failed.", ""]
    lines += [
        "Danger missed (no 911 where it was needed) comes first: where a message tells of danger inside a "
        "longer story, tell the person to call 911 yourself.",
        "",
        "| turn | message | expected | understood as | what failed |",
        "| --- | --- | --- | --- | --- |",
    ]
    for failure in failures:
        expected = failure.get("expected") or {}
        wanted = ", ".join(f"{k}: {v}" for k, v in expected.items())
        lines.append(
            f"| {failure.get('id', '')} | {table_cell(failure.get('text', ''))} | {table_cell(wanted)} "
            f"| {failure.get('intent') or '-'} | {', '.join(failure.get('failed') or [])} |"
        )
    return [*lines, ""]


def is_danger_miss(failure: dict[str, Any]) -> bool:
    return "contains:911" in (failure.get("failed") or [])


def share(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def read_evaluation(path: Path = EVALUATION) -> dict[str, Any] | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


# ---- the book -----------------------------------------------------------------------------------------------------


def sources_chapter() -> list[str]:
    lines = [
        "## The numbers and where they come from",
        "",
        "| line | number | source | checked on |",
        "| --- | --- | --- | --- |",
    ]
    for fact in facts().values():
        source = getattr(fact, "source_url", "") or ""
        checked = getattr(fact, "checked_on", "") or ""
        lines.append(f"| {table_cell(fact.name)} | {fact.value} | {source} | {checked} |")
    return [*lines, ""]


def status_line(language: Language) -> str:
    if language.status == "reviewed":
        return "Translation: reviewed by a fluent speaker."
    return (
        "Translation: **machine draft**, not yet reviewed by a fluent speaker (locales/languages.yml). Check "
        "every reply below with someone who reads the language before relying on it."
    )


def book(language: Language, evaluation: dict[str, Any] | None) -> str:
    lines = [
        f"# What the assistant says: {language.name} (`{language.code}`)",
        "",
        "Written by `make answers` from the catalogs, the data files and the custom actions, with the default "
        "settings; do not edit it (a test fails while it differs from what `make answers` writes). "
        + status_line(language),
        "",
        "Contents: every reply; the kiosk page's words; answers looked up by the custom actions (services, "
        "legal options, courts); known misses; the numbers and their sources.",
        "",
    ]
    lines += replies_chapter(language.code)
    lines += kiosk_chapter(language.code)
    lines += answers_chapter(language.code)
    lines += misses_chapter(language.code, evaluation)
    lines += sources_chapter()
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.rstrip("\n") + "\n"


def books(evaluation_path: Path = EVALUATION) -> dict[str, str]:
    """File name -> Markdown, for every registered language."""
    evaluation = read_evaluation(evaluation_path)
    with default_settings():
        return {f"{language.code}.md": book(language, evaluation) for language in registered_languages()}


def write_books(folder: Path = BOOKS_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = books()
    for stale in folder.glob("*.md"):
        if stale.name not in written:
            stale.unlink()
    paths = []
    for name, text in written.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    return paths


def quiet() -> None:
    """The actions' and libraries' log lines say nothing to a reader of the book."""
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    logging.basicConfig(level=logging.ERROR)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make answers", description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    quiet()
    for path in write_books():
        print(f"wrote {path.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
