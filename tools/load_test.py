"""A bounded load test of a running Rasa server over REST, on this machine only.

    python -m tools.load_test --url http://127.0.0.1:5005 --conversations 50 --seconds 60 --pid <rasa pid>

`--conversations` people write at once, each going through a short conversation (a greeting, a question,
a crisis, sometimes "forget me") and then starting a new one, until `--seconds` have passed. Prints turns
per second, latency percentiles, errors, and the server's resident memory (from /proc) before and after.
tests/e2e/test_load.py runs it against the test servers; speed is reported, not asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

# Short conversations in the launch languages; each ends listening, some with "forget me".
CONVERSATIONS = [
    ["hello", "i have nowhere safe to sleep tonight", "/ask_court", "thanks"],
    ["hola buenas tardes", "mi esposo me golpea", "forget me"],
    ["bonjour madame", "mon patron a pris mon passeport et dit que je lui dois de l'argent", "/find_services"],
    ["Soomaali", "hello", "i want to kill myself"],
    ["مرحبا", "/ask_legal_options", "forget me"],
    ["olá", "he is outside my door with a knife help", "/menu"],
]
MAX_TURNS = 100_000  # a hard stop, whatever the duration
REQUEST_TIMEOUT_SECONDS = 60


@dataclass
class LoadResult:
    conversations: int
    seconds: float
    turns: int = 0
    errors: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list, repr=False)
    rss_before_mb: float | None = None
    rss_after_mb: float | None = None

    @property
    def turns_per_second(self) -> float:
        return self.turns / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0

    def summary(self) -> dict:
        return {
            "conversations_at_once": self.conversations,
            "seconds": round(self.seconds, 1),
            "turns": self.turns,
            "errors": len(self.errors),
            "turns_per_second": round(self.turns_per_second, 1),
            "p50_ms": round(self.percentile(0.50), 1),
            "p95_ms": round(self.percentile(0.95), 1),
            "max_ms": round(max(self.latencies_ms, default=0.0), 1),
            "mean_ms": round(statistics.fmean(self.latencies_ms), 1) if self.latencies_ms else 0.0,
            "rss_before_mb": self.rss_before_mb,
            "rss_after_mb": self.rss_after_mb,
        }


def rss_mb(pid: int | None) -> float | None:
    """Resident memory of a process in MB, from /proc (Linux)."""
    if pid is None:
        return None
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


async def _turn(session: aiohttp.ClientSession, url: str, sender: str, message: str, result: LoadResult) -> None:
    started = time.perf_counter()
    try:
        async with session.post(url, json={"sender": sender, "message": message}) as response:
            body = await response.text()
            if response.status != 200:
                result.errors.append(f"HTTP {response.status}")
            elif message != "forget me" and not json.loads(body):
                result.errors.append("an empty reply")
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
        result.errors.append(type(error).__name__)
    result.latencies_ms.append((time.perf_counter() - started) * 1000)
    result.turns += 1


async def _person(number: int, session: aiohttp.ClientSession, url: str, deadline: float, result: LoadResult) -> None:
    conversation = number
    while time.monotonic() < deadline and result.turns < MAX_TURNS:
        sender = f"load-{uuid.uuid4().hex}"
        for message in CONVERSATIONS[conversation % len(CONVERSATIONS)]:
            if time.monotonic() >= deadline:
                return
            await _turn(session, url, sender, message, result)
        conversation += 1


async def run_load(base_url: str, conversations: int, seconds: float, pid: int | None = None) -> LoadResult:
    url = base_url.rstrip("/") + "/webhooks/rest/webhook"
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
    connector = aiohttp.TCPConnector(limit=conversations)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        # Warm up (first turns load lazily built parts), so "before" is the server at work, not at rest.
        warm_up = LoadResult(conversations, 0)
        await asyncio.gather(*(_turn(session, url, f"warm-{n}", "hello", warm_up) for n in range(conversations)))
        result = LoadResult(conversations, seconds, rss_before_mb=rss_mb(pid))
        result.errors += warm_up.errors
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(*(_person(n, session, url, deadline, result) for n in range(conversations)))
        result.seconds = time.monotonic() - started
    result.rss_after_mb = rss_mb(pid)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:5005")
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--pid", type=int, default=None, help="the Rasa server's process id, for its memory")
    args = parser.parse_args(argv)
    host = args.url.split("//", 1)[-1].split(":")[0].split("/")[0]
    if host not in ("127.0.0.1", "localhost", "[::1]") and not host.startswith("127."):
        parser.error("the load test only targets this machine (a loopback address)")
    result = asyncio.run(run_load(args.url, args.conversations, args.seconds, args.pid))
    print(json.dumps(result.summary(), indent=2))
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
