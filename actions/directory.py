"""The community-services directory: Open Referral HSDS 3 tables, built from CSV files (Rasa-free).

    python -m actions.directory build [--db build/directory.db]   # check the CSV files, then build the db
    python -m actions.directory report [--db PATH]                 # row counts and every unconfirmed row

Each CSV row in data/directory/ is one fact (a service, a phone number, a language spoken, a county served,
opening hours...) with the page it comes from (`source_url`), that page's own date (`source_date`), the day it
was last checked (`last_checked`) and a `status`: "sourced" (a cited source states it) or "unconfirmed" (the
reference marks it UNCONFIRMED, conflicting or to verify). Unconfirmed rows stay in the files so that a
person can check them, and are never returned by a search. Shelter and safe-house addresses are never
stored: the build refuses a street address on any location of a safe-housing service.

Searching, for the Rasa action (open the db per request; nothing is opened at import time):

    db = open_directory()
    place = resolve_place("in Lewiston please")               # core/places.py
    find_services(db, "legal_help", county=place.county, municipality=place.municipality, language="so")
    find_services_by_text(db, "farmworker", county="Penobscot")
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import re
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import sqlite_utils
from babel import Locale, UnknownLocaleError

from core.paths import BUILD_DIR, DIRECTORY_DIR, PLACES_DIR
from core.places import COUNTIES, normalise_county
from core.text import normalise

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
TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

PROVENANCE = ("source_url", "source_date", "last_checked", "checked_against", "status", "note")


@dataclass(frozen=True)
class Source:
    """One CSV file, loaded as one table. `kind` says which provenance its rows must carry."""

    table: str
    folder: str  # "directory" or "places"
    file: str
    columns: tuple[str, ...]
    kind: str  # fact | vocabulary | place | transliteration
    pk: str | tuple[str, ...] = "id"
    references: dict[str, str] = field(default_factory=dict)
    integers: tuple[str, ...] = ()


SOURCES = (
    Source("taxonomy_term", "directory", "taxonomy.csv",
           ("id", "code", "name", "description", "parent_id", "taxonomy", "language"), "vocabulary"),
    Source("organization", "directory", "organization.csv",
           ("id", "name", "alternate_name", "description", "email", *PROVENANCE), "fact"),
    Source("service", "directory", "service.csv",
           ("id", "organization_id", "name", "alternate_name", "description", "email", "eligibility_description",
            "minimum_age", "maximum_age", "interpretation_services", "audience", "alert", *PROVENANCE), "fact",
           references={"organization_id": "organization"}, integers=("minimum_age", "maximum_age")),
    Source("location", "directory", "location.csv",
           ("id", "organization_id", "location_type", "name", "address_1", "city", "state_province", "postal_code",
            "county", *PROVENANCE), "fact", references={"organization_id": "organization"}),
    Source("service_at_location", "directory", "service_at_location.csv",
           ("id", "service_id", "location_id", *PROVENANCE), "fact",
           references={"service_id": "service", "location_id": "location"}),
    Source("phone", "directory", "phone.csv",
           ("id", "organization_id", "service_id", "location_id", "number", "extension", "type", "description",
            *PROVENANCE), "fact",
           references={"organization_id": "organization", "service_id": "service", "location_id": "location"}),
    Source("language", "directory", "language.csv", ("id", "service_id", "code", "name", *PROVENANCE), "fact",
           references={"service_id": "service"}),
    Source("service_area", "directory", "service_area.csv",
           ("id", "service_id", "name", "county", "municipality", "part", *PROVENANCE), "fact",
           references={"service_id": "service"}),
    Source("schedule", "directory", "schedule.csv",
           ("id", "service_id", "description", "freq", "byday", "opens_at", "closes_at", "timezone", *PROVENANCE),
           "fact", references={"service_id": "service"}),
    Source("url", "directory", "url.csv", ("id", "organization_id", "service_id", "url", "label", *PROVENANCE),
           "fact", references={"organization_id": "organization", "service_id": "service"}),
    Source("attribute", "directory", "attribute.csv",
           ("id", "link_type", "link_id", "taxonomy_term_id", "value", *PROVENANCE), "fact",
           references={"link_id": "service", "taxonomy_term_id": "taxonomy_term"}),
    Source("municipality", "places", "municipalities.csv",
           ("municipality", "type", "county", "population", "source_url", "last_checked"), "place",
           pk="municipality", integers=("population",)),
    Source("place_alias", "places", "aliases.csv",
           ("alias", "municipality", "county", "source_url", "last_checked", "note"), "place",
           pk=("alias", "municipality"), references={"municipality": "municipality"}),
    Source("place_alias_script", "places", "aliases_scripts.csv",
           ("alias", "municipality", "county", "language", "script", "source", "last_checked", "note"),
           "transliteration", pk=("alias", "county")),
)
SOURCE_BY_TABLE = {source.table: source for source in SOURCES}


class DataError(ValueError):
    """A CSV source breaks a rule; the message names each file, row and problem."""


@dataclass(frozen=True)
class Row:
    file: str  # e.g. "directory/phone.csv"
    line: int  # the row's line in the file, the header being line 1 (as a spreadsheet numbers it)
    values: dict[str, str]

    def where(self, source: Source) -> str:
        pk = (source.pk,) if isinstance(source.pk, str) else source.pk
        ident = " / ".join(self.values.get(column, "") for column in pk)
        return f"{self.file}, row {self.line} ({ident!r})"


Sources = dict[str, list[Row]]


# --- Reading and checking ------------------------------------------------------------------------------------


def read_sources(directory_dir: Path = DIRECTORY_DIR, places_dir: Path = PLACES_DIR) -> Sources:
    folders = {"directory": Path(directory_dir), "places": Path(places_dir)}
    problems: list[str] = []
    sources: Sources = {}
    for source in SOURCES:
        path = folders[source.folder] / source.file
        label = f"{source.folder}/{source.file}"
        if not path.exists():
            problems.append(f"{label}: missing")
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            header = tuple(reader.fieldnames or ())
            if set(header) != set(source.columns):
                missing = sorted(set(source.columns) - set(header))
                unknown = sorted(set(header) - set(source.columns))
                problems.append(
                    f"{label}: columns missing {missing}, unknown {unknown} (see SOURCES in actions/directory.py)"
                )
                continue
            sources[source.table] = [
                Row(label, reader.line_num, {column: (value or "").strip() for column, value in record.items()})
                for record in reader
            ]
    if problems:
        raise DataError(_report(problems))
    return sources


def check_sources(sources: Sources, today: date | None = None) -> None:
    """Raise DataError, naming file and row, when a row breaks a rule: no source, no date, an unknown county,
    a broken reference, an unknown phone type or language, or a street address on a shelter."""
    today = today or date.today()
    problems: list[str] = []
    towns = {row.values["municipality"]: row.values["county"] for row in sources["municipality"]}
    places = {row.values["alias"]: row.values["county"] for row in sources["place_alias"]} | towns
    keys = {table: _keys(SOURCE_BY_TABLE[table], rows, problems) for table, rows in sources.items()}
    keys["municipality"] = set(towns)
    for source in SOURCES:
        for row in sources[source.table]:
            found = [
                f"{row.where(source)}: {problem}" for problem in _row_problems(source, row, keys, towns, places, today)
            ]
            problems.extend(found)
    problems.extend(_shelter_addresses(sources))
    if problems:
        raise DataError(_report(problems))


def _report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s) in the directory sources:\n" + "\n".join(f"  {p}" for p in problems)


def _keys(source: Source, rows: list[Row], problems: list[str]) -> set:
    seen: set = set()
    pk = (source.pk,) if isinstance(source.pk, str) else source.pk
    for row in rows:
        value = tuple(row.values[column] for column in pk)
        if not all(value):
            problems.append(f"{row.where(source)}: no {', '.join(pk)}")
        elif value in seen:
            problems.append(f"{row.where(source)}: duplicate {', '.join(pk)}")
        seen.add(value)
    return {value[0] if len(value) == 1 else value for value in seen}


def _row_problems(
    source: Source, row: Row, keys: dict[str, set], towns: dict[str, str], places: dict[str, str], today: date
):
    v = row.values
    if source.kind in ("fact", "place"):
        urls = [part.strip() for part in v["source_url"].split(";")]
        if not v["source_url"]:
            yield "no source_url"
        elif not all(part.startswith(("http://", "https://")) for part in urls):
            yield f"source_url {v['source_url']!r} is not a list of http(s) addresses separated by ';'"
    if source.kind == "transliteration" and not v["source"]:
        yield "no source"
    if source.kind != "vocabulary":
        yield from _date_problems(v["last_checked"], today)
    if source.kind == "fact" and v["status"] not in STATUSES:
        yield f"status {v['status']!r} is not one of {', '.join(STATUSES)}"
    for column, table in source.references.items():
        if v[column] and v[column] not in keys.get(table, set()):
            yield f"{column} {v[column]!r} is not an id in {SOURCE_BY_TABLE[table].file}"
    for column in source.integers:
        if v[column] and not v[column].isdigit():
            yield f"{column} {v[column]!r} is not a whole number"
    if source.table == "location":
        # A town the sources name may be a village ("South Paris"): its county must still be right when known.
        yield from _county_problems(v["county"], places, v["city"] if v["city"] in places else "")
    yield from TABLE_RULES.get(source.table, lambda v, towns: ())(v, towns)


def _date_problems(value: str, today: date):
    if not value:
        yield "no last_checked date"
        return
    try:
        checked = date.fromisoformat(value)
    except ValueError:
        yield f"last_checked {value!r} is not a date (YYYY-MM-DD)"
        return
    if checked > today:
        yield f"last_checked {value} is in the future"


def _county_problems(county: str, towns: dict[str, str], municipality: str = "", statewide: bool = False):
    allowed = ", ".join(COUNTIES) + (f" or {STATEWIDE}" if statewide else "")
    if county not in COUNTIES and not (statewide and county == STATEWIDE):
        yield f"county {county!r} is not one of {allowed}"
    elif municipality and municipality not in towns:
        yield f"{municipality!r} is not a municipality in places/municipalities.csv"
    elif municipality and towns[municipality] != county:
        yield f"{municipality} is in {towns[municipality]} County, not {county}"


def _service_rules(v, towns):
    if v["audience"] not in AUDIENCES:
        yield f"audience {v['audience']!r} is not one of {', '.join(AUDIENCES)}"


def _location_rules(v, towns):
    if v["location_type"] not in LOCATION_TYPES:
        yield f"location_type {v['location_type']!r} is not one of {', '.join(LOCATION_TYPES)}"
    if v["location_type"] == "virtual" and v["address_1"]:
        yield "a virtual location has no address"
    if not v["city"]:
        yield "no city"


def _phone_rules(v, towns):
    if not v["number"]:
        yield "no number"
    if v["type"] not in PHONE_TYPES:
        yield f"type {v['type']!r} is not one of {', '.join(PHONE_TYPES)}"
    if not (v["service_id"] or v["organization_id"]):
        yield "belongs to no service and no organization"


def _language_rules(v, towns):
    code = v["code"]
    if not re.fullmatch(r"[a-z]{2,3}", code):
        yield f"code {code!r} is not an ISO 639-1 (or, lacking one, ISO 639-3) code"
    elif len(code) == 2:
        try:
            Locale.parse(code)
        except (UnknownLocaleError, ValueError):
            yield f"code {code!r} is not a language Babel knows"
    if not v["name"]:
        yield "no name"


def _area_rules(v, towns):
    yield from _county_problems(v["county"], towns, v["municipality"], statewide=True)
    if v["county"] == STATEWIDE and (v["municipality"] or v["part"]):
        yield "a statewide area names no municipality or part"


def _schedule_rules(v, towns):
    if not v["description"]:
        yield "no description"
    for column in ("opens_at", "closes_at"):
        if v[column] and not TIME.match(v[column]):
            yield f"{column} {v[column]!r} is not HH:MM"


def _url_rules(v, towns):
    if not v["url"].startswith(("http://", "https://")):
        yield f"url {v['url']!r} is not an http(s) address"
    if not (v["service_id"] or v["organization_id"]):
        yield "belongs to no service and no organization"


def _attribute_rules(v, towns):
    if v["link_type"] != "service":
        yield f"link_type {v['link_type']!r}: only services carry needs"
    if v["value"] not in NEED_ROLES:
        yield f"value {v['value']!r} is not one of {', '.join(NEED_ROLES)}"


def _municipality_rules(v, towns):
    yield from _county_problems(v["county"], towns)


def _alias_rules(v, towns):
    yield from _county_problems(v["county"], towns, v["municipality"])


def _script_alias_rules(v, towns):
    yield from _county_problems(v["county"], towns, v["municipality"])


TABLE_RULES = {
    "service": _service_rules,
    "location": _location_rules,
    "phone": _phone_rules,
    "language": _language_rules,
    "service_area": _area_rules,
    "schedule": _schedule_rules,
    "url": _url_rules,
    "attribute": _attribute_rules,
    "municipality": _municipality_rules,
    "place_alias": _alias_rules,
    "place_alias_script": _script_alias_rules,
}


def _shelter_addresses(sources: Sources) -> list[str]:
    """A shelter's or safe house's address is never published (design.md, Facts): only its phone line."""
    shelters = {
        row.values["link_id"] for row in sources["attribute"] if row.values["taxonomy_term_id"] == SAFE_HOUSING
    }
    addressed = {row.values["id"] for row in sources["location"] if row.values["address_1"]}
    return [
        f"{row.where(SOURCE_BY_TABLE['service_at_location'])}: links safe-housing service "
        f"{row.values['service_id']!r} to location {row.values['location_id']!r}, which has a street address; "
        "shelter and safe-house addresses are never published"
        for row in sources["service_at_location"]
        if row.values["service_id"] in shelters and row.values["location_id"] in addressed
    ]


# --- Building ------------------------------------------------------------------------------------------------


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
    return {source.table: db[source.table].count for source in SOURCES}


def create_tables(db: sqlite_utils.Database, sources: Sources) -> None:
    db["service_fts"].drop(ignore=True)
    for source in reversed(SOURCES):
        db[source.table].drop(ignore=True)
    for source in SOURCES:
        columns = {column: int if column in source.integers else str for column in source.columns}
        foreign_keys = [
            (column, table, "municipality" if table == "municipality" else "id")
            for column, table in source.references.items()
        ]
        db[source.table].create(columns, pk=source.pk, foreign_keys=foreign_keys)


def load_rows(db: sqlite_utils.Database, sources: Sources) -> None:
    for source in SOURCES:
        rows = sources[source.table]
        db[source.table].insert_all(
            ({column: _value(source, column, value) for column, value in row.values.items()} for row in rows),
            pk=source.pk,
        )


def _value(source: Source, column: str, value: str):
    if value == "":
        return None
    return int(value) if column in source.integers else value


def index_for_search(db: sqlite_utils.Database, sources: Sources) -> None:
    db["service"].enable_fts(
        ["name", "alternate_name", "description", "eligibility_description"], tokenize="porter", replace=True
    )


BUILD_STEPS = (create_tables, load_rows, index_for_search)


def open_directory(path: Path = DEFAULT_DB) -> sqlite_utils.Database:
    """The built directory, read-only: the action server never writes to it."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist: run `python -m actions.directory build`")
    return sqlite_utils.Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False))


