"""What the directory is made of: Open Referral HSDS 3.0 tables, the extension columns we add, and the
vocabularies they use (Rasa-free).

data/directory/ is an HSDS 3.0 tabular data package: each file has HSDS's own name and every HSDS column in
HSDS's order (the vendored schema, vendor/hsds-3.0/datapackage.json), followed by our declared extension
columns (EXTENSIONS; docs/directory.md says why each exists). Each row carries where it comes from
(`source_url`, `source_date`) and a `fact_status`: "sourced" (a cited source states it) or "unconfirmed" (the
reference marks it UNCONFIRMED, conflicting or to verify; never shown). A person's live check of a service is
HSDS's own `assured_date` and `assurer_email` on the service, and each such change is recorded in HSDS's
`metadata` table. The place files of data/places/ are checked with the directory (a service's town must be in
the county it names) but not built into the database: core/places.py reads them.
"""

from __future__ import annotations

import functools
import json
import uuid
from dataclasses import dataclass, field

from core.paths import BUILD_DIR, VENDOR_DIR

DEFAULT_DB = BUILD_DIR / "directory.db"
HSDS_DIR = VENDOR_DIR / "hsds-3.0"
HSDS_PACKAGE = HSDS_DIR / "datapackage.json"

# Ids are UUIDs (HSDS 3 requires them) derived from a readable name, uuid5(DIRECTORY_NAMESPACE, "table/name"),
# so that the same row keeps the same id through every rebuild and links to it survive.
DIRECTORY_NAMESPACE = uuid.UUID("4f1d6c8e-2b7a-5c39-9e0d-6a1b2c3d4e5f")

STATEWIDE = "statewide"
ANYWHERE = "*"  # in the search tables: a row for a search that names no place
SHOWN = "sourced"
FACT_STATUSES = ("sourced", "unconfirmed")
# HSDS names the types after RFC 6350 (textphone for TTY); WhatsApp is ours.
PHONE_TYPES = ("voice", "text", "whatsapp", "textphone")
LOCATION_TYPES = ("physical", "postal", "virtual")
# Who a service is for; within the same reach, survivor programs come first and services for a narrow
# group (an age, a job, a gender) last.
AUDIENCES = ("survivors", "anyone", "group")
# How central a need is to a service: a DV helpline is primarily safe_housing, 211 only secondarily.
NEED_ROLES = ("primary", "secondary")
NEED_LINK_TYPE = "need"
SAFE_HOUSING = "safe_housing"
# A crisis line whose number the sources lack is no answer to someone who needs to call now.
NEEDS_A_PHONE = ("crisis_line",)
NEEDS_TAXONOMY = "Maine survivor needs"

PROVENANCE = ("source_url", "source_date", "checked_against", "fact_status", "fact_note")
PROVENANCE_HELP = {
    "source_url": "The page(s) the row comes from, web addresses separated by ' ; '.",
    "source_date": "That page's own date as read (YYYY-MM-DD, YYYY-MM, YYYY), or 'undated ...'.",
    "checked_against": "The row of the project's reference notes it was compared with.",
    "fact_status": "sourced (a cited source states it) or unconfirmed (never shown to people).",
    "fact_note": "Why a row is unconfirmed, or what a checker should know.",
}
# Our extension columns, after the HSDS columns of each table: where HSDS 3.0 has no field for what the
# assistant needs (a fact's source, which Maine county a service covers, who it is mainly for).
EXTENSIONS: dict[str, dict[str, str]] = {
    "organization": PROVENANCE_HELP,
    "service": {
        "audience": "survivors (a program for survivors), anyone, or group (a narrow group: an age, a job).",
        **PROVENANCE_HELP,
    },
    "location": {
        "town": "The Maine town of the location, also when its street address is not published.",
        "county": "The county of that town.",
        **PROVENANCE_HELP,
    },
    "address": PROVENANCE_HELP,
    "service_at_location": PROVENANCE_HELP,
    "phone": PROVENANCE_HELP,
    "language": PROVENANCE_HELP,
    "service_area": {
        "county": "A Maine county the service covers, or 'statewide'.",
        "municipality": "When the service covers one town of the county only: that town.",
        "part": "When it covers part of the county only: which part, in words.",
        **PROVENANCE_HELP,
    },
    "schedule": PROVENANCE_HELP,
    "attribute": PROVENANCE_HELP,
    "taxonomy": {},
    "taxonomy_term": {},
    "metadata": {},
}


