"""The kiosk channel's endpoints against the real servers, without a browser (tests/browser/ drives the page).

The page with its security headers; the registry; the words per language; the server issues the session ids
and refuses any other; bad input never a 5xx or a hang; the wipe deletes the conversation.
"""

import json
import re
import uuid

import pytest
import requests
import yaml

from bot.channels import kiosk
from bot.channels.inbound import MAX_MESSAGE_CHARS
from bot.i18n.languages import offered_languages, registered_languages
from bot.replies.rendering import channel_messages, render_response
from core.yaml_files import read_yaml
from tests.conftest import domain_responses, without_danger_line

pytestmark = pytest.mark.e2e

TIMEOUT = 20  # seconds; a hang fails the test
RESPONSES = domain_responses()
STATIC = kiosk.STATIC_DIR
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
CSP_DIRECTIVES = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
]


def url(servers, path: str = "") -> str:
    return f"{servers.url}/webhooks/kiosk/{path}"


def new_sender(servers) -> str:
    """A session id, as the page asks for one."""
    response = requests.post(url(servers, "session"), timeout=TIMEOUT)
    assert response.status_code == 200
    assert_secure(response)
    return response.json()["session"]


def say(servers, sender, message, language=None) -> list[dict]:
    """As the page sends it: a button's payload in `payload`, typed words in `message`."""
    body = {"sender": sender, "payload" if message.startswith("/") else "message": message}
    if language:
        body["metadata"] = {"language": language}
    response = requests.post(url(servers, "webhook"), json=body, timeout=60)
    response.raise_for_status()
    return response.json()


def texts(replies: list[dict]) -> list[str]:
    return without_danger_line([reply["text"] for reply in replies])


def expected(name: str, language: str) -> str:
    return render_response(RESPONSES, name, language, "kiosk")["text"]


def assert_secure(response: requests.Response) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    for directive in CSP_DIRECTIVES:
        assert directive in policy, directive
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy and "*" not in policy
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, name
    assert "Set-Cookie" not in response.headers


# ---- the page -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, content_type",
    [
        ("", "text/html"),
        ("kiosk.js", "text/javascript"),
        ("kiosk.css", "text/css"),
        ("favicon.svg", "image/svg+xml"),
        ("languages", "application/json"),
        ("strings?lang=so", "application/json"),
        ("away", "text/html"),
    ],
)
def test_everything_is_served_with_the_security_headers(servers, path, content_type):
    response = requests.get(url(servers, path), timeout=TIMEOUT)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(content_type)
    assert_secure(response)


def test_the_page_is_the_static_page(servers):
    response = requests.get(url(servers), timeout=TIMEOUT)
    assert response.text == (STATIC / "index.html").read_text(encoding="utf-8")
    assert 'src="kiosk.js"' in response.text and 'href="kiosk.css"' in response.text


def test_without_the_trailing_slash_the_page_redirects_to_its_folder(servers):
    response = requests.get(f"{servers.url}/webhooks/kiosk", timeout=TIMEOUT, allow_redirects=False)
    assert response.status_code in (301, 302, 307, 308)
    assert response.headers["Location"] == "kiosk/"
    assert requests.get(f"{servers.url}/webhooks/kiosk", timeout=TIMEOUT).url == url(servers)


def test_refusals_carry_the_security_headers_too(servers):
    response = requests.post(url(servers, "webhook"), data=b"{", timeout=TIMEOUT)
    assert response.status_code == 400
    assert_secure(response)


def test_the_page_loads_nothing_from_elsewhere_and_stores_nothing():
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    script = (STATIC / "kiosk.js").read_text(encoding="utf-8")
    style = (STATIC / "kiosk.css").read_text(encoding="utf-8")
    for text in (page, script, style):
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, re.I), "no CDN, no third party"
    # No inline script or style: the Content-Security-Policy would block it anyway.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert "style=" not in page and "<style" not in page and not re.search(r"\son[a-z]+=", page)
    code = re.sub(r"^\s*//.*$", "", re.sub(r"/\*.*?\*/", "", script, flags=re.S), flags=re.M)  # comments name them
    for storage in ("localStorage", "sessionStorage", "indexedDB", "document.cookie", "innerHTML", "eval("):
        assert storage not in code, storage
    assert 'postJson("session"' in code and "sendBeacon" in code and "location.replace" in code


# ---- languages and words ------------------------------------------------------------------------------


def test_languages_lists_the_registry(servers):
    response = requests.get(url(servers, "languages"), timeout=TIMEOUT)
    listed = [(entry["code"], entry["name"], entry["dir"]) for entry in response.json()["languages"]]
    assert listed == [(language.code, language.name, language.direction) for language in offered_languages()]
    assert {"Soomaali", "العربية", "Español"} <= {name for _, name, _ in listed}
    assert ("ar", "العربية", "rtl") in listed


