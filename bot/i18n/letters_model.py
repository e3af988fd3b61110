"""Which language a message's letters look like, learnt from the registered languages' own NLU examples.

Character n-grams within words (one to four letters) and a logistic regression, trained when the language
detector is built (under a second and a few MB). Trained on the way people write to this assistant, it knows
Arabizi as Arabic and Somali's many spellings, and it replaced lingua for languages that have examples: on
the development set and the fresh blind set it guesses a first message's language at least as well, and
lingua's preloaded models cost about 200 MB of the Rasa server's memory (docs/performance.md, "Memory").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

C = 10.0  # little regularisation: short, varied examples (measured against lingua, docs/performance.md)


@dataclass(frozen=True)
class LettersModel:
    vectorizer: TfidfVectorizer
    regression: LogisticRegression

    @classmethod
    def trained(cls, examples: list[tuple[str, str]]) -> LettersModel:
        """From (language code, example) pairs of at least two languages."""
        # Imported here: the action server imports this package for its word lists, never for this model.
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, lowercase=True)
        features = vectorizer.fit_transform([text for _, text in examples])
        regression = LogisticRegression(C=C, solver="liblinear").fit(features, [code for code, _ in examples])
        return cls(vectorizer, regression)

    def ranked(self, text: str) -> list[tuple[str, float]]:
        """Every language with the model's confidence that the text is in it, likeliest first."""
        row = self.regression.predict_proba(self.vectorizer.transform([text]))[0]
        return sorted(zip(self.regression.classes_, map(float, row), strict=True), key=lambda pair: -pair[1])
