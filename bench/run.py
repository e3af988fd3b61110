"""The order of a benchmark run (`make bench`, or `python -m bench [--quick]`).

1. the stock project (`rasa init`, which trains it from scratch, timed);
2. full runs only: training times, alternating ours and stock, on temporary copies;
3. NLU quality and parse time (bench/nlu.py, a process of its own, before any server runs);
4. start-up to the first answer, alternating assistants (only one starts at a time);
5. load: warm-up, then rounds alternating which assistant goes first; in each round, per channel, one
   conversation, then 20 and then 50 at once; ours twice, with the realistic mix (the headline) and the easy
   mix of earlier runs (a second, labelled row);
6. long conversations: one conversation of LONG_TURNS turns each, alternating, turn 5 against turn 300;
7. resident memory of every process after the load;
8. the catalog-only change, against our running server;
9. the services directory at 47, 2,000 and 20,000 services (bench/directory.py: build time, search p50/p95);
10. targets, bench/results.json, the chart and the README's Performance section.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import requests

from bench import directory, load, ours, project, report, stock, targets
from bench.stats import median, summarise
from core.reloading import CHECK_EVERY_SECONDS

RESULTS = project.ROOT / "bench" / "results.json"
CHART = project.ROOT / "bench" / "results.png"
QUICK_RESULTS = project.ROOT / "build" / "bench-quick.json"
QUICK_CHART = project.ROOT / "build" / "bench-quick.png"
README = project.ROOT / "README.md"
USERS = (20, 50)
LONG_TURNS = 300
# The p50 of ten turns around each end of a long conversation: "turn 5" and "turn 300".
LONG_WINDOW = 10


@dataclass(frozen=True)
class Plan:
    mode: str
    train: bool
    startup_rounds: int
    load_rounds: int
    sequential_turns: int  # per round, one conversation at a time
    turns_per_user: int  # per round, in the runs with 20 and 50 conversations at once
    warm_up_turns: int
    nlu_rounds: int
    nlu_messages: int
    long_rounds: int  # long conversations per assistant


FULL = Plan("full", True, 3, 5, 60, 10, 30, 4, 1000, 2)
QUICK = Plan("quick", False, 1, 1, 30, 10, 20, 1, 300, 1)

_began = time.monotonic()


def say(text: str) -> None:
    print(f"[bench {time.monotonic() - _began:6.0f} s] {text}", file=sys.stderr, flush=True)


def measure_training(stock_project: stock.StockProject, work: Path, logs: Path) -> tuple[dict, dict]:
    """Ours and stock alternately: from scratch, after one NLU example, after a reply's text changes."""
    copy = project.copy_project(work / "train", with_model=False)
    say("training ours from scratch (make train in a fresh copy)")
    ours_scratch = project.make(copy, "train", logs / "train-ours.log")
    say("stock: retraining after one NLU example")
    stock_nlu = stock.retrain_after_nlu_change(stock_project, logs / "train-stock.log")
    say("ours: retraining after one Spanish NLU example (Rasa's cache in the copy)")
    project.change_nlu_data(copy)
    if not project.make_would_retrain(copy):
        raise RuntimeError("make does not see the NLU change: the Makefile's model inputs are wrong")
    ours_nlu = project.make(copy, "train", logs / "train-ours.log")
    say("stock: retraining after a reply's text changed in domain.yml")
    stock_reply = stock.retrain_after_reply_change(stock_project, logs / "train-stock.log")
    return (
        {"scratch": round(ours_scratch, 1), "nlu_change": round(ours_nlu, 1)},
        {
            "scratch": round(stock_project.init_seconds, 1) if stock_project.init_seconds else None,
            "nlu_change": round(stock_nlu, 1),
            "reply_change": {"retrain": True, "seconds": round(stock_reply, 1)},
        },
    )


