"""The catalogs as the server uses them: each language's .po file (locales/<lang>/LC_MESSAGES/messages.po),
read and compiled in memory, one cached per language.

The server reads the .po files themselves, not compiled .mo files, so a translation merged with `git pull` or
saved in Poedit is served at the next reply: no build step, no restart, and no .mo file that a server could
read half rewritten. A translation with a problem (its placeholders differ from the source's) is left out,
with an error in the log naming its context, and the English source is served in its place; fuzzy entries
are never served. A .po file that cannot be read at all keeps the catalog read before.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError
from babel.support import NullTranslations, Translations

from bot.i18n.catalog_files import po_path, problem_messages, read_catalog
from core.paths import LOCALES_DIR
from core.reloading import Reloading

logger = logging.getLogger(__name__)
DOMAIN = "messages"


def catalog_path(language: str, locales_dir: Path = LOCALES_DIR) -> Path:
    return po_path(language, locales_dir)


def compile_in_memory(path: Path) -> NullTranslations:
    """The .po file as gettext translations, without the translations that must not be served."""
    catalog = read_catalog(path)
    problems = problem_messages(catalog)
    for message, problem in problems:
        logger.error("%s: the translation of %s is not served (%s)", path, message.context or "-", problem)
    for message in {id(message): message for message, _ in problems}.values():
        catalog.delete(message.id, context=message.context)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


_catalogs = Reloading(
    compile_in_memory, errors=(OSError, ValueError, PoFileError, UnicodeDecodeError), default=NullTranslations
)


def translations(language: str) -> NullTranslations:
    """The language's catalog; an empty one (English source text) when it has none."""
    return _catalogs(catalog_path(language))


def translate(language: str, context: str, msgid: str) -> str:
    """The translation of msgid in its context (a response name), or msgid itself when untranslated."""
    return str(translations(language).pgettext(context, msgid))


def is_translated(language: str, context: str, msgid: str) -> bool:
    """Whether the language's catalog has a translation of msgid in this context that may be served."""
    return translate(language, context, msgid) != msgid
