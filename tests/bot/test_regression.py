"""The fast logistic regression fit (bot/nlu/regression.py) reaches scikit-learn's own optimum."""

import numpy as np
import pytest
from scipy.sparse import csr_matrix, hstack
from scipy.sparse import random as sparse_random
from sklearn.linear_model import LogisticRegression

from bot.nlu.regression import fit_logistic


def problem(seed: int = 0, rows: int = 600, classes: int = 5):
    """Sparse n-gram-like columns and dense embedding-like columns that both carry the label, classes of very
    different sizes (class_weight="balanced" must matter)."""
    rng = np.random.default_rng(seed)
    labels = rng.choice([f"intent_{k}" for k in range(classes)], size=rows, p=[0.5, 0.2, 0.15, 0.1, 0.05])
    index = np.unique(labels, return_inverse=True)[1]
    sparse = sparse_random(rows, 400, density=0.03, format="csr", random_state=seed)
    sparse = sparse + csr_matrix((np.ones(rows), (np.arange(rows), index * 7)), shape=(rows, 400))
    dense = rng.normal(size=(rows, 24)) + np.eye(classes, 24)[index] * 0.8
    dense /= np.linalg.norm(dense, axis=1, keepdims=True)
    return csr_matrix(sparse), dense.astype(np.float32), list(labels)


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_the_same_model_as_scikit_learn(threads):
    sparse, dense, labels = problem()
    expected = LogisticRegression(C=10.0, max_iter=3000, class_weight="balanced").fit(
        hstack([sparse, csr_matrix(dense)]).tocsr(), labels
    )
    fitted = fit_logistic(sparse, dense, labels, c=10.0, max_iter=3000, threads=threads)

    assert list(fitted.classes_) == list(expected.classes_)
    assert fitted.coef_.shape == expected.coef_.shape
    np.testing.assert_allclose(fitted.coef_, expected.coef_, atol=2e-3)
    np.testing.assert_allclose(fitted.intercept_, expected.intercept_, atol=2e-3)
    unseen_sparse, unseen_dense, _ = problem(seed=1)
    unseen = hstack([unseen_sparse, csr_matrix(unseen_dense)]).tocsr()
    np.testing.assert_allclose(fitted.predict_proba(unseen), expected.predict_proba(unseen), atol=1e-3)
    assert (fitted.predict(unseen) == expected.predict(unseen)).all()


def test_a_model_of_the_embedding_alone():
    _, dense, labels = problem()
    expected = LogisticRegression(C=100.0, max_iter=3000, class_weight="balanced").fit(dense, labels)
    fitted = fit_logistic(csr_matrix((len(labels), 0)), dense, labels, c=100.0, max_iter=3000)
    np.testing.assert_allclose(fitted.predict_proba(dense), expected.predict_proba(dense), atol=1e-3)


def test_two_classes_are_refused():
    sparse, dense, labels = problem()
    with pytest.raises(ValueError, match="three classes"):
        fit_logistic(sparse, dense, ["a" if label == "intent_0" else "b" for label in labels], c=1.0, max_iter=10)
