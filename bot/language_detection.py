"""Which language a message is in, and whether it names a language: Rasa-free, used by the NLU component.

Detection uses lingua restricted to the registered languages and answers only when confident. lingua is
unsure of single words ("hola", "merci"), so a short message that appears among one language's own NLU
examples (and no other's) counts as that language. Very short input ("ok", "1") never switches language.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from babel import Locale
from lingua import IsoCode639_1, LanguageDetectorBuilder

from bot.languages import PROJECT_ROOT, Language

NLU_DIR = PROJECT_ROOT / "data" / "nlu"
WORD = re.compile(r"\w+")
MIN_LETTERS = 4  # "ok", "si", "no", "hi" and digits are the same in many languages: keep the current one.
MAX_CHOICE_WORDS = 4  # "Spanish please", "en español por favor"; longer messages are requests, not choices.


def normalise(text: str) -> str:
    """Lower case, without accents or Arabic diacritics and tatweel, single-spaced: how people type on phones."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("\u0640", ""))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(WORD.findall(stripped))


def language_names(languages: list[Language]) -> dict[str, str]:
    """Every way to name a registered language, normalised -> code: its native name, its name in every other
    registered language and in English (Babel's CLDR data), and the registry's own aliases."""
    codes = [language.code for language in languages]
    names: dict[str, str] = {}
    for language in languages:
        candidates = {language.name, *language.aliases}
        for display_in in {*codes, "en"}:
            candidates.add(Locale.parse(display_in).languages.get(language.code, ""))
        for candidate in candidates:
            if normalise(candidate):
                names[normalise(candidate)] = language.code
    return names


def short_examples(codes: list[str], nlu_dir: Path = NLU_DIR) -> dict[str, str]:
    """Short NLU examples (up to 3 words) that belong to exactly one registered language."""
    seen: dict[str, set[str]] = {}
    for code in codes:
        for path in sorted((nlu_dir / code).glob("*.yml")):
            for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
                for line in str(block.get("examples", "")).splitlines():
                    text = normalise(line.strip().removeprefix("- "))
                    if text and len(text.split()) <= 3:
                        seen.setdefault(text, set()).add(code)
    return {text: next(iter(found)) for text, found in seen.items() if len(found) == 1}


@dataclass
class LanguageDetector:
    languages: list[Language]
    min_confidence: float
    names: dict[str, str] = field(init=False)
    examples: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        codes = [language.code for language in self.languages]
        self.names = language_names(self.languages)
        self.examples = short_examples(codes)
        iso_codes = [IsoCode639_1.from_str(code) for code in codes if _lingua_knows(code)]
        self._detector = (
            LanguageDetectorBuilder.from_iso_codes_639_1(*iso_codes).with_preloaded_language_models().build()
            if len(iso_codes) >= 2
            else None
        )

    def named_languages(self, text: str) -> set[str]:
        """Registered languages that a short message names ("Soomaali", "in Spanish please")."""
        words = normalise(text).split()
        if not words or len(words) > MAX_CHOICE_WORDS:
            return set()
        found = set()
        for size in range(1, len(words) + 1):
            for start in range(len(words) - size + 1):
                code = self.names.get(" ".join(words[start : start + size]))
                if code:
                    found.add(code)
        return found

    def is_only_a_language_name(self, text: str) -> bool:
        return normalise(text) in self.names

    def detect(self, text: str) -> str | None:
        """The language of the message when confident, else None."""
        normalised = normalise(text)
        if sum(ch.isalpha() for ch in normalised) < MIN_LETTERS:
            return None
        if self._detector is not None:
            values = self._detector.compute_language_confidence_values(text)
            if values and values[0].value >= self.min_confidence:
                return values[0].language.iso_code_639_1.name.lower()
        return self.examples.get(normalised)


def _lingua_knows(code: str) -> bool:
    try:
        IsoCode639_1.from_str(code)
    except ValueError:
        return False
    return True
