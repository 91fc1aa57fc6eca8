"""Retrieval metrics over question files whose gold spans are verbatim corpus passages.

A retrieved passage covers a gold span when it contains it (whitespace normalised) or overlaps at
least half of its characters. '@1500c' metrics count only the first 1,500 characters of the
retrieved text, in rank order: about one screen a practitioner actually reads.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .corpus import Corpus

_WS = re.compile(r"\s+")
SCREEN_CHARS = 1500


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    gold_spans: tuple[str, ...]
    kind: str
    history: tuple[str, ...] = ()


@dataclass(frozen=True)
class Span:
    doc_id: str
    start: int
    end: int
    text: str


def locate(corpus: Corpus, gold: str) -> list[Span]:
    """Every place the gold span stands in the corpus (exact, else whitespace-normalised)."""
    spans = []
    for doc in corpus.documents.values():
        at = doc.text.find(gold)
        while at >= 0:
            spans.append(Span(doc.id, at, at + len(gold), gold))
            at = doc.text.find(gold, at + 1)
    if not spans:
        ng = _norm(gold)
        for doc in corpus.documents.values():
            if ng in _norm(doc.text):
                spans.append(Span(doc.id, -1, -1, gold))
    return spans


def covers(piece: Span, gold: list[Span]) -> bool:
    for g in gold:
        if _norm(g.text) in _norm(piece.text):
            return True
        if g.start >= 0 and g.doc_id == piece.doc_id:
            overlap = min(g.end, piece.end) - max(g.start, piece.start)
            if overlap >= 0.5 * (g.end - g.start):
                return True
    return False


def screen(pieces: list[Span], chars: int = SCREEN_CHARS) -> list[Span]:
    """The retrieved passages cut to the first `chars` characters in rank order."""
    out, left = [], chars
    for p in pieces:
        if left <= 0:
            break
        n = min(len(p.text), left)
        out.append(Span(p.doc_id, p.start, p.start + n, p.text[:n]))
        left -= n
    return out


def score_question(q: Question, gold: list[list[Span]], pieces: list[Span], k: int = 5) -> dict:
    """Per-question metrics: gold is one list of locations per gold span."""
    top = pieces[:k]
    covered = [[covers(p, g) for g in gold] for p in top]
    first = next((i for i, row in enumerate(covered) if any(row)), None)
    cut = screen(pieces)
    cut_cov = [any(covers(p, g) for p in cut) for g in gold]
    gains = [1.0 if any(row) else 0.0 for row in covered]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(gold), k)))
    return {
        "hit_at_1": float(bool(covered and any(covered[0]))),
        "hit_at_3": float(first is not None and first < 3),
        "hit_at_5": float(first is not None and first < 5),
        "recall_at_5": sum(any(covered[i][j] for i in range(len(top))) for j in range(len(gold))) / len(gold),
        "mrr": 1.0 / (first + 1) if first is not None else 0.0,
        "ndcg_at_5": dcg / ideal if ideal else 0.0,
        "hit_at_1500c": float(any(cut_cov)),
        "recall_at_1500c": sum(cut_cov) / len(gold),
    }


def mean(rows: list[dict], key: str) -> float:
    return sum(r[key] for r in rows) / len(rows) if rows else float("nan")


def decline_scores(predicted_decline: list[bool], out_of_scope: list[bool]) -> dict:
    tp = sum(p and o for p, o in zip(predicted_decline, out_of_scope))
    fp = sum(p and not o for p, o in zip(predicted_decline, out_of_scope))
    fn = sum(o and not p for p, o in zip(predicted_decline, out_of_scope))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    # F0.5 weighs precision higher: declining a practitioner's real question withholds guidance.
    f05 = 1.25 * precision * recall / (0.25 * precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "f0_5": f05}


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, math.ceil(pct / 100 * len(ordered)) - 1)
    return ordered[rank]
