"""Translator tooling: `make locale` on a copy of the repository's locales/ and data/nlu/, and `make i18n-report`.

TRANSLATING.md follows Vietnamese as its example; a translator may add it for real at any time, so the tests
add a language nobody will add to this assistant by accident: Esperanto (NEW, which Babel knows), and for a
language Babel has no data for, the ISO 639 code reserved for local use, "qaa" (BY_HAND).
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
import yaml
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from bot.i18n import catalog as catalog_module
from bot.i18n import languages
from bot.i18n.catalog_files import check_catalogs, glossary_path, po_path, read_catalog, registry_path, template_path
from bot.i18n.languages import babel_facts, normalise_code, read_registry, registered_codes, reply_language
from bot.i18n.new_language import add_locale
from bot.i18n.progress import catalog_progress
from bot.replies.rendering import default_values, placeholders, render_response
from core.names import LAUNCH_LANGUAGES
from core.training_data import examples_by_intent
from core.yaml_files import read_yaml
from tests.conftest import PROJECT_ROOT
from tools.i18n import main

# --- helpers, also used by tests/tools/test_preview.py -------------------------------------------------------

NEW = "eo"  # Esperanto: Babel knows it ("Esperanto", left to right); no one will add it here by accident
BY_HAND = "qaa"  # ISO 639-2 reserves qaa-qtz for local use: never a real language, and unknown to Babel


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
    assert check_catalogs([code], locales) == 0
    return translation


def serve_from(monkeypatch: pytest.MonkeyPatch, locales: Path) -> None:
    """Make the running code read the registry and the catalogs from `locales`."""
    monkeypatch.setattr(languages, "REGISTRY_PATH", registry_path(locales))
    real_catalog_path = catalog_module.catalog_path
    monkeypatch.setattr(catalog_module, "catalog_path", lambda code, folder=locales: real_catalog_path(code, folder))


@pytest.fixture
def repository(tmp_path) -> tuple[Path, Path]:
    return copy_of_repository(tmp_path)


# --- make locale ---------------------------------------------------------------------------------------


def test_a_new_language_is_registered_as_a_preview_with_babels_name_and_direction(repository):
    locales, nlu = repository
    add_locale(NEW, locales, nlu)
    entry = read_registry(registry_path(locales))[-1]
    assert (entry.code, entry.name, entry.direction, entry.status) == (NEW, *babel_facts(NEW), "preview")
    assert (entry.name, entry.by_hand) == ("Esperanto", False)


def test_adding_a_language_keeps_the_other_entries_and_the_registry_comments(repository):
    locales, nlu = repository
    before = registry_path(locales).read_text(encoding="utf-8")
    add_locale(NEW, locales, nlu)
    after = registry_path(locales).read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n"))
    assert read_registry(registry_path(locales))[:-1] == read_registry(PROJECT_ROOT / "locales" / "languages.yml")


def test_the_new_catalog_holds_every_template_message_untranslated(repository):
    locales, nlu = repository
    add_locale(NEW, locales, nlu)
    new = read_catalog(po_path(NEW, locales))
    template = read_catalog(template_path(locales))
    assert [(m.context, m.id) for m in new if m.id] == [(m.context, m.id) for m in template if m.id]  # same order
    assert not any(m.string for m in new if m.id)
    assert str(new.locale) == NEW
    assert new.plural_forms == Catalog(locale=Locale.parse(NEW)).plural_forms
    assert (new.last_translator, new.language_team) == ("", "")  # no placeholder name or e-mail
    # The translators' notes travel with the messages.
    assert any(comment.startswith("TRANSLATORS:") for m in new for comment in m.auto_comments)


def test_the_new_language_gets_an_nlu_folder_with_a_guide_and_a_glossary_stub(repository):
    locales, nlu = repository
    add_locale(NEW, locales, nlu)
    guide = (nlu / NEW / "README.md").read_text(encoding="utf-8")
    assert examples_by_intent(nlu / NEW) == {}  # a guide, not training data
    for intent in examples_by_intent(nlu / "en"):
        assert f"`{intent}`" in guide
    assert "At least 20 examples per intent" in guide  # as TRANSLATING.md says
    assert "20 per topic" in (PROJECT_ROOT / "TRANSLATING.md").read_text(encoding="utf-8")
    assert "preview" in glossary_path(NEW, locales).read_text(encoding="utf-8")


def test_the_new_keyword_lists_are_empty_under_the_english_keys_with_their_own_header(repository):
    from bot.i18n.keywords import LISTS, read_keywords

    locales, nlu = repository
    add_locale(NEW, locales, nlu)
    text = (locales / NEW / "keywords.yml").read_text(encoding="utf-8")
    english_text = (locales / "en" / "keywords.yml").read_text(encoding="utf-8")
    assert text.startswith("# Words that tell the assistant what a message is about, in Esperanto")
    assert english_text.splitlines()[0] not in text
    new, english = read_keywords(locales / NEW / "keywords.yml"), read_keywords(locales / "en" / "keywords.yml")
    for name in LISTS:
        assert list(new[name]) == list(english[name]), name
        assert not any(new[name].values()), name
    assert text.index("safety:") < text.index("sms:") < text.index("needs:")  # the lists to fill first on top


def test_a_saved_translation_in_the_new_catalog_is_served(repository, monkeypatch, responses):
    locales, nlu = repository
    add_locale(NEW, locales, nlu)
    translation = translate_and_compile(locales, NEW, "utter_danger", "Se vi estas en danĝero, voku:")
    serve_from(monkeypatch, locales)
    language = reply_language(NEW)
    assert language == NEW
    expected = translation.format_map(default_values())
    for channel in ("collector", "kiosk", "sms"):
        assert render_response(responses, "utter_danger", language, channel)["text"] == expected
    # Untranslated responses fall back to the English source.
    english = render_response(responses, "utter_greet", "en", "collector")["text"]
    assert render_response(responses, "utter_greet", language, "collector")["text"] == english


def test_a_running_process_picks_up_a_language_added_to_the_registry(repository, monkeypatch):
    locales, nlu = repository
    monkeypatch.setattr(languages, "REGISTRY_PATH", registry_path(locales))
    assert NEW not in registered_codes() and normalise_code(NEW) is None
    add_locale(NEW, locales, nlu)
    assert NEW in registered_codes() and normalise_code("EO-001") == NEW


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
        ("qaa", "give the language's own name"),
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
    po_path(NEW, locales).parent.mkdir(parents=True)
    po_path(NEW, locales).write_text("", encoding="utf-8")
    assert main(["locale", NEW, "--locales-dir", str(locales), "--nlu-dir", str(nlu)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert NEW not in {language.code for language in read_registry(registry_path(locales))}


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


def safety_entries(catalog: Catalog, groups_done: int) -> None:
    """Add every translate-first reply to the catalog, the first `groups_done` groups translated."""
    from bot.i18n.translate_first import TRANSLATE_FIRST

    for rank, (_, names) in enumerate(TRANSLATE_FIRST):
        for name in names:
            catalog.add(f"Source of {name}.", f"Translation of {name}." if rank < groups_done else "", context=name)


SAFETY_GROUPS = 13  # len(TRANSLATE_FIRST)
SAFETY_ENTRIES = 15  # two groups have two replies each
SAFETY_WORDS = "safety:\n  danger_now: [gun]\n  self_harm: [pills]\n"


def small_repository(tmp_path: Path, languages: dict[str, dict]) -> tuple[Path, Path]:
    """A registry of the given languages. Each maps to its settings: `status` (draft), `figures` (translated,
    fuzzy and untranslated ordinary messages), `safety` (translate-first groups translated: all), `words`
    (danger and self-harm words in its keywords.yml: True). English is the source: its catalog is not read."""
    locales, nlu = tmp_path / "locales", tmp_path / "nlu"
    entries = []
    for code, setup in languages.items():
        name, direction = babel_facts(code)
        status = setup.get("status", "draft")
        extra = ", reviewed_by: an advocate, reviewed_on: 2026-01-05" if status == "reviewed" else ""
        entries.append(f"  - {{code: {code}, name: '{name}', direction: {direction}, status: {status}{extra}}}")
        catalog = progress_catalog(code, *setup.get("figures", (0, 0, 0)))
        safety_entries(catalog, setup.get("safety", SAFETY_GROUPS))
        if code != "en":
            write_catalog(po_path(code, locales), catalog)
        (locales / code).mkdir(parents=True, exist_ok=True)
        (locales / code / "keywords.yml").write_text(SAFETY_WORDS if setup.get("words", True) else "", encoding="utf-8")
    registry_path(locales).write_text("languages:\n" + "\n".join(entries) + "\n", encoding="utf-8")
    template = Catalog()
    template.add("Hello.", context="utter_greet")
    write_catalog(template_path(locales), template)
    (nlu / "en").mkdir(parents=True)
    (nlu / "en" / "core.yml").write_text(
        'version: "3.1"\nnlu:\n  - intent: greet\n    examples: |\n      - hello\n      - hi\n', encoding="utf-8"
    )
    (nlu / NEW).mkdir()  # a language that has no examples yet
    return locales, nlu


def write_catalog(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog)


def report_rows(output: str) -> dict[str, list[str]]:
    return {line.split()[0]: line.split()[1:] for line in output.splitlines() if line.startswith("  ")}


def report(locales: Path, nlu: Path, capsys) -> tuple[int, str, str]:
    code = main(["report", "--locales-dir", str(locales), "--nlu-dir", str(nlu)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_report_figures(tmp_path, capsys):
    locales, nlu = small_repository(
        tmp_path,
        {
            "en": {"status": "reviewed"},
            "es": {"figures": (2, 1, 1)},
            NEW: {"status": "preview", "figures": (0, 0, 4), "safety": 3, "words": False},
        },
    )
    _, out, _ = report(locales, nlu, capsys)
    rows = report_rows(out)
    assert rows["code"] == ["status", "safety", "translated", "fuzzy", "untranslated"]
    # The source language is complete by definition; es: 17 of 19 entries, the 15 safety ones among them.
    assert rows["en"] == ["reviewed", "13/13", "100.0%", "0", "0"]
    assert rows["es"] == ["draft", "13/13", "89.5%", "1", "1"]
    assert rows[NEW] == ["preview", "3/13", "15.8%", "0", "16"]
    assert rows["intent"] == ["en", "es", NEW]
    assert rows["greet"] == ["2", "0", "0"]  # 0 for an empty folder and for a missing one


def test_report_says_what_each_language_lacks_to_move_up(tmp_path, capsys):
    locales, nlu = small_repository(
        tmp_path,
        {
            "en": {"status": "reviewed"},
            "es": {"figures": (2, 1, 1)},
            NEW: {"status": "preview", "safety": 3, "words": False},
        },
    )
    _, out, err = report(locales, nlu, capsys)
    assert "has status" not in err  # a preview language may lack anything
    steps = out.split("To move up")[1].split("NLU training examples")[0]
    new = next(line for line in steps.splitlines() if line.startswith(f"  - {NEW} "))
    assert "(preview -> draft)" in new
    assert "translate first: sexual assault, domestic violence, shelter, not understood, greeting" in new
    assert "words in keywords.yml `safety`: danger_now, self_harm" in new
    spanish = next(line for line in steps.splitlines() if line.startswith("  - es "))
    assert "(draft -> reviewed)" in spanish and "1 untranslated and 1 fuzzy" in spanish and "reviewed_by" in spanish
    assert "  - en " not in steps  # the source language is complete


@pytest.mark.parametrize(
    "setup, lacks",
    [
        ({"safety": 12}, "technical problem (911)"),
        ({"words": False}, "danger_now, self_harm"),
    ],
)
def test_report_fails_when_a_draft_lacks_what_draft_needs(tmp_path, capsys, setup, lacks):
    locales, nlu = small_repository(tmp_path, {"en": {"status": "reviewed"}, NEW: {"status": "draft", **setup}})
    code, _, err = report(locales, nlu, capsys)
    assert code == 1
    assert f"{NEW} has status draft but lacks" in err and lacks in err


def test_a_translation_with_wrong_placeholders_does_not_count_as_safe():
    catalog = Catalog(locale="es")
    safety_entries(catalog, SAFETY_GROUPS)
    catalog.get("Source of utter_danger.", context="utter_danger").id = "Call {line_dv}."
    message = catalog.get("Source of utter_danger.", context="utter_danger")
    catalog.delete(message.id, context="utter_danger")
    catalog.add("Call {line_dv}.", "Llame al {linea}.", context="utter_danger")
    assert catalog_progress(catalog).safety_missing == ["danger"]


ALL_LAUNCH_LANGUAGES_DONE = {code: {"figures": (20, 0, 0)} for code in LAUNCH_LANGUAGES}


@pytest.mark.parametrize(
    "changed, exit_code",
    [
        ({}, 0),
        ({"es": {"figures": (2, 1, 1)}}, 1),  # 17 of 19: 89%
        ({"fr": {"figures": (19, 1, 0)}}, 0),  # 34 of 35: 97%
        ({"ar": {"figures": (18, 1, 1)}}, 1),  # 33 of 35: 94%
        ({"so": {"figures": (19, 0, 1)}}, 0),
        ({NEW: {"status": "preview", "figures": (0, 0, 20), "safety": 0, "words": False}}, 0),  # may start at 0%
    ],
)
def test_report_fails_when_a_launch_language_is_under_95_percent(tmp_path, capsys, changed, exit_code):
    locales, nlu = small_repository(tmp_path, {**ALL_LAUNCH_LANGUAGES_DONE, **changed})
    code, _, errors = report(locales, nlu, capsys)
    assert code == exit_code
    for language in changed:
        assert (language in errors) == bool(exit_code)


def test_report_fails_when_a_launch_language_is_not_registered(tmp_path):
    languages = {code: setup for code, setup in ALL_LAUNCH_LANGUAGES_DONE.items() if code != "so"}
    locales, nlu = small_repository(tmp_path, languages)
    assert main(["report", "--locales-dir", str(locales), "--nlu-dir", str(nlu)]) == 1


def test_every_registered_language_has_what_its_status_claims():
    """The real registry: no draft or reviewed language without its safety replies and danger words."""
    from bot.i18n.progress import language_progress, readiness

    for language in read_registry():
        ready = readiness(language, language_progress(language.code))
        assert not ready.overclaims, (language.code, ready.lacking)


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


def test_a_data_text_is_keyed_by_its_text_so_an_english_edit_marks_the_translation_fuzzy(tmp_path, monkeypatch):
    """TRANSLATING.md, "Texts from the data files": one English word changed in a service's eligibility text
    keeps the old translation, marked fuzzy with the previous English, and English is served until a
    translator confirms it."""
    from bot.i18n.catalog import translate

    old, new = "Adults who were hurt by a crime in Maine.", "Adults who were hurt by a crime anywhere in Maine."
    context = "service:eligibility_description"
    template, spanish = Catalog(), Catalog(locale="es")
    template.add(new, context=context)
    spanish.add(old, "Adultos heridos por un delito en Maine.", context=context)
    spanish.update(template)  # what `make i18n-update` does
    message = spanish.get(new, context=context)
    assert (message.string, message.fuzzy, message.previous_id) == (
        "Adultos heridos por un delito en Maine.",
        True,
        [old],
    )
    write_catalog(po_path("es", tmp_path), spanish)
    serve_from(monkeypatch, tmp_path)
    assert translate("es", context, new) == new


# --- the catalogs' order: translate first ---------------------------------------------------------------------


def test_the_catalogs_open_with_the_replies_to_translate_first():
    from bot.i18n.translate_first import NOTE, TRANSLATE_FIRST, translate_first_rank, translation_order

    template = [message for message in read_catalog(template_path()) if message.id]
    ranks = [translation_order(message) for message in template]
    assert ranks == sorted(ranks)  # translate first, then the other replies, then the data texts
    first = [message for message in template if translate_first_rank(message.context) is not None]
    assert template[: len(first)] == first
    assert {name for _, names in TRANSLATE_FIRST for name in names} == {m.context.split(":")[0] for m in first}
    assert all(NOTE in message.auto_comments for message in first)
    assert not any(NOTE in message.auto_comments for message in template[len(first) :])
    for code in registered_codes():
        if code != "en":
            catalog = [(m.context, m.id) for m in read_catalog(po_path(code)) if m.id]
            assert catalog == [(m.context, m.id) for m in template], code


def test_every_translate_first_reply_exists(messages):
    from bot.i18n.translate_first import TRANSLATE_FIRST

    for _, names in TRANSLATE_FIRST:
        for name in names:
            assert name in messages, name


# --- a language Babel has no data for ------------------------------------------------------------------------


def without_language(locales: Path, nlu: Path, code: str) -> None:
    """Remove a language from a copy of the repository, in case it was added for real since this was written."""
    registry = registry_path(locales)
    entries = read_yaml(registry)["languages"]
    if any(entry["code"] == code for entry in entries):
        kept = [entry for entry in entries if entry["code"] != code]
        dumped = yaml.safe_dump(kept, allow_unicode=True, sort_keys=False)
        registry.write_text("languages:\n" + textwrap.indent(dumped, "  "), encoding="utf-8")
    for folder in (locales / code, nlu / code):
        shutil.rmtree(folder, ignore_errors=True)


def test_maay_maay_is_registered_with_its_name_and_direction_given_by_hand(repository, monkeypatch, responses):
    locales, nlu = repository
    without_language(locales, nlu, "ymm")
    assert main(["locale", "ymm", "--locales-dir", str(locales), "--nlu-dir", str(nlu)]) == 1  # Babel lacks it
    args = ["locale", "ymm", "--name", "Af-Maay", "--direction", "ltr", "--locales-dir", str(locales)]
    assert main([*args, "--nlu-dir", str(nlu)]) == 0
    entry = read_registry(registry_path(locales))[-1]
    assert (entry.code, entry.name, entry.direction, entry.status, entry.by_hand) == (
        "ymm",
        "Af-Maay",
        "ltr",
        "preview",
        True,
    )
    catalog = read_catalog(po_path("ymm", locales))
    assert catalog.locale_identifier == "ymm" and not any(m.string for m in catalog if m.id)
    assert "Af-Maay" in (locales / "ymm" / "keywords.yml").read_text(encoding="utf-8")
    # Served like any language once translated: a translator's danger reply reaches every channel.
    translation = translate_and_compile(locales, "ymm", "utter_danger", "Haddii aad khatar ku jirto hadda, wac:")
    serve_from(monkeypatch, locales)
    assert reply_language("ymm") == "ymm"
    assert render_response(responses, "utter_danger", "ymm", "sms")["text"] == translation.format_map(default_values())


def test_a_name_given_by_hand_is_refused_for_a_language_babel_knows(repository, capsys):
    locales, nlu = repository
    args = ["locale", NEW, "--name", "Esperanto!", "--direction", "ltr"]
    assert main([*args, "--locales-dir", str(locales), "--nlu-dir", str(nlu)]) == 1
    assert "come from Babel" in capsys.readouterr().err


@pytest.mark.parametrize("direction", ["", "up", None])
def test_a_language_babel_lacks_needs_a_direction(repository, capsys, direction):
    locales, nlu = repository
    args = ["locale", BY_HAND, "--name", "Test"] + (["--direction", direction] if direction is not None else [])
    assert main([*args, "--locales-dir", str(locales), "--nlu-dir", str(nlu)]) == 1
    assert "DIRECTION" in capsys.readouterr().err