# --- Searching -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """Where a fact comes from; every fact a search returns carries it."""

    source_url: str
    source_date: str
    last_checked: str


@dataclass(frozen=True)
class Phone(Fact):
    number: str = ""
    type: str = "voice"  # voice | text | whatsapp | tty
    extension: str = ""
    description: str = ""
    office: str = ""  # the town of the office it rings, if any


@dataclass(frozen=True)
class Hours(Fact):
    description: str = ""  # as the source words it: "24/7", "Phone intake: Monday 12:00-2:30"
    byday: str = ""
    opens_at: str = ""
    closes_at: str = ""


@dataclass(frozen=True)
class Language(Fact):
    code: str = ""
    name: str = ""


@dataclass(frozen=True)
class Website(Fact):
    url: str = ""
    label: str = ""


@dataclass(frozen=True)
class Office(Fact):
    """A public office: never a shelter (shelter addresses are not in the data at all)."""

    name: str = ""
    location_type: str = "physical"
    address: str = ""
    city: str = ""
    county: str = ""
    postal_code: str = ""


@dataclass(frozen=True)
class Area(Fact):
    name: str = ""
    county: str = ""
    municipality: str = ""
    part: str = ""


@dataclass(frozen=True)
class Service(Fact):
    """One search result. `match` says why it was chosen for the county asked about: "county" (it serves the
    whole county, that town, or has an office there), "part_of_county", "statewide", or "any" (no county
    asked); `speaks_language` is True when staff speak the language asked for, False when they need an
    interpreter or the sources do not say, None when no language was asked for."""

    id: str = ""
    name: str = ""
    organization: str = ""
    description: str = ""
    eligibility: str = ""
    interpretation: str = ""
    email: str = ""
    alert: str = ""
    needs: tuple[str, ...] = ()
    phones: tuple[Phone, ...] = ()
    hours: tuple[Hours, ...] = ()
    languages: tuple[Language, ...] = ()
    websites: tuple[Website, ...] = ()
    offices: tuple[Office, ...] = ()
    areas: tuple[Area, ...] = ()
    match: str = "any"
    speaks_language: bool | None = None

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


