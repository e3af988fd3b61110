"""The SMS channel over the real servers, with requests signed exactly as Twilio signs them.

Its own servers (a token set, so the shared ones stay as `make run` starts them without one), and a second
pair with SMS_PUBLIC_URL set, started only for the public-URL test. The last test reads every log line.
The channel's parts that need no server (rate limiter, keywords) are checked here too, in one place.
"""

from __future__ import annotations

import os
import uuid
import xml.etree.ElementTree as ET

import pytest
import requests
from twilio.request_validator import RequestValidator

from bot.channels.sms import FORGET_PAYLOAD, keyword_payload
from bot.replies.rendering import channel_messages, render_response
from bot.replies.sms_segments import MAX_SEGMENTS, pack_messages, segments
from tests.conftest import domain_responses, without_danger_line
from tools.servers import Servers

pytestmark = pytest.mark.e2e

TOKEN = "test-auth-token-" + uuid.uuid4().hex
PUBLIC_URL = "https://sms.example.org/twilio/incoming"
WEBHOOK = "/webhooks/sms/webhook"
RATE_LIMIT = 10
TIMEOUT = 30
RESPONSES = domain_responses()

SENT_PHONES: list[str] = []
SENT_TEXTS: list[str] = []


@pytest.fixture(scope="module")
def sms_servers(tmp_path_factory):
    running = Servers(
        log_dir=tmp_path_factory.mktemp("sms-server-logs"),
        env_overrides={"TWILIO_AUTH_TOKEN": TOKEN, "SMS_PUBLIC_URL": "", "SMS_RATE_LIMIT_PER_MINUTE": str(RATE_LIMIT)},
    )
    try:
        yield running.start()
    finally:
        running.stop()


@pytest.fixture(scope="module")
def public_url_servers(tmp_path_factory):
    running = Servers(
        log_dir=tmp_path_factory.mktemp("sms-public-url-logs"),
        env_overrides={"TWILIO_AUTH_TOKEN": TOKEN, "SMS_PUBLIC_URL": PUBLIC_URL},
    )
    try:
        yield running.start()
    finally:
        running.stop()


def new_phone() -> str:
    """A fresh E.164 number in Maine's 207 area, so no two tests share a conversation or a rate limit."""
    phone = f"+1207{uuid.uuid4().int % 10_000_000:07d}"
    SENT_PHONES.append(phone)
    return phone


def twilio_form(phone: str, body: str | None, **extra: str) -> dict[str, str]:
    """The fields Twilio posts for an incoming SMS, blank ones included (Twilio signs those too)."""
    form = {
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
    }
    if body is not None:
        form["Body"] = body
        SENT_TEXTS.append(body)
    form.update(extra)
    return form


def signature(url: str, form: dict[str, str], token: str = TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, form)


def post(servers: Servers, form: dict[str, str], signed_url: str | None = "", token: str = TOKEN) -> requests.Response:
    """POST the form as Twilio does; signed over signed_url ("" means the request URL; None: unsigned)."""
    url = servers.url + WEBHOOK
    headers = {}
    if signed_url is not None:
        headers["X-Twilio-Signature"] = signature(signed_url or url, form, token)
    return requests.post(url, data=form, headers=headers, timeout=TIMEOUT)


def replies(response: requests.Response) -> list[str]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/xml")
    assert response.text.startswith('<?xml version="1.0" encoding="UTF-8"?><Response')
    root = ET.fromstring(response.content)
    assert root.tag == "Response"
    return without_danger_line([message.text or "" for message in root.findall("Message")])


def text(servers: Servers, phone: str, body: str) -> list[str]:
    return replies(post(servers, twilio_form(phone, body)))


def expected(name: str, language: str, responses=RESPONSES) -> list[str]:
    """What the person should receive, as the channel sizes it."""
    return pack_messages([render_response(responses, name, language, "sms")["text"]])


def channel_message(name: str, language: str = "en") -> list[str]:
    return expected(name, language, channel_messages())


# --- a signed message is answered in its language ---------------------------------------------------------


def test_a_somali_message_gets_a_somali_answer(sms_servers):
    answer = text(sms_servers, new_phone(), "ninkayga ayaa i garaaca")
    assert answer == expected("utter_domestic_violence", "so")
    assert answer != expected("utter_domestic_violence", "en")


def test_a_text_without_911_ends_with_the_911_line_in_its_language(sms_servers):
    answer = post(sms_servers, twilio_form(new_phone(), "¡Hola!"))
    sent = [message.text or "" for message in ET.fromstring(answer.content).findall("Message")]
    line = channel_message("utter_danger_line", "es")[0]
    assert "911" not in expected("utter_greet", "es")[0] and sent[-1].endswith(line)
    assert sent != replies(answer)  # the helper every other test uses takes exactly this line off


