"""Which need, legal option, case type, yes/no or SMS command a message names, from each language's keyword
lists (Rasa-free).

The lists are data (locales/<lang>/keywords.yml), so a translator adds the words people use without touching
Python, and a running server reads a changed file at once (as bot/i18n/catalog.py reads a saved .po file).
Every registered language's words count for every message: people mix languages ("necesito lawyer").

Matching is on folded words (core/text.normalise: no case, accents or punctuation), a phrase only as whole
words in order. Arabic joins "and", "in", "for", "the" to the next word (والمحامي, بالمحكمة), so an Arabic
word also matches with those prefixes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.i18n.languages import SOURCE_LANGUAGE, registered_codes
from core.paths import LOCALES_DIR
from core.reloading import Reloading
from core.sentences import segments
from core.text import ARABIC_FOLDS, normalise
from core.yaml_files import read_yaml

KEYWORDS_FILE = "keywords.yml"
LISTS = (
    "needs",
    "help_topics",
    "legal_options",
    "case_types",
    "answers",
    "safety",
    "told",
    "requests",
    "follow_ups",
    "sms",
    "young",
)
# The `safety` keys a language needs before it leaves `preview` (bot/i18n/progress.py): words that catch
# danger and self-harm even before the language has any training examples.
SAFETY_KEYS = ("danger_now", "self_harm")
# Under `safety`: everyday phrases that hold a crisis word and are no crisis ("pronto socorro", the emergency room).
HARMLESS = "harmless"
# Under `safety`: phrases that say the danger is over ("he left", "I escaped", "he was arrested"). A sentence of
# a long message that starts with one and adds at most one word ("il est parti maintenant") is no crisis by
# itself, however the classifier scores its "now" (bot/nlu/danger_first.py).
OVER = "over"
MAX_WORDS_BESIDE_OVER = 1
# The SMS commands (`sms` list): HELP answers with the menu; STOP (Twilio's opt-out) and "forget me" delete
# the conversation at once (privacy rule 3).
SMS_HELP, SMS_STOP, SMS_FORGET_ME = "help", "stop", "forget_me"
SMS_COMMANDS = (SMS_HELP, SMS_STOP, SMS_FORGET_ME)
# The `young` list: how a person says their own age ("im 15 and...", "tengo 14 años"), {age} standing for the
# number; the words for "and" that may follow a phrase ending in the number; and the words for "was" that, right
# before a phrase, make it an adult's memory ("كان عمري ٨ سنين", I was 8) (bot/nlu/young_person.py).
# Under 18 is a minor. Under 8 is rarely the age of the one writing: more often a count of something else
# ("tengo 2 hijos") or an adult's memory ("w ana 3omri 6", and I was 6).
AGE, AGE_AND, AGE_WAS = "age", "and", "was"
YOUNGEST_WRITER, ADULT_AGE = 8, 18
EASTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Arabic prefixes, longest first: "and the", "in the", "for the", "the", then one-letter particles.
ARABIC_PREFIXES = tuple(
    p.translate(ARABIC_FOLDS) for p in ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ب", "ل", "ف", "ك")
)


def keywords_path(language: str, locales_dir: Path | None = None) -> Path:
    return (locales_dir or LOCALES_DIR) / language / KEYWORDS_FILE


def read_keywords(path: Path) -> dict[str, dict[str, tuple[tuple[str, ...], ...]]]:
    """One language's lists: {"needs": {"legal_help": (("free", "lawyer"), ...)}, ...}, phrases as word tuples."""
    data = read_yaml(path) or {}
    lists: dict[str, dict[str, tuple[tuple[str, ...], ...]]] = {}
    for name in LISTS:
        entries = data.get(name) or {}
        if not isinstance(entries, dict):
            raise ValueError(f"{path}: {name} must map keys to lists of words")
        lists[name] = {
            str(key): tuple(tuple(normalise(str(phrase)).split()) for phrase in phrases or () if normalise(str(phrase)))
            for key, phrases in entries.items()
        }
    return lists


_keywords: Reloading[dict[str, dict[str, tuple[tuple[str, ...], ...]]]] = Reloading(
    read_keywords, errors=(yaml.YAMLError, ValueError, AttributeError), default=dict
)


