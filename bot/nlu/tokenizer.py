"""Whitespace tokenizer that folds spelling variants before the featurizers see the words.

Folding (core/text.py) makes "está" and "esta", "أريد" and "اريد" the same word for the model. Only the
tokens are folded: the message text stays as typed, so language detection still sees the accents that tell
Portuguese from Spanish.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

from core.text import fold


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class FoldingWhitespaceTokenizer(WhitespaceTokenizer):
    """WhitespaceTokenizer whose tokens are folded with `fold`.

    config.yml: bot.nlu.tokenizer.FoldingWhitespaceTokenizer.
    """

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        tokens = super().tokenize(message, attribute)
        for token in tokens:
            token.text = token.lemma = fold(token.text) or token.text
        return tokens