def test_a_language_added_to_the_registry_appears_without_code_changes(tmp_path, monkeypatch):
    from bot.i18n import languages

    registry = read_yaml(languages.REGISTRY_PATH)
    # qaa: ISO 639 keeps it for local use, so no real language will ever be added under it.
    entry = {"code": "qaa", "name": "Qaa Tést", "direction": "rtl", "status": "draft", "by_hand": True}
    registry["languages"].append(entry)
    copy = tmp_path / "languages.yml"
    copy.write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(languages, "REGISTRY_PATH", copy)
    listed = kiosk.languages_payload()["languages"]
    assert listed[-1] == {
        "code": "qaa",
        "name": "Qaa Tést",
        "dir": "rtl",
        "prompt": "Choose your language",  # English until translated
        "note": "Computer translation, not yet checked",
    }
    assert kiosk.strings_payload("qaa")["lang"] == "qaa"


@pytest.mark.parametrize("language", [language.code for language in registered_languages()])
def test_strings_in_each_language(servers, language):
    response = requests.get(url(servers, "strings"), params={"lang": language}, timeout=TIMEOUT)
    assert response.status_code == 200
    body = response.json()
    entry = next(entry for entry in registered_languages() if entry.code == language)
    assert (body["lang"], body["dir"]) == (entry.code, entry.direction)
    names = [name for name in channel_messages() if name.startswith("kiosk_")]
    assert body["strings"] == {
        name[len("kiosk_") :]: render_response(channel_messages(), name, language, "kiosk")["text"] for name in names
    }
    assert all(body["strings"].values())
    assert {"quick_exit", "choose_language", "send", "idle_warning", "continue", "sms"} <= set(body["strings"])
    settings = body["settings"]
    assert settings["exit_url"] == "/webhooks/kiosk/away"
    assert (settings["idle_warning_seconds"], settings["idle_wipe_seconds"]) == (90, 120)
    assert settings["sms_number"] == ""
    assert body["greeting"].startswith("/greet{")


def test_strings_default_to_english_and_refuse_an_unknown_language(servers):
    assert requests.get(url(servers, "strings"), timeout=TIMEOUT).json()["lang"] == "en"
    assert requests.get(url(servers, "strings?lang=pt-BR"), timeout=TIMEOUT).json()["lang"] == "pt"
    for bad in ("zz", "klingon", "x" * 5000, "../../etc/passwd", "\u202e", "%00"):
        response = requests.get(url(servers, "strings"), params={"lang": bad}, timeout=TIMEOUT)
        assert 400 <= response.status_code < 500, bad
        assert response.json()["error"]


def test_the_away_page_is_neutral(servers):
    page = requests.get(url(servers, "away"), timeout=TIMEOUT).text.lower()
    for word in ("violence", "abuse", "assault", "trafficking", "police", "911", "safety", "danger", "help"):
        assert word not in page, word
    # An unknown language is no error there: the page is simply English.
    assert requests.get(url(servers, "away?lang=zz"), timeout=TIMEOUT).status_code == 200


# ---- the conversation ---------------------------------------------------------------------------------


def test_the_greeting_comes_in_the_language_picked(servers):
    greeting = kiosk.greeting_payload("so")
    replies = say(servers, new_sender(servers), greeting, "so")
    assert texts(replies) == [expected("utter_greet", "so")]
    assert replies[0]["language"] == "so"
    assert [b["title"] for b in replies[0]["buttons"]] == [
        b["title"] for b in render_response(RESPONSES, "utter_greet", "so", "kiosk")["buttons"]
    ]


def test_a_kiosk_reply_without_911_ends_with_the_911_line(servers):
    sent = [reply["text"] for reply in say(servers, new_sender(servers), "hello", "so")]
    line = render_response(channel_messages(), "utter_danger_line", "so", "kiosk")["text"]
    assert sent == [expected("utter_greet", "so") + "\n" + line]


def test_a_question_in_somali_gets_the_somali_answer(servers):
    sender = new_sender(servers)
    say(servers, sender, kiosk.greeting_payload("so"), "so")
    replies = say(servers, sender, "waxaan u baahanahay caawimaad, ninkayga ayaa i garaaca", "so")
    assert texts(replies) == [expected("utter_domestic_violence", "so")]


def test_a_language_chosen_in_the_conversation_is_reported_so_the_page_follows(servers):
    sender = new_sender(servers)
    say(servers, sender, kiosk.greeting_payload("so"), "so")
    replies = say(servers, sender, "español", "so")
    assert texts(replies) == [expected("utter_language_set", "es")]
    assert replies[0]["language"] == "es"


# ---- the wipe -----------------------------------------------------------------------------------------


