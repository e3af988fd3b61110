"""Which legal option a message asks about: the word lists first, else a classifier trained with the model on
labelled examples and the options' own explanations; a story that asks about one option becomes that question."""

from __future__ import annotations

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.legal_option_finder import NONE, LegalOptionFinder, labelled_option
from bot.nlu.sentence_encoder import SentenceEncoderFeaturizer

pytestmark = pytest.mark.encoder

# Labelled as data/nlu labels them (example metadata), a few per option; the options' own explanations in
# every language are added by the component itself.
LABELLED = {
    "victims_compensation": [
        "the hospital bills after the attack are huge, can the state pay them",
        "i lost wages because of the crime, is there money for that",
        "who pays for counseling after i was assaulted",
    ],
    "address_confidentiality": [
        "i moved and i dont want him to find my new address",
        "can my address be kept secret from public records",
        "how do i hide where i live now",
    ],
    "vawa_self_petition": [
        "my husband is a citizen and he abuses me, can i apply for my green card without him",
        "he says i will be deported if i leave him because my papers depend on him",
        "can i do my immigration papers alone if my spouse hurts me",
    ],
}
GENERAL = ["what are my rights", "what can the law do for me", "what legal help is there for someone like me"]
STORIES = {
    "domestic_violence": ["my husband hits me", "my boyfriend hurts me every week", "he yells and pushes me"],
    "trafficking_signs": ["my boss took my passport", "they make me work and never pay me", "i owe them a debt"],
}


def training_data() -> TrainingData:
    examples = [
        Message({TEXT: text, INTENT: "ask_legal_options", "metadata": {"example": {"legal_option": option}}})
        for option, texts in LABELLED.items()
        for text in texts
    ]
    examples += [Message({TEXT: text, INTENT: "ask_legal_options"}) for text in GENERAL]
    examples += [Message({TEXT: text, INTENT: intent}) for intent, texts in STORIES.items() for text in texts]
    examples += [Message({TEXT: "hello", INTENT: "greet"})]
    return TrainingData(examples)


