"""The language registry (locales/languages.yml): which languages the assistant speaks, and how far each is.

Native names and text direction come from Babel so that nobody types them by hand, except for a language Babel
has no data for (Maay Maay `ymm`, Dari `prs`): its entry says `by_hand: true` and gives both.

`status` moves one way as a translation grows (TRANSLATING.md, "From preview to reviewed"):

- `preview`: served only to someone who asks for it by name (metadata.language, the language's name typed as
  a message, the kiosk's `?lang=` address); never offered on a language list, never detected. A language
  starts here, because until its safety replies and danger words exist it cannot help someone in danger.
- `draft`: the safety replies are translated and the danger and self-harm words exist; offered and detected
  like any other, and it says it is a machine draft (the kiosk picker, the greeting).
- `reviewed`: a fluent speaker checked it; the entry names the reviewer's role (never a person's name) and
  the date.
"""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass
from pathlib import Path

import yaml
from babel import Locale, UnknownLocaleError

from core.paths import LOCALES_DIR
from core.reloading import Reloading
from core.yaml_files import read_yaml

REGISTRY_PATH = LOCALES_DIR / "languages.yml"
SOURCE_LANGUAGE = "en"
PREVIEW, DRAFT, REVIEWED = "preview", "draft", "reviewed"
STATUSES = (PREVIEW, DRAFT, REVIEWED)
DIRECTIONS = ("ltr", "rtl")


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    direction: str
    status: str
    aliases: tuple[str, ...] = ()
    by_hand: bool = False  # name and direction typed by a speaker: Babel has no data for this language
    reviewed_by: str = ""  # the reviewer's role ("advocate at a Lewiston shelter"), never a person's name
    reviewed_on: datetime.date | None = None

    @property
    def offered(self) -> bool:
        """On the language lists and detected; a preview language is served only when asked for by name."""
        return self.status != PREVIEW

    @property
    def is_draft(self) -> bool:
        return self.status == DRAFT


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


def babel_knows(code: str) -> bool:
    try:
        babel_facts(code)
    except ValueError:
        return False
    return True


def _entry(path: Path, e: dict) -> Language:
    reviewed_on = e.get("reviewed_on")
    if isinstance(reviewed_on, str):
        with contextlib.suppress(ValueError):  # a quoted date; anything else is refused below
            reviewed_on = datetime.date.fromisoformat(reviewed_on)
    if reviewed_on is not None and not isinstance(reviewed_on, datetime.date):
        raise ValueError(f"{path}: {e.get('code')} has reviewed_on {reviewed_on!r}, not a date (2026-12-01)")
    return Language(
        code=e["code"],
        name=e["name"],
        direction=e["direction"],
        status=e["status"],
        aliases=tuple(e.get("aliases") or ()),
        by_hand=bool(e.get("by_hand", False)),
        reviewed_by=str(e.get("reviewed_by") or "").strip(),
        reviewed_on=reviewed_on,
    )


def check_entry(language: Language, path: Path = REGISTRY_PATH) -> None:
    """ValueError when an entry cannot be served as it says."""
    where = f"{path}: {language.code}"
    if language.status not in STATUSES:
        raise ValueError(f"{where} has status {language.status!r}, not one of {STATUSES}")
    if language.direction not in DIRECTIONS:
        raise ValueError(f"{where} has direction {language.direction!r}, not one of {DIRECTIONS}")
    if not language.name.strip():
        raise ValueError(f"{where} has no name")
    if language.status == REVIEWED and language.code != SOURCE_LANGUAGE:
        if not language.reviewed_by or language.reviewed_on is None:
            raise ValueError(f"{where} is reviewed: give reviewed_by (the reviewer's role) and reviewed_on (a date)")
        if language.reviewed_on > datetime.date.today():
            raise ValueError(f"{where} has reviewed_on {language.reviewed_on} in the future")


def read_registry(path: Path = REGISTRY_PATH) -> list[Language]:
    entries = read_yaml(path)["languages"]
    languages = [_entry(path, e) for e in entries]
    for language in languages:
        check_entry(language, path)
    return languages


_registry = Reloading(lambda path: tuple(read_registry(path)), errors=(yaml.YAMLError, KeyError, TypeError, ValueError))


def registered_languages() -> tuple[Language, ...]:
    """The registry, re-read when locales/languages.yml changes, so a running server serves a language that
    `make locale` just added, without a restart (as the catalogs are when a .po file changes)."""
    return _registry(REGISTRY_PATH)  # looked up at each call, so a test can point it at a copy


def offered_languages() -> tuple[Language, ...]:
    """The languages a person is offered (the picker, the language buttons) and that detection may pick."""
    return tuple(language for language in registered_languages() if language.offered)


def registered_codes() -> tuple[str, ...]:
    return tuple(language.code for language in registered_languages())


def normalise_code(value: object) -> str | None:
    """Map "so", "SO", "pt-BR" or "pt_BR" to a registered code (a preview language too: asking for a language
    by its code is an explicit choice), or None."""
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


def is_draft(code: str) -> bool:
    """Whether replies in this language must say they are a machine draft."""
    return any(language.code == code and language.is_draft for language in registered_languages())
