"""The NLU component that picks the answer language: explicit choice first, then detection."""

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.i18n import languages
from bot.nlu.language_selector import LanguageSelector
from tests.conftest import make_tracker


@pytest.fixture(scope="module")
def selector():
    return LanguageSelector(min_confidence=0.6)


def parsed(text, intent="greet", metadata=None):
    message = Message(data={TEXT: text, "metadata": metadata})
    message.set(INTENT, {"name": intent, "confidence": 0.9})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.9}])
    return message


def entities(message):
    return {e["entity"]: e["value"] for e in message.get(ENTITIES) or []}


def run(selector, message, tracker=None):
    return selector.process([message], tracker)[0]


@pytest.mark.parametrize(
    "text, intent, expected_intent, expected_entities",
    [
        # a bare language name is a choice, whatever the classifier thought
        ("Soomaali", "greet", "choose_language", {"language": "so", "language_chosen": "so"}),
        ("العربية", "out_of_scope", "choose_language", {"language": "ar", "language_chosen": "ar"}),
        # the classifier's choose_language plus a named language
        ("en español por favor", "choose_language", "choose_language", {"language": "es", "language_chosen": "es"}),
        # a name spelt as said, or with Somali's article, is still the choice
        ("porfavor en espaniol", "choose_language", "choose_language", {"language": "es", "language_chosen": "es"}),
        ("Carabiga", "greet", "choose_language", {"language": "ar", "language_chosen": "ar"}),
        # asked to choose but named none: offer the list
        ("another language please", "choose_language", "change_language", {"language": "en"}),
        # an ordinary message: only the detected language
        ("necesito un abogado para mi caso", "ask_legal_options", "ask_legal_options", {"language": "es"}),
        # too short to tell: nothing changes
        ("ok", "thanks", "thanks", {}),
    ],
)
def test_choice_and_detection(selector, text, intent, expected_intent, expected_entities):
    message = run(selector, parsed(text, intent))
    assert message.get(INTENT)["name"] == expected_intent
    assert entities(message) == expected_entities


def test_metadata_language_is_an_explicit_choice(selector):
    message = run(selector, parsed("I need help with court", "ask_court", metadata={"language": "so"}))
    assert entities(message) == {"language": "so", "language_chosen": "so"}


def test_a_named_language_beats_metadata(selector):
    message = run(selector, parsed("Français", "greet", metadata={"language": "so"}))
    assert entities(message) == {"language": "fr", "language_chosen": "fr"}


def test_detection_does_not_override_an_earlier_choice(selector):
    tracker = make_tracker(language="es", language_chosen="es")
    message = run(selector, parsed("I need a lawyer for my immigration case", "ask_legal_options"), tracker)
    assert entities(message) == {}


def test_detection_fills_language_when_nothing_was_chosen(selector):
    tracker = make_tracker(language="en")
    message = run(selector, parsed("preciso de ajuda com o tribunal", "ask_court"), tracker)
    assert entities(message) == {"language": "pt"}


def test_button_payloads_are_left_alone(selector):
    message = run(selector, parsed('/choose_language{"language": "ar"}', "choose_language"))
    assert message.get(INTENT)["name"] == "choose_language"
    assert entities(message) == {}


def test_the_forced_intent_leads_the_ranking(selector):
    message = run(selector, parsed("Soomaali", "greet"))
    ranking = message.get(INTENT_RANKING_KEY)
    assert ranking[0] == {"name": "choose_language", "confidence": 1.0}
    assert [entry["name"] for entry in ranking].count("choose_language") == 1