def test_spanish_inverted_exclamation_reaches_rasa_unchanged(sms_servers):
    # Rasa's own Twilio channel turns "¡" into "@"; "@Hola!" would not be recognised as Spanish.
    answer = text(sms_servers, new_phone(), "¡Hola!")
    assert answer == expected("utter_greet", "es")
    assert answer != expected("utter_greet", "en")


def test_an_arabic_answer_keeps_the_segment_budget(sms_servers):
    answer = text(sms_servers, new_phone(), "صاحب العمل أخذ جواز سفري ويقول إنني مدين له بالمال")
    assert answer == expected("utter_trafficking", "ar")
    assert len(answer) > 1, "the Arabic trafficking answer is longer than one message of three segments"
    assert all(segments(message) <= MAX_SEGMENTS for message in answer)


# --- signatures -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "how",
    ["unsigned", "wrong token", "signed over other fields", "garbage signature"],
)
def test_a_forged_or_unsigned_request_is_refused_and_processes_nothing(sms_servers, how):
    phone = new_phone()
    # The forged message chooses Somali; had it been processed, the next answer would be in Somali.
    form = twilio_form(phone, "Soomaali")
    url = sms_servers.url + WEBHOOK
    headers = {
        "unsigned": {},
        "wrong token": {"X-Twilio-Signature": signature(url, form, token="not-the-token")},
        "signed over other fields": {"X-Twilio-Signature": signature(url, {**form, "Body": "hello"})},
        "garbage signature": {"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"},
    }[how]
    response = requests.post(url, data=form, headers=headers, timeout=TIMEOUT)
    assert response.status_code == 403
    assert "<Message>" not in response.text
    assert text(sms_servers, phone, "hello") == expected("utter_greet", "en")


def test_the_signature_is_checked_over_the_public_url_when_set(public_url_servers):
    phone = new_phone()
    assert post(public_url_servers, twilio_form(phone, "hello"), signed_url=None).status_code == 403
    # Behind a proxy the URL Rasa sees is not the one Twilio called and signed.
    assert post(public_url_servers, twilio_form(phone, "hello"), signed_url="").status_code == 403
    answer = replies(post(public_url_servers, twilio_form(phone, "hello"), signed_url=PUBLIC_URL))
    assert answer == expected("utter_greet", "en")


def test_without_a_token_every_request_is_refused(servers):
    if os.environ.get("TWILIO_AUTH_TOKEN"):
        pytest.skip("the shared servers were started with a token from the environment")
    phone = new_phone()
    for signed_url in (None, ""):
        assert post(servers, twilio_form(phone, "hello"), signed_url=signed_url).status_code == 403
    assert "TWILIO_AUTH_TOKEN is not set" in servers.logs()
    assert requests.get(servers.url + "/webhooks/sms/", timeout=TIMEOUT).json() == {"status": "ok"}


# --- numbered choices, keywords, language ------------------------------------------------------------------


@pytest.mark.parametrize("first", ["hello", "HELP"])
def test_a_digit_picks_the_numbered_choice(sms_servers, first):
    phone = new_phone()
    shown = text(sms_servers, phone, first)
    assert "\n1. I am in danger now" in "\n".join(shown)
    assert text(sms_servers, phone, "1") == expected("utter_danger", "en")


def test_a_digit_picks_a_language_then_the_menu(sms_servers):
    phone = new_phone()
    choices = "\n".join(text(sms_servers, phone, "change language"))
    somali = next(line.split(".")[0] for line in choices.splitlines() if line.endswith(". Soomaali"))
    assert text(sms_servers, phone, somali) == expected("utter_language_set", "so")
    assert text(sms_servers, phone, "1") == expected("utter_danger", "so")


def test_a_digit_with_nothing_to_choose_offers_the_menu(sms_servers):
    phone = new_phone()
    text(sms_servers, phone, "thank you")
    assert text(sms_servers, phone, "1") == expected("utter_menu", "en")


@pytest.mark.parametrize(
    "keyword, language",
    [
        ("HELP", "en"),
        ("help", "en"),
        ("Help!", "en"),
        ("AYUDA", "es"),
        ("AIDE", "fr"),
        ("AJUDA", "pt"),
        ("مساعدة", "ar"),
        ("CAAWIMAAD", "so"),
    ],
)
def test_help_in_any_language_gives_the_menu(sms_servers, keyword, language):
    assert text(sms_servers, new_phone(), keyword) == expected("utter_menu", language)


