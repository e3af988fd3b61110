"""The translators' files: the template (locales/messages.pot) and each language's catalog
(locales/<code>/LC_MESSAGES/messages.po), and what may be wrong with a catalog. The running server reads the
.po files themselves (bot/i18n/catalog.py); `make i18n-check` reports their problems (tools/i18n.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from bot.i18n.placeholders import placeholders
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


def problem_messages(catalog: Catalog) -> list[tuple[Message, str]]:
    """Every translation that must not be served, with the reason."""
    problems = []
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        # A plural translation may match either source form ("{count} line" / "{count} lines").
        allowed = [placeholders(source) for source in _as_list(message.id)]
        for translation in _as_list(message.string):
            if translation and placeholders(translation) not in allowed:
                problems.append(
                    (
                        message,
                        f"placeholders {sorted(placeholders(translation))} do not match the source's "
                        f"{sorted(allowed[0])}",
                    )
                )
    # Our texts use {name} placeholders, never %-formatting; Babel flags a text such as "200% of" as
    # python-format all the same, and its check would then refuse a correct translation ("200% da").
    for message in catalog:
        message.flags.discard("python-format")
    for message, errors in catalog.check():
        problems += [(message, str(error)) for error in errors]
    return problems


def catalog_problems(catalog: Catalog) -> list[str]:
    """Every reason not to serve a translation of this catalog, as 'context: problem' lines."""
    return [f"{message.context or '-'}: {problem}" for message, problem in problem_messages(catalog)]


def check_catalogs(codes: list[str], locales_dir: Path = LOCALES_DIR) -> int:
    """Print every problem of these languages' catalogs; 1 when there is one. The server serves a catalog with
    problems all the same, each broken translation replaced by the English source."""
    failed = 0
    for code in codes:
        path = po_path(code, locales_dir)
        if not path.exists():
            print(f"{code}: no catalog at {path}", file=sys.stderr)
            failed += 1
            continue
        problems = catalog_problems(read_catalog(path))
        if problems:
            print(f"{code}: {len(problems)} problem(s) in {shown(path)}; fix them in Poedit:", file=sys.stderr)
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0
