"""The directory: built from the CSV sources by checked, idempotent steps, searched by need, county and
language; unconfirmed rows never shown, shelter addresses never stored."""

from __future__ import annotations

import csv
import dataclasses
import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from core.directory.build import DERIVED, build
from core.directory.report import unconfirmed_rows
from core.directory.schema import PROVENANCE, SOURCES, TABLES, stable_id
from core.directory.search import find_services, needs, open_directory
from core.names import LAUNCH_LANGUAGES
from core.paths import DIRECTORY_DIR, PLACES_DIR
from core.places import COUNTIES, resolve_place
from core.sources import DataError, source_date
from tests.conftest import PROJECT_ROOT
from tools.directory import main

TODAY = "2026-11-24"
LANGUAGES = (None, *LAUNCH_LANGUAGES)


@pytest.fixture(scope="module")
def real_db(tmp_path_factory) -> sqlite_utils.Database:
    path = tmp_path_factory.mktemp("directory") / "directory.db"
    build(sqlite_utils.Database(path))
    return open_directory(path)


def copy_sources(tmp_path: Path) -> tuple[Path, Path]:
    directory, places = tmp_path / "directory", tmp_path / "places"
    shutil.copytree(DIRECTORY_DIR, directory)
    shutil.copytree(PLACES_DIR, places)
    return directory, places


