"""Starting an assistant's processes from a clean environment, timing start-up to the first answer, and
reading each process's resident memory."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

START_TIMEOUT_SECONDS = 300
POLL_SECONDS = 0.2
# What a server inherits from the bench's own environment: only what finding programs and a home needs.
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")


def clean_environment(**settings: str) -> dict[str, str]:
    env = {name: os.environ[name] for name in INHERITED if name in os.environ}
    env.update({"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"})
    env.update(settings)
    return env


def free_port() -> int:
    """A port the kernel hands out (never 5005 or 5055, which someone else's `make run` may be using)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def memory_mb(pid: int) -> dict[str, float]:
    """Resident memory now (VmRSS) and at its highest so far (VmHWM), in MB, from /proc."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = round(int(rest.split()[0]) / 1024, 1)
    return {"rss_mb": values["VmRSS"], "peak_mb": values["VmHWM"]}


@dataclass
class Process:
    name: str
    command: list[str]
    cwd: Path
    env: dict[str, str]
    popen: subprocess.Popen | None = None


@dataclass
class Assistant:
    """One assistant's processes (ours: the action server and Rasa; stock: Rasa alone) on one port."""

    name: str
    processes: list[Process]
    rasa_port: int
    log_dir: Path
    wait_for_ports: list[int] = field(default_factory=list)  # other ports that must be open before load

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def start(self) -> float:
        """Spawn every process at once; seconds until the REST channel gives its first answer."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        began = time.monotonic()
        for process in self.processes:
            log = (self.log_dir / f"{self.name}-{process.name}.log").open("ab")
            process.popen = subprocess.Popen(
                process.command, cwd=process.cwd, env=process.env, stdout=log, stderr=subprocess.STDOUT
            )
        while time.monotonic() - began < START_TIMEOUT_SECONDS:
            self._check_alive()
            if self._answers():
                startup = time.monotonic() - began
                while not all(port_open(port) for port in self.wait_for_ports):
                    self._check_alive()
                    time.sleep(POLL_SECONDS)
                return startup
            time.sleep(POLL_SECONDS)
        self.stop()
        raise RuntimeError(f"{self.name} gave no answer within {START_TIMEOUT_SECONDS} s; see {self.log_dir}")

    def _answers(self) -> bool:
        try:
            response = requests.post(
                self.url + "/webhooks/rest/webhook", json={"sender": "bench-startup", "message": "hello"}, timeout=30
            )
        except requests.RequestException:
            return False
        return response.ok and bool(response.json())

    def _check_alive(self) -> None:
        for process in self.processes:
            if process.popen is not None and process.popen.poll() is not None:
                self.stop()
                raise RuntimeError(f"{self.name} {process.name} exited early; see {self.log_dir}")

    def memory(self) -> dict[str, dict[str, float]]:
        return {process.name: memory_mb(process.popen.pid) for process in self.processes if process.popen}

    def stop(self) -> None:
        for process in self.processes:
            if process.popen is not None and process.popen.poll() is None:
                process.popen.terminate()
        for process in self.processes:
            if process.popen is None:
                continue
            try:
                process.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.popen.kill()
                process.popen.wait()
            process.popen = None
