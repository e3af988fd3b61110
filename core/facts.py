"""Facts shown to people (phone numbers, text lines, websites), read from data/facts/lines.csv and, for the
legal answers, data/legal/contacts.csv (Rasa-free).

Each row carries its source and that source's date (and, once a person has checked it live, when and who), so
that no number in a reply is typed by hand.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from core.paths import FACTS_DIR, LEGAL_DIR
from core.sources import DataError, Provenance, read_sourced_table, split_list

LINES_PATH = FACTS_DIR / "lines.csv"
CONTACTS_PATH = LEGAL_DIR / "contacts.csv"
REQUIRED_COLUMNS = ("key", "name", "value")


@dataclass(frozen=True)
class Fact:
    """A phone number, email or website shown to people, with its source."""

    key: str
    name: str
    value: str
    source_url: str
    source_date: str
    verified_on: str
    verified_by: str
    table: str  # the file it comes from ("lines", "contacts"): its name is translated under "<table>:name"

    @property
    def provenance(self) -> Provenance:
        return Provenance(split_list(self.source_url), self.source_date, self.verified_on, self.verified_by)


def read_lines(path: Path = LINES_PATH) -> dict[str, dict[str, str]]:
    """The rows of a facts file by key; DataError for a row without a source and its date, or with a live check
    that lacks its day or checker (or lies in the future)."""
    rows = read_sourced_table(path, REQUIRED_COLUMNS)
    return {row["key"]: row for row in rows}


@functools.cache
def fact_values() -> dict[str, str]:
    """key -> value that every reply may show, e.g. {"line_dv": "1-866-834-4357"} (lines.csv)."""
    return {key: row["value"] for key, row in read_lines().items()}


@functools.cache
def facts() -> dict[str, Fact]:
    """lines.csv and contacts.csv, by key."""
    merged: dict[str, Fact] = {}
    for path in (LINES_PATH, CONTACTS_PATH):
        for key, row in read_lines(path).items():
            if key in merged:
                raise DataError(f"{path.name}: {key!r} is already a fact in another file")
            merged[key] = Fact(
                key,
                row["name"],
                row["value"],
                row["source_url"],
                row["source_date"],
                row["verified_on"],
                row["verified_by"],
                path.stem,
            )
    return merged


def fact(key: str) -> Fact:
    try:
        return facts()[key]
    except KeyError:
        raise KeyError(f"no fact {key!r} in {LINES_PATH.name} or {CONTACTS_PATH.name}") from None


PUBLISHERS_PATH = FACTS_DIR / "publishers.csv"


@functools.cache
def publishers(path: Path = PUBLISHERS_PATH) -> dict[str, str]:
    """Web domain -> the name of who publishes there ("ptla.org" -> "Pine Tree Legal Assistance")."""
    rows = read_sourced_table(path, ("domain", "name"), key="domain", source=None, source_dated=None, verified=None)
    return {row["domain"]: row["name"] for row in rows}


def publisher(url: str) -> str:
    """Who published a page, for "Source: <publisher>, <month year>": the name publishers.csv gives its
    domain, else the domain itself (never a guess)."""
    domain = urlparse(url.strip()).netloc.lower().removeprefix("www.")
    return publishers().get(domain, domain or url.strip())
