"""tools/readability.py: what it measures, what it leaves out, and when it fails (make readability, the last
step of make test)."""

from __future__ import annotations

import textwrap

import pytest

from tools import readability
from tools.readability import (
    MAX_MEDIAN_GRADE,
    MAX_P90_GRADE,
    Measured,
    as_sentences,
    figures,
    grade,
    measure,
    official_names,
    report,
    without_names,
)

HARD = "Individuals experiencing significant socioeconomic barriers necessitate comprehensive intervention."
EASY = "If you are in danger now, call 911. It is free and open all day."


def write(path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


@pytest.fixture
def project(tmp_path):
    """A small project: babel.cfg, one domain file, one data file with a name column."""
    write(
        tmp_path / "babel.cfg",
        """
        [extractors]
        rasa_responses = bot.i18n.extract:extract_responses
        data_csv = bot.i18n.extract:extract_data_csv

        [rasa_responses: domain/**.yml]

        [data_csv: data/orgs.csv]
        table = orgs
        columns = name who
        """,
    )
    write(
        tmp_path / "domain" / "core.yml",
        f"""
        responses:
          utter_easy:
          - text: "{EASY}"
          utter_list:
          - text: "Free lines, open all day and night:\\nDomestic violence: {{line_dv}}\\nSexual assault: {{line_sa}}"
          utter_short:
          - text: "Choose a language"
          utter_named:
          - text: "Call the Extraordinarily Comprehensive Immigration Consortium today. They help for free."
        """,
    )
    write(
        tmp_path / "data" / "orgs.csv",
        f"""
        name,who
        Extraordinarily Comprehensive Immigration Consortium,"{HARD}"
        Another Organisation With An Unnecessarily Complicated Designation,Anyone who needs help can call them any day.
        """,
    )
    return tmp_path


def test_both_halves_are_measured_with_names_and_short_strings_left_out(project):
    items = measure(project)
    texts = {item.text: item for item in items}
    # The name column is never measured; neither is a string under eight words.
    assert not any(text.split()[-1] == "Designation" for text in texts)
    assert "Choose a language" not in texts
    assert {item.half for item in items} == {"messages", "data"}
    assert texts[HARD].half == "data" and texts[HARD].where == "data/orgs.csv"
    assert texts[EASY].half == "messages" and texts[EASY].where.startswith("domain/")


def test_an_official_name_counts_as_one_short_word(project):
    names = official_names(project)
    named = "Call the Extraordinarily Comprehensive Immigration Consortium today. They help for free."
    assert "Extraordinarily Comprehensive Immigration Consortium" in names
    assert without_names(named, names) == "Call the it today. They help for free."
    [item] = [item for item in measure(project) if item.text == named]
    assert item.grade == pytest.approx(grade("Call the it today. They help for free."))
    assert item.grade < grade(named) - 5


def test_parts_of_a_composite_name_are_names_too(tmp_path):
    composite = "Maine Victims' Compensation Program, Office of the Attorney General (toll-free)"
    write(tmp_path / "data" / "facts" / "lines.csv", f'key,name\nline_x,"{composite}"\n')
    names = official_names(tmp_path)
    assert "Office of the Attorney General" in names and "Maine Victims' Compensation Program" in names
    assert "toll-free" not in names
    # Longest first, so a name inside a longer one does not break it up.
    assert names.index("Office of the Attorney General") > names.index(
        "Maine Victims' Compensation Program, Office of the Attorney General (toll-free)"
    )


def test_placeholders_count_as_a_word_and_each_line_is_a_sentence():
    assert without_names("Call {line_dv} now.", []) == "Call it now."
    assert as_sentences("Free lines:\nDomestic violence: it\nSexual assault: it") == (
        "Free lines: Domestic violence: it. Sexual assault: it."
    )
    # Read as one long sentence the list would score much harder than it reads.
    listed = "Free help all day\nDomestic violence line it\nSexual assault line it\nTrafficking line it"
    assert grade(as_sentences(listed)) < grade(listed.replace("\n", " "))


def measured(grades: list[float], half: str = "data") -> list[Measured]:
    return [Measured(value, half, f"data/file{index}.csv", f"text {index}") for index, value in enumerate(grades)]


def test_passes_within_both_limits():
    passed, text = report(measured([2, 3, 4, 5, 5, 6, 7, 7.5]) + measured([1, 2], "messages"))
    assert passed
    assert "messages 2 strings" in text and "data     8 strings" in text and "all      10 strings" in text
    assert "hardest" not in text


def test_fails_on_the_median_and_lists_the_worst_strings():
    items = measured([6.5] * 10)
    assert figures(items).median > MAX_MEDIAN_GRADE
    passed, text = report(items)
    assert not passed
    assert "hardest strings" in text and "6.5  data/file0.csv: text 0" in text


def test_fails_on_the_90th_percentile_alone():
    items = measured([3.0] * 8 + [12.0, 14.0])
    assert figures(items).median <= MAX_MEDIAN_GRADE and figures(items).p90 > MAX_P90_GRADE
    passed, text = report(items)
    assert not passed
    worst = [line for line in text.splitlines() if line.startswith("   ")]
    assert worst[0].startswith("   14.0")


def test_the_messages_are_plain(monkeypatch):
    """The project's own messages (domain/, bot/replies/messages/, Python) within both limits; the data texts
    are checked with them by make readability."""
    messages = [item for item in measure() if item.half == "messages"]
    assert len(messages) > 30
    found = figures(messages)
    assert found.passes(), report(messages)[1]


def test_the_command_exits_non_zero_when_too_hard(monkeypatch, capsys):
    monkeypatch.setattr(readability, "measure", lambda: measured([10.0] * 5))
    assert readability.main([]) == 1
    assert "Too hard to read" in capsys.readouterr().err
    monkeypatch.setattr(readability, "measure", lambda: measured([3.0] * 5))
    assert readability.main([]) == 0
    assert f"limits: median {MAX_MEDIAN_GRADE:g}, 90th percentile {MAX_P90_GRADE:g}" in capsys.readouterr().out