def language_keywords(language: str) -> dict[str, dict[str, tuple[tuple[str, ...], ...]]]:
    """A language's lists, re-read when its file changes; empty when it has none. A broken edit keeps the lists
    read before (a half-saved file must not stop a running server), with one warning per change."""
    return _keywords(keywords_path(language))


# A plural finds the singular the lists hold ("court interpreters", "interprètes", "abogados"): a Latin word of
# at least this many letters ending in "s" also matches without it. Not for the safety lists, whose words the
# translators list exactly as they mean them.
MIN_PLURAL_LETTERS = 5
EXACT_LISTS = ("safety",)


def _word_variants(word: str, plurals: bool = False) -> set[str]:
    """The word, for an Arabic word also without a joined prefix, and with `plurals` a Latin plural's singular."""
    variants = {word}
    if plurals and len(word) >= MIN_PLURAL_LETTERS and word.endswith("s") and word.isascii() and word.isalpha():
        variants.add(word[:-1])
    for prefix in ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            variants.add(word[len(prefix) :])
    return variants


def _starts(words: list[set[str]], phrase: tuple[str, ...]) -> Iterator[int]:
    """Where the phrase starts among the words, each word matching as any of its variants."""
    size = len(phrase)
    return (
        start
        for start in range(len(words) - size + 1)
        if all(phrase[offset] in words[start + offset] for offset in range(size))
    )


def _contains(words: list[set[str]], phrase: tuple[str, ...]) -> bool:
    return next(_starts(words, phrase), None) is not None


@dataclass
class Match:
    key: str
    words: int = 0  # how many words of the message the longest matching phrase covers
    hits: int = 0
    order: int = 0  # the key's position in its list, for a stable tie-break
    phrases: set = field(default_factory=set)


# (position, key, order, phrase): position orders the phrases as the lists do (language, key, phrase).
Candidate = tuple[tuple[int, int, int], str, int, tuple[str, ...]]
# list name -> (the lists indexed, their phrases by first word); rebuilt when a language's file changed.
_indexes: dict[str, tuple[tuple[object, ...], dict[str, list[Candidate]]]] = {}
_NONE: dict[str, tuple[tuple[str, ...], ...]] = {}  # one object, so a language without the list keeps the index


def _phrases_by_first_word(list_name: str, lists: tuple[dict, ...]) -> dict[str, list[Candidate]]:
    """Every phrase of the lists under its first word. A custom action asks several lists per message, and
    trying every phrase of every language at every word was most of a court answer's time (issue #12)."""
    cached = _indexes.get(list_name)
    same = cached is not None and len(cached[0]) == len(lists)
    if cached is not None and same and all(a is b for a, b in zip(cached[0], lists, strict=True)):
        return cached[1]
    index: dict[str, list[Candidate]] = {}
    for number, entries in enumerate(lists):
        for order, (key, phrases) in enumerate(entries.items()):
            for rank, phrase in enumerate(phrases):
                if phrase:
                    index.setdefault(phrase[0], []).append(((number, order, rank), key, order, phrase))
    _indexes[list_name] = (lists, index)
    return index


def matches(text: str, list_name: str) -> list[Match]:
    """Every key of `list_name` that the text names, best first: the longest phrase, then the most phrases."""
    return _matches(_words(text, list_name), list_name)


def _words(text: str, list_name: str) -> list[set[str]]:
    """The message's folded words, each with the variants it may match as (a joined Arabic prefix, a plural)."""
    return [_word_variants(word, list_name not in EXACT_LISTS) for word in normalise(text).split()]


def _matches(words: list[set[str]], list_name: str) -> list[Match]:
    lists = tuple(language_keywords(language).get(list_name, _NONE) for language in registered_codes())
    index = _phrases_by_first_word(list_name, lists)
    candidates = {candidate for variants in words for word in variants for candidate in index.get(word, ())}
    found: dict[str, Match] = {}
    for _, key, order, phrase in sorted(candidates):
        if _contains(words, phrase):
            match = found.setdefault(key, Match(key, order=order))
            if phrase not in match.phrases:
                match.phrases.add(phrase)
                match.hits += 1
                match.words = max(match.words, len(phrase))
    return sorted(found.values(), key=lambda m: (-m.words, -m.hits, m.order))


