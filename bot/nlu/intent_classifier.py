"""The intent classifier: logistic regression over words, character n-grams and the sentence embedding
(config.yml: bot.nlu.intent_classifier.LinearIntentClassifier).

Chosen over DIET by cross-validation and the development set (docs/nlu-quality.md): on messages people really
write it was more accurate, it trains in a fraction of the time, and it needs no TensorFlow graph at run time.

- Words and character n-grams are its own (TF-IDF over folded text, core/text.py), so it can also score parts
  of a message: a long message is cut into sentences and clauses, and each one's chance of being immediate
  danger or self-harm is kept on the message (`crisis_segments`) for bot/nlu/danger_first.py, which must not
  miss a threat said in passing inside a story.
- A second model reads only the sentence embedding. It answers for a message whose words are mostly unknown
  to the training data (a language added without examples yet, such as Vietnamese): the multilingual encoder
  still places "tôi muốn tự tử" beside the self-harm examples of the six languages we trained on.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack, spdiags
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

from bot.nlu.component import TrainedComponent
from bot.nlu.regression import fit_logistic
from bot.nlu.sentence_encoder import (
    DEFAULT_ENCODER,
    PAYLOAD_PREFIX,
    SEGMENT_VECTORS,
    SentenceEncoder,
    shared_encoder,
)
from core.names import CRISIS_INTENTS, LEGAL_OPTION
from core.sentences import segments
from core.text import normalise

MODEL_FILE = "classifier.pkl"
SEGMENTS = "crisis_segments"  # message property: per sentence, the chance of each crisis intent
# Message property: True when the words were mostly unknown and the embedding-only model answered. Its guess
# is a reading by meaning alone: gibberish, names and e-mail addresses land near some intent all the same.
READ_BY_MEANING_ONLY = "read_by_meaning_only"
# Below this share of known words, the message is in a language the n-grams never saw: trust the encoder.
MIN_KNOWN_WORDS = 0.5
_PAYLOAD_INTENT = re.compile(r"/([A-Za-z0-9_]*)")


def fit_ngrams(folded: Sequence[str], config: dict[str, Any]) -> tuple[TfidfVectorizer, TfidfVectorizer]:
    """TF-IDF over folded words and over character n-grams within words (misspellings share most of them)."""
    words = TfidfVectorizer(
        analyzer="word",
        ngram_range=tuple(config["word_ngrams"]),
        sublinear_tf=True,
        lowercase=False,
        token_pattern=r"\S+",
    ).fit(folded)
    chars = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=tuple(config["char_ngrams"]),
        sublinear_tf=True,
        lowercase=False,
        min_df=config["char_min_df"],
    ).fit(folded)
    return words, chars


# Each fitted vectorizer's idf weights as the diagonal matrix scikit-learn multiplies by, built once (the
# vectorizers are never fitted again).
_IDF: weakref.WeakKeyDictionary[TfidfVectorizer, csr_matrix] = weakref.WeakKeyDictionary()


def tfidf_rows(vectorizer: TfidfVectorizer, folded: Sequence[str]) -> csr_matrix:
    """The very rows of `vectorizer.transform(folded)`. scikit-learn 1.1 checks that the vectorizer is fitted
    by reading its `idf_`, a property that sums the whole idf diagonal (64,000 n-grams) on every call: 3.5% of
    the Rasa process's time on the realistic mix (docs/performance.md). Here: the counts, then its
    TfidfTransformer's own steps (1 + log of each count, times the idf diagonal, rows scaled to length 1)."""
    if vectorizer not in _IDF:
        idf = vectorizer.idf_
        _IDF[vectorizer] = spdiags(idf, diags=0, m=len(idf), n=len(idf), format="csr")
    rows = CountVectorizer.transform(vectorizer, folded).astype(np.float64)
    if vectorizer.sublinear_tf:
        np.log(rows.data, rows.data)
        rows.data += 1
    rows = rows * _IDF[vectorizer]
    return normalize(rows, norm=vectorizer.norm, copy=False) if vectorizer.norm else rows


