"""Starts the action server and the Rasa server with the privacy-safe options, and stops both together.

`make run` calls this. Both bind BIND_HOST (127.0.0.1 by default), telemetry is off, Sanic's access log
(which prints client IP addresses) is off, and Rasa's HTTP API stays closed unless RASA_API_TOKEN is set.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from bot import settings
from bot.languages import PROJECT_ROOT

MODEL_PATH = PROJECT_ROOT / "models" / "assistant.tar.gz"


def server_environment() -> dict[str, str]:
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
        }
    )
    return env


def rasa_command(model: Path = MODEL_PATH, port: str | None = None) -> list[str]:
    command = [
        sys.executable, "-m", "rasa", "run",
        "--model", str(model),
        "--interface", settings.get("BIND_HOST"),
        "--port", port or settings.get("RASA_PORT"),
        "--endpoints", str(PROJECT_ROOT / "endpoints.yml"),
        "--credentials", str(PROJECT_ROOT / "credentials.yml"),
    ]
    token = settings.get("RASA_API_TOKEN")
    if token:
        command += ["--enable-api", "--auth-token", token]
    return command


def actions_command(port: str | None = None) -> list[str]:
    return [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", port or settings.get("ACTIONS_PORT")]


def main() -> int:
    if not MODEL_PATH.exists():
        print(f"error: no model at {MODEL_PATH}; run `make run` (it trains one) or `make train`.", file=sys.stderr)
        return 1
    env = server_environment()
    processes = [
        subprocess.Popen(actions_command(), cwd=PROJECT_ROOT, env=env),
        subprocess.Popen(rasa_command(), cwd=PROJECT_ROOT, env=env),
    ]

    def stop(*_: object) -> None:
        for process in processes:
            if process.poll() is None:
                process.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while all(process.poll() is None for process in processes):
            try:
                processes[1].wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
    finally:
        stop()
        for process in processes:
            process.wait()
    return max(process.returncode or 0 for process in processes)


if __name__ == "__main__":
    sys.exit(main())