MATCHES = ("county", "part_of_county", "statewide")
STOP_WORDS = frozenset(
    "the and for with can you need help want where what how who get find have has are was were this that from "
    "not any some please into about near there their they them his her him she our your".split()
)


def needs(db: sqlite_utils.Database) -> dict[str, str]:
    """The need categories (taxonomy codes) with their English labels."""
    return {row["id"]: row["name"] for row in db.query("select id, name from taxonomy_term order by rowid")}


def find_services(
    db: sqlite_utils.Database,
    need: str,
    county: str | None = None,
    language: str | None = None,
    limit: int = 3,
    *,
    municipality: str | None = None,
) -> list[Service]:
    """Services for a need (a taxonomy code such as "legal_help"), best first.

    Ranking: services serving the county (or that town, or with an office there) come before those serving
    part of it, and those before statewide ones; then those whose staff speak `language` (ISO 639-1) before
    those with an interpreter, and those before the ones the sources say nothing about; then services mainly
    for that need, survivor programs, services with a phone line, and the more local. Unconfirmed rows are
    never returned, nor services with no confirmed phone or website (no confirmed phone, for a crisis line).
    """
    if need not in needs(db):
        raise ValueError(f"unknown need {need!r}: one of {', '.join(needs(db))}")
    ids = [
        row["link_id"]
        for row in db.query(
            "select link_id from attribute where taxonomy_term_id = ? and link_type = 'service' and status = ?",
            [need, SHOWN],
        )
    ]
    return _ranked(db, ids, need, county, municipality, language, limit, order={})


