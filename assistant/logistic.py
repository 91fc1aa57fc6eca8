"""The one small learner both second looks use (danger, scope): logistic regression by full-batch gradient
descent from zero, so the same examples and features always give the same weights."""

from __future__ import annotations

import numpy as np


def learn_logistic(x: np.ndarray, y: np.ndarray, steps: int = 3000, l2: float = 1e-4,
                   rate: float = 0.5) -> tuple[np.ndarray, float]:
    """(weights, bias) for features `x` (one row per example) and labels `y` (1.0 or 0.0)."""
    w, b = np.zeros(x.shape[1]), 0.0
    for _ in range(steps):
        g = probability(x, w, b) - y
        w -= rate * (x.T @ g / len(y) + l2 * w)
        b -= rate * float(g.mean())
    return w, b


def probability(x: np.ndarray, weights: np.ndarray, bias: float) -> np.ndarray:
    return 1 / (1 + np.exp(-(np.asarray(x, dtype=np.float64) @ weights + bias)))
