"""Compiled gettext catalogs (locales/<lang>/LC_MESSAGES/messages.mo), one cached per language.

A catalog is reloaded when its .mo file changes, so a translator's fix or a new language is served
after `make i18n-compile` without restarting or retraining.
"""

from __future__ import annotations

import threading
from pathlib import Path

from babel.support import NullTranslations, Translations

from bot.languages import LOCALES_DIR

DOMAIN = "messages"
_lock = threading.Lock()
_cache: dict[str, tuple[float, NullTranslations]] = {}


def catalog_path(language: str, locales_dir: Path = LOCALES_DIR) -> Path:
    return locales_dir / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def translations(language: str) -> NullTranslations:
    """The compiled catalog for a language; an empty one (English source text) when none is compiled."""
    path = catalog_path(language)
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return NullTranslations()
    with _lock:
        cached = _cache.get(language)
        if cached is None or cached[0] != mtime:
            with path.open("rb") as handle:
                cached = (mtime, Translations(handle, domain=DOMAIN))
            _cache[language] = cached
        return cached[1]


def translate(language: str, context: str, msgid: str) -> str:
    """The translation of msgid in its context (a response name), or msgid itself when untranslated."""
    return translations(language).pgettext(context, msgid)


def is_translated(language: str, context: str, msgid: str) -> bool:
    """Whether the language's compiled catalog has a translation of msgid in this context."""
    return translate(language, context, msgid) != msgid
