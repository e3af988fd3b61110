"""The translator workflow behind `make i18n-extract / i18n-update / i18n-check / locale / i18n-report`.

- `extract` gathers every user-facing string into locales/messages.pot (babel.cfg says where they are), the
  translate-first replies on top (bot/i18n/translate_first.py); `update` merges it into every catalog, which
  keeps the template's order. Both are Babel's own commands, with the project's options.
- `locale CODE` adds a language as a preview (bot/i18n/new_language.py).
- `check` (`compile`, its old name) lists what the server will not serve: a translation whose {placeholders}
  differ from its source, or one that fails Babel's own checks. The server reads the .po files themselves
  (bot/i18n/catalog.py), so nothing needs compiling; fuzzy entries are not served.
- `report` shows each registered language's progress ("safety 3/13") and what it lacks for the next status,
  and fails when a launch language is under 95% or a status claims more than the language has.

The output is for translators and maintainers, not for the people the assistant talks to, so it is in
English and stays out of the catalogs (a message here would add an entry to translate in every language).
See TRANSLATING.md.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import write_po

from bot.i18n.catalog_files import check_catalogs, read_catalog, registry_path, shown, template_path
from bot.i18n.languages import read_registry
from bot.i18n.new_language import LocaleRefused, add_locale, english_name
from bot.i18n.progress import write_report
from bot.i18n.translate_first import put_in_translation_order
from core.paths import LOCALES_DIR, NLU_DIR, PROJECT_ROOT

PROJECT = "Maine survivor assistant"
# The header every catalog carries (`update` copies it from the template). Poedit fills Last-Translator from
# its own preferences, and the files are public.
HEADER_COMMENT = """\
# Translations of the Maine survivor assistant's replies (TRANSLATING.md). The replies to translate first,
# for people in danger, come first. This file is public: Poedit writes the name and e-mail of its
# preferences into Last-Translator below; leave them empty there if you prefer (CONTRIBUTING.md)."""


def babel(*args: str) -> int:
    """Babel's `pybabel` command line, run in the project's folder."""
    return CommandLineInterface().run(["pybabel", *args]) or 0


def extract(locales_dir: Path) -> int:
    # From the project's folder, so that each entry names its file as "domain/core.yml", wherever it runs.
    here = Path.cwd()
    os.chdir(PROJECT_ROOT)
    try:
        code = babel(
            "extract",
            "-F",
            "babel.cfg",
            "-c",
            "TRANSLATORS:",
            "--sort-by-file",
            "--no-wrap",
            "--project",
            PROJECT,
            "-o",
            str(template_path(locales_dir)),
            ".",
        )
    finally:
        os.chdir(here)
    if code == 0:
        write_in_translation_order(template_path(locales_dir))
    return code


def write_in_translation_order(path: Path) -> None:
    """The template with the translate-first replies on top and the project's header comment."""
    catalog = read_catalog(path)
    put_in_translation_order(catalog)
    catalog.header_comment = HEADER_COMMENT
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)


def update(locales_dir: Path) -> int:
    return babel(
        "update",
        "-i",
        str(template_path(locales_dir)),
        "-d",
        str(locales_dir),
        "--no-wrap",
        "--previous",
        "--update-header-comment",
    )


def run_add_locale(code: str, locales_dir: Path, nlu_dir: Path, name: str | None, direction: str | None) -> int:
    try:
        written = add_locale(code, locales_dir, nlu_dir, name, direction)
    except LocaleRefused as refusal:
        print(f"make locale: {refusal}", file=sys.stderr)
        return 1
    entry = next(language for language in read_registry(registry_path(locales_dir)) if language.code == code)
    print(
        f"Added {english_name(code, entry.name)} ({code}, {entry.name}, {entry.direction}), status: preview. "
        "Files written:"
    )
    for path in written:
        print(f"  {shown(path)}")
    print(
        "Next: translate the replies at the top of the .po file in Poedit, and the `safety` words of "
        "keywords.yml;\n`make i18n-report` says what the language still lacks to be offered to everyone "
        "(TRANSLATING.md)."
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    # The folders are options so that the tests work on copies.
    folders = argparse.ArgumentParser(add_help=False)
    folders.add_argument("--locales-dir", type=Path, default=LOCALES_DIR, help=argparse.SUPPRESS)
    folders.add_argument("--nlu-dir", type=Path, default=NLU_DIR, help=argparse.SUPPRESS)
    parser = argparse.ArgumentParser(
        prog="python -m tools.i18n", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("extract", parents=[folders], help="gather every user-facing string into locales/messages.pot")
    sub.add_parser("update", parents=[folders], help="merge locales/messages.pot into every catalog")
    check_parser = sub.add_parser(
        "check", aliases=["compile"], parents=[folders], help="list what the server will not serve in each catalog"
    )
    check_parser.add_argument("codes", nargs="*", help="language codes (default: every registered one)")
    locale_parser = sub.add_parser("locale", parents=[folders], help="add a language (preview)")
    locale_parser.add_argument("code", help="the language's ISO 639 code, e.g. vi")
    locale_parser.add_argument("--name", help="its own name, only for a language Babel does not know")
    locale_parser.add_argument("--direction", help="ltr or rtl, only for a language Babel does not know")
    sub.add_parser("report", parents=[folders], help="translation and training-data progress per language")
    args = parser.parse_args(argv)
    if args.command == "extract":
        return extract(args.locales_dir)
    if args.command == "update":
        return update(args.locales_dir)
    if args.command in ("check", "compile"):
        codes = args.codes or [language.code for language in read_registry(registry_path(args.locales_dir))]
        return check_catalogs(codes, args.locales_dir)
    if args.command == "locale":
        return run_add_locale(args.code, args.locales_dir, args.nlu_dir, args.name or None, args.direction or None)
    if args.command == "report":
        return write_report(args.locales_dir, args.nlu_dir)
    return 2


if __name__ == "__main__":
    sys.exit(main())
