"""What a run prints and writes: the side-by-side table, the targets, bench/results.json, the chart, and the
README's "Performance" section (rewritten between START and END)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

START = "<!-- bench:start (written by `make bench`; edits between these lines are overwritten) -->"
END = "<!-- bench:end -->"
SECTION_HEADING = "## Performance"


def _get(results: dict, *path: str) -> Any:
    for key in path:
        if not isinstance(results, dict) or results.get(key) is None:
            return None
        results = results[key]
    return results


def _number(value: float | None, spec: str = ".1f", unit: str = "") -> str:
    return "–" if value is None else f"{value:{spec}}{unit}"


def _latency(results: dict, side: str, channel: str) -> str:
    summary = _get(results, side, channel, "sequential")
    if summary is None:
        return "–"
    return f"{summary['p50_ms']:.1f} / {summary['p95_ms']:.1f}"


def _failures(summary: dict) -> str:
    """Either ", 3 errors, 12 silent" or "": failed requests, and turns answered with no message."""
    return "".join(f", {summary[key]} {key}" for key in ("errors", "silent") if summary.get(key))


def _throughput(results: dict, side: str, channel: str, users: str) -> str:
    load = _get(results, side, channel, "concurrent", users)
    if load is None:
        return "–"
    return f"{load['turns_per_s']:.1f} (p95 {load['p95_ms']:.0f} ms{_failures(load)})"


def _memory(results: dict, side: str) -> str:
    memory = _get(results, side, "memory_mb")
    if memory is None:
        return "–"
    parts = " + ".join(f"{name} {values['rss_mb']:.0f}" for name, values in memory["processes"].items())
    return f"{memory['total_rss_mb']:.0f} ({parts})"


def _parse(results: dict, side: str, key: str) -> str:
    summary = _get(results, side, key)
    return "–" if summary is None else f"{summary['p50_ms']:.1f} / {summary['p95_ms']:.1f}"


def _reply_change(results: dict, side: str) -> str:
    change = _get(results, side, "training_s", "reply_change")
    if change is None:
        return "–"
    if change["retrain"]:
        return f"retrain {change['seconds']:.0f} s, then a restart"
    return f"no training, no restart (`make catalogs` {change['seconds']:.1f} s)"


def _long(results: dict, side: str) -> str:
    long = _get(results, side, "long")
    if long is None:
        return "–"
    late = long.get(f"turn_{long['turns']}", {})
    return f"{long['turn_5']['p50_ms']:.1f} / {late.get('p50_ms', 0):.1f} ({long['ratio']}x{_failures(long)})"


def _easy(results: dict, channel: str) -> str:
    """The easy mix's figures, ours only (the stock assistant has one mix)."""
    summary = _get(results, "ours_easy", channel)
    if summary is None:
        return "–"
    sequential, at_20 = summary["sequential"], summary["concurrent"]["20"]
    return f"p50 {sequential['p50_ms']:.1f} ms; {at_20['turns_per_s']:.1f} turns/s with 20"


def _mix(results: dict) -> str:
    mix = _get(results, "method", "ours_mix")
    if not mix:
        return (
            "This run predates the realistic mix (issue #12) and the understanding work (#18, DIET then): its "
            "figures for this assistant are the easy mix's (tests/e2e/conversations.yml, mostly fixed replies), "
            "judged against the new targets only for the record. The realistic mix's figures, before and after "
            "#12, are in docs/performance.md (quick runs on a shared machine)."
        )
    total = sum(mix.values())
    shares = ", ".join(f"{kind} {count / total:.0%}" for kind, count in mix.items())
    return (
        "Ours: the realistic mix, the development set's conversations in all six languages "
        f"(tests/conversations, {total} turns: {shares}). Stock: its own test stories. The easy mix "
        "(tests/e2e/conversations.yml, mostly fixed replies) was the headline before issue #12: a second row."
    )


