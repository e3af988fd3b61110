"""`make stats`: python -m tools.stats [--db stats/counts.db] [--chart stats/monthly.png]."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.stats.counts import Counts, stats_path
from bot.stats.report import draw_chart, monthly_table
from core.paths import PROJECT_ROOT

DEFAULT_CHART = PROJECT_ROOT / "stats" / "monthly.png"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make stats", description=__doc__)
    parser.add_argument("--db", type=Path, default=None, help="the counts file (default: the STATS_DB setting)")
    parser.add_argument("--chart", type=Path, default=DEFAULT_CHART, help="where to write the PNG chart")
    args = parser.parse_args(argv)
    path = args.db or stats_path()
    rows = []
    if path.exists():
        counts = Counts(path)
        rows = counts.monthly()
        counts.close()
    print(monthly_table(rows))
    draw_chart(rows, args.chart)
    print(f"\nChart: {args.chart}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