def best(text: str, list_name: str) -> str | None:
    found = matches(text, list_name)
    return found[0].key if found else None


def asks_for(text: str, request: str) -> bool:
    """Whether the message asks, in so many words, for this (`requests` in keywords.yml: "ask me the
    questions" for the questionnaire, "answer in" for a language), whatever else it asks for."""
    return any(match.key == request for match in matches(text, "requests"))


# Legal help about immigration is immigration legal help: a message that names both ("a free lawyer for my
# asylum papers", "abogados gratis de inmigración") gets the more specific kind, whichever phrase is longer.
MORE_SPECIFIC_NEED = {"legal_help": "immigration_legal_help"}


def find_need(text: str) -> str | None:
    """A directory need code ("legal_help") the message names, else the one its topic implies ("battered
    women" -> the advocates), or None."""
    named = [match.key for match in matches(text, "needs")]
    if named:
        specific = MORE_SPECIFIC_NEED.get(named[0])
        return specific if specific in named else named[0]
    return best(text, "help_topics")


def find_asked_need(text: str) -> str | None:
    """The kind of help the message's last sentence names, where a story's question is: "...he made me work to
    pay the rent. can I get papers to stay?" asks about papers, not rent."""
    sentences = segments(text)
    return find_need(sentences[-1]) if sentences else None


def find_legal_option(text: str) -> str | None:
    """A legal option key ("t_visa") the message names, or None."""
    return best(text, "legal_options")


def compared_legal_options(text: str) -> list[str]:
    """The legal options a message compares ("the difference between a T visa and a U visa", "PFA vs PFH"):
    two or more named, with a word of comparison (`follow_ups: compare`); else an empty list."""
    if "compare" not in follow_up_aspects(text):
        return []
    named = [match.key for match in matches(text, "legal_options")]
    return named if len(named) >= 2 else []


def find_case_type(text: str) -> str | None:
    """A court case type key ("protection_from_abuse") the message names, or None."""
    return best(text, "case_types")


def crisis_keys(text: str) -> set[str]:
    """The `safety` keys ("danger_now", "self_harm") whose words appear anywhere in the message, in any
    registered language: the safety net a language has before it has training examples. Words inside a
    `harmless` phrase do not count: "socorro" is a cry for help, "pronto socorro" the emergency room."""
    words = _words(text, "safety")
    harmless = _safety_phrases(HARMLESS)
    present = set().union(*words)
    harmless = [phrase for phrase in harmless if phrase[0] in present]  # most messages hold none: no second pass
    if harmless:
        inside = _inside_phrases(text, harmless)
        if len(inside) == len(words):  # the same words, stretch by stretch; else nothing is hidden
            words = [set() if hidden else variants for variants, hidden in zip(words, inside, strict=True)]
    return {match.key for match in _matches(words, "safety") if match.key in SAFETY_KEYS}


def _safety_phrases(key: str) -> list[tuple[str, ...]]:
    """The phrases of one `safety` key (`harmless`, `over`) in every registered language."""
    return [
        phrase
        for language in registered_codes()
        for phrase in language_keywords(language).get("safety", {}).get(key, ())
    ]


def says_young_age(text: str) -> bool:
    """Whether the writer says they are under 18, in the words of a `young` phrase of any registered language:
    "im 15 and my moms boyfriend hits me", "tengo 14 años", "15 jir ayaan ahay". A phrase that ends with the
    number counts only where the number ends its stretch of text or an "and" follows it: "i'm 15, he..." and
    "im 15 and..." do; "im 15 minutes away" and "tengo 16 dólares" do not. Someone else's age ("my daughter
    is 15") is not listed, and a "was" before the phrase makes it a memory ("كان عمري ٨ سنين")."""
    lists = [language_keywords(language).get("young", _NONE) for language in registered_codes()]
    phrases = [phrase for entries in lists for phrase in entries.get(AGE, ())]
    if not phrases:
        return False
    ands = {word for entries in lists for phrase in entries.get(AGE_AND, ()) for word in phrase}
    pasts = {word for entries in lists for phrase in entries.get(AGE_WAS, ()) for word in phrase}
    for stretch in SENTENCE_MARKS.split(text.translate(EASTERN_DIGITS)):
        words = _words(stretch, "young")
        for phrase in phrases:
            for start in range(len(words) - len(phrase) + 1):
                if not all(_is_word_of(words[start + offset], token) for offset, token in enumerate(phrase)):
                    continue
                if start and words[start - 1] & pasts:
                    continue
                end = start + len(phrase)
                if phrase[-1] != AGE or end == len(words) or _is_and(words[end], ands):
                    return True
    return False


