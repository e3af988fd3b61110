"""Exchanging the directory with other services as HSDS 3.0 tabular data packages (Rasa-free).

`export_package` writes what the assistant may show (sourced rows whose owners are shown too) as a valid
HSDS 3.0 package: HSDS's files and columns, our extension columns after them, and a datapackage.json
describing both. `import_package` reads any valid HSDS 3.0 package (checked first with frictionless against
the vendored schema, core/directory/hsds.py) into a folder laid out like data/directory/, which the usual
checks and build then read (tools/directory.py, make directory-import). An imported row keeps its own
provenance when it has ours; otherwise its source is the package's own web address and its date the
service's `assured_date` or HSDS's `metadata` for that row. A row with no such date is marked unconfirmed:
never shown as fact. What our directory cannot hold is left out and counted, never silently.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from core.directory.hsds import check_folder, descriptor
from core.directory.schema import (
    AUDIENCES,
    NEED_LINK_TYPE,
    NEED_ROLES,
    PHONE_TYPES,
    SHOWN,
    TABLES,
    Source,
)
from core.directory.validate import read_sources
from core.paths import DIRECTORY_DIR, PLACES_DIR
from core.places import COUNTIES, municipalities
from core.sources import DataError

UNDATED_IMPORT = "undated (the imported package gives no date for it)"
# A row is about nothing without these: it is left out when the row they name is not in the package.
OWNERS = {
    "service": ("organization_id",),
    "service_at_location": ("service_id", "location_id"),
    "address": ("location_id",),
    "language": ("service_id",),
    "service_area": ("service_id",),
    "schedule": ("service_id",),
    "attribute": ("link_id", "taxonomy_term_id"),
}
# HSDS's RFC 6350 phone types as ours; a fax or pager number is no way for a person to reach help.
PHONE_TYPE_OF = {"voice": "voice", "cell": "voice", "text": "text", "textphone": "textphone", "whatsapp": "whatsapp"}


@dataclass
class ImportReport:
    rows: Counter = field(default_factory=Counter)  # table -> rows written
    unconfirmed: Counter = field(default_factory=Counter)  # table -> rows marked unconfirmed
    left_out: Counter = field(default_factory=Counter)  # "why" -> rows left out
    tables_left_out: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = ["imported: " + ", ".join(f"{table} {count}" for table, count in self.rows.items())]
        if self.unconfirmed:
            lines.append(
                "marked unconfirmed (never shown): " + ", ".join(f"{t} {n}" for t, n in self.unconfirmed.items())
            )
        if self.left_out:
            lines.append("left out: " + "; ".join(f"{n} {why}" for why, n in self.left_out.items()))
        if self.tables_left_out:
            lines.append("HSDS tables this directory does not hold: " + ", ".join(self.tables_left_out))
        return "\n".join(lines)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items() if k is not None} for row in csv.DictReader(handle)]


def _write(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows({column: row.get(column, "") for column in columns} for row in rows)


# --- Export ------------------------------------------------------------------------------------------------


def export_package(out: Path, directory_dir: Path = DIRECTORY_DIR, places_dir: Path = PLACES_DIR) -> dict[str, int]:
    """Write the shown directory as an HSDS 3.0 package into `out`; returns the rows written per table."""
    sources = read_sources(directory_dir, places_dir)
    rows = {table: [row.values for row in found] for table, found in sources.items()}
    kept: dict[str, set[str]] = {}
    result: dict[str, list[dict[str, str]]] = {}
    for source in TABLES:
        shown = []
        for row in rows[source.table]:
            if source.kind == "fact" and row["fact_status"] != SHOWN:
                continue
            if any(row[column] and row[column] not in kept.get(table, set()) for column, table in _facts(source)):
                continue
            shown.append(row)
        if source.table == "metadata":
            exported = set().union(*kept.values())
            shown = [row for row in shown if row["resource_id"] in exported]
        kept[source.table] = {row["id"] for row in shown}
        result[source.table] = shown
    out.mkdir(parents=True, exist_ok=True)
    for source in TABLES:
        _write(out / source.file, source.columns, result[source.table])
    package = descriptor(out, [source.table for source in TABLES])
    package |= {
        "name": "maine-survivor-services",
        "title": "Services for survivors of trafficking and of sexual and domestic violence in Maine",
        "description": "Open Referral HSDS 3.0 tables with extension columns: every row names its source "
        "(source_url, source_date); a person's live check of a service is assured_date / assurer_email.",
        "version": "3.0.0",
    }
    (out / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return {table: len(found) for table, found in result.items()}


def _facts(source: Source) -> list[tuple[str, str]]:
    """The references of a table to fact tables (a vocabulary is always exported)."""
    vocabularies = {s.table for s in TABLES if s.kind != "fact"}
    return [(column, table) for column, table in source.references.items() if table not in vocabularies]


# --- Import ------------------------------------------------------------------------------------------------


def package_folder(src: Path) -> Path:
    """A package is a folder of HSDS CSV files, or its datapackage.json."""
    src = Path(src)
    return src.parent if src.is_file() else src


def package_source_url(folder: Path) -> str:
    """The package's own web address (its datapackage.json `homepage`, or a web `sources` path), else ''."""
    path = folder / "datapackage.json"
    if not path.exists():
        return ""
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return ""
    candidates = [package.get("homepage", "")] + [s.get("path", "") for s in package.get("sources", []) or []]
    return next((url for url in candidates if str(url).startswith(("http://", "https://"))), "")