def find_services_by_text(
    db: sqlite_utils.Database,
    query: str,
    county: str | None = None,
    language: str | None = None,
    limit: int = 3,
    *,
    municipality: str | None = None,
) -> list[Service]:
    """Services whose name, description or eligibility match words of `query` (full-text search, English
    stemming; a word in the name counts most), ranked by reach and language as find_services does, then by
    relevance."""
    terms = [word for word in normalise(query).split() if len(word) > 2 and word not in STOP_WORDS]
    if not terms:
        return []
    match = " OR ".join(f'"{term}"' for term in dict.fromkeys(terms))
    rows = db.query(
        "select service.id from service_fts join service on service.rowid = service_fts.rowid "
        "where service_fts match ? order by bm25(service_fts, 10.0, 5.0, 1.0, 1.0)",
        [match],
    )
    order = {row["id"]: position for position, row in enumerate(rows)}
    return _ranked(db, list(order), None, county, municipality, language, limit, order=order)


def _ranked(db, ids, need, county, municipality, language, limit, order) -> list[Service]:
    county = normalise_county(county) if county is not None else None
    language = (language or "").strip().lower() or None
    candidates = []
    for service in _services(db, ids):
        if not (service.phones or (service.websites and need not in NEEDS_A_PHONE)):
            continue
        reach = _reach(service, county, municipality)
        if reach is None:
            continue
        speaks, language_rank = _language_rank(service, language)
        role = min((NEED_ROLES.index(value) for term, value in service._need_roles if term == need), default=0)
        counties = {STATEWIDE if a.county == STATEWIDE else a.county for a in service.areas}
        counties |= {office.county for office in service.offices if office.location_type == "physical"}
        breadth = len(COUNTIES) if STATEWIDE in counties or not counties else len(counties)
        key = (
            reach,
            language_rank,
            order.get(service.id, 0),
            role,
            AUDIENCES.index(service._audience),
            0 if service.phones else 1,
            breadth,
            service.name,
        )
        match = "any" if county is None else MATCHES[reach]
        candidates.append((key, dataclasses.replace(
            service,
            phones=_local_first(service.phones, service.offices, county),
            match=match,
            speaks_language=speaks,
        )))
    candidates.sort(key=lambda pair: pair[0])
    return [_public(service) for _, service in candidates[: max(limit, 0)]]


