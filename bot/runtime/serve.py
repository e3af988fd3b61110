"""Starts the action server and the Rasa server with the privacy-safe options, and stops both together.

`make run` calls this; the end-to-end tests and `make bench` start the servers with the same commands and
environment. Each server is one of the two process entry points beside this module (rasa_server,
action_server). Both bind BIND_HOST (127.0.0.1 by default), telemetry is off, Sanic's access log
(which prints client IP addresses) is off, and Rasa's HTTP API stays closed unless RASA_API_TOKEN is set.
Every endpoint of both servers has a size limit and timeouts (SERVER_LIMITS): a bigger body gets 413 before
it is read, a client that sends too slowly is cut off.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

from bot.channels.inbound import MAX_BODY_BYTES
from core import settings
from core.paths import MODELS_DIR, PROJECT_ROOT

MODEL_PATH = MODELS_DIR / "assistant.tar.gz"

# Sanic's limits per server, as SANIC_* variables (Sanic reads them at start-up). Its defaults would read a
# 100 MB body into memory and wait 60 s for a slow client.
SERVER_LIMITS = {
    # What people send is small (bot/channels/inbound.py); with RASA_API_TOKEN, load models from disk.
    "rasa": {"SANIC_REQUEST_MAX_SIZE": str(MAX_BODY_BYTES)},
    # Rasa sends the action server the whole conversation and the domain with every call.
    "actions": {"SANIC_REQUEST_MAX_SIZE": str(8 * 1024 * 1024)},
}
TIMEOUTS = {
    "SANIC_REQUEST_TIMEOUT": "10",  # to receive a whole request
    "SANIC_RESPONSE_TIMEOUT": "45",  # to answer: above the channels' own turn limits (30 s REST and kiosk)
    "SANIC_KEEP_ALIVE_TIMEOUT": "5",
    # Sanic's own refusals (413, 408, 404) as JSON, like the channels' {"error": ...}, not an HTML page.
    "SANIC_FALLBACK_ERROR_FORMAT": "json",
}


def server_environment(server: str = "rasa") -> dict[str, str]:
    """The environment of the `rasa` or the `actions` server."""
    env = dict(os.environ)
    env.update(
        {
            "RASA_TELEMETRY_ENABLED": "false",
            "SANIC_ACCESS_LOG": "false",
            "SANIC_HOST": settings.get("BIND_HOST"),  # the action server's bind address
            "ACTION_SERVER_URL": settings.get("ACTION_SERVER_URL"),
            "LOG_LEVEL": settings.get("LOG_LEVEL"),
            "LOG_LEVEL_LIBRARIES": "ERROR",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")])),
            **TIMEOUTS,
            **SERVER_LIMITS[server],
        }
    )
    return env


def rasa_command(model: Path = MODEL_PATH, port: str | None = None, api_token: str | None = None) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "bot.runtime.rasa_server",
        "run",
        "--model",
        str(model),
        "--interface",
        settings.get("BIND_HOST"),
        "--port",
        port or settings.get("RASA_PORT"),
        "--endpoints",
        str(PROJECT_ROOT / "endpoints.yml"),
        "--credentials",
        str(PROJECT_ROOT / "credentials.yml"),
    ]
    token = settings.get("RASA_API_TOKEN") if api_token is None else api_token
    if token:
        command += ["--enable-api", "--auth-token", token]
    return command


def actions_command(port: str | None = None) -> list[str]:
    return [
        sys.executable,
        "-m",
        "bot.runtime.action_server",
        "--actions",
        "actions",
        "--port",
        port or settings.get("ACTIONS_PORT"),
    ]


def main() -> int:
    if not MODEL_PATH.exists():
        print(f"error: no model at {MODEL_PATH}; run `make run` (it trains one) or `make train`.", file=sys.stderr)
        return 1
    processes = [
        subprocess.Popen(actions_command(), cwd=PROJECT_ROOT, env=server_environment("actions")),
        subprocess.Popen(rasa_command(), cwd=PROJECT_ROOT, env=server_environment("rasa")),
    ]

    def stop(*_: object) -> None:
        for process in processes:
            if process.poll() is None:
                process.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while all(process.poll() is None for process in processes):
            with contextlib.suppress(subprocess.TimeoutExpired):
                processes[1].wait(timeout=1)
    finally:
        stop()
        for process in processes:
            process.wait()
    return max(process.returncode or 0 for process in processes)


if __name__ == "__main__":
    sys.exit(main())
