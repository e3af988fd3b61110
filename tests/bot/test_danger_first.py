"""Danger and self-harm win over everything else in a message; what else it asked is kept for after."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.danger_first import DangerFirst, crisis_in
from bot.nlu.intent_classifier import SEGMENTS


def ranking(*pairs: tuple[str, float]) -> list[dict]:
    return [{"name": name, "confidence": confidence} for name, confidence in pairs]


def processed(text: str, top: list[dict], segments: list[dict] | None = None) -> Message:
    message = Message({TEXT: text, INTENT: top[0], INTENT_RANKING_KEY: top})
    if segments is not None:
        message.set(SEGMENTS, segments)
    DangerFirst().process([message])
    return message


def entities(message: Message) -> dict[str, str]:
    return {e["entity"]: e["value"] for e in message.get(ENTITIES) or []}


@pytest.mark.parametrize(
    "text, top, segments, expected",
    [
        # a crisis guess behind a question still counts
        ("where is the court", ranking(("ask_court", 0.6), ("danger_now", 0.2)), [], "danger_now"),
        # danger and self-harm are one chance of a crisis: neither alone is enough here, together they are
        (
            "can someone help",
            ranking(("find_services", 0.3), ("self_harm", 0.11), ("danger_now", 0.1)),
            [],
            "self_harm",
        ),
        ("can someone help", ranking(("find_services", 0.3), ("danger_now", 0.11), ("self_harm", 0.02)), [], None),
        # a sentence of a long message that is a crisis on its own
        (
            "a long story, then he is here",
            ranking(("ask_court", 0.9), ("danger_now", 0.05)),
            [{"danger_now": 0.8}],
            "danger_now",
        ),
        # a chance split between the two: the likelier one's reply (both replies carry 911 and 988)
        ("both", ranking(("danger_now", 0.5), ("self_harm", 0.4)), [], "danger_now"),
        ("both", ranking(("self_harm", 0.5), ("danger_now", 0.4)), [], "self_harm"),
        (
            "my husband threatens to kill me",
            ranking(("domestic_violence", 0.55), ("danger_now", 0.14), ("self_harm", 0.10)),
            [],
            "danger_now",
        ),
        # a sentence that says self-harm outright wins over a likelier danger
        ("both", ranking(("danger_now", 0.5), ("self_harm", 0.1)), [{"self_harm": 0.7}], "self_harm"),
        # but a self-harm chance far below the danger one is no doubt about which crisis it is
        ("he's going to slaughter me", ranking(("danger_now", 0.68), ("self_harm", 0.13)), [], "danger_now"),
        # the safety word lists, whatever the classifier thought
        ("i want to kill myself", ranking(("greet", 0.9)), [], "self_harm"),
        ("nothing of the kind", ranking(("ask_court", 0.9), ("danger_now", 0.05)), [{"danger_now": 0.3}], None),
        # a sentence that only says the danger is over is no crisis, however its "now" was scored...
        (
            "il est parti maintenant. où je peux dormir ce soir ?",
            ranking(("need_shelter", 0.85), ("danger_now", 0.1)),
            [{"danger_now": 0.99}, {"danger_now": 0.0}],
            None,
        ),
        # ...but the next sentence still counts
        (
            "il est parti maintenant. il revient ce soir avec un fusil",
            ranking(("need_shelter", 0.85), ("danger_now", 0.1)),
            [{"danger_now": 0.2}, {"danger_now": 0.9}],
            "danger_now",
        ),
    ],
)
def test_crisis_in(text, top, segments, expected):
    assert crisis_in(text, top, segments) == expected


def test_a_crisis_said_beside_a_question_keeps_the_question_for_after():
    message = processed("which court? he is breaking the door", ranking(("ask_court", 0.6), ("danger_now", 0.3)))
    assert message.get(INTENT)["name"] == "danger_now"
    assert entities(message)["also"] == "ask_court"


@pytest.mark.parametrize(("confidence", "also"), [(0.8, "ask_legal_options"), (0.4, "trafficking_signs")])
def test_a_story_read_as_danger_keeps_a_clear_legal_question_for_after(confidence, also):
    message = Message(
        {
            TEXT: "he kept our passports and says we owe him. he is outside now. can i stay if i report him?",
            INTENT: {"name": "danger_now", "confidence": 0.5},
            INTENT_RANKING_KEY: ranking(("danger_now", 0.5), ("trafficking_signs", 0.4)),
            ENTITIES: [{"entity": "legal_option", "value": "t_visa", "confidence_entity": confidence}],
        }
    )
    DangerFirst().process([message])
    assert message.get(INTENT)["name"] == "danger_now"
    assert entities(message)["also"] == also
    # what was told keeps its line in the legal answer
    assert entities(message).get("disclosure") == ("trafficking_signs" if also == "ask_legal_options" else None)


def test_a_story_before_a_question_keeps_what_was_told():
    message = processed(
        "he hits me. how do i get a pfa", ranking(("ask_legal_options", 0.6), ("domestic_violence", 0.3))
    )
    assert message.get(INTENT)["name"] == "ask_legal_options"
    assert entities(message)["disclosure"] == "domestic_violence"


@pytest.mark.parametrize(
    "text, told",
    [
        ("is there a shelter for trafficking survivors?", "trafficking_signs"),
        ("¿hay refugio para víctimas de trata de personas?", "trafficking_signs"),
        ("hoy ma heli karaa? waxaan ka cararay ganacsiga dadka", "trafficking_signs"),
        ("في سكن آمن للناس اللي هربوا من الاتجار؟", "trafficking_signs"),  # "who fled trafficking"
        ("tem casa segura pra quem fugiu de trafico?", "trafficking_signs"),
        ("une maison sécurisée pour les femmes sorties de la traite ?", "trafficking_signs"),
        ("un avocat pour un dossier de violence conjugale", "domestic_violence"),
        ("where is the court in Bangor", None),  # names nothing that happened
        ("¿qué pasa si él ha violado la orden?", None),  # "violado" is no disclosure: he violated the order
    ],
)
def test_a_question_that_names_what_happened_gets_its_line(text, told):
    message = processed(text, ranking(("need_shelter", 0.7), ("trafficking_signs", 0.1), ("find_services", 0.1)))
    assert message.get(INTENT)["name"] == "need_shelter"
    assert entities(message).get("disclosure") == told


def test_an_intent_set_from_the_conversation_is_overridden_only_by_the_safety_words():
    town = processed("Bangor", [{"name": "inform_place", "confidence": 1.0}, {"name": "danger_now", "confidence": 0.0}])
    assert town.get(INTENT)["name"] == "inform_place"
    threat = processed("he has a knife", [{"name": "inform_place", "confidence": 1.0}])
    assert threat.get(INTENT)["name"] == "danger_now"


def test_a_payload_is_left_alone():
    message = processed(
        "/ask_court", [{"name": "ask_court", "confidence": 1.0}, {"name": "danger_now", "confidence": 0.4}]
    )
    assert message.get(INTENT)["name"] == "ask_court"
