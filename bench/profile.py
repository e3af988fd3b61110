"""Where a turn's time goes: py-spy samples a running assistant's Rasa process while the benchmark's client
drives it. Usage: python -m bench.profile [--side ours|stock] [--mix realistic|easy] [--channel rest|sms]
[--users 1] [--seconds 20] [--set NAME=VALUE ...] (ours: the realistic mix by default; --set serves it with a
setting changed, e.g. ACTIONS_IN_PROCESS=false, to profile before and after a change).

Writes build/profile-<side>-<mix>-<channel>-<users>.svg (flame graph) and .txt (collapsed stacks), and prints the
functions holding the most samples, inclusive, among those under the event loop.
"""

from __future__ import annotations

import argparse
import collections
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from bench import load, ours, project, stock

BUILD = project.ROOT / "build"


def inclusive_shares(collapsed: Path, top: int = 40) -> list[tuple[float, str]]:
    """Share of samples in which each function appears (once per sample), from py-spy's raw format."""
    counts: collections.Counter[str] = collections.Counter()
    total = 0
    for line in collapsed.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        total += int(count)
        for frame in set(stack.split(";")):
            counts[frame] += int(count)
    return [(count / total, frame) for frame, count in counts.most_common(top)] if total else []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--side", choices=("ours", "stock"), default="ours")
    parser.add_argument("--channel", choices=("rest", "sms"), default="rest")
    parser.add_argument("--users", type=int, default=1)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--stock-dir", type=Path, default=BUILD / "bench-stock")
    parser.add_argument("--mix", choices=("realistic", "easy"), default="realistic")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--name", help="the output files' name (default from the options)")
    args = parser.parse_args()
    token = "bench-" + uuid.uuid4().hex
    settings = dict(item.split("=", 1) for item in args.set)
    mix = args.mix if args.side == "ours" else "own"
    name = args.name or f"profile-{args.side}-{mix}-{args.channel}-{args.users}"
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as temporary:
        work = Path(temporary)
        if args.side == "ours":
            copy = project.copy_project(work / "serve", with_model=True)
            assistant = ours.assistant(copy, work, token, settings)
            script = ours.realistic() if args.mix == "realistic" else ours.conversations()
        else:
            stock_project = (
                stock.reuse(args.stock_dir)
                if args.stock_dir.exists()
                else stock.build(args.stock_dir, work / "init.log")
            )
            assistant = stock.assistant(stock_project, work)
            script = stock.conversations(stock_project)
        endpoint = {
            ("ours", "rest"): lambda: load.RestEndpoint(assistant.url),
            ("ours", "sms"): lambda: load.SignedSmsEndpoint(assistant.url, token),
            ("stock", "rest"): lambda: load.RestEndpoint(assistant.url),
            ("stock", "sms"): lambda: load.StockTwilioEndpoint(assistant.url),
        }[(args.side, args.channel)]()
        assistant.start()
        try:
            load.run(endpoint, script, 1, 30)
            pid = next(p.popen.pid for p in assistant.processes if p.name == "rasa")
            BUILD.mkdir(exist_ok=True)
            stop = threading.Event()
            turns = [0]

            def drive() -> None:
                while not stop.is_set():
                    turns[0] += load.run(endpoint, script, args.users, 10).turns

            driver = threading.Thread(target=drive)
            driver.start()
            time.sleep(1)
            for fmt, suffix in (("raw", "txt"), ("flamegraph", "svg")):
                subprocess.run(
                    [
                        "py-spy",
                        "record",
                        "--pid",
                        str(pid),
                        "--duration",
                        str(args.seconds // 2),
                        "--rate",
                        "200",
                        "--format",
                        fmt,
                        "--output",
                        str(BUILD / f"{name}.{suffix}"),
                    ],
                    check=True,
                    capture_output=True,
                    env={"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin"},
                )
            stop.set()
            driver.join()
        finally:
            assistant.stop()
    print(f"{turns[0]} turns driven; build/{name}.svg, build/{name}.txt")
    for share, frame in inclusive_shares(BUILD / f"{name}.txt"):
        print(f"{share:6.1%}  {frame}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
