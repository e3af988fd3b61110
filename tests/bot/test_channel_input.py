"""What the channels accept before Rasa sees anything: JSON bodies (nested too deeply: 400), metadata (the
language only), and the REST channel's partner tokens."""

import json

import pytest
from sanic.request import Request

from bot.channels.inbound import BadInput, clean_metadata, parse_json_object
from bot.channels.rest import ANYONE, Partner, partner_of, partners_from_setting


@pytest.mark.parametrize("depth", [1_000, 10_000])  # 10,000 levels of objects: 60 KB, under the size limit
def test_deeply_nested_json_is_refused_with_400(depth):
    for body in ("[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth):
        with pytest.raises(BadInput) as refused:
            parse_json_object(body.encode())
        assert refused.value.status == 400


def test_a_json_object_is_read_and_anything_else_refused():
    assert parse_json_object(b'{"sender": "a"}') == {"sender": "a"}
    for body in (b"", b"[]", b'"text"', b"\xff\xfe", b"{"):
        with pytest.raises(BadInput):
            parse_json_object(body)


def test_of_the_metadata_only_a_known_language_is_kept():
    bulky = {"language": "so", "user": {"phone": "+12075550199"}, "blob": "x" * 60_000}
    assert clean_metadata(bulky) == {"language": "so"}
    assert clean_metadata({"language": "pt-BR"}) == {"language": "pt"}
    assert clean_metadata({"language": "tlh", "other": 1}) == {}
    assert clean_metadata(None) == {} and clean_metadata({}) == {}
    for bad in ("so", ["so"], {"language": ["so"]}, {"language": 7}):
        with pytest.raises(BadInput):
            clean_metadata(bad)


def test_partner_tokens_are_read_from_the_setting():
    assert partners_from_setting("") == ()
    assert partners_from_setting(" app-a:aaaaaaaaaaaaaaaa , app.b:bbbbbbbbbbbbbbbb-2 ") == (
        Partner("app-a", "aaaaaaaaaaaaaaaa"),
        Partner("app.b", "bbbbbbbbbbbbbbbb-2"),
    )


@pytest.mark.parametrize(
    "value",
    [
        "app-a:short",  # under 16 characters
        "app-a",  # no token
        ":aaaaaaaaaaaaaaaa",  # no name
        "app a:aaaaaaaaaaaaaaaa",  # a space in the name
        "app-a:aaaaaaaa aaaaaaaa",  # a space in the token
        "app-a:aaaaaaaaaaaaaaaa,app-a:bbbbbbbbbbbbbbbb",  # the same name twice
        "app-a:aaaaaaaaaaaaaaaa,app-b:aaaaaaaaaaaaaaaa",  # the same token twice
    ],
)
def test_a_malformed_partner_setting_stops_the_server_and_never_shows_a_token(value):
    with pytest.raises(ValueError) as error:
        partners_from_setting(value)
    assert "aaaaaaaa" not in str(error.value) and "short" not in str(error.value)


def request_with(authorization: str | None) -> Request:
    headers = {"authorization": authorization} if authorization is not None else {}
    return Request(b"/webhooks/rest/webhook", headers, "1.1", "POST", None, None)


def test_each_partner_is_known_by_its_token_and_anyone_else_refused():
    partners = partners_from_setting("app-a:aaaaaaaaaaaaaaaa,app-b:bbbbbbbbbbbbbbbb")
    assert partner_of(request_with("Bearer aaaaaaaaaaaaaaaa"), partners).name == "app-a"
    assert partner_of(request_with("bearer bbbbbbbbbbbbbbbb"), partners).name == "app-b"
    for header in (None, "", "Bearer", "Bearer cccccccccccccccc", "Basic aaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa"):
        with pytest.raises(BadInput) as refused:
            partner_of(request_with(header), partners)
        assert refused.value.status == 401
    assert partner_of(request_with(None), ()) is ANYONE  # no partner configured: open, as before
    assert len({ANYONE.id_space, *(partner.id_space for partner in partners)}) == 3


def test_a_body_that_is_json_but_not_deep_is_still_read():
    nested = json.dumps({"sender": "a", "metadata": {"language": "so", "a": [[[[1]]]]}})
    assert parse_json_object(nested.encode())["metadata"]["language"] == "so"
