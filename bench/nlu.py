"""NLU quality (held-out sets, per language) and in-process parse time, both assistants' models loaded side by
side. A process of its own, so the models' memory never counts against a server's.

Quality is tools/heldout.py's `evaluate`, unchanged. Parse time, after a warm-up, in rounds that
alternate which model goes first: the held-out messages through both models ("parse"), and each
assistant's own benchmark conversations ("parse_turns": the floor under those turns' cost).
Usage: python -m bench.nlu OURS_MODEL STOCK_MODEL TURN_MESSAGES_JSON OUT_JSON [--rounds N] [--messages N]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import logging
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.stats import summarise  # noqa: E402

WARM_UP = 30
TURN_REPEATS = 5


def evaluate_heldout_module():
    spec = importlib.util.spec_from_file_location("heldout", ROOT / "tools" / "heldout.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def parse_times(agent, texts: list[str]) -> list[float]:
    samples = []
    for text in texts:
        began = time.perf_counter()
        await agent.parse_message(text)
        samples.append((time.perf_counter() - began) * 1000)
    return samples


async def measure(ours_model: str, stock_model: str, turn_messages: dict, rounds: int, limit: int) -> dict:
    heldout = evaluate_heldout_module()  # also quiets Rasa's logging, as the script does
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    from bot.i18n.languages import registered_codes

    configure_structlog(logging.WARNING)
    agents, load_seconds = {}, {}
    for name, path in (("ours", ours_model), ("stock", stock_model)):
        began = time.monotonic()
        agents[name] = Agent.load(path)
        load_seconds[name] = round(time.monotonic() - began, 1)
    quality = await heldout.evaluate(agents["ours"])
    # Languages interleaved, so a shortened run still has every language.
    per_language = [[text for text, _ in heldout.heldout(code)] for code in registered_codes()]
    texts = [text for group in zip(*per_language, strict=False) for text in group][:limit]
    samples: dict[str, list[float]] = {"ours": [], "stock": []}
    turn_samples: dict[str, list[float]] = {"ours": [], "stock": []}
    for name in agents:
        await parse_times(agents[name], texts[:WARM_UP])
    for round_number in range(rounds):
        order = ["ours", "stock"] if round_number % 2 == 0 else ["stock", "ours"]
        for name in order:
            samples[name] += await parse_times(agents[name], texts)
            for _ in range(TURN_REPEATS):
                turn_samples[name] += await parse_times(agents[name], turn_messages[name])
    return {
        "quality": quality,
        "parse": {name: summarise(values) for name, values in samples.items()},
        "parse_turns": {name: summarise(values) for name, values in turn_samples.items()},
        "messages": len(texts),
        "model_load_s": load_seconds,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("ours_model")
    parser.add_argument("stock_model")
    parser.add_argument("turn_messages", help='JSON: {"ours": [...], "stock": [...]}')
    parser.add_argument("out")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--messages", type=int, default=1000)
    args = parser.parse_args()
    turn_messages = json.loads(Path(args.turn_messages).read_text(encoding="utf-8"))
    results = asyncio.run(measure(args.ours_model, args.stock_model, turn_messages, args.rounds, args.messages))
    Path(args.out).write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
