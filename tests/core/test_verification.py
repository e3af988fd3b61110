"""make facts: every shown fact with its source and live check; the operator's checklist round trip."""

from __future__ import annotations

import csv
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlite_utils

from core.directory.build import build
from core.directory.schema import stable_id
from core.facts import read_lines
from core.paths import DATA_DIR, PLACES_DIR
from core.sources import DataError
from core.verification import CHECKLIST_COLUMNS, counts_by_kind, merge_checklist, shown_facts, write_checklist
from tools.facts import main

TODAY = date(2026, 12, 5)
PTLA = stable_id("service", "ptla-legal-aid")
KINDS = (
    "hotline",
    "legal contact",
    "court",
    "court information",
    "court rule",
    "court advice",
    "legal option",
    "legal form",
    "service",
)


@pytest.fixture
def data(tmp_path) -> Path:
    folder = tmp_path / "data"
    for part in ("facts", "legal", "courts", "directory"):
        shutil.copytree(DATA_DIR / part, folder / part)
    return folder


def fill(path: Path, filled: dict[str, tuple[str, str]]) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["key"] in filled:
            row["verified_on"], row["verified_by"] = filled[row["key"]]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CHECKLIST_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_every_kind_of_shown_fact_is_listed_and_none_is_verified_yet():
    facts = shown_facts()
    counts = counts_by_kind(facts)
    assert tuple(counts) == KINDS
    assert all(verified == 0 for verified, _ in counts.values())  # nobody has called anything yet
    assert counts["hotline"][1] == len(read_lines())
    assert counts["service"][1] == 46  # the shown services; an unconfirmed one is not listed
    keys = {fact.key for fact in facts}
    assert "line_dv" in keys and PTLA in keys and "madawaska_district" not in keys  # a closed court is not shown
    for fact in facts:
        assert fact.provenance.source_urls and fact.provenance.source_date, fact.key
        assert fact.stale(TODAY, 12) == (fact.age_months(TODAY) is None or fact.age_months(TODAY) > 12)


def test_the_checklist_round_trip_writes_checks_into_the_data_files(data, tmp_path):
    checklist = tmp_path / "checklist.csv"
    write_checklist(checklist, shown_facts(data))
    fill(checklist, {"line_dv": ("2026-12-04", "hotline desk (AB)"), PTLA: ("2026-12-04", "desk@example.org")})
    changes = merge_checklist(checklist, TODAY, data)
    assert {(c.file, c.key) for c in changes} == {("facts/lines.csv", "line_dv"), ("directory/services.csv", PTLA)}
    facts = {fact.key: fact for fact in shown_facts(data)}
    assert facts["line_dv"].verified and facts["line_dv"].provenance.verified_by == "hotline desk (AB)"
    assert facts[PTLA].provenance.verified_on == "2026-12-04"  # HSDS assured_date
    assert sum(fact.verified for fact in facts.values()) == 2
    # The files still pass every check, and HSDS's metadata records the change.
    read_lines(data / "facts" / "lines.csv")
    build(sqlite_utils.Database(memory=True), data / "directory", PLACES_DIR)
    with (data / "directory" / "metadata.csv").open(encoding="utf-8") as handle:
        log = list(csv.DictReader(handle))
    assert {(r["resource_id"], r["field_name"], r["previous_value"], r["replacement_value"]) for r in log} == {
        (PTLA, "assured_date", "none", "2026-12-04"),
        (PTLA, "assurer_email", "none", "desk@example.org"),
    }
    # Merging the same checklist again changes nothing.
    write_checklist(checklist, shown_facts(data))
    assert merge_checklist(checklist, TODAY, data) == []


@pytest.mark.parametrize(
    "key, check, problem",
    [
        ("line_dv", ("2026-12-31", "AB"), "verified_on 2026-12-31 is in the future"),
        ("line_dv", ("2026-12-01", ""), "without verified_by"),
        ("line_dv", ("", "AB"), "without verified_on"),
        ("line_dv", ("1 December", "AB"), "not a YYYY-MM-DD date"),
        (PTLA, ("2026-12-01", "AB"), "a role's mailbox"),
    ],
)
def test_a_bad_check_is_refused_and_changes_no_file(data, tmp_path, key, check, problem):
    checklist = tmp_path / "checklist.csv"
    write_checklist(checklist, shown_facts(data))
    fill(checklist, {key: check, "line_988": ("2026-12-01", "AB")})
    before = {path: path.read_bytes() for path in data.rglob("*.csv")}
    with pytest.raises(DataError, match=problem):
        merge_checklist(checklist, TODAY, data)
    assert {path: path.read_bytes() for path in data.rglob("*.csv")} == before


def test_make_facts_prints_writes_merges_and_gates(data, tmp_path, capsys):
    checklist = tmp_path / "checklist.csv"
    args = ["--checklist", str(checklist), "--data", str(data)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "| hotline | Maine Statewide Domestic Abuse Helpline" in out and "not checked live" in out
    shown = len(list(shown_facts(data)))
    assert shown > 100  # every phone number, address, option and form shown to people
    assert f"| all | 0 | {shown} |" in out
    assert main([*args, "--require-verified"]) == 1
    with checklist.open(encoding="utf-8") as handle:
        keys = [row["key"] for row in csv.DictReader(handle)]
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    fill(checklist, {key: (yesterday, "desk@example.org") for key in keys})
    assert main([*args, "--require-verified"]) == 0
    assert f"| all | {shown} | 0 |" in capsys.readouterr().out
