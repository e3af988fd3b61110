"""The custom actions run inside the Rasa process (ACTIONS_IN_PROCESS=true, the default), as newer Rasa does.

With a separate action server, every custom action is an HTTP round trip: Rasa serialises the conversation
(and, without a selective domain, the whole domain) to JSON, the action server parses it again, and the
answer comes back the same way; that was about half of a turn answered by an action (docs/performance.md),
and the action server is a second process with its own copy of the catalogs. Here rasa-sdk's own
ActionExecutor, the one its action server runs, runs the same action classes in this process: the action
gets the same tracker dict and answers with the same events and messages, which Rasa then handles exactly
as an action server's answer (the fault note of bot/runtime/action_faults.py included). The domain is never
sent: our actions never read it (Rasa 3.6's `enable_selective_domain`).

The separate action server stays a deployment option (ACTIONS_IN_PROCESS=false: `make run` starts both
servers and endpoints.yml's ACTION_SERVER_URL is called), for a machine that runs the actions elsewhere.

The actions package is loaded by name, as rasa-sdk's command line does (`--actions actions`): bot/ never
imports actions/ (import-linter), and rasa-sdk finds the Action classes itself.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import rasa.core.actions.action as rasa_action
import rasa.core.actions.forms as rasa_forms
from rasa.utils.endpoints import ClientResponseError
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException

from bot.runtime.action_faults import PoliteRemoteAction

logger = logging.getLogger(__name__)

ACTIONS_PACKAGE = "actions"


class InProcessEndpoint:
    """Stands where Rasa keeps the action server's EndpointConfig: `request` runs the action here and answers
    what the action server would have answered (its JSON body, or the ClientResponseError of its 400 or 404)."""

    url = "in-process"

    def __init__(self, package: str = ACTIONS_PACKAGE) -> None:
        # Read by RemoteAction: leave the domain out of the action call.
        self.kwargs = {"enable_selective_domain": True}
        self.executor = ActionExecutor()
        self.executor.register_package(package)

    async def request(self, method: str = "post", json: dict[str, Any] | None = None, **_: Any) -> dict[str, Any]:
        try:
            result = await self.executor.run(json or {})
        except ActionExecutionRejection as rejection:
            # A form rejecting its slot: Rasa reads the action server's 400 body and tries another action.
            raise ClientResponseError(400, "", _body(rejection)) from rejection
        except ActionNotFoundException as missing:
            raise ClientResponseError(404, "", _body(missing)) from missing
        return result or {}


def _body(error: ActionExecutionRejection | ActionNotFoundException) -> str:
    return json.dumps({"error": error.message, "action_name": error.action_name})


_endpoint: InProcessEndpoint | None = None


def shared_endpoint() -> InProcessEndpoint:
    """One executor for the process, loaded on first use (importing the actions reads the catalogs)."""
    global _endpoint
    if _endpoint is None:
        _endpoint = InProcessEndpoint()
    return _endpoint


def loaded_actions() -> list[str]:
    """The names of the custom actions this process runs (none until install())."""
    return sorted(_endpoint.executor.actions) if _endpoint is not None else []


class InProcessAction(PoliteRemoteAction):
    """A custom action run by this process's executor, whatever endpoint Rasa passes."""

    def __init__(self, name: str, action_endpoint: Any = None) -> None:
        super().__init__(name, shared_endpoint())


def install() -> None:
    """Make Rasa build InProcessAction wherever it would build a RemoteAction (idempotent), and load the
    actions now, so the first person to ask is not the one who waits for it."""
    shared_endpoint()
    rasa_action.RemoteAction = InProcessAction
    rasa_forms.RemoteAction = InProcessAction
    logger.info("Custom actions run in this process (ACTIONS_IN_PROCESS).")
