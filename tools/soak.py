"""A soak test of a running Rasa server: half its peak throughput for a long time, on every channel.

    python -m tools.soak --url http://127.0.0.1:5005 --pid <rasa pid> --twilio-token <token> --minutes 30

First it measures the peak: PEAK_USERS people writing over REST back to back for `--peak-seconds`. Then, for
`--minutes`, messages arrive at half that rate, on a fixed schedule whatever the answers take (an open
loop, as people write): REST, SMS (signed as Twilio signs) and the kiosk (a session the server issues), in
the six launch languages, half of them from people already in a conversation and half from new ones. It
samples the server's resident memory (/proc) as it goes and reports it at the start, the middle and the end,
every error, and the p95 latency of each tenth of the run. On this machine only (a loopback address).
`make soak` runs the 30-minute soak; tests/e2e/test_soak.py a one-minute one in `make test`.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import random
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from twilio.request_validator import RequestValidator

from tools.load_test import rss_mb
from tools.servers import Servers

PEAK_USERS = 20
WINDOWS = 10  # the run is cut in tenths: a p95 for each
MAX_IN_FLIGHT = 500  # more unanswered messages than this and the server has fallen behind: an error each
MAX_PEOPLE = 2000  # people who may still come back; beyond it the longest idle one has left
REQUEST_TIMEOUT_SECONDS = 60
SAMPLE_SECONDS = 5.0
CHANNELS = ("rest", "sms", "kiosk")
# What people write, one conversation per language; each line a turn (a button's payload where it starts "/").
SCRIPTS = {
    "en": ["hello", "i have nowhere safe to sleep tonight", "Portland", "/ask_court", "forget me"],
    "es": ["hola buenas tardes", "mi esposo me golpea", "necesito un abogado", "Lewiston"],
    "fr": ["bonjour madame", "mon patron a pris mon passeport et dit que je lui dois de l'argent", "/find_services"],
    "pt": ["olá", "he is outside my door with a knife help", "/menu", "preciso de um advogado"],
    "ar": ["مرحبا", "/ask_legal_options", "أحتاج محامي مجاني في بورتلاند", "forget me"],
    "so": ["Soomaali", "ninkayga ayaa i garaaca", "hello", "i want to kill myself"],
}


@dataclass
class Person:
    channel: str
    language: str
    sender: str = ""  # a REST sender, a phone number or a kiosk session
    turn: int = 0
    busy: bool = False

    @property
    def script(self) -> list[str]:
        return SCRIPTS[self.language]


@dataclass
class SoakResult:
    peak_turns_per_second: float = 0.0
    rate: float = 0.0
    seconds: float = 0.0
    turns: int = 0
    by_channel: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHANNELS, 0))
    new_conversations: int = 0
    returning_turns: int = 0
    errors: list[str] = field(default_factory=list)
    samples: list[tuple[float, float]] = field(default_factory=list)  # (seconds since start, RSS MB)
    latencies: list[tuple[float, float]] = field(default_factory=list, repr=False)  # (seconds since start, ms)

    def rss_at(self, fraction: float) -> float | None:
        if not self.samples:
            return None
        wanted = fraction * self.seconds
        return min(self.samples, key=lambda sample: abs(sample[0] - wanted))[1]

    def p95_by_window(self) -> list[float]:
        width = self.seconds / WINDOWS if self.seconds else 1.0
        windows: list[list[float]] = [[] for _ in range(WINDOWS)]
        for at, latency in self.latencies:
            windows[min(WINDOWS - 1, int(at / width))].append(latency)
        return [round(sorted(window)[int(0.95 * (len(window) - 1))], 1) if window else 0.0 for window in windows]

    def summary(self) -> dict:
        return {
            "peak_turns_per_second": round(self.peak_turns_per_second, 1),
            "rate_turns_per_second": round(self.rate, 1),
            "seconds": round(self.seconds, 1),
            "turns": self.turns,
            "turns_by_channel": self.by_channel,
            "new_conversations": self.new_conversations,
            "returning_turns": self.returning_turns,
            "errors": len(self.errors),
            "first_errors": self.errors[:10],
            "rss_mb_start_middle_end": [self.rss_at(0.0), self.rss_at(0.5), self.rss_at(1.0)],
            "p95_ms_by_tenth": self.p95_by_window(),
        }


class Client:
    """Talks to each channel as its real client does."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str, twilio_token: str, sms_url: str | None):
        self.session = session
        self.base = base_url.rstrip("/") + "/webhooks"
        self.validator = RequestValidator(twilio_token)
        self.sms_url = sms_url or self.base + "/sms/webhook"

    async def begin(self, person: Person) -> None:
        if person.channel == "kiosk":
            async with self.session.post(self.base + "/kiosk/session") as response:
                if response.status != 200:
                    raise TurnError(f"kiosk session: HTTP {response.status}")
                person.sender = (await response.json())["session"]
        elif person.channel == "sms":
            person.sender = f"+1207{random.randrange(10_000_000):07d}"
        else:
            person.sender = f"soak-{uuid.uuid4().hex}"

    async def say(self, person: Person, message: str) -> None:
        if person.channel == "sms":
            form = {"From": person.sender, "To": "+12075550100", "Body": message, "MessageSid": "SM" + uuid.uuid4().hex}
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Twilio-Signature": self.validator.compute_signature(self.sms_url, form),
            }
            async with self.session.post(self.base + "/sms/webhook", data=urlencode(form), headers=headers) as response:
                body = await response.text()
                if response.status != 200 or "<Message>" not in body:
                    raise TurnError(f"sms: HTTP {response.status}")
            return
        key = "payload" if person.channel == "kiosk" and message.startswith("/") else "message"
        payload = {"sender": person.sender, key: message, "metadata": {"language": person.language}}
        async with self.session.post(f"{self.base}/{person.channel}/webhook", json=payload) as response:
            replies = await response.json(content_type=None) if response.status == 200 else None
            if response.status != 200 or (message != "forget me" and not replies):
                raise TurnError(f"{person.channel}: HTTP {response.status}")