@pytest.mark.parametrize(
    "word", ["STOP", "stop", "Stop.", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "forget me"]
)
def test_stop_and_forget_me_confirm_and_delete(sms_servers, word):
    phone = new_phone()
    assert text(sms_servers, phone, "Soomaali") == expected("utter_language_set", "so")
    assert text(sms_servers, phone, word) == expected("utter_forgotten", "so")
    # The conversation, and the language chosen in it, are gone: the next message starts over in English.
    assert text(sms_servers, phone, "hello") == expected("utter_greet", "en")


@pytest.mark.parametrize(
    "name, language", [("español", "es"), ("Soomaali", "so"), ("العربية", "ar"), ("Français", "fr")]
)
def test_a_language_name_switches_the_language(sms_servers, name, language):
    phone = new_phone()
    assert text(sms_servers, phone, name) == expected("utter_language_set", language)
    assert text(sms_servers, phone, "my husband hits me") == expected("utter_domestic_violence", language)


# --- rate limit -------------------------------------------------------------------------------------------------


def test_over_the_rate_limit_the_answer_is_a_polite_wait(sms_servers):
    phone, other = new_phone(), new_phone()
    for _ in range(RATE_LIMIT):
        assert text(sms_servers, phone, "hello") == expected("utter_greet", "en")
    assert text(sms_servers, phone, "hello") == channel_message("utter_sms_please_wait")
    assert text(sms_servers, other, "hello") == expected("utter_greet", "en")  # per sender
    # Deleting is never refused.
    assert text(sms_servers, phone, "STOP") == expected("utter_forgotten", "en")


# --- bad input: a 4xx or a polite answer, never a 5xx, never a hang ------------------------------------------


def post_raw(servers, body: bytes, content_type: str = "application/x-www-form-urlencoded", sign: dict | None = None):
    url = servers.url + WEBHOOK
    headers = {"Content-Type": content_type}
    if sign is not None:
        headers["X-Twilio-Signature"] = signature(url, sign)
    return requests.post(url, data=body, headers=headers, timeout=TIMEOUT)


@pytest.mark.parametrize(
    "form",
    [
        pytest.param(
            {"NumMedia": "1", "MediaUrl0": "https://api.twilio.com/media/1", "MediaContentType0": "image/jpeg"},
            id="picture-only",
        ),
        pytest.param({"Body": ""}, id="empty-body"),
        pytest.param({"Body": " \t\n "}, id="blank-body"),
        pytest.param({}, id="missing-body"),
    ],
)
def test_a_message_without_words_asks_for_words(sms_servers, form):
    base = twilio_form(new_phone(), None)
    assert replies(post(sms_servers, {**base, **form})) == channel_message("utter_sms_write_in_words")


@pytest.mark.parametrize("body", ["help\x00 me\x07 now", "\u202e\u200b", "😀😀😀", "\ufffd lone surrogate"])
def test_odd_text_gets_an_answer(sms_servers, body):
    answer = replies(post(sms_servers, twilio_form(new_phone(), body)))
    assert answer and all(answer)


def test_a_lone_surrogate_is_refused_unsigned_and_answered_when_signed(sms_servers):
    phone = new_phone()
    sid = "SM" + uuid.uuid4().hex
    raw = b"From=" + phone.replace("+", "%2B").encode() + b"&Body=%ED%A0%80+lone&NumMedia=0&MessageSid=" + sid.encode()
    assert post_raw(sms_servers, raw).status_code == 403
    # The server reads the invalid UTF-8 as U+FFFD; Twilio would have signed what it sent.
    signed_form = {"From": phone, "Body": "\ufffd\ufffd\ufffd lone", "NumMedia": "0", "MessageSid": sid}
    signed = post_raw(sms_servers, raw, sign=signed_form)
    assert replies(signed)


@pytest.mark.parametrize(
    "body, content_type, status",
    [
        (b"Body=" + b"x" * 1_000_000, "application/x-www-form-urlencoded", 413),
        (b'{"From": "+12075550123", "Body": "hello"}', "application/json", 415),
        (b"\xff\xfe\x00garbage", "application/octet-stream", 415),
        (b"", "text/plain", 415),
        (b"", "application/x-www-form-urlencoded", 403),
        (b"\xff\xfe\x00garbage", "application/x-www-form-urlencoded", 403),
    ],
)
def test_bad_requests_get_a_4xx(sms_servers, body, content_type, status):
    assert post_raw(sms_servers, body, content_type).status_code == status


