"""The names both processes share (Rasa-free): the Rasa server (NLU components, response generator, channels)
and the action server must spell these alike. domain/*.yml declares the slots, intents and entities."""

from __future__ import annotations

# Slots.
LANGUAGE = "language"  # the language to answer in; also the entity the language selector sets
LANGUAGE_CHOSEN = "language_chosen"  # an explicit choice of language, which detection then never overrides
TOWN = "town"
COUNTY = "county"
NEED = "need"
TOPIC = "topic"  # what the person last asked about: services, court or legal options
PLACE_ASKED = "place_asked"
LEGAL_OPTION = "legal_option"  # the option explained last, which a follow-up ("which form?") is about

# An action's question marks its message (BotUttered metadata EXPECTS) with the answer it expects, so the NLU
# reads the reply as that answer (bot/nlu/expected_answer.py): "Lewiston" after "Which town?".
EXPECTS = "expects"
EXPECTS_PLACE = "place"
EXPECTS_ANSWER = "answer"
# Bot-message metadata: which disclosure a line acknowledged ("sexual_assault"), so that a later question about
# the police is answered with that line's own words (actions/follow_up.py). Never what the person wrote.
TOLD = "told"

# Intents. ANSWER is also the entity of a yes/no reply (yes, no, skip).
INFORM_PLACE = "inform_place"
ANSWER = "answer"
# Recognised before anything else and answered with 911 or 988; never turned into another intent.
DANGER = "danger_now"
SELF_HARM = "self_harm"
CRISIS_INTENTS = (DANGER, SELF_HARM)
# What a person tells (answered with its 24/7 line) and what they ask (answered by a custom action).
DISCLOSURE_INTENTS = ("domestic_violence", "sexual_assault", "trafficking_signs")
FIND_SERVICES = "find_services"
ASK_LEGAL = "ask_legal_options"
NEED_SHELTER = "need_shelter"
MINOR = "minor"  # a young person: the notice that adults must report abuse of a child comes first
QUESTION_INTENTS = (ASK_LEGAL, "ask_court", FIND_SERVICES, NEED_SHELTER, "legal_questionnaire")
# Needs (`needs` in keywords.yml) that a legal question may name and still be about the law: "a lawyer for my
# protection order". Any other need a legal question names with no option is what it asks for.
LAWYER_NEEDS = ("legal_help", "immigration_legal_help")
SAFE_HOUSING = "safe_housing"  # the need answered by need_shelter's reply (the lines that find a bed tonight)
FOLLOW_UP = "follow_up"
CHANGE_LANGUAGE = "change_language"  # asks for another language, naming none or one we do not speak
PRIVACY = "privacy"
# The follow-up words (`follow_ups` in keywords.yml) that ask whether the police or immigration will be told.
AUTHORITIES = "authorities"
# ... and those that say the person does not speak English ("no hablo inglés"): a question about the language
# of the help just given, since the assistant already answers in theirs.
NOT_ENGLISH = "not_english"
# "forget me" deletes the conversation; one the classifier is unsure of asks first (bot/nlu/unsure_erasure.py).
# Both are the same request understood: the evaluation counts the unsure one as forget_me.
FORGET_ME = "forget_me"
FORGET_ME_UNSURE = "forget_me_unsure"
# Intents that only an NLU component sets, from the classifier's reading: never trained, never classified.
SET_AFTER_CLASSIFYING = (FORGET_ME_UNSURE,)


def request_understood(intent: str | None) -> str | None:
    """The request an intent stands for, as the evaluation scores it: forget_me_unsure is forget_me."""
    return FORGET_ME if intent == FORGET_ME_UNSURE else intent


# Entities the NLU sets beside the intent (bot/nlu/danger_first.py): what else a crisis message asked or told,
# answered after the crisis reply (and what a young person told, after the notice for minors:
# bot/nlu/young_person.py); and what a question's story disclosed, acknowledged with its line.
ALSO = "also"
DISCLOSURE = "disclosure"

# Maine's largest non-English groups and English (design.md, Languages): each must be 95% translated.
LAUNCH_LANGUAGES = ("en", "es", "fr", "pt", "ar", "so")
