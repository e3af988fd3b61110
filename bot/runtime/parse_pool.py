"""The NLU parse of each message runs in a small thread pool beside the event loop (PARSE_THREADS).

Rasa 3.6 parses a message synchronously inside the event loop (`MessageProcessor.parse_message` calls the
graph directly), so while one message is parsed, nothing else in the server moves: no other conversation's
policies, actions or replies. Most of a parse is the sentence encoder (bot/nlu/sentence_encoder.py), which
releases the GIL, so on two cores the event loop can go on with other conversations while a message is
encoded in a pool thread. Each parse thread takes an engine handle of its own, and each encoder call already
computes on every core, so more threads than PARSE_THREADS=2 add nothing on two cores. PARSE_THREADS=0 parses
in the event loop, as Rasa does.

Only where the parse runs changes, not what it does: the same graph gets the same message and the same
tracker, and what Rasa does after the graph is done as Rasa does it (its structured DEBUG event of the parse
included, whose text bot/runtime/log_privacy.py redacts at every level). One conversation's turns are never
parsed at once (the lock store holds a conversation for a whole turn), so a tracker is only ever read by the
one thread parsing its message.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from rasa.core.processor import MessageProcessor, structlogger
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

_pool: ThreadPoolExecutor | None = None


def pool(threads: int) -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="parse")
    return _pool


def install(threads: int) -> None:
    """Make MessageProcessor.parse_message run the graph in a pool of `threads` threads (idempotent; 0: leave
    Rasa's parse in the event loop)."""
    original = MessageProcessor.parse_message
    if threads <= 0 or getattr(original, "in_parse_pool", False):
        return

    @functools.wraps(original)
    async def parse_message(
        self: MessageProcessor,
        message: Any,
        tracker: DialogueStateTracker | None = None,
        only_output_properties: bool = True,
    ) -> dict[str, Any]:
        if self.http_interpreter:
            return await original(self, message, tracker, only_output_properties)
        if tracker is None:
            tracker = DialogueStateTracker.from_events(message.sender_id, [])
        parse_data = await asyncio.get_running_loop().run_in_executor(
            pool(threads), self._parse_message_with_graph, message, tracker, only_output_properties
        )
        self._update_full_retrieval_intent(parse_data)
        structlogger.debug(
            "processor.message.parse",
            parse_data_text=copy.deepcopy(parse_data["text"]),
            parse_data_intent=parse_data["intent"],
            parse_data_entities=copy.deepcopy(parse_data["entities"]),
        )
        self._check_for_unseen_features(parse_data)
        return parse_data

    parse_message.in_parse_pool = True  # type: ignore[attr-defined]
    MessageProcessor.parse_message = parse_message
    logger.info("Messages are parsed in %d thread(s) beside the event loop (PARSE_THREADS).", threads)
