"""The Makefile's model rule: `make -q models/assistant.tar.gz` says whether training is due. Run on a copy of
the Makefile in a temporary folder holding only the files the rule reads (nothing is trained: `-q` only asks)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

MODEL = "models/assistant.tar.gz"
FILES = [
    "requirements.txt",
    "requirements-dev.txt",
    "constraints.txt",
    "scripts/bootstrap",
    ".venv/.installed",
    "config.yml",
    "domain/core.yml",
    "data/nlu/en/one.yml",
    "data/nlu/en/two.yml",
    "data/rules/rules.yml",
]


def training_due(root: Path) -> bool:
    status = subprocess.run(["make", "-q", MODEL], cwd=root, capture_output=True).returncode
    assert status in (0, 1), f"make -q failed ({status})"
    return status == 1


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copy(PROJECT_ROOT / "Makefile", tmp_path / "Makefile")
    for name in FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x\n", encoding="utf-8")
    assert training_due(tmp_path)  # no model yet; make has written the list of inputs
    (tmp_path / MODEL).write_text("trained\n", encoding="utf-8")
    # Inputs and their list as of 100 s ago, the model trained 50 s ago: whatever make rewrites now is newer.
    now = time.time()
    for path in [*(tmp_path / name for name in FILES), tmp_path / "models/.inputs"]:
        os.utime(path, (now - 100, now - 100))
    os.utime(tmp_path / MODEL, (now - 50, now - 50))
    return tmp_path


def test_a_model_newer_than_its_inputs_needs_no_training(project):
    assert not training_due(project)
    assert not training_due(project)  # reading the Makefile again does not touch the list of inputs


def test_a_removed_training_file_makes_training_due(project):
    (project / "data/nlu/en/two.yml").unlink()
    assert training_due(project)


def test_a_new_training_file_makes_training_due(project):
    (project / "data/nlu/en/three.yml").write_text("x\n", encoding="utf-8")
    os.utime(project / "data/nlu/en/three.yml", (1, 1))  # even one dated long before the model
    assert training_due(project)


def test_a_model_made_before_the_list_existed_is_taken_as_up_to_date(project):
    # A copy of the project with its trained model but not the list (bench/project.py copies the model only)
    (project / "models/.inputs").unlink()
    assert not training_due(project)
    (project / "data/nlu/en/two.yml").unlink()  # from then on, the list counts
    assert training_due(project)
