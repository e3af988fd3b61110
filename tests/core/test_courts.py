"""Which court, by county: open District Courts only, closures routed, addresses only where confirmed."""

import re

import pytest

from core.courts import (
    COUNTIES,
    COURTS_PATH,
    case_type,
    case_types,
    court,
    court_for_case_type,
    courts,
    courts_for_county,
    general_facts,
    number_to_call,
    where_cases_go,
)
from core.places import UnknownCounty, normalise_county
from core.sources import DataError
from tests.conftest import csv_copy_with

PHONE = re.compile(r"^\(\d{3}\) \d{3}-\d{4}$")
JUDICIAL_BRANCH_LINE = "(207) 822-0792"

# The only street addresses courts_confirmed.csv marks confirmed. Anything else must stay blank.
CONFIRMED_ADDRESSES = {
    "androscoggin_superior": "2 Turner Street, Auburn",
    "aroostook_superior_caribou": "144 Sweden Street, Caribou",
    "aroostook_superior_houlton": "26 Court Street, Houlton",
    "franklin_superior": "140 Main Street, Farmington",
    "kennebec_superior": "1 Court Street, Suite 101, Augusta",
    "knox_superior": "62 Union Street, Rockland",
    "lincoln_superior": "32 High Street, Wiscasset",
    "oxford_superior": "26 Western Avenue, South Paris",
    "penobscot_superior": "78 Exchange Street, Bangor",
    "piscataquis_superior": "159 East Main Street, Suite 21, Dover-Foxcroft",
    "sagadahoc_superior": "752 High Street, Bath",
    "somerset_superior": "41 Court Street, Skowhegan",
    "waldo_superior": "11 Market Street, Belfast",
    "york_superior": "515 Elm Street, Biddeford",
    "cumberland_superior": "205 Newbury Street, Portland",  # courts_second_pass.md: 142 Federal is the same building
    "washington_superior": "85 Court Street, Machias",
    "augusta_district": "1 Court Street, Augusta",
    "bangor_district": "78 Exchange Street, Bangor",
    "belfast_district": "11 Market Street, Belfast",
    "biddeford_district": "515 Elm Street, Biddeford",
    "caribou_district": "144 Sweden Street, Caribou",
    "houlton_district": "26 Court Street, Houlton",
    "rockland_district": "62 Union Street, Rockland",
    "south_paris_district": "26 Western Avenue, South Paris",
    "wiscasset_district": "32 High Street, Wiscasset",
}

# county -> the open District Courts a Protection from Abuse answer offers
PROTECTION_ORDER_COURTS = {
    "Androscoggin": ["lewiston_district"],
    "Aroostook": ["caribou_district", "fort_kent_district", "houlton_district", "presque_isle_district"],
    "Cumberland": ["bridgton_district", "portland_district"],
    "Franklin": ["farmington_district"],
    "Hancock": ["ellsworth_district"],
    "Kennebec": ["augusta_district", "waterville_district"],
    "Knox": ["rockland_district"],
    "Lincoln": ["wiscasset_district"],
    "Oxford": ["rumford_district", "south_paris_district"],
    "Penobscot": ["bangor_district", "millinocket_district"],
    "Piscataquis": ["dover_foxcroft_district"],
    "Sagadahoc": ["west_bath_district"],
    "Somerset": ["skowhegan_district"],
    "Waldo": ["belfast_district"],
    "Washington": ["calais_district", "machias_district"],
    "York": ["biddeford_district"],
}


def test_the_table_covers_maine():
    assert len(COUNTIES) == 16
    assert {c.county for c in courts()} == set(COUNTIES)
    assert len(courts()) == 46
    assert sum(c.court_type == "superior" for c in courts()) == 17


@pytest.mark.parametrize("county", COUNTIES)
def test_every_county_has_a_superior_court(county):
    assert any(c.court_type == "superior" for c in courts_for_county(county))


@pytest.mark.parametrize("county, expected", PROTECTION_ORDER_COURTS.items())
def test_protection_order_court_by_county(county, expected):
    answer = court_for_case_type("protection_from_abuse", county)
    assert [c.key for c in answer.courts] == expected
    assert answer.confirmed and answer.county == county
    for choice in answer.choices:
        assert choice.court.is_open and choice.court.court_type == "district"
        assert PHONE.match(choice.call.number), choice.court.key
        assert choice.call.source_urls and choice.call.source_date
        assert choice.hours
    # a clear "call this number" answer whenever an address is missing
    if answer.address_unconfirmed:
        assert PHONE.match(answer.call.number)


