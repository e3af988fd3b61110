"""Building build/directory.db from the checked CSV sources, in ordered, idempotent steps (Rasa-free).

`tools/directory.py build` (make directory) runs it; the action server only reads the result
(core/directory/search.py).
"""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from core.directory.schema import TABLES, Source
from core.directory.validate import Sources, check_sources, read_sources
from core.paths import DIRECTORY_DIR, PLACES_DIR


def build(
    db: sqlite_utils.Database, directory_dir: Path = DIRECTORY_DIR, places_dir: Path = PLACES_DIR
) -> dict[str, int]:
    """Check every CSV source, then (re)build every table in one transaction: a failed build changes nothing,
    and building twice gives the same database. Returns the row count of each table."""
    sources = read_sources(directory_dir, places_dir)
    check_sources(sources)
    with db.atomic():
        for step in BUILD_STEPS:
            step(db, sources)
    return {source.table: db.table(source.table).count for source in TABLES}


def create_tables(db: sqlite_utils.Database, sources: Sources) -> None:
    # The build owns the whole file: a table an older build made and the schema no longer has goes too.
    built = {source.table for source in TABLES}
    for table in db.table_names():
        if table not in built:
            db.table(table).drop(ignore=True)
    for source in reversed(TABLES):
        db.table(source.table).drop(ignore=True)
    for source in TABLES:
        columns = {column: int if column in source.integers else str for column in source.columns}
        foreign_keys = [(column, table, "id") for column, table in source.references.items()]
        db.table(source.table).create(columns, pk=source.pk, foreign_keys=foreign_keys)


def load_rows(db: sqlite_utils.Database, sources: Sources) -> None:
    for source in TABLES:
        db.table(source.table).insert_all(
            (
                {column: _value(source, column, value) for column, value in row.values.items()}
                for row in sources[source.table]
            ),
            pk=source.pk,
        )


def _value(source: Source, column: str, value: str) -> str | int | None:
    if value == "":
        return None
    return int(value) if column in source.integers else value


BUILD_STEPS = (create_tables, load_rows)
