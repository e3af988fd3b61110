"""Which Maine court handles what, by county (Rasa-free; the facts are data/courts/*.csv).

An address is given only where the reference confirmed it; otherwise the answer carries a flag so the caller
says the address is not confirmed and gives a number to call instead. A closed court is never offered: its
cases go to the court named in `cases_go_to` (Newport -> Bangor, Lincoln -> Millinocket, Madawaska -> Fort Kent
or Caribou). Which District Court serves which town is not in the data yet (the official "Find a Court by
City/Town" page was not read; data/courts/district_divisions.csv holds the few towns an official source
names), so a county answer lists every open District Court in the county.

Nothing is read at import time: the action server imports this with every action module, and the tables
load on first use.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from core.paths import COURTS_DIR
from core.places import COUNTIES, normalise_county
from core.sources import (
    NOT_A_FACT,
    DataError,
    Provenance,
    check_choice,
    read_sourced_table,
    split_list,
    unique_by_key,
)

COURTS_PATH = COURTS_DIR / "courts.csv"
CASE_TYPES_PATH = COURTS_DIR / "case_types.csv"
GENERAL_PATH = COURTS_DIR / "general.csv"
GUIDE_PATH = COURTS_DIR / "guide.csv"
GUIDE_TOPICS = ("protection_order", "any")

COURT_TYPES = ("district", "superior")
COURT_STATUSES = ("open", "temporarily_closed", "closed")
ADDRESS_STATUSES = ("confirmed", "unconfirmed", "conflict", "not_found", "former")
CASE_COURT_TYPES = ("district", "superior", "unified_criminal_docket", "court_of_conviction")
FACT_STATUSES = ("confirmed", "unconfirmed")
PHONE = re.compile(r"^\(\d{3}\) \d{3}-\d{4}$")
GENERAL_LINE = "court_info_line"
USUAL_HOURS = "usual_hours"


@dataclass(frozen=True)
class CallNumber:
    """A phone number to call, whose it is (in English), and where it comes from."""

    number: str
    label: str
    kind: str  # "court" (the court's own clerk), "building" (another clerk in the same building), "judicial_branch"
    source_urls: tuple[str, ...]
    source_date: str
    verified_on: str
    verified_by: str
    court: str = ""  # the court whose clerk answers, for kinds "court" and "building"

    @property
    def provenance(self) -> Provenance:
        return Provenance(self.source_urls, self.source_date, self.verified_on, self.verified_by)


@dataclass(frozen=True)
class Court:
    key: str
    name: str
    court_type: str
    building: str
    town: str
    county: str
    address: str  # street address, empty unless address_status is "confirmed"
    address_status: str
    address_note: str
    mailing_address: str
    clerk_phone: str
    phone_note: str
    hours: str
    hours_source: str
    status: str
    cases_go_to: tuple[str, ...]
    status_note: str
    source_urls: tuple[str, ...]
    source_date: str
    verified_on: str
    verified_by: str
    checked_against: str

    @property
    def provenance(self) -> Provenance:
        return Provenance(self.source_urls, self.source_date, self.verified_on, self.verified_by)

    @property
    def address_confirmed(self) -> bool:
        return self.address_status == "confirmed" and bool(self.address)

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def street_and_town(self) -> str | None:
        """ "78 Exchange Street, Bangor", or None when the address is not confirmed."""
        return f"{self.address}, {self.town}" if self.address_confirmed else None


@dataclass(frozen=True)
class CaseType:
    key: str
    name: str
    court_type: str
    rule: str  # plain English, shown to people
    when_court_closed: str  # plain English, shown to people, may be empty
    status: str
    not_confirmed: str  # for the people who check the data; never shown
    source_urls: tuple[str, ...]
    source_date: str
    verified_on: str
    verified_by: str

    @property
    def provenance(self) -> Provenance:
        return Provenance(self.source_urls, self.source_date, self.verified_on, self.verified_by)

    @property
    def confirmed(self) -> bool:
        return self.status == "confirmed"


@dataclass(frozen=True)
class CourtChoice:
    """One court to go to, the number to call about it, and the closed courts whose cases it took."""

    court: Court
    call: CallNumber
    took_cases_from: tuple[Court, ...] = ()

    @property
    def address_confirmed(self) -> bool:
        return self.court.address_confirmed

    @property
    def building_court(self) -> Court | None:
        """When this court's own address is not confirmed: the court whose confirmed address is the building
        this one is reported to share (Portland District Court -> the Cumberland County Courthouse)."""
        return shared_building(self.court)

    @property
    def hours(self) -> str:
        """The court's own hours when a source gives them, else the usual hours of Maine courts."""
        return self.court.hours or general_fact(USUAL_HOURS)["value"]

    @property
    def hours_are_general(self) -> bool:
        return not self.court.hours


