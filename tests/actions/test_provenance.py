"""The line under a fact: "Checked on" only after a live check, otherwise its source and that source's date."""

from __future__ import annotations

import pytest

from actions.provenance import oldest_check, provenance_line
from actions.replies import Replies
from core.sources import Provenance

PTLA = ("https://www.ptla.org/protection-abuse",)


@pytest.mark.parametrize(
    "provenance, expected",
    [
        (Provenance(PTLA, "2022-07-20"), "Source: Pine Tree Legal Assistance, July 2022."),
        (Provenance(PTLA, "~2019"), "Source: Pine Tree Legal Assistance, 2019."),
        (Provenance(PTLA, "undated page copy"), "Source: Pine Tree Legal Assistance (the page has no date)."),
        (Provenance(("https://homeszillow.com/?p=1",), "undated"), "Source: homeszillow.com (the page has no date)."),
        (Provenance(PTLA, "2022-07-20", "2026-12-01", "AB"), "Checked on December 1, 2026."),
        # A day without a checker is no check (the data checks refuse it; the answer never claims it).
        (Provenance(PTLA, "2022-07-20", "2026-12-01", ""), "Source: Pine Tree Legal Assistance, July 2022."),
    ],
)
def test_the_line_says_what_happened(provenance, expected):
    assert provenance_line(Replies("en", "rest"), provenance) == expected


def test_the_line_is_translated_with_the_month_in_the_persons_language():
    spanish = provenance_line(Replies("es", "rest"), Provenance(PTLA, "2022-07-20"))
    assert "Pine Tree Legal Assistance" in spanish and "julio de 2022" in spanish
    assert not spanish.startswith("Source")


def test_a_list_is_checked_only_when_every_fact_in_it_is():
    checked = Provenance(PTLA, "2022", "2026-11-02", "AB")
    assert str(oldest_check([checked, Provenance(PTLA, "2022", "2026-10-01", "CD")])) == "2026-10-01"
    assert oldest_check([checked, Provenance(PTLA, "2022")]) is None
    assert oldest_check([]) is None


@pytest.mark.parametrize("case", [None, "protection_from_abuse"])
def test_a_question_about_the_court_in_portland_gives_the_courthouse_address(case):
    from actions.ask_court import court_reply

    text = court_reply(Replies("en", "rest"), case, "Portland", "Cumberland", "Portland")["text"]
    assert "205 Newbury Street, Portland" in text
    assert "Checked on" not in text  # nobody has called the courts yet
    if case:  # the District Court's presence in the building rests on weaker sources: the answer says so
        assert "No official page confirms this court is there: call (207) 822-4200 before you go." in text
    sms = court_reply(Replies("es", "sms"), case, "Portland", "Cumberland", "Portland")["text"]
    assert "205 Newbury Street, Portland" in sms
