"""Adding a language as a draft (`make locale LANG=vi`): its catalog from the template, a draft registry entry
(native name and direction from Babel), a data/nlu/<code>/ folder with a guide, a glossary stub in
locales/style/ and the English keyword lists to start from. Everything is checked before the first file is
written, and the registry entry comes last: from that write on, a running server offers the language.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from datetime import datetime, timezone
from pathlib import Path

import yaml
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from bot.i18n.catalog_files import glossary_path, po_path, registry_path, shown, template_path
from bot.i18n.keywords import KEYWORDS_FILE
from bot.i18n.languages import SOURCE_LANGUAGE, babel_facts, read_registry
from core.paths import LOCALES_DIR, NLU_DIR
from core.training_data import examples_by_intent

# One catalog per language, whatever the region: the registry and bot.i18n.languages.normalise_code key on it.
BARE_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")


class LocaleRefused(ValueError):
    """A language `make locale` will not add; the message says why and what to do instead."""


def check_new_language(code: str, locales_dir: Path = LOCALES_DIR) -> tuple[str, str]:
    """(native name, direction) of a language that may be added, or LocaleRefused."""
    try:
        name, direction = babel_facts(code.replace("-", "_"))
    except ValueError:
        raise LocaleRefused(
            f"Babel does not know the language code {code!r}. Use an ISO 639 code such as 'vi' (Vietnamese); "
            "the list is at https://www.loc.gov/standards/iso639-2/php/code_list.php"
        ) from None
    if not BARE_LANGUAGE_CODE.fullmatch(code):
        raise LocaleRefused(
            f"{code!r} names a region or script. Use the lower-case language code alone (like 'pt', not "
            "'pt_BR'): one catalog serves every region."
        )
    registry, catalog = shown(registry_path(locales_dir)), shown(po_path(code, locales_dir))
    if code in {language.code for language in read_registry(registry_path(locales_dir))}:
        raise LocaleRefused(f"{code} is already registered in {registry}. To improve it, open {catalog} in Poedit.")
    if po_path(code, locales_dir).exists():
        raise LocaleRefused(
            f"{catalog} already exists but {code} is not registered: add its entry to {registry} by hand "
            "rather than starting over."
        )
    return name, direction


def registry_with(code: str, name: str, direction: str, locales_dir: Path = LOCALES_DIR) -> str:
    """The registry's text with a draft entry for `code` appended."""
    path = registry_path(locales_dir)
    entry = {"code": code, "name": name, "direction": direction, "status": "draft"}
    # Appended as text rather than re-dumped, so the registry keeps the comments that explain it.
    block = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False)
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n" + textwrap.indent(block, "  ")
    parsed = (yaml.safe_load(text) or {}).get("languages") or []
    if not parsed or parsed[-1] != entry:
        raise LocaleRefused(
            f"{shown(path)} is not laid out as expected; add this entry under `languages:` by hand:\n{block}"
        )
    return text


def new_catalog(code: str, locales_dir: Path = LOCALES_DIR) -> Catalog:
    """The template as a new, empty catalog for `code`, as `pybabel init` makes it."""
    with template_path(locales_dir).open("rb") as handle:
        catalog = read_po(handle, locale=code)
    catalog.locale = Locale.parse(code)  # also sets the Language and Plural-Forms headers from CLDR
    catalog.revision_date = datetime.now(timezone.utc)
    catalog.fuzzy = False
    return catalog


def english_name(code: str) -> str:
    return Locale.parse(code).get_display_name("en") or code


