"""The translator workflow behind `make i18n-extract / i18n-update / i18n-compile / i18n-report`.

Compiling refuses a broken catalog: a translation whose {placeholders} differ from its source, or one that
fails Babel's own checks. Fuzzy entries are not compiled (the English source is shown until reviewed).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.languages import LOCALES_DIR, registered_codes
from bot.rendering import placeholders

TEMPLATE = LOCALES_DIR / "messages.pot"


def po_path(code: str, locales_dir: Path = LOCALES_DIR) -> Path:
    return locales_dir / code / "LC_MESSAGES" / "messages.po"


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def _as_list(value: object) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [str(value)] if value else []


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.i18n_tools", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    compile_parser = sub.add_parser("compile", help="check and compile every registered catalog")
    compile_parser.add_argument("codes", nargs="*", help="language codes (default: every registered one)")
    args = parser.parse_args(argv)
    if args.command == "compile":
        return compile_catalogs(args.codes or list(registered_codes()))
    return 2


if __name__ == "__main__":
    sys.exit(main())
