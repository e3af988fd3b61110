"""Follow-ups keep the thread; a crisis message's question is answered after the crisis reply; statewide answers
come first, the town later."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker

from actions.ask_court import ActionCourt
from actions.ask_place import ActionAnswerPlace
from actions.ask_services import ActionFindServices
from actions.follow_up import ActionAlso, ActionFollowUp
from actions.replies import Replies
from core.facts import fact
from core.legal import legal_option
from core.names import EXPECTS, LAUNCH_LANGUAGES
from tests.actions.test_help_actions import make_tracker, run, text_of


def after(reply: str | None = None, action: str | None = None, **kwargs) -> Tracker:
    """A tracker whose latest answer was `reply` (a response) or `action` (a custom action), then the message."""
    tracker = make_tracker(**kwargs)
    earlier = []
    if reply:
        earlier = [{"event": "bot", "text": "...", "metadata": {"utter_action": reply}}]
    if action:
        earlier = [{"event": "action", "name": action}, {"event": "bot", "text": "...", "metadata": {}}]
    tracker.events[:0] = earlier
    return tracker


def after_services_near(need: str, town: str, county: str, text: str, language: str) -> Tracker:
    """A tracker whose latest answer listed the services of `need` near the town, then the follow-up `text`."""
    return after(
        action="action_find_services",
        text=text,
        intent="follow_up",
        language=language,
        slots={"topic": "services", "need": need, "town": town, "county": county},
    )


def after_the_option(option: str, text: str, language: str = "en") -> Tracker:
    """A tracker whose latest answer explained the legal option, then the follow-up `text`."""
    return after(
        action="action_legal_options",
        text=text,
        intent="follow_up",
        language=language,
        slots={"topic": "legal", "legal_option": option},
    )


@pytest.mark.parametrize("language", LAUNCH_LANGUAGES)
def test_which_form_after_a_protection_order_gives_the_form(language):
    tracker = after(
        action="action_legal_options",
        text="which form",
        intent="follow_up",
        language=language,
        slots={"topic": "legal", "legal_option": "protection_from_abuse"},
    )
    messages, _ = run(ActionFollowUp(), tracker)
    for form in legal_option("protection_from_abuse").form_numbers:
        assert form in text_of(messages)


def test_is_it_free_after_a_legal_option_gives_its_cost():
    tracker = after(
        action="action_legal_options",
        text="is it free?",
        intent="follow_up",
        slots={"topic": "legal", "legal_option": "protection_from_abuse"},
    )
    assert "No fee" in text_of(run(ActionFollowUp(), tracker)[0])


def test_can_i_text_after_the_trafficking_reply_gives_the_text_line():
    tracker = after(reply="utter_trafficking", text="can I send a text message instead?", intent="follow_up")
    assert fact("text_htl").value in text_of(run(ActionFollowUp(), tracker)[0])


def test_the_number_again_after_the_sexual_assault_reply():
    tracker = after(reply="utter_sexual_assault", text="whats the number", intent="follow_up")
    assert fact("line_sa").value in text_of(run(ActionFollowUp(), tracker)[0])


@pytest.mark.parametrize("question", ["whats the number", "can I text them?"])
def test_the_lines_again_after_the_danger_reply_keep_988(question):
    # The danger reply gives 988 too (a message may mean danger or self-harm): asked again, so do its lines.
    tracker = after(reply="utter_danger", text=question, intent="follow_up")
    assert fact("line_988").value in text_of(run(ActionFollowUp(), tracker)[0])


def test_an_interpreter_at_the_court_answered_statewide():
    tracker = after(
        action="action_court",
        text="will there be an interpreter",
        intent="follow_up",
        slots={"topic": "court", "court_case": "protection_from_abuse"},
    )
    assert fact("line_court_interpreters").value in text_of(run(ActionFollowUp(), tracker)[0])


def test_a_follow_up_with_nothing_before_asks_what_to_follow_up():
    messages, _ = run(ActionFollowUp(), make_tracker("is it free?", "follow_up"))
    assert "911" in text_of(messages) and messages[0]["buttons"]


@pytest.mark.parametrize(
    "question, language",
    [("are court interpreters free?", "en"), ("les interprètes au tribunal, c'est gratuit ?", "fr")],
)
def test_a_follow_up_with_nothing_before_that_names_its_topic_is_answered(question, language):
    messages, slots = run(ActionFollowUp(), make_tracker(question, "follow_up", language=language))
    assert fact("line_court_interpreters").value in text_of(messages)
    assert slots == {"topic": "legal", "legal_option": "court_interpreter"}  # "is there parking?" can follow


@pytest.mark.parametrize("question", ["whats the number", "what is their phone number?"])
def test_the_number_with_nothing_before_gives_the_24_7_lines(question):
    text = text_of(run(ActionFollowUp(), make_tracker(question, "follow_up"))[0])
    assert all(fact(key).value in text for key in ("line_dv", "line_sa", "line_htl")) and "again" not in text


def test_after_danger_the_court_question_is_answered_too():
    tracker = make_tracker(
        "where is the court in Bangor? he is at the door",
        "danger_now",
        {"also": "ask_court"},
        {"county": "Penobscot", "town": "Bangor"},
    )
    assert "Bangor" in text_of(run(ActionAlso(), tracker)[0])


def test_after_danger_a_disclosure_already_in_the_danger_reply_is_not_repeated():
    tracker = make_tracker("he hits me and he is at the door", "danger_now", {"also": "domestic_violence"})
    assert run(ActionAlso(), tracker)[0] == []


@pytest.mark.parametrize(("intent", "gets_the_bed_lines"), [("minor", True), ("danger_now", False)])
def test_a_shelter_asked_for_after_the_notice_for_minors_gets_the_lines_for_a_bed_tonight(intent, gets_the_bed_lines):
    tracker = make_tracker("im 16, my dad beats me, where can i sleep tonight", intent, {"also": "need_shelter"})
    text = text_of(run(ActionAlso(), tracker)[0])
    bed_lines = Replies("en").message("utter_shelter")["text"].split("\n")[0]
    assert (bed_lines in text) == gets_the_bed_lines  # after danger, its own reply gave the helpline
    assert "Safe place to stay" in text


def test_services_without_a_town_are_answered_statewide_and_the_town_offered():
    messages, _ = run(
        ActionFindServices(),
        make_tracker("free immigration lawyer?", "find_services", {"need": "immigration_legal_help"}),
    )
    assert "ilapmaine.org" in text_of(messages)
    assert messages[-1].get(EXPECTS) == "place"  # the next message may be the town


def test_court_interpreters_answered_without_asking_the_town():
    messages, _slots = run(
        ActionCourt(),
        make_tracker("are court interpreters free in maine?", "ask_court", {"legal_option": "court_interpreter"}),
    )
    assert fact("line_court_interpreters").value in text_of(messages)
    assert not any(m.get(EXPECTS) == "place" for m in messages)


def test_a_protection_order_without_a_town_gives_the_form_then_asks_the_town():
    messages, _ = run(ActionCourt(), make_tracker("where do i file for a pfa", "ask_court"))
    assert "PA-001" in text_of(messages)
    assert messages[-1].get(EXPECTS) == "place"


def test_a_question_after_a_story_gets_the_line_that_fits_what_was_told():
    messages, _ = run(
        ActionFindServices(),
        make_tracker(
            "he beats me. i need a lawyer in Portland",
            "find_services",
            {"need": "legal_help", "disclosure": "domestic_violence"},
            {"county": "Cumberland", "town": "Portland"},
        ),
    )
    assert fact("line_dv").value in text_of(messages)


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("utter_sexual_assault", "1-800-871-7741"),
        ("utter_domestic_violence", "1-800-559-2927"),
        ("utter_shelter", "Safe Voices"),
    ],
)
def test_a_town_after_a_disclosure_reply_finds_that_help_near_it(reply, expected):
    messages, slots = run(ActionAnswerPlace(), after(reply=reply, text="Lewiston", intent="inform_place"))
    assert expected in text_of(messages) and "Lewiston" in text_of(messages)
    assert slots["topic"] == "services"


def test_a_town_with_nothing_told_before_asks_what_is_needed_there():
    messages, _ = run(ActionAnswerPlace(), after(reply="utter_privacy", text="Lewiston", intent="inform_place"))
    assert "Safe Voices" not in text_of(messages) and "Lewiston" in text_of(messages)


def test_after_danger_a_legal_question_is_answered_with_the_line_for_what_was_told():
    tracker = make_tracker(
        "he kept our passports and he is outside now. can i stay if i report him?",
        "danger_now",
        {"also": "ask_legal_options", "legal_option": "t_visa", "disclosure": "trafficking_signs"},
    )
    messages, slots = run(ActionAlso(), tracker)
    assert "T visa" in text_of(messages) and fact("line_htl").value in text_of(messages)
    assert slots == {"topic": "legal", "legal_option": "t_visa"}


@pytest.mark.parametrize(
    ("question", "language"),
    [("will they call immigration?", "en"), ("immigration ma u yeeraan?", "so"), ("هم يبلغون الهجرة؟", "ar")],
)
def test_will_they_call_immigration_after_the_hotline_says_it_is_neither_police_nor_immigration(question, language):
    tracker = after(reply="utter_trafficking", text=question, intent="follow_up", language=language)
    text = text_of(run(ActionFollowUp(), tracker)[0])
    replies = Replies(language)
    assert replies.text("utter_followup_authorities_htl") in text
    assert replies.text("utter_followup_authorities_me") in text  # and what the assistant itself does
    if language != "en":  # in the person's language
        assert Replies("en").text("utter_followup_authorities_htl") not in text


def test_will_you_tell_the_police_after_the_sexual_assault_line_says_no_report_is_needed():
    tracker = after(reply="utter_sexual_assault", text="booliska ma u sheegayaa?", intent="follow_up", language="so")
    text = text_of(run(ActionFollowUp(), tracker)[0])
    assert "Uma baahnid inaad booliska u sheegto" in text and "ma ihi booliis" in text


def test_do_i_have_to_call_the_police_after_victims_compensation_gives_its_police_conditions():
    tracker = after(
        action="action_legal_options",
        text="do i have to have called the police",
        intent="follow_up",
        slots={"topic": "legal", "legal_option": "victims_compensation"},
    )
    text = text_of(run(ActionFollowUp(), tracker)[0])
    assert "reported to police within 5 days" in text and "work with the police" in text
    assert "not legal advice" in text.lower()


def test_after_danger_the_police_question_gives_no_advice_about_avoiding_them():
    tracker = after(reply="utter_danger", text="will they send the police?", intent="follow_up")
    text = text_of(run(ActionFollowUp(), tracker)[0])
    assert "do not have to give your name" not in text and "not the police" in text


def test_will_they_call_immigration_after_services_says_to_ask_them():
    tracker = after(
        action="action_find_services",
        text="will they call immigration",
        intent="follow_up",
        slots={"topic": "services", "need": "legal_help"},
    )
    assert "Ask them before you give your name" in text_of(run(ActionFollowUp(), tracker)[0])


def test_the_police_question_after_sexual_assault_services_near_a_town_says_no_report_is_needed():
    tracker = after(
        action="action_answer_place",
        text="will they tell the police",
        intent="follow_up",
        slots={"topic": "services", "need": "counselling"},
    )
    tracker.events[:0] = [{"event": "bot", "text": "...", "metadata": {"utter_action": "utter_sexual_assault"}}]
    text = text_of(run(ActionFollowUp(), tracker)[0])
    assert "You do not have to report to the police" in text and "Ask them before you give your name" in text


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("how long do i have to apply", "en"),
        ("cuanto tiempo tengo para pedirlo", "es"),
        ("waqti intee leeg ayaan haystaa?", "so"),
    ],
)
def test_how_long_after_victims_compensation_gives_its_time_limit_only(question, language):
    text = text_of(run(ActionFollowUp(), after_the_option("victims_compensation", question, language))[0])
    replies = Replies(language)
    fields = legal_option("victims_compensation").plain_text()
    assert replies.data("options", "time_limit", fields["time_limit"]) in text
    assert replies.data("options", "what_it_is", fields["what_it_is"]) not in text  # not the whole option again


def test_who_helps_for_free_after_a_legal_option_gives_its_free_help():
    tracker = after(
        action="action_legal_options",
        text="who helps for free",
        intent="follow_up",
        slots={"topic": "legal", "legal_option": "t_visa"},
    )
    text = text_of(run(ActionFollowUp(), tracker)[0])
    assert "ilapmaine.org" in text or "Immigrant Legal Advocacy Project" in text
    assert "What it is" not in text  # its free help, not the whole option again


@pytest.mark.parametrize(("question", "language"), [("and for a lawyer?", "en"), ("ok et pour un avocat ?", "fr")])
def test_a_lawyer_asked_for_after_the_hotline_is_found_not_the_lines_again(question, language):
    tracker = after(reply="utter_trafficking", text=question, intent="follow_up", language=language)
    messages, slots = run(ActionFollowUp(), tracker)
    assert "Pine Tree Legal Assistance" in text_of(messages)
    assert slots["topic"] == "services" and slots["need"] == "legal_help"


def test_money_asked_about_after_the_hotline_is_about_its_lines():
    tracker = after(reply="utter_trafficking", text="lacag ma ku baxdaa?", intent="follow_up", language="so")
    messages, slots = run(ActionFollowUp(), tracker)
    assert fact("line_htl").value in text_of(messages) and not slots


def test_what_if_i_dont_speak_english_after_the_self_harm_reply_says_the_lines_have_interpreters():
    tracker = after(reply="utter_self_harm", text="what if i dont speak english", intent="follow_up")
    text = text_of(run(ActionFollowUp(), tracker)[0])
    assert Replies("en").text("utter_followup_lines_interpreter") in text and fact("line_988").value in text


# "Is there parking?" after the Bangor court: each court's address and the clerk's number, and that the clerk
# knows about parking (we hold no parking facts), not the whole answer again: on SMS that was several texts.
PARKING = {
    "en": "is there parking there?",
    "es": "hay estacionamiento?",
    "fr": "il y a un parking ?",
    "pt": "tem estacionamento la?",
    "ar": "في موقف سيارات؟",
    "so": "baabuur la dhigto ma leeyahay?",
}


def after_the_bangor_court(text: str, language: str = "en") -> Tracker:
    return after(
        action="action_court",
        text=text,
        intent="follow_up",
        language=language,
        slots={"topic": "court", "court_case": "protection_from_abuse", "county": "Penobscot", "town": "Bangor"},
    )


@pytest.mark.parametrize("language", LAUNCH_LANGUAGES)
def test_parking_after_a_court_gives_its_address_and_the_clerk_not_the_whole_answer_again(language):
    text = text_of(run(ActionFollowUp(), after_the_bangor_court(PARKING[language], language))[0])
    replies = Replies(language)
    assert "78 Exchange Street" in text and "(207) 561-2300" in text
    assert replies.text("utter_court_ask_the_way") in text
    assert "PA-001" not in text  # the advice on filing, given with the court, is not given again


def test_when_they_are_open_after_a_court_gives_the_hours_and_the_number_only():
    text = text_of(run(ActionFollowUp(), after_the_bangor_court("what time do they open?"))[0])
    assert "Monday to Friday" in text and "(207) 561-2300" in text
    assert "78 Exchange Street" not in text and "PA-001" not in text


def test_another_town_after_a_court_gives_that_town_in_full():
    tracker = after_the_bangor_court("and in Portland?")
    text = text_of(run(ActionFollowUp(), tracker)[0])
    assert "Portland District Court" in text and "PA-001" in text


def test_when_after_a_protection_order_court_also_says_when_a_judge_decides():
    # "when" may be about the hearing, not the doors: the same-day order and the hearing's delay come with the hours
    text = text_of(run(ActionFollowUp(), after_the_bangor_court("when is the hearing?"))[0])
    assert "Monday to Friday" in text and "21 days" in text and "same day" in text


# "How much does it cost?" after a court's answer: the fee of the case asked about, named, not the courts again.
COST = {
    "en": "how much does it cost?",
    "es": "cuanto cuesta?",
    "fr": "ça coûte combien ?",
    "pt": "quanto custa?",
    "ar": "addesh bi kallef?",
    "so": "imisa ayay ku kacaysaa?",
}


@pytest.mark.parametrize("language", LAUNCH_LANGUAGES)
def test_the_cost_after_a_court_gives_the_fee_of_the_case_not_the_courts_again(language):
    text = text_of(run(ActionFollowUp(), after_the_bangor_court(COST[language], language))[0])
    replies = Replies(language)
    pfa = legal_option("protection_from_abuse")
    assert replies.data("options", "fee", pfa.plain_text()["fee"]) in text
    assert replies.data("options", "name", pfa.name) in text
    assert "78 Exchange Street" not in text and "(207) 561-2300" not in text


def test_the_cost_after_a_court_with_no_case_gives_the_free_interpreter():
    tracker = after(
        action="action_court",
        text="how much does it cost?",
        intent="follow_up",
        slots={"topic": "court", "court_case": None, "county": "Cumberland", "town": "Portland"},
    )
    text = text_of(run(ActionFollowUp(), tracker)[0])
    assert "Free: the state pays." in text and "Free court interpreter" in text
    assert "205 Newbury Street" not in text


def test_the_police_question_after_services_whose_answer_acknowledged_an_assault_says_no_report_is_needed():
    """A doctor for an exam after a rape in Biddeford, then "do I have to call the police?": the
    sexual assault line was added to the services' answer (actions/replies.py `acknowledge`), not sent alone."""
    tracker = after(
        action="action_find_services",
        text="tem que chamar policia?",
        intent="follow_up",
        language="pt",
        slots={"topic": "services", "need": "medical_forensic_exam"},
    )
    tracker.events.insert(2, {"event": "bot", "text": "...", "metadata": {"told": "sexual_assault"}})
    text = text_of(run(ActionFollowUp(), tracker)[0])
    assert Replies("pt").text("utter_followup_authorities_sa") in text  # no report to the police is needed
    assert Replies("pt").text("utter_followup_authorities_ask") in text


