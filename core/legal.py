"""Legal options and the short questionnaire that points to them (Rasa-free; data/legal/*.csv).

Every option carries its official English name (kept in replies next to a translation, so a person can ask
for it by name at a courthouse), its form numbers where the reference gives them, plain-English fields at
about a 6th-grade level, and its sources. An option marked `unconfirmed` says so in its own text; what the
reference could not confirm sits in `not_confirmed`, for the people who check the data, and is never shown.

The questionnaire asks no names and no details of what happened: only yes/no questions, each of which points
to options or rules some out (data/legal/questions.csv). Every result carries a free legal-help referral
(Pine Tree Legal Assistance, and ILAP when immigration may matter), read from the facts files with sources.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from core.courts import case_types
from core.facts import Fact, fact, facts
from core.paths import LEGAL_DIR
from core.sources import NOT_A_FACT, DataError, Provenance, read_sourced_table, split_list, unique_by_key

OPTIONS_PATH = LEGAL_DIR / "options.csv"
FORMS_PATH = LEGAL_DIR / "forms.csv"
QUESTIONS_PATH = LEGAL_DIR / "questions.csv"
REFERRALS_PATH = LEGAL_DIR / "referrals.csv"

CATEGORIES = (
    "protection_order",
    "privacy",
    "money",
    "immigration",
    "work",
    "civil",
    "records",
    "court_access",
    "victim_rights",
)
STATUSES = ("confirmed", "unconfirmed")
REFERRAL_WHEN = ("always", "immigration")
# The fields shown to people (and translated later); everything else is for the code or for checkers.
PLAIN_FIELDS = (
    "what_it_is",
    "who_can_get_it",
    "what_it_gives",
    "how_to_apply",
    "where_free_help",
    "fee",
    "time_limit",
    "limits",
)
SOURCE_COLUMNS = ("source_url", "source_date")


# How sure the NLU must be of the legal option a message asks about (bot/nlu/legal_option_finder.py) for it to
# count as asked: it then outweighs a request for a lawyer, and is answered after a crisis reply.
SURE_OPTION = 0.6


@dataclass(frozen=True)
class Form:
    number: str  # "I-914", "PA-001"; the official name people ask for
    what_it_is: str
    note: str
    source_urls: tuple[str, ...]
    source_date: str
    verified_on: str
    verified_by: str

    @property
    def provenance(self) -> Provenance:
        return Provenance(self.source_urls, self.source_date, self.verified_on, self.verified_by)


@dataclass(frozen=True)
class LegalOption:
    key: str
    name: str  # official English name, e.g. "Protection from Abuse order"
    also_called: str  # the short name people use, e.g. "PFA"
    category: str
    case_type: str  # a key of data/courts/case_types.csv, or "" when no court is involved
    forms: tuple[Form, ...]
    fee: str
    time_limit: str
    what_it_is: str
    who_can_get_it: str
    what_it_gives: str
    how_to_apply: str
    where_free_help: str
    limits: str  # what it does not cover, or what could not be confirmed, in plain words
    where_to_apply: str  # the official body or court, in the reference's words
    contact_keys: tuple[str, ...]
    status: str
    not_confirmed: str  # for checkers only; never shown
    source_urls: tuple[str, ...]
    source_date: str
    verified_on: str
    verified_by: str

    @property
    def provenance(self) -> Provenance:
        return Provenance(self.source_urls, self.source_date, self.verified_on, self.verified_by)

    checked_against: str

    @property
    def confirmed(self) -> bool:
        return self.status == "confirmed"

    @property
    def form_numbers(self) -> tuple[str, ...]:
        return tuple(form.number for form in self.forms)

    @property
    def immigration(self) -> bool:
        return self.category == "immigration"

    def plain_text(self) -> dict[str, str]:
        """The non-empty fields shown to people, in reading order."""
        return {field: getattr(self, field) for field in PLAIN_FIELDS if getattr(self, field)}

    @property
    def contacts(self) -> tuple[Fact, ...]:
        return tuple(fact(key) for key in self.contact_keys)


@dataclass(frozen=True)
class Question:
    key: str
    order: int
    text: str  # English source text; translated later under its key
    yes_points_to: tuple[str, ...]
    no_points_to: tuple[str, ...]
    yes_rules_out: tuple[str, ...]
    no_rules_out: tuple[str, ...]
    notice_if_yes: str  # a notice to give at once after a yes ("minor_reporting"), before the next question
    note: str  # why the question points where it does; for people who maintain the table


class MayFit(list[str]):
    """Option keys that may fit, in data/legal/options.csv order; compares equal to a plain list of keys.

    `referrals` (never empty) are the free legal-help facts to give with the result.
    """

    def __init__(self, keys: Iterable[str], referrals: tuple[Fact, ...]):
        super().__init__(keys)
        self.referrals = referrals


@functools.cache
def _forms(path: Path = FORMS_PATH) -> dict[str, tuple[Form, ...]]:
    rows = read_sourced_table(path, ("option_key", "form", "what_it_is", *SOURCE_COLUMNS), key="form")
    by_option: dict[str, list[Form]] = {}
    for row in rows:
        by_option.setdefault(row["option_key"], []).append(
            Form(
                row["form"],
                row["what_it_is"],
                row["note"],
                split_list(row["source_url"]),
                row["source_date"],
                row["verified_on"],
                row["verified_by"],
            )
        )
    return {key: tuple(found) for key, found in by_option.items()}


@functools.cache
def legal_options(path: Path = OPTIONS_PATH) -> tuple[LegalOption, ...]:
    """Every option, in file order (the order results are given in)."""
    required = (
        "key",
        "name",
        "category",
        "what_it_is",
        "who_can_get_it",
        "what_it_gives",
        "how_to_apply",
        "where_free_help",
        "status",
        *SOURCE_COLUMNS,
    )
    rows = read_sourced_table(path, required)
    unique_by_key(rows, path)
    forms = _forms()
    unknown_forms = set(forms) - {row["key"] for row in rows}
    if unknown_forms:
        raise DataError(f"{FORMS_PATH.name}: forms for unknown option(s) {', '.join(sorted(unknown_forms))}")
    known_facts = facts()
    known_cases = case_types()
    result = []
    for row in rows:
        where = f"{path.name}: {row['key']!r}"
        if row["category"] not in CATEGORIES:
            raise DataError(f"{where}: category {row['category']!r} is not one of {', '.join(CATEGORIES)}")
        if row["status"] not in STATUSES:
            raise DataError(f"{where}: status {row['status']!r} is not one of {', '.join(STATUSES)}")
        if row["case_type"] and row["case_type"] not in known_cases:
            raise DataError(f"{where}: case_type {row['case_type']!r} is not in case_types.csv")
        contact_keys = split_list(row["contacts"])
        for key in contact_keys:
            if key not in known_facts:
                raise DataError(f"{where}: contact {key!r} is not in lines.csv or contacts.csv")
        for field in PLAIN_FIELDS:
            if NOT_A_FACT.search(row[field]):
                raise DataError(f"{where}: {field} is shown to people and must not say UNCONFIRMED")
        result.append(
            LegalOption(
                key=row["key"],
                name=row["name"],
                also_called=row["also_called"],
                category=row["category"],
                case_type=row["case_type"],
                forms=forms.get(row["key"], ()),
                fee=row["fee"],
                time_limit=row["time_limit"],
                what_it_is=row["what_it_is"],
                who_can_get_it=row["who_can_get_it"],
                what_it_gives=row["what_it_gives"],
                how_to_apply=row["how_to_apply"],
                where_free_help=row["where_free_help"],
                limits=row["limits"],
                where_to_apply=row["where_to_apply"],
                contact_keys=contact_keys,
                status=row["status"],
                not_confirmed=row["not_confirmed"],
                source_urls=split_list(row["source_url"]),
                source_date=row["source_date"],
                verified_on=row["verified_on"],
                verified_by=row["verified_by"],
                checked_against=row["checked_against"],
            )
        )
    return tuple(result)


def legal_option(key: str) -> LegalOption:
    for option in legal_options():
        if option.key == key:
            return option
    raise KeyError(f"no legal option {key!r} in {OPTIONS_PATH.name}")


@functools.cache
def questions(path: Path = QUESTIONS_PATH) -> tuple[Question, ...]:
    """The questionnaire, in the order to ask it."""
    rows = read_sourced_table(path, ("key", "order", "text", "note"), source=None, source_dated=None, verified=None)
    unique_by_key(rows, path)
    known = {option.key for option in legal_options()}
    result = []
    for row in rows:
        lists = {}
        for column in ("yes_points_to", "no_points_to", "yes_rules_out", "no_rules_out"):
            lists[column] = split_list(row[column])
            unknown = set(lists[column]) - known
            if unknown:
                raise DataError(f"{path.name}: {row['key']!r} {column} names unknown option(s) {sorted(unknown)}")
        result.append(
            Question(
                row["key"],
                int(row["order"]),
                row["text"],
                notice_if_yes=row["notice_if_yes"],
                note=row["note"],
                **lists,
            )
        )
    return tuple(sorted(result, key=lambda question: question.order))


@functools.cache
def _referrals(path: Path = REFERRALS_PATH) -> tuple[tuple[str, str], ...]:
    rows = read_sourced_table(path, ("fact_key", "when"), key="fact_key", source=None, source_dated=None, verified=None)
    for row in rows:
        fact(row["fact_key"])
        if row["when"] not in REFERRAL_WHEN:
            raise DataError(f"{path.name}: {row['fact_key']!r} when {row['when']!r} is not one of {REFERRAL_WHEN}")
    if not any(row["when"] == "always" for row in rows):
        raise DataError(f"{path.name}: no referral is given always")
    return tuple((row["fact_key"], row["when"]) for row in rows)


def legal_help(option_keys: Iterable[str], answers: Mapping[str, bool | None] | None = None) -> tuple[Fact, ...]:
    """Free legal-help referrals: Pine Tree Legal Assistance always, ILAP when immigration may matter."""
    immigration = any(legal_option(key).immigration for key in option_keys) or (
        (answers or {}).get("citizen_or_resident") is False
    )
    return tuple(fact(key) for key, when in _referrals() if when == "always" or immigration)


def options_that_may_fit(answers: Mapping[str, bool | None]) -> MayFit:
    """Option keys that may fit a set of yes/no answers (question key -> True, False, or None for skipped).

    A yes or no adds the options its question points to; a rule-out removes options whatever else points to
    them (a U.S. citizen gets no visa options). The result always carries free legal-help referrals.
    """
    asked = questions()
    unknown = set(answers) - {question.key for question in asked}
    if unknown:
        raise KeyError(f"unknown question(s) {sorted(unknown)}; see {QUESTIONS_PATH.name}")
    pointed: set[str] = set()
    ruled_out: set[str] = set()
    for question in asked:
        answer = answers.get(question.key)
        if answer is None:
            continue
        if not isinstance(answer, bool):
            raise TypeError(f"answer to {question.key!r} must be True, False or None, not {answer!r}")
        pointed.update(question.yes_points_to if answer else question.no_points_to)
        ruled_out.update(question.yes_rules_out if answer else question.no_rules_out)
    keys = [option.key for option in legal_options() if option.key in pointed - ruled_out]
    return MayFit(keys, referrals=legal_help(keys, answers))
