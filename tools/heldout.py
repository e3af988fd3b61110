"""Intent F1 per language on the held-out sets (tests/nlu/<lang>/, never trained on) and crisis recall.

Crisis recall: the share of held-out danger_now and self_harm examples classified as exactly that intent
(the target is 100%); "caught": classified as either of them, so the reply gives 911 or 988.
Usage: python -m tools.heldout [MODEL] [--json PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
logging.disable(logging.WARNING)

from rasa.core.agent import Agent  # noqa: E402
from rasa.shared.nlu.training_data.loading import load_data  # noqa: E402
from rasa.utils.log_utils import configure_structlog  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402

from bot.i18n.languages import registered_codes  # noqa: E402
from core.names import CRISIS_INTENTS, request_understood  # noqa: E402
from core.paths import MODELS_DIR, PROJECT_ROOT  # noqa: E402


def heldout(language: str) -> list[tuple[str, str]]:
    path = PROJECT_ROOT / "tests" / "nlu" / language
    if not path.exists():
        return []
    return [(m.get("text"), m.get("intent")) for m in load_data(str(path)).intent_examples]


async def evaluate(agent: Agent) -> dict:
    results = {}
    for code in registered_codes():
        pairs = heldout(code)
        if not pairs:
            continue
        started = time.perf_counter()
        predicted = [request_understood((await agent.parse_message(text))["intent"]["name"]) for text, _ in pairs]
        per_message_ms = (time.perf_counter() - started) * 1000 / len(pairs)
        gold = [intent for _, intent in pairs]
        crisis = [(g, p) for g, p in zip(gold, predicted, strict=True) if g in CRISIS_INTENTS]
        results[code] = {
            "examples": len(pairs),
            "intent_f1": round(f1_score(gold, predicted, average="weighted"), 4),
            "crisis_recall": round(sum(g == p for g, p in crisis) / len(crisis), 4) if crisis else None,
            "crisis_caught": round(sum(p in CRISIS_INTENTS for _, p in crisis) / len(crisis), 4) if crisis else None,
            "crisis_missed": [
                text for (text, g), p in zip(pairs, predicted, strict=True) if g in CRISIS_INTENTS and g != p
            ],
            "parse_ms": round(per_message_ms, 2),
        }
    return results


def run_cli(
    description: str, evaluate: Callable[[Agent], Coroutine[Any, Any, dict]], show: Callable[[dict], None]
) -> int:
    """The command line of a set parsed in process: [MODEL] [--json PATH], the table, the JSON file."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("model", nargs="?", default=str(MODELS_DIR / "assistant.tar.gz"))
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    configure_structlog(logging.WARNING)
    results = asyncio.run(evaluate(Agent.load(args.model)))
    show(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


def print_heldout(results: dict) -> None:
    print(f"{'language':9} {'examples':>8} {'intent F1':>9} {'crisis recall':>13} {'caught':>7} {'parse ms':>8}")
    for code, r in results.items():
        recall = "-" if r["crisis_recall"] is None else f"{r['crisis_recall']:.0%}"
        caught = "-" if r["crisis_caught"] is None else f"{r['crisis_caught']:.0%}"
        print(f"{code:9} {r['examples']:8} {r['intent_f1']:9.3f} {recall:>13} {caught:>7} {r['parse_ms']:8.2f}")
        for text in r["crisis_missed"]:
            print(f"          missed crisis: {text}")


if __name__ == "__main__":
    sys.exit(run_cli(__doc__ or "", evaluate, print_heldout))
