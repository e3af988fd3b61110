"""What our NLU components share: they learn nothing from the training data and take no configuration."""

from __future__ import annotations

from typing import Any, Dict, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage


class UntrainedComponent(GraphComponent):
    """A graph component built anew from code each time a model loads (subclasses may override `create`).

    Subclasses register as intent classifiers (`is_trainable=False`): that is how Rasa 3.6 runs a component
    that needs no training in the prediction graph, in pipeline order.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "UntrainedComponent":
        return cls()
