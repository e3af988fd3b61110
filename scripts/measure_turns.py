"""Turn latency over the real REST channel: starts both servers (as `make run` does) and times sequential
turns of one conversation, with the end-to-end test messages in all six languages.

Usage: python scripts/measure_turns.py [--turns 300]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from tests.e2e.servers import Servers  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=300)
    parser.add_argument(
        "--turns-per-conversation", type=int, default=10,
        help="a new conversation after this many turns (Rasa re-reads the whole history every turn)",
    )
    args = parser.parse_args()
    table = yaml.safe_load((ROOT / "tests" / "e2e" / "conversations.yml").read_text(encoding="utf-8"))
    table.pop("forget_me")
    messages = [text for turns in table.values() for text, _ in turns]
    with tempfile.TemporaryDirectory() as tmp:
        servers = Servers(log_dir=Path(tmp))
        started = time.monotonic()
        servers.start()
        startup = time.monotonic() - started
        try:
            sender = f"measure-{uuid.uuid4().hex}"
            for text in messages[:10]:  # warm up
                servers.say(sender, text)
            samples = []
            for turn in range(args.turns):
                if turn % args.turns_per_conversation == 0:
                    sender = f"measure-{uuid.uuid4().hex}"
                began = time.perf_counter()
                servers.say(sender, messages[turn % len(messages)])
                samples.append((time.perf_counter() - began) * 1000)
        finally:
            servers.stop()
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"start-up to first answer: {startup:.1f} s")
    print(f"{args.turns} sequential REST turns, {args.turns_per_conversation} per conversation: p50 {statistics.median(samples):.1f} ms, p95 {p95:.1f} ms, "
          f"max {samples[-1]:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
