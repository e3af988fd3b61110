"""The translator workflow behind `make locale / i18n-extract / i18n-update / i18n-compile / i18n-report`.

- `locale CODE` adds a language: its catalog from the template, a draft registry entry (native name and
  direction from Babel), a data/nlu/CODE/ folder with a guide, and a glossary stub in locales/style/.
- `compile` refuses a broken catalog: a translation whose {placeholders} differ from its source, or one that
  fails Babel's own checks. Fuzzy entries are not compiled (the English source is shown until reviewed).
- `report` shows each registered language's progress and fails when a launch language is under 95%.

The output is for translators and maintainers, not for the people the assistant talks to, so it is in
English and stays out of the catalogs (a message here would add an entry to translate in every language).
See TRANSLATING.md.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import textwrap
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TextIO

import yaml

from core.names import LAUNCH_LANGUAGES
from bot.i18n.keywords import KEYWORDS_FILE
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from core.paths import NLU_DIR
from core.training_data import examples_by_intent
from bot.i18n.languages import LOCALES_DIR, SOURCE_LANGUAGE, babel_facts, read_registry
from bot.replies.rendering import placeholders

TEMPLATE = LOCALES_DIR / "messages.pot"
LAUNCH_MIN_PERCENT = 95.0
# One catalog per language, whatever the region: the registry and bot.i18n.languages.normalise_code key on it.
BARE_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")


def po_path(code: str, locales_dir: Path = LOCALES_DIR) -> Path:
    return locales_dir / code / "LC_MESSAGES" / "messages.po"


def template_path(locales_dir: Path = LOCALES_DIR) -> Path:
    return locales_dir / "messages.pot"


def registry_path(locales_dir: Path = LOCALES_DIR) -> Path:
    return locales_dir / "languages.yml"


def glossary_path(code: str, locales_dir: Path = LOCALES_DIR) -> Path:
    return locales_dir / "style" / f"{code}.md"


def shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def _as_list(value: object) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [str(value)] if value else []


# --- compile -------------------------------------------------------------------------------------------


def catalog_problems(catalog: Catalog) -> list[str]:
    """Every reason not to compile this catalog, as 'context: message' lines."""
    problems = []
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        # A plural translation may match either source form ("{count} line" / "{count} lines").
        allowed = [placeholders(source) for source in _as_list(message.id)]
        for translation in _as_list(message.string):
            if translation and placeholders(translation) not in allowed:
                problems.append(
                    f"{message.context or '-'}: placeholders {sorted(placeholders(translation))} "
                    f"do not match the source's {sorted(allowed[0])}"
                )
    # Our texts use {name} placeholders, never %-formatting; Babel flags a text such as "200% of" as
    # python-format all the same, and its check would then refuse a correct translation ("200% da").
    for message in catalog:
        message.flags.discard("python-format")
    for message, errors in catalog.check():
        for error in errors:
            problems.append(f"{message.context or '-'}: {error}")
    return problems


def compile_catalogs(codes: list[str], locales_dir: Path = LOCALES_DIR) -> int:
    failed = 0
    for code in codes:
        path = po_path(code, locales_dir)
        if not path.exists():
            print(f"{code}: no catalog at {path}", file=sys.stderr)
            failed += 1
            continue
        catalog = read_catalog(path)
        problems = catalog_problems(catalog)
        if problems:
            print(f"{code}: not compiled, {len(problems)} problem(s) in {path}:", file=sys.stderr)
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
            failed += 1
            continue
        with path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
    return 1 if failed else 0


# --- locale --------------------------------------------------------------------------------------------


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


# --- report --------------------------------------------------------------------------------------------


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
    counts = Counter()
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
    shortfalls += [f"{code} is a launch language and is not registered" for code in LAUNCH_LANGUAGES
                   if code not in {language.code for language in languages}]

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


# --- command line --------------------------------------------------------------------------------------


def run_add_locale(code: str, locales_dir: Path, nlu_dir: Path) -> int:
    try:
        written = add_locale(code, locales_dir, nlu_dir)
    except LocaleRefused as refusal:
        print(f"make locale: {refusal}", file=sys.stderr)
        return 1
    name, direction = babel_facts(code)
    print(f"Added {english_name(code)} ({code}, {name}, {direction}), status: draft. Files written:")
    for path in written:
        print(f"  {shown(path)}")
    print("Next: translate the .po file in Poedit, then `make i18n-compile` (TRANSLATING.md).")
    return 0


def main(argv: list[str] | None = None) -> int:
    # The folders are options so that the tests work on copies.
    folders = argparse.ArgumentParser(add_help=False)
    folders.add_argument("--locales-dir", type=Path, default=LOCALES_DIR, help=argparse.SUPPRESS)
    folders.add_argument("--nlu-dir", type=Path, default=NLU_DIR, help=argparse.SUPPRESS)
    parser = argparse.ArgumentParser(
        prog="python -m bot.i18n_tools", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    compile_parser = sub.add_parser("compile", parents=[folders], help="check and compile every registered catalog")
    compile_parser.add_argument("codes", nargs="*", help="language codes (default: every registered one)")
    locale_parser = sub.add_parser("locale", parents=[folders], help="add a language (draft)")
    locale_parser.add_argument("code", help="the language's ISO 639 code, e.g. vi")
    sub.add_parser("report", parents=[folders], help="translation and training-data progress per language")
    args = parser.parse_args(argv)
    if args.command == "compile":
        codes = args.codes or [language.code for language in read_registry(registry_path(args.locales_dir))]
        return compile_catalogs(codes, args.locales_dir)
    if args.command == "locale":
        return run_add_locale(args.code, args.locales_dir, args.nlu_dir)
    if args.command == "report":
        return write_report(args.locales_dir, args.nlu_dir)
    return 2


if __name__ == "__main__":
    sys.exit(main())
