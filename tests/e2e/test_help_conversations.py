"""Services, legal options and courts in every launch language, over REST with the real action server.

The conversations are in tests/e2e/help_conversations.yml; the expected text is built with the same replies
the actions use, in the conversation's language, so a test fails when the message is misunderstood, answered
in the wrong language, routed to the wrong place or county, or missing a name, form number or advice.
"""

from __future__ import annotations

import uuid

import pytest

from actions.ask_court import choices_for_county
from actions.ask_services import directory, need_names
from actions.legal_replies import option_title
from actions.replies import Replies
from core.courts import court_for_case_type
from core.directory.search import find_services
from core.legal import legal_option
from core.names import LAUNCH_LANGUAGES
from core.yaml_files import read_yaml
from tests.conftest import PROJECT_ROOT, without_danger_line

pytestmark = pytest.mark.e2e

CONVERSATIONS = read_yaml(PROJECT_ROOT / "tests" / "e2e" / "help_conversations.yml")
CASES = [
    pytest.param(language, case, id=f"{language}-{name}")
    for language, cases in CONVERSATIONS.items()
    for name, case in cases.items()
]


def test_every_launch_language_has_conversations_for_four_needs_in_three_counties_and_the_legal_paths():
    for language, cases in CONVERSATIONS.items():
        services = [c["expect"]["services"] for c in cases.values() if "services" in c["expect"]]
        assert len({s["need"] for s in services}) >= 4 and len({s["county"] for s in services}) >= 3, language
        assert {c["expect"].get("option") for c in cases.values()} >= {"t_visa", "u_visa"}, language
        courts = [c["expect"]["court"] for c in cases.values() if "court" in c["expect"]]
        assert {court["protection"] for court in courts} == {True, False}, language
    assert set(CONVERSATIONS) == set(LAUNCH_LANGUAGES)


def expected_parts(language: str, expect: dict) -> list[str]:
    replies = Replies(language, "rest")
    if "services" in expect:
        need, county, town = (expect["services"][k] for k in ("need", "county", "town"))
        place = replies.text("utter_place_town", town=town, county=county)
        heading = replies.text(
            "utter_services_found", need=replies.data("taxonomy", "name", need_names()[need]), place=place
        )
        found = find_services(directory(), need, county, language, limit=3, municipality=town)
        return [heading, *(service.name for service in found)]
    if "option" in expect:
        option = legal_option(expect["option"])
        return [option_title(replies, option), *option.form_numbers, replies.text("utter_legal_disclaimer")]
    court = expect["court"]
    place = replies.text("utter_place_town", town=court["town"], county=court["county"])
    if court["protection"]:
        heading = replies.text("utter_court_heading_protection", place=place)
        names = [choice.court.name for choice in court_for_case_type("protection_from_abuse", court["county"]).choices]
    else:
        heading = replies.text("utter_court_heading_list", place=place)
        names = [choice.court.name for choice in choices_for_county(court["county"])]
    return [heading, *names, replies.text("utter_court_what_to_know")]


@pytest.mark.parametrize("language, case", CASES)
def test_a_person_finds_help_in_their_own_language(servers, language, case):
    sender = f"e2e-{uuid.uuid4().hex}"
    *before, last = case["say"]
    for number, message in enumerate(before):
        replies = servers.say(sender, message)
        if case.get("asks_place") and number == 0:
            # Answer first, narrow later: a service search answers for all of Maine and offers to narrow it; a
            # court question asks for the town (the court depends on it). Either way the reply ends asking.
            question = "utter_services_narrow" if "services" in case["expect"] else "utter_ask_place"
            texts = without_danger_line([r.get("text") for r in replies])
            assert texts[-1] == Replies(language, "rest").text(question), message
    text = "\n".join(reply.get("text", "") for reply in servers.say(sender, last))
    missing = [part for part in expected_parts(language, case["expect"]) if part not in text]
    assert not missing, text
