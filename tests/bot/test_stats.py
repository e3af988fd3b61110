"""Anonymous statistics: counts per (day, channel, language, topic) only, and "<5" for any count under 5."""

import datetime
import sqlite3
import time

import pytest
from rasa.shared.core.events import SlotSet, UserUttered

from bot.stats import report
from bot.stats.counts import Counts, TurnCounter, known_values, turn_counter_from_settings
from bot.stats.topics import OTHER, TOPICS, intent_topics, topic_of
from tests.conftest import PROJECT_ROOT, make_tracker
from tools.stats import main as stats_main

DAY = datetime.date(2026, 11, 24)


@pytest.fixture
def counts(tmp_path):
    counts = Counts(tmp_path / "counts.db")
    yield counts
    counts.close()


def user_turn(intent, channel="rest", language=None, text="My name is Zelda Quistorp", message_id=None, sender="s1"):
    tracker = make_tracker(sender, **({"language": language} if language else {}))
    tracker.update(
        UserUttered(
            text,
            intent={"name": intent, "confidence": 0.9},
            input_channel=channel,
            message_id=message_id or f"m-{intent}-{channel}-{language}",
        )
    )
    return tracker


def test_every_intent_in_the_topic_table_is_in_the_domain():
    from rasa.shared.core.domain import Domain

    intents = set(Domain.load(str(PROJECT_ROOT / "domain")).intents)
    assert set(intent_topics()) <= intents


@pytest.mark.parametrize(
    "intent, topic",
    [
        ("danger_now", "danger"),
        ("trafficking_signs", "trafficking_signs"),
        ("need_shelter", "housing"),
        ("ask_legal_options", "legal_option"),
        ("ask_court", "court"),
        ("find_services", "service_need"),
        ("greet", OTHER),
        ("an_intent_added_later", OTHER),
        (None, OTHER),
    ],
)
def test_topics_come_from_the_intent(intent, topic):
    assert topic_of(intent) == topic


def test_a_turn_is_counted_once_by_day_channel_language_and_topic(counts):
    counter = TurnCounter(counts, today=lambda: DAY)
    counter.count_turn(user_turn("need_shelter", "sms", "so", message_id="m1"))
    counter.count_turn(user_turn("need_shelter", "sms", "so", message_id="m1"))  # saved twice: counted once
    counter.count_turn(user_turn("need_shelter", "sms", "so", message_id="m2"))
    counter.count_turn(user_turn("danger_now", "kiosk", "ar", message_id="m3"))
    counter.write()
    assert counts.rows() == [
        {"day": "2026-11-24", "channel": "kiosk", "language": "ar", "topic": "danger", "count": 1},
        {"day": "2026-11-24", "channel": "sms", "language": "so", "topic": "housing", "count": 2},
    ]


def test_the_file_holds_nothing_but_known_values_and_counts(counts, tmp_path):
    counter = TurnCounter(counts, today=lambda: DAY)
    counter.count_turn(
        user_turn("made_up_intent", "socketio", "tlh", text="207-555-0199 zq@example.org", sender="+12075550199")
    )
    counter.count_turn(user_turn("restart", "kiosk"))  # the kiosk's wipe is no question
    empty = make_tracker("s2")  # a new conversation, before anyone wrote
    counter.count_turn(empty)
    counter.write()
    [row] = counts.rows()
    assert row == {"day": "2026-11-24", "channel": "other", "language": "en", "topic": "other", "count": 1}
    for column, values in known_values().items():
        assert row[column] in values
    counts.close()
    raw = (tmp_path / "counts.db").read_bytes()
    for secret in (b"Zelda", b"207-555-0199", b"zq@example.org", b"+12075550199", b"s1", b"socketio", b"made_up"):
        assert secret not in raw
    columns = [c[1] for c in sqlite3.connect(tmp_path / "counts.db").execute("PRAGMA table_info(counts)")]
    assert columns == ["day", "channel", "language", "topic", "count"]


