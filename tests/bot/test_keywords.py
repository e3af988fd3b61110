"""Which need, legal option, case type or answer a message names (bot/i18n/keywords.py, locales/<lang>/keywords.yml)."""

from __future__ import annotations

import pytest

from bot.i18n import keywords
from bot.i18n.keywords import answer_word, find_case_type, find_legal_option, find_need, read_keywords
from bot.i18n.languages import registered_codes
from core.names import LAUNCH_LANGUAGES
from core.yaml_files import read_yaml


@pytest.mark.parametrize(
    "text, need",
    [
        ("I need a lawyer in Portland", "legal_help"),
        ("i need an immigration lawyer", "immigration_legal_help"),  # the longer phrase wins over "lawyer"
        ("where can I sleep tonight in Bangor", "safe_housing"),
        ("i need a doctor", "medical_forensic_exam"),
        ("my boss took my pay, i was not paid", "labour_rights"),
        # an organisation that helps workers is labour rights help (locales/<lang>/keywords.yml: needs)
        ("hay alguna organizacion que ayude a los trabajadores aqui", "labour_rights"),
        ("is there a workers center near milbridge", "labour_rights"),
        ("ururka shaqaalaha ma jiraa", "labour_rights"),
        ("Necesito un abogado gratis en Portland", "legal_help"),
        ("Necesito un doctor en Lewiston", "medical_forensic_exam"),
        ("J'ai besoin d'un avocat gratuit", "legal_help"),
        ("Preciso de um advogado", "legal_help"),
        ("أحتاج محامي مجاني", "legal_help"),
        ("والمحامي", "legal_help"),  # Arabic joins "and the" to the word
        ("Waxaan u baahanahay qareen", "legal_help"),
        # a lawyer about immigration is immigration legal help, whichever phrase is longer
        ("hay abogados gratis para inmigracion en maine?", "immigration_legal_help"),
        ("a free lawyer for my asylum case", "immigration_legal_help"),
        ("bidi mou7ami bala masari", "legal_help"),  # Arabizi
        ("hello there", None),
        # What a request is about, when it names no kind of help: the advocates; a named kind of help wins.
        ("any group for battered women near Augusta?", "counselling"),
        ("une association contre la violence conjugale à Bangor", "counselling"),
        ("I need a lawyer for a domestic violence case", "legal_help"),
        ("where can i sleep tonight, domestic violence", "safe_housing"),
    ],
)
def test_the_need_a_message_names(text, need):
    assert find_need(text) == need


@pytest.mark.parametrize(
    "text, option",
    [
        ("what is a T visa?", "t_visa"),
        ("form I-914", "t_visa"),
        ("how do I apply for a U visa", "u_visa"),
        ("can i get a restraining order", "protection_from_abuse"),
        ("¿Qué es la visa T?", "t_visa"),
        ("C'est quoi le visa U ?", "u_visa"),
        ("O que é o visto T?", "t_visa"),
        ("ما هي تأشيرة T؟", "t_visa"),
        ("Waa maxay fiisada U?", "u_visa"),
        # papers without the abusive husband: the VAWA self-petition, in plain words
        ("mi esposo es ciudadano y me pega. puedo arreglar yo sola?", "vawa_self_petition"),
        ("can i get my green card without my husband", "vawa_self_petition"),
        ("puedo pedir una orden de proteccion yo sola", "protection_from_abuse"),
        # filing a case against the trafficker, and asking for compensation in it: the civil suit, not the fund
        ("هل أستطيع رفع قضية على الشخص الذي تاجر بي وأطلب تعويض؟", "civil_suit_trafficker"),
        # being told before the person who hurt you is let out (17-A M.R.S. §2106), in every language
        ("will someone tell me before he gets out of jail?", "release_notification"),
        ("me van a avisar cuando salga de la carcel?", "release_notification"),
        ("est-ce qu'on va me prévenir quand il sort de prison", "release_notification"),
        ("vou ser avisada quando ele sair da cadeia?", "release_notification"),
        ("راح يخبروني لما يطلع من السجن؟", "release_notification"),
        ("ma la ii sheegayaa markuu xabsiga ka soo baxo?", "release_notification"),
        ("when he gets out of work he yells at me", None),  # leaving work is not a release
        ("the weather", None),
    ],
)
def test_the_legal_option_a_message_names(text, option):
    assert find_legal_option(text) == option


def test_the_case_type_of_a_court_question():
    assert find_case_type("where do I go for a protection order") == "protection_from_abuse"
    assert find_case_type("I have a custody hearing") == "family_matters"
    assert find_case_type("where is the court") is None


