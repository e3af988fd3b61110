"""Every fact the assistant shows people, where it comes from, and whether a person has checked it live
(Rasa-free): the operator's checklist behind `make facts` (tools/facts.py, docs/facts.md).

A fact is one row of a data file that reaches an answer: a hotline, a legal contact, a court (address, clerk,
hours), a court rule or piece of advice, a legal option or form, a service of the directory (its phones,
hours and languages are checked with it: HSDS records a check per service). The checklist CSV lists them for
an operator who calls or reads the official page; `merge_checklist` writes what they filled back into the
data files: `verified_on` / `verified_by`, and for a service HSDS's `assured_date` / `assurer_email` with the
change recorded in HSDS's `metadata` table. Nothing here invents a check: a row gets a date only from the
operator's file, and the usual data checks (core/sources.py) refuse a date in the future or without a checker.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from core.directory.schema import SHOWN, stable_id
from core.facts import publisher
from core.paths import DATA_DIR
from core.sources import DataError, Provenance, read_rows, source_date, split_list, verification_problems

CHECKLIST_COLUMNS = (
    "kind",
    "file",
    "key",
    "what",
    "source_url",
    "source_date",
    "verified_on",
    "verified_by",
)
SERVICES = "directory/services.csv"
METADATA = "directory/metadata.csv"
# The HSDS columns a service's live check is written to.
SERVICE_CHECK = ("assured_date", "assurer_email")


@dataclass(frozen=True)
class ShownFact:
    kind: str  # hotline, legal contact, court, court information, court rule, court advice, legal option, ...
    file: str  # relative to data/: "facts/lines.csv"
    key: str  # the row's key in that file
    what: str  # what a person is told, shortly
    provenance: Provenance

    @property
    def verified(self) -> bool:
        return self.provenance.verified

    def age_months(self, today: date) -> int | None:
        """Whole months since the source's own date; None when it is undated."""
        dated = source_date(self.provenance.source_date)
        if dated is None:
            return None
        return (today.year - dated.day.year) * 12 + today.month - dated.day.month - (today.day < dated.day.day)

    def stale(self, today: date, max_months: int) -> bool:
        """Older than max_months, or undated: a page of unknown age is not trusted as recent."""
        age = self.age_months(today)
        return age is None or age > max_months

    @property
    def publisher(self) -> str:
        return publisher(self.provenance.source_urls[0]) if self.provenance.source_urls else ""


@dataclass(frozen=True)
class FactFile:
    """A data file whose rows are shown: how to read a row's key and describe it, and where its check goes."""

    kind: str
    file: str  # relative to data/
    key: str
    describe: Callable[[dict[str, str]], str]
    shown: Callable[[dict[str, str]], bool] = lambda row: True
    checked: tuple[str, str] = ("verified_on", "verified_by")


def _join(*parts: str) -> str:
    return "; ".join(part for part in parts if part)


FACT_FILES = (
    FactFile("hotline", "facts/lines.csv", "key", lambda r: f"{r['name']}: {r['value']}"),
    FactFile("legal contact", "legal/contacts.csv", "key", lambda r: f"{r['name']}: {r['value']}"),
    FactFile(
        "court",
        "courts/courts.csv",
        "key",
        lambda r: _join(r["name"], r["address"] and f"{r['address']}, {r['town']}", r["clerk_phone"], r["hours"]),
        shown=lambda r: r["status"] == "open",
    ),
    FactFile("court information", "courts/general.csv", "key", lambda r: f"{r['name']}: {r['value']}"),
    FactFile("court rule", "courts/case_types.csv", "key", lambda r: f"{r['name']}: {r['rule']}"),
    FactFile("court advice", "courts/guide.csv", "key", lambda r: r["text"]),
    FactFile("legal option", "legal/options.csv", "key", lambda r: _join(r["name"], r["fee"], r["who_can_get_it"])),
    FactFile("legal form", "legal/forms.csv", "form", lambda r: f"{r['form']}: {r['what_it_is']}"),
)


def _read(path: Path) -> list[dict[str, str]]:
    return [row.values for row in read_rows(path, ())]


def _service_facts(data_dir: Path) -> Iterator[ShownFact]:
    """The shown services, each with what an answer shows of it (phones, hours, languages)."""
    directory = data_dir / "directory"
    organizations = {r["id"]: r for r in _read(directory / "organizations.csv") if r["fact_status"] == SHOWN}
    extras: dict[str, list[str]] = {}
    for file, describe in (
        ("phones.csv", lambda r: f"{r['type']} {r['number']}"),
        ("schedules.csv", lambda r: r["description"]),
        ("languages.csv", lambda r: r["name"]),
    ):
        for row in _read(directory / file):
            if row["fact_status"] == SHOWN:
                extras.setdefault(row["service_id"], []).append(describe(row))
    for row in _read(data_dir / SERVICES):
        if row["fact_status"] != SHOWN or row["organization_id"] not in organizations:
            continue
        yield ShownFact(
            "service",
            SERVICES,
            row["id"],
            _join(row["name"], *extras.get(row["id"], [])),
            Provenance(split_list(row["source_url"]), row["source_date"], *(row[c] for c in SERVICE_CHECK)),
        )


