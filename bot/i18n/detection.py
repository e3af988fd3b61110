"""Which language a message is in, and whether it names a language: Rasa-free, used by the NLU component.

Every registered language can be named ("Af-Maay", "Tiếng Việt"), but only an offered one (not `preview`,
bot/i18n/languages.py) is ever detected: a language whose safety replies are not translated yet must not be
chosen for someone who did not ask for it.

Detection uses lingua restricted to the registered languages and answers only when confident. lingua is
unreliable on one or two words ("hola" is unsure, "hiii" and "thx" come out as Somali), so a short message
that appears among exactly one language's own NLU examples counts as that language, and otherwise a
short message needs a higher confidence. When lingua is unsure of a longer message, the words that occur in
only one language's examples vote ("mi esposo me pega": esposo, pega). Very short input ("ok", "1") never
switches language.

Arabic written in Latin letters (Arabizi: "ana 3ayza ma7ami") is Arabic: digits inside words stand for Arabic
letters, and lingua, which knows no Arabizi, would call it Somali; our examples' words outvote lingua when
none of them belongs to the language it guessed. When nothing is confident, `best_guess` still names the
likeliest registered language for a conversation that has none yet, from how often our examples use each
word: English only when the words point to it, or when no word is known to any language.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from babel import Locale
from lingua import IsoCode639_1, LanguageDetectorBuilder
from rapidfuzz.distance import OSA

from bot.i18n.languages import Language, babel_knows
from bot.i18n.letters_model import LettersModel
from core.places import words_beside_place
from core.text import normalise, with_accents
from core.training_data import language_examples

# "ok", "si", "no", "hi" and digits are the same in many languages: they keep the current language. A word
# from exactly one language's examples counts from three letters ("olá", "thx"); lingua needs four.
MIN_LETTERS_FOR_EXAMPLES = 3
MIN_LETTERS = 4
MIN_FIRST_MESSAGE_LETTERS = 2  # "oi", "hi", "cc": a first message has no language to keep
MAX_CHOICE_WORDS = 4  # "Spanish please", "en español por favor"; longer messages are requests, not choices.
SHORT_MESSAGE_WORDS = 3  # below this many words, our own examples and a stricter confidence decide
SHORT_MESSAGE_CONFIDENCE = 0.9
MIN_VOTES = 2  # words of one language's own vocabulary needed when lingua is unsure
# "can you answer in spanish please", "vous pouvez répondre en portugais ? c'est ma langue": a request the
# classifier took for a choice.
MAX_NAMED_CHOICE_WORDS = 12
# "answer in Arabic, my English is not good": of two languages named, the one after "in" is the choice.
IN_WORDS = frozenset(["in", "en", "em", "na", "af", "bil", "bel"])
ARABIC = "ar"
# People spell a language's name as they say it ("espaniol", "soomali", "francaise", "portugese"): one letter
# off a name this long still names it. Shorter names ("arabe", "arabi") have too many near neighbours, and so
# has Arabic script, whose attached prefixes and short words sit one letter apart (اسناني "my teeth", اسباني).
FUZZY_NAME_LETTERS = 6
# Somali names a language with its article attached: Carabiga, Faransiiska, Ingiriisiga, Soomaaliga.
SOMALI_ARTICLES = ("ga", "ka")
# Arabizi: a digit for an Arabic letter inside a Latin word (3 ع, 7 ح, 2 ء, 5 خ, 6 ط, 8 غ, 9 ق): "3ayza", "ma7ami".
_ARABIZI_WORD = re.compile(r"(?:[a-z][2356789]|[2356789][a-z])", re.IGNORECASE)


def language_names(languages: list[Language]) -> dict[str, str]:
    """Every way to name a registered language, normalised -> code: its native name, its name in every other
    registered language and in English (Babel's CLDR data), and the registry's own aliases."""
    # Babel names a language only in the languages it has data for (not in Maay Maay, say).
    display_languages = [
        Locale.parse(code) for code in {language.code for language in languages} | {"en"} if babel_knows(code)
    ]
    names: dict[str, str] = {}
    for language in languages:
        candidates = {language.name, *language.aliases}
        for display_in in display_languages:
            candidates.add(display_in.languages.get(language.code, ""))
        for candidate in candidates:
            if normalise(candidate):
                names[normalise(candidate)] = language.code
    return names


def without_arabic_in(phrase: str) -> set[str]:
    """The phrase, and without Arabic's attached "in (the)": بالعربي -> عربي, بالاسبانيه -> الاسبانيه."""
    forms = {phrase}
    if phrase.startswith("بال"):
        forms |= {phrase[3:], "ال" + phrase[3:]}
    elif phrase.startswith("ب"):
        forms.add(phrase[1:])
    return forms


def without_somali_article(phrase: str) -> set[str]:
    """The phrase, and without Somali's attached article: carabiga -> carabi, faransiiska -> faransiis."""
    return {phrase} | {phrase[: -len(article)] for article in SOMALI_ARTICLES if phrase.endswith(article)}


def name_forms(phrase: str) -> set[str]:
    return {form for arabic in without_arabic_in(phrase) for form in without_somali_article(arabic)}


def _unique(seen: dict[str, set[str]]) -> dict[str, str]:
    return {key: next(iter(found)) for key, found in seen.items() if len(found) == 1}


def is_only_a_place(text: str) -> bool:
    from bot.nlu.expected_answer import is_only_a_place as only_a_place

    return only_a_place(text)


def short_examples(examples: list[tuple[str, str]]) -> dict[str, str]:
    """Short examples (up to 3 words) that belong to exactly one language, keyed with accents and without.
    A town's name is no language's ("Bangor" is an English example, and a Somali answer too)."""
    seen: dict[str, set[str]] = {}
    for code, example in examples:
        if len(normalise(example).split()) <= 3 and not is_only_a_place(example):
            for key in {with_accents(example), normalise(example)}:
                seen.setdefault(key, set()).add(code)
    return _unique(seen)


# Letters that only one registered language writes: "¿Qué es la visa T?" is Spanish however short it is.
LETTERS_OF_ONE_LANGUAGE = {
    "¿": "es",
    "¡": "es",
    "ñ": "es",
    "ã": "pt",
    "õ": "pt",
    "ù": "fr",
    "œ": "fr",
    "û": "fr",
    "ë": "fr",
    "ï": "fr",
}


def language_by_letters(text: str) -> str | None:
    """The language whose letters the text uses, when they point to one language only."""
    found = {LETTERS_OF_ONE_LANGUAGE[ch] for ch in text.casefold() if ch in LETTERS_OF_ONE_LANGUAGE}
    return found.pop() if len(found) == 1 else None


def vocabulary(examples: list[tuple[str, str]]) -> dict[str, str]:
    """Folded words that occur in exactly one language's examples ("esposo" -> es, "marido" is shared)."""
    seen: dict[str, set[str]] = {}
    for code, example in examples:
        for word in normalise(example).split():
            seen.setdefault(word, set()).add(code)
    return _unique(seen)


ENGLISH = "en"
MIN_ENGLISH_USES = 3


@dataclass(frozen=True)
class WordCounts:
    """How often each folded word occurs in each language's examples: "mi" is far more Spanish than Portuguese,
    although both languages' examples use it."""

    counts: dict[str, Counter]
    totals: dict[str, int]

    @classmethod
    def of(cls, examples: list[tuple[str, str]]) -> WordCounts:
        counts: dict[str, Counter] = {}
        for code, example in examples:
            counts.setdefault(code, Counter()).update(normalise(example).split())
        return cls(counts, {code: sum(counter.values()) for code, counter in counts.items()})

    def likeliest(self, words: list[str]) -> str | None:
        """The language whose examples make these words likeliest (naive Bayes, add-half smoothing), judged on
        the words some language's examples use; None when none does. Words that English uses too, and often
        ("menu", "hello", "portland"), point to English as much as anywhere: English, the language of the
        signs around the kiosk, rather than the language whose examples happen to repeat the word most."""
        known = [word for word in words if any(word in counter for counter in self.counts.values())]
        if not known:
            return None
        english = self.counts.get(ENGLISH)
        if english is not None and all(english[word] >= MIN_ENGLISH_USES for word in known):
            return ENGLISH
        size = len({word for counter in self.counts.values() for word in counter})

        def score(code: str) -> float:
            counter, total = self.counts[code], self.totals[code]
            return sum(math.log((counter[word] + 0.5) / (total + 0.5 * size)) for word in known)

        return max(self.counts, key=score)


def is_arabizi(text: str) -> bool:
    """Latin letters with digits standing for Arabic letters inside the words ("ana 3ayza ma7ami")."""
    if any("\u0600" <= ch <= "\u06ff" for ch in text):
        return False
    return any(_ARABIZI_WORD.search(word) for word in text.split() if any(ch.isalpha() for ch in word))


def vocabulary_vote(words: list[str], vocabulary: dict[str, str]) -> str | None:
    """The language most of the words belong to, when at least two do and no other language comes close."""
    votes = Counter(vocabulary[word] for word in words if word in vocabulary).most_common(2)
    if not votes or votes[0][1] < MIN_VOTES:
        return None
    if len(votes) > 1 and votes[0][1] < 2 * votes[1][1]:
        return None
    return votes[0][0]


@dataclass
class LanguageDetector:
    languages: list[Language]
    min_confidence: float
    names: dict[str, str] = field(init=False)
    examples: dict[str, str] = field(init=False)
    words: dict[str, str] = field(init=False)
    counts: WordCounts = field(init=False)

    def __post_init__(self) -> None:
        codes = [language.code for language in self.languages if language.offered]
        self.names = language_names(self.languages)
        training = list(language_examples(codes))
        self.examples = short_examples(training)
        self.words = vocabulary(training)
        self.counts = WordCounts.of(training)
        with_examples = {code for code, _ in training}
        # Our own letters model when every offered language has examples; lingua, which knows about 75
        # languages without examples, only while an offered language has none yet (a new draft locale).
        self._letters = (
            letters_model(tuple(training)) if len(with_examples) >= 2 and with_examples >= set(codes) else None
        )
        iso_codes = [IsoCode639_1.from_str(code) for code in codes if _lingua_knows(code)]
        self._detector = (
            LanguageDetectorBuilder.from_iso_codes_639_1(*iso_codes).with_preloaded_language_models().build()
            if self._letters is None and len(iso_codes) >= 2
            else None
        )

    def named_languages(self, text: str, max_words: int = MAX_CHOICE_WORDS) -> set[str]:
        """Registered languages that a short message names ("Soomaali", "in Spanish please", "بالعربي")."""
        words = normalise(text).split()
        if not words or len(words) > max_words:
            return set()
        found = {code for start in range(len(words)) for code in self._named_from(words, start)}
        if not found:
            found = {code for code in map(self.misspelt_name, words) if code is not None}
        if len(found) > 1:
            after_in: set[str] = set()
            for start in range(1, len(words)):
                if words[start - 1] in IN_WORDS:
                    misspelt = self.misspelt_name(words[start])
                    after_in |= self._named_from(words, start) | ({misspelt} if misspelt else set())
            return after_in if len(after_in) == 1 else found
        return found

    def _named_from(self, words: list[str], start: int) -> set[str]:
        """The languages named by a phrase that starts at this word."""
        phrases = (" ".join(words[start:end]) for end in range(start + 1, len(words) + 1))
        return {self.names[form] for phrase in phrases for form in name_forms(phrase) if form in self.names}

    def misspelt_name(self, word: str) -> str | None:
        """The language a word names with one letter off ("espaniol", "soomali"), when only one is that close."""
        if len(word) < FUZZY_NAME_LETTERS or not (word.isascii() and word.isalpha()):
            return None
        close = {
            code
            for name, code in self.names.items()
            if len(name) >= FUZZY_NAME_LETTERS and " " not in name and OSA.distance(word, name, score_cutoff=1) <= 1
        }
        return close.pop() if len(close) == 1 else None

    def is_only_a_language_name(self, text: str) -> bool:
        words = normalise(text).split()
        if any(form in self.names for form in name_forms(" ".join(words))):
            return True
        return len(words) == 1 and self.misspelt_name(words[0]) is not None

    def detect(self, text: str) -> str | None:
        """The language of the message when confident, else None."""
        normalised = normalise(text)
        letters = sum(ch.isalpha() for ch in normalised)
        if letters < MIN_LETTERS_FOR_EXAMPLES:
            return None
        for key in (with_accents(text), normalised):
            if key in self.examples:
                return self.examples[key]
        marked = language_by_letters(text)
        if marked is not None and any(language.code == marked and language.offered for language in self.languages):
            return marked
        if ARABIC in self.names.values() and is_arabizi(text):
            return ARABIC
        if letters < MIN_LETTERS or is_only_a_place(text):
            return None  # a town is no language's ("condado de York", "presque isle" answer "which town?")
        short = len(normalised.split()) < SHORT_MESSAGE_WORDS
        threshold = max(self.min_confidence, SHORT_MESSAGE_CONFIDENCE) if short else self.min_confidence
        voted = vocabulary_vote(normalised.split(), self.words)
        ranked = self.ranked(text)
        if ranked and ranked[0][1] >= threshold:
            guessed = ranked[0][0]
            # A model can still be sure of the wrong language ("thx", Arabizi for lingua): our examples' words
            # outvote it when none of them belongs to the language it guessed.
            if voted and voted != guessed and not self._has_words_of(normalised, guessed):
                return voted
            return guessed
        return voted

    def ranked(self, text: str) -> list[tuple[str, float]]:
        """The languages the text's letters point to, with confidences, likeliest first."""
        if self._letters is not None:
            return self._letters.ranked(text)
        if self._detector is not None:
            values = self._detector.compute_language_confidence_values(text)
            return [(value.language.iso_code_639_1.name.lower(), value.value) for value in values]
        return []

    def best_guess(self, text: str) -> str | None:
        """For a conversation with no language yet, when `detect` was not sure: the language whose examples make
        the words likeliest. None when no word is one our examples use (a guess from nothing helps nobody)."""
        normalised = normalise(text)
        letters = sum(ch.isalpha() for ch in normalised)
        if letters < MIN_LETTERS_FOR_EXAMPLES:
            # Too short to switch a conversation's language, but a first message has none to keep: "oi" is
            # Portuguese and "hi" English when only that language's examples say it.
            short = self.examples.get(with_accents(text)) or self.examples.get(normalised)
            return short if letters >= MIN_FIRST_MESSAGE_LETTERS else None
        return self.counts.likeliest(normalised.split())

    def guess_beside_place(self, text: str) -> str | None:
        """`best_guess` on the words that are not a place's name: "comté d'Aroostook" is French by "comté", and
        "Presque Isle" alone is no language's."""
        others = words_beside_place(text)
        if others is None:
            return self.best_guess(text)
        return self.best_guess(" ".join(others)) if others else None

    def _has_words_of(self, normalised: str, language: str) -> bool:
        return any(self.words.get(word) == language for word in normalised.split())


@functools.lru_cache(maxsize=2)
def letters_model(examples: tuple[tuple[str, str], ...]) -> LettersModel:
    """Trained once for the same examples: the registry's reload and a second detector reuse it."""
    return LettersModel.trained(list(examples))


def _lingua_knows(code: str) -> bool:
    try:
        IsoCode639_1.from_str(code)
    except ValueError:
        return False
    return True
