import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.crisis_first import CrisisFirst, crisis_instead_of_fallback

FALLBACK = {"name": "nlu_fallback", "confidence": 0.35}


def ranked(*pairs):
    return [FALLBACK] + [{"name": name, "confidence": confidence} for name, confidence in pairs]


@pytest.mark.parametrize(
    "intent, ranking, expected",
    [
        # too close to call between two crises: answer the top one
        (FALLBACK, ranked(("self_harm", 0.46), ("danger_now", 0.43)), "self_harm"),
        (FALLBACK, ranked(("danger_now", 0.33), ("domestic_violence", 0.31)), "danger_now"),
        # a weak crisis guess stays a fallback (whose answer still says "call 911")
        (FALLBACK, ranked(("danger_now", 0.2), ("greet", 0.19)), None),
        # the best guess is not a crisis
        (FALLBACK, ranked(("greet", 0.4), ("danger_now", 0.39)), None),
        # no fallback: nothing to change
        ({"name": "greet", "confidence": 0.9}, [{"name": "greet", "confidence": 0.9}], None),
        (None, [], None),
    ],
)
def test_crisis_instead_of_fallback(intent, ranking, expected):
    result = crisis_instead_of_fallback(intent, ranking)
    assert (result or {}).get("name") == expected


def test_the_component_sets_the_crisis_intent():
    message = Message(data={TEXT: "i cut my arms"})
    message.set(INTENT, FALLBACK)
    message.set(INTENT_RANKING_KEY, ranked(("self_harm", 0.46), ("danger_now", 0.43)))
    CrisisFirst().process([message])
    assert message.get(INTENT) == {"name": "self_harm", "confidence": 0.46}
