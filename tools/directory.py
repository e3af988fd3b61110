"""`make directory`: check the services directory's CSV files and build build/directory.db; or report on it.

python -m tools.directory build [--db build/directory.db]   # check the CSV files, then build the db
python -m tools.directory report [--db PATH]                 # row counts and every unconfirmed row
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import sqlite_utils

from core.directory.build import build
from core.directory.report import report
from core.directory.schema import DEFAULT_DB
from core.directory.search import open_directory
from core.paths import DIRECTORY_DIR, PLACES_DIR
from core.sources import DataError


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.directory", description=(__doc__ or "").split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build_command = commands.add_parser("build", help="check the CSV sources and build the SQLite directory")
    build_command.add_argument("--db", type=Path, default=DEFAULT_DB)
    build_command.add_argument("--directory", type=Path, default=DIRECTORY_DIR, help=argparse.SUPPRESS)
    build_command.add_argument("--places", type=Path, default=PLACES_DIR, help=argparse.SUPPRESS)
    report_command = commands.add_parser("report", help="row counts and every unconfirmed row, as Markdown")
    report_command.add_argument("--db", type=Path, default=DEFAULT_DB)
    args = parser.parse_args(argv)
    if args.command == "build":
        args.db.parent.mkdir(parents=True, exist_ok=True)
        try:
            counts = build(sqlite_utils.Database(args.db), args.directory, args.places)
        except DataError as error:
            print(error, file=sys.stderr)
            return 1
        print(f"built {args.db}: " + ", ".join(f"{table} {count}" for table, count in counts.items()))
    else:
        print(report(open_directory(args.db)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
