"""Where a person is: a Maine municipality or county, from whatever they typed (Rasa-free).

People name a place the way they would say it: "lewiston", "LEWISTON ME", "in Lewiston please", "lewistan",
"لويستون", "condado de York", "gobolka Kennebec". `resolve_place` finds the municipality and its county, or
the county alone, and returns None for an ordinary sentence, so that "I hope you can help" does not send
anyone to Hope (Knox County).

The names come from data/places/: every municipality and unorganized territory with its county
(municipalities.csv), village and alternative names (aliases.csv), names typed in Arabic script
(aliases_scripts.csv), and the town names that are also ordinary words, first names or better-known places
elsewhere (ambiguous_names.csv), which count only with a cue such as "in", "Maine" or "county", or alone.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz.distance import OSA

from core.paths import NLU_DIR, PLACES_DIR
from core.sources import read_rows
from core.text import normalise
from core.training_data import language_examples

COUNTIES = (
    "Androscoggin",
    "Aroostook",
    "Cumberland",
    "Franklin",
    "Hancock",
    "Kennebec",
    "Knox",
    "Lincoln",
    "Oxford",
    "Penobscot",
    "Piscataquis",
    "Sagadahoc",
    "Somerset",
    "Waldo",
    "Washington",
    "York",
)


def _words(text: str) -> frozenset[str]:
    return frozenset(normalise(text).split())


# Cues, in the six launch languages, that the next word is where someone is. Left out on purpose: "a" (an
# English article: "a union rep"), "no"/"na" (English "no": "there is no hope"), "de" (origin: "soy de México").
LOCATIVE = _words("in near at around inside en dans em ku joogaa في قرب عند داخل")
# "cerca de X", "près de X", "perto de X", "بالقرب من X"
LOCATIVE_BEFORE_DE = _words("cerca près perto بالقرب")
CONNECTORS = _words("of de d du da do من")
COUNTY_WORDS = _words("county co condado comté comte gobolka gobol مقاطعة محافظة")
TOWN_WORDS = _words("town city ciudad pueblo ville cidade magaalada مدينة بلدة")
STATE_WORDS = _words("maine me ماين")
# "fórum de Lewinston", "Lewistn court", "محكمة Newport": a court's name is followed or preceded by its town, so
# a misspelt town, or a town's name that is also a better-known place elsewhere, next to one is still a town.
COURT_WORDS = _words("court courthouse corte tribunal forum cour maxkamadda maxkamad محكمة المحكمة")
# "and in Portland?", "y en Portland?", "portland-na?", "وفي بورتلاند؟": the same question again, for another place.
FOLLOW_ON = _words("and also too what about how for y tambien et aussi a e tambem و وفي na")
# What may surround a name in a reply that is only the place: "Hope, Maine please", "في لويستون من فضلك".
FILLERS = (
    LOCATIVE
    | LOCATIVE_BEFORE_DE
    | CONNECTORS
    | COUNTY_WORDS
    | TOWN_WORDS
    | STATE_WORDS
    | FOLLOW_ON
    | _words("please pls plz por favor s il vous plait sil te plaît fadlan فضلك usa the el la le")
)
# Places elsewhere whose names contain a Maine town's: "New York" is not York, "Mexico City" is not Mexico.
NOT_IN_MAINE = tuple(
    tuple(normalise(phrase).split())
    for phrase in (
        "New York",
        "Nueva York",
        "New Mexico",
        "Nuevo México",
        "Mexico City",
        "Ciudad de México",
        "Washington DC",
        "Washington D C",
        "Washington State",
        "Long Island New York",
        "Paris France",
        "نيو يورك",
    )
)
# Arabic joins "in", "and", "to", "so" and "like" to the next word: بلويستون, ولويستون, للويستون.
ARABIC_PROCLITICS = "وفبلك"
ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")

# Words one edit from a town name that the training data may lack ("in August" is not Augusta, "uptown" not
# Upton, "green" not Greene), and month and weekday names, which follow "in" as towns do.
COMMON_WORDS = _words(
    "uptown downtown action actions green greener sorry salon bells waste white write wait waited waiter minor "
    "gardener pattern lends summer monsoon orlando "
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday "
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre "
    "lunes martes miércoles jueves viernes sábado domingo "
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre "
    "lundi mardi mercredi jeudi vendredi samedi dimanche "
    "janeiro fevereiro março maio junho julho setembro outubro novembro dezembro "
    "segunda terça quarta quinta sexta"
)
# Misspellings: only words of this many letters or more, one edit for names up to 8 letters, two beyond.
FUZZY_MIN_LENGTH = 5
FUZZY_LONG_NAME = 8


@dataclass(frozen=True)
class Municipality:
    name: str
    type: str  # city, town, plantation, reservation, unorganized
    county: str
    population: int


@dataclass(frozen=True)
class Place:
    """A place in Maine. `how` says how it was recognised: "name", "alias", "script" (Arabic-script spelling)
    or "misspelling"; `certain` is False for a misspelling or a name that is also an ordinary word, so that
    the caller can ask "Did you mean Lewiston (Androscoggin County)?" before relying on it."""

    county: str
    municipality: str | None = None
    kind: str = "municipality"  # or "county"
    how: str = "name"
    certain: bool = True
    matched: str = ""


@dataclass(frozen=True)
class _Entry:
    municipality: str | None
    county: str
    how: str
    population: int


@dataclass(frozen=True)
class _Gazetteer:
    names: dict[tuple[str, ...], tuple[_Entry, ...]]
    ambiguous: dict[tuple[str, ...], str]
    by_first_letter: dict[str, tuple[tuple[str, tuple[str, ...]], ...]]
    longest: int
    known_words: frozenset[str]


class UnknownCounty(ValueError):
    """Not one of Maine's 16 counties."""


