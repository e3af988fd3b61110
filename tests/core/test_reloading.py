"""core/reloading.py: a value read from files, read again at once when one changes, the last good one kept."""

import logging
import threading

import pytest

import core.reloading
from core.reloading import Reloading


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_value_is_read_once_until_its_file_changes(tmp_path):
    path = tmp_path / "value.txt"
    path.write_text("one", encoding="utf-8")
    reads = []
    value = Reloading(lambda p: reads.append(p) or p.read_text(encoding="utf-8"))
    assert value(path) == value(path) == "one"
    path.write_text("three", encoding="utf-8")  # a new size, even within the same clock tick
    assert value(path) == "three"
    assert len(reads) == 2


def test_a_broken_change_keeps_the_last_good_value_and_warns_once(tmp_path, caplog):
    path = tmp_path / "number.txt"
    path.write_text("1", encoding="utf-8")
    value = Reloading(lambda p: int(p.read_text(encoding="utf-8")), errors=(ValueError,))
    assert value(path) == 1
    path.write_text("one", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert value(path) == value(path) == 1
    assert caplog.text.count("cannot be read (ValueError)") == 1


def test_without_a_good_value_the_error_is_raised_unless_there_is_a_default(tmp_path):
    path = tmp_path / "number.txt"
    path.write_text("one", encoding="utf-8")
    with pytest.raises(ValueError):
        Reloading(lambda p: int(p.read_text(encoding="utf-8")), errors=(ValueError,))(path)
    with_default = Reloading(lambda p: int(p.read_text(encoding="utf-8")), errors=(ValueError,), default=int)
    assert with_default(path) == 0
    assert with_default(tmp_path / "missing.txt") == 0
    with pytest.raises(FileNotFoundError):
        Reloading(lambda p: 1)(tmp_path / "missing.txt")


def test_several_files_are_one_value(tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("a", encoding="utf-8")
    second.write_text("b", encoding="utf-8")
    joined = Reloading(lambda *paths: "".join(p.read_text(encoding="utf-8") for p in paths))
    assert joined(first, second) == "ab"
    second.write_text("bb", encoding="utf-8")
    assert joined(first, second) == "abb"


def test_threads_read_a_changed_file_once(tmp_path):
    path = tmp_path / "value.txt"
    path.write_text("x", encoding="utf-8")
    reads = []
    value = Reloading(lambda p: reads.append(p) or p.read_text(encoding="utf-8"))
    threads = [threading.Thread(target=value, args=(path,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(reads) == 1


def test_files_are_looked_at_at_most_once_a_second(tmp_path, monkeypatch):
    path = tmp_path / "value.txt"
    path.write_text("one", encoding="utf-8")
    looked = []
    real_stat = type(path).stat
    monkeypatch.setattr(type(path), "stat", lambda self, **kw: looked.append(self) or real_stat(self, **kw))
    clock = Clock()
    value = Reloading(lambda p: p.read_text(encoding="utf-8"), check_every=1.0, clock=clock)
    assert value(path) == "one"
    path.write_text("three", encoding="utf-8")
    clock.now += 0.9
    assert [value(path) for _ in range(50)] == ["one"] * 50  # within the second: neither looked at nor read
    assert len(looked) == 1
    clock.now += 0.1
    assert value(path) == "three"  # a translator's edit shows up a second later, with no restart
    assert value(path) == "three" and len(looked) == 2


def test_the_servers_look_once_a_second_unless_told_otherwise(tmp_path, monkeypatch):
    monkeypatch.setattr(core.reloading, "CHECK_EVERY_SECONDS", 1.0)  # the shipped value (tests set 0)
    path = tmp_path / "value.txt"
    path.write_text("one", encoding="utf-8")
    clock = Clock()
    value = Reloading(lambda p: p.read_text(encoding="utf-8"), clock=clock)
    assert value(path) == "one"
    path.write_text("three", encoding="utf-8")
    assert value(path) == "one"
    clock.now += 1.0
    assert value(path) == "three"