@pytest.mark.parametrize(
    "form, status",
    [
        ({"Body": "hello", "MessageSid": "SM1"}, 400),  # no From: no one to answer
        ({"Body": "hello", "From": "", "MessageSid": "SM2"}, 400),
        ({"Body": "hello", "From": "+12075550123"}, 400),  # no MessageSid: Twilio always sends one
        ({"Body": "hello", "From": "+12075550123", "MessageSid": "SM" * 40}, 400),
        ({"Body": "x" * 5000, "From": "+12075550123", "MessageSid": "SM3"}, 413),  # longer than Twilio ever sends
    ],
)
def test_signed_but_malformed_requests_get_a_4xx(sms_servers, form, status):
    assert post(sms_servers, form).status_code == status


# --- replays ------------------------------------------------------------------------------------------------


def test_the_same_signed_request_twice_is_answered_once(sms_servers):
    phone = new_phone()
    form = twilio_form(phone, "Soomaali")
    assert replies(post(sms_servers, form)) == expected("utter_language_set", "so")
    replay = post(sms_servers, form)
    assert replies(replay) == []  # an empty <Response/>: nothing sent twice, nothing processed twice
    assert replay.text == '<?xml version="1.0" encoding="UTF-8"?><Response />'
    # Processed once: the conversation has one turn more, not two (a new message is answered as usual).
    assert text(sms_servers, phone, "hello") == expected("utter_greet", "so")


def test_a_token_without_a_public_url_is_warned_about_at_start_up(sms_servers, public_url_servers):
    assert "SMS_PUBLIC_URL is not set" in sms_servers.logs()
    assert "SMS_PUBLIC_URL is not set" not in public_url_servers.logs()


def test_sms_replies_are_never_cached(sms_servers):
    response = post(sms_servers, twilio_form(new_phone(), "hello"))
    assert response.headers["Cache-Control"] == "no-store" and response.headers["X-Content-Type-Options"] == "nosniff"


def test_health_check(sms_servers):
    assert requests.get(sms_servers.url + "/webhooks/sms/", timeout=TIMEOUT).json() == {"status": "ok"}
    assert requests.get(sms_servers.url + WEBHOOK, timeout=TIMEOUT).status_code == 405


# --- the channel's parts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message, payload",
    [
        ("STOP", FORGET_PAYLOAD),
        (" stop ", FORGET_PAYLOAD),
        ("Quit!", FORGET_PAYLOAD),
        ("Forget me", FORGET_PAYLOAD),
        ("HELP", "/menu"),
        ("ayuda", '/menu{"language": "es"}'),
        ("Ajuda", '/menu{"language": "pt"}'),
        ("مساعدة", '/menu{"language": "ar"}'),
        ("Caawimaad", '/menu{"language": "so"}'),
        ("stop hitting me", None),
        ("help me please", None),
        ("hello", None),
        ("1", None),
    ],
)
def test_keywords(message, payload):
    assert keyword_payload(message) == payload


# --- last: nothing identifying reached the logs -----------------------------------------------------------------

CANARY = "My name is Zelda Quistorp and I live at 42 Larkspur Lane"


def test_no_phone_number_or_message_text_in_any_log(sms_servers, public_url_servers):
    text(sms_servers, new_phone(), CANARY)
    logs = sms_servers.logs() + public_url_servers.logs()
    assert sms_servers.logs().strip(), "the servers wrote no log at all: the capture is broken"
    for phone in SENT_PHONES:
        assert phone[2:] not in logs  # without "+1", so no formatting of the number escapes the check
    for secret in ["Zelda", "Quistorp", "Larkspur"]:
        assert secret not in logs
    for sent in SENT_TEXTS:
        if len(sent) >= 12:
            assert sent not in logs


# --- services, courts and the questionnaire by text message -----------------------------------------------


@pytest.mark.parametrize(
    "body, language",
    [
        ("Necesito un abogado gratis en Portland", "es"),
        ("I need a lawyer in Bangor", "en"),
        ("أحتاج محامي مجاني في بورتلاند", "ar"),
    ],
)
def test_services_by_text_message_are_short(sms_servers, body, language):
    """One message of at most three segments in GSM-7 (English); accents and Arabic need UCS-2, a third of the
    room per segment, and then take at most two messages."""
    from actions.replies import Replies

    answer = text(sms_servers, new_phone(), body)
    assert all(segments(message) <= MAX_SEGMENTS for message in answer)
    assert len(answer) <= (1 if language == "en" else 2), answer
    assert Replies(language, "sms").text("utter_services_more") in answer[-1]


def test_the_questionnaire_by_text_message_takes_digits_as_answers(sms_servers):
    phone = new_phone()
    first = "\n".join(text(sms_servers, phone, "which legal options fit me"))
    assert "Are you under 18?\n1. Yes\n2. No\n3. Skip" in first
    assert "Are you a U.S. citizen" in "\n".join(text(sms_servers, phone, "2"))