def normalise_county(name: str) -> str:
    """ "penobscot county", "  YORK " -> "Penobscot", "York". Raises UnknownCounty for anything else."""
    text = " ".join((name or "").replace("-", " ").split()).casefold()
    if text.endswith(" county"):
        text = text[: -len(" county")]
    for county in COUNTIES:
        if county.casefold() == text:
            return county
    raise UnknownCounty(f"unknown county {name!r}: one of {', '.join(COUNTIES)}")


def read_csv(path: Path) -> list[dict[str, str]]:
    """A place file's rows (their sources and dates are checked with the directory: core/directory/validate.py)."""
    return [row.values for row in read_rows(path, ())]


@functools.cache
def municipalities(places_dir: Path = PLACES_DIR) -> dict[str, Municipality]:
    """Every municipality, reservation and unorganized territory, by name."""
    return {
        row["municipality"]: Municipality(row["municipality"], row["type"], row["county"], int(row["population"] or 0))
        for row in read_csv(places_dir / "municipalities.csv")
    }


def key(name: str) -> tuple[str, ...]:
    return tuple(normalise(name).split())


def nlu_words(nlu_dir: Path = NLU_DIR) -> frozenset[str]:
    """Every word of the assistant's own training examples, in all its languages: words people really type
    here, which a misspelt town name must not be mistaken for ("maison" is not Madison)."""
    return frozenset(word for _, text in language_examples(nlu_dir=nlu_dir) for word in normalise(text).split())


