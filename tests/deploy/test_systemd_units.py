"""The systemd units (deploy/systemd/): systemd's own checks, and what docs/deploy.md promises of them.

`systemd-analyze verify` loads a unit as systemd would and fails on a bad directive or a missing command;
`systemd-analyze security` scores the sandbox. Both run here with --root on a small copy of the machine: the
system's own unit files, the units installed where docs/deploy.md installs them, and an executable standing
in for /opt/maine-assistant/.venv/bin/python (the test does not install the project into /opt). `.ci/run`
installs systemd when it is missing; these tests never skip.
"""

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.runtime import serve
from core.paths import PROJECT_ROOT

UNITS_DIR = PROJECT_ROOT / "deploy" / "systemd"
UNITS = {"rasa": "maine-assistant-rasa.service", "actions": "maine-assistant-actions.service"}
INSTALL_DIR = "/opt/maine-assistant"
MAX_EXPOSURE = 2.0  # systemd calls up to 2.0 "OK"; a service with no sandbox scores 9.6


def systemd_analyze() -> str:
    binary = shutil.which("systemd-analyze")
    assert binary, "systemd-analyze is missing: apt-get install systemd (.ci/run does it)"
    return binary


@pytest.fixture(scope="module")
def machine(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("machine")
    shutil.copytree("/usr/lib/systemd/system", root / "usr" / "lib" / "systemd" / "system", symlinks=True)
    installed = root / "etc" / "systemd" / "system"
    installed.mkdir(parents=True)
    for name in UNITS.values():
        shutil.copy(UNITS_DIR / name, installed / name)
    python = root / INSTALL_DIR.lstrip("/") / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text("#!/bin/sh\n")
    python.chmod(0o755)
    return root


def unit(server: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(UNITS_DIR / UNITS[server])
    return parser


def test_systemd_verifies_both_units_without_a_word(machine):
    result = subprocess.run(
        [systemd_analyze(), "verify", f"--root={machine}", *UNITS.values()], capture_output=True, text=True
    )
    # verify only warns about a directive it cannot parse: any output at all is a failure.
    assert result.returncode == 0 and not result.stdout.strip() and not result.stderr.strip(), result.stderr


def test_systemd_finds_a_mistyped_directive(machine):
    """The check above can fail: a typo in a copy of a unit is reported."""
    broken = machine / "etc" / "systemd" / "system" / "broken.service"
    broken.write_text((UNITS_DIR / UNITS["rasa"]).read_text().replace("Restart=on-failure", "Restart=sometimes"))
    result = subprocess.run([systemd_analyze(), "verify", f"--root={machine}", "broken.service"], capture_output=True)
    broken.unlink()
    assert b"sometimes" in result.stderr


@pytest.mark.parametrize("server", UNITS)
def test_each_unit_is_sandboxed(machine, server):
    result = subprocess.run(
        [systemd_analyze(), "security", "--offline=yes", f"--root={machine}", UNITS[server]],
        capture_output=True,
        text=True,
        check=True,
    )
    overall = next(line for line in result.stdout.splitlines() if "Overall exposure level" in line)
    exposure = float(overall.split(":")[1].split()[0])
    assert exposure <= MAX_EXPOSURE, overall


@pytest.mark.parametrize("server", UNITS)
def test_each_unit_serves_what_is_built_as_docs_deploy_says(server):
    service = unit(server)["Service"]
    assert service["ExecStart"] == f"{INSTALL_DIR}/.venv/bin/python -m bot.runtime.serve --only {server}"
    assert server in serve.SERVERS
    assert service["WorkingDirectory"] == INSTALL_DIR
    assert service["User"] == service["Group"] == "maine-assistant"
    assert service["EnvironmentFile"] == "/etc/maine-assistant/env"
    assert service["Restart"] == "on-failure"
    assert service["RestartPreventExitStatus"] == str(serve.NOT_BUILT)
    assert service["MemoryMax"]
    assert service["ProtectSystem"] == "strict" and service["NoNewPrivileges"] == "yes"


def test_only_the_rasa_server_may_write_and_only_its_state_folder():
    rasa, actions = unit("rasa")["Service"], unit("actions")["Service"]
    assert rasa["StateDirectory"] == "maine-assistant" and rasa["StateDirectoryMode"] == "0700"
    assert "StateDirectory" not in actions
    assert "ReadWritePaths" not in rasa and "ReadWritePaths" not in actions


def test_the_rasa_server_starts_its_action_server():
    rasa = unit("rasa")["Unit"]
    assert UNITS["actions"] in rasa["Wants"] and UNITS["actions"] in rasa["After"]