@pytest.mark.parametrize(
    "text, answer",
    [
        ("yes", "yes"),
        ("Yes!", "yes"),
        ("no", "no"),
        ("I don't know", "skip"),
        ("sí", "yes"),
        ("oui", "yes"),
        ("não", "no"),
        ("نعم", "yes"),
        ("لا", "no"),
        ("haa", "yes"),
        ("maya", "no"),
        ("yes i need a lawyer", None),
        ("", None),
    ],
)
def test_only_a_whole_message_is_a_yes_or_no(text, answer):
    assert answer_word(text) == answer


@pytest.mark.parametrize("language", LAUNCH_LANGUAGES)
def test_every_launch_language_has_every_list_with_the_english_keys(language):
    english = read_keywords(keywords.keywords_path("en"))
    lists = read_keywords(keywords.keywords_path(language))
    for name in keywords.LISTS:
        assert set(lists[name]) <= set(english[name]), (language, name)
        assert lists[name], (language, name)
    assert set(lists["answers"]) == {"yes", "no", "skip"}


def test_a_changed_file_is_read_at_once_and_a_broken_one_keeps_the_words_before(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(keywords, "LOCALES_DIR", tmp_path)
    monkeypatch.setattr(keywords, "registered_codes", lambda: ("xx",))
    path = tmp_path / "xx" / "keywords.yml"
    path.parent.mkdir()
    path.write_text("needs:\n  legal_help: [avvocato]\n", encoding="utf-8")
    assert find_need("un avvocato") == "legal_help"
    path.write_text("needs:\n  legal_help: [avvocato, legale]\n", encoding="utf-8")
    assert find_need("un legale") == "legal_help"
    path.write_text("needs: [broken\n", encoding="utf-8")
    assert find_need("un legale") == "legal_help"
    assert "cannot be read" in caplog.text


def test_the_registry_decides_which_files_count():
    assert set(LAUNCH_LANGUAGES) <= set(registered_codes())


# --- SMS commands: the `sms` lists ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, command",
    [
        ("HELP", ("help", None)),  # English: carriers advertise it to everyone; the conversation's language stays
        ("Stop.", ("stop", None)),
        ("forget me", ("forget_me", None)),
        ("AYUDA", ("help", "es")),
        ("Olvídame", ("forget_me", "es")),
        ("oubliez-moi", ("forget_me", "fr")),
        ("me esqueça", ("forget_me", "pt")),
        ("انسني", ("forget_me", "ar")),
        ("i illow", ("forget_me", "so")),
        ("help me please", None),  # a cry for help is read by the assistant, not taken for the command
        ("stop hitting me", None),
        ("", None),
    ],
)
def test_sms_commands_in_every_language(text, command):
    assert keywords.sms_command(text) == command


@pytest.mark.parametrize("language", LAUNCH_LANGUAGES)
def test_every_launch_language_has_help_and_forget_me_by_sms(language):
    lists = read_keywords(keywords.keywords_path(language))["sms"]
    assert lists["help"] and lists["forget_me"], language


@pytest.fixture
def vietnamese_keywords(tmp_path, monkeypatch):
    """The path of a keywords.yml for Vietnamese, the only registered language, not written yet."""
    monkeypatch.setattr(keywords, "LOCALES_DIR", tmp_path)
    monkeypatch.setattr(keywords, "registered_codes", lambda: ("vi",))
    path = tmp_path / "vi" / "keywords.yml"
    path.parent.mkdir()
    return path


def test_a_translator_adds_an_sms_command_without_touching_python(vietnamese_keywords):
    from bot.channels.sms import keyword_payload

    assert keyword_payload("quên tôi đi") is None
    vietnamese_keywords.write_text("sms:\n  forget_me: [quên tôi đi]\n  help: [giúp đỡ]\n", encoding="utf-8")
    assert keyword_payload("Quên tôi đi!") == '/forget_me{"language": "vi"}'
    assert keyword_payload("GIÚP ĐỠ") == '/menu{"language": "vi"}'  # whatever the case


