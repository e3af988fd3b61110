"""The translator workflow behind `make i18n-extract / i18n-update / catalogs / locale / i18n-report`.

- `extract` gathers every user-facing string into locales/messages.pot (babel.cfg says where they are);
  `update` merges it into every catalog. Both are Babel's own commands, with the project's options.
- `locale CODE` adds a language as a draft (bot/i18n/new_language.py).
- `compile` refuses a broken catalog: a translation whose {placeholders} differ from its source, or one that
  fails Babel's own checks. Fuzzy entries are not compiled (the English source is shown until reviewed).
- `report` shows each registered language's progress and fails when a launch language is under 95%.

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

from bot.i18n.catalog_files import compile_catalogs, registry_path, shown, template_path
from bot.i18n.languages import babel_facts, read_registry
from bot.i18n.new_language import LocaleRefused, add_locale, english_name
from bot.i18n.progress import write_report
from core.paths import LOCALES_DIR, NLU_DIR, PROJECT_ROOT

PROJECT = "Maine survivor assistant"


def babel(*args: str) -> int:
    """Babel's `pybabel` command line, run in the project's folder."""
    return CommandLineInterface().run(["pybabel", *args]) or 0


def extract(locales_dir: Path) -> int:
    # From the project's folder, so that each entry names its file as "domain/core.yml", wherever it runs.
    here = Path.cwd()
    os.chdir(PROJECT_ROOT)
    try:
        return babel(
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


def update(locales_dir: Path) -> int:
    return babel("update", "-i", str(template_path(locales_dir)), "-d", str(locales_dir), "--no-wrap", "--previous")


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
        prog="python -m tools.i18n", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("extract", parents=[folders], help="gather every user-facing string into locales/messages.pot")
    sub.add_parser("update", parents=[folders], help="merge locales/messages.pot into every catalog")
    compile_parser = sub.add_parser("compile", parents=[folders], help="check and compile every registered catalog")
    compile_parser.add_argument("codes", nargs="*", help="language codes (default: every registered one)")
    locale_parser = sub.add_parser("locale", parents=[folders], help="add a language (draft)")
    locale_parser.add_argument("code", help="the language's ISO 639 code, e.g. vi")
    sub.add_parser("report", parents=[folders], help="translation and training-data progress per language")
    args = parser.parse_args(argv)
    if args.command == "extract":
        return extract(args.locales_dir)
    if args.command == "update":
        return update(args.locales_dir)
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
