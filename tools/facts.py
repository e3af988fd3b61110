"""`make facts`: every fact shown to people, its source, the source's date and age, and whether a person has
checked it live; the operator's checklist CSV, and its checks merged back into the data files.

python -m tools.facts [--checklist build/facts-checklist.csv] [--require-verified]

When the checklist exists, the checks an operator filled in (verified_on, verified_by) are merged into the
data files first; then the table is printed and a fresh checklist written. --require-verified (make facts
REQUIRE_VERIFIED=1) exits 1 while any shown fact is unverified, so a deployment can make it a gate.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from core import settings
from core.paths import BUILD_DIR, DATA_DIR
from core.sources import DataError
from core.verification import ShownFact, counts_by_kind, merge_checklist, shown_facts, write_checklist

DEFAULT_CHECKLIST = BUILD_DIR / "facts-checklist.csv"
WHAT_WIDTH = 60


def status(fact: ShownFact) -> str:
    if fact.verified:
        return f"checked {fact.provenance.verified_on} by {fact.provenance.verified_by}"
    return "not checked live"


def age(fact: ShownFact, today: date) -> str:
    months = fact.age_months(today)
    return "undated" if months is None else f"{months} months"


def table(facts: list[ShownFact], today: date, max_months: int) -> str:
    lines = [
        "| kind | what | source | source date | age | status |",
        "| --- | --- | --- | --- | ---: | --- |",
    ]
    for fact in facts:
        what = fact.what if len(fact.what) <= WHAT_WIDTH else fact.what[: WHAT_WIDTH - 1] + "…"
        old = " **old**" if fact.stale(today, max_months) else ""
        lines.append(
            f"| {fact.kind} | {what.replace('|', '/')} | {fact.publisher} | {fact.provenance.source_date} | "
            f"{age(fact, today)}{old} | {status(fact)} |"
        )
    return "\n".join(lines)


def summary(facts: list[ShownFact], today: date, max_months: int) -> str:
    lines = ["| kind | verified | not verified |", "| --- | ---: | ---: |"]
    for kind, (verified, unverified) in counts_by_kind(facts).items():
        lines.append(f"| {kind} | {verified} | {unverified} |")
    total = sum(fact.verified for fact in facts)
    stale = sum(fact.stale(today, max_months) for fact in facts)
    lines.append(f"| all | {total} | {len(facts) - total} |")
    return (
        "\n".join(lines)
        + f"\n\n{stale} of {len(facts)} facts rest on a source older than {max_months} months or undated."
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.facts", description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--checklist", type=Path, default=DEFAULT_CHECKLIST, help="the operator's CSV")
    parser.add_argument("--require-verified", action="store_true", help="exit 1 while a shown fact is unverified")
    parser.add_argument("--data", type=Path, default=DATA_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    today = date.today()
    max_months = settings.get_int("FACTS_MAX_AGE_MONTHS")
    if args.checklist.exists():
        try:
            changes = merge_checklist(args.checklist, today, args.data)
        except DataError as error:
            print(error, file=sys.stderr)
            return 1
        for change in changes:
            print(f"merged: {change.file} {change.key}: checked {change.verified_on} by {change.verified_by}")
    facts = shown_facts(args.data)
    print(table(facts, today, max_months))
    print()
    print(summary(facts, today, max_months))
    write_checklist(args.checklist, facts)
    print(f"\nChecklist for the operator: {args.checklist} (fill verified_on and verified_by, then run make facts)")
    unverified = sum(not fact.verified for fact in facts)
    if args.require_verified and unverified:
        print(f"REQUIRE_VERIFIED: {unverified} shown fact(s) are not checked live", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
