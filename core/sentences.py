"""The sentences and clauses of a long message (Rasa-free): the pieces whose crisis scores are kept apart, so
that a threat said in passing inside a story is not averaged away (bot/nlu/intent_classifier.py,
bot/nlu/danger_first.py); the sentence encoder embeds them in the same call as the whole message. The last
one is usually the question a story ends in (bot/i18n/keywords.py, find_asked_need)."""

from __future__ import annotations

import re

# A sentence ends at . ! ? ; : or a line break (and Arabic's ؟ ؛ ،); a comma ends a clause. A piece shorter than
# MIN_SEGMENT_WORDS joins the next: "help" alone says less than "help, he is at the door".
_SENTENCE_END = re.compile(r"[.!?;:\n\u061f\u061b\u060c,]+")
MIN_SEGMENT_WORDS = 3
MAX_SEGMENTS = 8


def segments(text: str) -> list[str]:
    """The sentences and clauses of a message, each of at least MIN_SEGMENT_WORDS words where it can be."""
    merged: list[str] = []
    carry = ""
    for piece in (p.strip() for p in _SENTENCE_END.split(text)):
        carry = f"{carry} {piece}".strip()
        if len(carry.split()) >= MIN_SEGMENT_WORDS:
            merged.append(carry)
            carry = ""
    if carry:
        if merged:
            merged[-1] = f"{merged[-1]} {carry}"
        else:
            merged.append(carry)
    return merged[:MAX_SEGMENTS]