def measure_nlu(stock_project: stock.StockProject, scripts: dict, plan: Plan, work: Path) -> dict:
    out, turn_messages = work / "nlu.json", work / "turn-messages.json"
    turn_messages.write_text(
        json.dumps(
            {side: sorted({text for script in scripts[side] for text in script}) for side in scripts},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(project.ROOT),
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }
    with (work / "logs" / "nlu.log").open("ab") as log:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.nlu",
                str(project.ROOT / project.MODEL),
                str(stock_project.model),
                str(turn_messages),
                str(out),
                "--rounds",
                str(plan.nlu_rounds),
                "--messages",
                str(plan.nlu_messages),
            ],
            cwd=project.ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=True,
        )
    return json.loads(out.read_text(encoding="utf-8"))


def measure_startup(assistants: dict, rounds: int) -> dict[str, list[float]]:
    """Each assistant started `rounds` times, one at a time; both are left running after the last round."""
    samples: dict[str, list[float]] = {name: [] for name in assistants}
    for round_number in range(rounds):
        order = list(assistants) if round_number % 2 == 0 else list(reversed(assistants))
        for name in order:
            samples[name].append(round(assistants[name].start(), 2))
            say(f"{name} answered {samples[name][-1]:.1f} s after start")
            if round_number < rounds - 1:
                assistants[name].stop()
    return samples


def measure_load(endpoints: dict, scripts: dict, plan: Plan) -> dict:
    """{side: {channel: {"sequential": [LoadResult], "20": [...], "50": [...]}}}, rounds interleaved (a side
    is an assistant with a mix: ours, ours_easy, stock)."""
    for side, channels in endpoints.items():
        for endpoint in channels.values():
            load.run(endpoint, scripts[side], users=1, turns_each=plan.warm_up_turns)
    results = {
        side: {channel: {"sequential": [], **{str(u): [] for u in USERS}} for channel in channels}
        for side, channels in endpoints.items()
    }
    for round_number in range(plan.load_rounds):
        order = list(endpoints) if round_number % 2 == 0 else list(reversed(endpoints))
        for side in order:
            for channel, endpoint in endpoints[side].items():
                runs = results[side][channel]
                runs["sequential"].append(load.run(endpoint, scripts[side], 1, plan.sequential_turns, round_number))
                for users in USERS:
                    runs[str(users)].append(load.run(endpoint, scripts[side], users, plan.turns_per_user, round_number))
                say(
                    f"round {round_number + 1}/{plan.load_rounds} {side} {channel}: "
                    f"p50 {summarise(runs['sequential'][-1].latencies_ms)['p50_ms']} ms, "
                    f"{runs['20'][-1].turns_per_second:.1f} turns/s with 20, "
                    f"{runs['50'][-1].turns_per_second:.1f} with 50" + describe_failures(runs)
                )
    return results


def describe_failures(runs: dict) -> str:
    """Either ", 3 errors, 40 silent" for the round just played, or ""."""
    latest = [results[-1] for results in runs.values()]
    counts = {"errors": sum(r.errors for r in latest), "silent": sum(r.silent for r in latest)}
    return "".join(f", {count} {name}" for name, count in counts.items() if count)


def measure_long(endpoints: dict, messages: dict, plan: Plan) -> dict:
    """{side: [LongResult of each long conversation]} over REST, the assistants alternating."""
    samples: dict[str, list] = {side: [] for side in messages}
    for round_number in range(plan.long_rounds):
        order = list(messages) if round_number % 2 == 0 else list(reversed(messages))
        for side in order:
            result = load.run_long(endpoints[side]["rest"], messages[side], LONG_TURNS)
            samples[side].append(result)
            say(f"long conversation {round_number + 1}/{plan.long_rounds} {side}: {describe_long(result)}")
    return samples


