"""Supersession in the ranking: where a superseded source and the source that replaces it say the same thing, the
current one is ranked first. The superseded passage stays (its quote carries a warning naming its successor): it is
moved, never hidden, since the two may differ in a detail the practitioner needs to see."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .index import LoadedIndex

# Two passages "say the same thing" when their chunk vectors are at least this close (MiniLM cosine), or when the
# successor's passage answers the question nearly as well (its similarity to the question at most MARGIN below the
# superseded one's: a renamed team or a changed timescale moves a passage's vector, not what it answers). Both were
# chosen on the dev half of evals/local (a 2019 procedure and its 2025 successor); the held-out half was not used.
SAME = 0.80
MARGIN = 0.10


class CurrentFirst:
    """Built once per index: the rows of every source that supersedes another, and their vectors."""

    def __init__(self, index: LoadedIndex, superseded: Mapping[str, tuple[str, ...]]):
        self.index = index
        self.superseded = dict(superseded)
        successors = {s for group in self.superseded.values() for s in group}
        self.rows = {doc: [r for r, c in enumerate(index.chunks) if c.doc_id == doc] for doc in successors}
        self.vectors = {doc: index.chunk_vectors(rows) for doc, rows in self.rows.items()}

    def reorder(self, order: list[int], window: int, query_sims: Mapping[int, float] | None = None) -> list[int]:
        """`order` with, before each superseded passage in the first `window`, its successor's passage that says the
        same (moved up if it was ranked lower, brought in if it was not ranked at all). `query_sims`: each chunk
        row's similarity to the question."""
        if not self.superseded:
            return order
        out = list(order)
        for row in order[:window]:
            doc = self.index.chunks[row].doc_id
            if doc not in self.superseded:
                continue
            match = self._same(row, self.superseded[doc], query_sims or {})
            if match is None:
                continue
            at = out.index(row)
            if match in out:
                if out.index(match) < at:
                    continue  # the current one is already ahead
                out.remove(match)
            out.insert(out.index(row), match)
        return out

    def _same(self, row: int, successors: tuple[str, ...], query_sims: Mapping[int, float]) -> int | None:
        """The successor's passage closest in content to `row`, if close enough; else its passage that answers the
        question nearly as well as `row` does; else None."""
        v = self.index.chunk_vectors([row])[0]
        best, best_row = SAME, None
        answering, answering_row = query_sims.get(row, 1.0) - MARGIN, None
        for doc in successors:
            rows, vectors = self.rows.get(doc, []), self.vectors.get(doc)
            if not rows or vectors is None:
                continue
            sims = vectors @ v
            i = int(np.argmax(sims))
            if float(sims[i]) >= best:
                best, best_row = float(sims[i]), rows[i]
            for r in rows:
                if query_sims.get(r, -1.0) >= answering:
                    answering, answering_row = query_sims[r], r
        return best_row if best_row is not None else answering_row