def test_wipe_deletes_the_conversation(servers):
    sender = new_sender(servers)
    say(servers, sender, kiosk.greeting_payload("so"), "so")
    assert texts(say(servers, sender, "hello")) == [expected("utter_greet", "so")]  # the choice sticks
    response = requests.post(url(servers, "wipe"), json={"sender": sender}, timeout=TIMEOUT)
    assert response.status_code == 200
    assert_secure(response)
    # A new conversation: nothing chosen, so an English "hello" is answered in English.
    assert texts(say(servers, sender, "hello")) == [expected("utter_greet", "en")]


def test_wipe_as_the_page_sends_it_with_a_beacon(servers):
    sender = new_sender(servers)
    say(servers, sender, kiosk.greeting_payload("ar"), "ar")
    response = requests.post(
        url(servers, "wipe"),
        data=json.dumps({"sender": sender}).encode(),
        headers={"Content-Type": "text/plain;charset=UTF-8"},
        timeout=TIMEOUT,
    )
    assert response.status_code == 200
    assert texts(say(servers, sender, "hello")) == [expected("utter_greet", "en")]


def test_wipe_of_a_session_that_never_spoke_is_fine(servers):
    response = requests.post(url(servers, "wipe"), json={"sender": new_sender(servers)}, timeout=TIMEOUT)
    assert response.status_code == 200


# ---- the server issues the ids: a conversation id is a bearer key ---------------------------------------


def test_each_session_id_is_new_and_an_id_the_server_did_not_issue_is_refused(servers):
    sessions = {new_sender(servers) for _ in range(20)}
    assert len(sessions) == 20
    session = sessions.pop()
    epoch, nonce, _ = session.split("-")
    for made_up in ("demo", "user-1", f"kiosk-{uuid.uuid4().hex}", f"{epoch}-{nonce}-{'0' * 32}"):
        for path, body in (
            ("webhook", {"sender": made_up, "message": "hello"}),
            ("wipe", {"sender": made_up}),
        ):
            response = requests.post(url(servers, path), json=body, timeout=TIMEOUT)
            assert response.status_code == 403, (path, made_up)
            assert_secure(response)
            assert "session" in response.json()["error"]


def test_kiosk_and_rest_conversations_never_meet(servers):
    """A kiosk session's id sent over REST is another conversation, and REST ids cannot wipe the kiosk's."""
    session = new_sender(servers)
    say(servers, session, kiosk.greeting_payload("so"), "so")
    assert texts(say(servers, session, "hello")) == [expected("utter_greet", "so")]
    over_rest = requests.post(
        f"{servers.url}/webhooks/rest/webhook", json={"sender": session, "message": "hello"}, timeout=TIMEOUT
    )
    assert texts(over_rest.json()) == [render_response(RESPONSES, "utter_greet", "en", "collector")["text"]]
    assert over_rest.json()[0]["recipient_id"] == session  # the partner's own id back, never the internal one
    requests.post(
        f"{servers.url}/webhooks/rest/webhook", json={"sender": session, "message": "forget me"}, timeout=TIMEOUT
    )
    assert texts(say(servers, session, "hello")) == [expected("utter_greet", "so")]  # the kiosk's is untouched
    rest_sender = f"rest-{uuid.uuid4().hex}"
    requests.post(
        f"{servers.url}/webhooks/rest/webhook", json={"sender": rest_sender, "message": "Soomaali"}, timeout=TIMEOUT
    )
    assert requests.post(url(servers, "wipe"), json={"sender": rest_sender}, timeout=TIMEOUT).status_code == 403


def test_replies_are_addressed_to_the_session(servers):
    session = new_sender(servers)
    replies = say(servers, session, kiosk.greeting_payload("en"), "en")
    assert replies and all(reply["recipient_id"] == session for reply in replies)


# ---- bad input ----------------------------------------------------------------------------------------

