"""Legal options and the questionnaire: official names, forms, sources, nothing unconfirmed shown as fact."""

import itertools
import re

import pytest

from core.courts import court_for_case_type
from core.facts import read_lines
from core.legal import (
    OPTIONS_PATH,
    facts,
    legal_option,
    legal_options,
    options_that_may_fit,
    questions,
)
from core.sources import DataError
from tests.conftest import csv_copy_with

# key -> (official English name, form numbers the reference gives)
OPTIONS = {
    "protection_from_abuse": ("Protection from Abuse order", ["PA-001", "PA-005", "PA-013", "PA-015"]),
    "protection_from_harassment": ("Protection from Harassment order", ["PA-006"]),
    "address_confidentiality": ("Address Confidentiality Program", []),
    "victims_compensation": ("Crime Victims' Compensation Program", []),
    "release_notification": ("Notice of release (17-A M.R.S. §2106)", []),
    "t_visa": ("T nonimmigrant status (T visa)", ["I-914", "I-914 Supplement A", "I-914 Supplement B", "I-192"]),
    "u_visa": ("U nonimmigrant status (U visa)", ["I-918", "I-918 Supplement B"]),
    "continued_presence": ("Continued Presence", []),
    "hhs_certification_adult": ("HHS Certification Letter", []),
    "hhs_eligibility_minor": ("HHS Interim Assistance Letter and Eligibility Letter (children)", []),
    "vawa_self_petition": ("VAWA self-petition", []),
    "labour_rights_unpaid_wages": ("Restitution for work loss (victims of human trafficking)", []),
    "civil_suit_trafficker": ("Civil action for human trafficking (5 M.R.S. §4701)", []),
    "record_relief_prostitution": ("Sealing of a conviction for engaging in prostitution (15 M.R.S. §2262-A)", []),
    "court_interpreter": ("Free court interpreter (Maine Judicial Branch)", ["Interpreter Request Form"]),
    "remote_hearing": ("Remote hearing by phone or video (Administrative Order JB-21-05)", []),
}
IMMIGRATION = {
    "t_visa",
    "u_visa",
    "continued_presence",
    "hhs_certification_adult",
    "hhs_eligibility_minor",
    "vawa_self_petition",
}
PHONE_OR_EMAIL = re.compile(r"\d{3}[-) ]+\d{3}-\d{4}|@")


def test_every_option_is_there():
    assert [option.key for option in legal_options()] == list(OPTIONS)


@pytest.mark.parametrize("key, name, forms", [(key, *value) for key, value in OPTIONS.items()])
def test_official_name_forms_and_sources(key, name, forms):
    option = legal_option(key)
    assert option.name == name
    assert list(option.form_numbers) == forms
    assert option.source_urls and all(url.startswith("http") for url in option.source_urls)
    assert option.source_date
    assert not option.provenance.verified  # nobody has checked a legal option live yet
    for form in option.forms:
        assert form.source_urls and form.source_date


@pytest.mark.parametrize("option", legal_options(), ids=lambda option: option.key)
def test_plain_fields_are_short_and_carry_no_unconfirmed_fact(option):
    text = option.plain_text()
    for field in ("what_it_is", "who_can_get_it", "what_it_gives", "how_to_apply", "where_free_help"):
        assert text[field], field
    for field, value in text.items():
        assert "UNCONFIRMED" not in value.upper().replace("NOT CONFIRMED", ""), field
        assert not PHONE_OR_EMAIL.search(value), f"{field}: numbers come from contacts, with their source"
        # Plain language (issue #21): short sentences rather than few long ones.
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", value.replace("U.S.", "US")) if s]
        assert len(sentences) <= 3, field
        assert all(len(s.split()) <= 25 for s in sentences), field


def _syllables(word: str) -> int:
    """A rough English syllable count (vowel groups, silent final e), enough for a reading-level estimate."""
    word = re.sub(r"[^a-z]", "", word.lower())
    word = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", word)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", word))) if word else 0


def test_plain_fields_read_at_about_a_6th_grade_level():
    """Flesch-Kincaid grade over every shown field; official names (ILAP, Continued Presence) push it up."""
    text = " ".join(value for option in legal_options() for value in option.plain_text().values())
    text = text.replace("U.S.", "US")
    sentences = [s for s in re.split(r"[.!?]+\s+", text) if s.strip()]
    words = re.findall(r"[A-Za-z0-9$'-]+", text)
    grade = 0.39 * len(words) / len(sentences) + 11.8 * sum(map(_syllables, words)) / len(words) - 15.59
    assert grade <= 7.0, round(grade, 1)


