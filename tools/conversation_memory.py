"""Memory per live conversation in a running Rasa server, the figure MAX_CONVERSATIONS' default comes from.

    python -m tools.conversation_memory --url http://127.0.0.1:5005 --pid <rasa pid> --conversations 3000 --long 1000

Starts `--conversations` new conversations over REST, one turn each, then `--long` of ten turns each, and
reads the server's resident memory (/proc) before and after each batch. The server must keep them all (its
CONVERSATION_TIMEOUT_MINUTES and MAX_CONVERSATIONS above the run). On this machine only (a loopback address).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import uuid

import aiohttp

from tools.load_test import rss_mb

ONE_TURN = ["i have nowhere safe to sleep tonight"]
TEN_TURNS = [
    "hello",
    "i have nowhere safe to sleep tonight",
    "Portland",
    "/ask_court",
    "my husband hits me",
    "mi esposo me golpea",
    "/find_services",
    "I need a lawyer",
    "Bangor",
    "thanks",
]
AT_ONCE = 20


async def _conversations(url: str, count: int, messages: list[str]) -> int:
    """`count` conversations of `messages`, AT_ONCE at a time; returns the number of failed turns."""
    failures = 0
    queue: asyncio.Queue[int] = asyncio.Queue()
    for number in range(count):
        queue.put_nowait(number)

    async def person(session: aiohttp.ClientSession) -> None:
        nonlocal failures
        while not queue.empty():
            queue.get_nowait()
            sender = f"memory-{uuid.uuid4().hex}"
            for message in messages:
                async with session.post(url, json={"sender": sender, "message": message}) as response:
                    await response.read()
                    failures += response.status != 200

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
        await asyncio.gather(*(person(session) for _ in range(AT_ONCE)))
    return failures


async def measure(base_url: str, pid: int, count: int, long_count: int) -> dict:
    url = base_url.rstrip("/") + "/webhooks/rest/webhook"
    await _conversations(url, AT_ONCE * 5, ["hello"])  # warm up: lazily built parts, caches
    before = rss_mb(pid) or 0.0
    failures = await _conversations(url, count, ONE_TURN)
    after_one = rss_mb(pid) or 0.0
    failures += await _conversations(url, long_count, TEN_TURNS)
    after_ten = rss_mb(pid) or 0.0
    return {
        "one_turn_conversations": count,
        "ten_turn_conversations": long_count,
        "rss_before_mb": before,
        "rss_after_one_turn_mb": after_one,
        "rss_after_ten_turns_mb": after_ten,
        "kb_per_one_turn_conversation": round((after_one - before) * 1024 / count, 1),
        "kb_per_ten_turn_conversation": round((after_ten - after_one) * 1024 / long_count, 1),
        "failed_turns": failures,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:5005")
    parser.add_argument("--pid", type=int, required=True, help="the Rasa server's process id")
    parser.add_argument("--conversations", type=int, default=3000)
    parser.add_argument("--long", type=int, default=1000, help="ten-turn conversations")
    args = parser.parse_args(argv)
    host = args.url.split("//", 1)[-1].split(":")[0].split("/")[0]
    if host not in ("127.0.0.1", "localhost") and not host.startswith("127."):
        parser.error("this measurement only targets this machine (a loopback address)")
    result = asyncio.run(measure(args.url, args.pid, args.conversations, args.long))
    print(json.dumps(result, indent=2))
    return 1 if result["failed_turns"] else 0


if __name__ == "__main__":
    sys.exit(main())
