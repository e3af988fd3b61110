"""Adding a language (`make locale LANG=vi`): its catalog from the template, a `preview` registry entry (native
name and direction from Babel, or given by hand for a language Babel has no data for: `make locale LANG=ymm
NAME=Af-Maay DIRECTION=ltr`), a data/nlu/<code>/ folder with a guide, a glossary stub in locales/style/ and
empty keyword lists. Everything is checked before the first file is written, and the registry entry comes
last: from that write on, a running server serves the language to whoever asks for it by name; it is offered
to everyone only once a translator moves it to `draft` (TRANSLATING.md).
"""

from __future__ import annotations

import re
import textwrap
from datetime import datetime, timezone
from pathlib import Path

import yaml
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from bot.i18n.catalog_files import glossary_path, po_path, registry_path, shown, template_path
from bot.i18n.keywords import KEYWORDS_FILE, LISTS
from bot.i18n.languages import DIRECTIONS, PREVIEW, SOURCE_LANGUAGE, babel_facts, babel_knows, read_registry
from core.paths import LOCALES_DIR, NLU_DIR
from core.training_data import examples_by_intent
from core.yaml_files import load_yaml, read_yaml

# One catalog per language, whatever the region: the registry and bot.i18n.languages.normalise_code key on it.
BARE_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")


class LocaleRefused(ValueError):
    """A language `make locale` will not add; the message says why and what to do instead."""


def check_new_language(
    code: str, locales_dir: Path = LOCALES_DIR, name: str | None = None, direction: str | None = None
) -> tuple[str, str]:
    """(native name, direction) of a language that may be added, or LocaleRefused. Babel gives both; for a
    language Babel has no data for, the caller gives both."""
    if babel_knows(code.replace("-", "_")):
        if name or direction:
            raise LocaleRefused(
                f"Babel knows {code!r}: its native name and direction come from Babel. Leave NAME and DIRECTION out."
            )
        name, direction = babel_facts(code.replace("-", "_"))
    elif not (name and name.strip()) or direction not in DIRECTIONS:
        raise LocaleRefused(
            f"Babel does not know the language code {code!r}. Check it is the ISO 639 code (such as 'vi' for "
            "Vietnamese or 'ymm' for Maay Maay; the list is at https://iso639-3.sil.org/code_tables/639/data). "
            "If it is right, give the language's own name and its direction (ltr or rtl), as a speaker writes "
            f'them: make locale LANG={code} NAME="<its name>" DIRECTION=ltr'
        )
    else:
        name = name.strip()
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
    """The registry's text with a preview entry for `code` appended."""
    path = registry_path(locales_dir)
    entry: dict[str, object] = {"code": code, "name": name, "direction": direction, "status": PREVIEW}
    if not babel_knows(code):
        entry["by_hand"] = True
    # Appended as text rather than re-dumped, so the registry keeps the comments that explain it.
    block = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False)
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n" + textwrap.indent(block, "  ")
    parsed = (load_yaml(text) or {}).get("languages") or []
    if not parsed or parsed[-1] != entry:
        raise LocaleRefused(
            f"{shown(path)} is not laid out as expected; add this entry under `languages:` by hand:\n{block}"
        )
    return text


def new_catalog(code: str, locales_dir: Path = LOCALES_DIR) -> Catalog:
    """The template as a new, empty catalog for `code`, as `pybabel init` makes it."""
    with template_path(locales_dir).open("rb") as handle:
        catalog = read_po(handle, locale=code)
    if babel_knows(code):
        catalog.locale = Locale.parse(code)  # also sets the Language and Plural-Forms headers from CLDR
    catalog.revision_date = datetime.now(timezone.utc)
    catalog.fuzzy = False
    # No made-up identities in a public file: Poedit fills Last-Translator from its own preferences, which a
    # translator may leave empty (CONTRIBUTING.md).
    catalog.last_translator = ""
    catalog.language_team = ""
    return catalog


def english_name(code: str, fallback: str = "") -> str:
    """The language's English name from Babel; for a language Babel lacks, `fallback` (its own name)."""
    if not babel_knows(code):
        return fallback or code
    return Locale.parse(code).get_display_name("en") or code


