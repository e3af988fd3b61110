import pytest

from bot.i18n.languages import babel_facts, babel_knows, normalise_code, read_registry, registered_codes
from core.names import LAUNCH_LANGUAGES


def test_launch_languages_are_registered():
    assert set(LAUNCH_LANGUAGES) <= set(registered_codes())


@pytest.mark.parametrize("language", read_registry(), ids=lambda language: language.code)
def test_registry_names_and_directions_come_from_babel(language):
    """Typed by hand only where Babel has no data for the language (Maay Maay, Dari)."""
    if language.by_hand:
        assert not babel_knows(language.code)
    else:
        assert (language.name, language.direction) == babel_facts(language.code)


def test_arabic_is_right_to_left_and_somali_left_to_right():
    assert babel_facts("ar")[1] == "rtl"
    assert babel_facts("so") == ("Soomaali", "ltr")


def test_unknown_code_is_refused():
    with pytest.raises(ValueError):
        babel_facts("xx-not-a-language")


@pytest.mark.parametrize(
    "value, expected",
    [("so", "so"), ("SO", "so"), ("pt-BR", "pt"), ("es_US", "es"), ("de", None), ("", None), (None, None), (3, None)],
)
def test_normalise_code(value, expected):
    assert normalise_code(value) == expected