def _reach(service, county: str | None, municipality: str | None) -> int | None:
    """0: serves the county (or that town, or has an office there); 1: part of it; 2: statewide; None: no."""
    if county is None:
        return 0
    ranks = []
    for area in service.areas:
        if area.county == STATEWIDE:
            ranks.append(2)
        elif area.county == county:
            if area.municipality:
                if municipality is None:
                    ranks.append(1)
                elif area.municipality == municipality:
                    ranks.append(0)
            else:
                ranks.append(1 if area.part else 0)
    if any(office.county == county and office.location_type == "physical" for office in service.offices):
        ranks.append(0)
    return min(ranks, default=None)


def _language_rank(service, language: str | None) -> tuple[bool | None, int]:
    if language is None:
        return None, 0
    if language in {spoken.code for spoken in service.languages}:
        return True, 0
    if language == "en" and not service.languages:
        # The sources rarely say "English"; every service here works in English.
        return True, 0
    return False, 1 if service.interpretation else 2


def _local_first(phones: tuple[Phone, ...], offices: tuple[Office, ...], county: str | None) -> tuple[Phone, ...]:
    local = {office.city for office in offices if office.county == county}
    return tuple(sorted(phones, key=lambda phone: 0 if phone.office in local else (1 if not phone.office else 2)))


