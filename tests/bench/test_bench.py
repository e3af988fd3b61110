"""The benchmark's pure parts (bench/): percentiles, the load driver's bookkeeping, target evaluation, the
README rewrite, and that the committed results, targets and README section agree. No server is started."""

from __future__ import annotations

import asyncio
import json

import pytest

from bench import load, project, report, targets
from bench.run import summarise_load, summarise_long
from bench.stats import percentile, summarise
from core.names import LAUNCH_LANGUAGES
from core.yaml_files import read_yaml
from tests.conftest import PROJECT_ROOT


@pytest.mark.parametrize(
    "samples, q, expected",
    [
        ([1, 2, 3, 4], 50, 2.5),
        (list(range(1, 101)), 95, 95.05),
        ([5, 1, 4, 2, 3], 50, 3),  # unsorted input
        ([3, 1, 2], 0, 1),
        ([3, 1, 2], 100, 3),
        ([7.5], 95, 7.5),
    ],
)
def test_percentile_interpolates_between_ranks(samples, q, expected):
    assert percentile(samples, q) == pytest.approx(expected)


@pytest.mark.parametrize("samples, q", [([], 50), ([1, 2], 101), ([1, 2], -1)])
def test_percentile_refuses_nonsense(samples, q):
    with pytest.raises(ValueError):
        percentile(samples, q)


def test_summarise_gives_rounded_figures():
    assert summarise([10.04, 20.0, 30.0, 40.0]) == {
        "n": 4,
        "p50_ms": 25.0,
        "p95_ms": 38.5,
        "mean_ms": 25.0,
        "max_ms": 40.0,
    }


class FakeEndpoint:
    """Records every turn; the message "bfail" fails, as a 5xx would; "quiet" is answered with no message."""

    def __init__(self):
        self.turns: list[tuple[str, str]] = []
        self.senders = 0

    def new_sender(self) -> str:
        self.senders += 1
        return f"sender-{self.senders}"

    async def turn(self, session, sender: str, text: str) -> bool:
        self.turns.append((sender, text))
        if text == "bfail":
            raise load.TurnFailed("fail")
        return text != "quiet"


def test_play_gives_each_script_a_conversation_of_at_most_ten_turns_and_counts_failures():
    endpoint = FakeEndpoint()
    scripts = [[f"a{i}" for i in range(12)], ["b1", "bfail", "b3"]]
    result = asyncio.run(load.play(endpoint, scripts, users=2, turns_each=25))
    assert result.turns == 50 and len(endpoint.turns) == 50
    per_sender: dict[str, list[str]] = {}
    for sender, text in endpoint.turns:
        per_sender.setdefault(sender, []).append(text)
    # user 0 plays script 0 (cut at 10 turns) again and again; user 1 script 1, whole, each time a new sender
    assert sorted(len(texts) for texts in per_sender.values()) == [1] + [3] * 8 + [5, 10, 10]
    assert all(texts == [f"a{i}" for i in range(len(texts))] for texts in per_sender.values() if texts[0] == "a0")
    assert all(texts == ["b1", "bfail", "b3"][: len(texts)] for texts in per_sender.values() if texts[0] == "b1")
    failed = sum(text == "bfail" for _, text in endpoint.turns)
    assert failed == 8 and result.errors == failed and len(result.latencies_ms) == 50 - failed


def test_a_silent_turn_is_timed_and_counted_but_not_an_error():
    result = asyncio.run(load.play(FakeEndpoint(), [["x", "quiet", "bfail"]], users=1, turns_each=6))
    assert len(result.latencies_ms) == 4 and result.silent == 2 and result.errors == 2
    summary = summarise_load({"sequential": [result], "20": [result], "50": [result]})
    assert summary["sequential"]["silent"] == 2 and summary["concurrent"]["20"]["errors"] == 2


def test_a_long_conversation_is_one_sender_cycling_through_the_messages():
    endpoint = FakeEndpoint()
    result = asyncio.run(load.play_long(endpoint, ["x", "bfail", "quiet"], turns=7))
    assert endpoint.senders == 1 and [text for _, text in endpoint.turns] == ["x", "bfail", "quiet"] * 2 + ["x"]
    assert [value is None for value in result.latencies_ms] == [False, True, False] * 2 + [False]
    assert result.silent == 2


def test_a_long_conversation_compares_its_first_and_last_ten_turns():
    early, late = [10.0] * 10, [14.0] * 10
    summary = summarise_long(
        [load.LongResult(early + [12.0] * 280 + late), load.LongResult(early + [None] * 280 + late, silent=3)]
    )
    assert summary["turn_5"]["p50_ms"] == 10.0 and summary["turn_300"]["p50_ms"] == 14.0
    assert summary["ratio"] == 1.4 and summary["errors"] == 280 and summary["conversations"] == 2
    assert summary["silent"] == 3
    assert summary["p50_by_50_turns"][0] == 12.0 and len(summary["p50_by_50_turns"]) == 6


