"""Where a person is, from what they typed: names, aliases, misspellings, counties and Arabic-script names
resolve to a Maine municipality and its county; ordinary sentences, in every launch language, to None."""

from __future__ import annotations

from datetime import date

import pytest
from rapidfuzz.distance import OSA

from core.places import (
    COUNTIES,
    PLACES_DIR,
    key,
    municipalities,
    read_csv,
    resolve_place,
)
from core.text import normalise
from core.training_data import read_examples
from tests.conftest import PROJECT_ROOT


@pytest.mark.parametrize(
    "text, municipality, county",
    [
        ("Lewiston", "Lewiston", "Androscoggin"),
        ("lewiston", "Lewiston", "Androscoggin"),
        ("LEWISTON ME", "Lewiston", "Androscoggin"),
        ("Lewiston, Maine", "Lewiston", "Androscoggin"),
        ("in Lewiston please", "Lewiston", "Androscoggin"),
        ("I live in Lewiston and I need a lawyer", "Lewiston", "Androscoggin"),
        ("shelter haweenka ma jiraa lewiston", "Lewiston", "Androscoggin"),
        ("je suis à Lewiston", "Lewiston", "Androscoggin"),
        ("eu moro em Portland", "Portland", "Cumberland"),
        ("estoy en Bangor", "Bangor", "Penobscot"),
        ("Augusta", "Augusta", "Kennebec"),
        ("South Portland", "South Portland", "Cumberland"),
        ("Dover-Foxcroft", "Dover-Foxcroft", "Piscataquis"),
        ("dover foxcroft", "Dover-Foxcroft", "Piscataquis"),
        ("St. Agatha", "St. Agatha", "Aroostook"),
        ("Passamaquoddy Pleasant Point Reservation", "Passamaquoddy Pleasant Point Reservation", "Washington"),
        ("Connor UT", "Connor UT", "Aroostook"),
    ],
)
def test_a_name_resolves_to_the_municipality_and_its_county(text, municipality, county):
    place = resolve_place(text)
    assert (place.municipality, place.county, place.kind, place.how) == (municipality, county, "municipality", "name")


@pytest.mark.parametrize(
    "text, municipality, county",
    [
        ("Springvale", "Sanford", "York"),
        ("old orchard", "Old Orchard Beach", "York"),
        ("Peaks Island", "Portland", "Cumberland"),
        ("Saint Agatha", "St. Agatha", "Aroostook"),
        ("Lisbon Falls", "Lisbon", "Androscoggin"),
        ("Indian Island", "Penobscot Indian Island Reservation", "Penobscot"),
        ("Sipayik", "Passamaquoddy Pleasant Point Reservation", "Washington"),
    ],
)
def test_an_alias_resolves_to_its_municipality(text, municipality, county):
    place = resolve_place(text)
    assert (place.municipality, place.county, place.how) == (municipality, county, "alias")


@pytest.mark.parametrize(
    "text, municipality",
    [
        ("lewistan", "Lewiston"),
        ("Lewsiton", "Lewiston"),
        ("i live in lewistan", "Lewiston"),
        ("portlnd", "Portland"),
        ("south portlan", "South Portland"),
        ("Bangr", "Bangor"),
        ("Skowhegen", "Skowhegan"),
        ("bidderford maine", "Biddeford"),
        ("presqueisle", "Presque Isle"),
        # next to a court's name: "the court of", "fórum de", "... court"
        ("donde queda la corte de lewinston mañana tengo cita", "Lewiston"),
        ("onde fica o fórum de bangr", "Bangor"),
        ("what time does the skowhegen court open", "Skowhegan"),
        ("لوستون", "Lewiston"),
        ("بورتلان", "Portland"),
    ],
)
def test_a_misspelt_name_resolves_but_asks_to_be_confirmed(text, municipality):
    place = resolve_place(text)
    assert place.municipality == municipality
    assert (place.how, place.certain) == ("misspelling", False)


@pytest.mark.parametrize(
    "text, county",
    [
        ("Cumberland County", "Cumberland"),
        ("condado de York", "York"),
        ("comté d'Aroostook", "Aroostook"),
        ("gobolka Kennebec", "Kennebec"),
        ("Penobscot county", "Penobscot"),
        ("I live in Piscataquis", "Piscataquis"),
        ("Aroostook", "Aroostook"),
        ("Lincoln County", "Lincoln"),
        ("مقاطعة كمبرلاند", "Cumberland"),
        ("aroostok county", "Aroostook"),
    ],
)
def test_a_county_resolves_to_the_county(text, county):
    place = resolve_place(text)
    assert (place.kind, place.county, place.municipality) == ("county", county, None)


@pytest.mark.parametrize(
    "text, expected",
    [
        # A town named like a county in another county ("Lincoln" is a town in Penobscot County): the
        # county, unless the text says it is the town.
        ("Lincoln", ("county", "Lincoln", None)),
        ("town of Lincoln", ("municipality", "Penobscot", "Lincoln")),
        # York, the town, is in York County: the town says more.
        ("York", ("municipality", "York", "York")),
        ("Hope", ("municipality", "Knox", "Hope")),
        ("in Hope", ("municipality", "Knox", "Hope")),
        ("Mexico, Maine", ("municipality", "Oxford", "Mexico")),
    ],
)
def test_names_that_are_also_counties_or_words(text, expected):
    place = resolve_place(text)
    assert (place.kind, place.county, place.municipality) == expected


