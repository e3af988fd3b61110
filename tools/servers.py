"""Starts the real action server and Rasa server on free ports, with every log line captured to files
(the end-to-end tests, `make evaluate`).

The statistics file of a test's servers is in its log folder, never the project's.
"""

from __future__ import annotations

import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bot.runtime.serve import MODEL_PATH, actions_command, rasa_command, server_environment
from core import settings
from core.paths import PROJECT_ROOT

START_TIMEOUT_SECONDS = 180


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Servers:
    log_dir: Path
    env_overrides: dict[str, str] = field(default_factory=dict)
    rasa_port: int = field(default_factory=free_port)
    actions_port: int = field(default_factory=free_port)
    processes: list[subprocess.Popen] = field(default_factory=list)
    by_name: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def log_files(self) -> list[Path]:
        return sorted(self.log_dir.glob("*.log"))

    @property
    def stats_db(self) -> Path:
        return self.log_dir / "stats.db"

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        # Appends: an action server started again (the fault tests) keeps the first one's lines.
        log = (self.log_dir / f"{name}.log").open("ab")
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        self.by_name[name] = process
        return process

    def start_actions(self) -> None:
        self._spawn("actions", actions_command(str(self.actions_port)), self._env("actions"))

    def stop_actions(self) -> None:
        """Really stop the action server (the fault tests), and wait until its port is closed."""
        process = self.by_name["actions"]
        process.terminate()
        process.wait(timeout=30)
        while port_open(self.actions_port):
            time.sleep(0.1)

    def start_rasa(self) -> None:
        token = self.env_overrides.get("RASA_API_TOKEN")  # the command line opens the API, not the environment
        self._spawn("rasa", rasa_command(MODEL_PATH, str(self.rasa_port), token), self._env("rasa"))

    @property
    def rasa_pid(self) -> int:
        return self.by_name["rasa"].pid

    def _env(self, server: str) -> dict[str, str]:
        env = server_environment(server)
        env["ACTION_SERVER_URL"] = f"http://127.0.0.1:{self.actions_port}/webhook"
        env.update({"STATS_ENABLED": "true", "STATS_DB": str(self.stats_db)})
        env.update(self.env_overrides)
        return env

    @property
    def actions_in_process(self) -> bool:
        env = self._env("rasa")
        return settings.is_true(env.get("ACTIONS_IN_PROCESS", settings.default("ACTIONS_IN_PROCESS")))

    def start(self, actions: bool | None = None) -> Servers:
        """Start the Rasa server, and the action server when Rasa will call it (ACTIONS_IN_PROCESS false; `make
        run` starts it either way, idle), or with `actions`, say whether to start it; wait until they answer."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        if actions is None:
            actions = not self.actions_in_process
        if actions:
            self.start_actions()
        self.start_rasa()
        self.wait_until_up()
        return self

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if any(process.poll() is not None for process in self.by_name.values()):
                raise RuntimeError(f"a server exited early; see {self.log_dir}")
            try:
                actions_up = "actions" not in self.by_name or port_open(self.actions_port)
                if requests.get(self.url + "/", timeout=2).ok and actions_up:
                    return
            except requests.RequestException:
                pass
            time.sleep(1)
        raise RuntimeError(f"servers did not start within {START_TIMEOUT_SECONDS}s; see {self.log_dir}")

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()

    def say(self, sender: str, message, metadata: dict | None = None) -> list[dict]:
        body = {"sender": sender, "message": message}
        if metadata is not None:
            body["metadata"] = metadata
        response = requests.post(self.url + "/webhooks/rest/webhook", json=body, timeout=60)
        response.raise_for_status()
        return response.json()

    def logs(self) -> str:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in self.log_files)


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0
