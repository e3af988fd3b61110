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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from core.directory.schema import ANYWHERE, DEFAULT_DB, NEEDS_A_PHONE, SHOWN, STATEWIDE
from core.places import normalise_county
from core.sources import Provenance, split_list


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


@dataclass(frozen=True)
class Phone(Fact):
    number: str = ""
    type: str = "voice"  # voice | text | whatsapp | textphone (TTY)
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
    assured_date: str = ""  # HSDS: the day a person last checked the service live; empty until then
    assurer_email: str = ""  # HSDS: who checked (a role's mailbox)

    @property
    def provenance(self) -> Provenance:
        """The service row's source and its live check; a check covers what the answer shows of it."""
        return Provenance(split_list(self.source_url), self.source_date, self.assured_date, self.assurer_email)


MATCHES = ("county", "part_of_county", "statewide")


def needs(db: sqlite_utils.Database) -> dict[str, str]:
    """The need categories (taxonomy codes) with their English labels."""
    return {row["code"]: row["name"] for row in db.query("select code, name from taxonomy_term order by rowid")}


def find_services(
    db: sqlite_utils.Database,
    need: str,
    county: str | None = None,
    language: str | None = None,
    limit: int = 3,
    *,
    municipality: str | None = None,
    words: str | None = None,
) -> list[Service]:
    """Services for a need (a taxonomy code such as "legal_help"), best first.

    Ranking: services serving the county (or that town, or with an office there) come before those serving
    part of it, and those before statewide ones; then those whose staff speak `language` (ISO 639-1) before
    those with an interpreter, and those before the ones the sources say nothing about; then services mainly
    for that need, survivor programs, services with a phone line, and the more local. Unconfirmed rows are
    never returned, nor services with no confirmed phone or website (no confirmed phone, for a crisis line).
    `words` keeps only services whose name, description or eligibility match them (full-text search).

    The ranking runs in SQL over the tables the build prepared (core/directory/build.py), so a search reads
    only the rows of the services it returns.
    """
    if need not in needs(db):
        raise ValueError(f"unknown need {need!r}: one of {', '.join(needs(db))}")
    county = normalise_county(county) if county is not None else None
    language = (language or "").strip().lower() or None
    params: dict[str, object] = {
        "need": need,
        "county": county,
        "town": municipality,
        "language": language,
        "needs_phone": need in NEEDS_A_PHONE,
        "limit": max(limit, 0),
        "statewide": STATEWIDE,
        "anywhere": ANYWHERE,
        "shown": SHOWN,
    }
    # service_match holds every ranking value: one indexed read of the need's rows in the county and the state
    # (or, with no place, its rows for anywhere).
    if county is None:
        reach, where, group = "0", "c.need = :need and c.county = :anywhere", ""
    else:
        reach = "min(case when c.municipality is null then c.reach_rank when :town is null then 1 else 0 end)"
        where = """c.need = :need and (
            (c.county = :county and (c.municipality is null or :town is null or c.municipality = :town))
            or c.county = :statewide)"""
        group = "group by c.service_id"  # a service may reach the county twice (an office, an area)
    matching = ""
    if words and words.strip():
        params["words"] = _fts_query(words)
        matching = """and c.service_id in (
            select service.id from service join service_fts on service_fts.rowid = service.rowid
            where service_fts match :words)"""
    rows = db.execute(
        f"""
        select c.service_id, {reach} as reach,
               case when :language is null then 0
                    when instr(c.codes, ',' || :language || ',') then 0
                    when :language = 'en' and not c.lists_languages then 0
                    when c.has_interpreter then 1 else 2 end as language_rank
        from service_match c
        where {where} and (c.has_phone or (c.has_website and not :needs_phone)) {matching}
        {group}
        order by reach, language_rank, c.role_rank, c.audience_rank, c.has_phone desc, c.breadth, c.name
        limit :limit
        """,
        params,
    ).fetchall()
    found = {service.id: service for service in _services(db, [row[0] for row in rows])}
    results = []
    for service_id, reach_rank, language_rank in rows:
        service = found[service_id]
        results.append(
            dataclasses.replace(
                service,
                phones=_local_first(service.phones, service.offices, county),
                match="any" if county is None else MATCHES[reach_rank],
                speaks_language=None if language is None else language_rank == 0,
            )
        )
    return results


