"""Conversations over the real REST channel, in all six launch languages."""

import uuid

import pytest

from bot.i18n import catalog
from bot.replies.rendering import render_response
from core.names import LAUNCH_LANGUAGES
from core.yaml_files import read_yaml
from tests.conftest import PROJECT_ROOT, domain_responses, without_danger_line

pytestmark = pytest.mark.e2e

CONVERSATIONS = read_yaml(PROJECT_ROOT / "tests" / "e2e" / "conversations.yml")
FORGET_ME = CONVERSATIONS.pop("forget_me")
CASES = [(language, text, response) for language, turns in CONVERSATIONS.items() for text, response in turns]
RESPONSES = domain_responses()


def new_sender() -> str:
    return f"e2e-{uuid.uuid4().hex}"


def expected(response: str, language: str) -> dict:
    return render_response(RESPONSES, response, language, "collector")


def texts(messages: list[dict]) -> list[str]:
    return without_danger_line([message.get("text", "") for message in messages])


# What a person types to choose each language (English is the default, so it is never chosen here).
LANGUAGE_NAMES = {"es": "español", "fr": "français", "pt": "português", "ar": "العربية", "so": "Soomaali"}


# After the shelter lines, the safe-housing search answers for all of Maine, then offers to narrow it by town
# (actions/ask_services.py: answer first, narrow later).
FOLLOW_UPS = {"utter_shelter": "safe_housing"}


@pytest.mark.parametrize("language, text, response", CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_a_first_message_gets_the_right_answer_in_its_language(servers, language, text, response):
    from actions.ask_services import services_reply
    from actions.replies import Replies

    replies = servers.say(new_sender(), text)
    want = [expected(response, language)["text"]]
    if response in FOLLOW_UPS:
        searched = Replies(language, "rest")
        want += [services_reply(searched, FOLLOW_UPS[response], None)["text"], searched.text("utter_services_narrow")]
    assert "\n\n".join(texts(replies)) == "\n\n".join(want)  # the REST channel splits a text at blank lines


@pytest.mark.parametrize("language", sorted(CONVERSATIONS))
def test_every_reply_keeps_the_911_line_in_its_language(servers, language):
    from actions.replies import Replies

    line = Replies(language, "rest").text("utter_danger_line")
    greeting = CONVERSATIONS[language][0][0]
    sent = [message["text"] for message in servers.say(new_sender(), greeting)]
    assert "911" not in expected("utter_greet", language)["text"]
    assert sent == [expected("utter_greet", language)["text"] + "\n" + line]
    # A custom action's answer (the services search asks for the town) ends with it too, once.
    asked = [message["text"] for message in servers.say(new_sender(), "/ask_services", {"language": language})]
    assert asked[-1].endswith("\n" + line) and sum("911" in text for text in asked) == 1
    # A reply that names 911 already gets no second line.
    danger = next(text for text, response in CONVERSATIONS[language] if response == "utter_danger")
    assert [message["text"] for message in servers.say(new_sender(), danger)] == [
        expected("utter_danger", language)["text"]
    ]


@pytest.mark.parametrize("language", sorted(CONVERSATIONS))
def test_immediate_danger_comes_first_even_mid_conversation(servers, language):
    sender = new_sender()
    greeting = CONVERSATIONS[language][0][0]
    danger = next(text for text, response in CONVERSATIONS[language] if response == "utter_danger")
    servers.say(sender, greeting)
    servers.say(sender, "/ask_court")
    assert texts(servers.say(sender, danger)) == [expected("utter_danger", language)["text"]]


@pytest.mark.parametrize("language", ["es", "fr", "pt", "ar", "so"])
def test_metadata_language_wins_over_the_message_language(servers, language):
    replies = servers.say(new_sender(), "hello", metadata={"language": language})
    assert texts(replies) == [expected("utter_greet", language)["text"]]


@pytest.mark.parametrize(
    "name, language",
    [("español", "es"), ("Soomaali", "so"), ("العربية", "ar"), ("français", "fr"), ("Português", "pt")],
)
def test_a_typed_language_name_is_a_choice_that_sticks(servers, name, language):
    sender = new_sender()
    assert texts(servers.say(sender, name)) == [expected("utter_language_set", language)["text"]]
    # An English message afterwards is still answered in the chosen language.
    assert texts(servers.say(sender, "my husband hits me")) == [expected("utter_domestic_violence", language)["text"]]


def test_change_language_offers_every_language_by_native_name(servers):
    replies = servers.say(new_sender(), "change language")
    assert [button["title"] for button in replies[0]["buttons"]] == [
        button["title"] for button in expected("utter_choose_language", "en")["buttons"]
    ]


def test_a_language_button_payload_switches_language(servers):
    sender = new_sender()
    servers.say(sender, '/choose_language{"language": "so", "language_chosen": "so"}')
    assert texts(servers.say(sender, "hello")) == [expected("utter_greet", "so")["text"]]


def test_greeting_buttons_are_translated(servers):
    replies = servers.say(new_sender(), "hola buenas tardes")
    titles = [button["title"] for button in replies[0]["buttons"]]
    assert titles[0] == catalog.translate("es", "utter_menu:button", "I am in danger now")


@pytest.mark.parametrize("language", sorted(FORGET_ME))
def test_forget_me_deletes_the_conversation(servers, language):
    sender = new_sender()
    chosen = language if language != "en" else "so"  # an English "forget me" still answers in the chosen language
    servers.say(sender, LANGUAGE_NAMES[chosen])
    assert texts(servers.say(sender, FORGET_ME[language])) == [expected("utter_forgotten", chosen)["text"]]
    # The chosen language went with the conversation: the next message starts from scratch, in English.
    assert texts(servers.say(sender, "hello")) == [expected("utter_greet", "en")["text"]]


@pytest.mark.parametrize("language, yes", [("es", "sí"), ("so", "haa")])
def test_an_unsure_forget_me_asks_first_and_yes_deletes(servers, language, yes):
    # The classifier's unsure reading becomes forget_me_unsure (bot/nlu/unsure_erasure.py); its payload
    # stands in for it here, since which text reads as unsure changes with every training.
    sender = new_sender()
    servers.say(sender, LANGUAGE_NAMES[language])
    [asked] = servers.say(sender, "/forget_me_unsure")
    wanted = expected("utter_ask_forget_me", language)
    assert texts([asked]) == [wanted["text"]]
    assert [button["payload"] for button in asked["buttons"]] == ["/forget_me"]
    assert texts(servers.say(sender, yes)) == [expected("utter_forgotten", language)["text"]]
    assert texts(servers.say(sender, "hello")) == [expected("utter_greet", "en")["text"]]  # deleted


def test_no_to_an_unsure_forget_me_keeps_the_conversation(servers):
    sender = new_sender()
    servers.say(sender, LANGUAGE_NAMES["so"])
    servers.say(sender, "/forget_me_unsure")
    assert texts(servers.say(sender, "maya")) == [expected("utter_menu", "so")["text"]]
    assert texts(servers.say(sender, "hello")) == [expected("utter_greet", "so")["text"]]  # the language stayed


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "he is outside my door with a knife right now. can I get a protection from abuse order?"),
        ("es", "está afuera de mi puerta con un cuchillo ahora mismo. ¿cómo pido una orden de protección?"),
    ],
    ids=["en", "es"],
)
def test_danger_said_beside_a_legal_question_gets_the_danger_reply_then_the_answer(servers, language, text):
    # A first message carries the language entity too: the rule that answers `also` must still match it.
    from actions.legal_replies import option_title
    from actions.replies import Replies
    from core.legal import legal_option

    replies = texts(servers.say(new_sender(), text))
    assert replies[0] == expected("utter_danger", language)["text"]
    title = option_title(Replies(language, "rest"), legal_option("protection_from_abuse"))
    assert any(title in reply for reply in replies[1:])


