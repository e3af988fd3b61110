"""How far each registered language is (`make i18n-report`): its safety replies ("safety 3/13"), translated,
fuzzy and untranslated catalog entries, what it lacks to move up a status (bot/i18n/languages.py), and
training examples per intent.

The report fails when a launch language is under 95% translated or not registered, and when a language's
status claims more than it has: a `draft` or `reviewed` language must have every translate-first reply
translated (bot/i18n/translate_first.py) and words for danger and self-harm in its keywords.yml.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from babel.messages.catalog import Catalog, Message

from bot.i18n.catalog_files import _as_list, po_path, problem_messages, read_catalog, registry_path, template_path
from bot.i18n.keywords import SAFETY_KEYS, keywords_path, read_keywords
from bot.i18n.languages import DRAFT, PREVIEW, REVIEWED, SOURCE_LANGUAGE, Language, read_registry
from bot.i18n.translate_first import TRANSLATE_FIRST, response_name
from core.names import LAUNCH_LANGUAGES
from core.paths import LOCALES_DIR, NLU_DIR
from core.training_data import examples_by_intent

LAUNCH_MIN_PERCENT = 95.0


@dataclass(frozen=True)
class CatalogProgress:
    translated: int
    fuzzy: int
    untranslated: int
    # The translate-first groups (TRANSLATE_FIRST's labels) whose every entry is translated and servable.
    safety_done: tuple[str, ...] = field(default=tuple(label for label, _ in TRANSLATE_FIRST))

    @property
    def percent(self) -> float:
        total = self.translated + self.fuzzy + self.untranslated
        return 100.0 * self.translated / total if total else 100.0

    @property
    def safety_missing(self) -> list[str]:
        return [label for label, _ in TRANSLATE_FIRST if label not in self.safety_done]


def _is_translated(message: Message) -> bool:
    return not message.fuzzy and bool(_as_list(message.string)) and all(_as_list(message.string))


def catalog_progress(catalog: Catalog) -> CatalogProgress:
    """Fuzzy entries count apart: they are not served until a translator confirms them. A translate-first group
    counts as done when each of its entries in this catalog is translated, not fuzzy, and without a problem
    (a translation with wrong placeholders is not served)."""
    counts: Counter[str] = Counter()
    broken = {id(message) for message, _ in problem_messages(catalog)}
    unsafe: set[str] = set()
    for message in catalog:
        if not message.id:
            continue  # the header
        if message.fuzzy:
            counts["fuzzy"] += 1
        elif _is_translated(message):
            counts["translated"] += 1
        else:
            counts["untranslated"] += 1
        if not _is_translated(message) or id(message) in broken:
            unsafe.add(response_name(message.context))
    present = {response_name(message.context) for message in catalog if message.id}
    # A reply missing from the catalog is served in English, like an untranslated one.
    done = tuple(
        label for label, names in TRANSLATE_FIRST if present.issuperset(names) and not unsafe.intersection(names)
    )
    return CatalogProgress(counts["translated"], counts["fuzzy"], counts["untranslated"], done)


def language_progress(code: str, locales_dir: Path = LOCALES_DIR) -> CatalogProgress | None:
    """A language's progress; None when it has no catalog. English, the source, is complete by definition."""
    if code == SOURCE_LANGUAGE:
        template = read_catalog(template_path(locales_dir))
        return CatalogProgress(sum(1 for message in template if message.id), 0, 0)
    path = po_path(code, locales_dir)
    return catalog_progress(read_catalog(path)) if path.exists() else None


def missing_safety_words(code: str, locales_dir: Path = LOCALES_DIR) -> list[str]:
    """The `safety` lists of keywords.yml (danger_now, self_harm) that this language has no words in."""
    path = keywords_path(code, locales_dir)
    lists = read_keywords(path).get("safety", {}) if path.exists() else {}
    return [key for key in SAFETY_KEYS if not lists.get(key)]


@dataclass(frozen=True)
class Readiness:
    """What a language lacks for the next status, and whether its present status claims too much."""

    next_status: str | None
    lacking: list[str]
    overclaims: bool


