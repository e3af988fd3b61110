"""The services directory's command line: build it, report on it, check it against HSDS 3.0, import and export.

python -m tools.directory build [--db build/directory.db]     # check the CSV files, then build the db (make directory)
python -m tools.directory report [--db PATH]                   # row counts and every unconfirmed row
python -m tools.directory validate [FOLDER]                    # frictionless against HSDS 3.0 (data/directory)
python -m tools.directory export [--out build/hsds]            # the shown directory as an HSDS 3.0 package
python -m tools.directory import SRC [--into DIR] [--db PATH]  # any valid HSDS 3.0 package, checked and built
python -m tools.directory id TABLE NAME                         # the stable UUID of a new row
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import sqlite_utils

from core.directory.build import build
from core.directory.exchange import export_package, import_package
from core.directory.hsds import check_folder
from core.directory.report import report
from core.directory.schema import DEFAULT_DB, stable_id
from core.directory.search import open_directory
from core.paths import BUILD_DIR, DIRECTORY_DIR, PLACES_DIR
from core.sources import DataError


def _build(db_path: Path, directory: Path, places: Path) -> int:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        counts = build(sqlite_utils.Database(db_path), directory, places)
    except DataError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"built {db_path}: " + ", ".join(f"{table} {count}" for table, count in counts.items()))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.directory", description=(__doc__ or "").split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build_command = commands.add_parser("build", help="check the CSV sources and build the SQLite directory")
    build_command.add_argument("--db", type=Path, default=DEFAULT_DB)
    build_command.add_argument("--directory", type=Path, default=DIRECTORY_DIR, help=argparse.SUPPRESS)
    build_command.add_argument("--places", type=Path, default=PLACES_DIR, help=argparse.SUPPRESS)
    report_command = commands.add_parser("report", help="row counts and every unconfirmed row, as Markdown")
    report_command.add_argument("--db", type=Path, default=DEFAULT_DB)
    validate_command = commands.add_parser("validate", help="check a folder against HSDS 3.0 with frictionless")
    validate_command.add_argument("folder", type=Path, nargs="?", default=DIRECTORY_DIR)
    validate_command.add_argument("--any", action="store_true", help="any HSDS package, not our exact layout")
    export_command = commands.add_parser("export", help="write the shown directory as an HSDS 3.0 package")
    export_command.add_argument("--out", type=Path, default=BUILD_DIR / "hsds")
    import_command = commands.add_parser("import", help="read an HSDS 3.0 package, then check and build it")
    import_command.add_argument("src", type=Path, help="a folder of HSDS CSV files, or its datapackage.json")
    import_command.add_argument("--into", type=Path, default=BUILD_DIR / "imported", help="the folder to write")
    import_command.add_argument("--db", type=Path, default=BUILD_DIR / "imported.db")
    import_command.add_argument("--source-url", default="", help="where the package comes from, if it does not say")
    id_command = commands.add_parser("id", help="the stable UUID of a row: id service my-new-service")
    id_command.add_argument("table")
    id_command.add_argument("name")
    args = parser.parse_args(argv)
    if args.command == "build":
        return _build(args.db, args.directory, args.places)
    if args.command == "report":
        print(report(open_directory(args.db)))
    elif args.command == "validate":
        check = check_folder(args.folder, strict=not args.any)
        print(check.summary(), file=sys.stdout if check.valid else sys.stderr)
        return 0 if check.valid else 1
    elif args.command == "export":
        counts = export_package(args.out)
        check = check_folder(args.out, strict=True)
        print(f"exported {args.out}: " + ", ".join(f"{table} {count}" for table, count in counts.items()))
        print(check.summary(), file=sys.stdout if check.valid else sys.stderr)
        return 0 if check.valid else 1
    elif args.command == "import":
        try:
            result = import_package(args.src, args.into, args.source_url)
        except DataError as error:
            print(error, file=sys.stderr)
            return 1
        print(result.summary())
        return _build(args.db, args.into, PLACES_DIR)
    else:
        print(stable_id(args.table, args.name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
