"""The SMS channel: Twilio's webhook (POST /webhooks/sms/webhook), answered with TwiML in the same response.

credentials.yml: `bot.channels.sms.SmsInput:`. Point the Twilio number's "A message comes in" webhook here
(docs/sms.md). Unlike Rasa's own Twilio channel (notes on Rasa 3.6, section 4.1) it:

- refuses every request without a valid X-Twilio-Signature (403, nothing processed), and every request at
  all while TWILIO_AUTH_TOKEN is unset, so nobody who learns the URL can write as someone else;
- never uses, logs or stores the phone number: the conversation id is an HMAC of it under a random key kept
  in memory only: this process's, or Redis's when REDIS_URL is set, so that every server files one phone
  under one id; rotated daily, and a restart severs every link (privacy rule 2, bot/channels/conversation_ids.py);
- counts each phone's messages per minute (SMS_RATE_LIMIT_PER_MINUTE) across all servers, and answers a
  request it has already answered (the same MessageSid, a replay) with an empty reply
  (bot/channels/sms_limits.py);
- replies in the HTTP response (TwiML), so it needs no outbound API call and no credential but the token,
  and can never send a message that was not a reply (privacy rule 5);
- keeps "¡" as it is (Rasa's rewrites it to "@" and breaks Spanish);
- answers bad input with a 4xx or a polite reply, never a 5xx, and sizes replies for SMS (bot/replies/sms_segments).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from bot.channels.conversation_ids import SMS, KeyUnavailable, conversation_id, shared_keys
from bot.channels.inbound import MAX_BODY_BYTES, BadInput, clean_sender, typed_text
from bot.channels.rest import refuse_oversized_bodies, with_headers
from bot.channels.sms_limits import AnsweredMessages, rate_limiter
from bot.channels.turns import TurnOutput, conversation_language, run_turn, with_danger_line
from bot.i18n.keywords import SMS_HELP, sms_command
from bot.i18n.languages import reply_language
from bot.replies.rendering import channel_message
from bot.replies.sms_segments import pack_messages
from bot.runtime import log_privacy
from bot.stores.redis_client import shared_redis
from core import settings
from core.names import LANGUAGE

logger = logging.getLogger(__name__)

# Twilio gives up on a webhook after 15 seconds (error 11200); answer before it does.
TURN_TIMEOUT_SECONDS = 12
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
SIGNATURE_HEADER = "X-Twilio-Signature"
MAX_MESSAGE_SID_CHARS = 64
MESSAGE_SPACE = "sms-message"  # the id space of MessageSids, remembered against replays

# HELP, STOP (Twilio's own opt-out words: Twilio stops delivering to the number once it sees one) and "forget
# me" in every language come from the `sms` lists of locales/<lang>/keywords.yml, matched on the whole
# message, folded: "Stop." and "stop" count, "stop it please" does not. STOP and "forget me" delete the
# conversation at once (privacy rule 3); HELP answers the menu.
FORGET_PAYLOAD = "/forget_me"


def keyword_payload(text: str) -> str | None:
    """The button payload a keyword message stands for, or None for any other message. A word of one
    language only ("AYUDA", "quên tôi đi") also says which language to answer in, as a hint (detection could
    not tell from one word), not a lasting choice; English HELP and STOP keep the current language."""
    found = sms_command(text)
    if found is None:
        return None
    command, language = found
    payload = "/menu" if command == SMS_HELP else FORGET_PAYLOAD
    return payload + (json.dumps({LANGUAGE: language}) if language else "")


class SmsOutput(TurnOutput):
    """Collects Rasa's replies for the TwiML answer. Named "sms" so the response generator picks the SMS
    variations and writes choices as numbered lines."""

    @classmethod
    def name(cls) -> str:
        return "sms"


class _FormParams(dict):
    """Form fields, each a list of values, as twilio's RequestValidator reads a multi-valued form."""

    def getlist(self, name: str) -> list[str]:
        return self[name]


def parse_form(request: Request) -> _FormParams:
    """The webhook's form fields exactly as Twilio signed them, blank values included (Twilio signs those
    too, and Sanic's own form parser drops them)."""
    body = request.body or b""
    if len(body) > MAX_BODY_BYTES:
        raise BadInput(f"request body is larger than {MAX_BODY_BYTES} bytes", status=413)
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != FORM_CONTENT_TYPE:
        raise BadInput(f"request body must be {FORM_CONTENT_TYPE}", status=415)
    text = body.decode("utf-8", "replace")
    return _FormParams(parse_qs(text, keep_blank_values=True, encoding="utf-8", errors="replace"))


def first(form: _FormParams, name: str) -> str | None:
    values = form.get(name)
    return values[0] if values else None


