"""The services, legal-options and court actions, run in-process with rasa_sdk's own Tracker and dispatcher.

Every launch language is checked: the reply is in that language (its translated heading), official names and
form numbers stay as they are, and the SMS form fits the segment budget.
"""

from __future__ import annotations

import asyncio
import logging

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.ask_court import ActionCourt
from actions.ask_legal import ActionLegalOptions, ActionLegalQuestionnaire
from actions.ask_place import ActionAnswerPlace
from actions.ask_services import ActionFindServices, directory, need_names
from actions.legal_replies import option_title
from actions.provenance import provenance_line
from actions.replies import Replies
from actions.safe_action import SafeAction
from bot.i18n import catalog
from bot.replies.sms_segments import GSM7, encoding, pack_messages, segments
from core.courts import court_for_case_type, courts_for_county
from core.directory.search import find_services
from core.legal import legal_option, legal_options, options_that_may_fit, questions
from core.names import EXPECTS, LAUNCH_LANGUAGES
from core.places import resolve_place

LANGUAGES = list(LAUNCH_LANGUAGES)


def make_tracker(text="", intent="", entities=None, slots=None, language="en", channel="rest") -> Tracker:
    entity_list = [{"entity": k, "value": v} for k, v in (entities or {}).items()]
    latest = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": entity_list}
    events = [{"event": "user", "text": text, "input_channel": channel, "parse_data": latest}]
    return Tracker("test", {"language": language, **(slots or {})}, latest, events, False, None, {}, None)


def run(action, tracker: Tracker) -> tuple[list[dict], dict]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    return dispatcher.messages, slots


