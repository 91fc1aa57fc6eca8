"""What a quote may be: the passage shown for a chosen sentence, so that no quote misleads by its shape.

A sentence is never shown alone when it is a heading-like line, a lead-in ending with ':' or '—' (it is shown
with what it leads into, or not at all), a bare list fragment ("(b) is necessary for reasons of substantial
public interest," or "Aged under 18; or": shown with its whole sub-paragraph or list), a cross-reference, a
myth without its rebuttal, or a "However, ..." counter-example without the rule before it. A statute
sub-paragraph is shown whole (Sch 1 para 18(1) with its points (a)-(d)) when it fits.

Every span returned is a run of the document's own text inside one section body: the caller quotes
`doc.text[start:end]` and verifies it like any other quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from .sentences import enclosing_item, sentence_spans
from .types import Document, Section

# Longest passage a quote may grow to when a rule needs its context (a sub-paragraph with its points, a
# lead-in with its list, a myth with its rebuttal). Sch 1 para 18(1)(a)-(d) is about 600 characters.
UNIT_CHARS = 900

_LEAD_IN_END = (":", "—")
_CONTINUES = re.compile(r"(?:[,;]|[,;]?\s+(?:and|or))$")  # "...harm; or", "...Parliament," "...; and"
_CONJUNCTION_END = re.compile(r"[,;]?\s+(?:and|or)\s*$")
_HEADING_END = tuple(".!?;:,—–)\"'’”")
_POINTER = re.compile(r"^(?:source:|see\b|please see\b|for (?:further|more) information,? see\b)", re.IGNORECASE)
_HOWEVER = re.compile(r"^(?:(?:if|but|and)\s+however\b|however\b|(?:\S+\s+){1,4}however,)", re.IGNORECASE)
_REBUTTAL = re.compile(r"^(?:no\s*[–—-]|no,|fact:|reality:)", re.IGNORECASE)
_MYTH = re.compile(r"^myth\s*:", re.IGNORECASE)
_BULLET = re.compile(r"^[\s\u00a0]*•")
_NUMBERED = re.compile(r"^[\s\u00a0]+\d{1,2}\.\s")  # an indented "1." item of a guidance list
# Statute labels, outermost first: "18 (1)", "(1)", "1." (UK GDPR paragraphs), "3 This ..." (a DPA paragraph
# with no sub-paragraphs), a definition ("act" includes ...), a point "(a)", a sub-point "(i)".
_TOP = re.compile(r"^(?:\d+[A-Z]*\s+\(\d+[A-Z]*\)|\(\d+[A-Z]*\)|\d+[A-Z]*\.|\d+[A-Z]*(?=\s+[A-Z]))\s")
_DEFINITION = re.compile(r"^[\"“]")
_POINT = re.compile(r"^\(([a-z]{1,3})\)\s")
_ROMAN = frozenset({"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"})
ROOT, TOP, DEFINITION, POINT, SUB_POINT = 0, 1, 2, 3, 4


@dataclass(frozen=True)
class _Line:
    """One non-blank line of a section body: its text without list marker, its paragraph and nesting."""

    start: int
    end: int
    para: int  # paragraphs are runs of lines between blank lines
    item: bool  # a bullet or numbered item of a guidance list
    level: int  # statute nesting (ROOT..SUB_POINT); guidance: ROOT


def _ends_lead_in(text: str) -> bool:
    return text.rstrip().endswith(_LEAD_IN_END)


class _SectionShape:
    """The lines, sentences and statute nesting of one section body."""

    def __init__(self, doc: Document, section: Section):
        self.text = doc.text
        self.statute = doc.source.kind == "legislation"
        self.lines = self._read_lines(section)
        self.sentences = sentence_spans(doc.text, section.start, section.end)

    def _read_lines(self, section: Section) -> list[_Line]:
        lines: list[_Line] = []
        para, pos, blank = 0, section.start, False
        last_letter = ""
        for raw in self.text[section.start:section.end].split("\n"):
            raw_start = pos
            pos += len(raw) + 1
            if not raw.strip():
                blank = True
                continue
            if blank and lines:
                para += 1
            blank = False
            start, end = enclosing_item(self.text, raw_start, raw_start)
            item = not self.statute and bool(_BULLET.match(raw) or _NUMBERED.match(raw))
            level = ROOT
            if self.statute:
                body = self.text[start:end]
                point = _POINT.match(body)
                if point:
                    label = point.group(1)
                    follows = len(label) == 1 and bool(last_letter) and ord(label) - ord(last_letter) == 1
                    roman = label in _ROMAN and not follows  # "(i)" after "(h)" is a point, not a sub-point
                    level = SUB_POINT if roman else POINT
                    if not roman:
                        last_letter = label[-1]
                elif _TOP.match(self.text[raw_start:raw_start + len(raw)].lstrip()):
                    level, last_letter = TOP, ""
                elif _DEFINITION.match(body):
                    level = DEFINITION
                elif lines and lines[-1].level >= TOP and _ends_lead_in(self.text[lines[-1].start:lines[-1].end]):
                    level = lines[-1].level + 1  # an unlabelled line under a lead-in ("means— protecting ...")
            lines.append(_Line(start, end, para, item, level))
        return lines

    def line_at(self, offset: int) -> int:
        for i, line in enumerate(self.lines):
            if line.start <= offset <= line.end:
                return i
        return -1

    def line_text(self, i: int) -> str:
        return self.text[self.lines[i].start:self.lines[i].end]

    def para_lines(self, para: int) -> list[int]:
        return [i for i, line in enumerate(self.lines) if line.para == para]

    def sentences_in(self, start: int, end: int) -> list[tuple[int, int]]:
        return [s for s in self.sentences if start <= s[0] and s[1] <= end]

    # ---- statute nesting ---------------------------------------------------------------------------
    def subtree_end(self, i: int) -> int:
        j = i
        while j + 1 < len(self.lines) and self.lines[j + 1].level > self.lines[i].level:
            j += 1
        return self.lines[j].end

    def ancestors(self, i: int) -> list[int]:
        """Line i and the lines it hangs from, innermost first (a root line only when it is a lead-in)."""
        chain, level = [i], self.lines[i].level
        for j in range(i - 1, -1, -1):
            if self.lines[j].level < level:
                if self.lines[j].level == ROOT and not _ends_lead_in(self.line_text(j)):
                    break
                chain.append(j)
                level = self.lines[j].level
            if level == ROOT:
                break
        return chain

    # ---- guidance lists, myths -------------------------------------------------------------------
    @cached_property
    def myths(self) -> dict[int, int]:
        """Myth line -> its rebuttal line: a one-line paragraph answered by the next paragraph's 'No – ...'."""
        out = {}
        for i, line in enumerate(self.lines):
            nxt = i + 1
            if nxt >= len(self.lines) or line.item or self.lines[nxt].para != line.para + 1:
                continue
            if len(self.para_lines(line.para)) != 1 or len(self.sentences_in(line.start, line.end)) > 1:
                continue  # a myth is stated in one sentence of its own
            if _REBUTTAL.match(self.line_text(i)):
                continue
            if _MYTH.match(self.line_text(i)) or _REBUTTAL.match(self.line_text(nxt)):
                out[i] = nxt
        return out

    def list_block(self, i: int) -> tuple[int, int]:
        """First and last line of the list that line i belongs to."""
        first = last = i
        para = self.lines[i].para
        while first - 1 >= 0 and self.lines[first - 1].item and self.lines[first - 1].para == para:
            first -= 1
        while last + 1 < len(self.lines) and self.lines[last + 1].item and self.lines[last + 1].para == para:
            last += 1
        return first, last


