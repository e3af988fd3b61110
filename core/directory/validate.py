"""The checks every directory source passes before anything is built (Rasa-free).

These are the assistant's own rules, on top of HSDS 3's schema (core/directory/hsds.py): a row without a
source or its date, a live check without its day or checker (or in the future), an unknown county, a broken
reference, an unknown phone type or language, or a street address on a shelter fails the build with
DataError, naming each file, line and row. Shelter and safe-house addresses are never stored: an address on
any location of a safe-housing service is refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

from babel import Locale, UnknownLocaleError

from core.directory.schema import (
    AUDIENCES,
    FACT_STATUSES,
    LOCATION_TYPES,
    NEED_LINK_TYPE,
    NEED_ROLES,
    PHONE_TYPES,
    SAFE_HOUSING,
    SHOWN,
    SOURCE_BY_TABLE,
    SOURCES,
    STATEWIDE,
    Source,
)
from core.paths import DIRECTORY_DIR, PLACES_DIR
from core.places import COUNTIES
from core.sources import DataError, Row, problem_report, provenance_problems, read_rows

TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

Sources = dict[str, list[Row]]
Values = dict[str, str]


def read_sources(directory_dir: Path = DIRECTORY_DIR, places_dir: Path = PLACES_DIR) -> Sources:
    """Every source's rows; DataError when a file is missing or its columns are not the schema's."""
    folders = {"directory": Path(directory_dir), "places": Path(places_dir)}
    problems: list[str] = []
    sources: Sources = {}
    for source in SOURCES:
        path = folders[source.folder] / source.file
        try:
            sources[source.table] = read_rows(path, source.columns, label=source.label, key=source.key, exact=True)
        except DataError as error:
            problems.append(str(error))
    if problems:
        raise DataError(problem_report("the directory sources", problems))
    return sources


def check_sources(sources: Sources, today: date | None = None) -> None:
    """Raise DataError, naming file and row, for every row that breaks a rule."""
    problems: list[str] = []
    towns = {row.values["municipality"]: row.values["county"] for row in sources["municipality"]}
    places = {row.values["alias"]: row.values["county"] for row in sources["place_alias"]} | towns
    keys = {table: _keys(SOURCE_BY_TABLE[table], rows, problems) for table, rows in sources.items()}
    keys["municipality"] = set(towns)
    for source in SOURCES:
        for row in sources[source.table]:
            problems.extend(
                f"{row.where}: {problem}" for problem in _row_problems(source, row.values, keys, towns, places, today)
            )
    problems.extend(_shelter_addresses(sources))
    if problems:
        raise DataError(problem_report("the directory sources", problems))


def _keys(source: Source, rows: list[Row], problems: list[str]) -> set:
    seen: set = set()
    for row in rows:
        value = tuple(row.values[column] for column in source.key)
        if not all(value):
            problems.append(f"{row.where}: no {', '.join(source.key)}")
        elif value in seen:
            problems.append(f"{row.where}: duplicate {', '.join(source.key)}")
        seen.add(value)
    return {value[0] if len(value) == 1 else value for value in seen}


def _provenance(source: Source, v: Values, today: date | None) -> list[str]:
    if source.kind == "fact":
        # A service's live check is HSDS's assured_date / assurer_email (an email: HSDS says so).
        verified = ("assured_date", "assurer_email") if source.table == "service" else None
        problems = provenance_problems(v, verified=verified, today=today)
        if verified and v["assurer_email"] and not EMAIL.match(v["assurer_email"]):
            problems.append(f"assurer_email {v['assurer_email']!r} is not an email address (a role's mailbox)")
        return problems
    if source.kind == "place":
        return provenance_problems(v, source_dated=None, verified=None, dates=("last_checked",), today=today)
    if source.kind == "transliteration":  # a spelling made for the assistant: its source is the method
        return provenance_problems(v, ("source",), source=None, source_dated=None, verified=None, today=today)
    return []  # a vocabulary (the need categories) is ours; the change log is written by tools/facts.py


def _row_problems(
    source: Source, v: Values, keys: dict[str, set], towns: dict[str, str], places: dict[str, str], today: date | None
) -> Iterator[str]:
    yield from _provenance(source, v, today)
    if source.kind == "fact" and v["fact_status"] not in FACT_STATUSES:
        yield f"fact_status {v['fact_status']!r} is not one of {', '.join(FACT_STATUSES)}"
    for column, table in source.references.items():
        if v[column] and v[column] not in keys.get(table, set()):
            yield f"{column} {v[column]!r} is not an id in {SOURCE_BY_TABLE[table].file}"
    for column in source.integers:
        if v[column] and not v[column].isdigit():
            yield f"{column} {v[column]!r} is not a whole number"
    if source.kind == "fact" and v["fact_status"] != SHOWN and not v.get("county", "x"):
        return  # an unconfirmed row an import could not place in Maine: kept for checkers, never shown
    if source.table == "location":
        # A town the sources name may be a village ("South Paris"): its county must still be right when known.
        yield from _county_problems(v["county"], places, v["town"] if v["town"] in places else "")
    yield from TABLE_RULES.get(source.table, lambda v, towns: iter(()))(v, towns)


def _county_problems(county: str, towns: dict[str, str], municipality: str = "", statewide: bool = False):
    allowed = ", ".join(COUNTIES) + (f" or {STATEWIDE}" if statewide else "")
    if county not in COUNTIES and not (statewide and county == STATEWIDE):
        yield f"county {county!r} is not one of {allowed}"
    elif municipality and municipality not in towns:
        yield f"{municipality!r} is not a municipality in places/municipalities.csv"
    elif municipality and towns[municipality] != county:
        yield f"{municipality} is in {towns[municipality]} County, not {county}"


def _web_address(column: str, value: str) -> Iterator[str]:
    if value and not value.startswith(("http://", "https://")):
        yield f"{column} {value!r} is not an http(s) address"


def _organization_rules(v: Values, towns: dict[str, str]) -> Iterator[str]:
    yield from _web_address("website", v["website"])


def _service_rules(v: Values, towns: dict[str, str]) -> Iterator[str]:
    if v["audience"] not in AUDIENCES:
        yield f"audience {v['audience']!r} is not one of {', '.join(AUDIENCES)}"
    yield from _web_address("url", v["url"])


def _location_rules(v: Values, towns: dict[str, str]) -> Iterator[str]:
    if v["location_type"] not in LOCATION_TYPES:
        yield f"location_type {v['location_type']!r} is not one of {', '.join(LOCATION_TYPES)}"
    if not v["town"]:
        yield "no town"


def _address_rules(v: Values, towns: dict[str, str]) -> Iterator[str]:
    if not v["address_1"]:
        yield "no street address"


def _phone_rules(v: Values, towns: dict[str, str]) -> Iterator[str]:
    if not v["number"]:
        yield "no number"
    if v["type"] not in PHONE_TYPES:
        yield f"type {v['type']!r} is not one of {', '.join(PHONE_TYPES)}"
    if not (v["service_id"] or v["organization_id"]):
        yield "belongs to no service and no organization"


def _language_rules(v: Values, towns: dict[str, str]) -> Iterator[str]:
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


def _area_rules(v: Values, towns: dict[str, str]) -> Iterator[str]:
    yield from _county_problems(v["county"], towns, v["municipality"], statewide=True)
    if v["county"] == STATEWIDE and (v["municipality"] or v["part"]):
        yield "a statewide area names no municipality or part"


def _schedule_rules(v: Values, towns: dict[str, str]) -> Iterator[str]:
    if not v["description"]:
        yield "no description"
    for column in ("opens_at", "closes_at"):
        if v[column] and not TIME.match(v[column]):
            yield f"{column} {v[column]!r} is not HH:MM:SS"


def _attribute_rules(v: Values, towns: dict[str, str]) -> Iterator[str]:
    if v["link_entity"] != "service":
        yield f"link_entity {v['link_entity']!r}: only services carry needs"
    if v["link_type"] != NEED_LINK_TYPE:
        yield f"link_type {v['link_type']!r} is not {NEED_LINK_TYPE!r}"
    if v["value"] not in NEED_ROLES:
        yield f"value {v['value']!r} is not one of {', '.join(NEED_ROLES)}"


def _municipality_rules(v: Values, towns: dict[str, str]) -> Iterator[str]:
    yield from _county_problems(v["county"], towns)


def _alias_rules(v: Values, towns: dict[str, str]) -> Iterator[str]:
    yield from _county_problems(v["county"], towns, v["municipality"])


TABLE_RULES: dict[str, Callable[[Values, dict[str, str]], Iterator[str]]] = {
    "organization": _organization_rules,
    "service": _service_rules,
    "location": _location_rules,
    "address": _address_rules,
    "phone": _phone_rules,
    "language": _language_rules,
    "service_area": _area_rules,
    "schedule": _schedule_rules,
    "attribute": _attribute_rules,
    "municipality": _municipality_rules,
    "place_alias": _alias_rules,
    "place_alias_script": _alias_rules,
}


def _shelter_addresses(sources: Sources) -> list[str]:
    """A shelter's or safe house's address is never published (design.md, Facts): only its phone line."""
    safe_housing = {row.values["id"] for row in sources["taxonomy_term"] if row.values["code"] == SAFE_HOUSING}
    shelters = {row.values["link_id"] for row in sources["attribute"] if row.values["taxonomy_term_id"] in safe_housing}
    addressed = {row.values["location_id"] for row in sources["address"]}
    return [
        f"{row.where}: links safe-housing service {row.values['service_id']!r} to location "
        f"{row.values['location_id']!r}, which has a street address; "
        "shelter and safe-house addresses are never published"
        for row in sources["service_at_location"]
        if row.values["service_id"] in shelters and row.values["location_id"] in addressed
    ]