def test_throughput_of_several_rounds_is_all_turns_over_all_seconds():
    def result(turns: int, seconds: float) -> load.LoadResult:
        return load.LoadResult(conversations=20, latencies_ms=[10.0] * turns, seconds=seconds)

    runs = {"sequential": [result(5, 1)], "20": [result(100, 1), result(100, 3)], "50": [result(10, 1)]}
    summary = summarise_load(runs)
    assert summary["concurrent"]["20"]["turns_per_s"] == 50.0
    assert summary["concurrent"]["20"]["turns_per_s_per_round"] == [100.0, 33.3]
    assert summary["sequential"]["n"] == 5 and summary["sequential"]["errors"] == 0


def measured(**overrides) -> dict:
    """A results dict as a run writes it, with figures that meet every target."""

    def channel(p50: float, tps20: float) -> dict:
        return {
            "sequential": {"p50_ms": p50, "p95_ms": p50 * 2},
            "concurrent": {
                "20": {"turns_per_s": tps20, "p95_ms": 100, "errors": 0},
                "50": {"turns_per_s": tps20, "p95_ms": 200, "errors": 0},
            },
        }

    results = {
        "ours": {
            "rest": channel(10, 100),
            "sms": channel(11, 90),
            "parse": {"p50_ms": 8, "p95_ms": 9},
            "memory_mb": {"processes": {"rasa": {"rss_mb": 1000}, "actions": {"rss_mb": 100}}, "total_rss_mb": 1100},
            "long": {"turn_5": {"p50_ms": 10}, "turn_300": {"p50_ms": 12}},
            "startup_s": {"median": 9},
            "training_s": {"scratch": 120},
        },
        "stock": {
            "rest": channel(20, 40),
            "sms": channel(22, 30),
            "parse": {"p50_ms": 8, "p95_ms": 9},
            "memory_mb": {"processes": {"rasa": {"rss_mb": 1200}}, "total_rss_mb": 1200},
            "startup_s": {"median": 25},
        },
        "catalog_change": {"make_would_retrain": False, "reply_changed_without_restart": True},
        "quality": {
            code: {"intent_f1": 0.95, "crisis_caught": 1.0, "crisis_recall": 1.0, "crisis_missed": [], "examples": 100}
            for code in ("en", "ar")
        },
    }
    for path, value in overrides.items():
        *keys, last = path.split(".")
        node = results
        for key in keys:
            node = node[key]
        node[last] = value
    return results


def judged(results: dict) -> dict[str, dict]:
    return {row["id"]: row for row in targets.evaluate(results)}


def test_every_target_met_by_good_figures():
    rows = judged(measured())
    assert {row_id: row["met"] for row_id, row in rows.items()} == {
        "tps20_rest": True,
        "tps20_sms": True,
        "errors50": True,
        "p50_vs_stock": True,
        "p50_vs_parse": True,
        "memory": True,
        "long_conversation": True,
        "startup": True,
        "training": True,
        "catalog_change": True,
        "intent_f1": True,
        "crisis_recall": True,
    }
    assert rows["tps20_rest"]["value"] == "100.0 vs 40.0 (2.50x)"


@pytest.mark.parametrize(
    "override, target_id, shortfall",
    [
        ({"stock.rest.concurrent.20.turns_per_s": 60}, "tps20_rest", "0.33x short (20.0 turns/s)"),
        ({"ours.rest.sequential.p50_ms": 11}, "p50_vs_stock", "1.0 ms over (10%)"),
        ({"ours.sms.concurrent.50.errors": 3}, "errors50", "3 errors"),
        ({"ours.rest.concurrent.50.silent": 2}, "errors50", "2 errors"),
        ({"ours.long.turn_300.p50_ms": 18}, "long_conversation", "3.0 ms over (20%)"),
        ({"ours.parse.p50_ms": 2}, "p50_vs_parse", "4.0 ms over (67%)"),
        ({"ours.parse_turns": {"p50_ms": 3}}, "p50_vs_parse", "1.0 ms over (11%)"),
        ({"ours.memory_mb.total_rss_mb": 1320}, "memory", "120.0 MB over (10%)"),
        ({"ours.startup_s.median": 31}, "startup", "1.0 s over (3%)"),
        ({"quality.ar.intent_f1": 0.831}, "intent_f1", "ar 0.831 (0.069 short)"),
        ({"quality.en.crisis_caught": 0.95}, "crisis_recall", "en 95%"),
    ],
)
def test_a_missed_target_says_by_how_much(override, target_id, shortfall):
    rows = judged(measured(**override))
    assert rows[target_id]["met"] is False
    assert rows[target_id]["shortfall"] == shortfall
    assert sum(row["met"] is False for row in rows.values()) == 1