@pytest.mark.parametrize(
    "text, municipality",
    [
        ("لويستون", "Lewiston"),
        ("أنا في لويستون", "Lewiston"),
        ("في لويستون من فضلك", "Lewiston"),
        ("بلويستون", "Lewiston"),
        ("بورتلاند", "Portland"),
        ("بانغور", "Bangor"),
        ("بانجور", "Bangor"),
        ("أوغوستا", "Augusta"),
        ("اوغوستا", "Augusta"),
        ("ساوث بورتلاند", "South Portland"),
    ],
)
def test_arabic_script_names_resolve(text, municipality):
    place = resolve_place(text)
    assert (place.municipality, place.how) == (municipality, "script")
    assert place.county == municipalities()[municipality].county


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "hello",
        "help",
        "I need a lawyer",
        "necesito un doctor",
        "where can I sleep tonight",
        "I hope you can help me",
        "there is no hope",
        "my husband Wayne hits me",
        "a union lawyer",
        "soy de México",
        "estoy en China",
        "I am from China",
        "mi familia está en México",
        "I live in New York",
        "je cherche une maison",
        "j'ai besoin d'un avocat",
        "preciso de um advogado",
        "estou com medo do meu marido",
        "waxaan u baahanahay qareen",
        "أحتاج إلى محامي",
        "my boss took my passport",
        "I'm in danger",
        "in trouble, please help",
        "donde esta la corte",
        "tengo miedo de mi esposo",
        "I need a shelter tonite",
        "je suis en danger",
        "Dear Madison, thank you",
        "it happened in August",
        "uptown",
        "green",
    ],
)
def test_an_ordinary_sentence_names_no_place(text):
    assert resolve_place(text) is None


def sentences(pattern: str) -> list[str]:
    """Every example of the assistant's training data (data/nlu) or held-out sets (tests/nlu)."""
    return [text for path in sorted(PROJECT_ROOT.glob(pattern)) for _, text in read_examples(path)]


@pytest.mark.parametrize("pattern", ["data/nlu/*/*.yml", "tests/nlu/*/*.yml"])
def test_no_example_sentence_resolves_to_a_place_it_does_not_name(pattern):
    examples = sentences(pattern)
    assert len(examples) > 1000
    wrong = []
    for text in examples:
        place = resolve_place(text)
        if place is None or place.how in ("script", "alias"):  # "لويستون", "Lewiston-Auburn": named another way
            continue
        if normalise(place.municipality or place.county) not in normalise(text):
            wrong.append((text, place))
    assert wrong == []


def test_every_municipality_resolves_to_itself():
    for name, town in municipalities().items():
        place = resolve_place(name)
        if place.kind == "county":
            assert name in COUNTIES and place.county == name, name
        else:
            assert (place.municipality, place.county) == (name, town.county), name


@pytest.mark.parametrize("file", ["aliases.csv", "aliases_scripts.csv"])
def test_every_alias_resolves_to_its_municipality_or_county(file):
    for row in read_csv(PLACES_DIR / file):
        place = resolve_place(row["alias"])
        assert place.county == row["county"], row
        assert place.municipality == (row["municipality"] or None), row


def test_the_sixteen_counties():
    assert tuple(sorted(COUNTIES)) == COUNTIES
    assert len(COUNTIES) == 16
    assert {town.county for town in municipalities().values()} == set(COUNTIES)


def test_every_municipality_row_of_the_reference_is_kept_with_its_source():
    rows = read_csv(PLACES_DIR / "municipalities.csv")
    types = [row["type"] for row in rows]
    # 482 municipalities (23 cities, 430 towns, 29 plantations), 3 reservations, 47 unorganized places.
    assert (len(rows), types.count("city"), types.count("town"), types.count("plantation")) == (532, 23, 430, 29)
    assert (types.count("reservation"), types.count("unorganized")) == (3, 47)
    for row in rows:
        assert row["source_url"].startswith("http"), row
        assert date.fromisoformat(row["last_checked"]) <= date.today(), row


def test_arabic_script_aliases_say_they_are_transliterations():
    for row in read_csv(PLACES_DIR / "aliases_scripts.csv"):
        assert row["source"] == "transliteration" and row["note"], row


def test_ambiguous_names_are_names_of_places_in_maine():
    known = {key(name) for name in municipalities()}
    known |= {key(row["alias"]) for row in read_csv(PLACES_DIR / "aliases.csv")}
    for row in read_csv(PLACES_DIR / "ambiguous_names.csv"):
        assert key(row["name"]) in known, row
        assert row["kind"] in ("word", "person", "elsewhere", "country"), row


@pytest.mark.parametrize(
    "a, b, distance",
    [
        ("lewiston", "lewiston", 0),
        ("lewistan", "lewiston", 1),
        ("lewsiton", "lewiston", 1),
        ("bangr", "bangor", 1),
        ("portland", "poland", 2),
        ("maison", "madison", 1),
    ],
)
def test_misspellings_are_measured_by_optimal_string_alignment(a, b, distance):
    # As resolve_place measures them: a swap of two neighbours ("lewsiton") is one edit.
    assert OSA.distance(a, b, score_cutoff=3) == distance


@pytest.mark.parametrize(
    "text", ["the newport court is closed, where do I go", "رحت على محكمة Newport لقيتها مسكرة", "Newport court-ka"]
)
def test_a_court_is_a_cue_for_a_name_better_known_elsewhere(text):
    place = resolve_place(text)
    assert (place.municipality, place.certain) == ("Newport", False)  # asked to confirm, as a bare "Newport"


def test_without_a_cue_a_name_better_known_elsewhere_is_not_a_town():
    assert resolve_place("I went to newport last summer") is None
