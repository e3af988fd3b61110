"""The REST channel for partner apps: POST /webhooks/rest/webhook, as Rasa's own, but safe with bad input.

Body: {"sender": "...", "message": "...", "metadata": {"language": "so"}}. As in Rasa's own channel, a
button's payload comes as the message ("/need_shelter"); only a payload of the assistant's own form is read
as one, anything else that starts with "/" is words (bot/channels/inbound.py). Replies: a JSON list of
{"recipient_id", "text", "buttons"?}. Unlike Rasa's RestInput it answers malformed or oversized requests with
a 4xx, bounds how long a turn may take, and never logs the message (Rasa's logs it at ERROR on a timeout).

Partner apps (REST_PARTNER_TOKENS): each has its own token, sent as `Authorization: Bearer <token>`; once
any is configured, a request without a valid one gets 401. Each partner's senders live in their own id space
(bot/channels/conversation_ids.py), so two partners' "user-1" are two conversations, and neither is a kiosk's
or a phone's. Of the metadata only `language` reaches Rasa: anything else would be kept with the
conversation and sent to the action server on every turn.

Rasa's HTTP API (open only behind RASA_API_TOKEN) finds a conversation by the id Rasa files it under, which only
this server can derive: `GET /webhooks/rest/conversation_id?sender=...`, with `Authorization: Bearer
<RASA_API_TOKEN>`, tells it to whoever holds that token, who can read every conversation anyway (`make
evaluate` reads the intents it scores this way). Without the API token the route does not answer (404).
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.exceptions import PayloadTooLarge
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.conversation_ids import REST, KeyUnavailable, conversation_id, shared_keys
from bot.channels.inbound import (
    MAX_BODY_BYTES,
    BadInput,
    clean_metadata,
    clean_sender,
    parse_json_object,
    text_or_payload,
)
from bot.channels.turns import TurnOutput, conversation_language, payload_names, run_turn, with_danger_line
from bot.i18n.languages import reply_language
from bot.replies.rendering import channel_message
from bot.runtime import log_privacy
from core import settings

TURN_TIMEOUT_SECONDS = 30
MIN_TOKEN_CHARS = 16
_PARTNER_NAME = re.compile(r"[A-Za-z0-9_.-]{1,40}\Z")
_TOKEN = re.compile(r"[\x21-\x7e]+\Z")  # printable ASCII, no spaces: what fits in a header as it is
# Replies carry no cache or type-guessing licence: a shared proxy or browser must not keep what someone was told.
RESPONSE_HEADERS = {"Cache-Control": "no-store", "Pragma": "no-cache", "X-Content-Type-Options": "nosniff"}


@dataclass(frozen=True)
class Partner:
    name: str
    token: str = ""

    @property
    def id_space(self) -> str:
        return f"{REST}:{self.name}" if self.token else REST


ANYONE = Partner("anyone")


def partners_from_setting(value: str) -> tuple[Partner, ...]:
    """REST_PARTNER_TOKENS ("name:token,name:token") as partners; a malformed value stops the server at start-up
    rather than leave the channel open or shut by accident. The tokens are never logged."""
    partners: list[Partner] = []
    for entry in filter(None, (part.strip() for part in value.split(","))):
        name, _, token = entry.partition(":")
        name, token = name.strip(), token.strip()
        if not _PARTNER_NAME.match(name):
            raise ValueError("REST_PARTNER_TOKENS: a partner's name must be 1 to 40 letters, digits, '.', '_' or '-'.")
        if len(token) < MIN_TOKEN_CHARS or not _TOKEN.match(token):
            raise ValueError(
                f"REST_PARTNER_TOKENS: the token of {name} must be {MIN_TOKEN_CHARS} or more printable characters "
                "without spaces or commas."
            )
        if any(partner.name == name or partner.token == token for partner in partners):
            raise ValueError(f"REST_PARTNER_TOKENS: {name} is listed twice, or shares its token with another partner.")
        partners.append(Partner(name, token))
    return tuple(partners)


def partner_of(request: Request, partners: tuple[Partner, ...]) -> Partner:
    """The partner whose token the request carries; everyone is welcome while no partner is configured."""
    if not partners:
        return ANYONE
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() == "bearer" and token:
        for partner in partners:  # compared in constant time, and every one of them
            if hmac.compare_digest(partner.token.encode(), token.strip().encode()):
                return partner
    raise BadInput("a partner token is required (Authorization: Bearer <token>)", status=401)


def parse_body(request: Request) -> dict[str, Any]:
    return parse_json_object(request.body or b"")


def refuse_oversized_bodies(blueprint: Blueprint, reply: Callable[[BadInput], HTTPResponse]) -> None:
    """Sanic refuses a body over the server's size limit (bot/runtime/serve.py) before the channel sees it; answer
    that 413 the way the channel answers its own refusals."""

    @blueprint.exception(PayloadTooLarge)
    async def too_large(_: Request, __: Exception) -> HTTPResponse:
        return reply(BadInput(f"request body is larger than {MAX_BODY_BYTES} bytes", status=413))


def refuse_as_json(error: BadInput) -> HTTPResponse:
    refusal = response.json({"error": error.reason}, status=error.status)
    if error.status == 401:
        refusal.headers["WWW-Authenticate"] = "Bearer"
    return refusal


def with_headers(result: HTTPResponse) -> HTTPResponse:
    result.headers.update(RESPONSE_HEADERS)
    return result


def addressed_to(messages: list[dict], sender: str) -> list[dict]:
    """Rasa addresses each reply to the conversation id; the partner knows its own sender, and only that."""
    return [{**message, "recipient_id": sender} for message in messages]


def technical_problem(sender: str, metadata: dict) -> list[dict]:
    """Said when a turn fails or takes too long: still the crisis number, in the language asked for."""
    language = reply_language(metadata.get("language"))
    message = channel_message("utter_technical_problem", language)
    return [{"recipient_id": sender, **message}]


class SafeRestInput(InputChannel):
    """credentials.yml: `bot.channels.rest.SafeRestInput:`."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def __init__(self) -> None:
        self.partners = partners_from_setting(settings.get("REST_PARTNER_TOKENS"))
        self.keys = shared_keys()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        log_privacy.install()  # Rasa has configured its logging by now
        webhook = Blueprint("safe_rest_webhook", __name__)
        refuse_oversized_bodies(webhook, refuse_as_json)

        @webhook.middleware("response")
        async def no_store(_: Request, result: HTTPResponse) -> None:
            with_headers(result)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/conversation_id", methods=["GET"])
        async def conversation_of(request: Request) -> HTTPResponse:
            api_token = settings.get("RASA_API_TOKEN")
            if not api_token:
                return response.json({"error": "not found"}, status=404)
            scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), api_token.encode()):
                return refuse_as_json(BadInput("the API token is required (Authorization: Bearer <token>)", 401))
            try:
                sender = clean_sender(request.args.get("sender"))
                return response.json({"conversation_id": conversation_id(self.keys, ANYONE.id_space, sender)})
            except BadInput as error:
                return refuse_as_json(error)
            except KeyUnavailable:
                return refuse_as_json(BadInput("the conversation-id key is unavailable (Redis)", 503))

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                partner = partner_of(request, self.partners)
                body = parse_body(request)
                sender = clean_sender(body.get("sender"))
                text = text_or_payload(body.get("message"), payload_names(request))
                metadata = clean_metadata(body.get("metadata"))
            except BadInput as error:
                return refuse_as_json(error)
            try:
                conversation = conversation_id(self.keys, partner.id_space, sender)
            except KeyUnavailable:
                return response.json(technical_problem(sender, metadata))  # Redis is down: the crisis lines still
            collector = TurnOutput()
            message = UserMessage(text, collector, conversation, input_channel=self.name(), metadata=metadata)
            if not await run_turn(on_new_message, message, TURN_TIMEOUT_SECONDS):
                return response.json(technical_problem(sender, metadata))
            language = collector.language or await conversation_language(request, conversation)
            replies = with_danger_line(collector.messages, reply_language(language), self.name())
            return response.json(addressed_to(replies, sender))

        return webhook

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        return None
