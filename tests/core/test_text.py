import pytest

from core.text import fold, normalise, with_accents


@pytest.mark.parametrize(
    "typed, folded",
    [
        ("أريد", "اريد"),
        ("إسعاف", "اسعاف"),
        ("مستشفى", "مستشفي"),
        ("المحكمة", "المحكمه"),
        ("أُرِيدُ", "اريد"),  # diacritics
        ("ـــمرحبا", "مرحبا"),  # tatweel
        ("Está", "esta"),
        ("AYÚDAME", "ayudame"),
        ("Ça", "ca"),
        ("giúp đỡ tôi", "giup do toi"),  # Vietnamese: stacked accents, and đ that Unicode does not decompose
        ("hello", "hello"),
        ("ayuda 🆘 ahora", "ayuda 🆘 ahora"),  # a letter beyond the Basic Multilingual Plane
        ("ayúdame 🆘", "ayudame 🆘"),  # an accent beside a letter beyond it
    ],
)
def test_fold(typed, folded):
    assert fold(typed) == folded


def test_normalise_drops_punctuation_and_spacing():
    assert normalise("¡Ayúdame  AHORA!") == "ayudame ahora"


def test_with_accents_keeps_them():
    assert with_accents("¡Olá!") == "olá"


def letter_by_letter(text: str) -> str:
    """fold as it was first written: each decomposed letter tested for being a combining mark."""
    import unicodedata

    from core.text import ARABIC_FOLDS, UNACCENTED

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", bare).translate(ARABIC_FOLDS).translate(UNACCENTED)


def test_fold_gives_what_testing_each_letter_gives():
    import random

    from core.training_data import language_examples

    texts = [text for _, text in language_examples(["en", "es", "fr", "pt", "ar", "so"])]
    assert len(texts) > 10_000
    letters = [chr(code) for code in range(0x20, 0x3000)] + ["🆘", "𝐀", "\U000e0100"]  # a variation selector
    chooser = random.Random(7)
    texts += ["".join(chooser.choices(letters, k=40)) for _ in range(2_000)]
    assert [fold(text) for text in texts] == [letter_by_letter(text) for text in texts]