def summarise_long(results: list[load.LongResult]) -> dict:
    """p50 of the first and the last LONG_WINDOW turns of every long conversation, and their ratio."""
    conversations = [result.latencies_ms for result in results]

    def window(select) -> list[float]:
        return [value for latencies in conversations for value in select(latencies) if value is not None]

    early = summarise(window(lambda latencies: latencies[:LONG_WINDOW]))
    late = summarise(window(lambda latencies: latencies[-LONG_WINDOW:]))
    return {
        "turns": LONG_TURNS,
        "conversations": len(conversations),
        "errors": sum(value is None for latencies in conversations for value in latencies),
        "silent": sum(result.silent for result in results),
        "turn_5": early,
        f"turn_{LONG_TURNS}": late,
        "ratio": round(late["p50_ms"] / early["p50_ms"], 2) if early["n"] and late["n"] else None,
        "p50_by_50_turns": [
            summarise(window(lambda latencies, start=start: latencies[start : start + 50]))["p50_ms"]
            for start in range(0, LONG_TURNS, 50)
        ],
    }


def describe_long(result: load.LongResult) -> str:
    summary = summarise_long([result])
    return (
        f"turn 5 p50 {summary['turn_5']['p50_ms']} ms, turn {LONG_TURNS} p50 "
        f"{summary[f'turn_{LONG_TURNS}']['p50_ms']} ms ({summary['ratio']}x), "
        f"{summary['errors']} errors, {summary['silent']} silent"
    )


def summarise_load(runs: dict) -> dict:
    def combined(results: list) -> dict:
        latencies = [value for result in results for value in result.latencies_ms]
        return {
            **summarise(latencies),
            "errors": sum(result.errors for result in results),
            "silent": sum(result.silent for result in results),
        }

    summary = {"sequential": combined(runs["sequential"]), "concurrent": {}}
    for users in USERS:
        results = runs[str(users)]
        seconds = sum(result.seconds for result in results)
        turns = sum(len(result.latencies_ms) for result in results)
        summary["concurrent"][str(users)] = {
            **combined(results),
            "turns_per_s": round(turns / seconds, 1),
            "turns_per_s_per_round": [round(result.turns_per_second, 1) for result in results],
        }
    return summary


def ask(url: str, text: str, language: str) -> str:
    body = {"sender": "bench-" + uuid.uuid4().hex, "message": text, "metadata": {"language": language}}
    response = requests.post(url + "/webhooks/rest/webhook", json=body, timeout=60)
    response.raise_for_status()
    return "\n".join(message.get("text", "") for message in response.json())


def catalog_only_change(root: Path, url: str, logs: Path) -> dict:
    """Edit a Spanish translation in the serving copy: make must not want to retrain, and the running server
    must give the new text after `make catalogs`. Then the control: one NLU example, and make must want to."""
    before = ask(url, "hola buenas tardes", "es")
    context = project.mark_translation(root, "es", before)
    edited_at = time.monotonic()
    would_retrain = project.make_would_retrain(root)
    compile_seconds = project.make(root, "catalogs", logs / "catalogs.log")
    # The server looks at a catalog file at most once a second (core/reloading.py): ask after that second.
    time.sleep(max(0.0, edited_at + CHECK_EVERY_SECONDS + 0.1 - time.monotonic()))
    after = ask(url, "hola buenas tardes", "es")
    project.change_nlu_data(root)
    return {
        "edited": f"locales/es/LC_MESSAGES/messages.po, msgctxt {context}",
        "make_would_retrain": would_retrain,
        "compile_s": round(compile_seconds, 1),
        "reply_changed_without_restart": project.MARKER in after and project.MARKER not in before,
        "control_make_would_retrain_after_nlu_change": project.make_would_retrain(root),
    }


def rasa_version() -> str:
    from importlib.metadata import version

    return version("rasa")


SKIPPABLE = ("nlu", "directory")
NOT_MEASURED_NLU = {
    "parse": {"ours": None, "stock": None},
    "parse_turns": {"ours": None, "stock": None},
    "messages": None,
    "quality": {},
}