def import_package(src: Path, into: Path, source_url: str = "") -> ImportReport:
    """Read a valid HSDS 3.0 package into the folder `into` (created, or emptied of directory files first).

    DataError when the package is not valid HSDS 3.0, or when no web address can name its source (give
    `source_url`: where the package was obtained)."""
    folder = package_folder(src)
    check = check_folder(folder, strict=False)
    if not check.valid:
        raise DataError(check.summary())
    source_url = source_url or package_source_url(folder)
    report = ImportReport(
        tables_left_out=[
            t for t in check.tables if t not in {s.table for s in TABLES} and t != "meta_table_description"
        ]
    )
    given = {source.table: _read(folder / source.file) if (folder / source.file).exists() else [] for source in TABLES}
    dated = _dates(given)
    towns = {
        row["location_id"]: found
        for row in given["address"]
        if (found := town_of(row.get("city", ""), row.get("state_province", ""))) is not None
    }
    label = f"imported package {folder.name}"
    ids: dict[str, set[str]] = {}
    written: dict[str, list[dict[str, str]]] = {}
    for source in TABLES:
        ids[source.table] = {row.get("id", "") for row in given[source.table]}  # for references to itself
        rows = []
        for row in given[source.table]:
            row = dict(row)
            if not _links(source, row, ids, report):
                continue
            if source.kind == "fact":
                _provenance(source.table, row, dated, source_url, label, report)
                if not _fit(source.table, row, towns, report):
                    continue
            rows.append(row)
        ids[source.table] = {row["id"] for row in rows}
        written[source.table] = rows
        report.rows[source.table] = len(rows)
    into.mkdir(parents=True, exist_ok=True)
    for source in TABLES:
        _write(into / source.file, source.columns, written[source.table])
    return report


def _dates(given: dict[str, list[dict[str, str]]]) -> dict[str, str]:
    """Resource id -> the latest date HSDS's metadata records a change on it."""
    latest: dict[str, str] = {}
    for row in given.get("metadata", []):
        if row.get("last_action_date", "") > latest.get(row.get("resource_id", ""), ""):
            latest[row["resource_id"]] = row["last_action_date"]
    return latest


def _links(source: Source, row: dict[str, str], ids: dict[str, set[str]], report: ImportReport) -> bool:
    """Blank a reference to a row the package lacks; False when the row is about nothing without it."""
    for column, table in source.references.items():
        value = row.get(column, "")
        if value and table in ids and value not in ids[table]:
            row[column] = ""
            if column in OWNERS.get(source.table, ()):
                report.left_out[f"{source.table} rows whose {column} is not in the package"] += 1
                return False
    if source.table == "phone" and not (row.get("service_id") or row.get("organization_id")):
        report.left_out["phone rows of no service or organization"] += 1
        return False
    return True


