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

# An action's question marks its message (BotUttered metadata EXPECTS) with the answer it expects, so the NLU
# reads the reply as that answer (bot/nlu/expected_answer.py): "Lewiston" after "Which town?".
EXPECTS = "expects"
EXPECTS_PLACE = "place"
EXPECTS_ANSWER = "answer"

# Intents. ANSWER is also the entity of a yes/no reply (yes, no, skip).
INFORM_PLACE = "inform_place"
ANSWER = "answer"
# Recognised before anything else and answered with 911 or 988; never turned into another intent.
CRISIS_INTENTS = ("danger_now", "self_harm")

# Maine's largest non-English groups and English (design.md, Languages): each must be 95% translated.
LAUNCH_LANGUAGES = ("en", "es", "fr", "pt", "ar", "so")
