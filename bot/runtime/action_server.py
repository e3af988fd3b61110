"""The action server's process: `python -m bot.runtime.action_server --actions actions --port 5055`.

rasa-sdk's own command line, with the action server's answers to bad requests added first. rasa-sdk answers
every error, an oversized body included, with a 500 that echoes the request body (the whole conversation)
and logs it with its traceback. This module is a rasa-sdk plugin that answers a body over
SANIC_REQUEST_MAX_SIZE (bot/runtime/serve.py) with 413, a request Sanic refuses itself (an unknown path such
as `GET /`: 404, a wrong method: 405) with its own status and no log line, and any other error with a 500
that names only the error's type, in the reply and in the log; the traceback goes to the DEBUG log, which
`make run` does not print. It also puts the total request deadline in place (bot/runtime/request_deadline.py).
rasa-sdk calls the hook as the server starts.

rasa-sdk listens on every address unless SANIC_HOST says otherwise; the action server has no authentication
and receives whole conversations, so started here it listens on ACTIONS_BIND_HOST (127.0.0.1 by default)
however it is started.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import pluggy
from sanic import Sanic, response
from sanic.exceptions import PayloadTooLarge, SanicException

from bot.runtime import request_deadline
from core import settings

logger = logging.getLogger(__name__)
hookimpl = pluggy.HookimplMarker("rasa_sdk")


@hookimpl
def attach_sanic_app_extensions(app: Sanic) -> None:
    @app.exception(PayloadTooLarge)
    async def too_large(_: Any, __: Exception) -> response.HTTPResponse:
        return response.json({"error": "request body is larger than this server accepts"}, status=413)

    @app.exception(SanicException)
    async def refused(_: Any, error: SanicException) -> response.HTTPResponse:
        status = getattr(error, "status_code", 500) or 500
        if status >= 500:
            logger.error("An action request failed (%s).", type(error).__name__)
        return response.json({"error": type(error).__name__}, status=status)

    @app.exception(Exception)
    async def failed(_: Any, error: Exception) -> response.HTTPResponse:
        logger.error("An action request failed (%s).", type(error).__name__)
        logger.debug("The failed action request's traceback:", exc_info=error)
        return response.json({"error": type(error).__name__}, status=500)

    request_deadline.install()


def register() -> None:
    """Add this module to rasa-sdk's plugins (idempotent)."""
    from rasa_sdk.plugin import plugin_manager

    this = sys.modules[__name__]
    if not plugin_manager().is_registered(this):
        plugin_manager().register(this)


def main() -> None:
    from rasa_sdk.__main__ import main as rasa_sdk_main

    os.environ.setdefault("SANIC_HOST", settings.get("ACTIONS_BIND_HOST"))
    register()
    rasa_sdk_main()


if __name__ == "__main__":
    main()