def _fts_query(words: str) -> str:
    """Words as an FTS5 query that matches them all, each taken literally (no operators from the person)."""
    return " ".join('"' + word.replace('"', "") + '"' for word in words.split() if word.replace('"', ""))


def _local_first(phones: tuple[Phone, ...], offices: tuple[Office, ...], county: str | None) -> tuple[Phone, ...]:
    local = {office.city for office in offices if office.county == county}
    return tuple(sorted(phones, key=lambda phone: 0 if phone.office in local else (1 if not phone.office else 2)))


def _fact(row: dict) -> dict:
    return {"source_url": row["source_url"], "source_date": row["source_date"] or ""}


def _shown(db, table: str, column: str, ids: Sequence[str]) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    if not ids:
        return found
    marks = ", ".join("?" for _ in ids)
    for row in db.query(
        f"select * from [{table}] where [{column}] in ({marks}) and fact_status = ? order by rowid", [*ids, SHOWN]
    ):
        found.setdefault(row[column], []).append(row)
    return found


def _services(db, ids: Sequence[str]) -> list[Service]:
    """The shown services with these ids and everything a reply shows of them, in a few indexed queries."""
    ids = list(dict.fromkeys(ids))
    services = _shown(db, "service", "id", ids)
    owners = [found[0]["organization_id"] for found in services.values()]
    organizations = {key: found[0] for key, found in _shown(db, "organization", "id", owners).items()}
    phones = _shown(db, "phone", "service_id", ids)
    hours = _shown(db, "schedule", "service_id", ids)
    languages = _shown(db, "language", "service_id", ids)
    areas = _shown(db, "service_area", "service_id", ids)
    needs_met = (
        {
            row["service_id"]: row["needs"]
            for row in db.query(
                f"select service_id, group_concat(need, ';') as needs from service_need "
                f"where service_id in ({', '.join('?' for _ in ids)}) group by service_id",
                ids,
            )
        }
        if ids
        else {}
    )
    links = _shown(db, "service_at_location", "service_id", ids)
    location_ids = [link["location_id"] for found in links.values() for link in found]
    locations = {key: rows[0] for key, rows in _shown(db, "location", "id", location_ids).items()}
    streets = {key: rows[0] for key, rows in _shown(db, "address", "location_id", list(locations)).items()}
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
        office_town = {office["id"]: office["town"] for office in offices}
        websites = [
            Website(**_fact(owner), url=owner[column], label="website")
            for owner, column in ((row, "url"), (organization, "website"))
            if owner[column]
        ]
        result.append(
            Service(
                **_fact(row),
                id=service_id,
                name=row["name"],
                organization=organization["name"],
                description=row["description"] or "",
                eligibility=row["eligibility_description"] or "",
                interpretation=row["interpretation_services"] or "",
                email=row["email"] or "",
                alert=row["alert"] or "",
                needs=tuple(split_list(needs_met.get(service_id) or "")),
                assured_date=row["assured_date"] or "",
                assurer_email=row["assurer_email"] or "",
                phones=tuple(
                    Phone(
                        **_fact(p),
                        number=p["number"],
                        type=p["type"],
                        extension=str(p["extension"] or ""),
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
                websites=tuple(websites),
                offices=tuple(
                    Office(
                        **_fact(o),
                        name=o["name"] or "",
                        location_type=o["location_type"],
                        address=(streets.get(o["id"]) or {}).get("address_1") or "",
                        city=o["town"],
                        county=o["county"],
                        postal_code=(streets.get(o["id"]) or {}).get("postal_code") or "",
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
            )
        )
    return result
