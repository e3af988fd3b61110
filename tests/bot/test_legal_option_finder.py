"""Which legal option a question is about: the word lists first, else the nearest explanation in meaning."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu import legal_option_finder
from bot.nlu.legal_option_finder import LegalOptionFinder
from bot.nlu.sentence_encoder import SentenceEncoderFeaturizer

pytestmark = pytest.mark.encoder


@pytest.fixture(scope="module")
def finder(tmp_path_factory):
    build = tmp_path_factory.mktemp("build")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(legal_option_finder, "BUILD_DIR", build)
        found = LegalOptionFinder()
        found.index  # noqa: B018 - built (and cached) here, inside the temporary build folder
        assert list(build.glob("legal-option-texts-*.npy"))
    return found


def option_for(finder, text: str, intent: str = "ask_legal_options") -> str | None:
    message = Message({TEXT: text, INTENT: {"name": intent, "confidence": 0.9}})
    SentenceEncoderFeaturizer({}, "encoder").process([message])
    finder.process([message])
    return next((e["value"] for e in message.get(ENTITIES) or [] if e["entity"] == "legal_option"), None)


@pytest.mark.parametrize(
    "text, option",
    [
        ("what is a T visa", "t_visa"),  # by name, in the word lists
        ("is there money from the state to pay the hospital bills after I was attacked", "victims_compensation"),
        ("¿hay dinero del estado para las víctimas de un crimen?", "victims_compensation"),
        ("can I hide my new address so he cannot find where I live", "address_confidentiality"),
    ],
)
def test_finds_the_option_a_question_is_about(finder, text, option):
    assert option_for(finder, text) == option


def test_a_question_about_options_in_general_names_none(finder):
    assert option_for(finder, "what can i do") is None


def test_only_legal_and_court_questions_get_an_option(finder):
    assert option_for(finder, "what is a T visa", intent="greet") is None
