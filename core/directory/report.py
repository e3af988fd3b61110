"""What is in the built directory, for the people who check the data: row counts and every unconfirmed row."""

from __future__ import annotations

import sqlite_utils

from core.directory.schema import TABLES


def unconfirmed_rows(db: sqlite_utils.Database) -> list[tuple[str, dict]]:
    """Every row a person still has to check: (table, row), in file order."""
    found: list[tuple[str, dict]] = []
    for source in TABLES:
        if source.kind == "fact":
            found.extend(
                (source.table, row)
                for row in db.query(f"select * from [{source.table}] where fact_status = 'unconfirmed' order by rowid")
            )
    return found


def _describe(table: str, row: dict, names: dict[str, str]) -> str:
    owner = names.get(row.get("service_id") or row.get("organization_id") or row.get("link_id") or "", "")
    if table == "phone":
        extension = f" ext. {row['extension']}" if row["extension"] else ""
        return f"{row['number']}{extension} ({row['type']}) for {owner}"
    return {
        "schedule": lambda: f"hours of {owner}: {row['description']}",
        "language": lambda: f"{owner} speaks {row['name']} ({row['code']})",
        "service_area": lambda: f"{owner} serves {row['county']}",
        "service": lambda: f"the service itself: {row['name']}",
        "attribute": lambda: f"{owner} is for {names.get(row['taxonomy_term_id'], '')}",
    }.get(table, lambda: row.get("name") or "")()


def report(db: sqlite_utils.Database) -> str:
    """Row counts, then every unconfirmed row with why, as Markdown (docs/directory.md keeps a copy)."""
    lines = ["| table | rows | unconfirmed |", "| --- | ---: | ---: |"]
    for source in TABLES:
        unconfirmed = db[source.table].count_where("fact_status = 'unconfirmed'") if source.kind == "fact" else 0
        lines.append(f"| {source.table} | {db[source.table].count} | {unconfirmed} |")
    names = {row["id"]: row["name"] for table in ("organization", "service") for row in db[table].rows}
    names |= {row["id"]: row["code"] for row in db["taxonomy_term"].rows}
    lines += ["", "| table | id | fact | why |", "| --- | --- | --- | --- |"]
    for table, row in unconfirmed_rows(db):
        fact = _describe(table, row, names)
        why = (row["fact_note"] or "").replace("|", "/")
        lines.append(f"| {table} | `{row['id']}` | {fact} | {why} |")
    return "\n".join(lines)
