"""NLU component: "forget me" that the classifier is unsure of asks before it deletes
(config.yml: bot.nlu.unsure_erasure.UnsureErasure, last in the pipeline).

Deleting a conversation cannot be undone, so a guess must not do it. Words the classifier has never seen (a
name and an e-mail address, a string of letters and digits) are read by meaning alone, and 4-5% of such
messages were read as forget_me, some at up to 0.69: the conversation was gone (docs/nlu-quality.md, "After
the fourth round"). The 92 real requests of the test sets are read at 0.6 or more, with two exceptions (0.22
and 0.46).

So a forget-me is done at once only when the classifier read its words (not by meaning alone) and is sure
(SURE_ERASURE), or when the whole message is the forget-me command of `keywords.yml` ("olvídame", "i ilow").
Otherwise it becomes `forget_me_unsure`, whose reply asks "Do you want me to delete this conversation now?"
with a "Delete it" button (on SMS, a numbered line). "Yes" in reply, in any language, deletes it; "no" shows
the menu.

The other way round, a thank-you or a goodbye with a real chance of forget-me behind it asks too: French
"merci de m'oublier" is the polite "please forget me", and was read as thanks (0.62) before forget-me (0.37).
Asking costs one tap; a request to be forgotten taken for a thank-you leaves the conversation stored.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.i18n.keywords import SMS_FORGET_ME, answer_word, sms_command
from bot.nlu.component import UntrainedComponent, latest_bot_metadata, set_intent
from bot.nlu.danger_first import strongest
from bot.nlu.intent_classifier import READ_BY_MEANING_ONLY
from core.names import FORGET_ME, FORGET_ME_UNSURE

ASK_FORGET_ME = "utter_ask_forget_me"
MENU = "menu"
SURE_ERASURE = 0.5
# Small talk that may hide a request to be forgotten ("merci de m'oublier", "bye, and delete this"), and the
# chance of forget-me behind it that makes the assistant ask.
SMALL_TALK = {"thanks", "goodbye"}
MAYBE_ERASURE = 0.3


def asked_to_confirm(tracker: DialogueStateTracker | None) -> bool:
    """Whether the assistant's latest message asked "Do you want me to delete this conversation now?"."""
    return latest_bot_metadata(tracker).get("utter_action") == ASK_FORGET_ME


def reading(
    text: str, intent: dict, confirming: bool, by_meaning_only: bool = False, ranking: list[dict] | None = None
) -> str | None:
    """The intent the message should have instead of the one it has, or None to keep it."""
    if text.startswith("/"):  # a button's payload says what it is
        return None
    if confirming:
        answer = answer_word(text)
        if answer == "yes":
            return FORGET_ME
        if answer == "no":
            return MENU
    if intent.get("name") in SMALL_TALK and not by_meaning_only:
        return FORGET_ME_UNSURE if strongest(ranking or [], (FORGET_ME,), MAYBE_ERASURE) else None
    if intent.get("name") != FORGET_ME:
        return None
    if (intent.get("confidence") or 0.0) >= SURE_ERASURE and not by_meaning_only:
        return None
    command = sms_command(text)
    return None if command and command[0] == SMS_FORGET_ME else FORGET_ME_UNSURE


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class UnsureErasure(UntrainedComponent):
    """May set intent forget_me_unsure (ask first), or forget_me / menu for the answer to that question."""

    def process(self, messages: list[Message], tracker: DialogueStateTracker | None = None) -> list[Message]:
        confirming = asked_to_confirm(tracker)
        for message in messages:
            text, intent = message.get(TEXT) or "", message.get(INTENT) or {}
            found = reading(
                text,
                intent,
                confirming,
                bool(message.get(READ_BY_MEANING_ONLY)),
                message.get(INTENT_RANKING_KEY) or [],
            )
            if found:
                set_intent(message, found)
        return messages
