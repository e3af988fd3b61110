"""core/sources.py: the one reader of sourced CSV files, and what it refuses."""

from datetime import date

import pytest

from core.sources import DataError, provenance_problems, read_rows, read_sourced_table, source_date, split_list


def write(tmp_path, text):
    path = tmp_path / "facts.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_problem_of_the_file_is_named_at_once_with_its_line_and_key(tmp_path):
    path = write(
        tmp_path,
        "key,value,source_url,source_date,verified_on,verified_by\n"
        "a,1,https://example.org,2026-01-01,,\n"
        "b,2,,2026-01-01,,\n"
        "c,3,the court page,someday,,\n",
    )
    with pytest.raises(DataError) as refused:
        read_sourced_table(path, ("key", "value"))
    message = str(refused.value)
    assert message.startswith("3 problem(s) in facts.csv:")
    assert "facts.csv:3: 'b': lacks source_url" in message
    assert "facts.csv:4: 'c': source_url 'the court page' is not a web address" in message
    assert "source_date 'someday' names no date" in message


def test_values_are_stripped_and_rows_come_in_file_order(tmp_path):
    path = write(
        tmp_path,
        "key,value,source_url,source_date,verified_on,verified_by\n a , 1 ,https://a.org ; https://b.org,2024-02,,\n",
    )
    assert read_sourced_table(path, ("key", "value")) == [
        {
            "key": "a",
            "value": "1",
            "source_url": "https://a.org ; https://b.org",
            "source_date": "2024-02",
            "verified_on": "",
            "verified_by": "",
        }
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
    values = {"source_url": "https://example.org", "source_date": "2026-12-31"}
    assert provenance_problems(values, today=date(2026, 12, 1)) == ["source_date '2026-12-31' is in the future"]
    assert provenance_problems(values, today=date(2027, 1, 1)) == []
    checked = {**values, "verified_on": "2027-01-02", "verified_by": "hotline desk"}
    assert provenance_problems(checked, today=date(2027, 1, 1)) == ["verified_on 2027-01-02 is in the future"]
    assert provenance_problems(checked, today=date(2027, 1, 2)) == []


@pytest.mark.parametrize(
    "text, day, precision",
    [
        ("2022-07-20", date(2022, 7, 20), "day"),
        ("2024-02", date(2024, 2, 1), "month"),
        ("~2019", date(2019, 1, 1), "year"),
        ("FY2019", date(2019, 1, 1), "year"),
        ("Press Herald 2023-11-21; court page undated", date(2023, 11, 21), "day"),
        ("2023-11-28 (19-A §4104 text via WomensLaw)", date(2023, 11, 28), "day"),
        ("undated; 2018-06-21 (office move)", None, None),  # the page is undated; the event it tells of is not
        ("court directory undated (c. autumn 2025)", None, None),
        ("undated page copy", None, None),
    ],
)
def test_the_date_a_source_names(text, day, precision):
    found = source_date(text)
    assert (found.day, found.precision) == (day, precision) if day else found is None


def test_a_live_check_needs_its_day_and_who_checked():
    values = {"source_url": "https://example.org", "source_date": "undated"}
    assert provenance_problems({**values, "verified_on": "2026-01-05"}, today=date(2026, 2, 1)) == [
        "verified_on 2026-01-05 without verified_by: say who checked (a role or initials)"
    ]
    assert provenance_problems({**values, "verified_by": "AB"}) == [
        "verified_by 'AB' without verified_on: say when it was checked"
    ]
