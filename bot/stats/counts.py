"""The counts file and the counter the tracker store calls once per turn.

The file holds one row per (day, channel, language, topic) and its count, nothing else. Every value comes
from a fixed vocabulary (the channel names, the registered language codes, the topics), never from what a
person wrote, so no text can reach it. Days are the server's local date: nothing finer is kept, in the file's
contents or beside them:

- no write-ahead log (SQLite's WAL keeps each change, in order, with the file's time the last turn's time):
  a rollback journal, deleted as each write commits, and freed pages overwritten (secure_delete);
- no row ids (a table WITHOUT ROWID), which would keep the order in which each day's combinations first
  appeared;
- the file's modification and access times set back to the start of the day after each write. (Its change
  time, which no program may set, still shows the last write: keep the file where only the operator reads
  file metadata.)
"""

from __future__ import annotations

import datetime
import logging
import os
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import sqlite_utils

from bot.i18n.languages import registered_languages, reply_language
from bot.stats.topics import TOPICS, topic_of
from core import settings
from core.names import LANGUAGE
from core.paths import PROJECT_ROOT

logger = logging.getLogger(__name__)

TABLE = "counts"
KEY = ("day", "channel", "language", "topic")
CHANNELS = ("rest", "sms", "kiosk")
OTHER_CHANNEL = "other"
# Turns the channels send on a person's behalf, not questions: the kiosk's wipe, a session restart.
NOT_A_QUESTION = {"restart", "session_start"}
# Message ids already counted, so a conversation saved twice for one message counts once. Ids are random
# per message (not per person); only the latest few thousand are remembered.
REMEMBERED_MESSAGE_IDS = 10_000


def stats_path() -> Path:
    path = Path(settings.get("STATS_DB"))
    return path if path.is_absolute() else PROJECT_ROOT / path


CREATE_TABLE = (
    f"CREATE TABLE {{name}} (day TEXT, channel TEXT, language TEXT, topic TEXT, count INTEGER, "
    f"PRIMARY KEY ({', '.join(KEY)})) WITHOUT ROWID"
)


class Counts:
    """The SQLite file of counts (sqlite-utils), safe for several servers on one machine to write at once."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # The busy timeout lets two servers on one machine, and `make stats`, share the file.
        self.db = sqlite_utils.Database(sqlite3.connect(str(path), timeout=10, check_same_thread=False))
        self.db.execute("PRAGMA journal_mode=DELETE")  # also ends WAL mode in a file an older version wrote
        self.db.execute("PRAGMA secure_delete=ON")
        self._create_or_upgrade()

    def _create_or_upgrade(self) -> None:
        if TABLE not in self.db.table_names():
            with self.db.atomic():
                self.db.execute(CREATE_TABLE.format(name=TABLE))
            return
        schema = self.db.execute("SELECT sql FROM sqlite_master WHERE name = ?", [TABLE]).fetchone()[0]
        if "WITHOUT ROWID" not in schema.upper():
            # An older file: copy it into a table without row ids (the old pages are zeroed as they are freed).
            with self.db.atomic():
                self.db.execute(CREATE_TABLE.format(name=f"{TABLE}_by_key"))
                self.db.execute(f"INSERT INTO {TABLE}_by_key SELECT day, channel, language, topic, count FROM {TABLE}")
                self.db.execute(f"DROP TABLE {TABLE}")
                self.db.execute(f"ALTER TABLE {TABLE}_by_key RENAME TO {TABLE}")
            self.db.execute("VACUUM")

    def add(self, day: datetime.date, channel: str, language: str, topic: str, count: int = 1) -> None:
        with self.db.atomic():
            self.db.execute(
                f"INSERT INTO {TABLE} (day, channel, language, topic, count) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (day, channel, language, topic) DO UPDATE SET count = count + excluded.count",
                [day.isoformat(), channel, language, topic, count],
            )
        start_of_day = datetime.datetime.combine(day, datetime.time()).timestamp()
        os.utime(self.path, (start_of_day, start_of_day))

    def rows(self) -> list[dict[str, Any]]:
        return list(self.db.table(TABLE).rows_where(order_by="day, channel, language, topic"))

    def monthly(self) -> list[dict[str, Any]]:
        """Counts summed per (month, channel, language, topic)."""
        return list(
            self.db.query(
                f"SELECT substr(day, 1, 7) AS month, channel, language, topic, sum(count) AS count FROM {TABLE} "
                "GROUP BY month, channel, language, topic ORDER BY month, channel, language, topic"
            )
        )

    def close(self) -> None:
        self.db.close()


class TurnCounter:
    """Adds one to (today, channel, language, topic) for each turn a person took."""

    def __init__(self, counts: Counts, today: Callable[[], datetime.date] = datetime.date.today) -> None:
        self.counts = counts
        self.today = today
        self._counted: OrderedDict[str, None] = OrderedDict()

    def count_turn(self, tracker: Any) -> None:
        """Count the tracker's latest message once, as the store saves the conversation after the turn."""
        message = tracker.latest_message
        message_id = getattr(message, "message_id", None)
        intent = (getattr(message, "intent", None) or {}).get("name")
        if not message_id or message_id in self._counted or not intent or intent in NOT_A_QUESTION:
            return
        self._counted[message_id] = None
        if len(self._counted) > REMEMBERED_MESSAGE_IDS:
            self._counted.popitem(last=False)
        channel = message.input_channel if message.input_channel in CHANNELS else OTHER_CHANNEL
        language = reply_language(tracker.get_slot(LANGUAGE))
        try:
            self.counts.add(self.today(), channel, language, topic_of(intent))
        except (sqlite3.Error, OSError) as error:
            # A statistic is never worth a failed reply to a person.
            logger.warning("Could not add to the statistics (%s).", type(error).__name__)


def turn_counter_from_settings() -> TurnCounter | None:
    """The counter the settings ask for, or None when STATS_ENABLED is false."""
    if not settings.get_bool("STATS_ENABLED"):
        logger.info("Statistics are off (STATS_ENABLED).")
        return None
    return TurnCounter(Counts(stats_path()))


def known_values() -> dict[str, Iterable[str]]:
    """Every value each column may hold (tests check the file against it)."""
    return {
        "channel": (*CHANNELS, OTHER_CHANNEL),
        "language": [language.code for language in registered_languages()],
        "topic": TOPICS,
    }