def test_memory_exactly_at_the_limit_is_met_and_unmeasured_is_not_judged():
    assert judged(measured(**{"ours.memory_mb.total_rss_mb": 1200}))["memory"]["met"] is True
    assert judged(measured(**{"ours.memory_mb.total_rss_mb": 1201}))["memory"]["met"] is False
    rows = judged(measured(**{"ours.training_s": {}, "catalog_change": None}))
    assert rows["training"]["met"] is None and rows["catalog_change"]["met"] is None


def test_a_catalog_change_that_needs_retraining_misses():
    assert judged(measured(**{"catalog_change.make_would_retrain": True}))["catalog_change"]["met"] is False


def test_readme_section_is_replaced_between_the_markers_only():
    readme = f"# Title\n\nintro\n\n## Performance\n\n{report.START}\nold table\n{report.END}\n\n## Privacy\n\nrest\n"
    rewritten = report.rewrite_section(readme, "new table")
    assert (
        rewritten
        == f"# Title\n\nintro\n\n## Performance\n\n{report.START}\nnew table\n{report.END}\n\n## Privacy\n\nrest\n"
    )
    assert report.rewrite_section(rewritten, "new table") == rewritten


def test_readme_without_the_section_gets_one_at_the_end():
    rewritten = report.rewrite_section("# Title\n\ntext\n", "figures")
    assert rewritten == f"# Title\n\ntext\n\n## Performance\n\n{report.START}\nfigures\n{report.END}\n"
    with pytest.raises(ValueError):
        report.rewrite_section(f"# Title\n{report.START}\n", "figures")


def test_append_example_adds_one_line_under_the_last_intent(tmp_path):
    path = tmp_path / "nlu.yml"
    path.write_text(
        'version: "3.1"\nnlu:\n  - intent: a\n    examples: |\n      - one\n'
        "  - intent: b\n    examples: |\n      - two\n"
    )
    project.append_example(path, "three")
    intents = {item["intent"]: item["examples"].split() for item in read_yaml(path)["nlu"]}
    assert intents == {"a": ["-", "one"], "b": ["-", "two", "-", "three"]}


RESULTS_PATH = PROJECT_ROOT / "bench" / "results.json"


@pytest.mark.skipif(not RESULTS_PATH.exists(), reason="no benchmark run committed yet")
def test_committed_results_agree_with_their_targets_and_the_readme():
    results = json.loads(RESULTS_PATH.read_text(encoding="utf-8"))
    assert results["schema"] == 1 and results["mode"] == "full"
    for side in ("ours", "stock"):
        for channel in ("rest", "sms"):
            assert set(results[side][channel]["concurrent"]) == {"20", "50"}
        assert {"parse", "startup_s", "memory_mb", "model_mb", "training_s"} <= set(results[side])
    assert set(results["quality"]) == set(LAUNCH_LANGUAGES)
    assert results["targets"] == targets.evaluate(results)
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert report.section_body(results) in readme, "README's Performance section is not the committed run's"


def test_the_synthetic_directory_passes_every_check_and_hides_its_unconfirmed_rows(tmp_path):
    import sqlite_utils

    from bench import directory
    from core.directory.build import build
    from core.directory.search import find_services
    from core.places import COUNTIES

    directory.generate(tmp_path / "d", 400)
    counts = build(sqlite_utils.Database(tmp_path / "d.db"), tmp_path / "d")
    assert counts["service"] == 400 and counts["phone"] >= 400 and counts["schedule"] == 400
    db = sqlite_utils.Database(tmp_path / "d.db")
    assert {row["county"] for row in db.query("select distinct county from location")} == set(COUNTIES)
    hidden = {row["id"] for row in db.query("select id from service where fact_status = 'unconfirmed'")}
    assert hidden
    for county in COUNTIES:
        found = find_services(db, "legal_help", county, "es", limit=50)
        assert found and not hidden & {service.id for service in found}
    result = directory.measure_one(tmp_path / "d", tmp_path / "again.db", queries=20)
    assert result["services"] == 400 and 0 < result["search_p50_ms"] <= result["search_p95_ms"]
    assert "| 400 |" in directory.table([{"synthetic": True, **result}])


def test_the_readme_section_shows_the_directory_table_when_measured():
    row = {
        "synthetic": True,
        "services": 20000,
        "rows": 194386,
        "build_s": 12.5,
        "search_p50_ms": 1.2,
        "search_p95_ms": 3.4,
    }
    assert "| 20,000 | 194,386 | 12.50 | 1.20 / 3.40 |" in report.directory_table({"directory": [row]})
    assert report.directory_table({}) == ""