def shown_facts(data_dir: Path = DATA_DIR) -> list[ShownFact]:
    """Every fact shown to people, by kind, in file order."""
    found = []
    for fact_file in FACT_FILES:
        for row in _read(data_dir / fact_file.file):
            if fact_file.shown(row):
                found.append(
                    ShownFact(
                        fact_file.kind,
                        fact_file.file,
                        row[fact_file.key],
                        fact_file.describe(row),
                        Provenance.of(row),
                    )
                )
    found.extend(_service_facts(data_dir))
    return found


def counts_by_kind(facts: list[ShownFact]) -> dict[str, tuple[int, int]]:
    """kind -> (verified, unverified)."""
    verified = Counter(fact.kind for fact in facts if fact.verified)
    unverified = Counter(fact.kind for fact in facts if not fact.verified)
    return {kind: (verified[kind], unverified[kind]) for kind in dict.fromkeys(fact.kind for fact in facts)}


# --- The operator's CSV --------------------------------------------------------------------------------------


def write_checklist(path: Path, facts: list[ShownFact]) -> None:
    """The CSV an operator fills while calling: one row per fact, its current check (if any) prefilled."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CHECKLIST_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for fact in facts:
            writer.writerow(
                {
                    "kind": fact.kind,
                    "file": fact.file,
                    "key": fact.key,
                    "what": fact.what,
                    "source_url": " ; ".join(fact.provenance.source_urls),
                    "source_date": fact.provenance.source_date,
                    "verified_on": fact.provenance.verified_on,
                    "verified_by": fact.provenance.verified_by,
                }
            )


@dataclass(frozen=True)
class Change:
    file: str
    key: str
    verified_on: str
    verified_by: str


def read_checklist(path: Path, today: date | None = None, data_dir: Path = DATA_DIR) -> list[Change]:
    """The rows an operator filled in that differ from the data; DataError naming every bad row at once."""
    today = today or date.today()
    current = {(fact.file, fact.key): fact for fact in shown_facts(data_dir)}
    problems, changes = [], []
    for row in read_rows(path, CHECKLIST_COLUMNS, key=("file", "key")):
        values = row.values
        fact = current.get((values["file"], values["key"]))
        if fact is None:
            problems.append(f"{row.where}: no shown fact {values['key']!r} in {values['file']}")
            continue
        if (values["verified_on"], values["verified_by"]) == (fact.provenance.verified_on, fact.provenance.verified_by):
            continue
        if not values["verified_on"] and not values["verified_by"]:
            continue  # a check is never taken back by a blank cell: edit the data file for that
        found = verification_problems(values, today)
        if fact.kind == "service" and values["verified_by"] and "@" not in values["verified_by"]:
            found.append("a service's checker is HSDS's assurer_email: give a role's mailbox (desk@example.org)")
        problems.extend(f"{row.where}: {problem}" for problem in found)
        if not found:
            changes.append(Change(values["file"], values["key"], values["verified_on"], values["verified_by"]))
    if problems:
        raise DataError(f"{len(problems)} problem(s) in {path.name}:\n" + "\n".join(f"  {p}" for p in problems))
    return changes


def merge_checklist(path: Path, today: date | None = None, data_dir: Path = DATA_DIR) -> list[Change]:
    """Write the operator's checks into the data files; returns what changed. All or nothing: a bad row in
    the checklist changes no file."""
    changes = read_checklist(path, today, data_dir)
    by_file: dict[str, dict[str, Change]] = {}
    for change in changes:
        by_file.setdefault(change.file, {})[change.key] = change
    checked_columns = {f.file: (f.key, f.checked) for f in FACT_FILES} | {SERVICES: ("id", SERVICE_CHECK)}
    for file, found in by_file.items():
        key, (on, by) = checked_columns[file]
        previous = _rewrite(data_dir / file, key, {k: {on: c.verified_on, by: c.verified_by} for k, c in found.items()})
        if file == SERVICES:
            _record_in_metadata(data_dir / METADATA, list(found.values()), previous)
    return changes


def _rewrite(path: Path, key: str, updates: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Set columns of rows by key, keeping every other byte of meaning; returns the rows as they were."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = list(reader.fieldnames or []), list(reader)
    previous = {}
    for row in rows:
        if row[key] in updates:
            previous[row[key]] = dict(row)
            row.update(updates[row[key]])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return previous


def _record_in_metadata(path: Path, changes: list[Change], previous: dict[str, dict[str, str]]) -> None:
    """HSDS's way to record a change: one metadata row per field changed (HSDS requires every value, so a
    first check's previous value is "none")."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = list(reader.fieldnames or []), list(reader)
    for change in changes:
        for column, value in zip(SERVICE_CHECK, (change.verified_on, change.verified_by), strict=True):
            before = previous.get(change.key, {}).get(column) or "none"
            if before == value:
                continue
            rows.append(
                {
                    "id": stable_id("metadata", f"{change.key}/{column}/{change.verified_on}"),
                    "resource_id": change.key,
                    "resource_type": "service",
                    "last_action_date": change.verified_on,
                    "last_action_type": "update",
                    "field_name": column,
                    "previous_value": before,
                    "replacement_value": value,
                    "updated_by": change.verified_by,
                }
            )
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