def test_the_safety_words_of_a_new_language_are_found_anywhere_in_a_message(vietnamese_keywords):
    vietnamese_keywords.write_text("safety:\n  danger_now: [có súng]\n  self_harm: [muốn chết]\n", encoding="utf-8")
    assert keywords.crisis_keys("tối nay anh ta về nhà và có súng") == {"danger_now"}
    assert keywords.crisis_keys("TÔI MUỐN CHẾT") == {"self_harm"}
    assert keywords.crisis_keys("tôi cần luật sư") == set()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("posso ir no pronto socorro sem chamar a policia?", set()),  # the emergency room
        ("fui ao pronto-socorro ontem", set()),
        ("socorro", {"danger_now"}),
        ("to no pronto socorro e ele ta aqui, socorro", {"danger_now"}),  # the cry still counts beside it
        ("ele tem uma faca, vou pro pronto socorro", {"danger_now"}),
        # Spanish "pronto" is "quickly", Portuguese "Pronto." is "that's it": the cry after it still counts
        ("ayúdenme pronto, socorro", {"danger_now"}),
        ("vengan pronto socorro", {"danger_now"}),
        ("Pronto. Socorro!", {"danger_now"}),
        ("vou ao pronto. socorro", {"danger_now"}),  # a harmless phrase never spans punctuation
        # "not in danger" says the opposite of the crisis phrase inside it
        ("im not in danger now but he keeps texting me", set()),
        ("i am in danger now", {"danger_now"}),
        ("no estoy en peligro ahorita, donde puedo dormir", set()),
        ("no, estoy en peligro", {"danger_now"}),  # "no," answers something: the cry after it counts
        ("no estoy en peligro pero tiene una pistola", {"danger_now"}),
        ("nao estou em perigo agora, so quero saber dos papeis", set()),
        ("não tô em perigo", set()),
        ("to em perigo", {"danger_now"}),
        ("ana mish fi 5atar halla2 bas baddi 7aki ma3 7ada", set()),
        ("ana fi 5atar", {"danger_now"}),
        # a trafficker's threat ("if we leave he calls the police") is no cry for help; the cry still counts
        ("o chefe guarda os passaportes e diz que se a gente sair ele chama a polícia", set()),
        ("ele ta me batendo, chama a policia", {"danger_now"}),
    ],
)
def test_a_harmless_phrase_hides_the_crisis_word_inside_it_only(text, expected):
    assert keywords.crisis_keys(text) == expected


def test_harmless_phrases_are_read_from_the_file(vietnamese_keywords):
    vietnamese_keywords.write_text("safety:\n  danger_now: [cứu]\n  harmless: [cứu hộ]\n", encoding="utf-8")
    assert keywords.crisis_keys("cứu tôi") == {"danger_now"}
    assert keywords.crisis_keys("xe cứu hộ") == set()  # a tow truck
    assert keywords.crisis_keys("xe cứu hộ, cứu tôi") == {"danger_now"}


def crisis_phrases() -> list[tuple[str, ...]]:
    """Every danger and self-harm phrase of the launch languages' safety lists."""
    return [
        phrase
        for code in LAUNCH_LANGUAGES
        for key in keywords.SAFETY_KEYS
        for phrase in read_keywords(keywords.keywords_path(code))["safety"].get(key, ())
    ]


@pytest.mark.parametrize("language", LAUNCH_LANGUAGES)
def test_a_harmless_phrase_holds_a_crisis_phrase_and_is_none_itself(language):
    """A harmless phrase exists to hide a crisis word inside a longer everyday phrase: one that holds no crisis
    phrase hides nothing, and one that is a crisis phrase (or part of one) would hide a real crisis."""
    crisis = crisis_phrases()
    for harmless in read_keywords(keywords.keywords_path(language))["safety"].get(keywords.HARMLESS, ()):
        words = [{word} for word in harmless]
        assert any(keywords._contains(words, phrase) for phrase in crisis), harmless
        assert not any(keywords._contains([{word} for word in phrase], harmless) for phrase in crisis), harmless


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("il est parti maintenant", True),  # the classifier hears "maintenant", now
        ("Ya me escapé.", True),
        ("he's gone now", True),
        ("ele foi embora", True),
        ("no se fue", False),  # a word before the phrase may deny it
        ("he's gone now but he keeps calling", False),  # more than one word beside it
        ("il est parti chercher son fusil", False),
        ("he left", True),
        ("he's in jail now", True),  # the classifier, reading it alone, hears "jail" as danger
        ("hadda xabsi ayuu ku jiraa", True),
        ("a polícia levou ontem", True),
        ("il est en prison maintenant.", True),
        ("he's in jail but his brother has a gun", False),
        ("i left him and he has a gun", False),
        ("where can i sleep tonight", False),
        ("", False),
    ],
)
def test_a_sentence_that_only_says_the_danger_is_over(sentence, expected):
    assert keywords.says_only_that_danger_is_over(sentence) is expected


