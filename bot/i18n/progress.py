"""How far each registered language is (`make i18n-report`): translated, fuzzy and untranslated catalog
entries, and training examples per intent. A launch language under 95% translated fails the report.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from babel.messages.catalog import Catalog

from bot.i18n.catalog_files import _as_list, po_path, read_catalog, registry_path, template_path
from bot.i18n.languages import SOURCE_LANGUAGE, read_registry
from core.names import LAUNCH_LANGUAGES
from core.paths import LOCALES_DIR, NLU_DIR
from core.training_data import examples_by_intent

LAUNCH_MIN_PERCENT = 95.0


@dataclass(frozen=True)
class CatalogProgress:
    translated: int
    fuzzy: int
    untranslated: int

    @property
    def percent(self) -> float:
        total = self.translated + self.fuzzy + self.untranslated
        return 100.0 * self.translated / total if total else 100.0


def catalog_progress(catalog: Catalog) -> CatalogProgress:
    """Fuzzy entries count apart: they are not served (compile skips them) until a translator confirms them."""
    counts: Counter[str] = Counter()
    for message in catalog:
        if not message.id:
            continue  # the header
        if message.fuzzy:
            counts["fuzzy"] += 1
        elif _as_list(message.string) and all(_as_list(message.string)):
            counts["translated"] += 1
        else:
            counts["untranslated"] += 1
    return CatalogProgress(counts["translated"], counts["fuzzy"], counts["untranslated"])


def language_progress(code: str, locales_dir: Path = LOCALES_DIR) -> CatalogProgress | None:
    """A language's progress; None when it has no catalog. English, the source, is complete by definition."""
    if code == SOURCE_LANGUAGE:
        template = read_catalog(template_path(locales_dir))
        return CatalogProgress(sum(1 for message in template if message.id), 0, 0)
    path = po_path(code, locales_dir)
    return catalog_progress(read_catalog(path)) if path.exists() else None


def write_report(locales_dir: Path = LOCALES_DIR, nlu_dir: Path = NLU_DIR, out: TextIO | None = None) -> int:
    """Print the progress of every registered language; 1 when a launch language is under 95% translated."""
    out = out or sys.stdout  # looked up now, not at import, so a redirected stdout is honoured
    languages = read_registry(registry_path(locales_dir))
    shortfalls = []
    print(f"Catalogs (a launch language needs {LAUNCH_MIN_PERCENT:.0f}% translated):", file=out)
    print(f"  {'code':<6}{'status':<10}{'translated':>11}{'fuzzy':>7}{'untranslated':>14}", file=out)
    for language in languages:
        progress = language_progress(language.code, locales_dir)
        if progress is None:
            print(f"  {language.code:<6}{language.status:<10}{'no catalog':>11}", file=out)
        else:
            print(
                f"  {language.code:<6}{language.status:<10}{progress.percent:>10.1f}%"
                f"{progress.fuzzy:>7}{progress.untranslated:>14}",
                file=out,
            )
        percent = progress.percent if progress else 0.0
        if language.code in LAUNCH_LANGUAGES and percent < LAUNCH_MIN_PERCENT:
            shortfalls.append(f"{language.code} is a launch language and only {percent:.1f}% translated")
    shortfalls += [
        f"{code} is a launch language and is not registered"
        for code in LAUNCH_LANGUAGES
        if code not in {language.code for language in languages}
    ]

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
        print(f"i18n-report: {shortfall} (needs {LAUNCH_MIN_PERCENT:.0f}%)", file=sys.stderr)
    return 1 if shortfalls else 0
