"""What the model understands, as a fingerprint to compare before and after a speed change: every message of the
development set (tests/conversations/**/*.yml, its single messages and its conversations' turns) and of the
held-out sets (tests/nlu/<lang>/) parsed alone, in process, with the given model.

A change that only makes parsing faster must leave each message's intent, its confidence to 3 decimals, its
entities and its per-sentence crisis scores as they were. The output holds no message text (an index per
message, and the file it came from), only what the parse says.

Usage: python -m bench.parse_identity MODEL OUT_JSON           # write the fingerprint
       python -m bench.parse_identity --compare BEFORE AFTER   # exit 1 and list the messages that differ
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from pathlib import Path

from core.yaml_files import read_yaml

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEVELOPMENT_SET = ROOT / "tests" / "conversations"
HELDOUT = ROOT / "tests" / "nlu"
# Compared: must be the same. Only counted: the confidence to the last bit (a stricter check, reported beside).
EXACT = "exact_confidence"


def development_texts(path: Path) -> list[str]:
    table = read_yaml(path) or {}
    texts = [message["text"] for message in table.get("messages") or []]
    texts += [turn["text"] for conversation in table.get("conversations") or [] for turn in conversation["turns"]]
    return texts


def heldout_texts(folder: Path) -> list[str]:
    from rasa.shared.nlu.training_data.loading import load_data

    return [example.get("text") for example in load_data(str(folder)).intent_examples]


def message_sets() -> dict[str, list[str]]:
    sets = {str(p.relative_to(ROOT)): development_texts(p) for p in sorted(DEVELOPMENT_SET.rglob("*.yml"))}
    sets.update({str(p.relative_to(ROOT)): heldout_texts(p) for p in sorted(HELDOUT.iterdir()) if p.is_dir()})
    return sets


def fingerprint(parse: dict) -> dict:
    intent = parse.get("intent") or {}
    confidence = float(intent.get("confidence") or 0.0)
    return {
        "intent": intent.get("name"),
        "confidence": round(confidence, 3),
        "exact_confidence": repr(confidence),
        "entities": parse.get("entities") or [],
        "crisis_segments": parse.get("crisis_segments"),
    }


async def parse_all(model: str) -> dict[str, list[dict]]:
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    logging.getLogger().setLevel(logging.WARNING)
    agent = Agent.load(model)
    results: dict[str, list[dict]] = {}
    for name, texts in message_sets().items():
        results[name] = [fingerprint(await agent.parse_message(text)) for text in texts]
    return results


def _without_exact(parse: dict) -> dict:
    return {key: value for key, value in parse.items() if key != EXACT}


def bit_differences(before: dict[str, list[dict]], after: dict[str, list[dict]]) -> int:
    return sum(
        a.get(EXACT) != b.get(EXACT)
        for name in set(before) & set(after)
        for a, b in zip(before[name], after[name], strict=False)
    )


def differences(before: dict[str, list[dict]], after: dict[str, list[dict]]) -> list[str]:
    found = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name, []), after.get(name, [])
        if len(old) != len(new):
            found.append(f"{name}: {len(old)} messages before, {len(new)} after")
            continue
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            if _without_exact(a) != _without_exact(b):
                found.append(f"{name} #{index}: {a} -> {b}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs=2, type=Path, metavar="PATH")
    parser.add_argument("--compare", action="store_true", help="compare two fingerprints instead of writing one")
    args = parser.parse_args()
    if args.compare:
        before, after = (json.loads(path.read_text(encoding="utf-8")) for path in args.paths)
        found = differences(before, after)
        total = sum(len(messages) for messages in before.values())
        print("\n".join(found[:50]))
        print(
            f"{total} messages in {len(before)} sets: {len(found)} differ (intent, confidence to 3 decimals, entities,"
        )
        print(f"crisis scores per sentence); {bit_differences(before, after)} differ in the confidence's last bits")
        return 1 if found else 0
    model, out = args.paths
    results = asyncio.run(parse_all(str(model)))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    print(f"{sum(len(m) for m in results.values())} messages in {len(results)} sets: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
