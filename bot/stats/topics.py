"""Which topic a turn is about, from its intent (data/stats/topics.csv); any other intent counts as "other"."""

from __future__ import annotations

import csv
import functools

from core.paths import STATS_DATA_DIR

TOPICS_CSV = STATS_DATA_DIR / "topics.csv"
# The order of the report's rows: the crisis topics first, as the funders read them.
TOPICS = ("danger", "trafficking_signs", "housing", "legal_option", "court", "service_need", "other")
OTHER = "other"


@functools.cache
def intent_topics() -> dict[str, str]:
    with TOPICS_CSV.open(encoding="utf-8", newline="") as handle:
        table = {row["intent"]: row["topic"] for row in csv.DictReader(handle)}
    unknown = set(table.values()) - set(TOPICS)
    if unknown:
        raise ValueError(f"{TOPICS_CSV}: unknown topics {sorted(unknown)}; the topics are {TOPICS}")
    return table


def topic_of(intent: str | None) -> str:
    return intent_topics().get(intent or "", OTHER)
