"""The one reader of the NLU training examples: data/nlu/<lang>/*.yml (and the held-out sets, tests/nlu/<lang>/,
in the same format). Rasa-free: language detection, place names, `make i18n-report` and the tests read them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from core.paths import NLU_DIR
from core.yaml_files import read_yaml

# An entity annotation inside an example: "[Lewiston](town)" or "[Lewiston]{...}" is the text "Lewiston".
ANNOTATION = re.compile(r"\[([^\]]*)\](\([^)]*\)|\{[^}]*\})")


def read_examples(path: Path) -> Iterator[tuple[str, str]]:
    """(intent, example text) for every example of one NLU file; synonyms, lookup tables and regexes are not
    examples."""
    for block in (read_yaml(path) or {}).get("nlu") or []:
        if "intent" not in block:
            continue
        for line in _example_lines(block.get("examples")):
            text = ANNOTATION.sub(r"\1", line.strip().removeprefix("- ").strip())
            if text:
                yield block["intent"], text


def _example_lines(examples: object) -> list[str]:
    """Rasa writes examples as one "- text" block, or as a list of {text, metadata} when each example carries
    its own metadata (data/nlu/<lang>/legal_options.yml labels the legal option that way)."""
    if isinstance(examples, list):
        return [str(item.get("text") or "") if isinstance(item, dict) else str(item) for item in examples]
    return str(examples or "").splitlines()


def examples_by_intent(folder: Path) -> dict[str, list[str]]:
    """One language's examples by intent (a folder of NLU files); empty for an empty or missing folder."""
    found: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.yml")):
        for intent, text in read_examples(path):
            found.setdefault(intent, []).append(text)
    return found


def language_examples(codes: Iterable[str] | None = None, nlu_dir: Path = NLU_DIR) -> Iterator[tuple[str, str]]:
    """(language, example text) for these languages' examples; every language folder's when codes is None."""
    folders = (
        [nlu_dir / code for code in codes] if codes is not None else sorted(p for p in nlu_dir.iterdir() if p.is_dir())
    )
    for folder in folders:
        for path in sorted(folder.glob("*.yml")):
            for _, text in read_examples(path):
                yield folder.name, text