def test_the_language_is_the_one_the_reply_was_in(counts):
    counter = TurnCounter(counts, today=lambda: DAY)
    tracker = user_turn("ask_court", "rest", None, message_id="m9")
    tracker.update(SlotSet("language", "pt"))
    counter.count_turn(tracker)
    counter.write()
    assert counts.rows()[0]["language"] == "pt"


def test_stats_can_be_switched_off(monkeypatch, tmp_path):
    monkeypatch.setenv("STATS_DB", str(tmp_path / "off.db"))
    monkeypatch.setenv("STATS_ENABLED", "false")
    assert turn_counter_from_settings() is None
    monkeypatch.setenv("STATS_ENABLED", "true")
    counter = turn_counter_from_settings()
    assert counter is not None and (tmp_path / "off.db").exists()
    counter.counts.close()


# ---- the report -----------------------------------------------------------------------------------------


def monthly(counts, entries):
    for day, channel, language, topic, count in entries:
        counts.add(datetime.date.fromisoformat(day), channel, language, topic, count)
    return counts.monthly()


ENTRIES = [
    ("2026-10-03", "sms", "en", "housing", 3),
    ("2026-10-20", "sms", "en", "housing", 4),  # 7 in October
    ("2026-10-21", "kiosk", "so", "danger", 2),  # under 5
    ("2026-11-02", "rest", "es", "court", 5),
    ("2026-11-09", "kiosk", "es", "court", 1),
]


def test_counts_are_summed_per_month(counts):
    rows = monthly(counts, ENTRIES)
    assert {"month": "2026-10", "channel": "sms", "language": "en", "topic": "housing", "count": 7} in rows
    assert all(set(row) == {"month", "channel", "language", "topic", "count"} for row in rows)


def test_the_table_shows_counts_under_5_as_less_than_5(counts):
    table = report.monthly_table(monthly(counts, ENTRIES))
    lines = table.splitlines()
    header = lines[0].split()
    assert header[:2] == ["month", "topic/channel"] and header[-1] == "total"
    housing = next(line for line in lines if line.startswith("2026-10") and " housing " in line).split()
    assert housing[header.index("en")] == "7"
    danger = next(line for line in lines if line.startswith("2026-10") and " danger " in line).split()
    assert danger[-1] == "<5" and "2" not in danger[2:]
    court = next(line for line in lines if line.startswith("2026-11") and " court " in line).split()
    assert court[header.index("es")] == "6" and court[-1] == "6"
    kiosk = next(line for line in lines if line.startswith("2026-11") and "channel:kiosk" in line).split()
    assert kiosk[-1] == "<5"
    for line in lines[1:]:
        for cell in line.split()[2:]:
            assert cell == "<5" or int(cell) >= 5, line


