"""Every number in a reply comes from data/facts/lines.csv, with a source and a checked-on date."""

import pytest

from bot.replies.rendering import default_values, placeholders
from core.facts import LINES_PATH, read_lines
from core.sources import source_date


def test_every_fact_has_a_source_and_a_date():
    for key, row in read_lines().items():
        assert row["source_url"].startswith("http"), key
        assert source_date(row["source_date"]) or "undated" in row["source_date"], key
        assert not row["verified_on"] and not row["verified_by"], key  # nobody has called the lines yet


def test_every_placeholder_in_the_domain_has_a_value(responses):
    known = set(default_values())
    for name, variations in responses.items():
        for variation in variations:
            assert placeholders(variation.get("text", "")) <= known, name


def test_a_row_without_a_source_is_refused(tmp_path):
    path = tmp_path / "lines.csv"
    path.write_text(LINES_PATH.read_text().splitlines()[0] + "\nline_x,Somewhere,555,,2026-01-01,,,\n")
    with pytest.raises(ValueError, match="source_url"):
        read_lines(path)