@dataclass(frozen=True)
class _Candidate(Service):
    _audience: str = "anyone"
    _need_roles: tuple[tuple[str, str], ...] = ()


def _public(candidate: _Candidate) -> Service:
    values = {f.name: getattr(candidate, f.name) for f in dataclasses.fields(Service)}
    return Service(**values)


def _fact(row: dict) -> dict:
    return {
        "source_url": row["source_url"],
        "source_date": row["source_date"] or "",
        "last_checked": row["last_checked"],
    }


def _shown(db, table: str, column: str, ids: Sequence[str]) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    if not ids:
        return found
    marks = ", ".join("?" for _ in ids)
    for row in db.query(
        f"select * from [{table}] where [{column}] in ({marks}) and status = ? order by rowid", [*ids, SHOWN]
    ):
        found.setdefault(row[column], []).append(row)
    return found


def _services(db, ids: Iterable[str]) -> list[_Candidate]:
    ids = list(dict.fromkeys(ids))
    services = _shown(db, "service", "id", ids)
    organizations = {
        row["id"]: row
        for row in db.query(
            "select * from organization where status = ? and id in (select organization_id from service)", [SHOWN]
        )
    }
    phones = _shown(db, "phone", "service_id", ids)
    hours = _shown(db, "schedule", "service_id", ids)
    languages = _shown(db, "language", "service_id", ids)
    areas = _shown(db, "service_area", "service_id", ids)
    service_urls = _shown(db, "url", "service_id", ids)
    organization_urls = _shown(db, "url", "organization_id", list(organizations))
    attributes = _shown(db, "attribute", "link_id", ids)
    links = _shown(db, "service_at_location", "service_id", ids)
    locations = {row["id"]: row for row in db.query("select * from location where status = ?", [SHOWN])}
    result = []
    for service_id in ids:
        if service_id not in services:
            continue
        row = services[service_id][0]
        organization = organizations.get(row["organization_id"])
        if organization is None:
            continue
        offices = [
            locations[link["location_id"]] for link in links.get(service_id, []) if link["location_id"] in locations
        ]
        office_town = {office["id"]: office["city"] for office in offices}
        result.append(_Candidate(
            **_fact(row),
            id=service_id,
            name=row["name"],
            organization=organization["name"],
            description=row["description"] or "",
            eligibility=row["eligibility_description"] or "",
            interpretation=row["interpretation_services"] or "",
            email=row["email"] or "",
            alert=row["alert"] or "",
            needs=tuple(a["taxonomy_term_id"] for a in attributes.get(service_id, [])),
            phones=tuple(
                Phone(**_fact(p), number=p["number"], type=p["type"], extension=p["extension"] or "",
                      description=p["description"] or "", office=office_town.get(p["location_id"], ""))
                for p in phones.get(service_id, [])
            ),
            hours=tuple(
                Hours(**_fact(h), description=h["description"], byday=h["byday"] or "", opens_at=h["opens_at"] or "",
                      closes_at=h["closes_at"] or "")
                for h in hours.get(service_id, [])
            ),
            languages=tuple(
                Language(**_fact(lang), code=lang["code"], name=lang["name"]) for lang in languages.get(service_id, [])
            ),
            websites=tuple(
                Website(**_fact(u), url=u["url"], label=u["label"] or "")
                for u in service_urls.get(service_id, []) + organization_urls.get(row["organization_id"], [])
            ),
            offices=tuple(
                Office(**_fact(o), name=o["name"], location_type=o["location_type"], address=o["address_1"] or "",
                       city=o["city"], county=o["county"], postal_code=o["postal_code"] or "")
                for o in offices
            ),
            areas=tuple(
                Area(**_fact(a), name=a["name"] or "", county=a["county"], municipality=a["municipality"] or "",
                     part=a["part"] or "")
                for a in areas.get(service_id, [])
            ),
            _audience=row["audience"],
            _need_roles=tuple((a["taxonomy_term_id"], a["value"]) for a in attributes.get(service_id, [])),
        ))
    return result