def comparison_rows(results: dict) -> list[tuple[str, str, str]]:
    rows = [
        (
            "REST p50 / p95, one conversation (ms)",
            _latency(results, "ours", "rest"),
            _latency(results, "stock", "rest"),
        ),
    ]
    for users in ("20", "50"):
        rows.append(
            (
                f"REST turns/s, {users} conversations at once",
                _throughput(results, "ours", "rest", users),
                _throughput(results, "stock", "rest", users),
            )
        )
    rows.append(
        ("SMS p50 / p95, one conversation (ms)", _latency(results, "ours", "sms"), _latency(results, "stock", "sms"))
    )
    for users in ("20", "50"):
        rows.append(
            (
                f"SMS turns/s, {users} conversations at once",
                _throughput(results, "ours", "sms", users),
                _throughput(results, "stock", "sms", users),
            )
        )
    rows += [
        ("easy mix, REST (second row, not judged)", _easy(results, "rest"), "–"),
        ("easy mix, SMS (second row, not judged)", _easy(results, "sms"), "–"),
        (
            "one long conversation, p50 at turn 5 / turn 300 (ms)",
            _long(results, "ours"),
            _long(results, "stock"),
        ),
        (
            "NLU parse in process, p50 / p95 (ms): the turns' messages",
            *(_parse(results, side, "parse_turns") for side in ("ours", "stock")),
        ),
        (
            "the same, held-out messages of all six languages",
            *(_parse(results, side, "parse") for side in ("ours", "stock")),
        ),
        (
            "start-up to first answer (s)",
            *(_number(_get(results, side, "startup_s", "median")) for side in ("ours", "stock")),
        ),
        ("resident memory after the load (MB)", _memory(results, "ours"), _memory(results, "stock")),
        ("model size (MB)", *(_number(_get(results, side, "model_mb")) for side in ("ours", "stock"))),
        (
            "training from scratch (s)",
            *(_number(_get(results, side, "training_s", "scratch"), ".0f") for side in ("ours", "stock")),
        ),
        (
            "training after one NLU example is added (s)",
            *(_number(_get(results, side, "training_s", "nlu_change"), ".0f") for side in ("ours", "stock")),
        ),
        ("a reply's text changed", _reply_change(results, "ours"), _reply_change(results, "stock")),
    ]
    return rows


def markdown_table(header: list[str], rows: list[tuple[str, ...]], align: str = "") -> str:
    align = align or "-" * len(header)
    rule = ["---:" if kind == "r" else "---" for kind in align]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def quality_table(results: dict) -> str:
    quality = results.get("quality") or {}
    if not quality:
        return ""
    codes = list(quality)
    rows = [
        ("intent F1", *(f"{quality[c]['intent_f1']:.3f}" for c in codes)),
        (
            "crisis caught (911 or 988)",
            *("–" if quality[c]["crisis_caught"] is None else f"{quality[c]['crisis_caught']:.0%}" for c in codes),
        ),
        (
            "crisis, the exact intent",
            *("–" if quality[c]["crisis_recall"] is None else f"{quality[c]['crisis_recall']:.0%}" for c in codes),
        ),
        ("held-out examples", *(str(quality[c]["examples"]) for c in codes)),
    ]
    return markdown_table(["held-out NLU (tests/nlu)", *codes], rows, "l" + "r" * len(codes))


def targets_table(results: dict) -> str:
    mark = {True: "met", False: "**missed**", None: "not measured"}
    rows = [
        (
            t["target"],
            t["value"],
            mark[t["met"]] + (f": {t['shortfall']}" if t["met"] is False and t["shortfall"] else ""),
        )
        for t in results.get("targets", [])
    ]
    mix = "the realistic mix" if _get(results, "method", "ours_mix") else "the EASY mix: this run predates #12's mix"
    return markdown_table([f"target (issues #7 and #12; {mix})", "measured", ""], rows)


def directory_table(results: dict) -> str:
    """The services directory at scale (bench/directory.py), when the run measured it."""
    if not results.get("directory"):
        return ""
    from bench.directory import table

    return "The services directory at scale (synthetic HSDS 3.0 directories, `make bench-directory`):\n\n" + table(
        results["directory"]
    )


def section_body(results: dict) -> str:
    before, after = results["machine"].get("load_average_before"), results["machine"].get("load_average_after")
    load_note = (
        f", load average {before[0]:.2f} before it started and {after[0]:.2f} after (other work shares these cores)"
        if before and after
        else ""
    )
    return "\n\n".join(
        filter(
            None,
            [
                f"Last `make bench`: {results['date']}, a {results['mode']} run of "
                f"{results['duration_s'] / 60:.0f} minutes on "
                f"{results['machine']['cpus']} cores{load_note}, this assistant beside the stock one `rasa init` makes "
                f"(Rasa {results['machine']['rasa']}), measured in alternating rounds. How it measures, and what the "
                "profile showed: `docs/performance.md`; every figure: `bench/results.json`; "
                "chart: `bench/results.png`.",
                _mix(results),
                '"errors": requests that failed (a 5xx, a refused connection, a timeout). "silent": turns answered '
                'with 200 and no message (the stock assistant says nothing to a bare "no" with no question before '
                "it); they are timed and counted in turns per second like any other turn.",
                markdown_table(["", "this assistant", "stock `rasa init`"], comparison_rows(results)),
                targets_table(results),
                quality_table(results),
                directory_table(results),
            ],
        )
    )


