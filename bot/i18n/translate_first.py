"""The replies a translator translates first: what someone in danger meets, and what every conversation says
first. A language leaves `preview` only when all of them are translated (bot/i18n/progress.py), and
`make i18n-extract` puts them at the top of every catalog, each with a note that says so.
"""

from __future__ import annotations

from babel.messages.catalog import Catalog, Message

# (what it is, the responses it covers). A response covers its channel variations ("utter_greet:sms") and
# button titles ("utter_menu:button") too.
TRANSLATE_FIRST: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("danger", ("utter_danger",)),
    ("self-harm", ("utter_self_harm",)),
    ("trafficking", ("utter_trafficking",)),
    ("sexual assault", ("utter_sexual_assault",)),
    ("domestic violence", ("utter_domestic_violence",)),
    ("shelter", ("utter_shelter",)),
    ("not understood", ("utter_fallback",)),
    ("greeting", ("utter_greet", "utter_draft_translation")),
    ("menu", ("utter_menu",)),
    ("privacy", ("utter_privacy",)),
    ("forget me", ("utter_forgotten",)),
    ("language set", ("utter_language_set",)),
    ("technical problem (911)", ("utter_technical_problem", "utter_action_unavailable")),
)
NOTE = "TRANSLATORS: Translate first (safety)."


def response_name(context: str | None) -> str:
    """The response a catalog context belongs to: "utter_menu:button" -> "utter_menu"."""
    return (context or "").split(":", 1)[0]


def translate_first_rank(context: str | None) -> int | None:
    """The position of the context's group in TRANSLATE_FIRST, or None when it is not translated first."""
    name = response_name(context)
    return next((rank for rank, (_, names) in enumerate(TRANSLATE_FIRST) if name in names), None)


def _is_data_text(message: Message) -> bool:
    """A text a data file shows (data/legal/options.csv ...), rather than a reply of the domain or a channel."""
    return bool(message.locations) and all(path.startswith("data/") for path, _ in message.locations)


def translation_order(message: Message) -> tuple[int, int, int]:
    """Where a message goes in a catalog: the translate-first replies in TRANSLATE_FIRST's order, then the other
    replies, then the texts of the data files (legal explanations, hours), each group in the extractor's order."""
    rank = translate_first_rank(message.context)
    if rank is not None:
        return (0, rank, TRANSLATE_FIRST[rank][1].index(response_name(message.context)))
    return (2, 0, 0) if _is_data_text(message) else (1, 0, 0)


def put_in_translation_order(catalog: Catalog) -> None:
    """Reorder the catalog's messages (the header stays first) by translation_order, keeping ties in place."""
    messages = [message for message in catalog if message.id]
    for message in messages:
        catalog.delete(message.id, context=message.context)
    for message in sorted(messages, key=translation_order):
        catalog[message.id] = message