def test_a_language_added_to_the_registry_is_recognised_without_a_restart(tmp_path, monkeypatch):
    registry = tmp_path / "languages.yml"
    registry.write_text(languages.REGISTRY_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(languages, "REGISTRY_PATH", registry)
    selector = LanguageSelector(min_confidence=0.6)
    # qaa: ISO 639 keeps it for local use, so no real language will ever be added under it.
    before = run(selector, parsed("Qaa Tést"))
    assert before.get(INTENT)["name"] != "choose_language" and "language_chosen" not in entities(before)
    with registry.open("a", encoding="utf-8") as handle:
        handle.write("  - code: qaa\n    name: Qaa Tést\n    direction: ltr\n    status: preview\n    by_hand: true\n")
    message = run(selector, parsed("Qaa Tést"))
    assert message.get(INTENT)["name"] == "choose_language"
    assert entities(message) == {"language": "qaa", "language_chosen": "qaa"}


def after(tracker, *, language=None, confidence=1.0, action=None):
    """The tracker after a user message whose language the selector set (with this confidence), and an action."""
    from rasa.shared.core.events import ActionExecuted, UserUttered

    found = [
        {"entity": "language", "value": language, "extractor": "LanguageSelector", "confidence_entity": confidence}
    ]
    tracker.update(UserUttered("…", intent={"name": "menu", "confidence": 0.9}, entities=found if language else []))
    if action:
        tracker.update(ActionExecuted(action))
    tracker.update(ActionExecuted("action_listen"))
    return tracker


def confidence_of(message, entity="language"):
    return next(e["confidence_entity"] for e in message.get(ENTITIES) if e["entity"] == entity)


def test_a_first_guess_gives_way_to_a_later_guess(selector):
    # "menu" was only a guess at English: the next message's own words may still say Spanish
    tracker = after(make_tracker(language="en"), language="en", confidence=0.5)
    message = run(selector, parsed("abogado", "find_services"), tracker)
    assert entities(message) == {"language": "es"}
    assert confidence_of(message) < 1.0  # and that is a guess too


def test_a_language_said_for_sure_is_not_guessed_again(selector):
    tracker = after(make_tracker(language="en"), language="en", confidence=1.0)
    assert entities(run(selector, parsed("abogado", "find_services"), tracker)) == {}


def test_a_message_with_no_language_in_between_keeps_the_guess_open(selector):
    tracker = after(make_tracker(language="en"), language="en", confidence=0.5)
    tracker = after(tracker)  # "5": no language entity
    assert entities(run(selector, parsed("abogado", "find_services"), tracker)) == {"language": "es"}


@pytest.mark.parametrize("text, expected", [("presque isle", {}), ("comté d'Aroostook", {"language": "fr"})])
def test_after_a_guess_a_place_is_judged_by_its_other_words(selector, text, expected):
    tracker = after(make_tracker(language="es"), language="es", confidence=0.5)
    assert entities(run(selector, parsed(text, "inform_place"), tracker)) == expected


def test_naming_the_conversations_own_language_after_an_answer_asks_about_the_answer(selector):
    tracker = after(make_tracker(language="es"), language="es", action="action_find_services")
    message = run(selector, parsed("en el 988 hablan español?", "choose_language"), tracker)
    assert message.get(INTENT)["name"] == "follow_up"
    assert entities(message) == {}


def test_naming_its_own_language_after_an_answer_stays_a_crisis_when_it_may_be_self_harm(selector):
    tracker = after(make_tracker(language="es"), language="es", action="action_find_services")
    message = parsed("ya no aguanto más, alguien que hable español?", "self_harm")
    message.set(
        INTENT_RANKING_KEY, [{"name": "self_harm", "confidence": 0.5}, {"name": "choose_language", "confidence": 0.3}]
    )
    assert run(selector, message, tracker).get(INTENT)["name"] != "follow_up"


@pytest.mark.parametrize(
    "text, action, language",
    [
        ("en el 988 hablan español?", None, "es"),  # no answer before it: a request for Spanish
        ("en français svp", "action_find_services", "fr"),  # another language than the conversation's
        ("español", "action_find_services", "es"),  # a bare name is always a choice
    ],
)
def test_other_language_names_stay_choices(selector, text, action, language):
    tracker = after(make_tracker(language="es"), language="es", action=action)
    message = run(selector, parsed(text, "choose_language"), tracker)
    assert message.get(INTENT)["name"] == "choose_language"
    assert entities(message) == {"language": language, "language_chosen": language}


@pytest.mark.parametrize(
    "text, language",
    [
        ("mi hija me lee los mensajes, me puede contestar en inglés?", "en"),
        ("my english is bad, can you answer in Spanish", "es"),
        ("vous pouvez me répondre en portugais svp", "pt"),
        ("iigu jawaab af soomaali fadlan", "so"),
    ],
)
def test_asked_outright_to_answer_in_a_language_is_a_choice_whatever_the_classifier_read(selector, text, language):
    message = run(selector, parsed(text, "find_services"))
    assert message.get(INTENT)["name"] == "choose_language"
    assert entities(message) == {"language": language, "language_chosen": language}


def test_a_crisis_that_asks_for_a_language_stays_a_crisis(selector):
    message = parsed("he is hitting me right now, answer in spanish", "danger_now")
    message.set(INTENT_RANKING_KEY, [{"name": "danger_now", "confidence": 0.9}])
    message = run(selector, message)
    assert message.get(INTENT)["name"] == "danger_now"
    assert "language_chosen" not in entities(message)


def test_speaking_a_language_is_not_asking_to_be_answered_in_it(selector):
    message = run(selector, parsed("is there a lawyer in Lewiston who speaks Spanish", "find_services"))
    assert message.get(INTENT)["name"] == "find_services"
    assert "language_chosen" not in entities(message)
