"""A young person who gives their age and tells of abuse gets the notice for minors, then the line that fits
(bot/nlu/young_person.py, bot/i18n/keywords.says_young_age)."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.i18n import keywords
from bot.nlu.young_person import YoungPerson
from core.names import ALSO


def read(
    text: str, *pairs: tuple[str, float], found: dict[str, str] | None = None, option_confidence: float = 1.0
) -> Message:
    """The message as YoungPerson leaves it; `found`: entities set by the components before it."""
    ranking = [{"name": name, "confidence": confidence} for name, confidence in pairs]
    earlier = [
        {"entity": name, "value": value, "confidence_entity": option_confidence if name == "legal_option" else 1.0}
        for name, value in (found or {}).items()
    ]
    message = Message({TEXT: text, INTENT: ranking[0], INTENT_RANKING_KEY: ranking, ENTITIES: earlier})
    YoungPerson().process([message])
    return message


def entities(message: Message) -> dict[str, str]:
    return {e["entity"]: e["value"] for e in message.get(ENTITIES) or []}


@pytest.mark.parametrize(
    "text",
    [
        "im 15 and my moms boyfriend hits me when shes at work",
        "I'm 16, my uncle touches me when nobody's home",
        "my stepdad hits my mom and me when hes drunk, im 14",
        "tengo 14 años y mi padrastro me pega",
        "tengo 16, mi novio me obliga a hacer cosas",
        "j'ai 13 ans, mon grand frère me frappe",
        "tenho 17 anos e o meu padrasto entra no meu quarto de noite",
        "عمري ١٤ سنة وبيي بيضربني",
        "عمري 16 وزوج امي يضربني",  # "and" joined to the next word
        "ana 3omri 16 w jouz emmi byfout 3a ou2dti",
        "15 jir ayaan ahay, aabahay ayaa i garaaca",
        "waxaan ahay 16 jir, ninka hooyaday qabo ayaa habeenkii qolkayga soo gala",
    ],
)
def test_a_young_writers_own_age_is_found(text):
    assert keywords.says_young_age(text)


@pytest.mark.parametrize(
    "text",
    [
        "im 15 minutes away from the shelter",  # a number that is no age: no "and", not the sentence's end
        "tengo 16 dólares",
        "my daughter is 15 and her stepdad touches her",  # someone else's age: a parent writes
        "wiilkayga 8 jir ah ayaa arkay aabihii oo i garaacaya",  # my son, 8 years old
        "كان عمري ٨ سنين لما عمي كان يعمل فيني اشيا",  # I was 8: an adult's memory
        "im 34 and my husband hits me",
        "tengo 2 hijos y mi esposo me pega",
        "i'm scared and he hits me",
        "",
    ],
)
def test_anything_else_is_no_young_writer(text):
    assert not keywords.says_young_age(text)


@pytest.mark.parametrize("told", ["domestic_violence", "sexual_assault", "trafficking_signs"])
def test_a_young_person_telling_of_abuse_gets_the_notice_then_the_line(told):
    message = read("im 15 and my moms boyfriend hits me", (told, 0.8), ("minor", 0.1))
    assert message.get(INTENT)["name"] == "minor"
    assert entities(message)[ALSO] == told


def test_a_message_read_as_minor_keeps_what_it_told():
    message = read("tengo 14 anos y mi padrastro me pega", ("minor", 0.6), ("domestic_violence", 0.3))
    assert message.get(INTENT)["name"] == "minor"
    assert entities(message)[ALSO] == "domestic_violence"


@pytest.mark.parametrize(
    "text, asked, found",
    [
        ("im 15, he raped me last night. where can i get an exam?", "find_services", {"disclosure": "sexual_assault"}),
        ("tengo 16, mi papa me pega, donde puedo dormir esta noche?", "need_shelter", {}),
        ("j'ai 17 ans, quel tribunal à Lewiston ?", "ask_court", {"place": "Lewiston"}),
        (
            "im 17 and my stepdad hurts me, can i get a protection order",
            "ask_legal_options",
            {"legal_option": "protection_from_abuse"},
        ),
    ],
)
def test_a_young_person_asking_gets_the_notice_then_the_answer(text, asked, found):
    message = read(text, (asked, 0.7), ("domestic_violence", 0.2), found=found)
    assert message.get(INTENT)["name"] == "minor"
    assert entities(message) == {**found, ALSO: asked}  # what the answer needs is kept


@pytest.mark.parametrize(
    "text, pairs, found",
    [
        # a legal question that names no option: its answer is the list of options
        ("im 17 and my stepdad hurts me, what can i do legally", [("ask_legal_options", 0.7)], {}),
        # an adult's question after a story
        ("im 34 and my husband hits me, where is a shelter", [("need_shelter", 0.8)], {"disclosure": "x"}),
        ("im 16 can i get the questions", [("legal_questionnaire", 0.9)], {}),
    ],
)
def test_other_questions_keep_their_reading(text, pairs, found):
    message = read(text, *pairs, found=found)
    assert message.get(INTENT)["name"] == pairs[0][0]
    assert ALSO not in entities(message)


def test_a_legal_option_the_finder_is_unsure_of_is_no_one_answer():
    found = {"legal_option": "u_visa"}
    message = read("im 16, what about the paper thing", ("ask_legal_options", 0.7), found=found, option_confidence=0.3)
    assert message.get(INTENT)["name"] == "ask_legal_options"
    assert ALSO not in entities(message)


@pytest.mark.parametrize(
    "text, pairs",
    [
        # a crisis stays a crisis: 911 first
        ("im 14 and he is banging on my door right now", [("danger_now", 0.9), ("domestic_violence", 0.1)]),
        # a legal question whose option no component named is answered as asked
        ("im 17 and my stepdad hurts me, can i get a protection order", [("ask_legal_options", 0.7)]),
        # no age said: the disclosure's own reply
        ("my moms boyfriend hits me", [("domestic_violence", 0.9)]),
        # an adult
        ("im 34 and my husband hits me", [("domestic_violence", 0.9)]),
        # a young person asking about the service, who told nothing
        ("im 14 can i use this", [("minor", 0.9), ("domestic_violence", 0.05)]),
        ("/domestic_violence", [("domestic_violence", 1.0)]),
    ],
)
def test_everything_else_keeps_its_reading(text, pairs):
    message = read(text, *pairs)
    assert message.get(INTENT)["name"] == pairs[0][0]
    assert ALSO not in entities(message)
