"""The stock assistant: the project `rasa init --no-prompt` makes (moodbot), in a temporary folder.

SMS comparison. The stock project has no SMS channel; Rasa's own `twilio` channel is the stock way to do
SMS, so the stock assistant gets it (credentials.yml gains a `twilio:` section with made-up credentials).
That channel answers Twilio's webhook with an empty 204 and sends every reply through Twilio's REST API
with the synchronous `twilio` client. Nothing outside can be reached here, so that outbound call is stubbed
at the network boundary: `TwilioHttpClient.request` returns Twilio's 201 at once, and everything above it
(the channel, the client building and authenticating each request, parsing the answer) runs as it would.
A real deployment adds one blocking round trip to Twilio per reply part, which holds up the whole server,
so the stock figures here are a floor. Ours replies in the webhook's own response (TwiML) and checks
Twilio's signature on every request; the stock channel checks none.
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.servers import Assistant, Process, clean_environment, free_port
from core.yaml_files import read_yaml

# Run as `python -c TWILIO_STUB run ...`: stubs Twilio's HTTP client, then is `rasa`.
TWILIO_STUB = """
import sys
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response

def _sent(self, method, url, *args, **kwargs):
    return Response(201, '{"sid": "SM00000000000000000000000000000000", "status": "queued"}')

TwilioHttpClient.request = _sent
from rasa.__main__ import main
sys.argv = ["rasa"] + sys.argv[1:]
sys.exit(main())
"""

TWILIO_CREDENTIALS = """
# Added by the benchmark: Rasa's own Twilio channel, with made-up credentials (its outbound call is stubbed).
twilio:
  account_sid: "AC00000000000000000000000000000000"
  auth_token: "bench-made-up-token"
  twilio_number: "+12075550100"
"""

NEW_NLU_EXAMPLE = "am I chatting with a machine?"  # appended to the last intent (bot_challenge)
REPLY_CHANGE = ("Hey! How are you?", "Hey there! How are you?")  # utter_greet's text in domain.yml


@dataclass
class StockProject:
    root: Path
    model: Path
    init_seconds: float | None  # `rasa init` wall time: make the project and train it from scratch


def rasa(*args: str) -> list[str]:
    return [sys.executable, "-m", "rasa", *args]


def run_timed(command: list[str], cwd: Path, log: Path) -> float:
    began = time.monotonic()
    with log.open("ab") as output:
        subprocess.run(command, cwd=cwd, env=clean_environment(), stdout=output, stderr=subprocess.STDOUT, check=True)
    return time.monotonic() - began


def build(root: Path, log: Path) -> StockProject:
    """`rasa init --no-prompt` into root (an empty folder), which trains the model from scratch; then the
    Twilio channel is added to its credentials."""
    root.mkdir(parents=True, exist_ok=True)
    root = root.resolve()
    seconds = run_timed(rasa("init", "--no-prompt", "--init-dir", str(root)), root.parent, log)
    with (root / "credentials.yml").open("a", encoding="utf-8") as handle:
        handle.write(TWILIO_CREDENTIALS)
    (model,) = sorted((root / "models").glob("*.tar.gz"))
    return StockProject(root, model, seconds)


def reuse(root: Path) -> StockProject:
    """A stock project built by an earlier run (--stock-dir, for development): its first model."""
    models = sorted((root / "models").glob("*.tar.gz"))
    if not models:
        raise FileNotFoundError(f"{root} holds no trained stock model")
    return StockProject(root, models[0], None)


def conversations(project: StockProject) -> list[list[str]]:
    """The user messages of the stock project's own test stories, in order, as one conversation."""
    stories = read_yaml(project.root / "tests" / "test_stories.yml")["stories"]
    texts = [step["user"].strip() for story in stories for step in story["steps"] if "user" in step]
    return [texts[start:] + texts[:start] for start in range(len(texts))]


def long_conversation(project: StockProject) -> list[str]:
    """The stock test stories' user messages, in order, for one long conversation."""
    return conversations(project)[0]


def assistant(project: StockProject, log_dir: Path) -> Assistant:
    port = free_port()
    command = [
        sys.executable,
        "-c",
        TWILIO_STUB,
        "run",
        "--model",
        str(project.model),
        "--interface",
        "127.0.0.1",
        "--port",
        str(port),
        "--endpoints",
        "endpoints.yml",
        "--credentials",
        "credentials.yml",
    ]
    return Assistant("stock", [Process("rasa", command, project.root, clean_environment())], port, log_dir)


def retrain_after_nlu_change(project: StockProject, log: Path) -> float:
    from bench.project import append_example

    append_example(project.root / "data" / "nlu.yml", NEW_NLU_EXAMPLE)
    return run_timed(rasa("train", "--quiet"), project.root, log)


def retrain_after_reply_change(project: StockProject, log: Path) -> float:
    """The stock assistant keeps its reply texts in domain.yml, inside the model: a new model, then a restart."""
    domain = project.root / "domain.yml"
    old, new = REPLY_CHANGE
    text = domain.read_text(encoding="utf-8")
    if old not in text:
        raise ValueError(f"{domain} no longer says {old!r}")
    domain.write_text(text.replace(old, new, 1), encoding="utf-8")
    return run_timed(rasa("train", "--quiet"), project.root, log)
