"""Shared fixtures. Offline variables first: they only work if set before huggingface imports."""

import os

for _name, _value in {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1",
                      "GRADIO_ANALYTICS_ENABLED": "False", "TOKENIZERS_PARALLELISM": "false"}.items():
    os.environ.setdefault(_name, _value)

import hashlib  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
from dataclasses import replace  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from assistant.corpus import load_corpus  # noqa: E402
from assistant.embedding import Embedder, ModelTokenizer  # noqa: E402
from assistant.settings import Settings  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_paths(tmp_path, monkeypatch):
    """Every path the app writes points into tmp: tests never touch the real index/ or data/."""
    monkeypatch.setenv("SHAREWISE_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("SHAREWISE_DATA_DIR", str(tmp_path / "data"))


class HashingModel:
    """A tiny deterministic stand-in for the sentence-transformers model: hashed bag of words."""

    def __init__(self, dim: int):
        self.dim = dim

    def encode(self, texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False):  # noqa: ARG002
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                out[i, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
            norm = np.linalg.norm(out[i])
            out[i] = out[i] / norm if norm else out[i]
            if not norm:
                out[i, 0] = 1.0
        return out


def hashing_embedder(dim: int = 64, weights: str = "0" * 64) -> Embedder:
    return Embedder(name="test-hashing", weights_sha256=weights, dim=dim, max_tokens=256,
                    tokenizer=ModelTokenizer(Settings().model_dir), _model=HashingModel(dim))


@pytest.fixture(scope="session")
def corpus():
    return load_corpus(REPO / "corpus")


@pytest.fixture
def settings(tmp_path):
    return Settings.from_env(index_dir=tmp_path / "index", data_dir=tmp_path / "data")


@pytest.fixture
def fake_embedder():
    return hashing_embedder()


@pytest.fixture
def corpus_copy(tmp_path):
    """A private copy of corpus/ that a test may edit."""
    dst = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", dst)
    return dst


@pytest.fixture(scope="session")
def real_sharewise(tmp_path_factory):
    """The real model and an index built from the real corpus, once per session (slow)."""
    from assistant.embedding import load_embedder
    from assistant.pipeline import Sharewise, ensure_index, load_second

    s = replace(Settings(), index_dir=tmp_path_factory.mktemp("real-index"))
    c = load_corpus(s.corpus_dir)
    e = load_embedder(s.model_dir, s.torch_threads)
    second = load_second(s)
    index, _ = ensure_index(s, c, e, progress=False, second=second)
    return Sharewise(s, c, e, index, second=second)


@pytest.fixture(scope="session")
def fake_sw(tmp_path_factory):
    """A Sharewise on the real corpus with the tiny hashing embedder: fast, deterministic, always grounded."""
    from assistant.index import build_index, load_index
    from assistant.pipeline import Sharewise

    s = replace(Settings(), index_dir=tmp_path_factory.mktemp("fake-index"), min_relevance=0.0, min_quote_score=0.0)
    c = load_corpus(s.corpus_dir)
    e = hashing_embedder()
    build_index(c, e, s, s.index_dir, progress=False)
    return Sharewise(s, c, e, load_index(s.index_dir, c, e, s))


@pytest.fixture
def audited_sw(fake_sw, tmp_path):
    """fake_sw recording into a private audit store for this test."""
    import copy

    sw = copy.copy(fake_sw)
    sw.settings = replace(fake_sw.settings, data_dir=tmp_path / "audit-data")
    return sw.with_audit()
