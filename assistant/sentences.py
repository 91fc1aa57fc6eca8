"""Split body text into sentence spans (document offsets) that a quote may cover."""

from __future__ import annotations

import re

# A sentence ends at . ! or ? followed by space and an opening capital, digit, bracket or quote.
# List items and paragraphs end at line breaks. Abbreviations followed by a lower-case word
# ("e.g. they", "i.e. whether") therefore never split a sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(“‘\"'])")
_LEAD = re.compile(r"^(?:[\s\u00a0]*(?:•|\d{1,2}\.(?=\s))?[\s\u00a0]*)")
# Abbreviations after which a capital letter does not open a new sentence.
_NO_SPLIT_AFTER = frozenset({"etc.", "No.", "s.", "ss.", "para.", "Art.", "e.g.", "i.e.", "v.", "reg.", "Sch."})


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Non-empty sentence spans within text[start:end], with list markers and whitespace trimmed."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    for line in text[start:end].split("\n"):
        line_start, line_end = pos, pos + len(line)
        pos = line_end + 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        lead = _LEAD.match(line)
        s = line_start + (lead.end() if lead else 0)
        for m in _SENTENCE_END.finditer(text, s, line_end):
            words = text[s:m.start()].split()
            if words and words[-1].lstrip("(“‘\"'") in _NO_SPLIT_AFTER:
                continue
            _add(spans, text, s, m.start())
            s = m.end()
        _add(spans, text, s, line_end)
    return spans


def _add(spans: list[tuple[int, int]], text: str, s: int, e: int) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e - s >= 3:
        spans.append((s, e))


def enclosing_item(text: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph or list item (one line) holding text[start:end], marker and spaces trimmed."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    lead = _LEAD.match(text[line_start:line_end])
    s = line_start + (lead.end() if lead else 0)
    e = line_end
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e
