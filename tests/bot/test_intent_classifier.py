"""The intent classifier: trained and loaded like Rasa does it, words it never saw, sentences of a long message."""

from __future__ import annotations

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.intent_classifier import SEGMENTS, LinearIntentClassifier, for_option_finder, segments
from bot.nlu.sentence_encoder import SEGMENT_VECTORS, SentenceEncoderFeaturizer

pytestmark = pytest.mark.encoder

EXAMPLES = {
    "danger_now": [
        "he has a knife",
        "he is breaking the door",
        "he is going to kill me now",
        "help he is hitting me",
        "someone is outside my door with a gun",
        "he is choking me",
        "im locked in and scared for my life",
    ],
    "ask_court": [
        "where is the court",
        "which court do i go to",
        "court address in bangor",
        "what time does the court open",
        "where do i file at court",
        "how do i get to the courthouse",
        "is the court open on friday",
    ],
    "greet": ["hello", "hi there", "good morning", "hey", "hello is anyone there", "good evening", "hi hi"],
}


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    resource = Resource("classifier")
    featurizer = SentenceEncoderFeaturizer({}, "encoder")
    data = TrainingData([Message({TEXT: text, INTENT: intent}) for intent, texts in EXAMPLES.items() for text in texts])
    featurizer.process_training_data(data)
    LinearIntentClassifier.create({}, storage, resource, None).train(data)
    return featurizer, LinearIntentClassifier.load({}, storage, resource, None)


def classify(trained, text: str) -> Message:
    featurizer, classifier = trained
    message = Message({TEXT: text})
    featurizer.process([message])
    classifier.process([message])
    return message


def test_a_trained_model_loads_and_classifies(trained):
    message = classify(trained, "which court should i go to")
    assert message.get(INTENT)["name"] == "ask_court"
    ranking = message.get(INTENT_RANKING_KEY)
    assert sum(entry["confidence"] for entry in ranking) == pytest.approx(1.0)


def test_words_it_never_saw_are_read_by_meaning(trained):
    # Vietnamese: no word of it in the examples, so only the multilingual embedding can tell.
    assert classify(trained, "anh ta có dao và đang phá cửa").get(INTENT)["name"] == "danger_now"


def test_a_long_message_keeps_a_crisis_score_for_each_sentence(trained):
    message = classify(trained, "i wanted to ask what time the court opens tomorrow, but he is breaking the door now")
    scores = message.get(SEGMENTS)
    assert len(scores) == 2
    assert scores[1]["danger_now"] > scores[0]["danger_now"]


def test_crisis_scores_are_the_same_from_the_featurizers_sentence_vectors_as_from_encoding_them_again(trained):
    featurizer, classifier = trained
    text = "i wanted to ask what time the court opens tomorrow, but he is breaking the door now"
    batched = classify(trained, text)
    again = Message({TEXT: text})
    featurizer.process([again])
    again.data.pop(SEGMENT_VECTORS)  # as a featurizer that gives no sentence vectors leaves it
    classifier.process([again])
    assert batched.get(SEGMENTS) == again.get(SEGMENTS)
    assert batched.get(INTENT) == again.get(INTENT)
    assert SEGMENT_VECTORS not in batched.data  # used once, and never part of the parse


def test_a_loaded_model_multiplies_without_copying_its_weights_and_gives_the_same_numbers(trained):
    import copy

    import numpy as np

    _, classifier = trained
    model = classifier.model
    assert model.combined.coef_.T.flags["C_CONTIGUOUS"]  # what scipy multiplies a sparse row by, as it is
    as_fitted = copy.deepcopy(model)
    as_fitted.combined.coef_ = np.ascontiguousarray(as_fitted.combined.coef_)
    folded = ["where is the court in bangor", "he has a knife and he is at the door"]
    dense = np.random.default_rng(0).normal(size=(2, 384)).astype(np.float32)
    assert np.array_equal(model.probabilities(folded, dense, 1.0), as_fitted.probabilities(folded, dense, 1.0))


def test_tfidf_rows_are_the_vectorizers_own_rows(trained):
    import numpy as np

    from bot.nlu.intent_classifier import tfidf_rows

    model = trained[1].model
    folded = ["where is the court in bangor", "", "zzqx unknown wordz", "he is at the door he is at the door"]
    for vectorizer in (model.words, model.chars):
        ours, theirs = tfidf_rows(vectorizer, folded), vectorizer.transform(folded)
        assert ours.shape == theirs.shape and ours.nnz > 0
        assert np.array_equal(ours.toarray(), theirs.toarray())


def test_a_payload_keeps_the_intent_it_names(trained):
    message = classify(trained, '/ask_court{"legal_option": "remote_hearing"}')
    assert message.get(INTENT) == {"name": "ask_court", "confidence": 1.0}


@pytest.mark.parametrize(
    "text, parts",
    [
        ("help", ["help"]),
        ("hello. he is here, he has a knife", ["hello he is here", "he has a knife"]),
        (
            "i asked about a lawyer earlier but he is back and banging on the door",
            ["i asked about a lawyer earlier but he is back and banging on the door"],
        ),
        ("كنت بدي اسأل عن المحكمة، بس هو هون هلق ومعه سكين", ["كنت بدي اسأل عن المحكمة", "بس هو هون هلق ومعه سكين"]),
    ],
)
def test_segments(text, parts):
    assert segments(text) == parts


def test_examples_labelled_with_one_legal_option_are_left_to_the_option_finder():
    def example(option):
        metadata = {"example": {"legal_option": option}} if option else {}
        return Message({TEXT: "he beats me, can i do papers alone", INTENT: "ask_legal_options", "metadata": metadata})

    assert [for_option_finder(example(o)) for o in ("vawa_self_petition", "none", None)] == [True, False, False]