def text_features(
    words: TfidfVectorizer, chars: TfidfVectorizer, folded: Sequence[str], dense: np.ndarray, dense_weight: float
) -> csr_matrix:
    """Words, character n-grams and the sentence embedding side by side, one row per text."""
    return hstack([ngram_features(words, chars, folded), csr_matrix(dense * dense_weight)]).tocsr()


def ngram_features(words: TfidfVectorizer, chars: TfidfVectorizer, folded: Sequence[str]) -> csr_matrix:
    """Words and character n-grams side by side, one row per text."""
    return hstack([tfidf_rows(words, folded), tfidf_rows(chars, folded)]).tocsr()


def for_option_finder(example: Message) -> bool:
    """An example labelled with the legal option it asks about (data/nlu/<lang>/legal_options.yml) teaches
    bot/nlu/legal_option_finder.py which option; the intent classifier leaves it out. Taught as intents, these
    stories-then-questions drew stories of abuse, trafficking and even self-harm into legal questions on the
    development set (docs/nlu-quality.md): a story is read as a story, and the option finder asks whether it
    also asks about one option. General legal questions labelled "none" are taught as intents."""
    metadata = (example.get("metadata") or {}).get("example")
    option = metadata.get(LEGAL_OPTION) if isinstance(metadata, dict) else None
    return bool(option) and option != "none"  # a general legal question ("what are my rights?") is taught


def for_sparse_rows(regression: LogisticRegression) -> LogisticRegression:
    """The same regression, its weights laid out column by column. scikit-learn multiplies the TF-IDF row by
    `coef_.T`; with the weights stored row by row (as fitted and pickled), scipy first copies all of them (24
    intents by 64,000 n-grams) for every message: 5.2 ms of a 6.3 ms classification. The same numbers come out
    (docs/performance.md)."""
    regression.coef_ = np.asfortranarray(regression.coef_)
    return regression


def dense_sentence_features(message: Message) -> np.ndarray | None:
    _, sentence = message.get_dense_features(TEXT)
    return None if sentence is None else np.asarray(sentence.features, dtype=np.float32).reshape(1, -1)


