"""A short question right after an answer follows it up."""

from __future__ import annotations

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.follow_up_in_context import FollowUpInContext


def tracker_after(action: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker("test", Domain.empty().slots)
    for event in (
        UserUttered("where is the court in Bangor"),
        ActionExecuted(action),
        BotUttered("..."),
        ActionExecuted("action_listen"),
    ):
        tracker.update(event)
    return tracker


def read(text: str, guesses: list[tuple[str, float]], after: str) -> str:
    ranking = [{"name": name, "confidence": confidence} for name, confidence in guesses]
    message = Message({TEXT: text, INTENT: ranking[0], INTENT_RANKING_KEY: ranking})
    FollowUpInContext().process([message], tracker_after(after))
    return message.get(INTENT)["name"]


def test_after_an_answer_a_short_question_follows_it_up():
    assert (
        read("will he be in the same room", [("danger_now", 0.27), ("follow_up", 0.2)], "action_court") == "follow_up"
    )


def test_not_after_small_talk():
    assert (
        read("will he be in the same room", [("danger_now", 0.27), ("follow_up", 0.2)], "utter_greet") == "danger_now"
    )


def test_not_when_the_classifier_is_sure_of_something_else():
    assert (
        read("where do i get a t visa", [("ask_legal_options", 0.8), ("follow_up", 0.15)], "action_court")
        == "ask_legal_options"
    )


def test_not_when_it_holds_words_of_danger():
    assert read("he has a knife", [("ask_court", 0.3), ("follow_up", 0.25)], "action_court") == "ask_court"
