"""The NLU graph components of config.yml's pipeline: numbered choices, the folding tokenizer, the language
selector, expected answers and crisis first. None learns from the training data."""
