import pytest

from bot.i18n.detection import MAX_NAMED_CHOICE_WORDS, LanguageDetector
from bot.i18n.languages import registered_languages


@pytest.fixture(scope="module")
def detector():
    return LanguageDetector(list(registered_languages()), min_confidence=0.6)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("my boss took my passport and I cannot leave", "en"),
        ("necesito ayuda, mi esposo me pega", "es"),
        ("j'ai besoin d'aide, je n'ai nulle part où dormir", "fr"),
        ("preciso de ajuda, meu marido me bate", "pt"),
        ("أحتاج إلى مساعدة، زوجي يضربني", "ar"),
        ("waxaan u baahanahay caawimaad, ninkayga ayaa i garaaca", "so"),
    ],
)
def test_detects_the_six_launch_languages(detector, text, expected):
    assert detector.detect(text) == expected


def test_with_every_offered_language_trained_on_lingua_is_not_loaded(detector):
    # lingua's preloaded models cost about 200 MB; our own letters model decides (bot/i18n/letters_model.py)
    assert detector._letters is not None and detector._detector is None


@pytest.mark.parametrize(
    "text, expected",
    [
        # lingua alone gets these wrong or is unsure; the languages' own examples decide
        ("hola", "es"),
        ("hiii", "en"),
        ("thx", "en"),
        ("zzq", None),  # short and in nobody's examples
        ("merci", "fr"),
        ("obrigada", "pt"),
        ("olá", "pt"),
    ],
)
def test_short_messages_are_decided_by_the_nlu_examples(detector, text, expected):
    assert detector.detect(text) == expected


@pytest.mark.parametrize("text", ["ok", "1", "911", "no", "si", "hi", "  ", "?!"])
def test_short_or_neutral_input_keeps_the_current_language(detector, text):
    assert detector.detect(text) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("español", {"es"}),
        ("Espanol", {"es"}),
        ("Soomaali", {"so"}),
        ("العربية", {"ar"}),
        ("français", {"fr"}),
        ("Português", {"pt"}),
        ("English", {"en"}),
        ("in Spanish please", {"es"}),
        ("الإنجليزية", {"en"}),
        ("بالعربي الله يخليك", {"ar"}),
        ("ممكن بالإسبانية", {"es"}),
        ("ممكن انجليزي", {"en"}),
        # A long message that mentions a language is a request, not a choice.
        ("my husband is somali and he hits me every night", set()),
    ],
)
def test_named_languages(detector, text, expected):
    assert detector.named_languages(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # spelt as said: one letter off a name of six letters or more
        ("espaniol porfa", {"es"}),
        ("in portugese", {"pt"}),
        ("soomali", {"so"}),
        ("en francaise svp", {"fr"}),
        ("inglish please", {"en"}),
        # Somali attaches its article to the name
        ("Ingiriisiga fadlan", {"en"}),
        ("af carabiga", {"ar"}),
        ("Isbaanishka igu qor", {"es"}),
        # not names: too short to guess, or Arabic script, where words one letter apart abound
        ("arab", set()),
        ("اسناني تؤلمني", set()),  # "my teeth hurt": one letter from اسباني
        ("help me please", set()),
        # Arabizi
        ("kalimni 3arabi", {"ar"}),
    ],
)
def test_names_spelt_as_said(detector, text, expected):
    assert detector.named_languages(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # two named: the one after "in" is the choice
        ("pls can u answer in spanish my english is bad", {"es"}),
        ("vous pouvez repondre en portugais? c'est ma langue", {"pt"}),
        ("I speak English and Somali", {"en", "so"}),
    ],
)
def test_in_a_request_to_choose_the_language_after_in_is_the_choice(detector, text, expected):
    assert detector.named_languages(text, MAX_NAMED_CHOICE_WORDS) == expected


def test_a_misspelt_bare_name_is_still_a_choice(detector):
    assert detector.is_only_a_language_name("Espaniol")
    assert detector.is_only_a_language_name("carabiga")
    assert not detector.is_only_a_language_name("espaniol porfa")


def test_a_bare_name_is_a_choice_but_a_sentence_is_not(detector):
    assert detector.is_only_a_language_name("  Soomaali! ")
    assert not detector.is_only_a_language_name("I speak Somali")


@pytest.mark.parametrize(
    "text",
    [
        "ana 3ayza ma7ami bala floos",  # Egyptian, digits for Arabic letters
        "wallah ana khayfa 7ada bi la7e2ni",
        "ya rab ta5odni",
    ],
)
def test_arabic_in_latin_letters_is_arabic(detector, text):
    assert detector.detect(text) == "ar"


@pytest.mark.parametrize("text", ["i have 3 kids", "call 911 now", "he hit me 2 times"])
def test_digits_alone_do_not_make_english_arabizi(detector, text):
    assert detector.detect(text) in ("en", None)


def test_with_no_confident_answer_the_first_guess_is_a_registered_language_not_english_by_default(detector):
    guess = detector.best_guess("mi marido me pega")
    assert guess == "es"
    assert detector.best_guess("12345") is None


@pytest.mark.parametrize("text", ["menu", "hello", "portland"])
def test_a_word_english_uses_as_often_as_others_is_taken_as_english(detector, text):
    assert detector.best_guess(text) == "en"


@pytest.mark.parametrize("text, expected", [("oi", "pt"), ("hi", "en"), ("ok", None), ("1", None), ("a", None)])
def test_a_first_message_of_two_letters_takes_the_language_only_its_examples_use(detector, text, expected):
    assert detector.detect(text) is None  # never enough to switch a conversation's language
    assert detector.best_guess(text) == expected


def test_while_an_offered_language_has_no_examples_lingua_decides(monkeypatch):
    # A new draft locale has replies and danger words but no NLU examples yet: lingua, which needs none, is used.
    import bot.i18n.detection as detection

    with_all = detection.language_examples
    monkeypatch.setattr(detection, "language_examples", lambda codes: [(c, t) for c, t in with_all(codes) if c != "so"])
    lingua = LanguageDetector(list(registered_languages()), min_confidence=0.6)
    assert lingua._letters is None and lingua._detector is not None
    assert lingua.detect("waxaan u baahanahay caawimaad, ninkayga ayaa i garaaca") == "so"