def test_a_translator_adds_how_a_young_person_gives_their_age(vietnamese_keywords):
    vietnamese_keywords.write_text('young:\n  age: ["tôi {age} tuổi"]\n', encoding="utf-8")
    assert keywords.says_young_age("tôi 14 tuổi, bố dượng đánh tôi")
    assert not keywords.says_young_age("tôi 40 tuổi")


def test_the_danger_is_over_phrases_are_read_from_the_file(vietnamese_keywords):
    vietnamese_keywords.write_text("safety:\n  danger_now: [có súng]\n  over: [anh ta đi rồi]\n", encoding="utf-8")
    assert keywords.says_only_that_danger_is_over("anh ta đi rồi")
    assert not keywords.says_only_that_danger_is_over("anh ta đi rồi nhưng có súng")
    assert not keywords.says_only_that_danger_is_over("có súng")


@pytest.mark.parametrize("language", LAUNCH_LANGUAGES)
def test_no_danger_is_over_phrase_holds_a_crisis_phrase(language):
    """A sentence that says the danger is over must not hide one that says it is here."""
    crisis = crisis_phrases()
    over = read_keywords(keywords.keywords_path(language))["safety"].get(keywords.OVER, ())
    assert over, language
    for phrase in over:
        assert not any(keywords._contains([{word} for word in phrase], danger) for danger in crisis), phrase


@pytest.mark.parametrize(
    "text, need",
    [
        ("can i still go to the hospital without reporting it?", "medical_forensic_exam"),
        ("he made me pay the rent. i left him. can i get some status to stay here?", None),  # rent is in the story
        ("i have no money and nowhere to go. is there a shelter in bangor", "safe_housing"),
        ("", None),
    ],
)
def test_the_need_a_message_asks_for_is_in_its_last_sentence(text, need):
    assert keywords.find_asked_need(text) == need


@pytest.mark.parametrize("language", LAUNCH_LANGUAGES)
def test_every_launch_language_has_danger_and_self_harm_words(language):
    safety = read_keywords(keywords.keywords_path(language))["safety"]
    assert safety["danger_now"] and safety["self_harm"], language


def naive_matches(text: str, list_name: str) -> list[tuple[str, int, int]]:
    """keywords.matches as it was first written: every phrase of every language tried at every word."""
    from bot.i18n.keywords import EXACT_LISTS, _contains, _word_variants, language_keywords
    from bot.i18n.languages import registered_codes
    from core.text import normalise

    words = [_word_variants(word, list_name not in EXACT_LISTS) for word in normalise(text).split()]
    found: dict[str, list] = {}
    for language in registered_codes():
        for order, (key, phrases) in enumerate(language_keywords(language).get(list_name, {}).items()):
            for phrase in phrases:
                if phrase and _contains(words, phrase):
                    match = found.setdefault(key, [key, 0, 0, order, set()])
                    if phrase not in match[4]:
                        match[4].add(phrase)
                        match[1] += 1
                        match[2] = max(match[2], len(phrase))
    ranked = sorted(found.values(), key=lambda m: (-m[2], -m[1], m[3]))
    return [(key, words_, hits) for key, hits, words_, _, _ in ranked]


def test_the_indexed_search_finds_what_trying_every_phrase_finds():

    from bot.i18n.keywords import LISTS, matches
    from core.names import LAUNCH_LANGUAGES
    from tests.conftest import PROJECT_ROOT

    texts = []
    for code in LAUNCH_LANGUAGES:
        table = read_yaml(PROJECT_ROOT / "tests" / "conversations" / f"{code}.yml")
        texts += [message["text"] for message in table["messages"][::24]]
        texts += [turn["text"] for conversation in table["conversations"][::6] for turn in conversation["turns"]]
    assert len(texts) > 75
    found = 0
    for text in texts:
        for list_name in LISTS:
            indexed = [(m.key, m.words, m.hits) for m in matches(text, list_name)]
            assert indexed == naive_matches(text, list_name), (text, list_name)
            found += bool(indexed)
    assert found > 100  # the lists do name things in these messages