@functools.cache
def _gazetteer(places_dir: Path = PLACES_DIR, nlu_dir: Path = NLU_DIR) -> _Gazetteer:
    towns = municipalities(places_dir)
    names: dict[tuple[str, ...], list[_Entry]] = {}

    def add(name: str, entry: _Entry) -> None:
        names.setdefault(key(name), []).append(entry)

    for town in towns.values():
        add(town.name, _Entry(town.name, town.county, "name", town.population))
    for row in read_csv(places_dir / "aliases.csv"):
        town = towns[row["municipality"]]
        add(row["alias"], _Entry(town.name, town.county, "alias", town.population))
    for row in read_csv(places_dir / "aliases_scripts.csv"):
        named = towns.get(row["municipality"])  # none for a county's name
        add(
            row["alias"],
            _Entry(named.name if named else None, row["county"], "script", named.population if named else 10**7),
        )
    for county in COUNTIES:
        add(county, _Entry(None, county, "name", 10**7))
    ambiguous = {key(row["name"]): row["kind"] for row in read_csv(places_dir / "ambiguous_names.csv")}
    by_first_letter: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for name_key in names:
        if name_key not in ambiguous:
            text = " ".join(name_key)
            by_first_letter.setdefault(text[0], []).append((text, name_key))
    return _Gazetteer(
        names={k: tuple(v) for k, v in names.items()},
        ambiguous=ambiguous,
        by_first_letter={k: tuple(v) for k, v in by_first_letter.items()},
        longest=max(len(k) for k in names),
        known_words=nlu_words(nlu_dir) | COMMON_WORDS,
    )


def resolve_place(text: str) -> Place | None:
    """The Maine municipality or county named in `text`, or None.

    Exact names and aliases win over misspellings, and a longer name over a shorter one ("South Portland",
    not "Portland"). A name that is also a county's resolves to the county, unless the town lies in that
    county ("York" is York, York County) or the text says "town of".
    """
    tokens = normalise(text or "").split()
    if not tokens:
        return None
    gazetteer = _gazetteer()
    elsewhere = _inside_places_elsewhere(tokens)
    spans = sorted(_exact_spans(tokens, gazetteer), key=lambda span: (span[0] - span[1], span[0]))
    for start, end, name_key in spans:
        if elsewhere & set(range(start, end)):
            continue
        place = _accept(tokens, start, end, name_key, gazetteer)
        if place is not None:
            return place
    return _misspelt(tokens, gazetteer, elsewhere)


def words_beside_place(text: str) -> list[str] | None:
    """The folded words of `text` that are not the place it surely names; None when it names no place surely."""
    place = resolve_place(text)
    if place is None or not place.certain:
        return None
    place_words = set(normalise(place.matched).split())
    return [word for word in normalise(text).split() if word not in place_words]


def _inside_places_elsewhere(tokens: list[str]) -> set[int]:
    positions: set[int] = set()
    for phrase in NOT_IN_MAINE:
        for start in range(len(tokens) - len(phrase) + 1):
            if tuple(tokens[start : start + len(phrase)]) == phrase:
                positions.update(range(start, start + len(phrase)))
    return positions


def _exact_spans(tokens: list[str], gazetteer: _Gazetteer):
    for length in range(min(gazetteer.longest, len(tokens)), 0, -1):
        for start in range(len(tokens) - length + 1):
            candidate = tuple(tokens[start : start + length])
            if candidate in gazetteer.names:
                yield start, start + length, candidate
            elif length == 1 and ARABIC_LETTER.match(candidate[0]):
                bare = _without_proclitics(candidate[0], gazetteer)
                if bare is not None:
                    yield start, start + 1, bare


def _without_proclitics(word: str, gazetteer: _Gazetteer) -> tuple[str, ...] | None:
    for cut in (1, 2):
        bare = (word[cut:],)
        if (
            len(word) - cut >= 3
            and all(letter in ARABIC_PROCLITICS for letter in word[:cut])
            and bare in gazetteer.names
        ):
            return bare
    return None


@dataclass(frozen=True)
class _Context:
    locative: bool
    town_word: bool
    county_word: bool
    state_after: bool
    alone: bool
    court_word: bool = False

    @property
    def any_cue(self) -> bool:
        return self.locative or self.town_word or self.county_word or self.state_after or self.alone or self.court_word


