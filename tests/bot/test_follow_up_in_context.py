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


def test_not_when_it_may_be_self_harm():
    # A follow-up's reply ends with the 911 line, but only a crisis reply gives 988.
    guesses = [("self_harm", 0.45), ("follow_up", 0.2), ("danger_now", 0.05)]
    assert read("what number do i call, i cant go on", guesses, "action_court") == "self_harm"


def read_first(text: str, guesses: list[tuple[str, float]], tracker: DialogueStateTracker | None) -> Message:
    ranking = [{"name": name, "confidence": confidence} for name, confidence in guesses]
    message = Message({TEXT: text, INTENT: ranking[0], INTENT_RANKING_KEY: ranking})
    FollowUpInContext().process([message], tracker)
    return message


def test_with_nothing_answered_yet_a_follow_up_is_the_next_real_guess():
    empty = DialogueStateTracker("test", Domain.empty().slots)
    for tracker in (empty, None):  # a new conversation, or a message read alone
        message = read_first("they have my id card", [("follow_up", 0.47), ("trafficking_signs", 0.43)], tracker)
        assert message.get(INTENT) == {"name": "trafficking_signs", "confidence": 0.43}
        # the follow-up leaves the ranking, so that the fallback classifier sees no tie at the top
        assert [e["name"] for e in message.get(INTENT_RANKING_KEY)] == ["trafficking_signs"]


def test_with_nothing_answered_yet_a_clear_follow_up_stays_one():
    message = read_first("is it free?", [("follow_up", 0.9), ("find_services", 0.05)], None)
    assert message.get(INTENT)["name"] == "follow_up"  # its reply asks what it is about
    weak = read_first("is it free?", [("follow_up", 0.5), ("find_services", 0.22)], None)
    assert weak.get(INTENT)["name"] == "follow_up"  # the next guess must be at least half as likely


def test_later_in_a_conversation_a_follow_up_is_not_replaced():
    tracker = tracker_after("utter_minor")  # even after a reply that no follow-up is about
    message = read_first("and the parking?", [("follow_up", 0.47), ("ask_court", 0.43)], tracker)
    assert message.get(INTENT)["name"] == "follow_up"


def test_will_they_call_immigration_after_the_hotline_follows_it_up_however_sure_of_privacy():
    # About the hotline as much as about this chat: the follow-up's answer covers both (actions/follow_up.py).
    guesses = [("privacy", 0.85), ("follow_up", 0.05)]
    assert read("immigration ma u yeeraan?", guesses, "utter_trafficking") == "follow_up"
    assert read("booliska ma u sheegayaa?", guesses, "utter_sexual_assault") == "follow_up"


def test_a_sure_privacy_question_naming_no_police_or_immigration_stays_privacy():
    assert read("do you save what i write?", [("privacy", 0.85), ("follow_up", 0.05)], "utter_trafficking") == "privacy"


def test_a_privacy_question_with_nothing_answered_before_stays_privacy():
    assert read("will you tell the police?", [("privacy", 0.85), ("follow_up", 0.05)], "utter_greet") == "privacy"


def test_who_helps_for_free_after_an_answer_follows_it_up_however_sure_of_a_service_search():
    guesses = [("find_services", 0.97), ("follow_up", 0.02)]
    assert read("who helps for free", guesses, "action_legal_options") == "follow_up"
    assert read("i need a free lawyer", guesses, "action_legal_options") == "find_services"  # names what it needs


def tracker_after_an_option(option: str | None) -> DialogueStateTracker:
    from rasa.shared.core.slots import TextSlot

    slots = [TextSlot(name, mappings=[{"type": "custom"}]) for name in ("topic", "legal_option")]
    tracker = DialogueStateTracker("test", slots)
    for event in (UserUttered("is there money for victims"), ActionExecuted("action_legal_options"), BotUttered("...")):
        tracker.update(event)
    tracker.slots["topic"].value = "legal"
    tracker.slots["legal_option"].value = option
    return tracker


def read_after_an_option(text: str, option: str | None, read_as: str = "ask_legal_options") -> str:
    message = Message({TEXT: text, INTENT: {"name": read_as, "confidence": 0.8}})
    message.set(INTENT_RANKING_KEY, [{"name": read_as, "confidence": 0.8}])
    FollowUpInContext().process([message], tracker_after_an_option(option))
    return message.get(INTENT)["name"]


def test_a_legal_question_naming_nothing_new_right_after_an_option_follows_it_up():
    assert read_after_an_option("waraaqo sharci ma u baahanahay?", "victims_compensation") == "follow_up"
    assert read_after_an_option("what documents do i need for a u visa", "victims_compensation") == "ask_legal_options"
    assert read_after_an_option("what documents do i need", None) == "ask_legal_options"  # no option explained


def test_who_can_help_me_apply_right_after_an_option_follows_it_up_though_read_as_the_questionnaire():
    assert read_after_an_option("who can help me apply", "u_visa", "legal_questionnaire") == "follow_up"
    # asking for the questions in so many words starts them
    assert read_after_an_option("can you ask me the questions", "u_visa", "legal_questionnaire") == (
        "legal_questionnaire"
    )
    assert read_after_an_option("who can help me apply", None, "legal_questionnaire") == "legal_questionnaire"


def test_what_if_i_dont_speak_english_after_the_lines_asks_about_their_language():
    guesses = [("change_language", 0.81), ("follow_up", 0.13)]
    assert read("what if i dont speak english", guesses, "utter_self_harm") == "follow_up"
    assert read("وإذا ما بحكي انجليزي؟", guesses, "utter_self_harm") == "follow_up"
    assert read("can you answer in english please", guesses, "utter_self_harm") == "change_language"  # a switch


def test_a_bed_tonight_asked_for_after_the_trafficking_reply_is_a_new_question_not_a_follow_up():
    guesses = [("need_shelter", 0.53), ("follow_up", 0.2)]
    assert read("where can i go tonight? im near machias", guesses, "utter_trafficking") == "need_shelter"
    assert read("where is it? near machias", guesses, "utter_trafficking") == "follow_up"  # names no bed