def message_id(form: _FormParams) -> str:
    """Twilio's id of the message (MessageSid: "SM" and 32 hex digits), remembered against replays."""
    value = (first(form, "MessageSid") or "").strip()
    if not value or len(value) > MAX_MESSAGE_SID_CHARS:
        raise BadInput("MessageSid is missing")
    return value


def say(name: str, language: str = "en") -> list[str]:
    """A channel message (bot/replies/messages/sms.yml, core.yml) as the text of one SMS."""
    return [channel_message(name, language, "sms")["text"]]


def twiml(texts: list[str]) -> HTTPResponse:
    """The replies as TwiML: joined into one SMS while they fit the segment budget, else several."""
    reply = MessagingResponse()
    for text in pack_messages(texts):
        reply.message(text)
    return response.text(str(reply), content_type="text/xml; charset=utf-8")


def refuse(error: BadInput) -> HTTPResponse:
    return response.text(error.reason, status=error.status)


class SmsInput(InputChannel):
    """credentials.yml: `bot.channels.sms.SmsInput:` (no keys: the settings come from the environment)."""

    @classmethod
    def name(cls) -> str:
        return "sms"

    def __init__(self) -> None:
        token = settings.get("TWILIO_AUTH_TOKEN")
        self.validator = RequestValidator(token) if token else None
        self.public_url = settings.get("SMS_PUBLIC_URL").strip()
        self.keys = shared_keys()
        self.limiter = rate_limiter(shared_redis(), settings.get_int("SMS_RATE_LIMIT_PER_MINUTE"))
        self.answered = AnsweredMessages(shared_redis())
        if self.validator is None:
            logger.warning("TWILIO_AUTH_TOKEN is not set: the SMS channel refuses every request (403) until it is set.")
        elif not self.public_url:
            logger.warning(
                "SMS_PUBLIC_URL is not set: signatures are checked against the URL in each request, whose host the "
                "client chooses. Set it to the URL configured in Twilio (docs/operating.md)."
            )

    def signed_by_twilio(self, request: Request, form: _FormParams) -> bool:
        signature = request.headers.get(SIGNATURE_HEADER)
        if self.validator is None or not signature:
            return False
        # Behind a proxy Rasa sees another URL than the one Twilio called and signed.
        url = self.public_url or request.url
        try:
            return self.validator.validate(url, form, signature)
        except (UnicodeError, ValueError):
            return False

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        log_privacy.install()  # Rasa has configured its logging by now
        webhook = Blueprint("sms_webhook", __name__)
        refuse_oversized_bodies(webhook, refuse)

        @webhook.middleware("response")
        async def no_store(_: Request, result: HTTPResponse) -> None:
            with_headers(result)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if self.validator is None:
                return response.text("the SMS channel is not configured", status=403)
            try:
                form = parse_form(request)
            except BadInput as error:
                return refuse(error)
            if not self.signed_by_twilio(request, form):
                return response.text("invalid signature", status=403)
            try:
                phone = clean_sender(first(form, "From"))
                message_sid = message_id(form)
            except BadInput as error:
                return refuse(error)
            try:
                sender = conversation_id(self.keys, SMS, phone)
                replayed = not self.answered.first_time(conversation_id(self.keys, MESSAGE_SPACE, message_sid))
            except KeyUnavailable:
                return twiml(say("utter_technical_problem"))  # Redis is down: the crisis lines still go out
            if replayed:
                return twiml([])  # answered once already: a replayed request gets nothing more
            return await self._answer(request, form, sender, on_new_message)

        return webhook

    async def _answer(
        self,
        request: Request,
        form: _FormParams,
        sender: str,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> HTTPResponse:
        try:
            text: str | None = typed_text(first(form, "Body") or "")
        except BadInput as error:
            if error.status != 400:
                return refuse(error)  # longer than any SMS: not a message Twilio sent
            text = None  # a picture without words, an empty message, or only slashes
        payload = keyword_payload(text) if text else None
        # Deleting a conversation is never refused, however many messages came before.
        if not (payload or "").startswith(FORGET_PAYLOAD) and not self.limiter.allow(sender):
            return twiml(say("utter_sms_please_wait"))
        if text is None:
            return twiml(say("utter_sms_write_in_words"))
        collector = SmsOutput()
        message = UserMessage(payload or text, collector, sender, input_channel=self.name())
        if not await run_turn(on_new_message, message, TURN_TIMEOUT_SECONDS):
            return twiml(say("utter_technical_problem"))
        language = collector.language or await conversation_language(request, sender)
        replies = with_danger_line(collector.messages, reply_language(language), self.name())
        return twiml([message["text"] for message in replies if message.get("text")])

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        return None  # nothing from Twilio's request (numbers, places, ids) goes into the conversation