# --- Reporting -----------------------------------------------------------------------------------------------


def unconfirmed_rows(db: sqlite_utils.Database) -> list[tuple[str, dict]]:
    """Every row a person still has to check: (table, row), in file order."""
    found = []
    for source in SOURCES:
        if source.kind == "fact":
            found.extend((source.table, row) for row in db.query(
                f"select * from [{source.table}] where status = 'unconfirmed' order by rowid"
            ))
    return found


def _describe(table: str, row: dict) -> str:
    owner = row.get("service_id") or row.get("organization_id") or row.get("link_id") or ""
    if table == "phone":
        extension = f" ext. {row['extension']}" if row["extension"] else ""
        return f"{row['number']}{extension} ({row['type']}) for {owner}"
    return {
        "schedule": lambda: f"hours of {owner}: {row['description']}",
        "language": lambda: f"{owner} speaks {row['name']} ({row['code']})",
        "service_area": lambda: f"{owner} serves {row['county']}",
        "url": lambda: f"website {row['url']} of {owner}",
        "service": lambda: f"the service itself: {row['name']}",
        "attribute": lambda: f"{owner} is for {row['taxonomy_term_id']}",
    }.get(table, lambda: row.get("name") or "")()


def report(db: sqlite_utils.Database) -> str:
    lines = ["| table | rows | unconfirmed |", "| --- | ---: | ---: |"]
    for source in SOURCES:
        unconfirmed = db[source.table].count_where("status = 'unconfirmed'") if source.kind == "fact" else 0
        lines.append(f"| {source.table} | {db[source.table].count} | {unconfirmed} |")
    lines += ["", "| table | id | fact | why |", "| --- | --- | --- | --- |"]
    for table, row in unconfirmed_rows(db):
        fact = _describe(table, row)
        why = (row["note"] or "").replace("|", "/")
        lines.append(f"| {table} | `{row['id']}` | {fact} | {why} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m actions.directory", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build_command = commands.add_parser("build", help="check the CSV sources and build the SQLite directory")
    build_command.add_argument("--db", type=Path, default=DEFAULT_DB)
    build_command.add_argument("--directory", type=Path, default=DIRECTORY_DIR, help=argparse.SUPPRESS)
    build_command.add_argument("--places", type=Path, default=PLACES_DIR, help=argparse.SUPPRESS)
    report_command = commands.add_parser("report", help="row counts and every unconfirmed row, as Markdown")
    report_command.add_argument("--db", type=Path, default=DEFAULT_DB)
    args = parser.parse_args(argv)
    if args.command == "build":
        args.db.parent.mkdir(parents=True, exist_ok=True)
        try:
            counts = build(sqlite_utils.Database(args.db), args.directory, args.places)
        except DataError as error:
            print(error, file=sys.stderr)
            return 1
        print(f"built {args.db}: " + ", ".join(f"{table} {count}" for table, count in counts.items()))
    else:
        print(report(open_directory(args.db)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
