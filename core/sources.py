"""The one reader of sourced CSV files: every row names its source and that source's date (Rasa-free).

Courts, legal options, facts and the services directory are all CSV files in data/ that people check by
hand. A row says where it comes from (`source_url`, `source_date`: the page and the page's own date) and,
once a person has checked it live (a call, the official page), when and who (`verified_on`, `verified_by`);
nothing in data/ claims a check that did not happen. Each is read here, and a row that breaks a rule raises
DataError naming the file, the line and the row's key, every problem of the file at once, so a person fixing
the data sees the whole list.
"""

from __future__ import annotations

import csv
import functools
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

    file: str  # as messages name it: "courts.csv", "directory/phones.csv"
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


# The first date a source_date names: "2022-07-20", "2024-02", "~2019", "FY2019", "Press Herald 2023-11-21; ...".
_DATE_IN_TEXT = re.compile(r"(?<![\d-])(19\d\d|2\d\d\d)(?:-(0[1-9]|1[0-2]))?(?:-(0[1-9]|[12]\d|3[01]))?(?![\d/])")
UNDATED = "undated"
VERIFIED = ("verified_on", "verified_by")


@dataclass(frozen=True)
class SourceDate:
    """The date a source names for itself, as precisely as it gives it (a day, a month or a year)."""

    day: date  # the first day of the period: the oldest the source can be, for its age
    precision: str  # "day" | "month" | "year"


@functools.lru_cache(maxsize=4096)
def source_date(text: str) -> SourceDate | None:
    """The first date `text` (a source_date value) names; None when it says "undated" before naming one, or
    names none. "undated; 2018-06-21 (office move)" is undated: the page has no date, the event it tells of has."""
    text = text or ""
    found = _DATE_IN_TEXT.search(text)
    undated = text.lower().find(UNDATED)
    if found is None or (undated != -1 and undated < found.start()):
        return None
    year, month, day = found.group(1), found.group(2), found.group(3)
    precision = "day" if day else "month" if month else "year"
    return SourceDate(date(int(year), int(month or 1), int(day or 1)), precision)


@dataclass(frozen=True)
class Provenance:
    """Where a shown fact comes from, and whether a person has checked it live."""

    source_urls: tuple[str, ...]
    source_date: str  # as written: "2022-07-20", "undated page copy", "Press Herald 2023-11-21; ..."
    verified_on: str = ""  # the day a person checked it live (a call, the official page); empty until then
    verified_by: str = ""  # who checked: a role or initials, never a person served

    @property
    def verified(self) -> bool:
        return bool(self.verified_on and self.verified_by)

    @property
    def dated(self) -> SourceDate | None:
        return source_date(self.source_date)

    @classmethod
    def of(cls, row: dict[str, str]) -> Provenance:
        return cls(
            split_list(row.get("source_url", "")),
            row.get("source_date", "") or "",
            row.get("verified_on", "") or "",
            row.get("verified_by", "") or "",
        )


def source_date_problems(column: str, value: str, today: date) -> list[str]:
    """A source_date must name a date (not in the future) or say it is undated."""
    if not value:
        return []
    named = source_date(value)
    if named is None and UNDATED not in value.lower():
        return [f"{column} {value!r} names no date (YYYY-MM-DD, YYYY-MM or YYYY) and does not say undated"]
    if named is not None and named.day > today:
        return [f"{column} {value!r} is in the future"]
    return []


def verification_problems(
    values: dict[str, str], today: date, on: str = "verified_on", by: str = "verified_by"
) -> list[str]:
    """A live check has a day (an ISO date, not in the future) and who checked (a role or initials); neither
    without the other."""
    problems = []
    if values.get(on) and not values.get(by):
        problems.append(f"{on} {values[on]} without {by}: say who checked (a role or initials)")
    if values.get(by) and not values.get(on):
        problems.append(f"{by} {values[by]!r} without {on}: say when it was checked")
    if values.get(on):
        try:
            checked = date.fromisoformat(values[on])
        except ValueError:
            problems.append(f"{on} {values[on]!r} is not a YYYY-MM-DD date")
        else:
            if checked > today:
                problems.append(f"{on} {values[on]} is in the future")
    return problems


def provenance_problems(
    values: dict[str, str],
    required: Iterable[str] = (),
    *,
    source: str | None = "source_url",
    source_dated: str | None = "source_date",
    verified: tuple[str, str] | None = VERIFIED,
    dates: Iterable[str] = (),
    today: date | None = None,
) -> list[str]:
    """What a row lacks: required values, a source that is a web address, the source's own date (or
    "undated"), a live check with its day and checker (when there is one), ISO dates not in the future."""
    today = today or date.today()
    dates = tuple(dates)
    needed = dict.fromkeys(
        [*required, *([source] if source else []), *([source_dated] if source_dated else []), *dates]
    )
    missing = [column for column in needed if not values.get(column)]
    problems = [f"lacks {', '.join(missing)}"] if missing else []
    if source and values.get(source):
        problems += [
            f"{source} {url!r} is not a web address"
            for url in split_list(values[source])
            if not url.startswith(("http://", "https://"))
        ]
    if source_dated:
        problems += source_date_problems(source_dated, values.get(source_dated, ""), today)
    if verified:
        problems += verification_problems(values, today, *verified)
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
    source_dated: str | None = "source_date",
    verified: tuple[str, str] | None = VERIFIED,
) -> list[dict[str, str]]:
    """The rows of a CSV file whose every row has the required values, names its source (web addresses) and
    that source's date (or says it is undated), and, when a person checked it live, the day (not in the
    future) and who; DataError listing every row that does not."""
    required = tuple(required)
    columns = (*required, *([source] if source else []), *([source_dated] if source_dated else []), *(verified or ()))
    rows = read_rows(path, columns, key=(key,))
    problems = [
        f"{row.where}: {problem}"
        for row in rows
        for problem in provenance_problems(
            row.values, required, source=source, source_dated=source_dated, verified=verified
        )
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