def _provenance(
    table: str, row: dict[str, str], dated: dict[str, str], source_url: str, label: str, report: ImportReport
) -> None:
    """Keep a row's own provenance (a package we exported); otherwise the package's, dated by the row's
    assured_date or metadata, and unconfirmed when nothing dates it."""
    if row.get("source_url") and row.get("source_date") and row.get("fact_status"):
        return
    if not source_url.startswith(("http://", "https://")):
        raise DataError(f"{label}: say where this package comes from (a web address): --source-url")
    when = row.get("assured_date", "") if table == "service" else ""
    when = when or dated.get(row.get("id", ""), "")
    row["source_url"] = row.get("source_url") or source_url
    row["checked_against"] = row.get("checked_against") or label
    row["source_date"] = when or UNDATED_IMPORT
    row["fact_status"] = SHOWN if when else "unconfirmed"
    if not when:
        row["fact_note"] = "The package gives no date for this row."
        report.unconfirmed[table] += 1
    # An assurance in someone else's package is their check, not ours: it stays in assured_date, but a row
    # without our own assurer email is not presented as checked (see core/directory/validate.py).
    if table == "service" and row.get("assured_date") and not row.get("assurer_email"):
        row["assured_date"] = ""


def _fit(table: str, row: dict[str, str], towns: dict[str, tuple[str, str]], report: ImportReport) -> bool:
    """Fill our extension columns from HSDS's own; False for a row our directory cannot hold."""
    if table == "service":
        row["audience"] = row["audience"] if row.get("audience") in AUDIENCES else "anyone"
    elif table == "location":
        _place(row, towns, report)
    elif table == "service_area" and row.get("county") not in (*COUNTIES, "statewide"):
        _unconfirm(table, row, report, "The package names no Maine county for this area.")
        row["county"] = ""
    elif table == "phone":
        kind = PHONE_TYPE_OF.get((row.get("type") or "voice").lower())
        if kind not in PHONE_TYPES:
            report.left_out[f"phone numbers of type {row.get('type')!r}"] += 1
            return False
        row["type"] = kind
        if row.get("extension") and not row["extension"].isdigit():
            row["description"], row["extension"] = f"{row.get('description', '')} ext. {row['extension']}".strip(), ""
    elif table == "attribute":
        if row.get("link_entity") != "service" or row.get("link_type") not in ("", NEED_LINK_TYPE):
            report.left_out["attributes that are not a service's need"] += 1
            return False
        row["link_type"] = NEED_LINK_TYPE
        row["value"] = row["value"] if row.get("value") in NEED_ROLES else NEED_ROLES[0]
    return True


def _place(row: dict[str, str], towns: dict[str, tuple[str, str]], report: ImportReport) -> None:
    """A location's Maine town and county: its own (a package we exported), else its address's."""
    if row.get("county") in COUNTIES and row.get("town"):
        return
    if row.get("id") in towns:
        row["town"], row["county"] = towns[row["id"]]
        return
    row["town"], row["county"] = row.get("town") or row.get("name") or "", ""
    _unconfirm("location", row, report, "The package places this location in no Maine town.")


def _unconfirm(table: str, row: dict[str, str], report: ImportReport, why: str) -> None:
    if row.get("fact_status") != "unconfirmed":
        report.unconfirmed[table] += 1
    row["fact_status"] = "unconfirmed"
    row["fact_note"] = " ".join(filter(None, (row.get("fact_note", ""), why)))


def town_of(city: str, state: str) -> tuple[str, str] | None:
    """A Maine municipality and its county from an address's city and state, exactly as written."""
    if state.strip().upper() not in ("ME", "MAINE"):
        return None
    found = municipalities().get(city.strip())
    return (found.name, found.county) if found else None