def run(
    plan: Plan,
    stock_dir: Path | None,
    write_readme: bool,
    settings: dict[str, str] | None = None,
    skip: tuple[str, ...] = (),
) -> dict:
    today = date.today().isoformat()
    machine = {
        "cpus": os.cpu_count(),
        "load_average_before": [round(v, 2) for v in os.getloadavg()],
        "python": platform.python_version(),
        "rasa": rasa_version(),
        "settings": settings or {},
    }
    token = "bench-" + uuid.uuid4().hex
    with tempfile.TemporaryDirectory(prefix="bench-") as temporary:
        work = Path(temporary)
        logs = work / "logs"
        logs.mkdir()
        if stock_dir and stock_dir.exists():
            stock_project = stock.reuse(stock_dir)
            say(f"stock: reusing {stock_dir}")
        else:
            say("stock: rasa init --no-prompt (makes the project and trains it from scratch)")
            stock_project = stock.build(stock_dir or work / "stock", logs / "train-stock.log")
        training = measure_training(stock_project, work, logs) if plan.train else ({}, {})
        scripts = {
            "ours": ours.realistic(),
            "ours_easy": ours.conversations(),
            "stock": stock.conversations(stock_project),
        }
        if "nlu" in skip:
            nlu = NOT_MEASURED_NLU
        else:
            say("NLU: held-out quality and parse time")
            nlu = measure_nlu(stock_project, {side: scripts[side] for side in ("ours", "stock")}, plan, work)
        serving = project.copy_project(work / "serve", with_model=True)
        assistants = {
            "ours": ours.assistant(serving, logs, token, settings),
            "stock": stock.assistant(stock_project, logs),
        }
        try:
            startup = measure_startup(assistants, plan.startup_rounds)
            ours_endpoints = {
                "rest": load.RestEndpoint(assistants["ours"].url),
                "sms": load.SignedSmsEndpoint(assistants["ours"].url, token),
            }
            endpoints = {
                "ours": ours_endpoints,
                "ours_easy": ours_endpoints,
                "stock": {
                    "rest": load.RestEndpoint(assistants["stock"].url),
                    "sms": load.StockTwilioEndpoint(assistants["stock"].url),
                },
            }
            runs = measure_load(endpoints, scripts, plan)
            long_runs = measure_long(
                endpoints, {"ours": ours.long_conversation(), "stock": stock.long_conversation(stock_project)}, plan
            )
            memory = {name: assistant.memory() for name, assistant in assistants.items()}
            say("catalog-only change against the running server")
            catalog_change = catalog_only_change(serving, assistants["ours"].url, logs)
        finally:
            for assistant in assistants.values():
                assistant.stop()
        ours_training = {
            **training[0],
            "reply_change": {"retrain": catalog_change["make_would_retrain"], "seconds": catalog_change["compile_s"]},
        }
        models = {"ours": project.ROOT / project.MODEL, "stock": stock_project.model}

        def assistant_summary(name: str) -> dict:
            """What was measured of one assistant (both are measured alike)."""
            return {
                **{channel: summarise_load(runs[name][channel]) for channel in ("rest", "sms")},
                "long": summarise_long(long_runs[name]),
                "parse": nlu["parse"][name],
                "parse_turns": nlu["parse_turns"][name],
                "startup_s": {"median": round(median(startup[name]), 1), "samples": startup[name]},
                "memory_mb": _memory(memory[name]),
                "model_mb": round(models[name].stat().st_size / 2**20, 1),
            }

        results = {
            "schema": 1,
            "date": today,
            "mode": plan.mode,
            "duration_s": round(time.monotonic() - _began),
            "machine": {**machine, "load_average_after": [round(v, 2) for v in os.getloadavg()]},
            "method": {
                "rounds": plan.load_rounds,
                "turns_per_conversation": load.TURNS_PER_CONVERSATION,
                "sequential_turns_per_round": plan.sequential_turns,
                "turns_per_conversation_at_once_per_round": plan.turns_per_user,
                "ours_messages": (
                    "the realistic mix: every conversation of the development set, tests/conversations/<lang>.yml "
                    "(en es fr pt ar so), 3 to 5 turns each"
                ),
                "ours_mix": ours.mix(),
                "ours_easy_messages": (
                    "the easy mix: tests/e2e/conversations.yml, one 10-message conversation per language"
                ),
                "long_conversation": f"{LONG_TURNS} turns over REST, one sender; turn 5 and turn {LONG_TURNS}: "
                f"the p50 of the first and the last {LONG_WINDOW}",
                "stock_messages": "the stock project's tests/test_stories.yml user messages (English)",
                "sms": stock.__doc__.split("SMS comparison. ", 1)[1].strip().replace("\n", " "),
                "nlu_parse_messages": nlu["messages"],
            },
            "ours": {**assistant_summary("ours"), "training_s": ours_training},
            "ours_easy": {channel: summarise_load(runs["ours_easy"][channel]) for channel in ("rest", "sms")},
            "stock": {
                **assistant_summary("stock"),
                "training_s": training[1]
                or ({"scratch": round(stock_project.init_seconds, 1)} if stock_project.init_seconds else {}),
            },
            "catalog_change": catalog_change,
            "quality": nlu["quality"],
        }
    say("the directory at scale: build and search at 47, 2,000 and 20,000 services (bench/directory.py)")
    if "directory" not in skip:
        results["directory"] = directory.measure()
        say(directory.table(results["directory"]))
    results["targets"] = targets.evaluate(results)
    if write_readme:
        README.write_text(
            report.rewrite_section(README.read_text(encoding="utf-8"), report.section_body(results)), encoding="utf-8"
        )
    return results