def readiness(language: Language, progress: CatalogProgress | None, locales_dir: Path = LOCALES_DIR) -> Readiness:
    if progress is None:
        return Readiness(DRAFT, ["a catalog (make locale)"], language.status != PREVIEW)
    for_draft = []
    if progress.safety_missing:
        for_draft.append("translate first: " + ", ".join(progress.safety_missing))
    words = missing_safety_words(language.code, locales_dir)
    if words:
        for_draft.append(f"words in keywords.yml `safety`: {', '.join(words)}")
    overclaims = language.status != PREVIEW and bool(for_draft)
    if language.status == PREVIEW or for_draft:
        return Readiness(DRAFT, for_draft, overclaims)
    if language.status == REVIEWED:
        return Readiness(None, [], False)
    for_review = []
    if progress.untranslated or progress.fuzzy:
        for_review.append(f"{progress.untranslated} untranslated and {progress.fuzzy} fuzzy entries")
    for_review.append("a fluent reviewer: reviewed_by (their role) and reviewed_on in locales/languages.yml")
    return Readiness(REVIEWED, for_review, False)


def write_report(locales_dir: Path = LOCALES_DIR, nlu_dir: Path = NLU_DIR, out: TextIO | None = None) -> int:
    """Print the progress of every registered language; 1 when a launch language is under 95% translated or
    missing, or when a language's status claims more than it has."""
    out = out or sys.stdout  # looked up now, not at import, so a redirected stdout is honoured
    languages = read_registry(registry_path(locales_dir))
    shortfalls, next_steps = [], []
    total = len(TRANSLATE_FIRST)
    print(
        f"Catalogs (a launch language needs {LAUNCH_MIN_PERCENT:.0f}% translated; safety = the {total} "
        "translate-first replies):",
        file=out,
    )
    print(f"  {'code':<6}{'status':<10}{'safety':>8}{'translated':>12}{'fuzzy':>7}{'untranslated':>14}", file=out)
    for language in languages:
        progress = language_progress(language.code, locales_dir)
        if progress is None:
            print(f"  {language.code:<6}{language.status:<10}{'no catalog':>20}", file=out)
        else:
            safety = f"{len(progress.safety_done)}/{total}"
            print(
                f"  {language.code:<6}{language.status:<10}{safety:>8}{progress.percent:>11.1f}%"
                f"{progress.fuzzy:>7}{progress.untranslated:>14}",
                file=out,
            )
        percent = progress.percent if progress else 0.0
        if language.code in LAUNCH_LANGUAGES and percent < LAUNCH_MIN_PERCENT:
            shortfalls.append(
                f"{language.code} is a launch language and only {percent:.1f}% translated "
                f"(needs {LAUNCH_MIN_PERCENT:.0f}%)"
            )
        ready = readiness(language, progress, locales_dir)
        if ready.overclaims:
            shortfalls.append(
                f"{language.code} has status {language.status} but lacks: {'; '.join(ready.lacking)} "
                f"(set status: preview, or add what it lacks)"
            )
        elif ready.next_status is not None:
            next_steps.append(
                f"  - {language.code} ({language.status} -> {ready.next_status}): {'; '.join(ready.lacking)}"
            )
    shortfalls += [
        f"{code} is a launch language and is not registered"
        for code in LAUNCH_LANGUAGES
        if code not in {language.code for language in languages}
    ]
    if next_steps:
        print('\nTo move up (TRANSLATING.md, "From preview to reviewed"):', file=out)
        for step in next_steps:
            print(step, file=out)

    counts = {language.code: examples_by_intent(nlu_dir / language.code) for language in languages}
    intents = sorted({intent for by_intent in counts.values() for intent in by_intent})
    print("\nNLU training examples per intent (data/nlu/<code>/*.yml):", file=out)
    print(f"  {'intent':<22}" + "".join(f"{language.code:>6}" for language in languages), file=out)
    for intent in intents:
        row = "".join(f"{len(counts[language.code].get(intent, [])):>6}" for language in languages)
        print(f"  {intent:<22}{row}", file=out)
    totals = "".join(f"{sum(map(len, counts[language.code].values())):>6}" for language in languages)
    print(f"  {'(all intents)':<22}{totals}", file=out)

    for shortfall in shortfalls:
        print(f"i18n-report: {shortfall}", file=sys.stderr)
    return 1 if shortfalls else 0