class QuoteShaper:
    """Turns a chosen sentence into the passage that may be shown for it, or None when none may."""

    def __init__(self, documents: dict[str, Document], item_chars: int = 0, unit_chars: int = UNIT_CHARS):
        self.documents = documents
        self.item_chars = item_chars
        self.unit_chars = unit_chars
        self._shapes: dict[tuple[str, int], _SectionShape] = {}

    def _shape(self, doc: Document, section: Section) -> _SectionShape:
        key = (doc.id, section.start)
        if key not in self._shapes:
            self._shapes[key] = _SectionShape(doc, section)
        return self._shapes[key]

    def unit(self, doc_id: str, start: int, end: int) -> tuple[int, int] | None:
        """The span to quote for the sentence doc.text[start:end] (same section), or None."""
        doc = self.documents.get(doc_id)
        section = doc.section_at(start) if doc else None
        if doc is None or section is None or end > section.end:
            return None
        shape = self._shape(doc, section)
        i = shape.line_at(start)
        if i < 0:
            return None
        if shape.statute:
            span = self._statute_unit(shape, i, start, end)
        else:
            span = self._guidance_unit(shape, i, start, end)
        if span is None:
            return None
        span = self._close(shape, span)
        if span is None or span[1] - span[0] > self.unit_chars:
            return None
        return span

    def fits(self, span: tuple[int, int]) -> bool:
        return span[1] - span[0] <= self.unit_chars

    def same_section(self, doc_id: str, start: int, end: int) -> bool:
        doc = self.documents.get(doc_id)
        section = doc.section_at(start) if doc else None
        return section is not None and end <= section.end

    # ---- statute: a sub-paragraph whole --------------------------------------------------------------
    def _statute_unit(self, shape: _SectionShape, i: int, start: int, end: int) -> tuple[int, int] | None:
        chain = shape.ancestors(i)
        if shape.lines[i].level == ROOT and not _ends_lead_in(shape.line_text(i)):
            return self._sentence_or_item(shape, i, start, end)
        for j in reversed(chain):  # the outermost sub-paragraph first, then each smaller part down to line i
            span = (shape.lines[j].start, shape.subtree_end(j))
            if not self.fits(span) or (j != chain[-1] and self._bare(shape.text[span[0]:span[1]])):
                continue
            if j == i and _ends_lead_in(shape.text[span[0]:span[1]]):
                return None  # a lead-in whose points do not fit
            return span
        return None

    @staticmethod
    def _bare(text: str) -> bool:
        """A part of a sub-paragraph too slight to stand alone when the whole cannot be shown."""
        return len(text) < 60 or (bool(_CONJUNCTION_END.search(text)) and len(text) < 100)

    # ---- guidance: sentences, paragraphs, lists ------------------------------------------------------
    def _guidance_unit(self, shape: _SectionShape, i: int, start: int, end: int) -> tuple[int, int] | None:
        line = shape.lines[i]
        if line.item:
            first = shape.list_block(i)[0]
            group = self._colon_group(shape, first - 1) if first > 0 else None
            if self._fragment_item(shape.line_text(i)):
                return group
            if group and group[1] - group[0] <= 2 * self.item_chars:
                return group  # a short list with its lead-in reads as one rule
            return self._sentence_or_item(shape, i, start, end)
        if _ends_lead_in(shape.text[start:end]):
            return self._colon_group(shape, i)
        if i in shape.myths:
            return (line.start, line.end)  # _close adds the rebuttal
        if not shape.line_text(i).endswith(_HEADING_END) and len(shape.sentences_in(line.start, line.end)) <= 1:
            return None  # a heading-like line in the body ("Corporate Parenting - Looked After Children")
        if _ends_lead_in(shape.line_text(i)):  # "It is possible to identify some circumstances... These are: • ..."
            group = self._colon_group(shape, i)
            if group and self.fits((min(start, group[0]), group[1])):
                return (min(start, group[0]), group[1])
        return self._sentence_or_item(shape, i, start, end)

    def _sentence_or_item(self, shape: _SectionShape, i: int, start: int, end: int) -> tuple[int, int] | None:
        """The sentence, or its whole paragraph or item when that is short; never a slight fragment alone."""
        line = shape.lines[i]
        whole = shape.line_text(i)
        if self.item_chars and len(whole) <= self.item_chars and not _ends_lead_in(whole) and not _POINTER.match(whole):
            return (line.start, line.end)
        sentence = shape.text[start:end]
        if _POINTER.match(sentence) or len(sentence.split()) < 5 or _ends_lead_in(sentence):
            return None
        return (start, end)

    @staticmethod
    def _fragment_item(text: str) -> bool:
        """A list item that is not a sentence on its own: it carries on ("...; or"), starts in lower case,
        or is a short phrase finishing a lead-in ("Aged under 18; or", "The power to disclose;")."""
        body = text.rstrip()
        if body[:1].islower() or _CONTINUES.search(body.removesuffix(".")) and len(body) < 120:
            return True
        return len(body) < 80 and not body.endswith((".", "?", "!"))

    def _is_lead_in(self, shape: _SectionShape, j: int) -> bool:
        return 0 <= j < len(shape.lines) and not shape.lines[j].item and _ends_lead_in(shape.line_text(j))

    def _bare_lead_in(self, shape: _SectionShape, j: int) -> bool:
        """A paragraph that is nothing but a lead-in ("The individual is:")."""
        line = shape.lines[j]
        return self._is_lead_in(shape, j) and len(shape.sentences_in(line.start, line.end)) <= 1

    def _colon_group(self, shape: _SectionShape, lead: int) -> tuple[int, int] | None:
        """A lead-in with all it leads into: the list or paragraph after it, and any further bare lead-in
        with its list ("...for the purposes of: • ... The individual is: • ..."), from the first lead-in of
        such a chain. None when there is no lead-in here or the whole is too long to show."""
        if not self._is_lead_in(shape, lead):
            return None
        first = lead  # walk back over a chain of bare lead-ins and their lists
        while self._bare_lead_in(shape, first):
            before = first - 1
            if before >= 0 and shape.lines[before].item:
                if len(shape.line_text(first).split()) > 4:
                    break  # a new list ("...the following rights:"), not the rest of one ("The individual is:")
                before = shape.list_block(before)[0] - 1
            if not self._is_lead_in(shape, before):
                break
            first = before
        last = lead  # walk forward over what each lead-in leads into
        while last + 1 < len(shape.lines):
            nxt = last + 1
            if self._is_lead_in(shape, last):  # a lead-in: its list, or the paragraph it introduces
                last = shape.list_block(nxt)[1] if shape.lines[nxt].item else nxt
            elif shape.lines[last].item and self._bare_lead_in(shape, nxt) and nxt + 1 < len(shape.lines) \
                    and shape.lines[nxt + 1].item:  # a list, then "The individual is:" and its own list
                last = shape.list_block(nxt + 1)[1]
            else:
                break
        if last == lead:
            return None
        span = (self._lead_in_start(shape, first), shape.lines[last].end)
        return span if self.fits(span) else None

    @staticmethod
    def _lead_in_start(shape: _SectionShape, lead: int) -> int:
        """Where a lead-in begins: its last sentence, or the sentence before when it only points ("These are:")."""
        line = shape.lines[lead]
        sents = shape.sentences_in(line.start, line.end)
        if not sents:
            return line.start
        k = len(sents) - 1
        if k > 0 and len(shape.text[sents[k][0]:sents[k][1]].split()) <= 4:
            k -= 1
        return sents[k][0]

    # ---- what must come with a passage -------------------------------------------------------------
    def _close(self, shape: _SectionShape, span: tuple[int, int]) -> tuple[int, int] | None:
        """Grow a passage until nothing in it misleads: a myth comes with its rebuttal, a rebuttal with its
        myth, a 'However, ...' with the sentence it qualifies, a lead-in with what it leads into."""
        for _ in range(8):
            start, end = span
            i, j = shape.line_at(start), shape.line_at(end)
            if i < 0 or j < 0:
                return None
            rebutted = {r: m for m, r in shape.myths.items()}
            if i in rebutted and start == shape.lines[i].start:
                start = shape.lines[rebutted[i]].start  # the rebuttal with the myth it answers
            for m, r in shape.myths.items():
                if start <= shape.lines[m].start < end and end < self._rebuttal_end(shape, r):
                    end = self._rebuttal_end(shape, r)  # the myth never without its rebuttal
            first = next((s for s in shape.sentences if s[0] >= start), None)
            if first and first[0] == start and _HOWEVER.match(shape.text[first[0]:first[1]]):
                before = [s for s in shape.sentences if s[1] <= start]
                if before:
                    start = before[-1][0]
                    k = shape.line_at(start)
                    if shape.lines[k].item and self._fragment_item(shape.line_text(k)):
                        group = self._colon_group(shape, shape.list_block(k)[0] - 1)
                        if group is None:
                            return None
                        start = group[0]
            if _ends_lead_in(shape.text[start:end]):
                k = shape.line_at(end)
                if shape.statute:
                    end = shape.subtree_end(k)
                else:
                    group = self._colon_group(shape, k)
                    if group is None:
                        return None
                    start, end = min(start, group[0]), group[1]
            if (start, end) == span:
                return span
            span = (start, end)
            if not self.fits(span):
                return None
        return span

    def _rebuttal_end(self, shape: _SectionShape, r: int) -> int:
        """A rebuttal's first sentence, or its whole paragraph when that is short."""
        line = shape.lines[r]
        if line.end - line.start <= self.item_chars:
            return line.end
        sents = shape.sentences_in(line.start, line.end)
        return sents[0][1] if sents else line.end