@pytest.mark.parametrize(
    "text, expected",
    [
        # Maghrebi Arabic says "myself" with راسي ("my head"): self-harm, while a headache is not
        ("غادي نقتل راسي الليلة", {"self_harm"}),
        ("bghit nmout, ma bqa walo", {"self_harm"}),
        ("راسي كيضرني بزاف", set()),
        ("راه برا كيدق الباب", {"danger_now"}),
    ],
)
def test_maghrebi_arabic_danger_and_self_harm(text, expected):
    assert keywords.crisis_keys(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # Levantine Arabic says "I don't want to wake up" with فيق (fi2 in Arabizi): indirect self-harm
        ("ma bidi fi2 ba2a, khalas", {"self_harm"}),
        ("ما بدي فيق الصبح", {"self_harm"}),
        ("ma bde ew3a", {"self_harm"}),
        ("ma bidi ruh 3al shoghol bukra", set()),  # "I don't want to go to work tomorrow"
    ],
)
def test_levantine_arabic_not_waking_up(text, expected):
    assert keywords.crisis_keys(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # Brazilian Portuguese says "is hitting me (now)" with the progressive: danger now, wherever it is said
        ("queria saber de advogado mas agora meu marido chegou bebado e ta batendo em mim", {"danger_now"}),
        ("socorro ele tá me batendo", {"danger_now"}),
        ("ele me batia quando bebia", set()),  # the past: abuse, not danger now
    ],
)
def test_portuguese_hitting_now(text, expected):
    assert keywords.crisis_keys(text) == expected


@pytest.mark.parametrize(
    "text, option",
    [("are court interpreters free?", "court_interpreter"), ("les interprètes au tribunal", "court_interpreter")],
)
def test_a_plural_finds_the_singular_the_lists_hold(text, option):
    assert find_legal_option(text) == option


def test_the_safety_lists_match_only_the_words_as_written():
    # The translators list safety words exactly as they mean them: "suicide" is listed, "suicides" is not.
    assert keywords.crisis_keys("i am thinking about suicide") == {"self_harm"}
    assert keywords.crisis_keys("a report on suicides in maine") == set()
    assert "suicide" in keywords._word_variants("suicides", plurals=True)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("whats the difference between a PFA and a PFH", ["protection_from_abuse", "protection_from_harassment"]),
        ("visa T o visa U, cual es mejor", ["t_visa", "u_visa"]),
        ("farqiga u dhexeeya T visa iyo U visa", ["t_visa", "u_visa"]),
        ("can i get a u visa if i have a protection order", []),  # two named, not compared
        ("what is the difference with a T visa", []),  # one named
    ],
)
def test_the_options_a_message_compares(text, expected):
    assert keywords.compared_legal_options(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # bleeding now is an emergency, in every language; bleeding that is over is not
        ("laakin hada ninkeyga ayaa madaxa iga garaacay dhiig baa iga socda", {"danger_now"}),
        ("im bleeding and he left", {"danger_now"}),
        ("me pegó y estoy sangrando", {"danger_now"}),
        ("ضربني وانا بنزف", {"danger_now"}),
        ("my nose was bleeding yesterday", set()),
        # men outside the trailer who say they will take the workers out by force
        ("el mayordomo esta afuera de la traila y dicen que nos sacan a la fuerza", {"danger_now"}),
    ],
)
def test_bleeding_now_and_a_threat_of_force_at_the_door_are_danger(text, expected):
    assert keywords.crisis_keys(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "who pays my hospital bills now that he broke my arm",
        "ya salí del hospital pero no puedo con las cuentas médicas",
        "les frais médicaux après l'agression, qui les paie ?",
        "quem paga as contas do hospital depois que ele me bateu?",
        "مين بيدفع فواتير المستشفى بعد ما ضربني",
        "biilasha isbitaalka yaa iga bixin doona",
    ],
)
def test_paying_for_what_a_crime_cost_is_victims_compensation(text):
    # bot/nlu/legal_option_finder.py: the service named ("hospital") is what is to be paid for.
    assert find_legal_option(text) == "victims_compensation"


@pytest.mark.parametrize(
    "text",
    [
        "my cousin is made to work at a farm and she wants out, who can help her",
        "es trabajo forzado lo que hacen en esa granja?",
        "ma sœur est forcée à travailler dans un restaurant, à qui parler ?",
        "minha prima é obrigada a trabalhar numa fazenda, quem ajuda?",
        "أختي في عمل قسري بمزرعة، مين بيساعد؟",
        "walaashay shaqo qasab ah ayay ku jirtaa, yaa caawiya?",
    ],
)
def test_forced_work_named_outright_is_told_trafficking(text):
    # A question that names it gets the trafficking hotline's line with its answer (bot/nlu/danger_first.py).
    assert keywords.best(text, "told") == "trafficking_signs"


def test_work_for_no_pay_asks_for_workers_rights():
    assert find_need("she works at a farm for no pay, who helps workers like her near Presque Isle") == "labour_rights"