def _context(tokens: list[str], start: int, end: int) -> _Context:
    before = tokens[start - 1] if start >= 1 else ""
    two_before = tokens[start - 2] if start >= 2 else ""
    after = tokens[end] if end < len(tokens) else ""
    return _Context(
        locative=before in LOCATIVE or (before in CONNECTORS and two_before in LOCATIVE_BEFORE_DE),
        town_word=before in TOWN_WORDS or (before in CONNECTORS and two_before in TOWN_WORDS),
        county_word=before in COUNTY_WORDS
        or (before in CONNECTORS and two_before in COUNTY_WORDS)
        or after in COUNTY_WORDS,
        state_after=after in STATE_WORDS,
        alone=all(token in FILLERS for position, token in enumerate(tokens) if not start <= position < end),
        court_word=before in COURT_WORDS
        or (before in CONNECTORS and two_before in COURT_WORDS)
        or after in COURT_WORDS,
    )


def _accept(tokens: list[str], start: int, end: int, name_key: tuple[str, ...], gazetteer: _Gazetteer) -> Place | None:
    context = _context(tokens, start, end)
    ambiguity = gazetteer.ambiguous.get(name_key)
    if ambiguity == "country" and not (context.county_word or context.state_after or context.alone):
        return None
    if ambiguity and not context.any_cue:
        return None
    entries = gazetteer.names[name_key]
    county = next((entry for entry in entries if entry.municipality is None), None)
    towns = sorted((entry for entry in entries if entry.municipality), key=lambda entry: -entry.population)
    matched = " ".join(tokens[start:end])
    certain = not ambiguity or context.county_word or context.state_after
    if county and (context.county_word or not towns):
        return Place(county.county, None, "county", county.how, certain, matched)
    if towns and county and not context.town_word:
        in_own_county = [entry for entry in towns if entry.county == county.county]
        if not in_own_county:
            return Place(county.county, None, "county", county.how, certain, matched)
        towns = in_own_county
    town = towns[0]
    return Place(town.county, town.municipality, "municipality", town.how, certain, matched)


def _misspelt(tokens: list[str], gazetteer: _Gazetteer, elsewhere: set[int]) -> Place | None:
    meaningful = [token for token in tokens if token not in FILLERS]
    short_reply = len(meaningful) <= 3
    best: tuple[int, int, int, tuple[str, ...], int, int] | None = None
    for length in (3, 2, 1):
        for start in range(len(tokens) - length + 1):
            words = tokens[start : start + length]
            if words[0] in FILLERS or words[-1] in FILLERS or elsewhere & set(range(start, start + length)):
                continue
            if tuple(words) in gazetteer.names or all(
                word in gazetteer.known_words or len(word) < FUZZY_MIN_LENGTH or word.isdigit() for word in words
            ):
                continue
            context = _context(tokens, start, start + length)
            cued = context.locative or context.state_after or context.county_word or context.court_word
            if not (short_reply or cued):
                continue
            candidate = " ".join(words)
            if len(candidate) < FUZZY_MIN_LENGTH:
                continue
            for name, name_key in gazetteer.by_first_letter.get(candidate[0], ()):
                limit = 1 if len(name) <= FUZZY_LONG_NAME else 2
                if abs(len(name) - len(candidate)) > limit:
                    continue
                # Optimal string alignment: a swap of two neighbours ("lewsiton") costs one edit.
                distance = OSA.distance(candidate, name, score_cutoff=limit)
                if distance > limit:
                    continue
                population = max(entry.population for entry in gazetteer.names[name_key])
                score = (distance, -length, -population, name_key, start, start + length)
                if best is None or score < best:
                    best = score
    if best is None:
        return None
    *_, name_key, start, end = best
    place = _accept(tokens, start, end, name_key, gazetteer)
    if place is None:
        return None
    return Place(place.county, place.municipality, place.kind, "misspelling", False, " ".join(tokens[start:end]))
