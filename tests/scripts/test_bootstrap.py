"""scripts/bootstrap --system: what make test does when Chromium or redis-server is missing (nginx and
systemd-analyze, which the deployment tests use, are checked the same way).

The real programs cannot be removed from a shared machine, so each case runs the script with a PATH of its
own (only the shell tools it uses, plus stand-ins for apt-get, id and redis-server that record their calls)
and BOOTSTRAP_CHROMIUM pointing into a temporary folder.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

BOOTSTRAP = PROJECT_ROOT / "scripts" / "bootstrap"
SHELL_TOOLS = ["bash", "dirname", "tr", "sed", "cat", "chmod"]


def write_program(path: Path, body: str) -> None:
    path.write_text("#!/bin/bash\n" + body, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


class Machine:
    """A PATH with the shell tools, and switches for what else the machine has."""

    def __init__(self, root: Path) -> None:
        self.bin = root / "bin"
        self.bin.mkdir()
        self.chromium = root / "usr-bin" / "chromium"
        self.chromium.parent.mkdir()
        self.calls = root / "apt-calls"
        for tool in SHELL_TOOLS:
            (self.bin / tool).symlink_to(shutil.which(tool))
        # The deployment's programs are there in every case below; the missing ones are Chromium and Redis.
        self.nginx = root / "usr-sbin" / "nginx"
        self.nginx.parent.mkdir()
        write_program(self.nginx, "exit 0\n")
        write_program(self.bin / "systemd-analyze", "exit 0\n")

    def has_chromium(self) -> None:
        write_program(self.chromium, "exit 0\n")

    def has_redis(self) -> None:
        write_program(self.bin / "redis-server", "exit 0\n")

    def user(self, uid: int) -> None:
        write_program(self.bin / "id", f'[ "$1" = -u ] && echo {uid}\n')

    def has_apt(self, installs: bool = True) -> None:
        """An apt-get that records its arguments and, on install, puts the programs where Debian's would."""
        install = (
            f'for p in "$@"; do case "$p" in chromium) printf "#!/bin/bash\\n" > "{self.chromium}";'
            f' chmod +x "{self.chromium}";; redis-server) printf "#!/bin/bash\\n" > "{self.bin}/redis-server";'
            f' chmod +x "{self.bin}/redis-server";; esac; done'
            if installs
            else "exit 100"
        )
        write_program(
            self.bin / "apt-get",
            f'echo "$*" >> "{self.calls}"\n[ "$1" = install ] || exit 0\n{install}\n',
        )

    def apt_calls(self) -> list[str]:
        return self.calls.read_text(encoding="utf-8").splitlines() if self.calls.exists() else []

    def run(self) -> subprocess.CompletedProcess:
        env = {
            "PATH": str(self.bin),
            "BOOTSTRAP_CHROMIUM": str(self.chromium),
            "BOOTSTRAP_NGINX": str(self.nginx),
            "HOME": os.environ.get("HOME", "/"),
        }
        return subprocess.run(
            [str(self.bin / "bash"), str(BOOTSTRAP), "--system"], env=env, capture_output=True, text=True, timeout=30
        )


@pytest.fixture
def machine(tmp_path) -> Machine:
    return Machine(tmp_path)


def test_nothing_to_do_when_both_are_there(machine):
    machine.has_chromium()
    machine.has_redis()
    machine.user(0)
    machine.has_apt()
    result = machine.run()
    assert result.returncode == 0, result.stderr
    assert machine.apt_calls() == []
    assert result.stdout == result.stderr == ""


def test_debian_as_root_installs_both_with_apt_get(machine):
    machine.user(0)
    machine.has_apt()
    result = machine.run()
    assert result.returncode == 0, result.stderr
    assert machine.apt_calls() == ["update -q", "install -y -q --no-install-recommends chromium redis-server"]
    assert machine.chromium.exists() and (machine.bin / "redis-server").exists()
    # Run again: both are there now, so apt-get is not called a second time.
    assert machine.run().returncode == 0
    assert len(machine.apt_calls()) == 2


def test_only_the_missing_one_is_installed(machine):
    machine.has_chromium()
    machine.user(0)
    machine.has_apt()
    assert machine.run().returncode == 0
    assert machine.apt_calls()[-1] == "install -y -q --no-install-recommends redis-server"


def test_not_root_stops_with_the_command_to_run(machine):
    machine.user(1000)
    machine.has_apt()
    result = machine.run()
    assert result.returncode != 0
    assert machine.apt_calls() == []
    assert result.stderr.splitlines() == [
        "error: make test needs chromium redis-server; run: sudo apt-get install -y chromium redis-server"
    ]


def test_not_debian_stops_with_one_line(machine):
    machine.has_redis()
    machine.user(0)
    result = machine.run()
    assert result.returncode != 0
    [line] = result.stderr.splitlines()
    assert line.startswith("error: make test needs chromium")
    assert line.endswith("on Debian run: sudo apt-get install -y chromium")


def test_a_failed_apt_get_stops_make(machine):
    machine.user(0)
    machine.has_apt(installs=False)
    result = machine.run()
    assert result.returncode != 0
    assert result.stderr.splitlines()[-1] == (
        "error: apt-get could not install chromium redis-server;"
        " run: apt-get update && apt-get install -y chromium redis-server"
    )