class TurnError(Exception):
    pass


async def measure_peak(session: aiohttp.ClientSession, base_url: str, seconds: float) -> float:
    """Turns per second with PEAK_USERS people writing over REST back to back."""
    url = base_url.rstrip("/") + "/webhooks/rest/webhook"
    turns = 0
    deadline = time.monotonic() + seconds

    async def person() -> None:
        nonlocal turns
        for message in itertools.cycle(SCRIPTS["en"][:4]):
            if time.monotonic() >= deadline:
                return
            async with session.post(url, json={"sender": f"peak-{uuid.uuid4().hex}", "message": message}) as response:
                await response.read()
            turns += 1

    started = time.monotonic()
    await asyncio.gather(*(person() for _ in range(PEAK_USERS)))
    return turns / (time.monotonic() - started)


async def soak(
    base_url: str,
    pid: int | None,
    twilio_token: str,
    minutes: float,
    peak_seconds: float,
    sms_url: str | None = None,
    seed: int = 7,
) -> SoakResult:
    chooser = random.Random(seed)
    result = SoakResult()
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=MAX_IN_FLIGHT)) as session:
        result.peak_turns_per_second = await measure_peak(session, base_url, peak_seconds)
        result.rate = result.peak_turns_per_second / 2
        client = Client(session, base_url, twilio_token, sms_url)
        people: list[Person] = []
        in_flight: set[asyncio.Task] = set()
        started = time.monotonic()
        duration = minutes * 60

        async def turn(person: Person, at: float) -> None:
            try:
                if not person.sender:
                    await client.begin(person)
                await client.say(person, person.script[person.turn])
                result.by_channel[person.channel] += 1
            except (TurnError, aiohttp.ClientError, asyncio.TimeoutError, ValueError, KeyError) as error:
                result.errors.append(f"{type(error).__name__}: {error}")
            result.latencies.append((at, (time.monotonic() - started - at) * 1000))
            result.turns += 1
            person.turn += 1
            person.busy = False
            if person.turn >= len(person.script):
                people.remove(person)

        async def sample_memory() -> None:
            while time.monotonic() - started < duration:
                result.samples.append((time.monotonic() - started, rss_mb(pid) or 0.0))
                await asyncio.sleep(SAMPLE_SECONDS)

        sampler = asyncio.create_task(sample_memory())
        for number in itertools.count():
            at = number / result.rate
            if at >= duration:
                break
            await asyncio.sleep(max(0.0, started + at - time.monotonic()))
            idle = [person for person in people if not person.busy]
            if idle and chooser.random() < 0.5:
                person = chooser.choice(idle)
                result.returning_turns += 1
            else:
                person = Person(chooser.choice(CHANNELS), chooser.choice(list(SCRIPTS)))
                if len(people) >= MAX_PEOPLE and idle:
                    people.remove(idle[0])
                people.append(person)
                result.new_conversations += 1
            if len(in_flight) >= MAX_IN_FLIGHT:
                result.errors.append("the server fell behind: too many unanswered messages")
                continue
            person.busy = True
            task = asyncio.create_task(turn(person, time.monotonic() - started))
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
        await asyncio.gather(*in_flight)
        result.seconds = time.monotonic() - started
        sampler.cancel()
        result.samples.append((result.seconds, rss_mb(pid) or 0.0))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--start", action="store_true", help="start servers of its own (as make run does)")
    parser.add_argument("--url", default="http://127.0.0.1:5005")
    parser.add_argument("--pid", type=int, default=None, help="the Rasa server's process id, for its memory")
    parser.add_argument("--twilio-token", default="", help="the server's TWILIO_AUTH_TOKEN, to sign SMS")
    parser.add_argument("--sms-url", default=None, help="the server's SMS_PUBLIC_URL, when it has one")
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--peak-seconds", type=float, default=30)
    parser.add_argument("--output", default=None, help="also write the summary to this JSON file")
    args = parser.parse_args(argv)
    servers = None
    if args.start:
        args.twilio_token = args.twilio_token or "soak-" + uuid.uuid4().hex
        servers = soak_servers(Path(tempfile.mkdtemp(prefix="soak-")), args.twilio_token).start()
        args.url, args.pid, args.sms_url = servers.url, servers.rasa_pid, None
    elif not args.twilio_token:
        parser.error("--twilio-token is needed to sign the SMS (or --start)")
    host = args.url.split("//", 1)[-1].split(":")[0].split("/")[0]
    if host not in ("127.0.0.1", "localhost") and not host.startswith("127."):
        parser.error("the soak only targets this machine (a loopback address)")
    try:
        result = asyncio.run(soak(args.url, args.pid, args.twilio_token, args.minutes, args.peak_seconds, args.sms_url))
    finally:
        if servers is not None:
            servers.stop()
    summary = json.dumps(result.summary(), indent=2)
    print(summary)
    if args.output:
        Path(args.output).write_text(summary + "\n", encoding="utf-8")
    return 1 if result.errors else 0


def soak_servers(log_dir: Path, twilio_token: str, **settings: str) -> Servers:
    """The servers as `make run` starts them, with SMS open (a token) and no SMS rate limit in the way."""
    environment = {
        "TWILIO_AUTH_TOKEN": twilio_token,
        "SMS_PUBLIC_URL": "",
        "SMS_RATE_LIMIT_PER_MINUTE": "0",
        **settings,
    }
    return Servers(log_dir=log_dir, env_overrides=environment)


if __name__ == "__main__":
    sys.exit(main())
