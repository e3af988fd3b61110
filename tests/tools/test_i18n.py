"""Translator tooling: `make locale` on a copy of the repository's locales/ and data/nlu/, and `make i18n-report`.

Vietnamese ("vi") is the worked example TRANSLATING.md follows.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from bot.i18n import catalog as catalog_module
from bot.i18n import languages
from bot.i18n.catalog_files import compile_catalogs, glossary_path, po_path, read_catalog, registry_path, template_path
from bot.i18n.languages import babel_facts, normalise_code, read_registry, registered_codes, reply_language
from bot.i18n.new_language import add_locale
from bot.i18n.progress import catalog_progress
from bot.replies.rendering import default_values, placeholders, render_response
from core.names import LAUNCH_LANGUAGES
from core.training_data import examples_by_intent
from tests.conftest import PROJECT_ROOT
from tools.i18n import main

# --- helpers, also used by tests/tools/test_preview.py -------------------------------------------------------


def copy_of_repository(tmp_path: Path) -> tuple[Path, Path]:
    """(locales dir, NLU dir): copies of the real ones, so a test may add a language freely."""
    locales, nlu = tmp_path / "locales", tmp_path / "nlu"
    shutil.copytree(PROJECT_ROOT / "locales", locales)
    shutil.copytree(PROJECT_ROOT / "data" / "nlu", nlu)
    return locales, nlu


def translate_and_compile(locales: Path, code: str, context: str, words: str) -> str:
    """Translate one response as a translator would in Poedit (its placeholders kept), compile; return it."""
    path = po_path(code, locales)
    catalog = read_catalog(path)
    message = next(m for m in catalog if m.context == context)
    translation = words + " " + " ".join(f"{{{name}}}" for name in sorted(placeholders(message.id)))
    message.string = translation
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)
    assert compile_catalogs([code], locales) == 0
    return translation


def serve_from(monkeypatch: pytest.MonkeyPatch, locales: Path) -> None:
    """Make the running code read the registry and the compiled catalogs from `locales`."""
    monkeypatch.setattr(languages, "REGISTRY_PATH", registry_path(locales))
    real_catalog_path = catalog_module.catalog_path
    monkeypatch.setattr(catalog_module, "catalog_path", lambda code, folder=locales: real_catalog_path(code, folder))


@pytest.fixture
def repository(tmp_path) -> tuple[Path, Path]:
    return copy_of_repository(tmp_path)


# --- make locale ---------------------------------------------------------------------------------------


def test_a_new_language_is_registered_as_a_draft_with_babels_name_and_direction(repository):
    locales, nlu = repository
    add_locale("vi", locales, nlu)
    entry = read_registry(registry_path(locales))[-1]
    assert (entry.code, entry.name, entry.direction, entry.status) == ("vi", *babel_facts("vi"), "draft")
    assert entry.name == "Tiếng Việt"


def test_adding_a_language_keeps_the_other_entries_and_the_registry_comments(repository):
    locales, nlu = repository
    before = registry_path(locales).read_text(encoding="utf-8")
    add_locale("vi", locales, nlu)
    after = registry_path(locales).read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n"))
    assert read_registry(registry_path(locales))[:-1] == read_registry(PROJECT_ROOT / "locales" / "languages.yml")


def test_the_new_catalog_holds_every_template_message_untranslated(repository):
    locales, nlu = repository
    add_locale("vi", locales, nlu)
    new = read_catalog(po_path("vi", locales))
    template = read_catalog(template_path(locales))
    assert {(m.context, m.id) for m in new if m.id} == {(m.context, m.id) for m in template if m.id}
    assert not any(m.string for m in new if m.id)
    assert str(new.locale) == "vi"
    assert new.plural_forms == Catalog(locale=Locale.parse("vi")).plural_forms
    # The translators' notes travel with the messages.
    assert any(comment.startswith("TRANSLATORS:") for m in new for comment in m.auto_comments)


def test_the_new_language_gets_an_nlu_folder_with_a_guide_and_a_glossary_stub(repository):
    locales, nlu = repository
    add_locale("vi", locales, nlu)
    guide = (nlu / "vi" / "README.md").read_text(encoding="utf-8")
    assert examples_by_intent(nlu / "vi") == {}  # a guide, not training data
    for intent in examples_by_intent(nlu / "en"):
        assert f"`{intent}`" in guide
    assert "status: draft" in glossary_path("vi", locales).read_text(encoding="utf-8")
    # The keyword lists start as the English ones, for the translator to extend.
    assert (locales / "vi" / "keywords.yml").read_text(encoding="utf-8") == (locales / "en" / "keywords.yml").read_text(
        encoding="utf-8"
    )


def test_a_compiled_translation_in_the_new_catalog_is_served(repository, monkeypatch, responses):
    locales, nlu = repository
    add_locale("vi", locales, nlu)
    translation = translate_and_compile(locales, "vi", "utter_danger", "Nếu bạn đang gặp nguy hiểm, hãy gọi:")
    serve_from(monkeypatch, locales)
    language = reply_language("vi")
    assert language == "vi"
    expected = translation.format_map(default_values())
    for channel in ("collector", "kiosk", "sms"):
        assert render_response(responses, "utter_danger", language, channel)["text"] == expected
    # Untranslated responses fall back to the English source.
    english = render_response(responses, "utter_greet", "en", "collector")["text"]
    assert render_response(responses, "utter_greet", language, "collector")["text"] == english


def test_a_running_process_picks_up_a_language_added_to_the_registry(repository, monkeypatch):
    locales, nlu = repository
    monkeypatch.setattr(languages, "REGISTRY_PATH", registry_path(locales))
    assert "vi" not in registered_codes() and normalise_code("vi") is None
    add_locale("vi", locales, nlu)
    assert "vi" in registered_codes() and normalise_code("vi-VN") == "vi"


def test_a_broken_registry_edit_keeps_the_languages_read_before(repository, monkeypatch):
    locales, _ = repository
    monkeypatch.setattr(languages, "REGISTRY_PATH", registry_path(locales))
    before = registered_codes()
    registry_path(locales).write_text("languages: [unclosed\n", encoding="utf-8")
    assert registered_codes() == before


def files_under(*folders: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for folder in folders for path in folder.rglob("*") if path.is_file()}


@pytest.mark.parametrize(
    "code, reason",
    [
        ("xx-nonsense", "Babel does not know"),
        ("es", "already registered"),
        ("en", "already registered"),
        ("pt_BR", "region"),
    ],
)
def test_make_locale_refuses_and_changes_nothing(repository, capsys, code, reason):
    locales, nlu = repository
    before = files_under(locales, nlu)
    assert main(["locale", code, "--locales-dir", str(locales), "--nlu-dir", str(nlu)]) == 1
    assert reason in capsys.readouterr().err
    assert files_under(locales, nlu) == before


def test_make_locale_refuses_a_catalog_that_exists_without_an_entry(repository, capsys):
    locales, nlu = repository
    po_path("vi", locales).parent.mkdir(parents=True)
    po_path("vi", locales).write_text("", encoding="utf-8")
    assert main(["locale", "vi", "--locales-dir", str(locales), "--nlu-dir", str(nlu)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert "vi" not in {language.code for language in read_registry(registry_path(locales))}


# --- make i18n-report ----------------------------------------------------------------------------------


def progress_catalog(code: str, translated: int, fuzzy: int, untranslated: int) -> Catalog:
    catalog = Catalog(locale=code)
    for number in range(translated):
        catalog.add(f"Source {number}", f"Translation {number}", context=f"utter_t{number}")
    for number in range(fuzzy):
        catalog.add(f"Changed {number}", f"Old translation {number}", context=f"utter_f{number}", flags=["fuzzy"])
    for number in range(untranslated):
        catalog.add(f"New {number}", "", context=f"utter_u{number}")
    return catalog


@pytest.mark.parametrize(
    "translated, fuzzy, untranslated, percent",
    [(2, 1, 1, 50.0), (4, 0, 0, 100.0), (0, 0, 3, 0.0), (19, 1, 0, 95.0), (0, 2, 0, 0.0)],
)
def test_catalog_progress(translated, fuzzy, untranslated, percent):
    progress = catalog_progress(progress_catalog("es", translated, fuzzy, untranslated))
    assert (progress.percent, progress.fuzzy, progress.untranslated) == (percent, fuzzy, untranslated)


def test_a_plural_message_is_translated_only_when_every_form_is():
    catalog = Catalog(locale="ar")
    catalog.add(("{count} line", "{count} lines"), ("a", "b", "c", "d", "e", ""), context="utter_p")
    assert catalog_progress(catalog).untranslated == 1


def small_repository(tmp_path: Path, figures: dict[str, tuple[int, int, int]]) -> tuple[Path, Path]:
    """A registry of the given languages, each with a catalog of (translated, fuzzy, untranslated) messages.
    English is the source: its figures are ignored, and its template has one message."""
    locales, nlu = tmp_path / "locales", tmp_path / "nlu"
    entries = []
    for code, counts in figures.items():
        name, direction = babel_facts(code)
        entries.append(f"  - {{code: {code}, name: '{name}', direction: {direction}, status: draft}}")
        if code != "en":
            write_catalog(po_path(code, locales), progress_catalog(code, *counts))
    registry_path(locales).write_text("languages:\n" + "\n".join(entries) + "\n", encoding="utf-8")
    template = Catalog()
    template.add("Hello.", context="utter_greet")
    write_catalog(template_path(locales), template)
    (nlu / "en").mkdir(parents=True)
    (nlu / "en" / "core.yml").write_text(
        'version: "3.1"\nnlu:\n  - intent: greet\n    examples: |\n      - hello\n      - hi\n', encoding="utf-8"
    )
    (nlu / "vi").mkdir()  # a language that has no examples yet
    return locales, nlu


def write_catalog(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog)


def report_rows(output: str) -> dict[str, list[str]]:
    return {line.split()[0]: line.split()[1:] for line in output.splitlines() if line.startswith("  ")}


def test_report_figures(tmp_path, capsys):
    locales, nlu = small_repository(tmp_path, {"en": (0, 0, 0), "es": (2, 1, 1), "vi": (0, 0, 4)})
    main(["report", "--locales-dir", str(locales), "--nlu-dir", str(nlu)])
    rows = report_rows(capsys.readouterr().out)
    assert rows["en"] == ["draft", "100.0%", "0", "0"]  # the source language is complete by definition
    assert rows["es"] == ["draft", "50.0%", "1", "1"]
    assert rows["vi"] == ["draft", "0.0%", "0", "4"]
    assert rows["intent"] == ["en", "es", "vi"]
    assert rows["greet"] == ["2", "0", "0"]  # 0 for an empty folder and for a missing one


ALL_LAUNCH_LANGUAGES_DONE = {code: (20, 0, 0) for code in LAUNCH_LANGUAGES}


@pytest.mark.parametrize(
    "changed, exit_code",
    [
        ({}, 0),
        ({"es": (2, 1, 1)}, 1),  # 50%
        ({"fr": (19, 1, 0)}, 0),  # 95%: just enough
        ({"ar": (18, 1, 1)}, 1),  # 90%
        ({"so": (19, 0, 1)}, 0),
        ({"vi": (0, 0, 20)}, 0),  # not a launch language: a new language may start at 0%
    ],
)
def test_report_fails_when_a_launch_language_is_under_95_percent(tmp_path, capsys, changed, exit_code):
    locales, nlu = small_repository(tmp_path, {**ALL_LAUNCH_LANGUAGES_DONE, **changed})
    assert main(["report", "--locales-dir", str(locales), "--nlu-dir", str(nlu)]) == exit_code
    errors = capsys.readouterr().err
    for code in changed:
        assert (code in errors) == bool(exit_code)


def test_report_fails_when_a_launch_language_is_not_registered(tmp_path):
    figures = {code: counts for code, counts in ALL_LAUNCH_LANGUAGES_DONE.items() if code != "so"}
    locales, nlu = small_repository(tmp_path, figures)
    assert main(["report", "--locales-dir", str(locales), "--nlu-dir", str(nlu)]) == 1


# --- Text that data files show people ------------------------------------------------------------------------


def data_sections():
    """(path, table, columns) of every [data_csv: ...] section of babel.cfg."""
    import configparser

    parser = configparser.ConfigParser()
    parser.read(PROJECT_ROOT / "babel.cfg", encoding="utf-8")
    for section in parser.sections():
        if section.startswith("data_csv:"):
            path = section.split(":", 1)[1].strip()
            yield path, parser[section]["table"], parser[section]["columns"].split()


def data_options(path: str) -> dict[str, str]:
    """The skip_status and status_column babel.cfg gives a data file, as iter_data_texts takes them."""
    import configparser

    parser = configparser.ConfigParser()
    parser.read(PROJECT_ROOT / "babel.cfg", encoding="utf-8")
    section = parser[f"data_csv: {path}"]
    return {
        "skip_status": section.get("skip_status", "unconfirmed"),
        "status_column": section.get("status_column", "status"),
    }


def test_data_texts_are_extracted_per_column_without_numbers_or_unconfirmed_rows():
    from bot.i18n.extract import iter_data_texts

    text = (
        "key,text,status\na,Call first.,sourced\nb,(207) 555-0100,sourced\nc,Not sure yet,unconfirmed\n"
        "d,Call first.,sourced\n"
    )
    assert list(iter_data_texts(text, "guide", ["text"])) == [
        (2, "guide:text", "Call first."),
        (5, "guide:text", "Call first."),
    ]


def test_every_shown_data_text_is_in_the_template():
    """A data file edited without `make i18n-extract` would show English to everyone: this catches it."""
    from babel.messages.pofile import read_po

    from bot.i18n.extract import iter_data_texts

    with (PROJECT_ROOT / "locales" / "messages.pot").open("rb") as handle:
        template = {(message.context, message.id) for message in read_po(handle) if message.id}
    sections = list(data_sections())
    assert {table for _, table, _ in sections} >= {"options", "questions", "court_guide", "service", "taxonomy"}
    for path, table, columns in sections:
        options = data_options(path)  # the directory's HSDS files mark hidden rows in fact_status
        text = (PROJECT_ROOT / path).read_text(encoding="utf-8")
        for _, context, msgid in iter_data_texts(text, table, columns, **options):
            assert (context, msgid) in template, (path, msgid)


def test_a_percent_sign_is_not_taken_for_python_formatting():
    from babel.messages.catalog import Catalog

    from bot.i18n.catalog_files import catalog_problems

    catalog = Catalog(locale="pt")
    catalog.add(
        "Income up to 200% of the guideline", "Renda até 200% da linha", context="service:eligibility_description"
    )
    assert catalog_problems(catalog) == []