@pytest.mark.parametrize(
    "closed, goes_to",
    [
        ("newport_district", ["Bangor District Court"]),
        ("lincoln_district", ["Millinocket District Court"]),
        ("madawaska_district", ["Fort Kent District Court", "Caribou District Court"]),
        ("springvale_district", ["Biddeford District Court"]),
        ("york_district", ["Biddeford District Court"]),
    ],
)
def test_closed_courts_route_to_the_court_that_took_their_cases(closed, goes_to):
    gone = court(closed)
    assert not gone.is_open
    assert [c.name for c in where_cases_go(gone)] == goes_to
    assert number_to_call(gone) == number_to_call(where_cases_go(gone)[0])


@pytest.mark.parametrize(
    "county, court_key, took_from",
    [
        ("Penobscot", "bangor_district", ["newport_district"]),
        ("Penobscot", "millinocket_district", ["lincoln_district"]),
        ("Aroostook", "fort_kent_district", ["madawaska_district"]),
        ("Aroostook", "caribou_district", ["madawaska_district"]),
        ("York", "biddeford_district", ["springvale_district", "york_district"]),
    ],
)
def test_a_protection_order_answer_says_which_closed_court_moved_where(county, court_key, took_from):
    answer = court_for_case_type("protection_from_abuse", county)
    choice = next(choice for choice in answer.choices if choice.court.key == court_key)
    assert [c.key for c in choice.took_cases_from] == took_from
    assert set(took_from) <= {c.key for c in answer.closed}
    assert not set(took_from) & {c.key for c in answer.courts}


def test_addresses_only_where_confirmed():
    shown = {c.key: c.street_and_town for c in courts() if c.street_and_town}
    assert shown == CONFIRMED_ADDRESSES
    for c in courts():
        if c.key not in CONFIRMED_ADDRESSES:
            assert c.address == "" and not c.address_confirmed, c.key


@pytest.mark.parametrize(
    "key, not_shown",
    [
        ("lewiston_district", "71 Lisbon"),  # one low-quality site
        ("portland_district", "Newbury"),  # the building is confirmed, the District Court inside it is not
        ("machias_district", "Court Street"),  # the same
        ("hancock_superior", "State Street"),  # marked unconfirmed for its phone conflict
        ("west_bath_district", "New Meadows"),  # inferred only
        ("ellsworth_district", "State Street"),  # "probably" only
        ("newport_district", "Water Street"),  # closed building
    ],
)
def test_unconfirmed_addresses_are_not_shown(key, not_shown):
    c = court(key)
    assert not c.address_confirmed and c.street_and_town is None
    assert not_shown not in c.address + c.mailing_address
    assert not_shown in c.address_note  # kept for the person who checks


@pytest.mark.parametrize(
    "key, number, kind",
    [
        ("biddeford_district", "(207) 283-6000", "court"),
        ("augusta_district", "(207) 213-2800", "building"),
        ("bangor_district", "(207) 561-2300", "building"),
        ("portland_district", "(207) 822-4200", "building"),
        ("machias_district", "(207) 255-3326", "building"),
        ("wiscasset_district", "(207) 882-7517", "building"),
        ("lewiston_district", JUDICIAL_BRANCH_LINE, "judicial_branch"),  # its only number is unconfirmed
        ("west_bath_district", JUDICIAL_BRANCH_LINE, "judicial_branch"),  # "probably" 442-0200: not a fact
        ("hancock_superior", JUDICIAL_BRANCH_LINE, "judicial_branch"),  # two numbers conflict
        ("newport_district", "(207) 561-2300", "building"),  # closed: Bangor's building line
    ],
)
def test_the_number_to_call(key, number, kind):
    call = number_to_call(court(key))
    assert (call.number, call.kind) == (number, kind)


def test_conflicting_phones_are_blank_with_a_note():
    hancock = court("hancock_superior")
    assert hancock.clerk_phone == ""
    assert "667-7176" in hancock.phone_note and "667-7141" in hancock.phone_note


@pytest.mark.parametrize(
    "kind, county, expected, confirmed",
    [
        ("protection_from_abuse", "York", ["biddeford_district"], True),
        ("protection_from_harassment", "Penobscot", ["bangor_district", "millinocket_district"], True),
        ("family_matters", "Kennebec", ["augusta_district", "waterville_district"], True),
        ("criminal_case", "Hancock", ["hancock_superior"], False),
        ("criminal_case", "Aroostook", ["aroostook_superior_caribou", "aroostook_superior_houlton"], False),
        ("civil_suit_trafficker", "Cumberland", ["cumberland_superior"], False),
        ("record_sealing_prostitution", "Knox", [], True),
    ],
)
def test_case_type_rules(kind, county, expected, confirmed):
    answer = court_for_case_type(kind, county)
    assert [c.key for c in answer.courts] == expected
    assert answer.confirmed is confirmed
    if not confirmed:
        assert "not confirm" in answer.case_type.rule  # the rule hedges in its own words
    if not expected:
        assert answer.call.number == JUDICIAL_BRANCH_LINE and answer.address_unconfirmed