@dataclass(frozen=True)
class CourtAnswer:
    """Where to go for one kind of case in one county.

    `choices` are open courts only. When `address_unconfirmed` is true, the caller says the address is not
    confirmed and gives `call` (or each choice's own `call`). When `confirmed` is false, the rule itself is not
    confirmed and `case_type.rule` says so in its own words.
    """

    case_type: CaseType
    county: str
    choices: tuple[CourtChoice, ...]
    closed: tuple[Court, ...]
    call: CallNumber

    @property
    def confirmed(self) -> bool:
        return self.case_type.confirmed

    @property
    def courts(self) -> tuple[Court, ...]:
        return tuple(choice.court for choice in self.choices)

    @property
    def address_unconfirmed(self) -> bool:
        return not self.choices or any(not choice.address_confirmed for choice in self.choices)


COURT_COLUMNS = ("key", "name", "court_type", "town", "county", "address_status", "status")
SOURCE_COLUMNS = ("source_url", "source_date")


@functools.cache
def courts(path: Path = COURTS_PATH) -> tuple[Court, ...]:
    """Every court row, in file order, checked."""
    rows = read_sourced_table(path, COURT_COLUMNS + SOURCE_COLUMNS)
    by_key = unique_by_key(rows, path)
    result = []
    for row in rows:
        where = f"{path.name}: {row['key']!r}"
        check_choice(where, "court_type", row["court_type"], COURT_TYPES)
        check_choice(where, "status", row["status"], COURT_STATUSES)
        check_choice(where, "address_status", row["address_status"], ADDRESS_STATUSES)
        check_choice(where, "county", row["county"], COUNTIES)
        if bool(row["address"]) != (row["address_status"] == "confirmed"):
            raise DataError(f"{where}: an address is given only, and always, when address_status is confirmed")
        for column in ("address", "mailing_address", "clerk_phone", "hours"):
            if NOT_A_FACT.search(row[column]):
                raise DataError(
                    f"{where}: {column} {row[column]!r} is not a fact; leave it blank and say why in a note"
                )
        if row["clerk_phone"] and not PHONE.match(row["clerk_phone"]):
            raise DataError(f"{where}: clerk_phone {row['clerk_phone']!r} is not written as (207) 555-0100")
        if row["hours"] and not row["hours_source"]:
            raise DataError(f"{where}: hours without an hours_source")
        targets = split_list(row["cases_go_to"])
        if bool(targets) == (row["status"] == "open"):
            raise DataError(f"{where}: a closed court names where its cases go (cases_go_to); an open one does not")
        for target in targets:
            if target not in by_key:
                raise DataError(f"{where}: cases_go_to names an unknown court {target!r}")
        result.append(
            Court(
                key=row["key"],
                name=row["name"],
                court_type=row["court_type"],
                building=row["building"],
                town=row["town"],
                county=row["county"],
                address=row["address"],
                address_status=row["address_status"],
                address_note=row["address_note"],
                mailing_address=row["mailing_address"],
                clerk_phone=row["clerk_phone"],
                phone_note=row["phone_note"],
                hours=row["hours"],
                hours_source=row["hours_source"],
                status=row["status"],
                cases_go_to=targets,
                status_note=row["status_note"],
                source_urls=split_list(row["source_url"]),
                source_date=row["source_date"],
                verified_on=row["verified_on"],
                verified_by=row["verified_by"],
                checked_against=row["checked_against"],
            )
        )
    return tuple(result)


@functools.cache
def case_types(path: Path = CASE_TYPES_PATH) -> dict[str, CaseType]:
    rows = read_sourced_table(path, ("key", "name", "court_type", "rule", "status", *SOURCE_COLUMNS))
    unique_by_key(rows, path)
    result = {}
    for row in rows:
        where = f"{path.name}: {row['key']!r}"
        check_choice(where, "court_type", row["court_type"], CASE_COURT_TYPES)
        check_choice(where, "status", row["status"], FACT_STATUSES)
        for column in ("rule", "when_court_closed"):
            if NOT_A_FACT.search(row[column]):
                raise DataError(f"{where}: {column} is shown to people and must not say UNCONFIRMED")
        result[row["key"]] = CaseType(
            key=row["key"],
            name=row["name"],
            court_type=row["court_type"],
            rule=row["rule"],
            when_court_closed=row["when_court_closed"],
            status=row["status"],
            not_confirmed=row["not_confirmed"],
            source_urls=split_list(row["source_url"]),
            source_date=row["source_date"],
            verified_on=row["verified_on"],
            verified_by=row["verified_by"],
        )
    return result


@functools.cache
def general_facts(path: Path = GENERAL_PATH) -> dict[str, dict[str, str]]:
    """Court facts that belong to no one court: the Judicial Branch's general line, the usual hours."""
    return unique_by_key(read_sourced_table(path, ("key", "name", "value", *SOURCE_COLUMNS)), path)


def general_fact(key: str) -> dict[str, str]:
    return general_facts()[key]


def court(key: str) -> Court:
    for candidate in courts():
        if candidate.key == key:
            return candidate
    raise KeyError(f"no court {key!r} in {COURTS_PATH.name}")


def case_type(key: str) -> CaseType:
    try:
        return case_types()[key]
    except KeyError:
        raise KeyError(f"no case type {key!r} in {CASE_TYPES_PATH.name}") from None


