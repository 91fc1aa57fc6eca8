"""Hybrid retrieval: the index's dense and keyword rankings fused by reciprocal rank. It sees plain
(row, score) rankings only: FAISS and LlamaIndex stay inside the index store."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import numpy as np

from .corpus import GlossaryTerm, expand_query
from .embedding import Embedder
from .index import LoadedIndex
from .settings import Settings
from .types import Passage

MODES = ("hybrid", "dense", "bm25")
_CANDIDATES = 30
# A follow-up that leans on the previous turn: short, or opening with a continuation or pronoun.
_LEANS_BACK = re.compile(r"^\s*(and|but|what if|what about|how about|if|so|then|also)\b"
                         r"|\b(she|he|they|it|them|this|that|those|these|her|his)\b", re.IGNORECASE)


@dataclass
class Retrieval:
    passages: list[Passage]
    query_vector: np.ndarray
    expansions: tuple[str, ...]
    sentence_sims: np.ndarray  # every sentence's cosine similarity to the query, computed once
    timings_ms: dict[str, float] = field(default_factory=dict)


def follow_up_weight(question: str, history: tuple[str, ...]) -> float:
    """How much of the previous question to carry into retrieval (0 for a first question)."""
    if not history:
        return 0.0
    if len(question.split()) <= 8 or _LEANS_BACK.search(question):
        # Elliptical ("and if she's 17?"): the earlier turn carries the topic. Tuned on the
        # dev set's follow-ups, where retrieval held at any weight but relevance needed this.
        return 1.5
    return 0.25


class HybridRetriever:
    """Fuses the index's plain rankings (dense by chunk, dense by best sentence, keyword) by reciprocal rank."""

    def __init__(self, index: LoadedIndex, embedder: Embedder, glossary: tuple[GlossaryTerm, ...],
                 settings: Settings):
        self.index, self.embedder, self.glossary, self.settings = index, embedder, glossary, settings

    def _bm25_ranking(self, query: str) -> list[tuple[int, float]]:
        return self.index.keyword_search(query, _CANDIDATES)

    def retrieve(self, question: str, history: tuple[str, ...] = (), top_k: int | None = None,
                 mode: str = "hybrid", use_glossary: bool = True) -> Retrieval:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        top_k = top_k or self.settings.top_k
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        weight = follow_up_weight(question, history)
        previous = history[-1] if history else ""
        expansions: tuple[str, ...] = ()
        query = question
        if use_glossary:
            query, expansions = expand_query(question, self.glossary)
            if previous:
                previous, more = expand_query(previous, self.glossary)
                expansions += tuple(e for e in more if e not in expansions)
        texts = [query] + ([previous] if weight else [])
        vectors = self.embedder.encode(texts)
        qvec = vectors[0] + (weight * vectors[1] if weight else 0)
        qvec = (qvec / np.linalg.norm(qvec)).astype(np.float32)
        t1 = time.perf_counter()
        timings["embed_query"] = (t1 - t0) * 1000

        all_dense = self.index.dense_search(qvec, len(self.index.chunks))
        dense_score = dict(all_dense)
        dense_rank = {row: r for r, (row, _) in enumerate(all_dense[:_CANDIDATES], start=1)}
        # A second dense ranking at sentence grain: a chunk scores its best sentence. Answers
        # are usually one sentence, which a whole-chunk vector dilutes.
        sims = self.index.sentence_vectors @ qvec
        best_sentence = [(row, float(sims[list(rows)].max()) if rows else -1.0)
                         for row, rows in enumerate(self.index.chunk_sentences)]
        best_sentence.sort(key=lambda t: (-t[1], t[0]))
        sentence_rank = {row: r for r, (row, _) in enumerate(best_sentence[:_CANDIDATES], start=1)}
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
        if mode in ("hybrid", "dense"):
            for row, r in dense_rank.items():
                fused[row] = fused.get(row, 0.0) + self.settings.dense_weight / (k + r)
            for row, r in sentence_rank.items():
                fused[row] = fused.get(row, 0.0) + self.settings.sentence_weight / (k + r)
        if mode in ("hybrid", "bm25"):
            for row, r in bm25_rank.items():
                fused[row] = fused.get(row, 0.0) + self.settings.bm25_weight / (k + r)
        # Ties broken by dense score then row: same question, same order.
        order = sorted(fused, key=lambda row: (-fused[row], -dense_score.get(row, 0.0), row))[:top_k]
        passages = [Passage(chunk=self.index.chunks[row], score=fused[row], dense_score=dense_score.get(row, 0.0),
                            bm25_score=bm25_score.get(row, 0.0)) for row in order]
        timings["fuse"] = (time.perf_counter() - t3) * 1000
        return Retrieval(passages=passages, query_vector=qvec, expansions=expansions, sentence_sims=sims,
                         timings_ms=timings)