def text_of(messages: list[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


# --- Services ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "need, town",
    [
        ("legal_help", "Portland"),
        ("safe_housing", "Bangor"),
        ("immigration_legal_help", "Lewiston"),
        ("counselling", "Biddeford"),
    ],
)
def test_services_answer_in_the_persons_language_with_the_top_three(language, need, town):
    place = resolve_place(town)
    messages, slots = run(
        ActionFindServices(),
        make_tracker(
            "/find_services", "find_services", {"need": need}, {"county": place.county, "town": town}, language
        ),
    )
    text = text_of(messages)
    replies = Replies(language, "rest")
    heading = replies.text(
        "utter_services_found",
        need=replies.data("taxonomy", "name", need_names()[need]),
        place=replies.text("utter_place_town", town=town, county=place.county),
    )
    assert text.startswith(heading)
    expected = find_services(directory(), need, place.county, language, limit=3, municipality=town)
    assert expected and all(service.name in text for service in expected)
    # Nobody has checked a service live: the answer names its source and date, never "Checked on".
    assert provenance_line(replies, expected[0].provenance) in text
    assert replies.text("utter_checked_on", date="").split("{")[0].strip(" .") not in text
    if language != "en":
        assert catalog.is_translated(language, "utter_services_found", "{need} near {place}:")
    assert slots["need"] == need and slots["place_asked"] is False


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("need", ["legal_help", "safe_housing", "immigration_legal_help", "crisis_line"])
@pytest.mark.parametrize("county", ["Cumberland", "Penobscot", "Androscoggin", "Aroostook"])
def test_the_sms_form_is_short(language, need, county):
    """Three results in one text message of at most three segments where the language fits GSM-7 (English,
    Somali); accents or Arabic script need UCS-2, a third of the room, and then at most two messages."""
    messages, _ = run(
        ActionFindServices(),
        make_tracker("/find_services", "find_services", {"need": need}, {"county": county}, language, channel="sms"),
    )
    text = text_of(messages)
    assert len(pack_messages([text])) <= (1 if encoding(text) == GSM7 else 2), (segments(text), text)
    if language in ("en", "so"):
        assert segments(text) <= 3, text
    assert Replies(language, "sms").text("utter_service_hours", hours="") not in text


def test_without_a_place_it_answers_statewide_first_then_offers_to_narrow():
    messages, _ = run(ActionFindServices(), make_tracker("i need a lawyer", "find_services"))
    assert text_of(messages).startswith(Replies().text("utter_services_found_statewide", need="Legal help"))
    assert messages[-1]["text"] == Replies().text("utter_services_narrow") and messages[-1][EXPECTS] == "place"
    messages, _slots = run(
        ActionAnswerPlace(),
        make_tracker("no idea", "inform_place", slots={"topic": "services", "need": "legal_help"}),
    )
    assert text_of(messages).startswith(Replies().text("utter_services_found_statewide", need="Legal help"))


def test_a_place_answer_continues_the_search_with_the_need_asked_before():
    messages, slots = run(
        ActionAnswerPlace(),
        make_tracker(
            "lewistan",
            "inform_place",
            slots={"topic": "services", "need": "medical_forensic_exam", "place_asked": True},
        ),
    )
    assert "Lewiston (Androscoggin County)" in text_of(messages)
    assert slots["county"] == "Androscoggin" and slots["town"] == "Lewiston"


def test_without_a_need_it_offers_every_need_as_a_button():
    messages, _ = run(ActionFindServices(), make_tracker("services please", "find_services"))
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads == [f'/find_services{{"need": "{code}"}}' for code in need_names()]


def test_the_need_comes_from_the_words_of_the_message():
    messages, slots = run(ActionFindServices(), make_tracker("where is a free lawyer in Portland", "find_services"))
    assert slots["need"] == "legal_help" and slots["county"] == "Cumberland"
    assert "Legal help near Portland (Cumberland County):" in text_of(messages)


def test_a_lawyer_asked_for_as_a_legal_option_gets_legal_aid_offices():
    messages, slots = run(ActionLegalOptions(), make_tracker("i need a lawyer in lewiston", "ask_legal_options"))
    assert slots["need"] == "legal_help"
    assert "Legal help near Lewiston (Androscoggin County):" in text_of(messages)


@pytest.mark.parametrize("confidence, answer", [(0.9, "VAWA"), (0.55, "Immigrant Legal Advocacy Project")])
def test_an_option_the_nlu_is_sure_of_outweighs_a_request_for_immigration_help(confidence, answer):
    text = "my husband holds my papers and beats me, can i do my immigration papers alone without him"
    tracker = make_tracker(text, "ask_legal_options", {"legal_option": "vawa_self_petition"})
    tracker.latest_message["entities"][0]["confidence_entity"] = confidence
    messages, _ = run(ActionLegalOptions(), tracker)
    assert answer in text_of(messages)


def test_a_place_alone_is_remembered_and_the_menu_offered():
    messages, slots = run(ActionAnswerPlace(), make_tracker("Lewiston", "inform_place"))
    assert messages[0]["text"].startswith("Lewiston (Androscoggin County): what do you need there?")
    assert len(messages[0]["buttons"]) == 8
    assert slots == {"county": "Androscoggin", "town": "Lewiston"}


# --- Legal options -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", [option.key for option in legal_options()])
def test_every_option_renders_in_every_language_with_its_official_name_and_forms(language, key):
    option = legal_option(key)
    messages, _ = run(
        ActionLegalOptions(),
        make_tracker("/ask_legal_options", "ask_legal_options", {"legal_option": key}, language=language),
    )
    text = text_of(messages)
    assert option.name in text
    assert all(form in text for form in option.form_numbers)
    replies = Replies(language)
    assert replies.text("utter_legal_disclaimer") in text
    if language != "en":
        assert catalog.is_translated(language, "utter_legal_disclaimer", "This is information, not legal advice.")
        assert catalog.is_translated(language, "options:name", option.name)
        assert option_title(replies, option).startswith(catalog.translate(language, "options:name", option.name))
        for field, source in option.plain_text().items():
            assert catalog.is_translated(language, f"options:{field}", source), field


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_options_list_has_a_button_for_each_main_option_and_the_questions(language):
    messages, _ = run(ActionLegalOptions(), make_tracker("/ask_legal_options", "ask_legal_options", language=language))
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert "/legal_questionnaire" in payloads and '/ask_legal_options{"legal_option": "t_visa"}' in payloads
    more, _ = run(
        ActionLegalOptions(),
        make_tracker("/ask_legal_options", "ask_legal_options", {"legal_option": "more"}, language=language),
    )
    shown = {p for m in (messages, more) for b in m[0]["buttons"] for p in [b["payload"]]}
    assert all(f'{{"legal_option": "{o.key}"}}' in " ".join(shown) for o in legal_options())


def answer_all(answers: dict[str, str], language: str = "en") -> list[list[dict]]:
    """Runs the questionnaire with these answers (question key -> yes/no/skip); the messages of each turn."""
    tracker = make_tracker("/legal_questionnaire", "legal_questionnaire", language=language)
    turns, slots = [], {}
    messages, slots = run(ActionLegalQuestionnaire(), tracker)
    turns.append(messages)
    for question in questions():
        word = answers.get(question.key, "skip")
        tracker = make_tracker(word, "answer", {"answer": word}, slots, language)
        messages, new_slots = run(ActionLegalQuestionnaire(), tracker)
        slots = {**slots, **new_slots}
        turns.append(messages)
    return turns


def test_the_questionnaire_asks_each_question_once_and_ends_with_the_options_that_may_fit():
    answers = {"under_18": "no", "citizen_or_resident": "no", "forced_work": "yes", "hurt_by_crime_in_maine": "yes"}
    turns = answer_all(answers)
    asked = [m["text"] for turn in turns for m in turn if m.get(EXPECTS) == "answer"]
    assert asked == [q.text for q in questions()]
    result = turns[-1][-1]
    fits = options_that_may_fit(
        {"under_18": False, "citizen_or_resident": False, "forced_work": True, "hurt_by_crime_in_maine": True}
    )
    assert [b["payload"] for b in result["buttons"]] == [f'/ask_legal_options{{"legal_option": "{k}"}}' for k in fits]
    assert "207-774-8211" in result["text"] and "ilapmaine.org" in result["text"]


def test_a_young_person_hears_the_reporting_notice_before_the_next_question():
    turns = answer_all({"under_18": "yes"})
    assert turns[1][0]["text"] == Replies().text("utter_minor")
    assert turns[1][1]["text"] == questions()[1].text


def test_an_answer_without_a_question_offers_the_menu():
    messages, _ = run(ActionLegalQuestionnaire(), make_tracker("yes", "answer", {"answer": "yes"}))
    assert messages[0]["text"] == Replies().text("utter_questionnaire_not_started")


# --- Courts --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "town, first_court",
    [
        ("Lewiston", "Lewiston District Court"),
        ("Bangor", "Bangor District Court"),
        ("Houlton", "Houlton District Court"),
        ("Biddeford", "Biddeford District Court"),
        ("Augusta", "Augusta District Court"),
        ("Rockland", "Rockland District Court"),
        ("Portland", "Portland District Court"),
    ],
)
def test_a_protection_order_court_is_found_by_town_its_own_court_first(town, first_court):
    place = resolve_place(town)
    messages, _ = run(ActionCourt(), make_tracker(f"where do i get a protection order? i live in {town}", "ask_court"))
    text = text_of(messages)
    assert text.index(first_court) == min(
        text.index(c.court.name) for c in court_for_case_type("protection_from_abuse", place.county).choices
    )
    for choice in court_for_case_type("protection_from_abuse", place.county).choices:
        assert choice.court.name in text
        assert (choice.court.street_and_town or "We could not confirm the address") in text
    assert "PA-001" in text and "(207) 822-0703" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_court_answers_are_translated_with_court_names_kept(language):
    messages, _ = run(ActionCourt(), make_tracker("where is the court in bangor", "ask_court", language=language))
    text = text_of(messages)
    replies = Replies(language)
    assert text.startswith(
        replies.text(
            "utter_court_heading_list", place=replies.text("utter_place_town", town="Bangor", county="Penobscot")
        )
    )
    assert all(court.name in text for court in courts_for_county("Penobscot"))


