"""The directory checked against Open Referral's published HSDS 3.0 schema with `frictionless` (Rasa-free).

The schema is HSDS's own tabular data package, vendored unchanged in vendor/hsds-3.0/ (its licence and
version beside it). A folder of HSDS CSV files is checked as one tabular data package: every column HSDS
defines with HSDS's type, format (UUID ids, emails, URIs, dates, times), enums, required values, unique ids
and foreign keys. Columns are matched by name; a column HSDS does not define is an extension and is read as
text.

Two strictnesses: `strict` (our own data/directory/): every file of the schema's TABLES, with every HSDS
column in HSDS's order, then exactly our declared extension columns (core/directory/schema.py EXTENSIONS);
otherwise (a package someone gives us): any subset of HSDS's tables, HSDS's required columns present, extra
columns allowed.
"""

from __future__ import annotations

import copy
import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from core.directory.schema import EXTENSIONS, TABLES, hsds_columns, hsds_resources

# Keys of HSDS's field descriptors that are documentation for people, not Table Schema.
_NOT_TABLE_SCHEMA = ("example", "core")


@dataclass
class Check:
    """The outcome of a check: problems by table (HSDS's table names), and the tables that were read."""

    problems: dict[str, list[str]] = field(default_factory=dict)
    tables: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def error_count(self) -> int:
        return sum(len(found) for found in self.problems.values())

    def add(self, table: str, problem: str) -> None:
        self.problems.setdefault(table, []).append(problem)

    def summary(self, limit: int = 20) -> str:
        if self.valid:
            return f"valid HSDS 3.0: {len(self.tables)} tables"
        lines = [f"{self.error_count} error(s) in {len(self.problems)} table(s) against HSDS 3.0:"]
        for table, found in self.problems.items():
            kinds = Counter(problem.split(":", 2)[-1].split("(")[0].strip() for problem in found)
            lines.append(f"  {table}: {len(found)} ({', '.join(f'{n} {k}' for k, n in kinds.most_common(3))})")
            lines.extend(f"    {problem}" for problem in found[:limit])
        return "\n".join(lines)


def header_of(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle), [])


def table_schema(table: str, header: list[str], present: set[str]) -> dict:
    """A Table Schema for one file: HSDS's field for each HSDS column, text for an extension, and HSDS's
    primary and foreign keys where their columns and tables are there."""
    hsds = hsds_resources()[table]["schema"]
    by_name = {f["name"]: f for f in hsds["fields"]}
    fields = []
    for label in header:
        if label in by_name:
            descriptor = {k: v for k, v in copy.deepcopy(by_name[label]).items() if k not in _NOT_TABLE_SCHEMA}
        else:
            descriptor = {"name": label, "type": "string", "description": EXTENSIONS.get(table, {}).get(label, "")}
        fields.append(descriptor)
    schema: dict = {"fields": fields, "primaryKey": hsds["primaryKey"]}
    schema["foreignKeys"] = [
        key
        for key in hsds.get("foreignKeys", [])
        if key["fields"] in header and key["reference"]["resource"] in present
    ]
    return schema


def descriptor(folder: Path, tables: list[str]) -> dict:
    """A tabular data package descriptor for the HSDS files of `folder`."""
    present = set(tables)
    resources = []
    for table in tables:
        resource = hsds_resources()[table]
        resources.append(
            {
                "name": table,
                "path": resource["path"],
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table_schema(table, header_of(folder / resource["path"]), present),
            }
        )
    return {"profile": "tabular-data-package", "resources": resources}


def present_tables(folder: Path) -> list[str]:
    """HSDS tables whose file is in the folder, in HSDS's order."""
    return [name for name, resource in hsds_resources().items() if (Path(folder) / resource["path"]).exists()]


def check_folder(folder: Path, *, strict: bool) -> Check:
    """Check a folder of HSDS CSV files against HSDS 3.0 with frictionless."""
    from frictionless import Package  # a heavy import, needed by make test and the importer only

    folder = Path(folder)
    check = Check(tables=present_tables(folder))
    if not check.tables:
        check.add("package", f"{folder}: no HSDS 3.0 table (organizations.csv, services.csv, ...)")
        return check
    for table in check.tables:
        path = folder / hsds_resources()[table]["path"]
        header = header_of(path)
        required = [
            f["name"] for f in hsds_resources()[table]["schema"]["fields"] if f.get("constraints", {}).get("required")
        ]
        missing = [name for name in (hsds_columns(table) if strict else required) if name not in header]
        if missing:
            check.add(table, f"{path.name}: missing HSDS column(s) {', '.join(missing)}")
        if strict:
            expected = [*hsds_columns(table), *EXTENSIONS.get(table, {})]
            if header != expected and not missing:
                check.add(table, f"{path.name}: columns must be HSDS's in HSDS's order, then {list(EXTENSIONS[table])}")
    if strict:
        for source in TABLES:
            if source.table not in check.tables:
                check.add(source.table, f"{source.file}: missing")
    package = Package(descriptor(folder, check.tables), basepath=str(folder))
    report = package.validate()
    for task in report.tasks:
        for error in task.errors:
            row = getattr(error, "row_number", None)
            column = getattr(error, "field_name", None)
            where = f"{Path(task.place).name}" + (f":{row}" if row else "") + (f" {column}" if column else "")
            check.add(task.name or "package", f"{where}: {error.type} ({error.note})")
    for error in report.errors:
        check.add("package", f"{error.type}: {error.note}")
    return check