def rewrite_section(readme: str, body: str) -> str:
    """The README with the text between START and END replaced by body; without the markers, a new
    Performance section is added at the end."""
    block = f"{START}\n{body.strip()}\n{END}"
    if START in readme and END in readme:
        before, rest = readme.split(START, 1)
        _, after = rest.split(END, 1)
        return before + block + after
    if START in readme or END in readme:
        raise ValueError("the README has only one of the Performance section's markers")
    return readme.rstrip("\n") + f"\n\n{SECTION_HEADING}\n\n{block}\n"


def write_json(results: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_chart(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sides = (("ours", "this assistant", "#2b7bb9"), ("stock", "stock rasa init", "#bbbbbb"))
    figure, axes = plt.subplots(2, 3, figsize=(15, 8.5))
    figure.suptitle(f"make bench, {results['date']} ({results['mode']} run, {results['machine']['cpus']} cores)")

    def bars(axis, labels, values_by_side, title, unit):
        width = 0.38
        for offset, (side, name, colour) in enumerate(sides):
            values = [v if v is not None else 0 for v in values_by_side[side]]
            positions = [i + (offset - 0.5) * width for i in range(len(labels))]
            axis.bar(positions, values, width, label=name, color=colour)
        axis.set_xticks(range(len(labels)))
        axis.set_xticklabels(labels, fontsize=8)
        axis.set_title(title, fontsize=10)
        axis.set_ylabel(unit)

    seq = lambda side, channel, key: _get(results, side, channel, "sequential", key)  # noqa: E731
    bars(
        axes[0][0],
        ["REST p50", "REST p95", "SMS p50", "SMS p95", "NLU parse p50"],
        {
            side: [
                seq(side, "rest", "p50_ms"),
                seq(side, "rest", "p95_ms"),
                seq(side, "sms", "p50_ms"),
                seq(side, "sms", "p95_ms"),
                _get(results, side, "parse", "p50_ms"),
            ]
            for side, _, _ in sides
        },
        "latency, one conversation (lower is better)",
        "ms",
    )
    tps = lambda side, channel, users: _get(results, side, channel, "concurrent", users, "turns_per_s")  # noqa: E731
    bars(
        axes[0][1],
        ["REST 20", "REST 50", "SMS 20", "SMS 50"],
        {
            side: [tps(side, "rest", "20"), tps(side, "rest", "50"), tps(side, "sms", "20"), tps(side, "sms", "50")]
            for side, _, _ in sides
        },
        "turns per second, conversations at once (higher is better)",
        "turns/s",
    )
    bars(
        axes[0][2],
        ["resident memory"],
        {side: [_get(results, side, "memory_mb", "total_rss_mb")] for side, _, _ in sides},
        "memory, all processes (lower is better)",
        "MB",
    )
    bars(
        axes[1][0],
        ["start-up", "train: scratch", "train: NLU change"],
        {
            side: [
                _get(results, side, "startup_s", "median"),
                _get(results, side, "training_s", "scratch"),
                _get(results, side, "training_s", "nlu_change"),
            ]
            for side, _, _ in sides
        },
        "start-up and training (lower is better)",
        "s",
    )
    quality = results.get("quality") or {}
    codes = list(quality)
    for axis, key, title, line in (
        (axes[1][1], "intent_f1", "held-out intent F1 (target 0.90)", 0.90),
        (axes[1][2], "crisis_caught", "held-out crises caught (target 100%)", 1.0),
    ):
        axis.bar(codes, [quality[c][key] or 0 for c in codes], color=sides[0][2])
        axis.axhline(line, color="#d62728", linestyle="--", linewidth=1)
        axis.set_ylim(0.5, 1.02)
        axis.set_title(title, fontsize=10)
    axes[0][0].legend(fontsize=8)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=80)
    plt.close(figure)
