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
    ],
)
def test_fold(typed, folded):
    assert fold(typed) == folded


def test_normalise_drops_punctuation_and_spacing():
    assert normalise("¡Ayúdame  AHORA!") == "ayudame ahora"


def test_with_accents_keeps_them():
    assert with_accents("¡Olá!") == "olá"
