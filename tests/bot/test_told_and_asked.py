"""A disclosure that asks for a service in a named place is answered as that question (bot/nlu/told_and_asked.py)."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.danger_first import DangerFirst
from bot.nlu.told_and_asked import MIN_ASKED, ToldAndAsked
from core.names import DISCLOSURE


def read(text: str, *pairs: tuple[str, float]) -> Message:
    """The message as DangerFirst, then ToldAndAsked, leave it (their order in config.yml)."""
    ranking = [{"name": name, "confidence": confidence} for name, confidence in pairs]
    message = Message({TEXT: text, INTENT: ranking[0], INTENT_RANKING_KEY: ranking})
    ToldAndAsked().process(DangerFirst().process([message]))
    return message


def entities(message: Message) -> dict[str, str]:
    return {e["entity"]: e["value"] for e in message.get(ENTITIES) or []}


@pytest.mark.parametrize(
    "text, told",
    [
        ("is there a doctor in rockland who does the exam after a sexual assault", "sexual_assault"),
        ("médecin après une agression sexuelle à Portland", "sexual_assault"),
        ("he hits me, i need a lawyer in Lewiston", "domestic_violence"),
    ],
)
def test_a_service_asked_for_in_a_named_place_is_the_question(text, told):
    message = read(text, (told, 0.7), ("find_services", MIN_ASKED), ("ask_court", 0.05))
    assert message.get(INTENT)["name"] == "find_services"
    assert entities(message)[DISCLOSURE] == told  # what was told keeps its line in the answer


@pytest.mark.parametrize(
    "text",
    [
        "Something happened at a party Saturday. It's Tuesday now. Is it too late to get an exam?",
        "i was raped in october. is it too late to get an exam or anything",  # "too late" asks, without a "?"
        "me violaron el sabado, todavia me pueden hacer el examen?",
        "يوم الجمعة اعتدى عليا. لسه ينفع أعمل الكشف؟",
        "Jimcihii ayaa nin i kufsaday. Weli ma la i baari karaa?",
    ],
)
def test_the_exam_asked_for_after_a_sexual_assault_needs_no_place(text):
    # The classifier sees no services question; the exam's answer holds in all of Maine.
    message = read(text, ("sexual_assault", 0.9), ("ask_legal_options", 0.05), ("find_services", 0.01))
    assert message.get(INTENT)["name"] == "find_services"
    assert entities(message)[DISCLOSURE] == "sexual_assault"


def test_the_exam_asked_without_a_question_mark_when_the_classifier_sees_a_question():
    text = "is there a doctor who does the exam after a sexual assault"
    message = read(text, ("sexual_assault", 0.7), ("find_services", MIN_ASKED))
    assert message.get(INTENT)["name"] == "find_services"
    assert read(text, ("sexual_assault", 0.7), ("find_services", MIN_ASKED - 0.01)).get(INTENT)["name"] == (
        "sexual_assault"
    )


@pytest.mark.parametrize(
    "text, told",
    [
        ("my husband beats me in front of my kids. where can we go tonight?", "domestic_violence"),
        ("زوجي بيضربني قدام ولادي، وين بقدر روح الليلة؟", "domestic_violence"),
        ("il me frappe devant les enfants. où aller ce soir ?", "domestic_violence"),
        ("ninkayga wuu i garaacaa, xaggee u aadaa caawa?", "domestic_violence"),
        ("el patrón nos encierra y no nos paga, a dónde puedo ir esta noche?", "trafficking_signs"),
    ],
)
def test_a_bed_tonight_asked_for_after_a_story_needs_no_place(text, told):
    # The shelter reply gives the lines that look for a bed and the places of all of Maine.
    message = read(text, (told, 0.9), ("need_shelter", 0.05), ("find_services", 0.01))
    assert message.get(INTENT)["name"] == "need_shelter"
    assert entities(message)[DISCLOSURE] == told


@pytest.mark.parametrize(
    "text, pairs",
    [
        # the exam told, not asked about: the sexual assault reply
        ("he raped me, the doctor did a rape kit and the police did nothing", [("sexual_assault", 0.9)]),
        # a bed tonight told in the story, and something else asked
        ("we had nowhere to sleep last night. how do i get a protection order", [("domestic_violence", 0.9)]),
        # a bed told, not asked about
        ("he threw us out and we had nowhere to go tonight so we slept in the car", [("domestic_violence", 0.9)]),
        ("he raped me, the doctor did a rape kit and the police did nothing", [("sexual_assault", 0.9)]),
        # an exam asked about after another disclosure: only the place rule applies
        ("he hits me, can i get an exam?", [("domestic_violence", 0.9), ("find_services", 0.01)]),
        # no place named, no exam: the disclosure's own reply, which asks nothing it does not need
        ("is there a lawyer who helps after a sexual assault", [("sexual_assault", 0.7), ("find_services", 0.3)]),
        # a place, but no service named: the answer could only ask which help, so the disclosure's reply stays
        ("where can i get help after being raped, im in saco", [("sexual_assault", 0.7), ("find_services", 0.3)]),
        # a place, but too little sign of a services question
        ("he raped me at a party in Bangor", [("sexual_assault", 0.8), ("find_services", MIN_ASKED - 0.01)]),
        # only disclosures are read again; a button's payload says what it is
        ("where is the court in Bangor", [("ask_court", 0.6), ("find_services", 0.3)]),
        ("/sexual_assault", [("sexual_assault", 1.0), ("find_services", 0.3)]),
    ],
)
def test_everything_else_keeps_its_reading(text, pairs):
    message = read(text, *pairs)
    assert message.get(INTENT)["name"] == pairs[0][0]
    assert DISCLOSURE not in entities(message)


def test_a_crisis_chance_behind_the_disclosure_is_never_lost():
    # DangerFirst reads the chances first: this is a crisis, not a services question.
    message = read(
        "he raped me and he is still in the house in Bangor, where can I go",
        ("sexual_assault", 0.5),
        ("find_services", 0.3),
        ("danger_now", 0.2),
    )
    assert message.get(INTENT)["name"] == "danger_now"