def courts_for_county(county: str, *, include_closed: bool = False) -> list[Court]:
    """The courts in a county, Superior Courts first, open ones only unless include_closed."""
    county = normalise_county(county)
    return [c for c in courts() if c.county == county and (include_closed or c.is_open)]


def where_cases_go(closed: Court) -> tuple[Court, ...]:
    """The open court(s) that took a closed court's cases, following a chain of closures."""
    found: list[Court] = []
    seen = {closed.key}
    pending = list(closed.cases_go_to)
    while pending:
        target = court(pending.pop(0))
        if target.key in seen:
            continue
        seen.add(target.key)
        if target.is_open:
            found.append(target)
        else:
            pending.extend(target.cases_go_to)
    return tuple(found)


def _sources(row: Court) -> dict:
    return {
        "source_urls": row.source_urls,
        "source_date": row.source_date,
        "verified_on": row.verified_on,
        "verified_by": row.verified_by,
    }


def general_line() -> CallNumber:
    fact = general_fact(GENERAL_LINE)
    return CallNumber(
        number=fact["value"],
        label=fact["name"],
        kind="judicial_branch",
        source_urls=split_list(fact["source_url"]),
        source_date=fact["source_date"],
        verified_on=fact["verified_on"],
        verified_by=fact["verified_by"],
    )


def shared_building(about: Court) -> Court | None:
    """An open court with a confirmed address in the building `about` is reported to be in, when `about`'s own
    address is not confirmed. That it is in the building rests on weaker sources (address_note says which):
    an answer that shows the building must say so."""
    if about.address_confirmed or not about.building:
        return None
    for neighbour in courts():
        if neighbour.building == about.building and neighbour.address_confirmed and neighbour.is_open:
            return neighbour
    return None


def number_to_call(about: Court) -> CallNumber:
    """The court's own clerk line; else a clerk line in the same building; else the Judicial Branch's line."""
    if not about.is_open:
        targets = where_cases_go(about)
        return number_to_call(targets[0]) if targets else general_line()
    if about.clerk_phone:
        return CallNumber(about.clerk_phone, f"{about.name} clerk", "court", **_sources(about), court=about.name)
    if about.building:
        for neighbour in courts():
            if neighbour.building == about.building and neighbour.clerk_phone and neighbour.is_open:
                label = f"{neighbour.name} clerk, in the same building ({about.building})"
                return CallNumber(neighbour.clerk_phone, label, "building", **_sources(neighbour), court=neighbour.name)
    return general_line()


def _courts_for(kind: CaseType, county: str) -> list[Court]:
    if kind.court_type == "district":
        return [c for c in courts() if c.county == county and c.court_type == "district"]
    if kind.court_type in ("superior", "unified_criminal_docket"):
        return [c for c in courts() if c.county == county and c.court_type == "superior"]
    return []  # court_of_conviction: the person's own case papers name it


def court_for_case_type(case_type_key: str, county: str) -> CourtAnswer:
    """Where to go in a county for a kind of case (see data/courts/case_types.csv for the keys)."""
    kind = case_type(case_type_key)
    county = normalise_county(county)
    in_county = _courts_for(kind, county)
    order: list[Court] = [c for c in in_county if c.is_open]
    took: dict[str, list[Court]] = {}
    closed = tuple(c for c in in_county if not c.is_open)
    for gone in closed:
        for target in where_cases_go(gone):
            if target not in order:
                order.append(target)
            took.setdefault(target.key, []).append(gone)
    choices = tuple(CourtChoice(c, number_to_call(c), tuple(took.get(c.key, ()))) for c in order)
    call = choices[0].call if len(choices) == 1 else general_line()
    return CourtAnswer(case_type=kind, county=county, choices=choices, closed=closed, call=call)


@dataclass(frozen=True)
class Advice:
    """One piece of advice for going to court (data/courts/guide.csv); `text` may hold {line_...} placeholders."""

    key: str
    topic: str  # "protection_order" or "any" court visit
    text: str
    provenance: Provenance


@functools.cache
def court_guide(path: Path = GUIDE_PATH) -> tuple[Advice, ...]:
    """The advice rows in file order; each names its source and the date it was checked."""
    rows = read_sourced_table(path, ("key", "topic", "text"))
    for row in rows:
        check_choice(f"{path.name}: {row['key']!r}", "topic", row["topic"], GUIDE_TOPICS)
        if NOT_A_FACT.search(row["text"]):
            raise DataError(f"{path.name}: {row['key']!r} shows an unconfirmed value")
    unique_by_key(rows, path)
    return tuple(Advice(row["key"], row["topic"], row["text"], Provenance.of(row)) for row in rows)


def advice_for(protection_order: bool) -> tuple[Advice, ...]:
    """Advice for a protection-order visit (its own rows first), or for any court visit."""
    return tuple(a for a in court_guide() if a.topic == "protection_order" and protection_order) + tuple(
        a for a in court_guide() if a.topic == "any"
    )
