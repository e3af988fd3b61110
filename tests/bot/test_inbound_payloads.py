"""Typed text never becomes a payload, and nothing a channel passes on makes Rasa warn with a person's words."""

from __future__ import annotations

import json
import logging
import warnings

import pytest
import structlog
from rasa.shared.core.domain import Domain
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.channels.inbound import BadInput, PayloadNames, button_payload, text_or_payload, typed_text
from bot.runtime import log_privacy
from tests.conftest import PROJECT_ROOT

SECRET = "Zelda Quist 207-555-0199 zq@example.org"
DOMAIN = Domain.load(str(PROJECT_ROOT / "domain"))
NAMES = PayloadNames(frozenset(DOMAIN.intents), frozenset(DOMAIN.entities))

# What a person may type at a kiosk or in a text, each with the secret in it.
HOSTILE = [
    f"/notanintent my name is {SECRET}",
    f"/greet my name is {SECRET}",
    f"/greet{{not json {SECRET}}}",
    f'/greet{{"unknown_entity": "{SECRET}"}}',
    f'/greet{{"language": ["{SECRET}"]}}',
    f"/greet@7 {SECRET}",
    f"/greet@0.5{{}} {SECRET}",
    f"// /{SECRET}",
    f" /{SECRET}",
    f'/greet{{"language":\n"{SECRET}"}}',
    f"/{{{SECRET}}}",
]


def rasa_reads(text: str) -> tuple[Message, list[str]]:
    """What Rasa's payload reader makes of the text, and every warning or structured event it produced."""
    with warnings.catch_warnings(record=True) as caught, structlog.testing.capture_logs() as events:
        warnings.simplefilter("always")
        message = YAMLStoryReader.unpack_regex_message(Message({TEXT: text}), DOMAIN)
    return message, [str(w.message) for w in caught] + [json.dumps(e, default=str) for e in events]


@pytest.mark.parametrize("text", HOSTILE)
def test_rasa_would_warn_with_the_secret_or_take_it_as_a_payload_if_given_the_text_as_typed(text):
    message, said = rasa_reads(text.strip())
    assert any("Zelda" in line for line in said) or message.get(INTENT) is not None  # what this module prevents


@pytest.mark.parametrize("text", HOSTILE)
def test_typed_text_is_words_and_rasa_has_nothing_to_warn_about(text):
    words = typed_text(text)
    assert not words.startswith("/") and "Zelda" in words
    message, said = rasa_reads(words)
    assert said == [] and message.get(INTENT) is None


@pytest.mark.parametrize("text", HOSTILE)
def test_rest_reads_anything_but_a_well_formed_payload_as_words(text):
    passed_on = text_or_payload(text, NAMES)
    assert not passed_on.startswith("/")
    assert rasa_reads(passed_on)[1] == []


@pytest.mark.parametrize(
    "payload, intent",
    [
        ("/need_shelter", "need_shelter"),
        ('/choose_language{"language": "so", "language_chosen": "so"}', "choose_language"),
        ('/ask_legal_options{"legal_option": "t_visa"}', "ask_legal_options"),
        ("/restart", "restart"),
    ],
)
def test_the_assistants_own_payloads_pass_and_rasa_reads_them_silently(payload, intent):
    assert button_payload(payload, NAMES) == payload
    assert text_or_payload(payload, NAMES) == payload
    message, said = rasa_reads(payload)
    assert said == [] and message.get(INTENT)["name"] == intent


@pytest.mark.parametrize("text", [*HOSTILE, "hello", "/", "/need_shelter please"])
def test_a_button_field_refuses_anything_else(text):
    with pytest.raises(BadInput):
        button_payload(text, NAMES)


def test_without_a_loaded_model_every_slash_message_is_words():
    assert text_or_payload("/need_shelter", None) == "need_shelter"


@pytest.mark.parametrize("text", ["/", " / ", "///", "/ \n /"])
def test_only_slashes_is_an_empty_message(text):
    with pytest.raises(BadInput, match="empty"):
        typed_text(text)


@pytest.fixture
def installed():
    """log_privacy installed as in the server, and the global state it touches restored afterwards."""
    processors = list(structlog.get_config()["processors"])
    with warnings.catch_warnings():
        warnings.filterwarnings("once", category=UserWarning)  # as Rasa's `rasa run` sets it
        log_privacy.install()
        yield
    structlog.get_config()["processors"][:] = processors


def test_rasas_parse_warning_is_neither_shown_nor_remembered(installed):
    registry: dict = {}
    text = f"Failed to parse arguments in line '/x {SECRET}'."
    with warnings.catch_warnings(record=True) as caught:
        warnings.warn_explicit(text, UserWarning, "yaml_story_reader.py", 1, registry=registry)
    assert caught == []
    assert not any(SECRET in str(key) for key in [*registry, *warnings.onceregistry])


def test_structured_events_lose_private_fields_at_every_level(installed):
    event = log_privacy.redact_private_fields(None, "warning", {"event": "message.parsing.failed", "user_text": SECRET})
    assert event == {"event": "message.parsing.failed", "user_text": log_privacy.REDACTED}
    assert structlog.get_config()["processors"][0] is log_privacy.redact_private_fields
    log_privacy.install()
    assert structlog.get_config()["processors"].count(log_privacy.redact_private_fields) == 1


def test_sanics_unhandled_error_report_names_the_path_only(installed, caplog):
    """Sanic's ErrorHandler.log prints the whole URL (Rasa's API token travels as ?token=) and the traceback."""
    from sanic.log import error_logger

    url = "http://h:5005/conversations/abc/tracker?token=s3cr3t-api-token"
    with caplog.at_level("ERROR", logger="sanic.error"):
        try:
            raise KeyError(SECRET)
        except KeyError:
            # Word for word what sanic/handlers.py (ErrorHandler.log) does.
            error_logger.exception("Exception occurred while handling uri: %s", repr(url))
    [record] = caplog.records
    assert record.getMessage() == "An unhandled error (KeyError) on /conversations/abc/tracker"
    assert record.exc_info is None and SECRET not in caplog.text and "s3cr3t" not in caplog.text
    assert logging.getLogger("sanic.error").filters.count(log_privacy._PATH_ONLY) == 1