def add_locale(code: str, locales_dir: Path = LOCALES_DIR, nlu_dir: Path = NLU_DIR) -> list[Path]:
    """Add a language (see the module docstring); returns the files written. Refuses with LocaleRefused."""
    name, direction = check_new_language(code, locales_dir)
    # Everything is checked before the first file is written, so a refusal leaves nothing half-added.
    registry_text = registry_with(code, name, direction, locales_dir)
    catalog_file = po_path(code, locales_dir)
    catalog_file.parent.mkdir(parents=True, exist_ok=True)
    with catalog_file.open("wb") as handle:
        write_po(handle, new_catalog(code, locales_dir), width=0)  # unwrapped, as `make i18n-update` writes
    written = [catalog_file]
    guide = nlu_dir / code / "README.md"
    glossary = glossary_path(code, locales_dir)
    # Never overwrite notes a translator may already have started.
    if not guide.exists():
        guide.parent.mkdir(parents=True, exist_ok=True)
        guide.write_text(nlu_guide(code, name, examples_by_intent(nlu_dir / SOURCE_LANGUAGE)), encoding="utf-8")
        written.append(guide)
    if not glossary.exists():
        glossary.parent.mkdir(parents=True, exist_ok=True)
        glossary.write_text(glossary_stub(code, name), encoding="utf-8")
        written.append(glossary)
    # The English keyword lists as a start: the translator adds the words people type in the new language.
    keywords = locales_dir / code / KEYWORDS_FILE
    english_keywords = locales_dir / SOURCE_LANGUAGE / KEYWORDS_FILE
    if not keywords.exists() and english_keywords.exists():
        shutil.copyfile(english_keywords, keywords)
        written.append(keywords)
    # Last: from this write on, a running server offers the language.
    registry_path(locales_dir).write_text(registry_text, encoding="utf-8")
    written.append(registry_path(locales_dir))
    return written


def nlu_guide(code: str, name: str, english_examples: dict[str, list[str]]) -> str:
    intents = "\n".join(
        f"- `{intent}`: " + ", ".join(f'"{example}"' for example in examples[:4])
        for intent, examples in sorted(english_examples.items())
    )
    return f"""# {english_name(code)} ({code}, "{name}") training examples

This folder teaches the assistant to understand messages written in {english_name(code)}. While it is empty,
the assistant already answers in {english_name(code)} when a person picks the language (the language button,
or `metadata.language: {code}`), but it understands their messages only where they look like another
language's examples. TRANSLATING.md, "Training examples", has the whole story.

## What to write

One file per topic, named like the English ones in `data/nlu/en/` (core.yml, help.yml, language.yml,
privacy.yml, safety.yml), in this format:

```yaml
version: "3.1"
nlu:
  - intent: danger_now
    examples: |
      - (a message as someone would type it)
      - (another one)
```

- Write what people really type, not a translation of the English list: short and long messages, texting
  style, typos, words without accents or diacritics, English words mixed in ("shelter", "court", "lawyer").
- At least 15 examples per intent, and more for the crisis intents (`danger_now`, `self_harm`,
  `trafficking_signs`): missing one of those is the worst mistake the assistant can make.
- Never a real name, phone number or address.
- Put a different set of messages (never the same ones) in `tests/nlu/{code}/`: they measure how well the
  assistant understands {english_name(code)}.
- A maintainer retrains the model (`make train`) once the examples are in; `make i18n-report` counts them.

## The intents, with English examples

{intents}
"""


def glossary_stub(code: str, name: str) -> str:
    return f"""# {english_name(code)} ({code}, "{name}") style notes and glossary

**Status: draft, waiting for review by a fluent {english_name(code)} speaker.** Keep `status: draft` for
`{code}` in `locales/languages.yml` until a reviewer has checked the catalog
(`locales/{code}/LC_MESSAGES/messages.po`) and this file (TRANSLATING.md, "Review").

## Variety and register
- Which variety and spelling, and why (who in Maine speaks it):
- How the assistant addresses people (formal or informal "you"):
- Short, plain sentences, at about a 6th-grade reading level. Never blame the person.

## Key terms
| English | {english_name(code)} used | Notes |
|---|---|---|
| human trafficking | | Not the word for smuggling. |
| domestic violence | | |
| sexual assault | | |
| advocate | | |
| protection order (Protection from Abuse) | | |
| shelter / safe place | | |
| court / court clerk | | |
| interpreter | | |
| legal aid / free legal help | | |
| immigration | | |
| T visa / U visa | | |
| text message | | |
| "forget me" command | | The words people type to delete the conversation. |

## English names kept as they are (with a translation next to them where it helps)
National Human Trafficking Hotline, Text-to-911, 211 Maine, Pine Tree Legal Assistance, Immigrant Legal
Advocacy Project (ILAP), Protection from Abuse, T visa, U visa, Victims' Compensation, Maine Crisis Line.
911 and 988 stay as digits. Never write phone numbers yourself: keep the `{{placeholders}}`.

## NLU data notes
- How people type this language (without diacritics? abbreviations? English words?):
"""
