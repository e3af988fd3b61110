"""When a custom action cannot run, the person still gets an answer: a polite note, 911 and the 24/7 lines.

Rasa 3.6's processor logs a failed custom action (action server down, an error, a timeout) and carries on
with no events, so the person is left with nothing, and its log line can carry the action server's error
body, which echoes the whole conversation. PoliteRemoteAction answers with `utter_action_unavailable`
(bot/replies/messages/faults.yml) instead, logs only the error's type, and gives up after ACTION_TIMEOUT_SECONDS
rather than Rasa's 300, inside the channels' own turn limits. Nothing is remembered about the failure, so
the next turn tries the action server again: it recovers by itself when the server is back.

Rasa builds a RemoteAction for every custom action name, with no setting to choose another class, so
`install()` puts this subclass in its place. The Rasa server's process calls it before Rasa runs
(bot/runtime/rasa_server.py), and so does `make preview`, which runs the model in its own process.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from typing import Any

import rasa.core.actions.action as rasa_action
import rasa.core.actions.forms as rasa_forms
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction, create_bot_utterance
from rasa.shared.core.events import Event

from bot.i18n.languages import reply_language
from bot.replies.rendering import channel_message
from core.names import LANGUAGE

logger = logging.getLogger(__name__)

# Below the SMS channel's 12-second turn limit, so the note reaches an SMS too.
ACTION_TIMEOUT_SECONDS = 8
UNAVAILABLE = "utter_action_unavailable"


def unavailable_message(language: Any, channel: str | None) -> dict[str, Any]:
    """The fault note in the conversation's language, shaped for the channel."""
    return channel_message(UNAVAILABLE, reply_language(language), channel)


@functools.cache
def answer_validator() -> Any:
    """Rasa's JSON schema of an action's answer, as a validator made once. Rasa's own check calls
    `jsonschema.validate`, which checks the schema itself and builds a new validator on every action call:
    about 8% of a turn answered by an action (issue #12's profile), for a schema that never changes."""
    from jsonschema.validators import validator_for  # type: ignore[import-untyped]

    schema = RemoteAction.action_response_format_spec()
    validator = validator_for(schema)
    validator.check_schema(schema)
    return validator(schema)


class PoliteRemoteAction(RemoteAction):
    """Rasa's RemoteAction, with the fault note instead of silence when the action server fails."""

    def _validate_action_result(self, result: dict[str, Any]) -> bool:
        answer_validator().validate(result)  # a ValidationError is a fault like any other: the note
        return True

    async def run(self, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> list[Event]:
        try:
            return await asyncio.wait_for(super().run(output_channel, nlg, tracker, domain), ACTION_TIMEOUT_SECONDS)
        except ActionExecutionRejection:
            raise  # a form rejecting its slot: Rasa's normal path, not a fault
        except Exception as error:  # noqa: BLE001 - whatever failed, the person gets the same answer
            logger.error(
                "Custom action %s could not run (%s); answered with the fault note and the crisis lines.",
                self.name(),
                type(error).__name__,
            )
            message = unavailable_message(tracker.get_slot(LANGUAGE), output_channel.name())
            return [create_bot_utterance(message)]


def install() -> None:
    """Make Rasa build PoliteRemoteAction wherever it would build a RemoteAction (idempotent)."""
    rasa_action.RemoteAction = PoliteRemoteAction
    rasa_forms.RemoteAction = PoliteRemoteAction