BAD_BODIES = [
    (b"", 400),
    (b"{not json", 400),
    (b"null", 400),
    (b"[1, 2]", 400),
    (b'"hello"', 400),
    (b"42", 400),
    (json.dumps({"sender": "SESSION", "message": None}).encode(), 400),
    (json.dumps({"sender": "SESSION", "message": 42}).encode(), 400),
    (json.dumps({"sender": "SESSION", "message": ["a", "b"]}).encode(), 400),
    (json.dumps({"sender": "SESSION", "message": "   "}).encode(), 400),
    (json.dumps({"sender": "SESSION", "message": {"text": "hi"}}).encode(), 400),
    (json.dumps({"message": "hello"}).encode(), 400),
    (json.dumps({"sender": None, "message": "hello"}).encode(), 400),
    (json.dumps({"sender": {"a": 1}, "message": "hello"}).encode(), 400),
    (json.dumps({"sender": "x" * 10_000, "message": "hello"}).encode(), 400),
    (json.dumps({"sender": "bad\x00id", "message": "hello"}).encode(), 400),
    (json.dumps({"sender": "SESSION", "message": "hello", "metadata": "so"}).encode(), 400),
    (json.dumps({"sender": "SESSION", "message": "hello", "metadata": {"language": 7}}).encode(), 400),
    (json.dumps({"sender": "SESSION", "message": "hello", "metadata": {"language": ["so"]}}).encode(), 400),
    (json.dumps({"sender": "SESSION", "message": "x" * (MAX_MESSAGE_CHARS + 1)}).encode(), 413),
    (json.dumps({"sender": "SESSION", "message": "x" * 1_000_000}).encode(), 413),
    (b"\xff\xfe\x00garbage", 400),
    # A button's payload must be one the assistant offers; typed words never go in that field.
    (json.dumps({"sender": "SESSION", "payload": "/notanintent my name is Zelda"}).encode(), 400),
    (json.dumps({"sender": "SESSION", "payload": '/greet{"unknown": "x"}'}).encode(), 400),
    (json.dumps({"sender": "SESSION", "payload": "hello"}).encode(), 400),
    (json.dumps({"sender": "SESSION", "message": "///"}).encode(), 400),
]


@pytest.mark.parametrize("body, status", BAD_BODIES)
def test_webhook_refuses_bad_input_with_a_clear_4xx(servers, body, status):
    body = body.replace(b'"SESSION"', json.dumps(new_sender(servers)).encode())  # a session the server issued
    response = requests.post(
        url(servers, "webhook"), data=body, headers={"Content-Type": "application/json"}, timeout=TIMEOUT
    )
    assert response.status_code == status
    assert response.json()["error"]


def test_typed_text_that_looks_like_a_payload_is_read_as_words(servers):
    sender = new_sender(servers)
    say(servers, sender, kiosk.greeting_payload("en"), "en")
    # As a payload this would switch the conversation to Somali; typed, it is English words.
    body = {"sender": sender, "message": '/greet{"language": "so", "language_chosen": "so"}'}
    typed = requests.post(url(servers, "webhook"), json=body, timeout=TIMEOUT)
    assert typed.status_code == 200
    assert all(reply["language"] == "en" for reply in typed.json())


@pytest.mark.parametrize(
    "body",
    [b"", b"{", b"null", b"[]", b'{"sender": null}', b'{"sender": 1.5}', b'{"sender": ""}', b"x" * 1_000_000],
)
def test_wipe_refuses_bad_input_with_a_4xx(servers, body):
    response = requests.post(url(servers, "wipe"), data=body, timeout=TIMEOUT)
    assert 400 <= response.status_code < 500
    assert response.json()["error"]


@pytest.mark.parametrize(
    "message",
    [
        "help\x00 me\x07 now",  # control characters
        "\ud800 lone surrogate",  # json.dumps escapes it as \\ud800
        "\u202e\u200b",  # only invisible formatting characters
        "😀😀😀",
        "<script>alert(1)</script>",
    ],
)
def test_odd_text_gets_an_answer(servers, message):
    response = requests.post(
        url(servers, "webhook"),
        data=json.dumps({"sender": new_sender(servers), "message": message}).encode(),
        timeout=TIMEOUT,
    )
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.json() and response.json()[0]["text"]


@pytest.mark.parametrize("language", ["zz", "", "x" * 10_000, "so\x00", "ar-EG", None])
def test_an_unknown_language_gets_a_polite_reply(servers, language):
    body = {"sender": new_sender(servers), "message": "hello", "metadata": {"language": language}}
    response = requests.post(url(servers, "webhook"), json=body, timeout=TIMEOUT)
    assert response.status_code == 200
    replies = response.json()
    assert texts(replies) == [expected("utter_greet", "ar" if language == "ar-EG" else "en")]


@pytest.mark.parametrize(
    "method, path", [("GET", "webhook"), ("GET", "wipe"), ("POST", "strings"), ("GET", "index.html")]
)
def test_wrong_method_or_unknown_file_is_a_4xx(servers, method, path):
    response = requests.request(method, url(servers, path), timeout=TIMEOUT)
    assert 400 <= response.status_code < 500


# ---- privacy ------------------------------------------------------------------------------------------


def test_no_kiosk_message_or_sender_in_the_logs(servers):
    sender = new_sender(servers)
    canary = "My name is Ottilie Brannock and I live at 17 Quillfeather Road"
    say(servers, sender, kiosk.greeting_payload("so"), "so")
    say(servers, sender, canary, "so")
    requests.post(url(servers, "wipe"), json={"sender": sender}, timeout=TIMEOUT)
    requests.post(url(servers, "webhook"), data=json.dumps({"sender": sender, "message": 42}).encode(), timeout=TIMEOUT)
    logs = servers.logs()
    assert logs.strip()
    for secret in (sender, "Ottilie", "Brannock", "Quillfeather"):
        assert secret not in logs
