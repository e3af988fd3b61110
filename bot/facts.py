"""Facts shown to people (phone numbers, text lines, websites), read from data/facts/lines.csv.

Each row carries its source and the date it was checked, so that no number in a reply is typed by hand.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path

from core.paths import FACTS_DIR

LINES_PATH = FACTS_DIR / "lines.csv"
REQUIRED_COLUMNS = ("key", "name", "value", "source_url", "checked_on")


def read_lines(path: Path = LINES_PATH) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for number, row in enumerate(rows, start=2):
        missing = [column for column in REQUIRED_COLUMNS if not (row.get(column) or "").strip()]
        if missing:
            raise ValueError(f"{path}:{number}: {row.get('key')!r} lacks {', '.join(missing)}")
    return {row["key"]: row for row in rows}


@functools.lru_cache(maxsize=None)
def fact_values() -> dict[str, str]:
    """key -> value shown to people, e.g. {"line_dv": "1-866-834-4357"}."""
    return {key: row["value"] for key, row in read_lines().items()}