def _memory(processes: dict) -> dict:
    return {"processes": processes, "total_rss_mb": round(sum(p["rss_mb"] for p in processes.values()), 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=(
            "for development: no training, one round, fewer turns; writes build/bench-quick.* "
            "and leaves the README alone"
        ),
    )
    parser.add_argument(
        "--stock-dir",
        type=Path,
        help="keep the stock project here and reuse it next time (development; default: a temporary folder)",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="measure nothing: judge bench/results.json again and rewrite it, the chart and the README",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="serve this assistant with a setting of core/settings.py changed (before/after comparisons, e.g. "
        "ACTIONS_IN_PROCESS=false); a run with --set never rewrites the README",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=SKIPPABLE,
        help="development: leave out the NLU quality and parse time, or the directory at scale (never the README)",
    )
    parser.add_argument("--out", type=Path, help="write the results here instead (JSON; the chart beside it)")
    args = parser.parse_args(argv)
    settings = dict(item.split("=", 1) for item in args.set)
    if args.report_only:
        results = json.loads(RESULTS.read_text(encoding="utf-8"))
        results["targets"] = targets.evaluate(results)
        README.write_text(
            report.rewrite_section(README.read_text(encoding="utf-8"), report.section_body(results)), encoding="utf-8"
        )
        report.write_json(results, RESULTS)
        report.write_chart(results, CHART)
        print(report.section_body(results))
        return 0
    plan = QUICK if args.quick else FULL
    write_readme = not (args.quick or settings or args.out or args.skip)
    results = run(plan, args.stock_dir, write_readme=write_readme, settings=settings, skip=tuple(args.skip))
    results_path, chart_path = (QUICK_RESULTS, QUICK_CHART) if args.quick else (RESULTS, CHART)
    if args.out:
        results_path, chart_path = args.out, args.out.with_suffix(".png")
    report.write_json(results, results_path)
    report.write_chart(results, chart_path)
    print(report.section_body(results))
    say(f"wrote {results_path}, {chart_path}" + (" and the README's Performance section" if write_readme else ""))
    return 0