def test_an_unconfirmed_address_is_never_shown_only_the_number_to_call():
    messages, _ = run(ActionCourt(), make_tracker("protection order court lewiston", "ask_court"))
    text = text_of(messages)
    assert "We could not confirm the address. Call (207) 822-0792 to ask the way." in text


def test_the_court_question_remembers_the_case_until_the_town_comes():
    messages, slots = run(ActionCourt(), make_tracker("where do i file a protection order", "ask_court"))
    assert "PA-001" in messages[0]["text"]  # the form is the same everywhere: said at once
    assert messages[-1][EXPECTS] == "place" and slots["court_case"] == "protection_from_abuse"
    messages, _ = run(ActionAnswerPlace(), make_tracker("Rockland", "inform_place", slots={**slots, "topic": "court"}))
    assert text_of(messages).startswith("Where to ask for a protection order (Rockland (Knox County)):")


def test_sms_court_answers_are_short():
    messages, _ = run(ActionCourt(), make_tracker("protection order court in caribou", "ask_court", channel="sms"))
    assert segments(text_of(messages)) <= 6 and "PA-001" not in text_of(messages)


# --- Failures ------------------------------------------------------------------------------------------------


class Broken(SafeAction):
    def name(self) -> str:
        return "action_broken"

    async def answer(self, dispatcher, tracker, domain):
        dispatcher.utter_message(text="half an answer")
        raise KeyError("my secret message text")


