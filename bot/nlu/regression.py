"""The classifiers' logistic regressions, fitted in a fraction of the time, to the same optimum.

Training spent about 185 s in scikit-learn 1.1's multinomial fits with L-BFGS, on one core (docs/performance.md):
the intent classifier's 134 s (231 iterations over 24 intents x 112,000 columns) and the legal option finder's
50 s. At that size most of an L-BFGS iteration is the optimiser's own bookkeeping over 2.7 million weights,
not our loss. So this module minimises the same function (scikit-learn's `LinearModelLoss` with
`HalfMultinomialLoss`: the summed, class-weighted loss plus half the L2 penalty over C) with scikit-learn's own
Newton-CG solver, which needs about 18 steps, and gives it a fast gradient and Hessian product: the sentence
embedding multiplied as a dense matrix (BLAS), the n-grams in row blocks on two threads (scipy's sparse
products release the GIL). Measured on the real training data: 33 s instead of 134, and 13 s instead of 50.

The problem is convex, so both solvers stop near the one optimum, where the largest gradient entry is at most
`TOLERANCE` (scikit-learn's default `tol`). On the training data the probabilities differ from the L-BFGS
fit's by at most 0.0004 and every example gets the same intent; tests/bot/test_regression.py compares the two.
The result is a scikit-learn `LogisticRegression`, so everything that reads or pickles a model is unchanged.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy.sparse import csr_matrix
from scipy.special import logsumexp
from sklearn.linear_model import LogisticRegression
from sklearn.utils.optimize import _newton_cg  # solver="newton-cg" itself (private: pinned in constraints.txt)

TOLERANCE = 1e-4  # scikit-learn's default `tol`: stop when no gradient entry is larger
THREADS = 2


class _RowBlocks:
    """A sparse matrix cut into row blocks, multiplied by a dense matrix on one thread per block."""

    def __init__(self, matrix: csr_matrix, pool: ThreadPoolExecutor, parts: int) -> None:
        bounds = np.linspace(0, matrix.shape[0], parts + 1).astype(int)
        self.blocks = [matrix[start:end] for start, end in itertools.pairwise(bounds)]
        self.pool = pool

    def __matmul__(self, dense: np.ndarray) -> np.ndarray:
        if len(self.blocks) == 1:
            return np.asarray(self.blocks[0] @ dense)
        return np.vstack(list(self.pool.map(lambda block: np.asarray(block @ dense), self.blocks)))


class _MultinomialLoss:
    """scikit-learn's multinomial loss over [sparse | dense] columns, with an intercept. Weights are laid out as
    scikit-learn lays them out: a (classes, columns + 1) matrix, flattened column by column."""

    def __init__(
        self,
        sparse: csr_matrix,
        dense: np.ndarray,
        y: np.ndarray,
        classes: int,
        c: float,
        pool: ThreadPoolExecutor,
        threads: int,
    ) -> None:
        self.rows = _RowBlocks(sparse, pool, threads)
        self.columns = _RowBlocks(sparse.T.tocsr(), pool, threads)
        self.dense = dense
        self.n_sparse = sparse.shape[1]
        self.n_features = self.n_sparse + dense.shape[1]
        self.classes = classes
        self.onehot = np.zeros((len(y), classes))
        self.onehot[np.arange(len(y)), y] = 1.0
        # class_weight="balanced": each class weighs as much in total as any other.
        self.weight = (len(y) / (classes * np.bincount(y, minlength=classes)))[y][:, np.newaxis]
        self.alpha = 1.0 / c
        self._last: tuple[np.ndarray, float, np.ndarray, np.ndarray] | None = None

    def coefficients(self, flat: np.ndarray) -> np.ndarray:
        return flat.reshape((self.classes, self.n_features + 1), order="F")

    def _scores(self, coef: np.ndarray) -> np.ndarray:
        sparse_part = self.rows @ np.ascontiguousarray(coef[:, : self.n_sparse].T)
        return sparse_part + self.dense @ coef[:, self.n_sparse : self.n_features].T + coef[:, -1]

    def _backward(self, residual: np.ndarray, coef: np.ndarray) -> np.ndarray:
        """X^T residual, plus the penalty's share, flattened like the weights."""
        out = np.empty((self.classes, self.n_features + 1), order="F")
        out[:, : self.n_sparse] = (self.columns @ residual).T
        out[:, self.n_sparse : self.n_features] = residual.T @ self.dense
        out[:, : self.n_features] += self.alpha * coef[:, : self.n_features]
        out[:, -1] = residual.sum(axis=0)
        return out.ravel(order="F")

    def evaluate(self, flat: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        """Loss, gradient and the probabilities, kept for the next call at the same point (the line search asks
        for the loss and the gradient separately)."""
        if self._last is not None and np.array_equal(self._last[0], flat):
            return self._last[1], self._last[2], self._last[3]
        coef = self.coefficients(flat)
        scores = self._scores(coef)
        log_p = scores - logsumexp(scores, axis=1)[:, np.newaxis]
        penalty = 0.5 * self.alpha * float((coef[:, : self.n_features] ** 2).sum())
        loss = -float((self.weight * self.onehot * log_p).sum()) + penalty
        probabilities = np.exp(log_p)
        gradient = self._backward(self.weight * (probabilities - self.onehot), coef)
        self._last = (flat.copy(), loss, gradient, probabilities)
        return loss, gradient, probabilities

    def loss(self, flat: np.ndarray) -> float:
        return self.evaluate(flat)[0]

    def gradient(self, flat: np.ndarray) -> np.ndarray:
        return self.evaluate(flat)[1]

    def gradient_and_hessian(self, flat: np.ndarray) -> tuple[np.ndarray, Callable[[np.ndarray], np.ndarray]]:
        _, gradient, probabilities = self.evaluate(flat)

        def hessian_times(direction: np.ndarray) -> np.ndarray:
            step = self.coefficients(direction)
            scores = self._scores(step)
            scores -= (scores * probabilities).sum(axis=1, keepdims=True)
            return self._backward(self.weight * probabilities * scores, step)

        return gradient, hessian_times


def fit_logistic(
    sparse: csr_matrix, dense: np.ndarray, labels: Sequence[str], c: float, max_iter: int, threads: int = THREADS
) -> LogisticRegression:
    """`LogisticRegression(C=c, max_iter=max_iter, class_weight="balanced").fit(hstack([sparse, dense]), labels)`,
    multinomial, with an intercept: the same model, fitted in a fraction of the time."""
    classes, y = np.unique(np.asarray(labels), return_inverse=True)
    if len(classes) < 3:
        raise ValueError("fit_logistic fits a multinomial model: it needs at least three classes")
    dense = np.ascontiguousarray(dense, dtype=np.float64)
    threads = max(1, threads)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        loss = _MultinomialLoss(csr_matrix(sparse, dtype=np.float64), dense, y, len(classes), c, pool, threads)
        start = np.zeros(len(classes) * (loss.n_features + 1))
        flat, steps = _newton_cg(
            loss.gradient_and_hessian, loss.loss, loss.gradient, start, tol=TOLERANCE, maxiter=max_iter
        )
    coef = loss.coefficients(flat)
    model = LogisticRegression(C=c, max_iter=max_iter, class_weight="balanced", solver="newton-cg")
    model.classes_ = classes
    model.coef_ = np.ascontiguousarray(coef[:, : loss.n_features])
    model.intercept_ = coef[:, -1].copy()
    model.n_features_in_ = loss.n_features
    model.n_iter_ = np.array([steps], dtype=np.int32)
    return model
