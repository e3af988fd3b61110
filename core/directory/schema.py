"""What the directory is made of: the CSV sources, the tables built from them, and the vocabularies they use.

Each CSV row in data/directory/ is one fact (a service, a phone number, a language spoken, a county served,
opening hours...) with the page it comes from (`source_url`), that page's own date (`source_date`), the day it
was last checked (`last_checked`) and a `status`: "sourced" (a cited source states it) or "unconfirmed" (the
reference marks it UNCONFIRMED, conflicting or to verify). The place files of data/places/ are checked with
them (a service's town must be in the county it names) but are not built into the database: core/places.py
reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.paths import BUILD_DIR

DEFAULT_DB = BUILD_DIR / "directory.db"

STATEWIDE = "statewide"
SHOWN = "sourced"
STATUSES = ("sourced", "unconfirmed")
PHONE_TYPES = ("voice", "text", "whatsapp", "tty")
LOCATION_TYPES = ("physical", "postal", "virtual")
# Who a service is for; within the same reach, survivor programs come first and services for a narrow
# group (an age, a job, a gender) last.
AUDIENCES = ("survivors", "anyone", "group")
# How central a need is to a service: a DV helpline is primarily safe_housing, 211 only secondarily.
NEED_ROLES = ("primary", "secondary")
SAFE_HOUSING = "safe_housing"
# A crisis line whose number the sources lack is no answer to someone who needs to call now.
NEEDS_A_PHONE = ("crisis_line",)

PROVENANCE = ("source_url", "source_date", "last_checked", "checked_against", "status", "note")


@dataclass(frozen=True)
class Source:
    """One CSV file. `kind` says which provenance its rows must carry: fact | vocabulary | place |
    transliteration. Facts and vocabularies are built into a table of the same name; places are only checked."""

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


# Built into the database, in this order (a table comes after those it references).
TABLES = (
    Source(
        "taxonomy_term",
        "directory",
        "taxonomy.csv",
        ("id", "code", "name", "description", "parent_id", "taxonomy", "language"),
        "vocabulary",
    ),
    Source(
        "organization",
        "directory",
        "organization.csv",
        ("id", "name", "alternate_name", "description", "email", *PROVENANCE),
        "fact",
    ),
    Source(
        "service",
        "directory",
        "service.csv",
        (
            "id",
            "organization_id",
            "name",
            "alternate_name",
            "description",
            "email",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
            "interpretation_services",
            "audience",
            "alert",
            *PROVENANCE,
        ),
        "fact",
        references={"organization_id": "organization"},
        integers=("minimum_age", "maximum_age"),
    ),
    Source(
        "location",
        "directory",
        "location.csv",
        (
            "id",
            "organization_id",
            "location_type",
            "name",
            "address_1",
            "city",
            "state_province",
            "postal_code",
            "county",
            *PROVENANCE,
        ),
        "fact",
        references={"organization_id": "organization"},
    ),
    Source(
        "service_at_location",
        "directory",
        "service_at_location.csv",
        ("id", "service_id", "location_id", *PROVENANCE),
        "fact",
        references={"service_id": "service", "location_id": "location"},
    ),
    Source(
        "phone",
        "directory",
        "phone.csv",
        (
            "id",
            "organization_id",
            "service_id",
            "location_id",
            "number",
            "extension",
            "type",
            "description",
            *PROVENANCE,
        ),
        "fact",
        references={"organization_id": "organization", "service_id": "service", "location_id": "location"},
    ),
    Source(
        "language",
        "directory",
        "language.csv",
        ("id", "service_id", "code", "name", *PROVENANCE),
        "fact",
        references={"service_id": "service"},
    ),
    Source(
        "service_area",
        "directory",
        "service_area.csv",
        ("id", "service_id", "name", "county", "municipality", "part", *PROVENANCE),
        "fact",
        references={"service_id": "service"},
    ),
    Source(
        "schedule",
        "directory",
        "schedule.csv",
        ("id", "service_id", "description", "freq", "byday", "opens_at", "closes_at", "timezone", *PROVENANCE),
        "fact",
        references={"service_id": "service"},
    ),
    Source(
        "url",
        "directory",
        "url.csv",
        ("id", "organization_id", "service_id", "url", "label", *PROVENANCE),
        "fact",
        references={"organization_id": "organization", "service_id": "service"},
    ),
    Source(
        "attribute",
        "directory",
        "attribute.csv",
        ("id", "link_type", "link_id", "taxonomy_term_id", "value", *PROVENANCE),
        "fact",
        references={"link_id": "service", "taxonomy_term_id": "taxonomy_term"},
    ),
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
