"""The one response generator: every reply Rasa sends is rendered here from the gettext catalogs.

Runs inside the Rasa process (endpoints.yml `nlg: type: bot.replies.nlg.CatalogNaturalLanguageGenerator`): an NLG
endpoint would add an HTTP round trip and serialise the whole tracker, with every message text, per reply
(README, "Why an in-process generator").
"""

from __future__ import annotations

from typing import Any

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot.i18n.languages import reply_language
from bot.replies.rendering import render_response
from core.names import LANGUAGE

# Keys Rasa passes along with a response requested by a custom action; they are message fields, not values.
_MESSAGE_FIELDS = {"text", "buttons", "elements", "custom", "template", "image", "attachment", "json_message"}


class CatalogNaturalLanguageGenerator(TemplatedNaturalLanguageGenerator):
    """Renders domain responses in the `language` slot's language, per channel (reads slot `language`).

    A subclass of Rasa's templated generator only so that Rasa hands it the model's responses once the
    model is loaded (rasa/core/agent.py does that for this class alone); the rendering is all ours.
    """

    def __init__(self, endpoint_config: Any = None, domain: Domain | None = None) -> None:
        super().__init__((domain or Domain.empty()).responses)

    async def generate(
        self, utter_action: str, tracker: DialogueStateTracker, output_channel: str, **kwargs: Any
    ) -> dict[str, Any] | None:
        values = {k: v for k, v in kwargs.items() if k not in _MESSAGE_FIELDS and isinstance(v, (str, int, float))}
        language = reply_language(tracker.get_slot(LANGUAGE))
        message = render_response(self.responses, utter_action, language, output_channel, values)
        if message is not None:
            message[LANGUAGE] = language  # for the channel's 911 line (bot/channels/turns.py); never shown
        return message
