"""Catalog integrity: every response has a translation in every locale, with the same placeholders."""

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from bot.i18n.catalog_files import catalog_problems, check_catalogs, po_path, read_catalog
from bot.i18n.extract import iter_response_messages
from bot.i18n.languages import registered_codes
from bot.replies.rendering import CHANNEL_MESSAGES_DIR, placeholders
from core.names import LAUNCH_LANGUAGES
from tests.conftest import PROJECT_ROOT


def domain_messages():
    """(msgctxt, msgid) of every response text and button title, as the extractor sees them."""
    found = set()
    for path in [*sorted((PROJECT_ROOT / "domain").glob("*.yml")), *sorted(CHANNEL_MESSAGES_DIR.glob("*.yml"))]:
        for _, context, msgid, _ in iter_response_messages(path.read_text(encoding="utf-8")):
            found.add((context, msgid))
    return found


def test_extractor_finds_every_response_of_the_domain(messages):
    contexts = {context for context, _ in domain_messages()}
    with_text = {name for name, variations in messages.items() if any(v.get("text") for v in variations)}
    assert with_text <= contexts
    # A message of buttons only is still found, by its button titles.
    assert ("utter_yes_no:button", "Yes") in domain_messages()
    assert ("utter_menu:button", "I am in danger now") in domain_messages()


def test_template_is_up_to_date():
    template = read_catalog(PROJECT_ROOT / "locales" / "messages.pot")
    in_template = {(message.context, message.id) for message in template if message.id}
    assert domain_messages() <= in_template, "run `make i18n-extract` and `make i18n-update`"


# A new language may land as a partial draft (`make i18n-report` tracks it); the launch languages may not.
LAUNCH_TRANSLATIONS = [code for code in LAUNCH_LANGUAGES if code != "en"]


@pytest.mark.parametrize("language", LAUNCH_TRANSLATIONS)
def test_every_response_is_translated(language):
    catalog = read_catalog(po_path(language))
    for context, msgid in domain_messages():
        message = catalog.get(msgid, context=context)
        assert message is not None, f"{language}: {context} missing"
        assert message.string and not message.fuzzy, f"{language}: {context} untranslated or fuzzy"
        assert placeholders(message.string) == placeholders(msgid), f"{language}: {context} placeholders differ"


@pytest.mark.parametrize("language", registered_codes())
def test_catalogs_have_no_problems(language):
    assert catalog_problems(read_catalog(po_path(language))) == []


def write_catalog(directory: Path, code: str, translation: str) -> None:
    catalog = Catalog(locale=code)
    catalog.add("Call {line_dv} now.", translation, context="utter_x")
    path = po_path(code, directory)
    path.parent.mkdir(parents=True)
    with path.open("wb") as handle:
        write_po(handle, catalog)


def test_check_reports_a_placeholder_mismatch(tmp_path, capsys):
    write_catalog(tmp_path, "es", "Llame al {linea} ahora.")
    assert check_catalogs(["es"], tmp_path) == 1
    assert "utter_x: placeholders ['linea'] do not match the source's ['line_dv']" in capsys.readouterr().err


def test_check_accepts_a_good_catalog_and_writes_nothing(tmp_path):
    write_catalog(tmp_path, "es", "Llame al {line_dv} ahora.")
    before = sorted(tmp_path.rglob("*"))
    assert check_catalogs(["es"], tmp_path) == 0
    assert sorted(tmp_path.rglob("*")) == before


# --- the catalogs as the server reads them (bot/i18n/catalog.py) ------------------------------------------------


@pytest.fixture
def served_from(tmp_path, monkeypatch):
    """The server's catalogs read from tmp_path; returns a writer of one catalog there."""
    from bot.i18n import catalog

    real = catalog.catalog_path
    monkeypatch.setattr(catalog, "catalog_path", lambda code, folder=tmp_path: real(code, folder))

    def write(code: str, entries: dict[str, tuple[str, str]], fuzzy: frozenset = frozenset()) -> None:
        messages = Catalog(locale=code)
        for context, (source, translation) in entries.items():
            messages.add(source, translation, context=context, flags=["fuzzy"] if context in fuzzy else [])
        path = po_path(code, tmp_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, messages)

    return write


def test_a_saved_po_file_is_served_at_once_without_compiling(served_from):
    from bot.i18n.catalog import translate

    served_from("es", {"utter_x": ("Hello.", "Hola.")})
    assert translate("es", "utter_x", "Hello.") == "Hola."
    served_from("es", {"utter_x": ("Hello.", "¡Hola!"), "utter_y": ("Bye.", "Adiós.")})
    assert (translate("es", "utter_x", "Hello."), translate("es", "utter_y", "Bye.")) == ("¡Hola!", "Adiós.")


def test_a_broken_translation_is_left_out_and_logged_and_the_rest_is_served(served_from, caplog):
    from bot.i18n.catalog import translate

    served_from("es", {"utter_x": ("Call {line_dv}.", "Llame al {linea}."), "utter_y": ("Bye.", "Adiós.")})
    assert translate("es", "utter_x", "Call {line_dv}.") == "Call {line_dv}."
    assert translate("es", "utter_y", "Bye.") == "Adiós."
    assert "utter_x" in caplog.text and "not served" in caplog.text


def test_a_fuzzy_translation_is_not_served(served_from):
    from bot.i18n.catalog import translate

    served_from("es", {"utter_x": ("Hello.", "Hola.")}, fuzzy=frozenset({"utter_x"}))
    assert translate("es", "utter_x", "Hello.") == "Hello."


def test_an_unreadable_po_file_keeps_the_catalog_read_before(served_from, tmp_path):
    from bot.i18n.catalog import translate

    served_from("es", {"utter_x": ("Hello.", "Hola.")})
    assert translate("es", "utter_x", "Hello.") == "Hola."
    po_path("es", tmp_path).write_bytes(b"\xff\xfe not a catalog \x00")
    assert translate("es", "utter_x", "Hello.") == "Hola."


def test_a_language_without_a_catalog_is_served_in_english(served_from):
    from bot.i18n.catalog import translate

    assert translate("xx", "utter_x", "Hello.") == "Hello."
