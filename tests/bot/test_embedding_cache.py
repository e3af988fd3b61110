"""Training examples' sentence embeddings kept between trainings (bot/nlu/embedding_cache.py)."""

from __future__ import annotations

import time

import numpy as np

from bot.nlu import embedding_cache
from bot.nlu.embedding_cache import encode_training_texts

DIMENSIONS = 8


class Counting:
    """A stand-in encoder: a fixed vector per text, and a record of what it was asked to encode."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def encode(self, texts):
        self.asked += texts
        return np.array([np.random.default_rng(sum(map(ord, t))).normal(size=DIMENSIONS) for t in texts])


def encode(encoder: Counting, texts: list[str], path, fingerprint: str = "model-a 1.0") -> np.ndarray:
    return encode_training_texts(encoder.encode, DIMENSIONS, fingerprint, texts, path)


def test_a_second_training_encodes_only_what_is_new(tmp_path):
    path = tmp_path / "cache.sqlite"
    first, second = Counting(), Counting()
    before = encode(first, ["necesito un abogado", "he has a knife", "", "he has a knife"], path)
    after = encode(second, ["he has a knife", "", "necesito un abogado", "waan baqayaa"], path)

    assert sorted(first.asked) == ["he has a knife", "necesito un abogado"]  # each text once
    assert second.asked == ["waan baqayaa"]
    np.testing.assert_array_equal(after[0], before[1])
    np.testing.assert_array_equal(after[2], before[0])
    assert not before[2].any() and not after[1].any()  # a payload's empty text: zeros, never encoded


def test_another_model_does_not_reuse_the_vectors(tmp_path):
    path = tmp_path / "cache.sqlite"
    encode(Counting(), ["he has a knife"], path, fingerprint="model-a 1.0")
    other = Counting()
    encode(other, ["he has a knife"], path, fingerprint="model-a 1.1")
    assert other.asked == ["he has a knife"]


def test_the_file_holds_no_text(tmp_path):
    path = tmp_path / "cache.sqlite"
    encode(Counting(), ["my husband hits me", "mi marido me pega"], path)
    stored = path.read_bytes()
    assert b"husband" not in stored and b"marido" not in stored


def test_a_broken_cache_only_costs_time(tmp_path, caplog):
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"this is not a database" * 100)
    encoder = Counting()
    vectors = encode(encoder, ["he has a knife", "waan baqayaa"], broken)
    assert sorted(encoder.asked) == ["he has a knife", "waan baqayaa"] and vectors.any(axis=1).all()
    assert "not read" in caplog.text and "not written" in caplog.text


def test_vectors_unused_for_a_long_time_are_dropped(tmp_path, monkeypatch):
    path = tmp_path / "cache.sqlite"
    now = time.time()
    long_ago = now - (embedding_cache.KEEP_DAYS + 1) * 86_400
    monkeypatch.setattr(embedding_cache.time, "time", lambda: long_ago)
    encode(Counting(), ["an example since removed", "an example still there"], path)
    monkeypatch.setattr(embedding_cache.time, "time", lambda: now - 10 * 86_400)
    encode(Counting(), ["an example still there"], path)  # used again ten days ago: kept
    monkeypatch.undo()
    encode(Counting(), ["a new example"], path)
    again = Counting()
    encode(again, ["an example since removed", "an example still there"], path)
    assert again.asked == ["an example since removed"]
