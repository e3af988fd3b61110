"""The "what it says" book (docs/answers/): checked in as `make answers` writes it, so it never drifts from what
the assistant says."""

import pytest

from bot.i18n.languages import registered_languages
from bot.replies.rendering import all_responses, render_response
from tools import answers


@pytest.fixture(scope="module")
def books() -> dict[str, str]:
    """Written once, when a test here first needs them (not while pytest collects every module)."""
    return answers.books()


def test_the_checked_in_books_are_what_make_answers_writes(books):
    on_disk = {path.name: path.read_text(encoding="utf-8") for path in answers.BOOKS_DIR.glob("*.md")}
    assert sorted(on_disk) == sorted(books), "run `make answers`"
    for name, text in books.items():
        assert on_disk[name] == text, f"docs/answers/{name} is out of date: run `make answers`"


def test_the_book_does_not_change_with_the_environment(books, monkeypatch):
    monkeypatch.setenv("CONVERSATION_TIMEOUT_MINUTES", "7")
    english = next(language for language in registered_languages() if language.code == "en")
    with answers.default_settings():
        assert answers.book(english, answers.read_evaluation()) == books["en.md"]
    assert answers.settings.get("CONVERSATION_TIMEOUT_MINUTES") == "7"  # the environment is given back


@pytest.mark.parametrize("language", registered_languages(), ids=lambda language: language.code)
def test_each_book_has_every_reply_the_lookups_and_the_numbers(books, language):
    book = books[f"{language.code}.md"]
    for name in ("utter_danger", "utter_greet", "utter_privacy", "utter_sms_fallback", "utter_technical_problem"):
        assert f"#### `{name}`" in book, name
    for heading in ("Services near a town", "Legal options", "Courts", "Known misses", "where they come from"):
        assert heading in book
    assert "1-866-834-4357" in book and "911" in book
    assert "{line_dv}" not in book and "{minutes}" not in book
    assert ("machine draft" in book) == (language.status == "draft")


def test_the_lookups_answer_with_their_results_not_the_fault_note(books):
    book = books["en.md"]
    assert "near Portland (Cumberland County)" in book
    assert "Lewiston" in book and "Machias" in book
    looked_up = book.split("## Answers looked up")[1].split("## Known misses")[0]
    for failed in ("utter_action_unavailable", "utter_technical_problem"):
        assert render_response(all_responses(), failed, "en")["text"] not in looked_up


def test_known_misses_put_danger_first():
    evaluation = {
        "date": "2026-12-01",
        "devset": {
            "registered": {
                "en": {
                    "all_turns": 0.5,
                    "danger_911": 0.9,
                    "danger_count": 10,
                    "self_harm_988": 1.0,
                    "self_harm_count": 4,
                    "failures": [
                        {"id": "en-a", "text": "where is court", "expected": {"intent": "ask_court"},
                         "intent": "greet", "failed": ["intent"]},
                        {"id": "en-b", "text": "he has a gun | outside", "expected": {"contains": ["911"]},
                         "intent": "ask_court", "failed": ["intent", "contains:911"]},
                    ],
                }
            }
        },
        "heldout": {"en": {"intent_f1": 0.905}},
    }  # fmt: skip
    chapter = "\n".join(answers.misses_chapter("en", evaluation))
    assert "2026-12-01" in chapter and "intent F1 0.905" in chapter and "90% of 10" in chapter
    assert chapter.index("en-b") < chapter.index("en-a")
    assert "he has a gun \\| outside" in chapter  # a table cell stays one cell
    assert "No evaluation is on record" in "\n".join(answers.misses_chapter("en", None))
    assert "no development set" in "\n".join(answers.misses_chapter("vi", evaluation))
