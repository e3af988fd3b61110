"""The issues' targets (#7, and #12's on the realistic mix), judged from a results dict: each with what was
measured, met or not, and by how much. `met` is None when the run did not measure it (a quick run trains
nothing). "ours" is the realistic mix (bench/ours.py); the easy mix is reported, not judged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

TPS_FACTOR = 2.0  # turns per second with 20 conversations at once: at least 2x stock
P50_FACTOR = 0.5  # single-conversation p50 at most half the stock assistant's
PARSE_FACTOR = 3.0  # single-conversation p50 within 3x our own NLU parse time
MEMORY_FACTOR = 1.0  # resident memory of the whole deployment at most stock's
LONG_FACTOR = 1.5  # turn 300 of a conversation at most 1.5x turn 5
STARTUP_LIMIT_S = 30.0
TRAINING_LIMIT_S = 300.0
F1_MIN = 0.90
CRISIS_CAUGHT_MIN = 1.0


def _get(results: dict, *path: str) -> Any:
    value: Any = results
    for key in path:
        if not isinstance(value, dict) or value.get(key) is None:
            return None
        value = value[key]
    return value


def _row(target_id: str, target: str, value: str, met: bool | None, shortfall: str = "") -> dict:
    return {"id": target_id, "target": target, "value": value, "met": met, "shortfall": "" if met else shortfall}


def _throughput(results: dict, channel: str) -> dict:
    ours = _get(results, "ours", channel, "concurrent", "20", "turns_per_s")
    stock = _get(results, "stock", channel, "concurrent", "20", "turns_per_s")
    target = f"{channel.upper()} turns/s, 20 conversations at once: >= {TPS_FACTOR:g}x stock"
    if ours is None or not stock:
        return _row(f"tps20_{channel}", target, "not measured", None)
    ratio = ours / stock
    return _row(
        f"tps20_{channel}",
        target,
        f"{ours:.1f} vs {stock:.1f} ({ratio:.2f}x)",
        ratio >= TPS_FACTOR,
        f"{TPS_FACTOR - ratio:.2f}x short ({TPS_FACTOR * stock - ours:.1f} turns/s)",
    )


def _compare(
    target_id: str,
    target: str,
    value: float | None,
    limit: float | None,
    unit: str,
    describe: Callable[[float, float], str],
) -> dict:
    if value is None or limit is None:
        return _row(target_id, target, "not measured", None)
    return _row(
        target_id,
        target,
        describe(value, limit),
        value <= limit,
        f"{value - limit:.1f} {unit} over ({value / limit - 1:.0%})",
    )


def _errors_at_50(results: dict) -> dict:
    """A turn ours answered with no message counts as an error: ours must answer every message."""
    target = "50 conversations at once, REST and SMS: 0 errors"
    runs = [_get(results, "ours", channel, "concurrent", "50") for channel in ("rest", "sms")]
    if None in runs or any(run.get("errors") is None for run in runs):
        return _row("errors50", target, "not measured", None)
    errors = [run["errors"] + run.get("silent", 0) for run in runs]
    total = sum(errors)
    return _row("errors50", target, f"REST {errors[0]}, SMS {errors[1]}", total == 0, f"{total} errors")


def _long_conversation(results: dict) -> dict:
    early = _get(results, "ours", "long", "turn_5", "p50_ms")
    late = _get(results, "ours", "long", "turn_300", "p50_ms")
    return _compare(
        "long_conversation",
        f"turn 300 of a conversation: <= {LONG_FACTOR:g}x turn 5 (p50)",
        late,
        None if early is None else LONG_FACTOR * early,
        "ms",
        lambda v, limit: f"{v:.1f} ms vs {limit / LONG_FACTOR:.1f} ms ({v / (limit / LONG_FACTOR):.2f}x)",
    )


def evaluate(results: dict) -> list[dict]:
    rows = [_throughput(results, "rest"), _throughput(results, "sms"), _errors_at_50(results)]

    ours_p50 = _get(results, "ours", "rest", "sequential", "p50_ms")
    stock_p50 = _get(results, "stock", "rest", "sequential", "p50_ms")
    rows.append(
        _compare(
            "p50_vs_stock",
            f"REST p50, one conversation: <= {P50_FACTOR:g}x stock's",
            ours_p50,
            None if stock_p50 is None else P50_FACTOR * stock_p50,
            "ms",
            lambda v, limit: f"{v:.1f} ms vs {limit / P50_FACTOR:.1f} ms ({v / (limit / P50_FACTOR):.2f}x)",
        )
    )
    # The floor under those turns: the same messages parsed in process (the held-out set's if not measured).
    parse_p50 = _get(results, "ours", "parse_turns", "p50_ms") or _get(results, "ours", "parse", "p50_ms")
    rows.append(
        _compare(
            "p50_vs_parse",
            f"REST p50, one conversation: <= {PARSE_FACTOR:g}x our NLU parse p50 (same messages)",
            ours_p50,
            None if parse_p50 is None else PARSE_FACTOR * parse_p50,
            "ms",
            lambda v, limit: f"{v:.1f} ms vs {limit / PARSE_FACTOR:.1f} ms parse ({v / (limit / PARSE_FACTOR):.1f}x)",
        )
    )

    ours_memory = _get(results, "ours", "memory_mb", "total_rss_mb")
    stock_memory = _get(results, "stock", "memory_mb", "total_rss_mb")
    rows.append(
        _compare(
            "memory",
            f"resident memory, all processes: <= {MEMORY_FACTOR:g}x stock's",
            ours_memory,
            None if stock_memory is None else MEMORY_FACTOR * stock_memory,
            "MB",
            lambda v, limit: f"{v:.0f} MB vs {limit / MEMORY_FACTOR:.0f} MB ({v / (limit / MEMORY_FACTOR):.2f}x)",
        )
    )
    rows.append(_long_conversation(results))
    rows.append(
        _compare(
            "startup",
            f"start-up to first answer: < {STARTUP_LIMIT_S:g} s",
            _get(results, "ours", "startup_s", "median"),
            STARTUP_LIMIT_S,
            "s",
            lambda v, limit: f"{v:.1f} s",
        )
    )
    rows.append(
        _compare(
            "training",
            f"training from scratch: < {TRAINING_LIMIT_S / 60:g} min",
            _get(results, "ours", "training_s", "scratch"),
            TRAINING_LIMIT_S,
            "s",
            lambda v, limit: f"{v:.0f} s",
        )
    )

    change = _get(results, "catalog_change")
    target = "catalog-only change: no retraining, reply changes without a restart"
    if change is None:
        rows.append(_row("catalog_change", target, "not measured", None))
    else:
        no_retrain = change["make_would_retrain"] is False
        live = change["reply_changed_without_restart"] is True
        value = (
            f"make would retrain: {'yes' if not no_retrain else 'no'}; reply changed live: {'yes' if live else 'no'}"
        )
        rows.append(_row("catalog_change", target, value, no_retrain and live, "see value"))

    quality = _get(results, "quality") or {}
    f1 = {code: r["intent_f1"] for code, r in quality.items()}
    below = {code: value for code, value in f1.items() if value < F1_MIN}
    if f1:
        lowest = min(f1, key=f1.get)
        rows.append(
            _row(
                "intent_f1",
                f"held-out intent F1 >= {F1_MIN:.2f} in every language",
                f"lowest {lowest} {f1[lowest]:.3f}",
                not below,
                ", ".join(f"{code} {value:.3f} ({F1_MIN - value:.3f} short)" for code, value in below.items()),
            )
        )
    else:
        rows.append(_row("intent_f1", f"held-out intent F1 >= {F1_MIN:.2f} in every language", "not measured", None))
    caught = {code: r["crisis_caught"] for code, r in quality.items() if r.get("crisis_caught") is not None}
    missed = {code: value for code, value in caught.items() if value < CRISIS_CAUGHT_MIN}
    if caught:
        lowest = min(caught, key=caught.get)
        rows.append(
            _row(
                "crisis_recall",
                "every held-out crisis caught (answered with 911 or 988), every language",
                f"lowest {lowest} {caught[lowest]:.0%}",
                not missed,
                ", ".join(f"{code} {value:.0%}" for code, value in missed.items()),
            )
        )
    else:
        rows.append(_row("crisis_recall", "every held-out crisis caught, every language", "not measured", None))
    return rows
