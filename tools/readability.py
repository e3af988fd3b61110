"""`make readability`: how hard the English source strings are to read, and a failure when they are too hard.

What is measured: every string `make i18n-extract` gathers (babel.cfg says where), each distinct text once, as
the Flesch-Kincaid grade (textstat; syllables from the CMU dictionary). Two halves, reported apart: the
messages (domain/*.yml, bot/replies/messages/*.yml, Python) and the data texts (babel.cfg's data_csv
sections: data/legal, data/courts, data/directory, data/facts).

What is left out, and why:
- strings of fewer than eight words (a button, a heading, "24/7"): the formula means nothing on them;
- names: a data column that holds names (`<table>:name`) is not measured at all, and inside any text each
  official name of an organisation, programme, court, line, form, place or language (every value of a
  NAME_COLUMNS column in a CSV file under data/, its parts that are names themselves, and the few names
  that only the messages use, NAMES_IN_MESSAGES) counts as one short word. Names are shown as they
  are, so that a person can ask for them by name; rewriting them is not ours to do;
- placeholders ({line_dv}) count as one short word, as the number they become does.

A line that ends without a full stop (a list: "Sexual assault: {line_sa}") is one sentence.

Fails when the median of all measured strings passes grade 6, or the 90th percentile passes grade 8
(../shared/design.md: about a 6th-grade reading level, data texts included), and lists the worst strings.
"""

from __future__ import annotations

import argparse
import csv
import re
import statistics
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import textstat
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from core.paths import PROJECT_ROOT

MAX_MEDIAN_GRADE = 6.0
MAX_P90_GRADE = 8.0
MIN_WORDS = 8
WORST_SHOWN = 15
NAME_STAND_IN = "it"

# Columns of the data files (any CSV under data/, whatever its file is called) that hold official names of
# organisations, programmes, courts, lines and forms, and of places and languages.
NAME_COLUMNS = ("name", "alternate_name", "also_called", "form")
# Names the messages use that no data file lists.
NAMES_IN_MESSAGES = [
    "National Human Trafficking Hotline",
    "Text-to-911",
    "Maine Crisis Line",
    "Pine Tree Legal Assistance",
    "Protection from Abuse",
    "Protection from Harassment",
    "Victims' Compensation",
]
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
SENTENCE_END = re.compile(r"[.!?:;]$")


@dataclass(frozen=True)
class Measured:
    grade: float
    half: str  # "messages" or "data"
    where: str  # the first file that has the string
    text: str


def english_strings(root: Path = PROJECT_ROOT) -> Iterator[tuple[str, str, str]]:
    """(file, context, text) of every string make i18n-extract gathers, with babel.cfg's extractors."""
    config = root / "babel.cfg"
    with config.open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, str(config))
    for filename, _line, message, _comments, context in extract_from_dir(str(root), method_map, options_map):
        text = message[-1] if isinstance(message, tuple) else message
        if text:
            yield filename, context or "", text


def official_names(root: Path = PROJECT_ROOT) -> list[str]:
    """Every official name in the data files' name columns, and its parts that are names themselves
    ("Maine Victims' Compensation Program, Office of the Attorney General (toll-free)" gives both offices),
    longest first so that a long name is replaced before a shorter one inside it."""
    names = set(NAMES_IN_MESSAGES)
    for path in sorted((root / "data").rglob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for column in NAME_COLUMNS:
                    value = (row.get(column) or "").strip()
                    if not value:
                        continue
                    names.add(value)
                    for part in re.split(r"[,()/;]| and the ", value):
                        part = part.strip()
                        if len(part.split()) >= 2 and part[0].isupper():
                            names.add(part)
    return sorted(names, key=len, reverse=True)


def without_names(text: str, names: Iterable[str]) -> str:
    for name in names:
        text = text.replace(name, NAME_STAND_IN)
    return PLACEHOLDER.sub(NAME_STAND_IN, text)


def as_sentences(text: str) -> str:
    """Each line is a sentence: a line of a list ends without a full stop, but a reader stops there."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " ".join(line if SENTENCE_END.search(line) else line + "." for line in lines)


def grade(text: str) -> float:
    return float(textstat.flesch_kincaid_grade(text))


def is_name_column(context: str) -> bool:
    return context.endswith(":name")


def measure(root: Path = PROJECT_ROOT) -> list[Measured]:
    names = official_names(root)
    seen: set[str] = set()
    measured = []
    for filename, context, text in english_strings(root):
        if text in seen or is_name_column(context):
            continue
        seen.add(text)
        plain = as_sentences(without_names(text, names))
        if len(plain.split()) < MIN_WORDS:
            continue
        half = "data" if filename.startswith("data/") else "messages"
        measured.append(Measured(grade(plain), half, filename, text))
    return measured


def percentile_90(grades: list[float]) -> float:
    return statistics.quantiles(grades, n=10, method="inclusive")[-1] if len(grades) > 1 else grades[0]


@dataclass(frozen=True)
class Figures:
    count: int
    median: float
    p90: float

    def passes(self) -> bool:
        return self.median <= MAX_MEDIAN_GRADE and self.p90 <= MAX_P90_GRADE

    def __str__(self) -> str:
        return f"{self.count} strings, median grade {self.median:.1f}, 90th percentile {self.p90:.1f}"


def figures(items: list[Measured]) -> Figures:
    grades = sorted(item.grade for item in items)
    return Figures(len(grades), statistics.median(grades), percentile_90(grades))


def report(items: list[Measured]) -> tuple[bool, str]:
    """Whether all strings pass, and the lines to print: each half, then all, then the worst when failing."""
    overall = figures(items)
    lines = [
        f"readability (Flesch-Kincaid grade; limits: median {MAX_MEDIAN_GRADE:g}, 90th percentile {MAX_P90_GRADE:g})"
    ]
    for half in ("messages", "data"):
        part = [item for item in items if item.half == half]
        if part:
            lines.append(f"  {half:<8} {figures(part)}")
    lines.append(f"  {'all':<8} {overall}")
    if not overall.passes():
        lines.append(f"Too hard to read. The {WORST_SHOWN} hardest strings (rewrite them in plainer words):")
        for item in sorted(items, key=lambda item: item.grade, reverse=True)[:WORST_SHOWN]:
            text = item.text.replace("\n", " / ")
            lines.append(f"  {item.grade:5.1f}  {item.where}: {text}")
    return overall.passes(), "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args(argv)
    passed, text = report(measure())
    print(text, file=sys.stdout if passed else sys.stderr)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
