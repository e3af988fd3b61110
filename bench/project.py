"""Temporary copies of this project, and make run in them as a developer would: the training measurements
and the catalog-only change happen there, so the repo's models/, data and catalogs are never touched.

The copies share the venv (`.venv` is a symlink to the real one) and make is told to take it as given
(`-o .venv/.installed`), so nothing is installed into it. Each copy has its own Rasa training cache
(`.rasa/` is not copied), so the first `make train` in a copy trains from scratch.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from bench.servers import clean_environment

ROOT = Path(__file__).resolve().parent.parent
MODEL = Path("models") / "assistant.tar.gz"
NOT_COPIED = shutil.ignore_patterns(
    ".git",
    ".venv",
    ".rasa",
    "models",
    "results",
    "test-artifacts",
    "__pycache__",
    ".pytest_cache",
    "results.json",
    "results.png",
)
MAKE = ["make", "--no-print-directory", "-o", ".venv/.installed"]
# One example appended to one language's NLU data: Spanish, need_shelter (the last intent of the file).
NLU_CHANGE = (Path("data") / "nlu" / "es" / "safety.yml", "necesito un sitio seguro para pasar la noche con mis hijos")
EXAMPLE_LINE = re.compile(r"^(\s*)- ")
MARKER = "[bench]"


def copy_project(destination: Path, with_model: bool) -> Path:
    """The project as a fresh clone plus what `make bench` built (catalogs, directory), with or without
    the repo's trained model (its mtime kept, so make sees it as up to date)."""
    shutil.copytree(ROOT, destination, ignore=NOT_COPIED, symlinks=True)
    (destination / ".venv").symlink_to((ROOT / ".venv").resolve())
    if with_model:
        (destination / MODEL.parent).mkdir()
        shutil.copy2(ROOT / MODEL, destination / MODEL)
    return destination


def make(root: Path, target: str, log: Path) -> float:
    """Run a make target in a copy; its wall time in seconds."""
    began = time.monotonic()
    with log.open("ab") as output:
        subprocess.run(
            [*MAKE, target], cwd=root, env=clean_environment(), stdout=output, stderr=subprocess.STDOUT, check=True
        )
    return time.monotonic() - began


def make_would_retrain(root: Path) -> bool:
    """Whether the Makefile's model rule is out of date (`make -q`: 0 up to date, 1 it would rebuild)."""
    status = subprocess.run(
        [*MAKE, "-q", str(MODEL)], cwd=root, env=clean_environment(), capture_output=True
    ).returncode
    if status not in (0, 1):
        raise RuntimeError(f"make -q {MODEL} failed in {root} (exit {status})")
    return status == 1


def append_example(path: Path, text: str) -> None:
    """Add one example after the last example line of an NLU file, with the same indentation."""
    lines = path.read_text(encoding="utf-8").splitlines()
    last = max(number for number, line in enumerate(lines) if EXAMPLE_LINE.match(line))
    indent = EXAMPLE_LINE.match(lines[last]).group(1)
    lines.insert(last + 1, f"{indent}- {text}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def change_nlu_data(root: Path) -> None:
    path, text = NLU_CHANGE
    append_example(root / path, text)


def mark_translation(root: Path, language: str, reply: str) -> str:
    """Edit the catalog entry whose translation the reply shows: MARKER goes in front. Returns its context."""
    path = root / "locales" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    # The entry whose first line is a whole line of the reply, the longest such: a short one ("No", a button
    # title) can also appear inside the reply's sentences without being what the reply shows.
    lines = set(reply.splitlines())
    shown = [
        message
        for message in catalog
        if message.id and isinstance(message.string, str) and message.string and message.string.splitlines()[0] in lines
    ]
    if not shown:
        raise LookupError(f"no {language} catalog entry appears in the reply")
    message = max(shown, key=lambda m: len(m.string))
    message.string = f"{MARKER} {message.string}"
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)
    return message.context