@pytest.mark.parametrize(
    "key, field, expected",
    [
        ("t_visa", "fee", "No fee for Form I-914."),
        ("protection_from_abuse", "fee", "No fee."),
        ("victims_compensation", "time_limit", "Apply within 3 years"),
        ("victims_compensation", "time_limit", "reported to police within 5 days"),
        ("victims_compensation", "what_it_gives", "$15,000"),
        ("protection_from_abuse", "how_to_apply", "form PA-001"),
        ("protection_from_harassment", "fee", "waive"),
        ("continued_presence", "time_limit", "2 years"),
        ("record_relief_prostitution", "time_limit", "1 year"),
        ("address_confidentiality", "time_limit", "10 days"),
    ],
)
def test_fees_and_time_limits_where_stated(key, field, expected):
    assert expected in getattr(legal_option(key), field)


@pytest.mark.parametrize("key", ["u_visa", "victims_compensation", "continued_presence", "civil_suit_trafficker"])
def test_no_fee_is_stated_where_the_reference_gives_none(key):
    assert legal_option(key).fee == ""


def test_unconfirmed_options_say_so_in_their_own_words():
    unconfirmed = [option for option in legal_options() if not option.confirmed]
    assert [option.key for option in unconfirmed] == ["remote_hearing"]
    for option in unconfirmed:
        assert "may have changed" in option.what_it_is and "may have changed" in option.limits


def test_vacatur_is_not_shown_as_law():
    option = legal_option("record_relief_prostitution")
    assert "vacatur" in option.limits and "not confirmed" in option.limits
    others = " ".join(value for field, value in option.plain_text().items() if field != "limits")
    assert "vacat" not in others.lower()
    assert "NOT CONFIRMED AS LAW" in option.not_confirmed


def test_the_civil_suit_remedies_and_court_are_not_stated():
    option = legal_option("civil_suit_trafficker")
    shown = " ".join(option.plain_text().values())
    assert "Superior Court" not in shown
    assert "could not confirm" in option.limits


def test_the_harassment_order_length_is_not_stated():
    option = legal_option("protection_from_harassment")
    assert "up to" not in option.what_it_gives and "not confirmed" in option.limits


@pytest.mark.parametrize("option", legal_options(), ids=lambda option: option.key)
def test_contacts_come_from_the_facts_files_with_sources(option):
    for contact in option.contacts:
        assert contact.source_url.startswith("http") and contact.source_date


def test_contacts_do_not_shadow_lines_csv():
    assert {"line_ptla", "web_ilap", "contact_victims_comp"} <= set(facts())  # would raise on a duplicate key


QUESTIONNAIRE = [
    ({}, []),
    ({"citizen_or_resident": True, "forced_work": True}, ["labour_rights_unpaid_wages", "civil_suit_trafficker"]),
    (
        {"under_18": False, "citizen_or_resident": False, "forced_work": True},
        [
            "t_visa",
            "u_visa",
            "continued_presence",
            "hhs_certification_adult",
            "labour_rights_unpaid_wages",
            "civil_suit_trafficker",
        ],
    ),
    (
        {"under_18": True, "citizen_or_resident": False, "forced_sex": True},
        [
            "protection_from_abuse",
            "protection_from_harassment",
            "address_confidentiality",
            "t_visa",
            "u_visa",
            "continued_presence",
            "hhs_eligibility_minor",
            "civil_suit_trafficker",
        ],
    ),
    ({"citizen_or_resident": True, "afraid_of_partner": True}, ["protection_from_abuse", "address_confidentiality"]),
    (
        {"citizen_or_resident": False, "afraid_of_partner": True},
        ["protection_from_abuse", "address_confidentiality", "u_visa", "vawa_self_petition"],
    ),
    ({"harassed": True}, ["protection_from_abuse", "protection_from_harassment", "address_confidentiality"]),
    ({"hurt_by_crime_in_maine": True}, ["victims_compensation", "release_notification"]),
    ({"old_conviction_selling_sex": True}, ["record_relief_prostitution"]),
    ({"court_case": True}, ["court_interpreter", "remote_hearing"]),
    ({"hurt_by_crime_in_maine": False, "forced_work": False, "forced_sex": None}, []),
    (
        {"citizen_or_resident": True, "afraid_of_partner": True, "hurt_by_crime_in_maine": True, "court_case": True},
        [
            "protection_from_abuse",
            "address_confidentiality",
            "victims_compensation",
            "release_notification",
            "court_interpreter",
            "remote_hearing",
        ],
    ),
]


