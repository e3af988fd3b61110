"""Compiled gettext catalogs (locales/<lang>/LC_MESSAGES/messages.mo), one cached per language.

A catalog is reloaded when its .mo file changes, so a translator's fix or a new language is served
after `make i18n-compile` without restarting or retraining.
"""

from __future__ import annotations

import struct
from pathlib import Path

from babel.support import NullTranslations, Translations

from core.paths import LOCALES_DIR
from core.reloading import Reloading

DOMAIN = "messages"


def catalog_path(language: str, locales_dir: Path = LOCALES_DIR) -> Path:
    return locales_dir / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def read_catalog(path: Path) -> NullTranslations:
    with path.open("rb") as handle:
        return Translations(handle, domain=DOMAIN)


# A catalog being rewritten by `make catalogs` may be read half-written: the one read before stays.
_catalogs = Reloading(read_catalog, errors=(OSError, ValueError, struct.error), default=NullTranslations)


def translations(language: str) -> NullTranslations:
    """The compiled catalog for a language; an empty one (English source text) when none is compiled."""
    return _catalogs(catalog_path(language))


def translate(language: str, context: str, msgid: str) -> str:
    """The translation of msgid in its context (a response name), or msgid itself when untranslated."""
    return str(translations(language).pgettext(context, msgid))


def is_translated(language: str, context: str, msgid: str) -> bool:
    """Whether the language's compiled catalog has a translation of msgid in this context."""
    return translate(language, context, msgid) != msgid
