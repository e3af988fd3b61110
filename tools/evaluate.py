"""`make evaluate`: how well the assistant understands, on data it was never trained on.

1. The development set (tests/conversations/, tools/devset.py), end to end through the REST channel of real
   servers started for the run: right answers per language and category, danger (911) and self-harm (988)
   caught, reply language, intent, the safety intents' confusion; the unregistered languages' files
   (tests/conversations/unregistered/) for danger and self-harm only.
2. The held-out NLU sets (tests/nlu/<lang>/): intent F1 per language, parsed in process.
3. The blind sets (tests/fresh/, tests/blind/, tests/blind3/ to tests/blind6/, tools/fresh.py): first messages,
   parsed in process.

Prints the tables and writes every figure (and every failed turn) to docs/evaluation.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from core.paths import PROJECT_ROOT
from tools import devset

RESULTS = PROJECT_ROOT / "docs" / "evaluation.json"


def run_devset(log_dir: Path) -> dict[str, Any]:
    from tools.servers import Servers

    token = "evaluate-" + uuid.uuid4().hex
    servers = Servers(
        log_dir=log_dir,
        env_overrides={"RASA_API_TOKEN": token, "STATS_ENABLED": "false", "SMS_RATE_LIMIT_PER_MINUTE": "0"},
    )
    servers.start()
    try:
        client = devset.RestClient(servers.url, token)
        started = time.perf_counter()
        registered = [item for path in devset.devset_files() for item in devset.load_items(path)]
        results = devset.run_all(client, registered)
        unregistered = [item for path in devset.devset_files(unregistered=True) for item in devset.load_items(path)]
        new_language = devset.run_all(client, unregistered, score_language=False)
        seconds = time.perf_counter() - started
    finally:
        servers.stop()
    return {
        "seconds": round(seconds, 1),
        "registered": devset.summarise(results),
        "unregistered": devset.summarise(new_language),
    }


def run_parsed_sets(model: Path) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The held-out sets' and the blind sets' results (by set name), from one loaded model."""
    import asyncio
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # Rasa's debug events would print every parsed message

    from tools.fresh import evaluate_all as evaluate_blind_sets
    from tools.heldout import evaluate

    agent = Agent.load(str(model))
    return asyncio.run(evaluate(agent)), asyncio.run(evaluate_blind_sets(agent))


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def print_devset(summary: dict[str, Any]) -> None:
    print("\nDevelopment set (tests/conversations), end to end over REST: share right")
    header = f"{'':24}" + "".join(f"{code:>7}" for code in summary)
    print(header)
    rows = [
        ("single messages", "messages"),
        ("conversation turns", "conversation_turns"),
        ("whole conversations", "whole_conversations"),
        ("danger: 911 given", "danger_911"),
        ("self-harm: 988 given", "self_harm_988"),
        ("reply language", "language"),
        ("intent", "intent"),
    ]
    for label, key in rows:
        print(f"{label:24}" + "".join(f"{percent(s[key]):>7}" for s in summary.values()))
    categories = sorted({c for s in summary.values() for c in s["categories"]})
    print("by category (all turns)")
    for category in categories:
        print(f"  {category:22}" + "".join(f"{percent(s['categories'].get(category)):>7}" for s in summary.values()))
    print("safety intents: expected -> given (all registered languages)")
    merged: dict[str, dict[str, int]] = {}
    for s in summary.values():
        for expected, given in s["safety_confusion"].items():
            for intent, count in given.items():
                merged.setdefault(expected, {}).setdefault(intent, 0)
                merged[expected][intent] += count
    for expected, given in merged.items():
        print(f"  {expected:20} " + ", ".join(f"{i} {n}" for i, n in sorted(given.items(), key=lambda x: -x[1])))


def print_unregistered(summary: dict[str, Any]) -> None:
    for code, s in summary.items():
        print(
            f"\nUnregistered language {code}: danger 911 {percent(s['danger_911'])} of {s['danger_count']}, "
            f"self-harm 988 {percent(s['self_harm_988'])} of {s['self_harm_count']}, "
            f"all checks {percent(s['all_turns'])}"
        )


def print_heldout(results: dict[str, Any]) -> None:
    print("\nHeld-out NLU sets (tests/nlu): weighted intent F1")
    print("".join(f"{code:>7}" for code in results))
    print("".join(f"{r['intent_f1']:>7.3f}" for r in results.values()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=PROJECT_ROOT / "models" / "assistant.tar.gz")
    parser.add_argument("--json", type=Path, default=RESULTS)
    parser.add_argument("--skip-heldout", action="store_true")
    parser.add_argument("--log-dir", type=Path, default=PROJECT_ROOT / "results" / "evaluate-logs")
    args = parser.parse_args()
    args.log_dir.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {"date": time.strftime("%Y-%m-%d"), "devset": run_devset(args.log_dir)}
    print_devset(report["devset"]["registered"])
    print_unregistered(report["devset"]["unregistered"])
    if not args.skip_heldout:
        from tools.fresh import print_all

        report["heldout"], blind_sets = run_parsed_sets(args.model)
        report.update(blind_sets)  # "fresh", "blind", "blind3" to "blind6": each set whose files exist
        print_heldout(report["heldout"])
        print_all(blind_sets)
    args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nEvery figure and every failed turn: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
