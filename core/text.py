"""How text is folded for matching, shared by the tokenizer and language detection (Rasa-free).

People type on phones without accents or Arabic diacritics, and write alef, ya and ta marbuta several ways
(أريد / اريد, مستشفى / مستشفي); folding makes those the same word.
"""

from __future__ import annotations

import re
import unicodedata

WORD = re.compile(r"\w+")
ARABIC_FOLDS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": None})
# Letters that Unicode does not decompose into a base letter and an accent, typed without it on phones:
# Vietnamese "đ" (giúp đỡ / giup do), Polish "ł", Nordic "ø", Turkish dotless "ı".
UNACCENTED = str.maketrans({"đ": "d", "ł": "l", "ø": "o", "ı": "i"})
# Accents and diacritics of the Basic Multilingual Plane, dropped in one `translate` (a tenth of a letter-by-letter
# test; the NLU pipeline and language detection fold every message). The rare letter beyond it takes the slow way.
_LAST_BMP = "\uffff"
_COMBINING = {code: None for code in range(ord(_LAST_BMP) + 1) if unicodedata.combining(chr(code))}


def fold(text: str) -> str:
    """Lower case, without accents, Arabic diacritics or tatweel, with one alef, ya and ta marbuta."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if decomposed.isascii():
        return decomposed
    if max(decomposed) <= _LAST_BMP:
        bare = decomposed.translate(_COMBINING)
    else:
        bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", bare).translate(ARABIC_FOLDS).translate(UNACCENTED)


def normalise(text: str) -> str:
    """Folded words, single-spaced, without punctuation."""
    return " ".join(WORD.findall(fold(text)))


def with_accents(text: str) -> str:
    """Lower case and single-spaced, accents kept: "olá" is Portuguese where "ola" could be misspelt Spanish."""
    return " ".join(WORD.findall(text.casefold()))
