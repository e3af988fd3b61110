"""Catalog integrity: every response has a translation in every locale, with the same placeholders."""

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from bot.i18n.catalog_files import catalog_problems, compile_catalogs, po_path, read_catalog
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


def test_compile_refuses_a_placeholder_mismatch(tmp_path, capsys):
    write_catalog(tmp_path, "es", "Llame al {linea} ahora.")
    assert compile_catalogs(["es"], tmp_path) == 1
    assert "placeholders" in capsys.readouterr().err
    assert not po_path("es", tmp_path).with_suffix(".mo").exists()


def test_compile_accepts_a_good_catalog(tmp_path):
    write_catalog(tmp_path, "es", "Llame al {line_dv} ahora.")
    assert compile_catalogs(["es"], tmp_path) == 0
    assert po_path("es", tmp_path).with_suffix(".mo").exists()
