"""Quote selection and the one verification every displayed quote passes."""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable

import numpy as np

from .corpus import Corpus, section_url
from .index import LoadedIndex
from .quote_shape import UNIT_CHARS, QuoteShaper
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
    """The quote of doc.text[start:end], with its citation and what the registry says against the passage."""
    doc = corpus.documents[doc_id]
    section = doc.section_at(start)
    path = section.path if section else ()
    text = doc.text[start:end]
    return Quote(text=text, doc_id=doc_id, doc_title=doc.source.title, section=" › ".join(path),
                 start=start, end=end, score=score, url=section_url(doc, path),
                 currency=corpus.currency(doc_id, path, text), page=doc.source.page_at(start),
                 publisher=doc.source.publisher)


class ScoredSentences(list[tuple[float, int]]):
    """(score, sentence row) best first, as a plain list, that also remembers which rows are the sentences
    of the top-ranked passage (so the quotes can always include that passage's answering sentence)."""

    def __init__(self, items: Iterable[tuple[float, int]] = (), top_rows: Iterable[int] = ()):
        super().__init__(items)
        self.top_rows = frozenset(top_rows)


def score_sentences(index: LoadedIndex, passages: list[Passage], sentence_sims: np.ndarray,
                    rows_by_chunk: dict[str, int], rank_bonus: float = 0.0) -> ScoredSentences:
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
        return ScoredSentences()
    top = index.chunk_sentences[rows_by_chunk[passages[0].chunk.id]]
    return ScoredSentences(sorted(((float(sentence_sims[row]) + bonus[row], row) for row in rows),
                                  key=lambda t: (-t[0], t[1])), top_rows=top)


def select_quotes(corpus: Corpus, index: LoadedIndex, scored: list[tuple[float, int]], min_score: float,
                  max_quotes: int, margin: float = 1.0, expand_chars: int = 0, *,
                  top_rows: Collection[int] | None = None, unit_chars: int = UNIT_CHARS,
                  shapes: bool = True) -> list[Quote]:
    """The best sentences, each above min_score and within margin of the best one, each shown as the passage
    it may be quoted in (quote_shape: a sub-paragraph whole, a lead-in with its list, a myth with its rebuttal,
    a 'However' with the rule before it; a sentence whose paragraph or item is at most expand_chars long with
    its whole item), no overlaps. The best sentence of the top-ranked passage (top_rows: its sentence rows;
    by default those `score_sentences` noted) is always among them: the answer retrieval ranked first is
    never lost between the passages and the quotes. shapes=False (for `eval --compare` only): the plain
    sentences (or short whole items), without the shape rules or the kept answering sentence."""
    if not shapes:
        top_rows = frozenset()
    if top_rows is None:
        top_rows = scored.top_rows if isinstance(scored, ScoredSentences) else frozenset()
    shaper = QuoteShaper(corpus.documents, item_chars=expand_chars, unit_chars=unit_chars)
    floor = max(min_score, scored[0][0] - margin) if scored else min_score

    def span(row: int) -> tuple[str, int, int] | None:
        ref = index.sentences[row]
        if not shapes:
            item = enclosing_item(corpus.documents[ref.doc_id].text, ref.start, ref.end)
            return (ref.doc_id, *item) if expand_chars and item[1] - item[0] <= expand_chars else \
                (ref.doc_id, ref.start, ref.end)
        unit = shaper.unit(ref.doc_id, ref.start, ref.end)
        return (ref.doc_id, *unit) if unit else None

    chosen: list[tuple[float, str, int, int]] = []  # (score, doc, start, end)
    answer = next(((sim, found) for sim, row in scored
                   if row in top_rows and sim >= min_score and (found := span(row))), None)
    if answer and max_quotes > 0:
        chosen.append((answer[0], *answer[1]))
    for sim, row in scored:
        if sim < floor or len(chosen) >= max_quotes:
            break
        found = span(row)
        if found is not None:
            _add(chosen, sim, found, shaper)
    chosen.sort(key=lambda c: -c[0])
    return keep_verified(corpus, [make_quote(corpus, doc, start, end, sim) for sim, doc, start, end in chosen])


def _add(chosen: list[tuple[float, str, int, int]], sim: float, found: tuple[str, int, int],
         shaper: QuoteShaper) -> None:
    """Add a passage, unless one already chosen holds it. One it overlaps or runs straight on from is widened
    to hold both (read in the document's order) when the two are in one section and still short enough;
    a passage overlapping one that cannot be widened is left out."""
    doc, start, end = found
    text = shaper.documents[doc].text
    for k, (score, d, s, e) in enumerate(chosen):
        touching = d == doc and (not text[e:start].strip() if e <= start else not text[end:s].strip())
        if d != doc or not (s < end and start < e or touching):
            continue
        if s <= start and end <= e:
            return
        union = (min(s, start), max(e, end))
        if shaper.same_section(doc, *union) and shaper.fits(union):
            chosen[k] = (max(score, sim), doc, *union)
            return
        if not touching:
            return
    chosen.append((sim, doc, start, end))
