"""core/sources.py: the one reader of sourced CSV files, and what it refuses."""

from datetime import date

import pytest

from core.sources import DataError, provenance_problems, read_rows, read_sourced_table, split_list


def write(tmp_path, text):
    path = tmp_path / "facts.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_problem_of_the_file_is_named_at_once_with_its_line_and_key(tmp_path):
    path = write(
        tmp_path,
        "key,value,source_url,last_checked\n"
        "a,1,https://example.org,2026-01-01\n"
        "b,2,,2026-01-01\n"
        "c,3,the court page,someday\n",
    )
    with pytest.raises(DataError) as refused:
        read_sourced_table(path, ("key", "value"))
    message = str(refused.value)
    assert message.startswith("3 problem(s) in facts.csv:")
    assert "facts.csv:3: 'b': lacks source_url" in message
    assert "facts.csv:4: 'c': source_url 'the court page' is not a web address" in message
    assert "last_checked 'someday' is not a YYYY-MM-DD date" in message


def test_values_are_stripped_and_rows_come_in_file_order(tmp_path):
    path = write(tmp_path, "key,value,source_url,last_checked\n a , 1 ,https://a.org ; https://b.org,2026-01-01\n")
    assert read_sourced_table(path, ("key", "value")) == [
        {"key": "a", "value": "1", "source_url": "https://a.org ; https://b.org", "last_checked": "2026-01-01"}
    ]
    assert split_list("https://a.org ; https://b.org") == ("https://a.org", "https://b.org")


def test_a_missing_column_an_extra_value_or_a_missing_file_is_refused(tmp_path):
    with pytest.raises(DataError, match=r"columns missing \['value'\]"):
        read_rows(write(tmp_path, "key\na\n"), ("key", "value"))
    with pytest.raises(DataError, match=r"unknown \['note'\]"):
        read_rows(write(tmp_path, "key,note\na,b\n"), ("key",), exact=True)
    with pytest.raises(DataError, match="more values than the header has columns"):
        read_rows(write(tmp_path, "key\na,b\n"), ("key",))
    with pytest.raises(DataError, match="missing"):
        read_rows(tmp_path / "nowhere.csv", ("key",))


def test_a_date_in_the_future_is_refused():
    values = {"source_url": "https://example.org", "last_checked": "2026-12-31"}
    assert provenance_problems(values, today=date(2026, 12, 1)) == ["last_checked 2026-12-31 is in the future"]
    assert provenance_problems(values, today=date(2027, 1, 1)) == []
