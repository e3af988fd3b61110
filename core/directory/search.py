"""Searching the built directory for the services action (Rasa-free): by need, county, town and language.

    db = open_directory()
    place = resolve_place("in Lewiston please")               # core/places.py
    find_services(db, "legal_help", county=place.county, municipality=place.municipality, language="so")

Open the database per process, on first use; nothing is opened at import time (the action server imports
every action module before it serves).
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from core.directory.schema import AUDIENCES, DEFAULT_DB, NEED_ROLES, NEEDS_A_PHONE, SHOWN, STATEWIDE
from core.places import COUNTIES, normalise_county


def open_directory(path: Path = DEFAULT_DB) -> sqlite_utils.Database:
    """The built directory, read-only: the action server never writes to it."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist: run `make directory`")
    return sqlite_utils.Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False))


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


MATCHES = ("county", "part_of_county", "statewide")


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
    return _ranked(db, ids, need, county, municipality, language, limit)


def _ranked(
    db: sqlite_utils.Database,
    ids: list[str],
    need: str,
    county: str | None,
    municipality: str | None,
    language: str | None,
    limit: int,
) -> list[Service]:
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
            role,
            AUDIENCES.index(service._audience),
            0 if service.phones else 1,
            breadth,
            service.name,
        )
        match = "any" if county is None else MATCHES[reach]
        candidates.append(
            (
                key,
                dataclasses.replace(
                    service,
                    phones=_local_first(service.phones, service.offices, county),
                    match=match,
                    speaks_language=speaks,
                ),
            )
        )
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
        result.append(
            _Candidate(
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
                    Phone(
                        **_fact(p),
                        number=p["number"],
                        type=p["type"],
                        extension=p["extension"] or "",
                        description=p["description"] or "",
                        office=office_town.get(p["location_id"], ""),
                    )
                    for p in phones.get(service_id, [])
                ),
                hours=tuple(
                    Hours(
                        **_fact(h),
                        description=h["description"],
                        byday=h["byday"] or "",
                        opens_at=h["opens_at"] or "",
                        closes_at=h["closes_at"] or "",
                    )
                    for h in hours.get(service_id, [])
                ),
                languages=tuple(
                    Language(**_fact(lang), code=lang["code"], name=lang["name"])
                    for lang in languages.get(service_id, [])
                ),
                websites=tuple(
                    Website(**_fact(u), url=u["url"], label=u["label"] or "")
                    for u in service_urls.get(service_id, []) + organization_urls.get(row["organization_id"], [])
                ),
                offices=tuple(
                    Office(
                        **_fact(o),
                        name=o["name"],
                        location_type=o["location_type"],
                        address=o["address_1"] or "",
                        city=o["city"],
                        county=o["county"],
                        postal_code=o["postal_code"] or "",
                    )
                    for o in offices
                ),
                areas=tuple(
                    Area(
                        **_fact(a),
                        name=a["name"] or "",
                        county=a["county"],
                        municipality=a["municipality"] or "",
                        part=a["part"] or "",
                    )
                    for a in areas.get(service_id, [])
                ),
                _audience=row["audience"],
                _need_roles=tuple((a["taxonomy_term_id"], a["value"]) for a in attributes.get(service_id, [])),
            )
        )
    return result
