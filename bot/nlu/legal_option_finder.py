"""NLU component: which legal option a message asks about, in words people use (config.yml, after the classifier).

"After the attack I have hospital bills and lost my job, is there money for victims?" names no option, yet it
asks about Victims' Compensation. The translators' word lists (`legal_options` in locales/<lang>/keywords.yml)
catch the names and the common words. When they find nothing, a small classifier trained with the model
decides: words, character n-grams and the sentence embedding, as the intent classifier reads them, learnt from

- the `ask_legal_options` examples of data/nlu labelled with the option they ask about (example metadata
  `legal_option: <key>`; an unlabelled example takes the option its words name, else "none"),
- each option's own name and explanation in English and in every registered language's catalog
  (data/legal/options.csv, translated under "options:name" and "options:what_it_is"), and its listed words,
- and, as "none", the stories of abuse, assault and trafficking that ask nothing about the law.

It answers in three cases:

- a legal question: the option it is about becomes the entity `legal_option` (read by the legal, court and
  follow-up actions); none, and the answer is the overview of every option;
- a story that ends in a question about one option ("he beats me and says I'll be deported if I leave; can I
  do my papers alone?"): the classifier read the story (domestic violence) but the person asked about the
  law. When the option is clear, the message becomes a legal question about it, and what was told stays as
  the entity `disclosure`, so the answer adds the line that fits it;
- a crisis that also asks about an option: the option is kept for the answer given after the crisis reply
  (bot/nlu/danger_first.py makes it the entity `also`).

A short message that names an option ("what is a PFA?", "شو يعني PFA") asks about it, though the classifier may
have read a menu request or small talk into it. Three more readings:

- a question about language on a case decided in court ("my protection-order hearing is next week, is there a
  free interpreter?") asks about the court's interpreter;
- "can you ask me the questions?" (`requests` in keywords.yml), even after a story, starts the questionnaire,
  unless it names one option;
- right after the trafficking reply (it reads the conversation), a question about staying is the T visa.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.i18n import catalog
from bot.i18n.extract import data_context
from bot.i18n.keywords import (
    asks_for,
    best,
    find_asked_need,
    find_legal_option,
    find_need,
    follow_up_aspects,
    language_keywords,
)
from bot.i18n.languages import registered_codes
from bot.nlu.component import TrainedComponent, add_entity, has_entity, latest_bot_metadata, set_intent
from bot.nlu.danger_first import likely_crisis
from bot.nlu.intent_classifier import (
    dense_sentence_features,
    fit_ngrams,
    for_sparse_rows,
    ngram_features,
    text_features,
)
from bot.nlu.regression import fit_logistic
from bot.nlu.sentence_encoder import DEFAULT_ENCODER, PAYLOAD_PREFIX, shared_encoder
from core.legal import legal_option, legal_options
from core.names import (
    ASK_LEGAL,
    CRISIS_INTENTS,
    DISCLOSURE,
    DISCLOSURE_INTENTS,
    FIND_SERVICES,
    LAWYER_NEEDS,
    LEGAL_OPTION,
    NEED_SHELTER,
    NOT_ENGLISH,
    SAFE_HOUSING,
)
from core.text import normalise

EXTRACTOR = "LegalOptionFinder"
MODEL_FILE = "legal_options.pkl"
NONE = "none"  # asks about options in general, or about none of them
QUESTIONNAIRE = "legal_questionnaire"
TRAFFICKING = "trafficking_signs"
TRAFFICKING_REPLY = "utter_trafficking"
T_VISA = "t_visa"
COURT_INTERPRETER = "court_interpreter"
# Money for what a crime cost ("hospital bills", "who pays for counseling"): the service it names is what is to
# be paid for, and the question is how to pay, which Victims' Compensation answers.
PAYS_FOR_A_SERVICE = ("victims_compensation",)
# follow_ups in keywords.yml: an interpreter, a language spoken, "I don't speak English"
LANGUAGE_ASPECTS = {"language", NOT_ENGLISH}
ASKS_ABOUT_OPTIONS = (ASK_LEGAL, "ask_court")
# A message that names an option by its name ("what is a PFA?") asks about it, whatever these guesses said.
WEAK_READINGS = ("menu", "out_of_scope", "greet", "thanks", "nlu_fallback", "legal_questionnaire", "follow_up")
EXAMPLE_METADATA = "example"
# A story the classifier read as a disclosure becomes a question about an option only if the classifier saw
# some question about the law in it: "they locked us in a house, we came on a work visa" (an option by meaning)
# and "he won't let me out, I haven't been paid for six months" (unpaid wages, named) tell and ask nothing; the
# classifier's legal reading was 0.02 and 0.00. Stories that end in a legal question had 0.08 or more on the
# development and blind sets.
MIN_LEGAL_READING_OF_A_STORY = 0.05


def option_texts() -> list[tuple[str, str]]:
    """(option key, text) for every way the data and the catalogs name or explain an option."""
    texts: list[tuple[str, str]] = []
    codes = registered_codes()
    for option in legal_options():
        for column, source in (("name", option.name), ("what_it_is", option.plain_text().get("what_it_is", ""))):
            if not source:
                continue
            texts.append((option.key, source))
            texts += [(option.key, catalog.translate(code, data_context("options", column), source)) for code in codes]
        if option.also_called:
            texts.append((option.key, option.also_called))
        for code in codes:
            for phrase in language_keywords(code).get("legal_options", {}).get(option.key, ()):
                texts.append((option.key, " ".join(phrase)))
    return list(dict.fromkeys(texts))


def labelled_option(example: Message) -> str | None:
    """The option a training example is about: its metadata's label, else the option its words name, else
    none (a general legal question). None for an example that is not a legal question."""
    intent = example.get(INTENT)
    if intent in DISCLOSURE_INTENTS:
        return NONE  # a story that asks nothing about the law
    if intent != ASK_LEGAL:
        return None
    metadata = (example.get("metadata") or {}).get(EXAMPLE_METADATA) or {}
    label = metadata.get(LEGAL_OPTION) if isinstance(metadata, dict) else None
    return str(label) if label else (find_legal_option(example.get(TEXT) or "") or NONE)


@dataclass
class OptionModel:
    words: TfidfVectorizer
    chars: TfidfVectorizer
    regression: LogisticRegression
    dense_weight: float

    def probabilities(self, text: str, dense: np.ndarray) -> dict[str, float]:
        folded = [normalise(text)]
        row = self.regression.predict_proba(text_features(self.words, self.chars, folded, dense, self.dense_weight))[0]
        return {str(key): float(probability) for key, probability in zip(self.regression.classes_, row, strict=True)}

    def best(self, text: str, dense: np.ndarray) -> tuple[str, float]:
        """The likeliest option (or "none") and its probability."""
        probabilities = self.probabilities(text, dense)
        key = max(probabilities, key=lambda option: probabilities[option])
        return key, probabilities[key]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LegalOptionFinder(TrainedComponent):
    """Sets entity `legal_option`; may make a story that asks about one option a legal question about it."""

    MODEL_FILE = MODEL_FILE

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "C": 10.0,
            "dense_weight": 1.0,
            "word_ngrams": [1, 2],
            "char_ngrams": [2, 5],
            "char_min_df": 2,
            "max_iter": 3000,
            "encoder": DEFAULT_ENCODER,
            # How sure the classifier must be: of the option a legal question is about (else the overview),
            # and that a story asks about one option (else the story's own answer). Five-fold cross-validation
            # on the labelled examples (docs/nlu-quality.md): at 0.35, 95% of the options given are right and
            # 82% of the questions get one; at 0.6, 99% are right and under 1% of stories become questions.
            "min_option_probability": 0.35,
            "min_story_question_probability": 0.6,
            # After the trafficking reply, a legal question whose chance is at least this much the immigration
            # options' asks about staying: "can i get papers to stay" 0.35, "what are my rights" 0.02, "is
            # there money for victims" 0.03.
            "min_immigration_share": 0.3,
        }

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str:
        """It also learns from files outside the training data (`option_texts`: data/legal/options.csv, the
        catalogs' translations of it, the `legal_options` words of keywords.yml). Rasa reuses a trained component
        while its own inputs are unchanged; with these in its fingerprint, the next training learns them too.
        (The word lists count at once, without training: `find_legal_option` reads them as they are.)"""
        return hashlib.sha256(json.dumps(option_texts(), ensure_ascii=False).encode("utf-8")).hexdigest()

    @staticmethod
    def loaded(model: OptionModel) -> OptionModel:
        for_sparse_rows(model.regression)
        return model

    def train(self, training_data: TrainingData) -> Resource:
        texts: list[str] = []
        labels: list[str] = []
        dense_rows: list[np.ndarray] = []
        for example in training_data.intent_examples:
            label = labelled_option(example)
            dense = dense_sentence_features(example)
            if label is None or dense is None or not example.get(TEXT):
                continue
            texts.append(example.get(TEXT))
            labels.append(label)
            dense_rows.append(dense)
        described = option_texts()
        texts += [text for _, text in described]
        labels += [key for key, _ in described]
        dense_rows.append(shared_encoder(self.config["encoder"]).encode([text for _, text in described]))
        self.model = self._fit(texts, labels, np.vstack(dense_rows))
        return self.persist()

    def _fit(self, texts: Sequence[str], labels: Sequence[str], dense: np.ndarray) -> OptionModel:
        folded = [normalise(text) for text in texts]
        words, chars = fit_ngrams(folded, self.config)
        weight = self.config["dense_weight"]
        ngrams = ngram_features(words, chars, folded)
        regression = fit_logistic(ngrams, dense * weight, labels, self.config["C"], int(self.config["max_iter"]))
        return OptionModel(words, chars, regression, weight)

    def process(self, messages: list[Message], tracker: DialogueStateTracker | None = None) -> list[Message]:
        after_trafficking = latest_bot_metadata(tracker).get("utter_action") == TRAFFICKING_REPLY
        for message in messages:
            text = message.get(TEXT) or ""
            if text and not text.startswith(PAYLOAD_PREFIX) and not has_entity(message, LEGAL_OPTION):
                self._process_one(message, text, after_trafficking)
        return messages

    def _process_one(self, message: Message, text: str, after_trafficking: bool = False) -> None:
        intent = message.get(INTENT) or {}
        named = _interpreter_at_its_court(find_legal_option(text), text)
        if not named and _asks_to_be_asked(text, intent):  # "...which options fit me? can you ask me the questions?"
            told = intent.get("name")
            _ask_about_the_law(message, told=told if told in DISCLOSURE_INTENTS else None, question=QUESTIONNAIRE)
            return
        # A services reading is weak too when it names no service ("a protection order, I'm in Bangor"), or asks
        # how to pay for the one it names.
        searched = intent.get("name") == FIND_SERVICES
        weak = intent.get("name") in WEAK_READINGS or (
            searched and (find_need(text) is None or named in PAYS_FOR_A_SERVICE)
        )
        if named and weak and intent.get("confidence") != 1.0:
            set_intent(message, ASK_LEGAL)
            intent = message.get(INTENT)
        name = intent.get("name")
        found: tuple[str, float] | None = (named, 1.0) if named else None
        if name in ASKS_ABOUT_OPTIONS:
            # By meaning only for a legal question: a court question ("where is the court in Lewiston?") is
            # about the court, and its options (interpreters, remote hearings) are named in words.
            if not found and name == ASK_LEGAL:
                found = self._option(message, self.config["min_option_probability"])
            if not found and name == ASK_LEGAL and (after_trafficking or best(text, "told") == TRAFFICKING):
                found = self._staying_after_trafficking(message)
            if not found and name == ASK_LEGAL and intent.get("confidence") != 1.0:
                _ask_for_a_named_need(message, text)
        elif name in DISCLOSURE_INTENTS:
            if _guessed(message, ASK_LEGAL, MIN_LEGAL_READING_OF_A_STORY):
                found = found or self._option(message, self.config["min_story_question_probability"])
                if found:
                    _ask_about_the_law(message, told=name)
            else:
                found = None  # a story that asks nothing keeps no option for the follow-ups to be about
        elif name in CRISIS_INTENTS:
            # A story read as danger that ends in a legal question: kept for the answer after the crisis reply
            # when the classifier saw the question, or when the option is as clear as a story's must be.
            minimum = "min_option_probability" if _guessed(message, ASK_LEGAL) else "min_story_question_probability"
            found = found or self._option(message, self.config[minimum])
        elif not (named and likely_crisis(message)):
            # Another reading keeps no option, unless the message will be answered as a crisis
            # (bot/nlu/danger_first.py) and names one: "he said he will find where I live. how do I keep my
            # address secret?" gets the danger reply, then that option.
            found = None
        if found:
            # The confidence tells the actions how sure this is: a request for a lawyer outweighs a weak guess.
            add_entity(message, LEGAL_OPTION, found[0], EXTRACTOR, confidence=round(found[1], 4))

    def _staying_after_trafficking(self, message: Message) -> tuple[str, float] | None:
        """The T visa, for a question about staying ("can I get papers to stay?") right after the trafficking
        hotline's reply, or in a question that names trafficking: alone it is no one option (the model reads
        "none" first), but much of its chance is on the immigration options, and for a trafficking survivor
        that is the T visa."""
        dense = dense_sentence_features(message)
        if self.model is None or dense is None:
            return None
        probabilities = self.model.probabilities(message.get(TEXT) or "", dense)
        share = sum(probabilities.get(option.key, 0.0) for option in legal_options() if option.immigration)
        return (T_VISA, share) if share >= self.config["min_immigration_share"] else None

    def _option(self, message: Message, minimum: float) -> tuple[str, float] | None:
        dense = dense_sentence_features(message)
        if self.model is None or dense is None:
            return None
        key, probability = self.model.best(message.get(TEXT) or "", dense)
        return (key, probability) if key != NONE and probability >= minimum else None


def _ask_for_a_named_need(message: Message, text: str) -> None:
    """A legal question that names no option, and a kind of help other than a lawyer where it asks, asks for that
    help: "can I still go to the hospital without reporting it?" (a doctor), "is there a safe house for women
    who got out of trafficking?" (a bed tonight: the shelter reply's lines). The same words in the story before
    the question do not count ("...to pay the rent. can I get status to stay?")."""
    need = find_asked_need(text)
    if need and need not in LAWYER_NEEDS:
        set_intent(message, NEED_SHELTER if need == SAFE_HOUSING else FIND_SERVICES)


def _interpreter_at_its_court(named: str | None, text: str) -> str | None:
    """A case decided in court, and a question about language ("my hearing for the protection order is next
    week, my English is poor: is there a free interpreter?"): what is asked is the court's interpreter."""
    if named and legal_option(named).case_type and LANGUAGE_ASPECTS.intersection(follow_up_aspects(text)):
        return COURT_INTERPRETER
    return named


def _asks_to_be_asked(text: str, intent: dict[str, Any]) -> bool:
    """Whether a legal question or a story asks, in so many words, to be asked the questionnaire's questions
    (`requests` in keywords.yml): the classifier reads a long story that ends so as a question about the law,
    whose answer is the list of every option, not the questions that narrow it."""
    read_as = intent.get("name")
    return (
        (read_as == ASK_LEGAL or read_as in DISCLOSURE_INTENTS)
        and intent.get("confidence") != 1.0
        and asks_for(text, QUESTIONNAIRE)
    )


def _guessed(message: Message, intent: str, minimum: float = 0.2) -> bool:
    return any(
        entry.get("name") == intent and entry.get("confidence", 0) >= minimum
        for entry in message.get(INTENT_RANKING_KEY) or []
    )


def _ask_about_the_law(message: Message, told: str | None, question: str = ASK_LEGAL) -> None:
    """Make the message a legal question (or the questionnaire), keeping the classifier's other guesses as they
    were: a crisis among them still wins in bot/nlu/danger_first.py. What was told is kept for the answer's
    acknowledgement."""
    asked = {"name": question, "confidence": 1.0}
    others = [entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry.get("name") != question]
    message.set(INTENT, asked, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [asked, *others], add_to_output=True)
    if told:
        add_entity(message, DISCLOSURE, told, EXTRACTOR)