def test_the_protection_order_rule_is_where_either_person_lives_or_fled():
    rule = case_type("protection_from_abuse")
    assert "where you or the other person lives" in rule.rule
    assert "lived before or where you live now" in rule.rule
    assert "any open District Court" in rule.when_court_closed


def test_the_civil_suit_court_is_not_stated_as_fact():
    rule = case_type("civil_suit_trafficker")
    assert rule.status == "unconfirmed" and "likely" in rule.rule and "not confirmed" in rule.rule


@pytest.mark.parametrize(
    "typed, county",
    [
        ("Penobscot", "Penobscot"),
        ("penobscot county", "Penobscot"),
        ("  YORK ", "York"),
        ("Piscataquis County", "Piscataquis"),
    ],
)
def test_normalise_county(typed, county):
    assert normalise_county(typed) == county


@pytest.mark.parametrize("typed", ["Portland", "", "Suffolk", "county"])
def test_an_unknown_county_is_refused(typed):
    with pytest.raises(UnknownCounty):
        court_for_case_type("protection_from_abuse", typed)


def test_courts_for_county_leaves_out_closed_courts_unless_asked():
    assert [c.key for c in courts_for_county("Penobscot")] == [
        "penobscot_superior",
        "bangor_district",
        "millinocket_district",
    ]
    every = [c.key for c in courts_for_county("Penobscot", include_closed=True)]
    assert {"lincoln_district", "newport_district"} <= set(every)


def test_every_row_has_a_source_and_a_date():
    rows = [*courts(), *case_types().values()]
    for row in rows:
        assert row.source_urls and all(url.startswith("http") for url in row.source_urls), row.key
        assert row.source_date, row.key
        assert not row.provenance.verified, row.key  # nobody has checked a court live yet
    for key, row in general_facts().items():
        assert row["source_url"].startswith("http") and row["source_date"] and not row["verified_on"], key


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"source_url": ""}, r"'lewiston_district': lacks source_url"),
        ({"source_date": ""}, r"'lewiston_district': lacks source_date"),
        ({"verified_on": "2026-01-05"}, r"'lewiston_district': verified_on 2026-01-05 without verified_by"),
        ({"verified_on": "last spring", "verified_by": "AB"}, r"not a YYYY-MM-DD date"),
        ({"source_url": "the court page"}, r"not a web address"),
        ({"address": "71 Lisbon Street"}, r"only, and always, when address_status is confirmed"),
        ({"clerk_phone": "UNCONFIRMED: (207) 795-4800"}, r"not a fact"),
        ({"status": "temporarily_closed"}, r"names where its cases go"),
        ({"status": "closed", "cases_go_to": "auburn_district"}, r"unknown court 'auburn_district'"),
    ],
)
def test_a_bad_row_is_refused_clearly(tmp_path, changes, message):
    with pytest.raises(DataError, match=message):
        courts(csv_copy_with(COURTS_PATH, tmp_path, "lewiston_district", **changes))


# --- Advice for going to court (data/courts/guide.csv) -------------------------------------------------------


def test_protection_order_advice_comes_before_the_advice_for_any_court_visit():
    from core.courts import advice_for

    keys = [advice.key for advice in advice_for(protection_order=True)]
    assert keys[:4] == ["po_forms", "po_secret_address", "po_same_day", "po_hearing"]
    assert {"interpreter", "remote", "advocate", "waiting"} <= set(keys)
    assert not any(key.startswith("po_") for key in (a.key for a in advice_for(protection_order=False)))


@pytest.mark.parametrize(
    "changes, problem",
    [
        ({"source_url": ""}, "lacks source_url"),
        ({"source_date": "soon"}, "names no date"),
        ({"topic": "divorce"}, "topic 'divorce'"),
        ({"text": "Call UNCONFIRMED"}, "unconfirmed value"),
    ],
)
def test_advice_without_a_source_or_with_an_unconfirmed_value_is_refused(tmp_path, changes, problem):
    from core.courts import GUIDE_PATH, court_guide

    with pytest.raises(DataError, match=problem):
        court_guide(csv_copy_with(GUIDE_PATH, tmp_path, "interpreter", **changes))


def test_a_court_said_to_share_a_confirmed_building_points_to_it_and_no_other_does():
    from core.courts import shared_building

    portland = shared_building(court("portland_district"))
    assert portland is not None and portland.street_and_town == "205 Newbury Street, Portland"
    assert shared_building(court("machias_district")).street_and_town == "85 Court Street, Machias"
    assert shared_building(court("cumberland_superior")) is None  # its own address is confirmed
    assert shared_building(court("bridgton_district")) is None  # no building whose address is confirmed
    # The District Court's own address stays unconfirmed: the building is shown with a warning, not as fact.
    assert court("portland_district").street_and_town is None