def test_a_failing_action_still_answers_with_911_and_logs_no_values(caplog):
    with caplog.at_level(logging.ERROR):
        messages, _ = run(Broken(), make_tracker("my secret message text", "find_services"))
    assert [m["text"] for m in messages] == [Replies().text("utter_technical_problem")]
    assert "911" in messages[0]["text"]
    assert "action_broken failed: KeyError at" in caplog.text and "secret" not in caplog.text


def test_slot_events_are_plain_rasa_events():
    assert SlotSet("county", "York") == {"event": "slot", "timestamp": None, "name": "county", "value": "York"}


@pytest.mark.parametrize("text", ["a lawyer anywhere in Maine", "todo Maine", "Maine oo dhan", "كل ماين", "statewide"])
def test_the_state_named_without_a_town_means_all_of_maine(text):
    messages, _ = run(ActionFindServices(), make_tracker(text, "find_services", {"need": "legal_help"}))
    assert text_of(messages).startswith(Replies().text("utter_services_found_statewide", need="Legal help"))


@pytest.mark.parametrize(
    "text, language, expected",
    [
        ("whats the difference between a PFA and a PFH", "en", ["PA-001", "PA-006"]),
        ("que diferencia hay entre la visa T y la visa U", "es", ["I-914", "I-918"]),
        ("visa T ou visa U, lequel est mieux pour moi ?", "fr", ["I-914", "I-918"]),
    ],
)
def test_two_options_compared_are_both_explained(text, language, expected):
    messages, slots = run(ActionLegalOptions(), make_tracker(text, "ask_legal_options", language=language))
    assert all(form in text_of(messages) for form in expected)
    assert slots["topic"] == "legal"


def test_two_options_named_without_comparing_them_get_the_one_asked_about():
    tracker = make_tracker(
        "i have a protection order already, can i get a u visa?", "ask_legal_options", {"legal_option": "u_visa"}
    )
    text = text_of(run(ActionLegalOptions(), tracker)[0])
    assert "I-918" in text and "PA-001" not in text


def test_clearing_a_record_with_the_town_of_the_arrest_explains_the_option_first():
    tracker = make_tracker(
        "i was arrested for prostitution in portland in 2019 when he was pimping me, can i clear my record?",
        "ask_legal_options",
        {"legal_option": "record_relief_prostitution"},
    )
    text = text_of(run(ActionLegalOptions(), tracker)[0])
    assert "2262-A" in text  # the option's own card, with its statute, not only a list of criminal courts


def test_a_legal_question_that_names_a_service_and_no_option_gets_the_service():
    text = "it happened 3 days ago, can i still go to the hospital without reporting it?"
    messages, slots = run(ActionLegalOptions(), make_tracker(text, "ask_legal_options"))
    assert slots.get("need") == "medical_forensic_exam"
    assert "Choose one to learn more" not in text_of(messages)  # not the list of every legal option


def test_a_service_named_only_in_the_story_before_a_legal_question_is_not_what_it_asks():
    text = "he made me sleep with men to pay the rent. i left him. can i get some status to stay here?"
    messages, slots = run(ActionLegalOptions(), make_tracker(text, "ask_legal_options"))
    assert slots.get("need") is None  # "rent" is basic needs, told in the story, not asked for
    assert "Choose one to learn more" in text_of(messages)