def _is_and(variants: set[str], ands: set[str]) -> bool:
    """Whether a word is "and" (or "but"), or in Arabic starts with a joined "and" (وبيي, and my father)."""
    joined = [word for word in ands if word in ARABIC_PREFIXES]
    return bool(variants & ands) or any(word.startswith(prefix) for word in variants for prefix in joined)


def _is_word_of(variants: set[str], token: str) -> bool:
    """Whether a word of the message is the phrase's word, or for {age} a minor's age."""
    if token != AGE:
        return token in variants
    return any(word.isdigit() and YOUNGEST_WRITER <= int(word) < ADULT_AGE for word in variants)


def says_only_that_danger_is_over(sentence: str) -> bool:
    """Whether a sentence starts with an `over` phrase of the safety lists and says at most
    MAX_WORDS_BESIDE_OVER more words, none a crisis phrase: "il est parti maintenant" and "ya me escapé" do;
    "he left and is coming back with a gun" does not. Only from the start: a word before the phrase may deny it
    ("no se fue", he did not leave)."""
    words = _words(sentence, "safety")
    if not words:
        return False
    longest = max(
        (len(phrase) for phrase in _safety_phrases(OVER) if _contains(words[: len(phrase)], phrase)), default=0
    )
    return longest > 0 and len(words) - longest <= MAX_WORDS_BESIDE_OVER and not crisis_keys(sentence)


# A harmless phrase is looked for between these marks only: "vengan pronto. ¡socorro!" is a cry for help, and
# "pronto" (Spanish "quickly", Portuguese "that's it") must not join "socorro" across them.
SENTENCE_MARKS = re.compile(r"[.,;:!?¡¿؟،\n]")


def _inside_phrases(text: str, phrases: list[tuple[str, ...]]) -> list[bool]:
    """For each folded word of the text, whether it lies inside one of the phrases, within a stretch of text
    between punctuation marks."""
    inside: list[bool] = []
    for stretch in SENTENCE_MARKS.split(text):
        words = _words(stretch, "safety")
        found = [False] * len(words)
        for phrase in phrases:
            for start in _starts(words, phrase):
                found[start : start + len(phrase)] = [True] * len(phrase)
        inside += found
    return inside


def follow_up_aspects(text: str) -> list[str]:
    """What a short follow-up asks about the answer before ("cost", "where", ...), best first."""
    return [match.key for match in matches(text, "follow_ups")]


def whole_message_key(text: str, list_name: str) -> tuple[str, set[str]] | None:
    """(key, languages) when the whole message, folded, is one of the list's phrases ("Sí." -> "yes"); the
    languages are those whose lists hold that phrase under that key."""
    message = tuple(normalise(text).split())
    if not message:
        return None
    found: dict[str, set[str]] = {}
    for language in registered_codes():
        for key, phrases in language_keywords(language).get(list_name, {}).items():
            if message in phrases:
                found.setdefault(key, set()).add(language)
    if not found:
        return None
    key = next(iter(found))
    return key, found[key]


def sms_command(text: str) -> tuple[str, str | None] | None:
    """("help" | "stop" | "forget_me", language) when the whole message is an SMS command ("AYUDA", "quên tôi
    đi"), else None. The language is a hint for the reply: the one language whose list has the words, or None
    when English has them (carriers advertise HELP and STOP in English to everyone) or several languages do."""
    found = whole_message_key(text, "sms")
    if found is None:
        return None
    command, languages = found
    if command not in SMS_COMMANDS:
        return None
    language = next(iter(languages)) if len(languages) == 1 and SOURCE_LANGUAGE not in languages else None
    return command, language


def answer_word(text: str) -> str | None:
    """ "yes", "no" or "skip" when the whole message is one of those answers ("Sí.", "haa", "لا"), else None."""
    found = whole_message_key(text, "answers")
    return found[0] if found else None