def test_the_line_added_after_an_answer_says_which_disclosure_it_acknowledges():
    told = {"disclosure": "domestic_violence"}
    messages, _ = run(ActionCourt(), make_tracker("where do i file for a pfa, he beat me", "ask_court", entities=told))
    assert any(m.get("told") == "domestic_violence" for m in messages)


@pytest.mark.parametrize(("question", "language"), [("how long does it take?", "en"), ("y cuanto tiempo tarda?", "es")])
def test_a_detail_the_option_does_not_hold_is_said_so_with_who_can_tell_not_the_whole_option_again(question, language):
    text = text_of(run(ActionFollowUp(), after_the_option("u_visa", question, language))[0])
    replies = Replies(language)
    u_visa = legal_option("u_visa")
    assert replies.text("utter_followup_legal_unknown") in text
    assert fact("web_ilap").value in text
    assert replies.data("options", "what_it_is", u_visa.plain_text()["what_it_is"]) not in text


@pytest.mark.parametrize(("question", "language"), [("are they open now?", "en"), ("hadda ma furan yihiin?", "so")])
def test_are_they_open_after_the_lines_says_they_answer_24_hours(question, language):
    tracker = after(reply="utter_talk_to_person", text=question, intent="follow_up", language=language)
    text = text_of(run(ActionFollowUp(), tracker)[0])
    assert Replies(language).text("utter_followup_lines_free") in text and fact("line_dv").value in text


def test_do_they_speak_my_language_after_services_says_what_the_list_knows_then_the_list():
    tracker = after_services_near("immigration_legal_help", "Portland", "Cumberland", "eles falam portugues?", "pt")
    text = text_of(run(ActionFollowUp(), tracker)[0])
    assert text.startswith(Replies("pt").text("utter_followup_services_language"))
    assert "Immigrant Legal Advocacy Project" in text


def test_is_it_paid_for_after_shelters_keeps_the_shelters_though_its_words_name_money():
    tracker = after_services_near("safe_housing", "Lewiston", "Androscoggin", "lacag ma la bixiyaa?", "so")
    messages, slots = run(ActionFollowUp(), tracker)
    assert slots.get("need") == "safe_housing"
    assert text_of(messages).startswith(Replies("so").text("utter_followup_services_cost"))