@pytest.fixture(scope="module")
def finder(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    resource = Resource("legal_options")
    featurizer = SentenceEncoderFeaturizer({}, "encoder")
    data = training_data()
    featurizer.process_training_data(data)
    # A dozen examples make a less certain classifier than data/nlu's thousands: lower bars, same decisions.
    config = {"min_option_probability": 0.35, "min_story_question_probability": 0.4}
    LegalOptionFinder.create(config, storage, resource, None).train(data)
    return featurizer, LegalOptionFinder.load(config, storage, resource, None)


def read(finder, text: str, intent: str = "ask_legal_options", ranking: list[dict] | None = None) -> Message:
    featurizer, component = finder
    message = Message({TEXT: text, INTENT: {"name": intent, "confidence": 0.8}})
    message.set(INTENT_RANKING_KEY, ranking or [{"name": intent, "confidence": 0.8}])
    featurizer.process([message])
    component.process([message])
    return message


def entity(message: Message, name: str) -> str | None:
    return next((e["value"] for e in message.get(ENTITIES) or [] if e["entity"] == name), None)


def test_labels_come_from_the_metadata_then_the_words_then_none():
    labelled, named, general, story, other = (
        Message({TEXT: "x", INTENT: "ask_legal_options", "metadata": {"example": {"legal_option": "t_visa"}}}),
        Message({TEXT: "what is a U visa", INTENT: "ask_legal_options"}),
        Message({TEXT: "what are my rights", INTENT: "ask_legal_options"}),
        Message({TEXT: "he hits me", INTENT: "domestic_violence"}),
        Message({TEXT: "hello", INTENT: "greet"}),
    )
    assert [labelled_option(m) for m in (labelled, named, general, story, other)] == [
        "t_visa",
        "u_visa",
        NONE,
        NONE,
        None,
    ]


@pytest.mark.parametrize(
    "text, option",
    [
        ("what is a T visa", "t_visa"),  # by name, in the word lists
        ("the hospital bills after the assault are so big, can the state help pay them", "victims_compensation"),
        ("¿hay dinero del estado para las víctimas de un crimen?", "victims_compensation"),  # its explanation
        ("can I hide my new address so he cannot find where I live", "address_confidentiality"),
    ],
)
def test_finds_the_option_a_question_is_about(finder, text, option):
    assert entity(read(finder, text), "legal_option") == option


def test_a_question_about_options_in_general_names_none(finder):
    assert entity(read(finder, "what are my rights here"), "legal_option") is None


def test_a_court_question_gets_an_option_only_in_words(finder):
    asked = "who pays for counseling after i was assaulted"
    assert entity(read(finder, asked), "legal_option") == "victims_compensation"
    assert entity(read(finder, asked, intent="ask_court"), "legal_option") is None


STORY_WITH_A_LEGAL_QUESTION = [
    {"name": "domestic_violence", "confidence": 0.8},
    {"name": "ask_legal_options", "confidence": 0.15},
]


def test_a_story_that_asks_about_one_option_becomes_that_question(finder):
    text = "my husband is american and he beats me, he says they will deport me if i leave. can i do my papers alone?"
    message = read(finder, text, intent="domestic_violence", ranking=STORY_WITH_A_LEGAL_QUESTION)
    assert message.get(INTENT)["name"] == "ask_legal_options"
    assert (entity(message, "legal_option"), entity(message, "disclosure")) == (
        "vawa_self_petition",
        "domestic_violence",
    )


def test_a_story_that_asks_nothing_about_the_law_stays_a_story(finder):
    message = read(finder, "my boyfriend hits me and pushes me", intent="domestic_violence")
    assert message.get(INTENT)["name"] == "domestic_violence"
    assert entity(message, "legal_option") is None


def test_a_story_the_classifier_saw_no_legal_question_in_stays_a_story(finder):
    """The option model may find an option in what was told ("he says they will deport me" is about papers), but
    a story that asks nothing about the law gets the reply to what was told, with its 24/7 line."""
    text = "my husband is american and he beats me, he says they will deport me if i leave. can i do my papers alone?"
    ranking = [{"name": "domestic_violence", "confidence": 0.97}, {"name": "ask_legal_options", "confidence": 0.02}]
    message = read(finder, text, intent="domestic_violence", ranking=ranking)
    assert message.get(INTENT)["name"] == "domestic_violence"
    assert entity(message, "legal_option") is None


def test_a_story_that_names_an_option_and_asks_nothing_stays_a_story(finder):
    ranking = [{"name": "trafficking_signs", "confidence": 0.99}, {"name": "ask_legal_options", "confidence": 0.0}]
    message = read(finder, "they keep us locked in and i have months of unpaid wages", "trafficking_signs", ranking)
    assert (message.get(INTENT)["name"], entity(message, "legal_option")) == ("trafficking_signs", None)
    ranking[1]["confidence"] = 0.3  # "...can I get my unpaid wages?"
    message = read(finder, "they keep us locked in, can i get my unpaid wages", "trafficking_signs", ranking)
    assert (message.get(INTENT)["name"], entity(message, "legal_option")) == (
        "ask_legal_options",
        "labour_rights_unpaid_wages",
    )


def test_a_crisis_guess_survives_when_a_story_becomes_a_question(finder):
    ranking = [
        {"name": "domestic_violence", "confidence": 0.6},
        {"name": "danger_now", "confidence": 0.3},
        {"name": "ask_legal_options", "confidence": 0.1},
    ]
    text = "he hits me and says i'll be deported if i leave him, can i apply for my papers alone"
    message = read(finder, text, intent="domestic_violence", ranking=ranking)
    assert {"name": "danger_now", "confidence": 0.3} in message.get(INTENT_RANKING_KEY)


def test_a_greeting_gets_no_option(finder):
    assert entity(read(finder, "hello there", intent="greet"), "legal_option") is None


@pytest.mark.parametrize(
    "text, intent, option",
    [
        ("amar ilaalin ayaan rabaa, Bangor ayaan joogaa", "ask_legal_options", "protection_from_abuse"),
        ("quiero una orden de proteccion, vivo en Bangor", "ask_legal_options", "protection_from_abuse"),
        # a service named as well: a lawyer for it is a service search
        ("i need a free lawyer for a protection order", "find_services", None),
        # a service named as what is to be paid for: how to pay is the question
        ("he broke my arm, who pays the hospital bills?", "ask_legal_options", "victims_compensation"),
    ],
)
def test_a_service_search_that_names_only_a_legal_option_asks_about_it(finder, text, intent, option):
    message = read(finder, text, intent="find_services")
    assert message.get(INTENT)["name"] == intent
    assert entity(message, "legal_option") == option


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        (
            "he was violent, now he threatens to call immigration. which options fit me? can you ask me the questions",
            "ask_legal_options",
        ),
        ("mi esposo me pegaba y ahora me amenaza con la migra, me puedes hacer las preguntas?", "domestic_violence"),
        ("su'aalaha i weydii, ma garanayo waxa ii suurtagal ah", "ask_legal_options"),
    ],
)
def test_asked_outright_to_ask_the_questions_starts_the_questionnaire(finder, text, intent):
    ranking = [{"name": intent, "confidence": 0.6}, {"name": "danger_now", "confidence": 0.15}]
    message = read(finder, text, intent=intent, ranking=ranking)
    assert message.get(INTENT)["name"] == "legal_questionnaire"
    assert {"name": "danger_now", "confidence": 0.15} in message.get(INTENT_RANKING_KEY)  # a crisis can still win
    assert entity(message, "disclosure") == (intent if intent == "domestic_violence" else None)


