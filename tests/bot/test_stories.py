"""Test stories (tests/stories/<lang>.yml, Rasa's format) for the crisis and trafficking paths, per language.

Each story runs through the trained model in-process: the message text goes through the real NLU pipeline
(language detection included), the policies pick the actions, and the replies are rendered from the
catalogs. Rasa's own `rasa test --e2e` cannot run these: it counts the `language` entity that our
language component adds to every message as a wrongly predicted entity.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader

from bot.replies.rendering import render_response
from bot.runtime.serve import MODEL_PATH
from core.names import LAUNCH_LANGUAGES
from tests.conftest import PROJECT_ROOT, domain_responses

pytestmark = pytest.mark.model

STORY_FILES = sorted((PROJECT_ROOT / "tests" / "stories").glob("*.yml"))
IGNORED_ACTIONS = {"action_listen", "action_session_start"}


def read_stories(path: Path):
    return YAMLStoryReader().read_from_file(str(path))


def turns(story_step):
    """[(user text, expected intent, [expected actions])] from a story's events."""
    result = []
    for event in story_step.events:
        if isinstance(event, UserUttered):
            result.append((event.text or "/" + event.intent_name, event.intent_name, []))
        elif isinstance(event, ActionExecuted) and result:
            result[-1][2].append(event.action_name)
    return result


CASES = [
    pytest.param(path.stem, step, id=f"{path.stem}: {step.block_name}")
    for path in STORY_FILES
    for step in read_stories(path)
]


@pytest.fixture(scope="module")
def agent():
    from rasa.core.agent import Agent
    from rasa.utils.endpoints import EndpointConfig

    from bot.stores.tracker_store import EphemeralTrackerStore

    loaded = Agent.load(
        str(MODEL_PATH), generator=EndpointConfig(type="bot.replies.nlg.CatalogNaturalLanguageGenerator")
    )
    loaded.tracker_store = EphemeralTrackerStore(loaded.domain)
    loaded.processor.tracker_store = loaded.tracker_store
    return loaded


def test_there_are_stories_for_every_launch_language():
    assert {path.stem for path in STORY_FILES} >= set(LAUNCH_LANGUAGES)


@pytest.mark.parametrize("language, story", CASES)
async def test_story(agent, language, story):
    responses = domain_responses()
    sender = f"story-{uuid.uuid4().hex}"
    for text, intent, actions in turns(story):
        channel = CollectingOutputChannel()
        await agent.handle_message(UserMessage(text, channel, sender))
        tracker = await agent.tracker_store.retrieve(sender)
        assert tracker.latest_message.intent["name"] == intent, text
        done = []
        for event in reversed(tracker.events):
            if isinstance(event, UserUttered):
                break
            if isinstance(event, ActionExecuted) and event.action_name not in IGNORED_ACTIONS:
                done.insert(0, event.action_name)
        assert done == actions, text
        expected = [render_response(responses, action, language, channel.name())["text"] for action in actions]
        assert [message.get("text") for message in channel.messages] == expected, text