def add_locale(
    code: str,
    locales_dir: Path = LOCALES_DIR,
    nlu_dir: Path = NLU_DIR,
    name: str | None = None,
    direction: str | None = None,
) -> list[Path]:
    """Add a language (see the module docstring); returns the files written. Refuses with LocaleRefused."""
    name, direction = check_new_language(code, locales_dir, name, direction)
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
    # Empty lists under the English file's keys: every language's words count for every message, so a copy of
    # the English words would only repeat them.
    keywords = locales_dir / code / KEYWORDS_FILE
    english_keywords = locales_dir / SOURCE_LANGUAGE / KEYWORDS_FILE
    if not keywords.exists():
        english = read_yaml(english_keywords) if english_keywords.exists() else {}
        keywords.write_text(keywords_stub(code, name, english or {}), encoding="utf-8")
        written.append(keywords)
    # Last: from this write on, a running server offers the language.
    registry_path(locales_dir).write_text(registry_text, encoding="utf-8")
    written.append(registry_path(locales_dir))
    return written


# The lists a new language fills first: safety words move it out of preview, and SMS commands work at once.
FIRST_LISTS = ("safety", "sms")


def keywords_stub(code: str, name: str, english: dict) -> str:
    """keywords.yml for a new language: its own header, then every list of the English file with its keys and no
    words, the lists to fill first on top."""
    lists = [*FIRST_LISTS, *(name_ for name_ in LISTS if name_ not in FIRST_LISTS)]
    blocks = []
    for list_name in lists:
        keys = list((english.get(list_name) or {}).keys())
        body = "".join(f"  {yaml.safe_dump(str(key)).splitlines()[0]}: []\n" for key in keys)
        blocks.append(f"{list_name}:\n{body}" if keys else f"{list_name}: {{}}\n")
    english_name_ = english_name(code, name)
    return f"""# Words that tell the assistant what a message is about, in {english_name_} ({code}, "{name}").
# The keys are those of locales/en/keywords.yml, which explains each list and gives English examples;
# TRANSLATING.md, "Keywords", says how to write them. Write words as people type them; capitals and accents do
# not matter. A running server reads this file again as soon as it changes.
#
# Fill `safety` first: {english_name_} stays a preview (offered to nobody who does not ask for it)
# until `danger_now` and `self_harm` have words here and the translate-first replies are translated.
# Then `sms`: the whole text messages that ask for help (the menu), stop, or "forget me".

""" + "\n".join(blocks)


def nlu_guide(code: str, name: str, english_examples: dict[str, list[str]]) -> str:
    intents = "\n".join(
        f"- `{intent}`: " + ", ".join(f'"{example}"' for example in examples[:4])
        for intent, examples in sorted(english_examples.items())
    )
    english = english_name(code, name)
    return f"""# {english} ({code}, "{name}") training examples

This folder teaches the assistant to understand messages written in {english}. While it is empty, the
assistant already answers in {english} when a person picks the language (the language button, or
`metadata.language: {code}`), but it understands their messages only where they look like another
language's examples.
TRANSLATING.md, "Training examples", has the whole story.

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
- At least 20 examples per intent, and more for the crisis intents (`danger_now`, `self_harm`,
  `trafficking_signs`): missing one of those is the worst mistake the assistant can make.
- Never a real name, phone number or address.
- Put a different set of messages (never the same ones) in `tests/nlu/{code}/`: they measure how well the
  assistant understands {english}.
- A maintainer retrains the model (`make train`) once the examples are in; `make i18n-report` counts them.

## The intents, with English examples

{intents}
"""


def glossary_stub(code: str, name: str) -> str:
    english = english_name(code, name)
    return f"""# {english} ({code}, "{name}") style notes and glossary

**Status: not yet reviewed by a fluent {english} speaker.** `{code}` stays `preview` and then `draft` in
`locales/languages.yml` until a reviewer has checked the catalog (`locales/{code}/LC_MESSAGES/messages.po`)
and this file (TRANSLATING.md, "From preview to reviewed").

## Variety and register
- Which variety and spelling, and why (who in Maine speaks it):
- How the assistant addresses people (formal or informal "you"):
- Short, plain sentences, at about a 6th-grade reading level. Never blame the person.

## Key terms
| English | {english} used | Notes |
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
