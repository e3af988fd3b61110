"""The line under a fact in an answer that says where it comes from (shared by the services, court and legal
actions; Rasa-free).

"Checked on <date>" only when a person checked the fact live (data files: verified_on and verified_by; the
directory: HSDS's assured_date and assurer_email). Otherwise "Source: <publisher>, <month year>" from the
fact's first source and that source's own date, or that the page has no date: a survivor must not trust an
old web page more than it deserves (docs/facts.md).
"""

from __future__ import annotations

import datetime

from babel.dates import format_skeleton

from actions.replies import Replies
from bot.replies.rendering import LocalText
from core.facts import publisher
from core.sources import Provenance, SourceDate

# CLDR skeletons: a month in full and the year ("July 2022"), shorter on SMS ("Jul 2022").
MONTH_YEAR, SHORT_MONTH_YEAR = "yMMMM", "yMMM"


def source_when(replies: Replies, dated: SourceDate) -> LocalText:
    """ "July 2022" (or "2019" when the source names only a year) in the person's language."""
    if dated.precision == "year":
        return LocalText(dated.day.year)
    skeleton = SHORT_MONTH_YEAR if replies.plain_text else MONTH_YEAR
    try:
        return LocalText(format_skeleton(skeleton, dated.day, locale=replies.language))
    except (ValueError, LookupError):
        return LocalText(format_skeleton(skeleton, dated.day, locale="en"))


def provenance_line(replies: Replies, provenance: Provenance) -> str:
    if provenance.verified:
        return replies.text("utter_checked_on", date=replies.date(provenance.verified_on))
    source = publisher(provenance.source_urls[0]) if provenance.source_urls else ""
    dated = provenance.dated
    if dated is None:
        return replies.text("utter_source_undated", source=source)
    return replies.text("utter_source_dated", source=source, date=source_when(replies, dated))


def oldest_check(provenances: list[Provenance]) -> datetime.date | None:
    """The oldest live check of all, or None when any of them was never checked live."""
    if not provenances or not all(p.verified for p in provenances):
        return None
    return min(datetime.date.fromisoformat(p.verified_on) for p in provenances)
