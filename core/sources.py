"""The one reader of sourced CSV files: every row names its source and the date it was checked (Rasa-free).

Courts, legal options, facts and the services directory are all CSV files in data/ that people check by
hand. Each is read here, and a row that breaks a rule raises DataError naming the file, the line and the
row's key, every problem of the file at once, so a person fixing the data sees the whole list.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

# The reference writes "UNCONFIRMED" or "NOT FOUND" inside values; such words must never reach a shown field.
NOT_A_FACT = re.compile(r"UNCONFIRMED|NOT FOUND|CONFLICT")


class DataError(ValueError):
    """A data file breaks a rule: a row without a source or a date, or a value the code cannot trust."""


def split_list(value: str) -> tuple[str, ...]:
    """ "a ; b" -> ("a", "b"): the data files separate several values with semicolons."""
    return tuple(part.strip() for part in (value or "").split(";") if part.strip())


@dataclass(frozen=True)
class Row:
    """One CSV row, its values stripped, with where it is for messages."""

    file: str  # as messages name it: "courts.csv", "directory/phone.csv"
    line: int  # the row's line in the file, the header being line 1 (as a spreadsheet numbers it)
    key: str  # the value(s) that identify the row
    values: dict[str, str]

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}: {self.key!r}"


def read_rows(
    path: Path, columns: Iterable[str], *, label: str | None = None, key: Sequence[str] = ("key",), exact: bool = False
) -> list[Row]:
    """The rows of a CSV file that has at least these columns (`exact`: these and no others)."""
    label = label or path.name
    columns = tuple(columns)
    if not path.exists():
        raise DataError(f"{label}: missing")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = tuple(reader.fieldnames or ())
        missing = [column for column in columns if column not in header]
        unknown = [column for column in header if column not in columns] if exact else []
        if missing or unknown:
            raise DataError(
                f"{label}: columns missing {sorted(missing)}" + (f", unknown {sorted(unknown)}" if exact else "")
            )
        rows = []
        for record in reader:
            values = {name: (value or "").strip() for name, value in record.items() if name is not None}
            row = Row(label, reader.line_num, " / ".join(values.get(column, "") for column in key), values)
            if None in record:
                raise DataError(f"{row.where}: more values than the header has columns")
            rows.append(row)
    return rows


def provenance_problems(
    values: dict[str, str],
    required: Iterable[str] = (),
    *,
    source: str | None = "source_url",
    dates: Iterable[str] = ("last_checked",),
    today: date | None = None,
) -> list[str]:
    """What a row lacks: required values, a source that is a web address, dates checked and not in the future."""
    today = today or date.today()
    needed = dict.fromkeys([*required, *([source] if source else []), *dates])
    missing = [column for column in needed if not values.get(column)]
    problems = [f"lacks {', '.join(missing)}"] if missing else []
    if source and values.get(source):
        problems += [
            f"{source} {url!r} is not a web address"
            for url in split_list(values[source])
            if not url.startswith(("http://", "https://"))
        ]
    for column in dates:
        if not values.get(column):
            continue
        try:
            checked = date.fromisoformat(values[column])
        except ValueError:
            problems.append(f"{column} {values[column]!r} is not a YYYY-MM-DD date")
            continue
        if checked > today:
            problems.append(f"{column} {values[column]} is in the future")
    return problems


def problem_report(what: str, problems: list[str]) -> str:
    return f"{len(problems)} problem(s) in {what}:\n" + "\n".join(f"  {problem}" for problem in problems)


def read_sourced_table(
    path: Path,
    required: Iterable[str],
    *,
    key: str = "key",
    source: str | None = "source_url",
    dates: Iterable[str] = ("last_checked",),
) -> list[dict[str, str]]:
    """The rows of a CSV file whose every row has the required values, names its source (web addresses) and
    the date it was checked (an ISO date, not in the future); DataError listing every row that does not."""
    required, dates = tuple(required), tuple(dates)
    rows = read_rows(path, (*required, *([source] if source else []), *dates), key=(key,))
    problems = [
        f"{row.where}: {problem}"
        for row in rows
        for problem in provenance_problems(row.values, required, source=source, dates=dates)
    ]
    if problems:
        raise DataError(problem_report(path.name, problems))
    return [row.values for row in rows]


def unique_by_key(rows: list[dict[str, str]], path: Path, key: str = "key") -> dict[str, dict[str, str]]:
    """Rows by key; DataError when a key appears twice."""
    by_key: dict[str, dict[str, str]] = {}
    for row in rows:
        if row[key] in by_key:
            raise DataError(f"{path.name}: {row[key]!r} appears twice")
        by_key[row[key]] = row
    return by_key


def check_choice(where: str, column: str, value: str, allowed: Iterable[str]) -> None:
    """DataError unless `value` is one of `allowed`."""
    allowed = tuple(allowed)
    if value not in allowed:
        raise DataError(f"{where}: {column} {value!r} is not one of {', '.join(allowed)}")
