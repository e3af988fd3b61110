"""Serves what `make build` built, and never builds: `python -m bot.runtime.serve [--only rasa|actions]`.

`make serve` and the systemd units (deploy/) run this; `make run` builds what is missing first, then runs it.
A service must not train a model or compile catalogs as it starts (training takes minutes, and a catalog with
a translator's slip would keep the server from starting), so this checks that the parts are there and stops
with a clear message when one is missing. The servers read the catalogs' .po files themselves
(bot/i18n/catalog.py), so there is nothing to compile: a translation with a problem is left out (its English
source is served instead), and the log names each catalog that has one, as an error.

Both servers by default (the action server first, then the Rasa server; they stop together). The Rasa server
runs the custom actions inside it unless ACTIONS_IN_PROCESS is false (bot/runtime/in_process_actions.py), and
then calls the action server. Or one with `--only`, for a machine that runs only one of them or a
service manager that runs them apart. With `--only` this process becomes the server (exec), so signals and
memory limits apply to the server itself.

Each server is one of the two process entry points beside this module (rasa_server, action_server). The
Rasa server binds BIND_HOST and the action server ACTIONS_BIND_HOST (both 127.0.0.1 by default), telemetry
is off, Sanic's access log (which prints client IP addresses) is off, and Rasa's HTTP API stays closed unless
RASA_API_TOKEN is set. Every endpoint of both servers has a size limit and timeouts (SERVER_LIMITS): a bigger
body gets 413 before it is read, a client that sends too slowly is cut off.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

from bot.channels.inbound import MAX_BODY_BYTES
from core import settings
from core.directory.schema import DEFAULT_DB as DIRECTORY_DB
from core.names import LAUNCH_LANGUAGES
from core.paths import LOCALES_DIR, MODELS_DIR, PROJECT_ROOT

logger = logging.getLogger("serve")

MODEL_PATH = MODELS_DIR / "assistant.tar.gz"
SERVERS = ("actions", "rasa")
NOT_BUILT = 2  # the exit status when a part is missing: not a crash, so a service manager need not retry

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


GOMP_SPINCOUNT = "1000"


def server_environment(server: str = "rasa") -> dict[str, str]:
    """The environment of the `rasa` or the `actions` server."""
    env = dict(os.environ)
    env.update(
        {
            "RASA_TELEMETRY_ENABLED": "false",
            "SANIC_ACCESS_LOG": "false",
            "SANIC_HOST": settings.get("ACTIONS_BIND_HOST"),  # read by rasa-sdk only: the action server's address
            "ACTION_SERVER_URL": settings.action_server_url(),
            "LOG_LEVEL": settings.get("LOG_LEVEL"),
            "LOG_LEVEL_LIBRARIES": "ERROR",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")])),
            # The sentence encoder computes on OpenMP threads (libgomp), which by default spin 300,000 times
            # waiting for work before they sleep. Beside a second such process on the same cores (another Rasa
            # server behind the load balancer, a training, an evaluation) each spins through the other's time
            # slice: a parse took 1,080 ms instead of 20. With 1,000 spins, 37-41 ms, and alone the same 20 ms
            # (docs/performance.md). libgomp reads it once, when it loads: it must be set before the process starts.
            "GOMP_SPINCOUNT": env.get("GOMP_SPINCOUNT", GOMP_SPINCOUNT),
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


def default_servers() -> tuple[str, ...]:
    """What `make run` starts: both servers, as the README promises (Rasa on 5005, the actions on 5055). With
    ACTIONS_IN_PROCESS (the default) Rasa runs the actions itself and the action server waits for anyone who
    calls it (a Rasa set to ACTIONS_IN_PROCESS=false); a deployment that needs only one runs `--only rasa`."""
    return SERVERS


def command_of(server: str) -> list[str]:
    return actions_command() if server == "actions" else rasa_command()


# ---- what must be built --------------------------------------------------------------------------------------


def catalog_file(code: str, locales_dir: Path = LOCALES_DIR) -> Path:
    """The .po file the servers read for a language."""
    from bot.i18n.catalog import catalog_path

    return catalog_path(code, locales_dir)


def missing_parts(servers: tuple[str, ...], model: Path | None = None, directory: Path | None = None) -> list[str]:
    """What these servers need and `make build` has not built (or a copy has not brought): none, to serve."""
    model, directory = model or MODEL_PATH, directory or DIRECTORY_DB
    missing = []
    if "rasa" in servers and not model.exists():
        missing.append(f"the trained model ({shown(model)})")
    if "actions" in servers and not directory.exists():
        missing.append(f"the services directory ({shown(directory)})")
    # Both servers render replies from the catalogs.
    missing += [
        f"the {code} catalog ({shown(catalog_file(code))})"
        for code in LAUNCH_LANGUAGES
        if not catalog_file(code).exists()
    ]
    return missing


def catalog_notes(locales_dir: Path = LOCALES_DIR) -> list[tuple[int, str]]:
    """(log level, message) for each registered language whose catalog has translations the servers leave out
    (a placeholder renamed, ...): those replies are served in English until a translator fixes them."""
    from bot.i18n.catalog_files import catalog_problems, read_catalog
    from bot.i18n.languages import read_registry

    notes = []
    for language in read_registry(locales_dir / "languages.yml"):
        source = catalog_file(language.code, locales_dir)
        problems = catalog_problems(read_catalog(source)) if source.exists() else []
        if problems:
            notes.append(
                (
                    logging.ERROR,
                    f"the {language.code} catalog ({shown(source)}) has {len(problems)} problem(s) "
                    "(`make i18n-check` lists them); those replies are served in English until they are fixed.",
                )
            )
    return notes


def shown(path: Path) -> str:
    try:
        return str(path.relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


# ---- serving ------------------------------------------------------------------------------------------------


def supervise(servers: tuple[str, ...]) -> int:
    """Start the servers in order and stop them all when one stops or on SIGTERM/SIGINT."""
    processes = [
        subprocess.Popen(command_of(server), cwd=PROJECT_ROOT, env=server_environment(server)) for server in servers
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
                processes[-1].wait(timeout=1)
    finally:
        stop()
        for process in processes:
            process.wait()
    return max(process.returncode or 0 for process in processes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.runtime.serve", description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=SERVERS, help="start only this server")
    args = parser.parse_args(argv)
    logging.basicConfig(format="%(levelname)s %(name)s: %(message)s", level=logging.INFO, stream=sys.stderr)
    servers = (args.only,) if args.only else default_servers()

    missing = missing_parts(servers)
    if missing:
        logger.error(
            "cannot serve: %s %s missing. Build %s with `make build` (or copy a trained model: docs/deploy.md).",
            "; ".join(missing),
            "is" if len(missing) == 1 else "are",
            "it" if len(missing) == 1 else "them",
        )
        return NOT_BUILT
    for level, note in catalog_notes():
        logger.log(level, note)

    if args.only:
        command = command_of(args.only)
        os.chdir(PROJECT_ROOT)
        os.execve(command[0], command, server_environment(args.only))
    return supervise(servers)


if __name__ == "__main__":
    sys.exit(main())
