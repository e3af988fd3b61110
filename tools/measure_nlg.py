"""Measures one reply rendered by the in-process generator against the same rendering behind an NLG endpoint.

An NLG endpoint receives the whole tracker (every event, every message text) as JSON for each reply; this
builds a conversation of N turns and times both ways on this machine. Usage: python -m tools.measure_nlg
"""

from __future__ import annotations

import asyncio
import logging
import os
import statistics
import time

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
logging.disable(logging.WARNING)

from aiohttp import web  # noqa: E402
from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator  # noqa: E402
from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered  # noqa: E402
from rasa.shared.core.trackers import DialogueStateTracker  # noqa: E402
from rasa.utils.endpoints import EndpointConfig  # noqa: E402

from bot.i18n.languages import reply_language  # noqa: E402
from bot.replies.nlg import CatalogNaturalLanguageGenerator  # noqa: E402
from bot.replies.rendering import render_response  # noqa: E402
from core.names import LANGUAGE  # noqa: E402
from core.paths import DOMAIN_DIR  # noqa: E402

REPEATS = 300


def conversation(domain: Domain, turns: int) -> DialogueStateTracker:
    tracker = DialogueStateTracker("measure", domain.slots)
    tracker.update(SlotSet(LANGUAGE, "so"))
    for turn in range(turns):
        tracker.update(
            UserUttered(f"waxaan u baahanahay caawimaad {turn}", {"name": "need_shelter", "confidence": 0.9})
        )
        tracker.update(ActionExecuted("utter_shelter"))
        tracker.update(BotUttered("..."))
        tracker.update(ActionExecuted("action_listen"))
    return tracker


async def timed(generate) -> list[float]:
    samples = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        await generate()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


async def main() -> None:
    domain = Domain.load(str(DOMAIN_DIR))

    async def nlg_endpoint(request: web.Request) -> web.Response:
        body = await request.json()
        language = reply_language(body["tracker"]["slots"].get(LANGUAGE))
        return web.json_response(render_response(domain.responses, body["response"], language, body["channel"]["name"]))

    app = web.Application(client_max_size=50 * 1024 * 1024)
    app.router.add_post("/nlg", nlg_endpoint)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]

    in_process = CatalogNaturalLanguageGenerator(domain=domain)
    endpoint = CallbackNaturalLanguageGenerator(EndpointConfig(url=f"http://127.0.0.1:{port}/nlg"))
    print(f"{'turns so far':>12} {'in-process p50 ms':>18} {'NLG endpoint p50 ms':>20}")
    for turns in (1, 10, 50):
        tracker = conversation(domain, turns)
        local = await timed(lambda tracker=tracker: in_process.generate("utter_shelter", tracker, "collector"))
        remote = await timed(lambda tracker=tracker: endpoint.generate("utter_shelter", tracker, "collector"))
        print(f"{turns:12} {statistics.median(local):18.3f} {statistics.median(remote):20.3f}")
    await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(main())
