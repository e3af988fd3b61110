"""The training data: every launch language covers every intent, and held-out examples stay unseen."""

import pytest

from core.names import LAUNCH_LANGUAGES, SET_AFTER_CLASSIFYING
from core.text import normalise
from core.training_data import examples_by_intent as examples
from core.yaml_files import read_yaml
from tests.conftest import PROJECT_ROOT

MIN_EXAMPLES = 20


def domain_intents():
    intents = set()
    for path in (PROJECT_ROOT / "domain").glob("*.yml"):
        for intent in read_yaml(path).get("intents") or []:
            intents.add(intent if isinstance(intent, str) else next(iter(intent)))  # or {name: its settings}
    return intents


@pytest.mark.parametrize("language", LAUNCH_LANGUAGES)
def test_every_intent_has_enough_examples(language):
    found = examples(PROJECT_ROOT / "data" / "nlu" / language)
    for intent in domain_intents() - set(SET_AFTER_CLASSIFYING):
        assert len(found.get(intent, [])) >= MIN_EXAMPLES, f"{language}: {intent} has {len(found.get(intent, []))}"


@pytest.mark.parametrize("language", LAUNCH_LANGUAGES)
def test_an_intent_set_after_classifying_is_never_trained(language):
    found = examples(PROJECT_ROOT / "data" / "nlu" / language)
    assert set(SET_AFTER_CLASSIFYING) <= domain_intents()
    assert not set(SET_AFTER_CLASSIFYING) & set(found)


@pytest.mark.parametrize("language", LAUNCH_LANGUAGES)
def test_held_out_examples_are_never_trained_on(language):
    trained = {
        normalise(text)
        for code in LAUNCH_LANGUAGES
        for texts in examples(PROJECT_ROOT / "data" / "nlu" / code).values()
        for text in texts
    }
    held_out = examples(PROJECT_ROOT / "tests" / "nlu" / language)
    leaked = [text for texts in held_out.values() for text in texts if normalise(text) in trained]
    assert leaked == []


def test_no_text_is_taught_as_two_intents():
    seen: dict[str, str] = {}
    for code in LAUNCH_LANGUAGES:
        for intent, texts in examples(PROJECT_ROOT / "data" / "nlu" / code).items():
            for text in texts:
                assert seen.setdefault(normalise(text), intent) == intent, f"{code}: {text!r}"


def development_set_texts() -> list[str]:
    """Every message of the development set (tests/conversations), conversations' turns included, and of the
    blind sets (tests/fresh, tests/blind, tests/blind3, tests/blind4, tests/blind5, tests/blind6)."""
    texts = [
        str(item["text"])
        for folder in ("fresh", "blind", "blind3", "blind4", "blind5", "blind6")
        for path in sorted((PROJECT_ROOT / "tests" / folder).glob("*.yml"))
        for item in read_yaml(path)
    ]
    for path in sorted((PROJECT_ROOT / "tests" / "conversations").rglob("*.yml")):
        data = read_yaml(path)
        texts += [str(message["text"]) for message in data.get("messages") or []]
        texts += [
            str(turn["text"]) for conversation in data.get("conversations") or [] for turn in conversation["turns"]
        ]
    return texts


def test_no_development_set_message_is_trained_on_or_listed_as_a_keyword():
    trained = {
        normalise(text)
        for code in LAUNCH_LANGUAGES
        for texts in examples(PROJECT_ROOT / "data" / "nlu" / code).values()
        for text in texts
    }
    # Single words and digits ("2", "ok", "Bangor") are answers anyone writes; anything longer must be unseen.
    leaked = [
        text for text in development_set_texts() if len(normalise(text).split()) > 2 and normalise(text) in trained
    ]
    assert leaked == []
