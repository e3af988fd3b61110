"""The counts file and the counter the tracker store calls once per turn.

The file holds one row per (day, channel, language, topic) and its count, nothing else. Every value comes
from a fixed vocabulary (the channel names, the registered language codes, the topics), never from what a
person wrote, so no text can reach it. Days are the server's local date: nothing finer is kept, in the file's
contents or beside them:

- turns are counted in memory and written at the top of every hour (by a timer, never by a turn) and when
  the server stops: the file changes when the hour strikes, not when someone writes, and a turn costs no
  disk write (a synchronous SQLite commit per turn took 10 to 16 ms of the event loop on a busy machine);
- no write-ahead log (SQLite's WAL kept each +1 in order): a rollback journal, deleted as each write
  commits, and freed pages overwritten (secure_delete);
- no row ids (a table WITHOUT ROWID), which would keep the order in which each day's combinations first
  appeared;
- the file's modification and access times set back to the start of the day after each write (its change
  time, which no program may set, shows the hour of the last write).
"""

from __future__ import annotations

import atexit
import datetime
import logging
import os
import sqlite3
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import sqlite_utils

from bot.i18n.languages import registered_languages, reply_language
from bot.stats.topics import TOPICS, topic_of
from core import settings
from core.names import LANGUAGE

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
WRITE_EVERY_SECONDS = 3600  # at the top of every hour (UTC, so whole hours in Maine too)

Key = tuple[datetime.date, str, str, str]  # day, channel, language, topic


def stats_path() -> Path:
    return settings.stats_db_path()


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
        # One connection, used by the hourly timer's thread and by the main thread (at exit, `make stats`):
        # Python's sqlite3 connection must not be used by two threads at once (it crashed the process).
        self._lock = threading.RLock()
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
        self.add_all({(day, channel, language, topic): count})

    def add_all(self, counts: Mapping[Key, int]) -> None:
        """Add each count to its row, in one transaction."""
        if not counts:
            return
        with self._lock, self.db.atomic():
            for (day, channel, language, topic), count in sorted(counts.items()):
                self.db.execute(
                    f"INSERT INTO {TABLE} (day, channel, language, topic, count) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (day, channel, language, topic) DO UPDATE SET count = count + excluded.count",
                    [day.isoformat(), channel, language, topic, count],
                )
        start_of_day = datetime.datetime.combine(max(key[0] for key in counts), datetime.time()).timestamp()
        os.utime(self.path, (start_of_day, start_of_day))

    def rows(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.db.table(TABLE).rows_where(order_by="day, channel, language, topic"))

    def monthly(self) -> list[dict[str, Any]]:
        """Counts summed per (month, channel, language, topic)."""
        with self._lock:
            return list(
                self.db.query(
                    f"SELECT substr(day, 1, 7) AS month, channel, language, topic, sum(count) AS count FROM {TABLE} "
                    "GROUP BY month, channel, language, topic ORDER BY month, channel, language, topic"
                )
            )

    def close(self) -> None:
        with self._lock:
            self.db.close()


class TurnCounter:
    """Adds one to (today, channel, language, topic) for each turn a person took: in memory, written to the file
    at the top of every hour and when the process ends (`write()`)."""

    def __init__(
        self,
        counts: Counts,
        today: Callable[[], datetime.date] = datetime.date.today,
        write_every: float = WRITE_EVERY_SECONDS,
    ) -> None:
        self.counts = counts
        self.today = today
        self.write_every = write_every
        self._counted: OrderedDict[str, None] = OrderedDict()
        self._pending: Counter[Key] = Counter()
        self._lock = threading.Lock()  # the timer writes from its own thread
        self._timer: threading.Timer | None = None
        atexit.register(self.write)

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
        with self._lock:
            self._pending[(self.today(), channel, language, topic_of(intent))] += 1
            if self._timer is None:
                # The top of the next hour: when the file changes says nothing about when this turn was.
                self._timer = threading.Timer(self.write_every - time.time() % self.write_every, self._on_time)
                self._timer.daemon = True
                self._timer.start()

    def _on_time(self) -> None:
        with self._lock:
            self._timer = None
        self.write()

    def write(self) -> None:
        """Add what was counted since the last write to the file (the timer and the process's exit call it)."""
        with self._lock:
            pending, self._pending = self._pending, Counter()
        try:
            self.counts.add_all(pending)
        except (sqlite3.Error, OSError) as error:
            # A statistic is never worth a failed reply to a person; the counts wait for the next write.
            logger.warning("Could not add to the statistics (%s).", type(error).__name__)
            with self._lock:
                self._pending.update(pending)


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
