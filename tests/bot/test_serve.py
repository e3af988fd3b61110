"""Serving never builds: it checks what is built, stops clearly when a part is missing, and names a catalog
that could not be compiled while the last good one is served (the real servers: tests/e2e/test_serve.py)."""

import logging
import os
import shutil

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from bot.runtime import serve
from core.paths import LOCALES_DIR


def test_a_missing_model_stops_the_rasa_server_with_the_command_that_builds_it(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(serve, "MODEL_PATH", tmp_path / "assistant.tar.gz")
    with caplog.at_level(logging.ERROR, logger="serve"):
        assert serve.main(["--only", "rasa"]) == serve.NOT_BUILT
    message = caplog.text
    assert "the trained model" in message and "assistant.tar.gz" in message
    assert "make build" in message


def test_each_server_needs_only_its_own_parts(tmp_path):
    absent_model, absent_directory = tmp_path / "model.tar.gz", tmp_path / "directory.db"
    rasa = serve.missing_parts(("rasa",), model=absent_model, directory=absent_directory)
    actions = serve.missing_parts(("actions",), model=absent_model, directory=absent_directory)
    assert any("model" in part for part in rasa) and not any("directory" in part for part in rasa)
    assert any("directory" in part for part in actions) and not any("model" in part for part in actions)


def test_missing_catalogs_are_named(tmp_path, monkeypatch):
    monkeypatch.setattr(serve, "compiled_catalog", lambda code, locales_dir=None: tmp_path / f"{code}.mo")
    missing = serve.missing_parts(("actions",), directory=tmp_path)
    assert [part.split()[1] for part in missing] == ["en", "es", "fr", "pt", "ar", "so"]


@pytest.fixture
def locales(tmp_path):
    """A copy of the registry and the Spanish catalog, compiled, with its source then saved again."""
    copy = tmp_path / "locales"
    (copy / "es" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(LOCALES_DIR / "languages.yml", copy / "languages.yml")
    source = copy / "es" / "LC_MESSAGES" / "messages.po"
    shutil.copy(LOCALES_DIR / "es" / "LC_MESSAGES" / "messages.po", source)
    with source.open("rb") as handle:
        catalog = read_po(handle)
    with source.with_suffix(".mo").open("wb") as handle:
        write_mo(handle, catalog)
    return copy, source, catalog


def saved_later(source, catalog):
    with source.open("wb") as handle:
        write_po(handle, catalog)
    later = source.with_suffix(".mo").stat().st_mtime + 60
    os.utime(source, (later, later))


def test_a_compiled_catalog_up_to_date_gives_no_note(locales):
    copy, _source, _catalog = locales
    assert serve.catalog_notes(copy) == []


def test_a_broken_catalog_is_an_error_and_its_last_good_form_is_served(locales):
    copy, source, catalog = locales
    message = next(m for m in catalog if m.context == "utter_talk_to_person")
    message.string = message.string.replace("{line_dv}", "{linea_dv}")  # a translator's slip
    saved_later(source, catalog)
    [(level, note)] = serve.catalog_notes(copy)
    assert level == logging.ERROR
    assert "the es catalog" in note and "1 problem(s)" in note and "last good compiled catalog" in note


def test_a_changed_catalog_without_problems_is_a_warning_to_build(locales):
    copy, source, catalog = locales
    saved_later(source, catalog)
    [(level, note)] = serve.catalog_notes(copy)
    assert level == logging.WARNING and "make build" in note
