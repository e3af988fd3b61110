"""How many SMS segments a text costs, and how to split a long reply into messages that fit (Rasa-free).

A phone that is watched shows every extra text, and carriers deliver the segments of a long message out of
order or not at all, so each reply stays within a few segments. The rules are GSM 03.38 as Twilio applies
them: a text written only in the GSM-7 alphabet costs 160 characters in a single segment and 153 per
segment once concatenated (7 go to the header that joins them); one character outside that alphabet makes
the whole message UCS-2, 70 and 67 UTF-16 code units. An extension character ({ } [ ] ~ \\ | ^ €) is an
escape plus a character, so it costs two; an emoji is a surrogate pair, so it costs two as well. Neither
pair is ever cut across two segments, which is why segments() packs rather than divides.
"""

from __future__ import annotations

import re
from collections.abc import Callable

GSM7 = "gsm-7"
UCS2 = "ucs-2"

# The GSM 03.38 default alphabet, without ESC (0x1B), which only introduces an extension character.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

SEGMENT_LIMITS = {GSM7: (160, 153), UCS2: (70, 67)}  # (a single segment, each segment of a longer one)
MAX_SEGMENTS = 3  # per message: a reply of many parts arrives piecemeal on a basic phone
TWILIO_MAX_CHARS = 1600  # Twilio refuses a longer message body

# A "word" for hard-splitting a line: a run of non-space characters, where a left-to-right isolate
# (LRI ... PDI, which keeps a phone number in order inside Arabic) counts as one piece even if it holds a
# space, so a split never separates the two marks.
_WORD = re.compile(r"(?:\u2066[^\u2069]*\u2069?|\S)+")
# Where a sentence ends (Latin and Arabic punctuation): a cut there reads better than one between words.
_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+")


def encoding(text: str) -> str:
    """GSM7 when every character is in the GSM-7 alphabet or its extension, else UCS2."""
    return GSM7 if all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text) else UCS2


def _costs(text: str, kind: str) -> list[int]:
    """What each character costs: septets in GSM-7, UTF-16 code units in UCS-2."""
    if kind == GSM7:
        return [2 if ch in GSM7_EXTENSION else 1 for ch in text]
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def segments(text: str) -> int:
    """How many segments the text is sent as (0 for an empty text)."""
    if not text:
        return 0
    kind = encoding(text)
    single, concatenated = SEGMENT_LIMITS[kind]
    costs = _costs(text, kind)
    if sum(costs) <= single:
        return 1
    count, used = 1, 0
    for cost in costs:
        if used + cost > concatenated:
            count, used = count + 1, 0
        used += cost
    return count


def fits(text: str, max_segments: int = MAX_SEGMENTS) -> bool:
    return segments(text) <= max_segments and len(text) <= TWILIO_MAX_CHARS


def _pack(
    pieces: list[str],
    max_segments: int,
    separator: str = " ",
    cut: Callable[[str, int], list[str]] | None = None,
) -> list[str]:
    """Pieces joined by the separator, as many to a message as fit, in order; a piece too long alone is cut
    further (by default between words)."""
    cut = cut or _cut_words
    messages: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}{separator}{piece}" if current else piece
        if fits(candidate, max_segments):
            current = candidate
            continue
        if current:
            messages.append(current)
        current = piece
        if not fits(current, max_segments):
            *whole, current = cut(current, max_segments)
            messages.extend(whole)
    if current:
        messages.append(current)
    return messages


def _cut_words(sentence: str, max_segments: int) -> list[str]:
    words = _WORD.findall(sentence)
    if len(words) > 1:
        return _pack(words, max_segments)
    pieces = []
    rest = sentence
    while not fits(rest, max_segments):  # one "word" longer than a message: cut inside it
        cut = _longest_fitting_prefix(rest, max_segments)
        pieces.append(rest[:cut])
        rest = rest[cut:]
    return [*pieces, rest]


def _hard_split(line: str, max_segments: int) -> list[str]:
    """A line too long for one message, cut after a sentence where possible, else between words."""
    return _pack(_SENTENCE_END.split(line), max_segments)


def _longest_fitting_prefix(text: str, max_segments: int) -> int:
    cut = len(text)
    while cut > 1 and not fits(text[:cut], max_segments):
        cut -= 1
    return cut


def split_message(text: str, max_segments: int = MAX_SEGMENTS) -> list[str]:
    """The text as messages of at most max_segments segments each, cut at line ends where possible.

    Lines are kept whole and in order, packed greedily, so numbered choices stay together when they can.
    """
    text = text.strip()
    if not text:
        return []
    if fits(text, max_segments):
        return [text]
    # Blank lines are dropped: one at a cut would only start a message with an empty line.
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    return _pack(lines, max_segments, separator="\n", cut=_hard_split)


def pack_messages(texts: list[str], max_segments: int = MAX_SEGMENTS, separator: str = "\n\n") -> list[str]:
    """Several replies of one turn as few messages as fit: joined while the joined text fits the budget,
    otherwise sent apart, each reply first split to fit."""
    parts = [part for text in texts for part in split_message(text, max_segments)]
    packed: list[str] = []
    for part in parts:
        if packed and fits(packed[-1] + separator + part, max_segments):
            packed[-1] = packed[-1] + separator + part
        else:
            packed.append(part)
    return packed
