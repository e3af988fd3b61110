"""What our NLU components share: those that learn nothing from the training data, those that learn one
model and keep it in the model archive, and how they set an intent or an entity."""

from __future__ import annotations

import logging
import pickle
from typing import Any, ClassVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.events import BotUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

logger = logging.getLogger(__name__)


class UntrainedComponent(GraphComponent):
    """A graph component built anew from code each time a model loads (subclasses may override `create`).

    Subclasses register as intent classifiers (`is_trainable=False`): that is how Rasa 3.6 runs a component
    that needs no training in the prediction graph, in pipeline order.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UntrainedComponent:
        return cls()


class TrainedComponent(GraphComponent):
    """A graph component that learns one model in `train` and keeps it, pickled, in the model archive that
    `make train` builds (our own file, read back only from that archive). Subclasses set MODEL_FILE, train
    `self.model` and call `persist`; `loaded` may prepare a model read back (the default keeps it as it is)."""

    MODEL_FILE: ClassVar[str]

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource, model: Any = None
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TrainedComponent:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TrainedComponent:
        try:
            with model_storage.read_from(resource) as folder:
                model = cls.loaded(pickle.loads((folder / cls.MODEL_FILE).read_bytes()))
        except (ValueError, FileNotFoundError):
            logger.warning("%s has no trained model; run `make train`.", cls.__name__)
            model = None
        return cls(config, model_storage, resource, model)

    @staticmethod
    def loaded(model: Any) -> Any:
        return model

    def persist(self) -> Resource:
        with self._model_storage.write_to(self._resource) as folder:
            (folder / self.MODEL_FILE).write_bytes(pickle.dumps(self.model))
        return self._resource


def latest_bot_metadata(tracker: DialogueStateTracker | None) -> dict[str, Any]:
    """The metadata of the assistant's latest message: what it asked for (`expects`), which response it was
    (`utter_action`); empty when it has said nothing yet."""
    if tracker is None:
        return {}
    for event in reversed(tracker.events):
        if isinstance(event, BotUttered):
            return event.metadata or {}
    return {}


def set_intent(message: Message, name: str) -> None:
    """Make `name` the message's intent, with full confidence, at the top of its ranking. The classifier's
    other guesses stay in the ranking with no confidence left: otherwise one it was sure of (a town name
    taken for something else) would make the fallback classifier see two intents tied at the top."""
    intent = {"name": name, "confidence": 1.0}
    ranking = [
        {**entry, "confidence": 0.0} for entry in message.get(INTENT_RANKING_KEY) or [] if entry.get("name") != name
    ]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)


def has_entity(message: Message, entity: str) -> bool:
    """Whether an earlier component (or the message itself) set entity `entity`."""
    return any(found.get("entity") == entity for found in message.get(ENTITIES) or [])


def add_entity(message: Message, entity: str, value: str, extractor: str, confidence: float = 1.0) -> None:
    """Set entity `entity` to `value`, replacing one of that name found before."""
    entities = [e for e in message.get(ENTITIES) or [] if e.get("entity") != entity]
    entities.append({"entity": entity, "value": value, "extractor": extractor, "confidence_entity": confidence})
    message.set(ENTITIES, entities, add_to_output=True)