def stable_id(table: str, name: str) -> str:
    """The UUID of a row from a readable name: stable_id("service", "ptla-legal-aid")."""
    return str(uuid.uuid5(DIRECTORY_NAMESPACE, f"{table}/{name}"))


@functools.cache
def hsds_resources() -> dict[str, dict]:
    """HSDS 3.0's tables by name, as its tabular data package describes them (path and Table Schema)."""
    package = json.loads(HSDS_PACKAGE.read_text(encoding="utf-8"))
    return {resource["name"]: resource for resource in package["resources"]}


def hsds_columns(table: str) -> tuple[str, ...]:
    return tuple(f["name"] for f in hsds_resources()[table]["schema"]["fields"])


@dataclass(frozen=True)
class Source:
    """One CSV file. `kind` says which provenance its rows must carry: fact | vocabulary | log | place |
    transliteration. Facts, vocabularies and the log are HSDS tables built into a table of the same name;
    places are only checked."""

    table: str
    folder: str  # "directory" or "places"
    file: str
    columns: tuple[str, ...]
    kind: str
    pk: str | tuple[str, ...] = "id"
    references: dict[str, str] = field(default_factory=dict)
    integers: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, ...]:
        return (self.pk,) if isinstance(self.pk, str) else self.pk

    @property
    def label(self) -> str:
        return f"{self.folder}/{self.file}"


def _hsds(table: str, kind: str, references: dict[str, str] | None = None, integers: tuple[str, ...] = ()) -> Source:
    return Source(
        table,
        "directory",
        hsds_resources()[table]["path"],
        (*hsds_columns(table), *EXTENSIONS[table]),
        kind,
        references=references or {},
        integers=integers,
    )


# Built into the database, in this order (a table comes after those it references).
TABLES = (
    _hsds("taxonomy", "vocabulary"),
    _hsds("taxonomy_term", "vocabulary", {"taxonomy_id": "taxonomy", "parent_id": "taxonomy_term"}),
    _hsds("organization", "fact"),
    _hsds("service", "fact", {"organization_id": "organization"}, integers=("minimum_age", "maximum_age")),
    _hsds("location", "fact", {"organization_id": "organization"}),
    _hsds("address", "fact", {"location_id": "location"}),
    _hsds("service_at_location", "fact", {"service_id": "service", "location_id": "location"}),
    _hsds(
        "phone",
        "fact",
        {"organization_id": "organization", "service_id": "service", "location_id": "location"},
        integers=("extension",),
    ),
    _hsds("language", "fact", {"service_id": "service"}),
    _hsds("service_area", "fact", {"service_id": "service"}),
    _hsds("schedule", "fact", {"service_id": "service"}),
    _hsds("attribute", "fact", {"link_id": "service", "taxonomy_term_id": "taxonomy_term"}),
    _hsds("metadata", "log"),
)
# Checked with the directory, not built into it.
PLACE_FILES = (
    Source(
        "municipality",
        "places",
        "municipalities.csv",
        ("municipality", "type", "county", "population", "source_url", "last_checked"),
        "place",
        pk="municipality",
        integers=("population",),
    ),
    Source(
        "place_alias",
        "places",
        "aliases.csv",
        ("alias", "municipality", "county", "source_url", "last_checked", "note"),
        "place",
        pk=("alias", "municipality"),
        references={"municipality": "municipality"},
    ),
    Source(
        "place_alias_script",
        "places",
        "aliases_scripts.csv",
        ("alias", "municipality", "county", "language", "script", "source", "last_checked", "note"),
        "transliteration",
        pk=("alias", "county"),
    ),
)
SOURCES = TABLES + PLACE_FILES
SOURCE_BY_TABLE = {source.table: source for source in SOURCES}
