"""Per-language cross-validation: one NLU model for all languages versus one model per language, or (--compare)
the classifier of config.yml against the pipelines in tools/cv_configs/.

For each fold, the joint model trains on every language's training part; each per-language model trains on
its own language's part; both are scored on the same held-back part of each language (weighted intent F1).
With --compare, each pipeline trains one joint model per fold on the same parts. Writes
docs/nlu-cross-validation.json (or docs/nlu-classifier-comparison.json) and prints a table. Slow (many
trainings): `make cv`, not `make test`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
logging.disable(logging.WARNING)

from rasa.core.agent import Agent  # noqa: E402
from rasa.model_training import train_nlu  # noqa: E402
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter  # noqa: E402
from rasa.shared.nlu.training_data.loading import load_data  # noqa: E402
from rasa.shared.nlu.training_data.training_data import TrainingData  # noqa: E402
from rasa.utils.log_utils import configure_structlog  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402

from bot.i18n.languages import registered_codes  # noqa: E402
from bot.nlu.intent_classifier import for_option_finder  # noqa: E402
from core.paths import DOMAIN_DIR, NLU_DIR, PROJECT_ROOT  # noqa: E402

OUTPUT = PROJECT_ROOT / "docs" / "nlu-cross-validation.json"
COMPARISON = PROJECT_ROOT / "docs" / "nlu-classifier-comparison.json"
PIPELINES = {
    "config.yml (linear, encoder + n-grams)": PROJECT_ROOT / "config.yml",
    "DIET, encoder + n-grams": PROJECT_ROOT / "tools" / "cv_configs" / "diet_dense.yml",
    "DIET, n-grams only (before)": PROJECT_ROOT / "tools" / "cv_configs" / "diet_sparse.yml",
}


def examples(language: str) -> list[tuple[str, str]]:
    """The intent examples: those labelled with one legal option teach the option finder, not the intents."""
    data = load_data(str(NLU_DIR / language))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples if not for_option_finder(m)]


def train(pairs: list[tuple[str, str]], workdir: Path, name: str, config: Path = PROJECT_ROOT / "config.yml") -> Agent:
    from rasa.shared.nlu.training_data.message import Message

    data = TrainingData([Message(data={"text": text, "intent": intent}) for text, intent in pairs])
    nlu_file = workdir / f"{name}.yml"
    nlu_file.write_text(RasaYAMLWriter().dumps(data), encoding="utf-8")
    model = train_nlu(str(config), str(nlu_file), str(workdir), fixed_model_name=name, domain=str(DOMAIN_DIR))
    return Agent.load(model)


def predict(agent: Agent, texts: list[str]) -> list[str]:
    async def run() -> list[str]:
        return [(await agent.parse_message(text))["intent"]["name"] for text in texts]

    return asyncio.run(run())


def compare(folds: int, codes: list[str], data: dict, splits: dict, only: str | None = None) -> int:
    """Each pipeline of PIPELINES (or those whose name holds `only`), one joint model per fold, scored per
    language on the same held-back parts."""
    pipelines = {name: config for name, config in PIPELINES.items() if not only or only in name}
    scores: dict[str, dict[str, list[float]]] = {name: {code: [] for code in codes} for name in pipelines}
    minutes: dict[str, float] = {name: 0.0 for name in pipelines}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for fold in range(folds):
            train_parts = [data[c][i] for c in codes for i in splits[c][fold][0]]
            for number, (name, config) in enumerate(pipelines.items()):
                started = time.monotonic()
                agent = train(train_parts, workdir, f"p{number}f{fold}", config)
                minutes[name] += (time.monotonic() - started) / 60
                for code in codes:
                    texts, gold = zip(*[data[code][i] for i in splits[code][fold][1]], strict=True)
                    scores[name][code].append(f1_score(gold, predict(agent, list(texts)), average="weighted"))
                print(
                    f"fold {fold + 1}/{folds} {name}: " + " ".join(f"{c} {scores[name][c][-1]:.3f}" for c in codes),
                    flush=True,
                )
    summary = {name: {code: round(statistics.mean(v), 4) for code, v in by.items()} for name, by in scores.items()}
    per_fold = {name: round(m / folds, 1) for name, m in minutes.items()}
    result = {
        "folds": folds,
        "examples": {code: len(pairs) for code, pairs in data.items()},
        "weighted_intent_f1": summary,
        "training_minutes_per_fold": per_fold,
        "date": time.strftime("%Y-%m-%d"),
    }
    COMPARISON.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\n{'pipeline':40}" + "".join(f"{c:>7}" for c in codes) + f"{'min/fold':>10}")
    for name, by in summary.items():
        print(f"{name:40}" + "".join(f"{by[c]:7.3f}" for c in codes) + f"{per_fold[name]:10.1f}")
    print(f"written to {COMPARISON.relative_to(PROJECT_ROOT)}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--compare", action="store_true", help="compare the classifier pipelines (tools/cv_configs)")
    parser.add_argument("--only", help='with --compare: only the pipelines whose name holds this ("DIET")')
    args = parser.parse_args()
    configure_structlog(logging.WARNING)
    codes = list(registered_codes())
    data = {code: examples(code) for code in codes}
    splits = {
        code: list(StratifiedKFold(args.folds, shuffle=True, random_state=7).split(pairs, [i for _, i in pairs]))
        for code, pairs in data.items()
    }
    if args.compare:
        return compare(args.folds, codes, data, splits, args.only)
    scores: dict[str, dict[str, list[float]]] = {code: {"joint": [], "per_language": []} for code in codes}
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for fold in range(args.folds):
            train_parts = {c: [data[c][i] for i in splits[c][fold][0]] for c in codes}
            test_parts = {c: [data[c][i] for i in splits[c][fold][1]] for c in codes}
            joint = train([pair for c in codes for pair in train_parts[c]], workdir, f"joint{fold}")
            for code in codes:
                texts, gold = zip(*test_parts[code], strict=True)
                scores[code]["joint"].append(f1_score(gold, predict(joint, list(texts)), average="weighted"))
                own = train(train_parts[code], workdir, f"{code}{fold}")
                scores[code]["per_language"].append(f1_score(gold, predict(own, list(texts)), average="weighted"))
                print(
                    f"fold {fold + 1}/{args.folds} {code}: joint {scores[code]['joint'][-1]:.3f} "
                    f"per-language {scores[code]['per_language'][-1]:.3f}",
                    flush=True,
                )
    summary = {
        code: {kind: round(statistics.mean(values), 4) for kind, values in kinds.items()}
        for code, kinds in scores.items()
    }
    result = {
        "folds": args.folds,
        "examples": {code: len(pairs) for code, pairs in data.items()},
        "weighted_intent_f1": summary,
        "minutes": round((time.monotonic() - started) / 60, 1),
        "date": time.strftime("%Y-%m-%d"),
    }
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\n{'language':10} {'examples':>8} {'joint F1':>9} {'own-model F1':>13}")
    for code in codes:
        print(f"{code:10} {len(data[code]):8} {summary[code]['joint']:9.3f} {summary[code]['per_language']:13.3f}")
    print(f"written to {OUTPUT.relative_to(PROJECT_ROOT)} ({result['minutes']} min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