def test_asking_for_the_questions_about_one_named_option_is_a_question_about_it(finder):
    message = read(finder, "ask me the questions for the u visa")
    assert message.get(INTENT)["name"] == "ask_legal_options" and entity(message, "legal_option") == "u_visa"


@pytest.mark.parametrize(
    ("text", "option"),
    [
        ("my hearing for the protection order is next week, is there a free interpreter?", "court_interpreter"),
        ("maxkamad amarka ilaalinta ayaan leeyahay, turjubaan bilaash ah ma jiraa?", "court_interpreter"),
        ("how do i get a protection order", "protection_from_abuse"),
        ("is there an interpreter for the t visa interview", "t_visa"),  # no court decides it
    ],
)
def test_a_language_question_about_a_case_decided_in_court_asks_for_its_interpreter(finder, text, option):
    assert entity(read(finder, text), "legal_option") == option


def after_the_trafficking_reply():
    from rasa.shared.core.events import BotUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    return DialogueStateTracker.from_events("t", [BotUttered("...", metadata={"utter_action": "utter_trafficking"})])


def read_in(finder, text: str, tracker) -> Message:
    featurizer, component = finder
    message = Message({TEXT: text, INTENT: {"name": "ask_legal_options", "confidence": 0.8}})
    message.set(INTENT_RANKING_KEY, [{"name": "ask_legal_options", "confidence": 0.8}])
    featurizer.process([message])
    component.process([message], tracker)
    return message


class Readings:
    """The option model's probabilities, given: what the rule does with them, whatever a small model reads."""

    def __init__(self, probabilities: dict[str, float]) -> None:
        self._probabilities = probabilities

    def probabilities(self, text, dense):
        return self._probabilities

    def best(self, text, dense):
        key = max(self._probabilities, key=lambda option: self._probabilities[option])
        return key, self._probabilities[key]


STAYING = {"none": 0.49, "continued_presence": 0.12, "t_visa": 0.09, "u_visa": 0.08, "hhs_certification_adult": 0.06}
RIGHTS = {"none": 0.94, "civil_suit_trafficker": 0.03, "vawa_self_petition": 0.01, "t_visa": 0.01}


@pytest.mark.parametrize(("readings", "option"), [(STAYING, "t_visa"), (RIGHTS, None)])
def test_right_after_the_trafficking_reply_a_question_about_staying_is_the_t_visa(finder, readings, option):
    # "can i get papers to stay" (0.35 of its chance on the immigration options) / "what are my rights" (0.02)
    _, component = finder
    model, component.model = component.model, Readings(readings)
    try:
        assert (
            entity(read_in(finder, "can i get papers to stay", after_the_trafficking_reply()), "legal_option") == option
        )
        assert entity(read_in(finder, "can i get papers to stay", None), "legal_option") is None  # nothing told before
    finally:
        component.model = model


def test_a_named_option_is_kept_for_after_the_crisis_reply_whatever_else_the_message_was_read_as(finder):
    text = "he said he will find where i live, how do i keep my address secret"
    crisis = [{"name": "need_shelter", "confidence": 0.5}, {"name": "danger_now", "confidence": 0.3}]
    calm = [{"name": "need_shelter", "confidence": 0.9}, {"name": "danger_now", "confidence": 0.01}]
    assert (
        entity(read(finder, text, intent="need_shelter", ranking=crisis), "legal_option") == "address_confidentiality"
    )
    assert entity(read(finder, text, intent="need_shelter", ranking=calm), "legal_option") is None


@pytest.mark.parametrize(
    "text, intent",
    [
        ("it happened 3 days ago, can i still go to the hospital without reporting it?", "find_services"),
        ("is there a safe house for women in portland?", "need_shelter"),
        ("i need a free lawyer, what are my rights", "ask_legal_options"),  # a lawyer is legal help
        ("we have no food. what are my rights here", "ask_legal_options"),  # the need is not where it asks
    ],
)
def test_a_legal_question_that_asks_for_another_kind_of_help_is_that_request(finder, text, intent):
    assert read(finder, text).get(INTENT)["name"] == intent


def test_its_fingerprint_changes_with_the_words_it_learns_from_outside_the_training_data(monkeypatch):
    """Rasa reuses a trained component whose fingerprint is unchanged: a new `legal_options` word must train it."""
    import bot.nlu.legal_option_finder as finder

    before = LegalOptionFinder.fingerprint_addon({})
    assert LegalOptionFinder.fingerprint_addon({}) == before
    texts = finder.option_texts()
    monkeypatch.setattr(finder, "option_texts", lambda: [*texts, ("victims_compensation", "pay for my dentist")])
    assert LegalOptionFinder.fingerprint_addon({}) != before