def edit_row(path: Path, column_key: str, key_value: str, column: str, value: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    matches = [row for row in rows if row[column_key] == key_value]
    assert len(matches) == 1, (path, key_value)
    matches[0][column] = value
    write_csv(path, fields, rows)


def write_csv(path: Path, fields, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# --- The data check ------------------------------------------------------------------------------------------


def sid(table: str, name: str) -> str:
    return stable_id(table, name)


@pytest.mark.parametrize(
    "file, key_column, key_value, column, value, message",
    [
        (
            "directory/phones.csv",
            "id",
            sid("phone", "safe-voices-helpline-phone-1"),
            "source_url",
            "",
            rf"directory/phones\.csv:\d+: '{sid('phone', 'safe-voices-helpline-phone-1')}': lacks source_url",
        ),
        (
            "directory/services.csv",
            "id",
            sid("service", "ptla-legal-aid"),
            "source_date",
            "",
            rf"directory/services\.csv:\d+: '{sid('service', 'ptla-legal-aid')}': lacks source_date",
        ),
        (
            "directory/schedules.csv",
            "id",
            sid("schedule", "ptla-legal-aid-hours-1"),
            "source_date",
            "last week",
            r"schedules\.csv:\d+: .*source_date 'last week' names no date",
        ),
        (
            "directory/languages.csv",
            "id",
            sid("language", "hope-and-justice-helpline-lang-fr"),
            "source_date",
            "2999-01-01",
            r"languages\.csv.*is in the future",
        ),
        (
            "directory/services.csv",
            "id",
            sid("service", "ptla-legal-aid"),
            "assured_date",
            "2026-01-05",
            r"assured_date 2026-01-05 without assurer_email",
        ),
        (
            "directory/services.csv",
            "id",
            sid("service", "ptla-legal-aid"),
            "assurer_email",
            "desk@example.org",
            r"assurer_email 'desk@example.org' without assured_date",
        ),
        (
            "directory/services.csv",
            "id",
            sid("service", "ptla-legal-aid"),
            "url",
            "ptla.org",
            r"url 'ptla.org' is not an http\(s\) address",
        ),
        (
            "directory/service_areas.csv",
            "id",
            sid("service_area", "safe-voices-helpline-area-1"),
            "county",
            "Narnia",
            rf"service_areas\.csv:\d+: '{sid('service_area', 'safe-voices-helpline-area-1')}': county 'Narnia' is not "
            r"one of Androscoggin, .*, York or statewide",
        ),
        (
            "directory/locations.csv",
            "id",
            sid("location", "ptla-lewiston"),
            "county",
            "Cumberland",
            r"locations\.csv:\d+: .*: Lewiston is in Androscoggin County, not Cumberland",
        ),
        (
            "directory/locations.csv",
            "id",
            sid("location", "ptla-lewiston"),
            "county",
            "statewide",
            r"county 'statewide' is not one of",
        ),
        (
            "places/municipalities.csv",
            "municipality",
            "Lewiston",
            "county",
            "Middlesex",
            r"places/municipalities\.csv:\d+: 'Lewiston': county 'Middlesex'",
        ),
        ("places/municipalities.csv", "municipality", "Lewiston", "source_url", "", r"'Lewiston': lacks source_url"),
        (
            "places/aliases.csv",
            "alias",
            "Springvale",
            "last_checked",
            "",
            r"aliases\.csv.*Springvale.*lacks last_checked",
        ),
        ("places/aliases_scripts.csv", "alias", "لويستون", "source", "", r"aliases_scripts\.csv.*: lacks source"),
        (
            "directory/phones.csv",
            "id",
            sid("phone", "ptla-legal-aid-phone-1"),
            "type",
            "fax",
            r"type 'fax' is not one of",
        ),
        (
            "directory/phones.csv",
            "id",
            sid("phone", "ptla-legal-aid-phone-1"),
            "service_id",
            "nobody",
            r"service_id 'nobody' is not an id in services\.csv",
        ),
        (
            "directory/languages.csv",
            "id",
            sid("language", "hope-and-justice-helpline-lang-fr"),
            "code",
            "xx",
            r"'xx' is not a language",
        ),
        (
            "directory/services.csv",
            "id",
            sid("service", "ptla-legal-aid"),
            "fact_status",
            "maybe",
            r"fact_status 'maybe' is not one of",
        ),
        (
            "directory/addresses.csv",
            "id",
            sid("address", "ptla-farmworker-unit-bangor"),
            "location_id",
            sid("location", "safe-voices-lewiston"),
            r"service_at_location\.csv:\d+: .*links safe-housing service .*"
            r"shelter and safe-house addresses are never published",
        ),
    ],
)
def test_a_row_that_breaks_a_rule_fails_the_build_naming_file_and_row(
    tmp_path, file, key_column, key_value, column, value, message
):
    directory, places = copy_sources(tmp_path)
    edit_row(tmp_path / file, key_column, key_value, column, value)
    with pytest.raises(DataError, match=message):
        build(sqlite_utils.Database(memory=True), directory, places)


def test_an_unknown_column_fails_the_build(tmp_path):
    directory, places = copy_sources(tmp_path)
    text = (directory / "phones.csv").read_text(encoding="utf-8").replace("description,", "notes,", 1)
    (directory / "phones.csv").write_text(text, encoding="utf-8")
    message = r"directory/phones\.csv: columns missing \['description'\], unknown \['notes'\]"
    with pytest.raises(DataError, match=message):
        build(sqlite_utils.Database(memory=True), directory, places)


def test_a_failed_build_leaves_the_previous_database_as_it_was(tmp_path):
    path = tmp_path / "directory.db"
    counts = build(sqlite_utils.Database(path))
    directory, places = copy_sources(tmp_path)
    edit_row(directory / "phones.csv", "id", sid("phone", "ptla-legal-aid-phone-1"), "source_url", "")
    with pytest.raises(DataError):
        build(sqlite_utils.Database(path), directory, places)
    db = sqlite_utils.Database(path)
    assert {source.table: db[source.table].count for source in TABLES} == counts


def test_building_twice_gives_the_same_database(tmp_path):
    path = tmp_path / "directory.db"
    first = build(sqlite_utils.Database(path))
    dump = list(sqlite_utils.Database(path).iterdump())
    second = build(sqlite_utils.Database(path))
    assert first == second
    assert list(sqlite_utils.Database(path).iterdump()) == dump
    for source in TABLES:
        with (DIRECTORY_DIR / source.file).open(encoding="utf-8", newline="") as handle:
            assert first[source.table] == len(list(csv.DictReader(handle))), source.file
    # The place files are checked, not built in: core/places.py reads them.
    built = {table for table in sqlite_utils.Database(path).table_names() if not table.startswith("service_fts")}
    assert built == {source.table for source in TABLES} | set(DERIVED)


def test_the_command_line_builds_and_reports(tmp_path, capsys):
    path = tmp_path / "sub" / "directory.db"
    assert main(["build", "--db", str(path)]) == 0
    assert "service 4" in capsys.readouterr().out
    assert main(["report", "--db", str(path)]) == 0
    assert "| phone |" in capsys.readouterr().out
    directory, places = copy_sources(tmp_path)
    edit_row(directory / "services.csv", "id", sid("service", "vlp-legal-help"), "source_date", "")
    assert main(["build", "--db", str(path), "--directory", str(directory), "--places", str(places)]) == 1
    assert sid("service", "vlp-legal-help") in capsys.readouterr().err


def test_the_built_directory_opens_read_only(real_db):
    with pytest.raises(sqlite3.OperationalError):
        real_db.execute("delete from phone")
    assert real_db.execute("select count(*) from phone").fetchone()[0] > 0


# --- Ranking, on a small fixture -----------------------------------------------------------------------------

FIXTURE_SERVICES = {
    # id: (areas as (county, municipality, part), languages, interpretation, status, phone status)
    "local": ([("Androscoggin", "", "")], [], "", "sourced", "sourced"),
    "statewide-speaks-es": ([("statewide", "", "")], ["es"], "", "sourced", "sourced"),
    "statewide-interpreter": ([("statewide", "", "")], [], "Interpreter on the line", "sourced", "sourced"),
    "statewide-silent": ([("statewide", "", "")], [], "", "sourced", "sourced"),
    "unconfirmed-local-es": ([("Androscoggin", "", "")], ["es"], "", "unconfirmed", "sourced"),
    "unreachable-local": ([("Androscoggin", "", "")], ["es"], "", "sourced", "unconfirmed"),
    "lewiston-only": ([("Androscoggin", "Lewiston", "")], [], "", "sourced", "sourced"),
    "eastern-cumberland": ([("Cumberland", "", "eastern Cumberland")], [], "", "sourced", "sourced"),
    "other-county": ([("York", "", "")], ["es"], "", "sourced", "sourced"),
}


def provenance(status: str = "sourced") -> dict:
    return {
        "source_url": "https://example.org/page",
        "source_date": "undated",
        "checked_against": "test fixture",
        "fact_status": status,
        "fact_note": "",
    }


LEGAL_HELP = stable_id("taxonomy_term", "legal_help")


@pytest.fixture
def fixture_db(tmp_path) -> sqlite_utils.Database:
    directory = tmp_path / "directory"
    directory.mkdir()
    vocabularies = [source for source in TABLES if source.kind == "vocabulary"]
    for source in vocabularies:
        shutil.copy(DIRECTORY_DIR / source.file, directory)
    tables: dict[str, list[dict]] = {source.table: [] for source in TABLES}
    tables["organization"].append({"id": "org", "name": "Org", "description": "An organization", **provenance()})
    for ident, (areas, languages, interpretation, status, phone_status) in FIXTURE_SERVICES.items():
        tables["service"].append(
            {
                "id": ident,
                "organization_id": "org",
                "name": ident,
                "description": f"{ident} help",
                "status": "active",
                "interpretation_services": interpretation,
                "audience": "anyone",
                **provenance(status),
            }
        )
        tables["attribute"].append(
            {
                "id": f"{ident}-need",
                "link_type": "need",
                "link_entity": "service",
                "link_id": ident,
                "taxonomy_term_id": LEGAL_HELP,
                "value": "primary",
                **provenance(status),
            }
        )
        tables["phone"].append(
            {
                "id": f"{ident}-phone",
                "service_id": ident,
                "number": f"555-{ident}",
                "type": "voice",
                **provenance(phone_status),
            }
        )
        for n, (county, municipality, part) in enumerate(areas):
            tables["service_area"].append(
                {
                    "id": f"{ident}-area-{n}",
                    "service_id": ident,
                    "county": county,
                    "municipality": municipality,
                    "part": part,
                    **provenance(),
                }
            )
        for code in languages:
            tables["language"].append(
                {"id": f"{ident}-{code}", "service_id": ident, "code": code, "name": code, **provenance()}
            )
    tables["phone"].append(
        {
            "id": "statewide-speaks-es-old",
            "service_id": "statewide-speaks-es",
            "number": "555-old",
            "type": "voice",
            **provenance("unconfirmed"),
        }
    )
    for source in TABLES:
        if source not in vocabularies:
            write_csv(directory / source.file, source.columns, tables[source.table])
    db = sqlite_utils.Database(memory=True)
    build(db, directory, PLACES_DIR)
    return db


def names(results) -> list[str]:
    return [service.name for service in results]


@pytest.mark.parametrize(
    "county, municipality, language, expected",
    [
        # The county's own services first, then statewide ones.
        (
            "Androscoggin",
            None,
            None,
            ["local", "lewiston-only", "statewide-interpreter", "statewide-silent", "statewide-speaks-es"],
        ),
        # A service for one town counts as local for that town, partly local for its county, not for another town.
        (
            "Androscoggin",
            "Lewiston",
            None,
            ["lewiston-only", "local", "statewide-interpreter", "statewide-silent", "statewide-speaks-es"],
        ),
        ("Androscoggin", "Auburn", None, ["local", "statewide-interpreter", "statewide-silent", "statewide-speaks-es"]),
        # Within the same reach: staff who speak the language, then an interpreter, then nothing said.
        ("Penobscot", None, "es", ["statewide-speaks-es", "statewide-interpreter", "statewide-silent"]),
        # Reach comes before language.
        (
            "Androscoggin",
            None,
            "es",
            ["local", "lewiston-only", "statewide-speaks-es", "statewide-interpreter", "statewide-silent"],
        ),
        (
            "Cumberland",
            "Portland",
            None,
            ["eastern-cumberland", "statewide-interpreter", "statewide-silent", "statewide-speaks-es"],
        ),
    ],
)
def test_ranking(fixture_db, county, municipality, language, expected):
    results = find_services(fixture_db, "legal_help", county, language, limit=10, municipality=municipality)
    assert names(results) == expected


def test_match_and_language_are_reported(fixture_db):
    results = find_services(fixture_db, "legal_help", "Androscoggin", "es", limit=10)
    assert [(s.name, s.match, s.speaks_language) for s in results][:3] == [
        ("local", "county", False),
        ("lewiston-only", "part_of_county", False),
        ("statewide-speaks-es", "statewide", True),
    ]
    assert {s.match for s in find_services(fixture_db, "legal_help", limit=10)} == {"any"}


def test_unconfirmed_rows_are_never_returned(fixture_db):
    for county in (None, *COUNTIES):
        for language in LANGUAGES:
            results = find_services(fixture_db, "legal_help", county, language, limit=20)
            assert not {"unconfirmed-local-es", "unreachable-local"} & set(names(results))
            assert "555-old" not in {phone.number for service in results for phone in service.phones}


def test_limit_and_unknown_needs_or_counties(fixture_db):
    assert len(find_services(fixture_db, "legal_help", "Androscoggin")) == 3
    assert find_services(fixture_db, "safe_housing") == []
    assert names(find_services(fixture_db, "legal_help", "york county", limit=1)) == ["other-county"]
    with pytest.raises(ValueError, match="unknown need 'lawyers'"):
        find_services(fixture_db, "lawyers")
    with pytest.raises(ValueError, match="unknown county 'Narnia'"):
        find_services(fixture_db, "legal_help", "Narnia")


# --- The real data -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "town, need, first, phone, also",
    [
        ("Lewiston", "legal_help", "Pine Tree Legal Assistance", "207-784-1558", ["Maine Volunteer Lawyers Project"]),
        ("Portland", "legal_help", None, None, ["Pine Tree Legal Assistance", "Maine Volunteer Lawyers Project"]),
        ("Bangor", "legal_help", None, None, ["Pine Tree Legal Assistance", "Maine Volunteer Lawyers Project"]),
        ("Lewiston", "safe_housing", "Safe Voices", "1-800-559-2927", ["Maine Statewide Domestic Abuse Helpline"]),
        (
            "Portland",
            "safe_housing",
            "Through These Doors",
            "1-800-537-6066",
            ["Maine Statewide Domestic Abuse Helpline"],
        ),
        ("Bangor", "safe_housing", "Partners for Peace", None, ["Maine Statewide Domestic Abuse Helpline"]),
        (
            "Lewiston",
            "immigration_legal_help",
            "Immigrant Legal Advocacy Project",
            None,
            ["Maine Immigrant & Refugee Services"],
        ),
        ("Portland", "immigration_legal_help", None, None, ["Immigrant Legal Advocacy Project"]),
        (
            "Bangor",
            "immigration_legal_help",
            "Immigrant Legal Advocacy Project",
            None,
            ["Catholic Charities Maine Refugee & Immigration Services"],
        ),
    ],
)
def test_real_directory_answers_for_lewiston_portland_and_bangor(real_db, town, need, first, phone, also):
    place = resolve_place(town)
    results = find_services(real_db, need, place.county, municipality=place.municipality)
    assert len(results) == 3
    assert set(also) <= set(names(results))
    if first:
        assert results[0].name == first
    if phone:
        assert results[0].phones[0].number == phone
    assert results[0].match == ("statewide" if (town, need) == ("Bangor", "immigration_legal_help") else "county")


@pytest.mark.parametrize(
    "town, number", [("Lewiston", "207-784-1558"), ("Portland", "207-774-8211"), ("Bangor", "207-942-8241")]
)
def test_legal_aid_gives_the_local_office_phone_first(real_db, town, number):
    place = resolve_place(town)
    ptla = next(
        s
        for s in find_services(real_db, "legal_help", place.county, limit=10)
        if s.id == sid("service", "ptla-legal-aid")
    )
    assert ptla.phones[0].number == number
    assert ptla.phones[0].office == town


def test_every_county_gets_an_answer_for_every_need(real_db):
    for need in needs(real_db):
        for county in COUNTIES:
            assert find_services(real_db, need, county), (need, county)


def every_result(db):
    for need in needs(db):
        for county in (None, *COUNTIES):
            for language in LANGUAGES:
                yield from find_services(db, need, county, language, limit=100)


def test_every_returned_fact_carries_its_source_and_date(real_db):
    seen = 0
    for service in every_result(real_db):
        facts = [
            service,
            *service.phones,
            *service.hours,
            *service.languages,
            *service.websites,
            *service.offices,
            *service.areas,
        ]
        for fact in facts:
            assert fact.source_url.startswith("http"), (service.id, fact)
            assert source_date(fact.source_date) or "undated" in fact.source_date, (service.id, fact)
            seen += 1
        assert not service.provenance.verified  # nobody has checked a service live yet
        assert service.phones or service.websites, service.id
    assert seen > 1000


def test_unconfirmed_facts_never_reach_a_result(real_db):
    unconfirmed = {(table, row["id"]) for table, row in unconfirmed_rows(real_db)}
    assert ("phone", sid("phone", "ilap-immigration-legal-help-phone-1")) in unconfirmed
    sourced_numbers = {row["number"] for row in real_db.query("select number from phone where fact_status = 'sourced'")}
    hidden_numbers = {row["number"] for table, row in unconfirmed_rows(real_db) if table == "phone"} - sourced_numbers
    assert "207-780-1593" in hidden_numbers
    hidden_hours = {
        (row["service_id"], row["description"]) for table, row in unconfirmed_rows(real_db) if table == "schedule"
    }
    for service in every_result(real_db):
        assert ("service", service.id) not in unconfirmed
        assert not hidden_numbers & {phone.number for phone in service.phones}, service.id
        assert not {(service.id, h.description) for h in service.hours} & hidden_hours, service.id
    ircm = find_services(real_db, "counselling", "Androscoggin", "so", limit=20)
    assert next(s for s in ircm if s.id == sid("service", "ircm-gender-based-violence")).speaks_language is False


def test_shelters_have_no_street_address(real_db):
    query = "select service_id from service_need where need = 'safe_housing'"
    shelters = {row["service_id"] for row in real_db.query(query)}
    assert len(shelters) > 10
    addressed = real_db.query(
        "select sal.service_id from service_at_location sal join address on address.location_id = sal.location_id"
    )
    assert not shelters & {row["service_id"] for row in addressed}
    for county in COUNTIES:
        for service in find_services(real_db, "safe_housing", county, limit=100):
            assert all(not office.address for office in service.offices), service.id


def test_a_crisis_line_always_has_a_number_to_call(real_db):
    for county in COUNTIES:
        for service in find_services(real_db, "crisis_line", county, limit=100):
            assert service.phones, (county, service.id)
    bangor = find_services(real_db, "crisis_line", "Penobscot")
    assert sid("service", "partners-for-peace-helpline") not in [s.id for s in bangor]
    safe_housing = find_services(real_db, "safe_housing", "Penobscot")
    assert sid("service", "partners-for-peace-helpline") in [s.id for s in safe_housing]


def test_language_ranking_on_the_real_data(real_db):
    results = find_services(real_db, "crisis_line", "Aroostook", "fr")
    assert (results[0].name, results[0].speaks_language) == ("Hope & Justice Project", True)
    spanish = find_services(real_db, "labour_rights", "Washington", "es")
    assert spanish[0].speaks_language is True


def test_a_result_carries_what_a_reply_shows_and_its_source(real_db):
    result = find_services(real_db, "crisis_line", "York")[0]
    wanted = {"name", "organization", "phones", "hours", "languages", "eligibility", "source_url", "source_date"}
    assert wanted <= {field.name for field in dataclasses.fields(result)} | {"assured_date", "assurer_email"}
    assert result.provenance.source_urls and not result.provenance.verified


def test_every_fact_file_has_the_provenance_columns():
    for source in SOURCES:
        if source.kind == "fact":
            assert set(PROVENANCE) <= set(source.columns), source.file


def test_the_docs_list_every_unconfirmed_row(real_db):
    docs = (PROJECT_ROOT / "docs" / "directory.md").read_text(encoding="utf-8")
    missing = [row["id"] for _, row in unconfirmed_rows(real_db) if f"`{row['id']}`" not in docs]
    assert missing == []


def test_the_docs_give_each_file_its_row_count(real_db):
    docs = (PROJECT_ROOT / "docs" / "directory.md").read_text(encoding="utf-8")
    for source in SOURCES:
        row = next(line for line in docs.splitlines() if line.startswith(f"| data/{source.label} |"))
        if source in TABLES:
            count = real_db[source.table].count
        else:
            with (PLACES_DIR / source.file).open(encoding="utf-8", newline="") as handle:
                count = len(list(csv.DictReader(handle)))
        assert f"| {count} |" in row, row
