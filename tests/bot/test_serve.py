"""Serving never builds: it checks what is built, stops clearly when a part is missing, and names a catalog
with translations it leaves out (the real servers: tests/e2e/test_serve.py)."""

import logging
import shutil

import pytest
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
    monkeypatch.setattr(serve, "catalog_file", lambda code, locales_dir=None: tmp_path / f"{code}.po")
    missing = serve.missing_parts(("actions",), directory=tmp_path)
    assert [part.split()[1] for part in missing] == ["en", "es", "fr", "pt", "ar", "so"]


@pytest.fixture
def locales(tmp_path):
    """A copy of the registry and the Spanish catalog."""
    copy = tmp_path / "locales"
    (copy / "es" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(LOCALES_DIR / "languages.yml", copy / "languages.yml")
    source = copy / "es" / "LC_MESSAGES" / "messages.po"
    shutil.copy(LOCALES_DIR / "es" / "LC_MESSAGES" / "messages.po", source)
    with source.open("rb") as handle:
        catalog = read_po(handle)
    return copy, source, catalog


def test_a_catalog_without_problems_gives_no_note(locales):
    copy, _source, _catalog = locales
    assert serve.catalog_notes(copy) == []


def test_a_broken_translation_is_an_error_naming_its_catalog(locales):
    copy, source, catalog = locales
    message = next(m for m in catalog if m.context == "utter_talk_to_person")
    message.string = message.string.replace("{line_dv}", "{linea_dv}")  # a translator's slip
    with source.open("wb") as handle:
        write_po(handle, catalog)
    [(level, note)] = serve.catalog_notes(copy)
    assert level == logging.ERROR
    assert "the es catalog" in note and "1 problem(s)" in note and "served in English" in note


def test_make_run_serves_rasa_and_the_action_server_whatever_runs_the_actions(monkeypatch):
    # The README's promise: Rasa on 5005 and the actions on 5055, with the actions in process or not.
    for in_process in ("true", "false"):
        monkeypatch.setenv("ACTIONS_IN_PROCESS", in_process)
        assert serve.default_servers() == ("actions", "rasa")


def test_the_servers_openmp_threads_sleep_soon_unless_the_operator_says_otherwise(monkeypatch):
    """libgomp reads GOMP_SPINCOUNT once, when it loads: the server's environment must carry it from the start."""
    monkeypatch.delenv("GOMP_SPINCOUNT", raising=False)
    assert serve.server_environment("rasa")["GOMP_SPINCOUNT"] == "1000"
    monkeypatch.setenv("GOMP_SPINCOUNT", "300000")
    assert serve.server_environment("rasa")["GOMP_SPINCOUNT"] == "300000"