@dataclass
class Model:
    words: TfidfVectorizer
    chars: TfidfVectorizer
    vocabulary: frozenset[str]
    combined: LogisticRegression  # words, characters and the embedding
    embedding_only: LogisticRegression

    @property
    def classes(self) -> list[str]:
        return [str(name) for name in self.combined.classes_]

    def known_share(self, folded: str) -> float:
        words = folded.split()
        return sum(word in self.vocabulary for word in words) / len(words) if words else 1.0

    def reads_by_meaning_only(self, folded: str) -> bool:
        """Whether the words are mostly unknown, so that the embedding-only model answers for the text."""
        return self.known_share(folded) < MIN_KNOWN_WORDS

    def probabilities(self, folded: Sequence[str], dense: np.ndarray, dense_weight: float) -> np.ndarray:
        """One row of class probabilities per text; the embedding-only model's for mostly unknown words."""
        combined = self.combined.predict_proba(text_features(self.words, self.chars, folded, dense, dense_weight))
        unknown = np.array([self.reads_by_meaning_only(text) for text in folded])
        if unknown.any():
            combined[unknown] = self.embedding_only.predict_proba(dense[unknown])
        return combined


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(TrainedComponent, IntentClassifier):
    """Sets `intent` and `intent_ranking`; for a message of several sentences, also `crisis_segments`."""

    MODEL_FILE = MODEL_FILE

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "C": 10.0,  # little regularisation: many short, varied examples (3-fold cross-validation chose it)
            "embedding_only_C": 100.0,
            "dense_weight": 1.0,
            "word_ngrams": [1, 2],
            "char_ngrams": [2, 5],
            "char_min_df": 2,
            "ranking_length": 10,
            "encoder": DEFAULT_ENCODER,
            "max_iter": 3000,
        }

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn"]

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource, model: Model | None = None
    ) -> None:
        super().__init__(config, model_storage, resource, model)
        self._encoder: SentenceEncoder | None = None

    @staticmethod
    def loaded(model: Model) -> Model:
        for_sparse_rows(model.combined)
        return model

    @property
    def encoder(self) -> SentenceEncoder:
        if self._encoder is None:
            self._encoder = shared_encoder(self.config["encoder"])
        return self._encoder

    def train(self, training_data: TrainingData) -> Resource:
        examples = [
            e for e in training_data.intent_examples if e.get(TEXT) and e.get(INTENT) and not for_option_finder(e)
        ]
        folded = [normalise(e.get(TEXT)) for e in examples]
        intents = [e.get(INTENT) for e in examples]
        dense = np.vstack([self._dense(e) for e in examples])
        words, chars = fit_ngrams(folded, self.config)
        ngrams = ngram_features(words, chars, folded)
        combined = fit_logistic(ngrams, dense * self.config["dense_weight"], intents, self.config["C"], self._max_iter)
        # Small (384 columns): scikit-learn's own fit takes about 13 s, no slower than fit_logistic here.
        embedding_only = LogisticRegression(
            C=self.config["embedding_only_C"], max_iter=self._max_iter, class_weight="balanced"
        ).fit(dense, intents)
        vocabulary = frozenset(word for text in folded for word in text.split())
        self.model = Model(words, chars, vocabulary, combined, embedding_only)
        return self.persist()

    @property
    def _max_iter(self) -> int:
        return int(self.config["max_iter"])

    def _dense(self, message: Message) -> np.ndarray:
        dense = dense_sentence_features(message)
        return dense if dense is not None else np.zeros((1, self.encoder.dimensions), dtype=np.float32)

    def process(self, messages: list[Message]) -> list[Message]:
        if self.model is None:
            return messages
        for message in messages:
            text = message.get(TEXT) or ""
            if not text:
                continue
            if text.startswith(PAYLOAD_PREFIX):  # a button's payload names its intent (Rasa reads the rest)
                payload = _PAYLOAD_INTENT.match(text)
                named = {"name": payload.group(1) if payload else "", "confidence": 1.0}
                message.set(INTENT, named, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [named], add_to_output=True)
                continue
            weight = self.config["dense_weight"]
            folded = normalise(text)
            self._set_ranking(message, self.model.probabilities([folded], self._dense(message), weight)[0])
            message.set(READ_BY_MEANING_ONLY, self.model.reads_by_meaning_only(folded))
            parts = segments(text)
            if len(parts) > 1:
                message.set(SEGMENTS, self._crisis_by_segment(parts, message), add_to_output=True)
        return messages

    def _crisis_by_segment(self, parts: list[str], message: Message) -> list[dict[str, float]]:
        assert self.model is not None
        rows = self.model.probabilities(
            [normalise(p) for p in parts], self._segment_vectors(parts, message), self.config["dense_weight"]
        )
        classes = self.model.classes
        return [
            {intent: round(float(row[classes.index(intent)]), 4) for intent in CRISIS_INTENTS if intent in classes}
            for row in rows
        ]

    def _segment_vectors(self, parts: list[str], message: Message) -> np.ndarray:
        """The sentences' embeddings, made by the featurizer in the same encoder call as the whole message's
        (bot/nlu/sentence_encoder.py); encoded here when it did not (another featurizer, other pieces)."""
        encoded = message.data.pop(SEGMENT_VECTORS, None)
        if encoded is not None and encoded[0] == parts:
            return encoded[1]
        return self.encoder.encode(parts)

    def _set_ranking(self, message: Message, probabilities: np.ndarray) -> None:
        assert self.model is not None
        classes = self.model.classes
        order = np.argsort(-probabilities)
        ranking = [{"name": classes[i], "confidence": float(probabilities[i])} for i in order]
        message.set(INTENT, ranking[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking[: self.config["ranking_length"]], add_to_output=True)