@pytest.mark.parametrize("answers, expected", QUESTIONNAIRE)
def test_questionnaire(answers, expected):
    result = options_that_may_fit(answers)
    assert result == expected
    referrals = [fact.key for fact in result.referrals]
    assert referrals[0] == "line_ptla"  # always a free legal-help referral
    immigration = bool(IMMIGRATION & set(result)) or answers.get("citizen_or_resident") is False
    assert ("web_ilap" in referrals) is immigration
    for fact in result.referrals:
        assert fact.value and fact.source_url.startswith("http") and fact.source_date


def test_a_citizen_never_gets_visa_options():
    others = [question.key for question in questions() if question.key != "citizen_or_resident"]
    for values in itertools.product([True, False], repeat=len(others)):
        result = options_that_may_fit({"citizen_or_resident": True, **dict(zip(others, values, strict=True))})
        assert not IMMIGRATION & set(result)
        assert "web_ilap" not in [fact.key for fact in result.referrals]


def test_a_minor_hears_about_reporting_first():
    assert questions()[0].key == "under_18" and questions()[0].notice_if_yes == "minor_reporting"


def test_questions_are_gentle_yes_no_questions_that_lead_somewhere():
    reached = set()
    for question in questions():
        assert question.text.endswith("?") and len(question.text.split()) <= 16, question.key
        assert question.note, question.key
        reached |= set(question.yes_points_to + question.no_points_to)
    assert reached == set(OPTIONS)  # every option can be reached


@pytest.mark.parametrize("answers, error", [({"name": "x"}, KeyError), ({"under_18": "yes"}, TypeError)])
def test_bad_answers_are_refused(answers, error):
    with pytest.raises(error):
        options_that_may_fit(answers)


@pytest.mark.parametrize(
    "key, county, courts",
    [
        ("protection_from_abuse", "Penobscot", ["bangor_district", "millinocket_district"]),
        ("civil_suit_trafficker", "York", ["york_superior"]),
        ("labour_rights_unpaid_wages", "Knox", ["knox_superior"]),
    ],
)
def test_options_that_involve_a_court_lead_to_one(key, county, courts):
    assert [c.key for c in court_for_case_type(legal_option(key).case_type, county).courts] == courts


def test_options_without_a_court_have_no_case_type():
    assert legal_option("t_visa").case_type == ""


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"source_url": ""}, r"'u_visa': lacks source_url"),
        ({"source_date": ""}, r"'u_visa': lacks source_date"),
        ({"source_date": "2099-01-01"}, r"source_date '2099-01-01' is in the future"),
        ({"source_date": "a while ago"}, r"names no date"),
        ({"verified_on": "2026-01-05"}, r"verified_on 2026-01-05 without verified_by"),
        ({"verified_by": "hotline desk"}, r"verified_by 'hotline desk' without verified_on"),
        ({"verified_on": "2099-01-01", "verified_by": "AB"}, r"verified_on 2099-01-01 is in the future"),
        ({"verified_on": "yesterday", "verified_by": "AB"}, r"not a YYYY-MM-DD date"),
        ({"fee": "UNCONFIRMED: $0"}, r"must not say UNCONFIRMED"),
        ({"contacts": "line_ilap_phone"}, r"'line_ilap_phone' is not in lines.csv"),
        ({"status": "probably"}, r"status 'probably'"),
    ],
)
def test_a_bad_option_row_is_refused_clearly(tmp_path, changes, message):
    with pytest.raises(DataError, match=message):
        legal_options(csv_copy_with(OPTIONS_PATH, tmp_path, "u_visa", **changes))


def test_a_contact_without_a_source_is_refused(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text("key,name,value,source_url,source_date,verified_on,verified_by\ncontact_x,Somewhere,555,,,,\n")
    with pytest.raises(ValueError, match="source_url"):
        read_lines(path)
