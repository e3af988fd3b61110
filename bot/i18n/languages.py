"""The language registry (locales/languages.yml): which languages the assistant speaks.

Native names and text direction come from Babel so that nobody types them by hand; `status` says whether
a fluent speaker has reviewed the translation (`reviewed`) or it is machine-drafted (`draft`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from babel import Locale, UnknownLocaleError

from core.paths import LOCALES_DIR
from core.reloading import Reloading

REGISTRY_PATH = LOCALES_DIR / "languages.yml"
SOURCE_LANGUAGE = "en"
STATUSES = ("reviewed", "draft")


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    direction: str
    status: str
    aliases: tuple[str, ...] = ()


def babel_facts(code: str) -> tuple[str, str]:
    """Return (native name, direction) for a language code, from Babel's CLDR data.

    Raises ValueError for a code Babel does not know.
    """
    try:
        locale = Locale.parse(code)
    except (UnknownLocaleError, ValueError) as error:
        raise ValueError(f"Babel does not know the language code {code!r}") from error
    name = locale.get_display_name(locale) or code
    # CLDR writes many names in lower case ("español"); a picker button starts with a capital.
    return name[:1].upper() + name[1:], locale.text_direction


def read_registry(path: Path = REGISTRY_PATH) -> list[Language]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["languages"]
    languages = [
        Language(e["code"], e["name"], e["direction"], e["status"], tuple(e.get("aliases") or ())) for e in entries
    ]
    for language in languages:
        if language.status not in STATUSES:
            raise ValueError(f"{path}: {language.code} has status {language.status!r}, not one of {STATUSES}")
    return languages


_registry = Reloading(lambda path: tuple(read_registry(path)), errors=(yaml.YAMLError, KeyError, TypeError, ValueError))


def registered_languages() -> tuple[Language, ...]:
    """The registry, re-read when locales/languages.yml changes, so a running server serves a language that
    `make locale` just added, without a restart (as the catalogs are after `make catalogs`)."""
    return _registry(REGISTRY_PATH)  # looked up at each call, so a test can point it at a copy


def registered_codes() -> tuple[str, ...]:
    return tuple(language.code for language in registered_languages())


def normalise_code(value: object) -> str | None:
    """Map "so", "SO", "pt-BR" or "pt_BR" to a registered code, or None."""
    if not isinstance(value, str):
        return None
    base = value.strip().replace("-", "_").split("_")[0].lower()
    return base if base in registered_codes() else None


def reply_language(value: object) -> str:
    """The language to answer in: a registered code, else English."""
    return normalise_code(value) or SOURCE_LANGUAGE


def get_language(code: str) -> Language:
    for language in registered_languages():
        if language.code == code:
            return language
    raise KeyError(code)
