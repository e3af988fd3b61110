"""The Rasa server's process: `python -m bot.runtime.rasa_server run --model ... --endpoints ...`.

Rasa's own command line, with what this assistant adds to the Rasa process made explicit here rather than
as a side effect of loading some module:

- a custom action that cannot run is answered with the fault note (bot/runtime/action_faults.py);
- the custom actions run in this process unless ACTIONS_IN_PROCESS is false (bot/runtime/in_process_actions.py);
- each message is parsed in a thread beside the event loop (PARSE_THREADS, bot/runtime/parse_pool.py);
- `GET /health` and `HEAD /health` (bot/runtime/health.py), with the recent traffic it reports
  (bot/runtime/traffic.py);
- HEAD on every GET route, the kiosk page's included: Sanic answers HEAD only where a route names it, so
  without this a monitor's or a proxy's HEAD gets 405 everywhere.

Rasa builds its web app in `rasa.core.run.configure_app` and has no hook for routes outside a channel (a
channel's routes all live under /webhooks/<name>/, where a load balancer does not look for a health check),
so `install()` wraps that function: the app Rasa built, with its channels, gets the additions before it
starts. This module is a Rasa plugin; Rasa calls its `configure_commandline` hook once, after configuring
logging and warnings and before running the command. (Rasa's warnings and structured logs are made private
where Rasa builds the channels: bot/runtime/log_privacy.py.)
"""

from __future__ import annotations

import argparse
import functools
import sys
from typing import Any

import pluggy
from sanic import Sanic

from bot.runtime import action_faults, health, parse_pool, request_deadline, traffic
from core import settings

hookimpl = pluggy.HookimplMarker("rasa")


def answer_head_like_get(app: Sanic) -> None:
    """Add HEAD to every GET route that lacks it. The HEAD route shares the GET route's handler and name, so
    the same middleware applies (the kiosk's security headers); Sanic sends a HEAD answer without its body."""
    with_head = {route.path for route in app.router.routes if "HEAD" in route.methods}
    for route in list(app.router.routes):
        if "GET" not in route.methods or route.path in with_head or route.ctx.websocket:
            continue
        app.add_route(
            route.handler,
            "/" + route.path,
            methods=["HEAD"],
            name=route.name.split(".", 1)[1],  # Sanic puts the app's name back in front
            strict_slashes=route.strict,
        )
        with_head.add(route.path)


def add_to_app(app: Sanic) -> Sanic:
    health.add_route(app)
    traffic.attach(app)
    answer_head_like_get(app)
    return app


def install() -> None:
    """Make rasa.core.run.configure_app return its app with this assistant's additions (idempotent)."""
    import rasa.core.run

    configure_app = rasa.core.run.configure_app
    if getattr(configure_app, "adds_assistant_routes", False):
        return

    @functools.wraps(configure_app)
    def configure_app_with_additions(*args: Any, **kwargs: Any) -> Sanic:
        return add_to_app(configure_app(*args, **kwargs))

    configure_app_with_additions.adds_assistant_routes = True  # type: ignore[attr-defined]
    rasa.core.run.configure_app = configure_app_with_additions


@hookimpl
def configure_commandline(cmdline_arguments: argparse.Namespace) -> None:
    """Install the fault handling, the request deadline and the routes; returns no endpoints file (Rasa then
    reads --endpoints)."""
    action_faults.install()
    if settings.get_bool("ACTIONS_IN_PROCESS"):
        from bot.runtime import in_process_actions

        in_process_actions.install()
    parse_pool.install(settings.get_int("PARSE_THREADS"))
    request_deadline.install()
    install()


def register() -> None:
    """Add this module to Rasa's plugins (idempotent)."""
    from rasa.plugin import plugin_manager

    this = sys.modules[__name__]
    if not plugin_manager().is_registered(this):
        plugin_manager().register(this)


def main() -> None:
    from rasa.__main__ import main as rasa_main

    register()
    rasa_main()


if __name__ == "__main__":
    main()
