"""`make stats`: the monthly table and the chart of the anonymous counts, with small counts hidden.

Privacy rule 6: any count under 5 is shown as "<5", in the table and on the chart alike (a bar under 5 is
drawn empty, labelled "<5"), so no month, language or topic with few people can be singled out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from bot.i18n.languages import registered_languages
from bot.stats.counts import CHANNELS, OTHER_CHANNEL
from bot.stats.topics import TOPICS

MIN_SHOWN = 5
SUPPRESSED = "<5"
TOTAL = "total"


def shown(count: int) -> str:
    return str(count) if count >= MIN_SHOWN else SUPPRESSED


def _sum_by(rows: Iterable[Mapping[str, Any]], *columns: str) -> dict[tuple, int]:
    totals: dict[tuple, int] = defaultdict(int)
    for row in rows:
        totals[tuple(row[column] for column in columns)] += row["count"]
    return totals


def _languages(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """The registry's languages in its order, then any other code found in the file."""
    codes = [language.code for language in registered_languages()]
    return codes + sorted({row["language"] for row in rows} - set(codes))


def _format(table: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    lines = []
    for row in table:
        cells = [
            cell.ljust(width) if i < 2 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def monthly_table(rows: Sequence[Mapping[str, Any]]) -> str:
    """Per month: each topic, then each channel, by language, with a total column; counts under 5 as "<5"."""
    if not rows:
        return "No statistics yet."
    languages = _languages(rows)
    months = sorted({row["month"] for row in rows})
    by_topic = _sum_by(rows, "month", "topic", "language")
    by_channel = _sum_by(rows, "month", "channel", "language")
    table = [["month", "topic/channel", *languages, TOTAL]]
    for month in months:
        for label, counts in (
            *((topic, {code: by_topic[(month, topic, code)] for code in languages}) for topic in TOPICS),
            *(
                (f"channel:{channel}", {code: by_channel[(month, channel, code)] for code in languages})
                for channel in (*CHANNELS, OTHER_CHANNEL)
            ),
        ):
            table.append([month, label, *(shown(counts[code]) for code in languages), shown(sum(counts.values()))])
    return _format(table)


def chart_data(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """What the chart draws: per topic, one (bar height, label) per month. A count under 5 has height 0 and
    the label "<5", so the picture tells no more than the table."""
    months = sorted({row["month"] for row in rows})
    totals = _sum_by(rows, "month", "topic")
    series = {}
    for topic in TOPICS:
        counts = [totals[(month, topic)] for month in months]
        series[topic] = [(count if count >= MIN_SHOWN else 0, shown(count)) for count in counts]
    return {"months": months, "series": series}


def draw_chart(rows: Sequence[Mapping[str, Any]], path: Path) -> Any:
    """A PNG bar chart of turns per topic per month; returns the figure's text labels (for tests)."""
    import matplotlib

    matplotlib.use("Agg")  # no display on a server
    import matplotlib.pyplot as plt

    data = chart_data(rows)
    months, series = data["months"], data["series"]
    figure, axes = plt.subplots(figsize=(max(6, 1.8 * len(months) + 4), 4.5), dpi=100)
    width = 0.8 / len(series)
    labels = []
    for index, (topic, bars) in enumerate(series.items()):
        positions = [m + (index - (len(series) - 1) / 2) * width for m in range(len(months))]
        drawn = axes.bar(positions, [height for height, _ in bars], width, label=topic.replace("_", " "))
        labels += [label for _, label in bars]
        axes.bar_label(drawn, labels=[label for _, label in bars], fontsize=7, padding=2)
    axes.set_xticks(range(len(months)), months)
    axes.set_ylabel("turns")
    axes.set_title("Turns per topic and month (counts under 5 shown as <5)")
    if not months:
        axes.text(0.5, 0.5, "No statistics yet", ha="center", va="center", transform=axes.transAxes)
    else:
        axes.legend(fontsize=8, ncol=2)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png")
    plt.close(figure)
    return labels