def test_the_chart_shows_counts_under_5_as_less_than_5(counts, tmp_path):
    rows = monthly(counts, ENTRIES)
    data = report.chart_data(rows)
    assert data["months"] == ["2026-10", "2026-11"]
    assert data["series"]["housing"] == [(7, "7"), (0, "<5")]
    assert data["series"]["danger"] == [(0, "<5"), (0, "<5")]
    assert data["series"]["court"] == [(0, "<5"), (6, "6")]
    heights = [height for bars in data["series"].values() for height, _ in bars]
    assert all(height == 0 or height >= 5 for height in heights)
    path = tmp_path / "chart.png"
    labels = report.draw_chart(rows, path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<5" in labels and "7" in labels and not {"1", "2", "3", "4"} & set(labels)
    assert len(labels) == len(TOPICS) * 2


def test_make_stats_prints_the_table_and_writes_the_chart(counts, tmp_path, capsys):
    monthly(counts, ENTRIES)
    chart = tmp_path / "out" / "monthly.png"
    assert stats_main(["--db", str(tmp_path / "counts.db"), "--chart", str(chart)]) == 0
    out = capsys.readouterr().out
    assert "2026-10" in out and "<5" in out and str(chart) in out
    assert chart.stat().st_size > 1000


def test_make_stats_without_a_file_says_so_and_still_draws(tmp_path, capsys):
    chart = tmp_path / "monthly.png"
    assert stats_main(["--db", str(tmp_path / "none.db"), "--chart", str(chart)]) == 0
    assert "No statistics yet" in capsys.readouterr().out
    assert chart.exists() and not (tmp_path / "none.db").exists()


def test_the_file_on_disk_holds_nothing_finer_than_the_day(tmp_path):
    """Turns are counted in memory and written by the hour, not by the turn; no write-ahead log keeping each +1
    in order, no journal left behind, no row ids keeping the order in which the day's combinations appeared,
    and the file's times say the day only."""
    path = tmp_path / "counts.db"
    counts = Counts(path)
    counter = TurnCounter(counts, today=lambda: DAY)
    written = path.stat().st_ctime_ns
    for number, intent in enumerate(["danger_now", "need_shelter", "ask_court", "danger_now"]):
        counter.count_turn(user_turn(intent, "sms", "so", message_id=f"m{number}"))
    assert path.stat().st_ctime_ns == written and counts.rows() == []  # a turn writes nothing
    counter.write()  # as the hour strikes
    start_of_day = datetime.datetime.combine(DAY, datetime.time()).timestamp()
    assert path.stat().st_mtime == start_of_day and path.stat().st_atime == start_of_day
    assert sum(row["count"] for row in counts.rows()) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["counts.db"]  # no -wal, -shm or -journal beside it
    counts.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    with pytest.raises(sqlite3.OperationalError):
        db.execute("SELECT rowid FROM counts")  # WITHOUT ROWID: no insertion order kept
    db.close()


def test_the_counts_are_written_at_the_top_of_the_hour_by_a_timer(tmp_path):
    counts = Counts(tmp_path / "counts.db")
    counter = TurnCounter(counts, today=lambda: DAY, write_every=0.2)  # "hours" of 0.2 s
    counter.count_turn(user_turn("need_shelter", "kiosk", "ar", message_id="t1"))
    timer = counter._timer
    assert timer is not None and counts.rows() == []
    deadline = time.monotonic() + 5
    while not counts.rows() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [row["count"] for row in counts.rows()] == [1]
    timer.join(timeout=5)  # the timer's thread may still be inside its write: closing under it crashed sqlite
    counts.close()


def test_counts_that_could_not_be_written_wait_for_the_next_write(tmp_path):
    counts = Counts(tmp_path / "counts.db")
    counter = TurnCounter(counts, today=lambda: DAY)
    counter.count_turn(user_turn("ask_court", "rest", "es", message_id="w1"))
    counts.db.execute("PRAGMA query_only = ON")  # the disk refuses the write
    counter.write()
    counts.db.execute("PRAGMA query_only = OFF")
    counter.write()
    assert [row["count"] for row in counts.rows()] == [1]
    counts.close()


def test_an_older_file_in_wal_mode_with_row_ids_is_rewritten(tmp_path):
    path = tmp_path / "counts.db"
    old = sqlite3.connect(path)
    old.execute("PRAGMA journal_mode=WAL")
    old.execute(
        "CREATE TABLE counts (day TEXT, channel TEXT, language TEXT, topic TEXT, count INTEGER, "
        "PRIMARY KEY (day, channel, language, topic))"
    )
    old.execute("INSERT INTO counts VALUES ('2026-11-23', 'sms', 'so', 'housing', 7)")
    old.commit()
    old.close()
    counts = Counts(path)
    counts.add(DAY, "sms", "so", "housing")
    assert counts.rows() == [
        {"day": "2026-11-23", "channel": "sms", "language": "so", "topic": "housing", "count": 7},
        {"day": "2026-11-24", "channel": "sms", "language": "so", "topic": "housing", "count": 1},
    ]
    counts.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["counts.db"]
    with pytest.raises(sqlite3.OperationalError):
        sqlite3.connect(path).execute("SELECT rowid FROM counts")
