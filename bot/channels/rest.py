"""The REST channel for partner apps: POST /webhooks/rest/webhook, as Rasa's own, but safe with bad input.

Body: {"sender": "...", "message": "...", "metadata": {"language": "so"}}. As in Rasa's own channel, a
button's payload comes as the message ("/need_shelter"); only a payload of the assistant's own form is read
as one, anything else that starts with "/" is words (bot/channels/inbound.py). Replies: a JSON list of
{"recipient_id", "text", "buttons"?}. Unlike Rasa's RestInput it answers malformed or oversized requests with
a 4xx, bounds how long a turn may take, and never logs the message (Rasa's logs it at ERROR on a timeout).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.exceptions import PayloadTooLarge
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.inbound import MAX_BODY_BYTES, BadInput, clean_metadata, clean_sender, text_or_payload
from bot.channels.turns import payload_names, run_turn
from bot.i18n.languages import reply_language
from bot.replies.rendering import channel_message
from bot.runtime import log_privacy

TURN_TIMEOUT_SECONDS = 30


def parse_body(request: Request) -> dict[str, Any]:
    if len(request.body or b"") > MAX_BODY_BYTES:
        raise BadInput(f"request body is larger than {MAX_BODY_BYTES} bytes", status=413)
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        raise BadInput("request body must be JSON") from None
    if not isinstance(body, dict):
        raise BadInput("request body must be a JSON object")
    return body


def refuse_oversized_bodies(blueprint: Blueprint, reply: Callable[[BadInput], HTTPResponse]) -> None:
    """Sanic refuses a body over the server's size limit (bot/runtime/serve.py) before the channel sees it; answer
    that 413 the way the channel answers its own refusals."""

    @blueprint.exception(PayloadTooLarge)
    async def too_large(_: Request, __: Exception) -> HTTPResponse:
        return reply(BadInput(f"request body is larger than {MAX_BODY_BYTES} bytes", status=413))


def refuse_as_json(error: BadInput) -> HTTPResponse:
    return response.json({"error": error.reason}, status=error.status)


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

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        log_privacy.install()  # Rasa has configured its logging by now
        webhook = Blueprint("safe_rest_webhook", __name__)
        refuse_oversized_bodies(webhook, refuse_as_json)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = parse_body(request)
                sender = clean_sender(body.get("sender"))
                text = text_or_payload(body.get("message"), payload_names(request))
                metadata = clean_metadata(body.get("metadata"))
            except BadInput as error:
                return refuse_as_json(error)
            collector = CollectingOutputChannel()
            message = UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata)
            if not await run_turn(on_new_message, message, TURN_TIMEOUT_SECONDS):
                return response.json(technical_problem(sender, metadata))
            return response.json(collector.messages)

        return webhook

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        return None
