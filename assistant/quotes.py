"""Quote selection and the one verification every displayed quote passes."""

from __future__ import annotations

import logging

import numpy as np

from .corpus import Corpus, section_url
from .index import LoadedIndex
from .sentences import enclosing_item
from .types import Passage, Quote

log = logging.getLogger(__name__)


def verify_quote(corpus: Corpus, quote: Quote) -> bool:
    """True only if the quote is the exact text at its offsets in its document, inside one
    section's body (never a heading, never an editor's note: those are not in the body)."""
    doc = corpus.document(quote.doc_id)
    if doc is None or not quote.text:
        return False
    if not (0 <= quote.start < quote.end <= len(doc.text)):
        return False
    if doc.text[quote.start:quote.end] != quote.text:
        return False
    section = doc.section_at(quote.start)
    if section is None or quote.end > section.end:
        return False
    return not any(line.lstrip().startswith("#") for line in quote.text.split("\n"))


def keep_verified(corpus: Corpus, quotes: list[Quote]) -> list[Quote]:
    """Drop (and log) any quote that fails verification: it is never shown."""
    kept = []
    for q in quotes:
        if verify_quote(corpus, q):
            kept.append(q)
        else:
            log.warning("dropped a quote that failed verification: doc=%s start=%s end=%s", q.doc_id, q.start, q.end)
    return kept


def make_quote(corpus: Corpus, doc_id: str, start: int, end: int, score: float) -> Quote:
    doc = corpus.documents[doc_id]
    section = doc.section_at(start)
    path = section.path if section else ()
    return Quote(text=doc.text[start:end], doc_id=doc_id, doc_title=doc.source.title, section=" › ".join(path),
                 start=start, end=end, score=score, url=section_url(doc, path))


def score_sentences(index: LoadedIndex, passages: list[Passage], sentence_sims: np.ndarray,
                    rows_by_chunk: dict[str, int], rank_bonus: float = 0.0) -> list[tuple[float, int]]:
    """(score, sentence row) for every sentence of the retrieved passages, best first. The score is
    the sentence's cosine similarity to the question, plus a bonus for sentences in higher-ranked
    passages (the fusion already weighed their words and context)."""
    rows: list[int] = []
    bonus: dict[int, float] = {}
    n = max(len(passages), 1)
    for rank, p in enumerate(passages):
        for s in index.chunk_sentences[rows_by_chunk[p.chunk.id]]:
            if s not in bonus:
                rows.append(s)
                bonus[s] = rank_bonus * (1 - rank / n)
    if not rows:
        return []
    return sorted(((float(sentence_sims[row]) + bonus[row], row) for row in rows), key=lambda t: (-t[0], t[1]))


def select_quotes(corpus: Corpus, index: LoadedIndex, scored: list[tuple[float, int]], min_score: float,
                  max_quotes: int, margin: float = 1.0, expand_chars: int = 0) -> list[Quote]:
    """The best sentences, each above min_score and within margin of the best one, no overlaps.
    A sentence whose paragraph or list item is at most expand_chars long is quoted with its whole
    item, so a rule is never shown half-stated ("Keep a record ... whether it is to share or not.
    If you decide to share, then record ...")."""
    chosen: list[Quote] = []
    floor = max(min_score, scored[0][0] - margin) if scored else min_score
    for sim, row in scored:
        if sim < floor or len(chosen) >= max_quotes:
            break
        ref = index.sentences[row]
        start, end = ref.start, ref.end
        if expand_chars:
            item_start, item_end = enclosing_item(corpus.documents[ref.doc_id].text, start, end)
            if item_end - item_start <= expand_chars:
                start, end = item_start, item_end
        if any(q.doc_id == ref.doc_id and q.start < end and start < q.end for q in chosen):
            continue
        chosen.append(make_quote(corpus, ref.doc_id, start, end, sim))
    return keep_verified(corpus, chosen)
