"""A second, more sensitive look for immediate danger: a small logistic regression on the sentence embeddings
the model already makes, learned (deterministically, at load) from labelled practitioners' texts in
`assistant/data/danger_examples.yaml`. It never raises the banner itself, which rests on the words
(`rules/danger.py`); when it suspects danger the words did not show, the rules check asks "Is anyone in
immediate danger right now?" first and the answer opens with the 999 line. It lives outside the pure rules
package because it needs the model."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from .embedding import Embedder
from .logistic import learn_logistic, probability

EXAMPLES = Path(__file__).resolve().parent / "data" / "danger_examples.yaml"
LEARNED = Path(__file__).resolve().parent / "data" / "danger_model.npz"  # `python -m assistant.danger_model`
THRESHOLD = 0.5  # measured on evals/danger-fresh.yaml (never learned from): see the README


@dataclass(frozen=True)
class DangerModel:
    weights: np.ndarray
    bias: float
    threshold: float = THRESHOLD

    @classmethod
    def learn(cls, embedder: Embedder, path: Path = EXAMPLES, steps: int = 3000, l2: float = 1e-4) -> DangerModel:
        """Gradient descent from zero on the labelled texts: the same texts and model give the same weights."""
        rows = yaml.safe_load(path.read_text(encoding="utf-8"))["texts"]
        x = np.asarray(embedder.encode([r["text"] for r in rows]), dtype=np.float64)
        y = np.array([1.0 if r["danger"] else 0.0 for r in rows])
        return cls(*learn_logistic(x, y, steps, l2))

    @classmethod
    def open(cls, embedder: Embedder, path: Path = LEARNED) -> DangerModel:
        """The weights learned ahead for this model and these examples (no start-up cost), or learned now if the
        model or the examples have changed since."""
        try:
            saved = np.load(path, allow_pickle=False)
            if str(saved["model"]) == embedder.weights_sha256 and str(saved["examples"]) == _sha(EXAMPLES):
                return cls(saved["weights"], float(saved["bias"]))
        except (OSError, KeyError, ValueError):
            pass
        return cls.learn(embedder)

    def save(self, embedder: Embedder, path: Path = LEARNED) -> None:
        np.savez(path, weights=self.weights, bias=np.float64(self.bias), model=embedder.weights_sha256,
                 examples=_sha(EXAMPLES))

    def probability(self, vector: np.ndarray) -> float:
        return float(probability(vector, self.weights, self.bias))

    def suspects(self, embedder: Embedder, text: str) -> bool:
        return self.probability(embedder.encode([text])[0]) >= self.threshold


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


if __name__ == "__main__":  # re-learn the weights kept beside the examples (after changing either)
    from .embedding import load_embedder
    from .settings import Settings

    settings = Settings.from_env()
    emb = load_embedder(settings.model_dir, settings.torch_threads)
    DangerModel.learn(emb).save(emb)
    print(f"Wrote {LEARNED}")
