"""The Rasa server's process: `python -m bot.runtime.rasa_server run --model ... --endpoints ...`.

Rasa's own command line, with what this assistant adds to the Rasa process made explicit here rather than
as a side effect of loading some module: a custom action that cannot run is answered with the fault note
(bot/runtime/action_faults.py). This module is a Rasa plugin; Rasa calls its `configure_commandline` hook
once, after configuring logging and warnings and before running the command. (Rasa's warnings and
structured logs are made private where Rasa builds the channels: bot/runtime/log_privacy.py.)
"""

from __future__ import annotations

import argparse
import sys

import pluggy

from bot.runtime import action_faults, request_deadline

hookimpl = pluggy.HookimplMarker("rasa")


@hookimpl
def configure_commandline(cmdline_arguments: argparse.Namespace) -> None:
    """Install the fault handling and the request deadline; returns no endpoints file (Rasa then reads
    --endpoints as usual)."""
    action_faults.install()
    request_deadline.install()


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
