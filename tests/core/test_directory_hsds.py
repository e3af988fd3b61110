"""The directory speaks HSDS 3.0: checked with frictionless against Open Referral's own schema, exported as a
package others can load, any valid package imported, and a round trip that changes no answer."""

from __future__ import annotations

import csv
import json
import shutil
import uuid
from pathlib import Path

import pytest
import sqlite_utils

from core.directory.build import build
from core.directory.exchange import UNDATED_IMPORT, export_package, import_package
from core.directory.hsds import check_folder
from core.directory.schema import DIRECTORY_NAMESPACE, HSDS_DIR, TABLES, stable_id
from core.directory.search import find_services, needs
from core.names import LAUNCH_LANGUAGES
from core.paths import DIRECTORY_DIR, PLACES_DIR
from core.places import COUNTIES
from core.sources import DataError
from tools.directory import main

EXAMPLES = HSDS_DIR / "examples"
pytestmark = pytest.mark.hsds  # frictionless takes seconds a package: make test runs these, make check does not


def rewrite(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = list(reader.fieldnames or []), list(reader)
    fields = change(fields, rows) or fields
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_our_directory_is_valid_hsds_3():
    check = check_folder(DIRECTORY_DIR, strict=True)
    assert check.valid, check.summary()
    assert set(check.tables) == {source.table for source in TABLES}


def test_the_vendored_schema_is_hsds_3_0_with_its_licence():
    package = json.loads((HSDS_DIR / "datapackage.json").read_text(encoding="utf-8"))
    assert package["version"] == "3.0.0" and package["license"]["type"] == "CC-BY-SA-4.0"
    assert "Creative Commons Attribution" in (HSDS_DIR / "LICENSE").read_text(encoding="utf-8")
    assert "3.0" in (HSDS_DIR / "VERSION").read_text(encoding="utf-8")


def test_open_referrals_examples_are_valid_hsds_3():
    check = check_folder(EXAMPLES, strict=False)
    assert check.valid, check.summary()
    assert len(check.tables) >= 20


def test_ids_are_uuid5_of_the_old_slugs_so_links_survive_rebuilds():
    assert stable_id("service", "ptla-legal-aid") == str(uuid.uuid5(DIRECTORY_NAMESPACE, "service/ptla-legal-aid"))
    with (DIRECTORY_DIR / "services.csv").open(encoding="utf-8") as handle:
        ids = {row["id"] for row in csv.DictReader(handle)}
    assert stable_id("service", "ptla-legal-aid") in ids


@pytest.mark.parametrize(
    "file, change, error",
    [
        ("services.csv", lambda f, rows: rows[0].update(id="maine-crisis-line"), r"services.csv:2 id: type-error"),
        ("services.csv", lambda f, rows: rows[0].update(status="open"), r"services.csv:2 status: constraint-error"),
        ("schedules.csv", lambda f, rows: rows[0].update(opens_at="8am"), r"schedules.csv:2 opens_at: type-error"),
        ("services.csv", lambda f, rows: rows[0].update(organization_id=str(uuid.uuid4())), r"foreign-key"),
        (
            "attributes.csv",
            lambda f, rows: [r.pop("link_entity") for r in rows] and f.remove("link_entity"),
            r"missing HSDS column\(s\) link_entity",
        ),
    ],
)
def test_a_package_that_breaks_hsds_is_refused_naming_file_row_and_column(tmp_path, file, change, error):
    folder = tmp_path / "directory"
    shutil.copytree(DIRECTORY_DIR, folder)
    rewrite(folder / file, change)
    check = check_folder(folder, strict=True)
    assert not check.valid
    assert any(__import__("re").search(error, problem) for found in check.problems.values() for problem in found), (
        check.summary()
    )
    with pytest.raises(DataError):
        import_package(folder, tmp_path / "into")


def test_our_layout_allows_only_declared_extension_columns(tmp_path):
    folder = tmp_path / "directory"
    shutil.copytree(DIRECTORY_DIR, folder)
    rewrite(folder / "phones.csv", lambda fields, rows: [*fields, "secret"])
    assert not check_folder(folder, strict=True).valid
    assert check_folder(folder, strict=False).valid  # someone else's package may carry its own extensions


def test_the_export_is_valid_hsds_3_and_holds_only_what_may_be_shown(tmp_path):
    counts = export_package(tmp_path / "out")
    check = check_folder(tmp_path / "out", strict=True)
    assert check.valid, check.summary()
    descriptor = json.loads((tmp_path / "out" / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["profile"] == "tabular-data-package" and len(descriptor["resources"]) == len(TABLES)
    for source in TABLES:
        with (tmp_path / "out" / source.file).open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) == counts[source.table]
        if source.kind == "fact":
            assert {row["fact_status"] for row in rows} <= {"sourced"}, source.file
    with (tmp_path / "out" / "phones.csv").open(encoding="utf-8") as handle:
        assert "207-780-1593" not in handle.read()  # an unconfirmed number stays home


def every_answer(db):
    for need in needs(db):
        for county in (None, *COUNTIES):
            for language in (None, *LAUNCH_LANGUAGES):
                for service in find_services(db, need, county, language, limit=5):
                    yield (
                        need,
                        county,
                        language,
                        service.id,
                        service.name,
                        [p.number for p in service.phones],
                        service.match,
                        service.speaks_language,
                        service.source_date,
                    )


def test_export_then_import_into_an_empty_directory_gives_the_same_answers(tmp_path):
    export_package(tmp_path / "out")
    into = tmp_path / "empty"
    report = import_package(tmp_path / "out" / "datapackage.json", into)
    assert not report.unconfirmed and not report.left_out
    assert check_folder(into, strict=True).valid
    ours, theirs = sqlite_utils.Database(memory=True), sqlite_utils.Database(memory=True)
    build(ours)
    build(theirs, into, PLACES_DIR)
    expected = list(every_answer(ours))
    assert len(expected) > 1000
    assert list(every_answer(theirs)) == expected


def test_open_referrals_example_imports_and_builds_and_nothing_undated_is_shown(tmp_path):
    report = import_package(EXAMPLES, tmp_path / "into")
    assert report.rows["service"] == 1 and report.rows["organization"] == 1
    assert "program" in report.tables_left_out
    db = sqlite_utils.Database(memory=True)
    build(db, tmp_path / "into", PLACES_DIR)
    with (tmp_path / "into" / "organizations.csv").open(encoding="utf-8") as handle:
        organization = next(csv.DictReader(handle))
    # The example dates its service (assured_date) but not its organisation: never shown as fact.
    assert (organization["fact_status"], organization["source_date"]) == ("unconfirmed", UNDATED_IMPORT)
    assert organization["source_url"] == "http://docs.openreferral.org"
    assert db.execute("select count(*) from service_rank").fetchone()[0] == 0


def test_a_package_that_does_not_say_where_it_comes_from_needs_a_source_url(tmp_path):
    folder = tmp_path / "package"
    shutil.copytree(EXAMPLES, folder)
    (folder / "datapackage.json").unlink()
    with pytest.raises(DataError, match="--source-url"):
        import_package(folder, tmp_path / "into")
    report = import_package(folder, tmp_path / "into", source_url="https://example.org/hsds")
    assert report.rows["service"] == 1


def test_full_text_search_narrows_a_need(tmp_path):
    db = sqlite_utils.Database(memory=True)
    build(db)
    found = find_services(db, "legal_help", words="farmworkers", limit=10)
    assert [service.name for service in found] == ["Pine Tree Legal Assistance Farmworker Unit"]
    assert find_services(db, "legal_help", words='"OR" NEAR(', limit=10) == []  # a person's words, not a query


def test_the_command_line_validates_exports_imports_and_makes_ids(tmp_path, capsys):
    assert main(["validate"]) == 0
    assert main(["export", "--out", str(tmp_path / "out")]) == 0
    assert "valid HSDS 3.0" in capsys.readouterr().out
    args = ["import", str(tmp_path / "out"), "--into", str(tmp_path / "in"), "--db", str(tmp_path / "in.db")]
    assert main(args) == 0
    assert "built" in capsys.readouterr().out
    assert main(["id", "service", "ptla-legal-aid"]) == 0
    assert capsys.readouterr().out.strip() == stable_id("service", "ptla-legal-aid")
    broken = tmp_path / "broken"
    shutil.copytree(DIRECTORY_DIR, broken)
    rewrite(broken / "services.csv", lambda fields, rows: rows[0].update(status="open"))
    assert main(["validate", str(broken)]) == 1
    assert main(["import", str(broken), "--into", str(tmp_path / "x"), "--db", str(tmp_path / "x.db")]) == 1
