"""The blind check sets of first messages, parsed in process: the fresh set (tests/fresh/<lang>.yml, README
there), a second one written later by another helper under the same rules (tests/blind/<lang>.yml), and a
third on whether a message is a crisis right now (tests/blind3/<lang>.yml), a fourth on what a message asks
when it tells a story first or mixes topics (tests/blind4/<lang>.yml), a fifth to the fourth's brief,
written after the fourth's failures were fixed (tests/blind5/<lang>.yml), and a sixth that mixes the third's
and the fourth's briefs, written after one failure per language of the fifth had been seen
(tests/blind6/<lang>.yml). Each was written without reading the training data; the later ones also without
anyone having read their failures before they were first measured, so the latest is the fairest measure.

Per language: the share given an intent a careful advocate accepts; crises (danger or self-harm) that got
911 or 988; self-harm that got 988; other messages taken for a crisis; and the answer language.
Usage: python -m tools.fresh [MODEL] [--json PATH] (every set)
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

from core.yaml_files import read_yaml

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
logging.disable(logging.WARNING)

from rasa.core.agent import Agent  # noqa: E402

from bot.i18n.languages import registered_codes  # noqa: E402
from core.names import CRISIS_INTENTS, LANGUAGE, request_understood  # noqa: E402
from core.paths import PROJECT_ROOT  # noqa: E402

FRESH_DIR = PROJECT_ROOT / "tests" / "fresh"
BLIND_DIR = PROJECT_ROOT / "tests" / "blind"
CRISIS_BLIND_DIR = PROJECT_ROOT / "tests" / "blind3"
ASKED_BLIND_DIR = PROJECT_ROOT / "tests" / "blind4"
ASKED_AGAIN_DIR = PROJECT_ROOT / "tests" / "blind5"
SIXTH_DIR = PROJECT_ROOT / "tests" / "blind6"
# The name each set has in docs/evaluation.json and in the printed tables.
BLIND_SETS = {
    "fresh": FRESH_DIR,
    "blind": BLIND_DIR,
    "blind3": CRISIS_BLIND_DIR,
    "blind4": ASKED_BLIND_DIR,
    "blind5": ASKED_AGAIN_DIR,
    "blind6": SIXTH_DIR,
}
TITLES = {
    "fresh": "Fresh blind set (tests/fresh): first messages, parsed in process",
    "blind": "Second blind set (tests/blind): first messages, parsed in process",
    "blind3": "Third blind set, a crisis right now or not (tests/blind3): first messages, parsed in process",
    "blind4": "Fourth blind set, what is asked after a story (tests/blind4): first messages, parsed in process",
    "blind5": "Fifth blind set, the fourth's brief again (tests/blind5): first messages, parsed in process",
    "blind6": "Sixth blind set, what is asked and is it a crisis now (tests/blind6): first messages, parsed in process",
}
CHOICES = {"choose_language", "change_language"}  # the answer language of these is the one named


def fresh(language: str, folder: Path = FRESH_DIR) -> list[tuple[str, set[str]]]:
    path = folder / f"{language}.yml"
    if not path.exists():
        return []
    items = read_yaml(path) or []
    return [(str(i["text"]), set(i["intent"] if isinstance(i["intent"], list) else [i["intent"]])) for i in items]


def share(right: int, total: int) -> float | None:
    return round(right / total, 4) if total else None


async def evaluate(agent: Agent, folder: Path = FRESH_DIR) -> dict[str, Any]:
    results = {}
    for code in registered_codes():
        items = fresh(code, folder)
        if not items:
            continue
        right = crises = caught = harm = harm_988 = others = false_crisis = in_language = checked_language = 0
        failures = []
        for text, accepted in items:
            parsed = await agent.parse_message(text)
            intent = request_understood(parsed["intent"]["name"])
            entities = {e["entity"]: e["value"] for e in parsed["entities"]}
            right += intent in accepted
            if intent not in accepted:
                failures.append({"text": text, "accepted": sorted(accepted), "intent": intent})
            if accepted & set(CRISIS_INTENTS):
                crises += 1
                caught += intent in CRISIS_INTENTS
            else:
                others += 1
                false_crisis += intent in CRISIS_INTENTS
            if accepted == {"self_harm"}:
                harm += 1
                harm_988 += intent == "self_harm"
            if not accepted & CHOICES:
                checked_language += 1
                in_language += entities.get(LANGUAGE, "en") == code  # no language entity: English, the default
        results[code] = {
            "messages": len(items),
            "right": share(right, len(items)),
            "crisis_caught": f"{caught}/{crises}",
            "self_harm_988": f"{harm_988}/{harm}",
            "false_crisis": f"{false_crisis}/{others}",
            "language": share(in_language, checked_language),
            "failures": failures,
        }
    return results


async def evaluate_all(agent: Agent) -> dict[str, dict[str, Any]]:
    """Every blind set's results by set name; a set with no files yet is left out."""
    found = {name: await evaluate(agent, folder) for name, folder in BLIND_SETS.items()}
    return {name: results for name, results in found.items() if results}


def print_fresh(results: dict[str, Any], title: str = TITLES["fresh"]) -> None:
    print(f"\n{title}")
    print(f"{'':16}" + "".join(f"{code:>8}" for code in results))
    for label, key in (("right", "right"), ("reply language", "language")):
        print(f"{label:16}" + "".join(f"{r[key]:>8.0%}" for r in results.values()))
    counts = (("crisis caught", "crisis_caught"), ("988 given", "self_harm_988"), ("false crisis", "false_crisis"))
    for label, key in counts:
        print(f"{label:16}" + "".join(f"{r[key]:>8}" for r in results.values()))


def print_all(results: dict[str, dict[str, Any]]) -> None:
    for name, by_language in results.items():
        print_fresh(by_language, TITLES[name])


if __name__ == "__main__":
    from tools.heldout import run_cli

    sys.exit(run_cli(__doc__ or "", evaluate_all, print_all))
