"""What the person's latest message asks about, and what the conversation already knows (Rasa-free).

Read by every custom action: the need, legal option or case type the message names (button entities first,
then the words of bot/i18n/keywords.py), and the place (the message, else the town or county remembered in the
conversation's slots, so nobody has to say it twice). Nothing here is stored beyond the conversation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.i18n.keywords import find_case_type, find_legal_option, find_need
from core.legal import SURE_OPTION
from core.names import COUNTY, TOWN
from core.places import Place, resolve_place
from core.text import normalise

# "all of Maine", "todo Maine", "Maine oo dhan", "كل ماين": the state named without a town means all of it.
STATE_NAMES = frozenset({"maine", "ماين", "statewide"})

LEGAL_OPTION_ENTITY = "legal_option"

# The need an intent implies when the message names none.
INTENT_NEEDS = {"need_shelter": "safe_housing"}


@dataclass(frozen=True)
class Request:
    text: str
    intent: str
    entities: dict[str, str]
    place: Place | None  # from this message
    remembered: Place | None  # from earlier in the conversation
    option_is_sure: bool = False  # the option was named, or the NLU is sure of it (bot/nlu/legal_option_finder.py)

    @classmethod
    def from_tracker(cls, tracker: Any) -> Request:
        message = tracker.latest_message or {}
        text = message.get("text") or ""
        entities = {e.get("entity"): e.get("value") for e in message.get("entities") or [] if e.get("value")}
        confidence = {e.get("entity"): e.get("confidence_entity") for e in message.get("entities") or []}
        said = None if text.startswith("/") else resolve_place(text)
        intent = (message.get("intent") or {}).get("name") or ""
        option_confidence = confidence.get(LEGAL_OPTION_ENTITY)
        sure = isinstance(option_confidence, (int, float)) and option_confidence >= SURE_OPTION
        return cls(text, intent, entities, said, remembered_place(tracker), sure)

    @property
    def words(self) -> str:
        """The text to look for keywords in (a button's payload has none)."""
        return "" if self.text.startswith("/") else self.text

    @property
    def where(self) -> Place | None:
        return self.place or self.remembered

    def need(self, before: str | None = None) -> str | None:
        return self.entities.get("need") or find_need(self.words) or INTENT_NEEDS.get(self.intent) or before

    def legal_option(self) -> str | None:
        return self.entities.get("legal_option") or find_legal_option(self.words)

    def case_type(self) -> str | None:
        return find_case_type(self.words)

    @property
    def wants_statewide(self) -> bool:
        return self.place is None and not STATE_NAMES.isdisjoint(normalise(self.words).split())


def remembered_place(tracker: Any) -> Place | None:
    county = tracker.get_slot(COUNTY)
    if not county:
        return None
    town = tracker.get_slot(TOWN)
    return Place(county=county, municipality=town, kind="municipality" if town else "county")


def place_slots(place: Place | None) -> dict[str, Any]:
    """The slot values that remember a place for the rest of the conversation."""
    if place is None:
        return {}
    return {COUNTY: place.county, TOWN: place.municipality}
