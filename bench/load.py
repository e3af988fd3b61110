"""Plays conversations against a running assistant, over REST or SMS, and times every turn.

One client, in this process, for both assistants: whatever it costs, it costs both alike. A conversation is
one script's messages from one sender, at most TURNS_PER_CONVERSATION of them (a shorter script is a shorter
conversation; a longer one is cut); a virtual user plays conversations back to back, waiting for each reply
before the next message. `play_long` is one conversation of hundreds of turns, to see whether a turn costs
more as the conversation grows.

A turn the server answered with 200 but no message (the stock moodbot says nothing to a bare "no" with no
question before it: its policies predict listening) is a *silent* turn: the server did the work, so it is
timed and counted in turns per second like any other, and reported beside the errors. Only a failed request
(a 5xx, a refused connection, a timeout) is an error. Ours must always answer: `bench/targets.py` counts our
silent turns with the errors.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

import aiohttp
from twilio.request_validator import RequestValidator

TURNS_PER_CONVERSATION = 10
REQUEST_TIMEOUT_SECONDS = 120


class TurnFailed(Exception):
    pass


class RestEndpoint:
    """Rasa's REST contract (ours: bot/channels/rest.py; stock: Rasa's RestInput)."""

    channel = "rest"

    def __init__(self, base_url: str):
        self.url = base_url + "/webhooks/rest/webhook"

    def new_sender(self) -> str:
        return "bench-" + uuid.uuid4().hex

    async def turn(self, session: aiohttp.ClientSession, sender: str, text: str) -> bool:
        """Whether the assistant said something (an empty list with 200 is a silent turn)."""
        async with session.post(self.url, json={"sender": sender, "message": text}) as response:
            replies = await response.json(content_type=None) if response.status == 200 else None
        if not isinstance(replies, list):
            raise TurnFailed(f"REST answered {response.status} with {replies!r}")
        return bool(replies)


def new_phone() -> str:
    """A fresh number in Maine's 207 area for each conversation, so no two share a rate limit."""
    return f"+1207{uuid.uuid4().int % 10_000_000:07d}"


def twilio_form(phone: str, text: str) -> dict[str, str]:
    """The fields Twilio posts for an incoming SMS (the same set tests/e2e/test_sms_channel.py sends)."""
    return {
        "ToCountry": "US",
        "ToState": "ME",
        "SmsMessageSid": "SM" + uuid.uuid4().hex,
        "NumMedia": "0",
        "ToCity": "",
        "FromZip": "",
        "SmsSid": "SM" + uuid.uuid4().hex,
        "FromState": "ME",
        "SmsStatus": "received",
        "FromCity": "",
        "FromCountry": "US",
        "To": "+12075550100",
        "ToZip": "",
        "NumSegments": "1",
        "MessageSid": "SM" + uuid.uuid4().hex,
        "AccountSid": "AC" + uuid.uuid4().hex,
        "From": phone,
        "ApiVersion": "2010-04-01",
        "Body": text,
    }


class SignedSmsEndpoint:
    """Our SMS channel: every request signed as Twilio signs it; the reply is TwiML in the response."""

    channel = "sms"

    def __init__(self, base_url: str, auth_token: str):
        self.url = base_url + "/webhooks/sms/webhook"
        self.validator = RequestValidator(auth_token)

    def new_sender(self) -> str:
        return new_phone()

    async def turn(self, session: aiohttp.ClientSession, sender: str, text: str) -> bool:
        form = twilio_form(sender, text)
        headers = {"X-Twilio-Signature": self.validator.compute_signature(self.url, form)}
        async with session.post(self.url, data=form, headers=headers) as response:
            body = await response.text()
        if response.status != 200:
            raise TurnFailed(f"SMS answered {response.status}")
        return "<Message>" in body


class StockTwilioEndpoint:
    """Rasa's own Twilio channel: unsigned form in, replies sent through Twilio's API (stubbed), 204 back."""

    channel = "sms"

    def __init__(self, base_url: str):
        self.url = base_url + "/webhooks/twilio/webhook"

    def new_sender(self) -> str:
        return new_phone()

    async def turn(self, session: aiohttp.ClientSession, sender: str, text: str) -> bool:
        """Always True: the channel's 204 does not say whether a reply was sent through Twilio's API."""
        async with session.post(self.url, data=twilio_form(sender, text)) as response:
            await response.read()
        if response.status not in (200, 204):
            raise TurnFailed(f"Twilio channel answered {response.status}")
        return True


@dataclass
class LoadResult:
    conversations: int
    latencies_ms: list[float] = field(default_factory=list)  # every turn the server answered, silent ones too
    errors: int = 0
    silent: int = 0
    seconds: float = 0.0

    @property
    def turns(self) -> int:
        return len(self.latencies_ms) + self.errors

    @property
    def turns_per_second(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0


async def play(
    endpoint, conversations: Sequence[Sequence[str]], users: int, turns_each: int, first_conversation: int = 0
) -> LoadResult:
    """`users` people at once, each sending `turns_each` messages; a user's k-th conversation is
    conversations[(first_conversation + number + users * k) % len(conversations)], played to its end (at most
    TURNS_PER_CONVERSATION turns), then the next one from a new sender."""
    result = LoadResult(conversations=users)

    async def user(number: int, session: aiohttp.ClientSession) -> None:
        script: Sequence[str] = ()
        sender, position, played = "", 0, 0
        for _ in range(turns_each):
            if position >= min(len(script), TURNS_PER_CONVERSATION):
                script = conversations[(first_conversation + number + users * played) % len(conversations)]
                sender, position, played = endpoint.new_sender(), 0, played + 1
            text = script[position]
            position += 1
            began = time.perf_counter()
            try:
                said_something = await endpoint.turn(session, sender, text)
            except (TurnFailed, aiohttp.ClientError, asyncio.TimeoutError):
                result.errors += 1
                continue
            result.latencies_ms.append((time.perf_counter() - began) * 1000)
            result.silent += not said_something

    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        began = time.perf_counter()
        await asyncio.gather(*(user(number, session) for number in range(users)))
        result.seconds = time.perf_counter() - began
    return result


def run(
    endpoint, conversations: Sequence[Sequence[str]], users: int, turns_each: int, first_conversation: int = 0
) -> LoadResult:
    return asyncio.run(play(endpoint, conversations, users, turns_each, first_conversation))


@dataclass
class LongResult:
    latencies_ms: list[float | None] = field(default_factory=list)  # one per turn; None: the turn failed
    silent: int = 0


async def play_long(endpoint, messages: Sequence[str], turns: int) -> LongResult:
    """One conversation of `turns` turns from one sender, cycling through `messages`."""
    result = LongResult()
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        sender = endpoint.new_sender()
        for turn in range(turns):
            began = time.perf_counter()
            try:
                said_something = await endpoint.turn(session, sender, messages[turn % len(messages)])
            except (TurnFailed, aiohttp.ClientError, asyncio.TimeoutError):
                result.latencies_ms.append(None)
                continue
            result.latencies_ms.append((time.perf_counter() - began) * 1000)
            result.silent += not said_something
    return result


def run_long(endpoint, messages: Sequence[str], turns: int) -> LongResult:
    return asyncio.run(play_long(endpoint, messages, turns))
