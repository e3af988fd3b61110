"""The translators' files: the template (locales/messages.pot), each language's catalog
(locales/<code>/LC_MESSAGES/messages.po) and its compiled form (.mo), which `make catalogs` writes only for a
catalog without problems. Used by tools/i18n.py; the running server reads the .mo files (bot/i18n/catalog.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.replies.rendering import placeholders
from core.paths import LOCALES_DIR


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