@pytest.mark.parametrize(
    "language, text, line",
    [
        ("en", "im 15 and my moms boyfriend hits me when shes at work", "utter_domestic_violence"),
        ("es", "tengo 14 años y mi padrastro me pega cuando mi mamá no está", "utter_domestic_violence"),
        ("fr", "j'ai 13 ans, le chum de ma mère me touche la nuit", "utter_sexual_assault"),
    ],
    ids=["en", "es", "fr"],
)
def test_a_young_person_telling_of_abuse_gets_the_notice_for_minors_then_the_line(servers, language, text, line):
    # bot/nlu/young_person.py: the age said turns the disclosure into `minor`, with what was told as `also`.
    replies = texts(servers.say(new_sender(), text))
    assert replies[0] == expected("utter_minor", language)["text"]
    # The line's reply, without its 911 sentence: the notice already said it (bot/channels/turns.py).
    told = expected(line, language)["text"].split("\n")
    assert replies[1:] == ["\n".join(told[:-1])]
    assert "911" in told[-1]


def exam_answer_and_line(language: str) -> tuple[str, str]:
    """The heading of the exam's statewide answer, and the first line of the sexual assault reply."""
    from actions.ask_services import need_names
    from actions.replies import DISCLOSURE_LINES, Replies

    replies = Replies(language, "rest")
    heading = replies.text(
        "utter_services_found_statewide",
        need=replies.data("taxonomy", "name", need_names()["medical_forensic_exam"]),
    )
    return heading, replies.message(DISCLOSURE_LINES["sexual_assault"])["text"].split("\n")[0]


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "Something happened at a party Saturday. It's Tuesday now. Is it too late to get an exam?"),
        ("es", "me violaron el sábado, hoy es martes. ¿todavía me pueden hacer el examen?"),
    ],
    ids=["en", "es"],
)
def test_the_exam_asked_for_after_an_assault_gets_the_statewide_answer_and_the_line(servers, language, text):
    # bot/nlu/told_and_asked.py: the exam holds in all of Maine; what was told keeps its line.
    heading, line = exam_answer_and_line(language)
    said = texts(servers.say(new_sender(), text))
    assert said[0].startswith(heading)
    assert any(line in reply for reply in said[1:])


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "im 15 and a guy from school raped me on saturday. is it too late to get an exam?"),
        ("es", "tengo 16 años y me violaron el sábado, ¿todavía me pueden hacer el examen?"),
    ],
    ids=["en", "es"],
)
def test_a_young_person_asking_for_the_exam_gets_the_notice_first_then_the_answer(servers, language, text):
    # bot/nlu/young_person.py: the doctors at the exam must report, so the notice comes before the answer.
    heading, line = exam_answer_and_line(language)
    said = texts(servers.say(new_sender(), text))
    assert said[0] == expected("utter_minor", language)["text"]
    assert said[1].startswith(heading)
    assert any(line in reply for reply in said[2:])


@pytest.mark.parametrize("language", LAUNCH_LANGUAGES)
def test_the_menus_privacy_choice_typed_word_for_word_is_answered_in_its_language(servers, language):
    # bot/nlu/menu_title.py: the Somali title was read as an unsure "forget me" and answered in English.
    title = catalog.translate(language, "utter_menu:button", "Privacy")
    assert texts(servers.say(new_sender(), title))[0] == expected("utter_privacy", language)["text"]
