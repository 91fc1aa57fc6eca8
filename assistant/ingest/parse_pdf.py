"""PDF into a text of record with pypdfium2: pdfium's characters in its reading order, grouped into lines and
paragraphs by their geometry, headings from the outline (or, without one, from font size and numbering).

Lines: pdfium's own line breaks, or a jump of the baseline. Paragraphs: a new one starts at a vertical gap clearly
larger than the line spacing, a change of font size, a move up the page (the next column), or after a line that
ends a sentence well short of the column's width or above an indented line. A break is undone when the previous
paragraph stops mid-sentence and the next line starts in lowercase (a paragraph carried to the next column or
page). pdfium replaces a hyphen that ends a line with a marker (\\x02), whether the file drew a hyphen or a soft
hyphen: both look like "-" on the page, so the text keeps "-" and joins without a space ("decision-making")."""

from __future__ import annotations

import ctypes
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..errors import DocumentRefused
from .extracted import Extracted
from .parse_text import TextBuilder, clean, collapse

if TYPE_CHECKING:
    from .sandbox import Limits

MIN_CHARS_PER_PAGE = 20  # fewer text characters than this per page on average: a scan, not a text PDF
_SENTENCE_END = (".", "!", "?", ":", ";", '"', "\u201d", "\u2019", ")")
_NUMBERED = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)\.?\s+[A-Z]")
_BULLETS = ("\u2022", "\u25aa", "\u25cf", "\u25e6", "\u2013", "\u00b7", "-")
_NO_TITLE = ("", "untitled", "(unspecified)", "(anonymous)")


@dataclass
class Line:
    text: str
    page: int
    x0: float
    x1: float
    y: float  # baseline
    size: float  # the most common font size of its characters, in points as drawn
    bold: bool = False
    hyphen: bool = False  # ended by pdfium's line-end hyphen marker


def join(lines: list[Line]) -> tuple[str, list[int]]:
    """A paragraph's lines joined as parse_text.join_lines does, a pdfium hyphen marker kept as "-" with no space
    after it; with the offset in the result where each line's text starts."""
    out, starts = "", []
    glue = False
    for line in lines:
        text = collapse(line.text)
        if not out or glue or not text:
            sep = ""
        else:
            sep = "" if out.endswith("-") and len(out) > 1 and out[-2].isalpha() and text[0].islower() else " "
        starts.append(len(out) + len(sep) if text else len(out))
        out += sep + text
        if line.hyphen:
            out += "-"
        glue = line.hyphen
    return out, starts


@dataclass
class Block:
    lines: list[Line]
    level: int = 0  # 0: body paragraph

    @property
    def text(self) -> str:
        return join(self.lines)[0]


@dataclass
class _Stats:
    body: float
    spacing: dict[float, float] = field(default_factory=dict)

    def gap(self, size: float) -> float:
        return self.spacing.get(round(size * 2) / 2, 1.2 * size)


def _refuse(path: Path, problem: str) -> DocumentRefused:
    return DocumentRefused(f"{path.name} {problem}")


def _tail(path: Path) -> bytes:
    """The last 1024 bytes, where a complete PDF has its %%EOF marker (readers look no further back)."""
    with path.open("rb") as f:
        f.seek(max(0, path.stat().st_size - 1024))
        return f.read()


def _open(path: Path, limits: Limits) -> pdfium.PdfDocument:
    tail = _tail(path)
    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise _refuse(path, "is password-protected: save an unprotected copy (or ask the publisher for one) "
                                "and ingest that") from None
        raise _refuse(path, "is damaged or incomplete (pdfium cannot read its structure): download it again") from None
    if b"%%EOF" not in tail:
        pdf.close()
        raise _refuse(path, "is damaged or incomplete (it has no end-of-file marker, as after an interrupted "
                            "download): download it again")
    if len(pdf) > limits.max_pages:
        count = len(pdf)
        pdf.close()
        raise _refuse(path, f"has {count:,} pages, more than the {limits.max_pages:,} Sharewise reads from one file: "
                            "split it into smaller PDFs and ingest each")
    return pdf


def _font_is_bold(textpage: pdfium.PdfTextPage, index: int) -> bool:
    flags = ctypes.c_int()
    size = pdfium_c.FPDFText_GetFontInfo(textpage, index, None, 0, flags)
    if size <= 0:
        return False
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFText_GetFontInfo(textpage, index, buffer, size, flags)
    name = buffer.value.decode("latin-1", "replace").lower()
    weight = pdfium_c.FPDFText_GetFontWeight(textpage, index)
    return weight >= 600 or bool(flags.value & 0x40000) or any(w in name for w in ("bold", "black", "heavy"))


def _charbox(textpage: pdfium.PdfTextPage, index: int) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of a character; zeros where pdfium has no box for it."""
    try:
        return textpage.get_charbox(index)
    except pdfium.PdfiumError:
        return (0.0, 0.0, 0.0, 0.0)


def page_lines(textpage: pdfium.PdfTextPage, page: int) -> list[Line]:
    """The page's characters, in pdfium's order, as lines with their geometry."""
    lines: list[Line] = []
    chars: list[str] = []
    sizes: list[float] = []
    first = last = -1
    x0 = y0 = 0.0
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    matrix = pdfium_c.FS_MATRIX()

    def end(hyphen: bool = False) -> None:
        nonlocal chars, sizes, first, last
        text = "".join(chars)
        if text.strip() or hyphen:
            box = _charbox(textpage, last) if last >= 0 else (x0, 0.0, x0, 0.0)
            size = Counter(round(s * 2) / 2 for s in sizes).most_common(1)[0][0] if sizes else 0.0
            lines.append(Line(text=text, page=page, x0=x0, x1=max(box[2], x0), y=y0, size=size,
                              bold=_font_is_bold(textpage, first) if first >= 0 else False, hyphen=hyphen))
        chars, sizes, first, last = [], [], -1, -1

    count = textpage.count_chars()
    i = 0
    while i < count:
        code = pdfium_c.FPDFText_GetUnicode(textpage, i)
        if code in (0x0D, 0x0A):
            end()
        elif code == 0x02 or pdfium_c.FPDFText_IsHyphen(textpage, i):
            end(hyphen=True)
        elif code == 0x20 and pdfium_c.FPDFText_IsGenerated(textpage, i):
            if chars:
                chars.append(" ")
        else:
            if 0xD800 <= code < 0xDC00 and i + 1 < count:  # a surrogate pair: one character
                low = pdfium_c.FPDFText_GetUnicode(textpage, i + 1)
                if 0xDC00 <= low < 0xE000:
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    i += 1
            pdfium_c.FPDFText_GetCharOrigin(textpage, i, origin_x, origin_y)
            pdfium_c.FPDFText_GetMatrix(textpage, i, matrix)
            scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))  # the size as drawn on the page
            size = pdfium_c.FPDFText_GetFontSize(textpage, i) * scale
            if chars and abs(origin_y.value - y0) > 0.6 * max(size, sizes[-1] if sizes else size):
                end()  # the baseline moved without a line break from pdfium
            char = clean(chr(code)) if code < 0xD800 or code >= 0xE000 else ""
            if char:
                if not chars:
                    x0, y0, first = origin_x.value, origin_y.value, i
                chars.append(char)
                if not char.isspace():
                    sizes.append(size)
                    last = i
        i += 1
    end()
    return lines


def _stats(pages: list[list[Line]]) -> _Stats:
    """The body font size (the most characters) and the usual baseline-to-baseline distance for each size."""
    weight: Counter[float] = Counter()
    gaps: dict[float, list[float]] = {}
    for lines in pages:
        for a, b in zip(lines, lines[1:]):
            if abs(a.size - b.size) < 0.05 * a.size and 0 < a.y - b.y < 3 * a.size:
                gaps.setdefault(a.size, []).append(a.y - b.y)
        for line in lines:
            weight[line.size] += len(line.text)
    body = weight.most_common(1)[0][0] if weight else 10.0
    return _Stats(body=body, spacing={s: statistics.median(g) for s, g in gaps.items() if len(g) >= 2})


def _breaks(prev: Line, line: Line, block: list[Line], stats: _Stats) -> str:
    """Why `line` starts a new block after `prev` ("" when it continues the paragraph)."""
    if line.page != prev.page:
        return "page"
    if abs(line.size - prev.size) > 0.1 * min(line.size, prev.size):
        return "size"
    drop = prev.y - line.y
    if drop < -0.5 * prev.size:
        return "column"
    if drop > 1.3 * stats.gap(prev.size):
        return "gap"
    text, last = line.text.lstrip(), prev.text.rstrip()
    if text.startswith(_BULLETS) and len(text) > 1 and text[1] == " ":
        return "bullet"
    ends = last.endswith(_SENTENCE_END)
    starts = text[:1].isupper() or text[:1].isdigit()
    widest = max(ln.x1 for ln in block)
    if ends and starts and len(block) > 1 and prev.x1 < widest - 4 * prev.size:
        return "short"
    if ends and starts and line.x0 > prev.x0 + 0.8 * prev.size:
        return "indent"
    return ""


def _blocks(pages: list[list[Line]], stats: _Stats) -> list[Block]:
    blocks: list[Block] = []
    for line in (ln for lines in pages for ln in lines):
        if not blocks:
            blocks.append(Block([line]))
            continue
        current = blocks[-1].lines
        why = _breaks(current[-1], line, current, stats)
        carried = (why in ("page", "column", "gap") and abs(line.size - current[-1].size) < 0.1 * line.size
                   and not current[-1].text.rstrip().endswith(_SENTENCE_END) and line.text.lstrip()[:1].islower())
        if why and not carried:
            blocks.append(Block([line]))
        else:
            current.append(line)
    return blocks


def _norm(text: str) -> str:
    return collapse(text).casefold()


def _outline_headings(pdf: pdfium.PdfDocument, blocks: list[Block]) -> bool:
    """Mark blocks whose words are an outline entry's title on the entry's page (level = depth + 2); a heading's
    lines at the head of a paragraph are split off it. True when any entry was found."""
    wanted: dict[tuple[int, str], int] = {}
    for mark in pdf.get_toc(max_depth=6):
        dest = mark.get_dest()
        page = dest.get_index() if dest else None
        title = _norm(mark.get_title())
        if page is not None and title:
            wanted.setdefault((page, title), min(6, mark.level + 2))
    found = False
    i = 0
    while i < len(blocks) and wanted:
        block = blocks[i]
        for k in range(1, min(4, len(block.lines)) + 1):
            key = (block.lines[0].page, _norm(Block(block.lines[:k]).text))
            if key in wanted:
                if k < len(block.lines):
                    blocks.insert(i + 1, Block(block.lines[k:]))
                    block.lines = block.lines[:k]
                block.level = wanted.pop(key)
                found = True
                break
        i += 1
    return found


def _looks_like_heading(block: Block, stats: _Stats) -> str:
    """ "size", "bold" or "number" for a short block that reads as a heading, "" otherwise."""
    text = block.text
    if len(block.lines) > 3 or len(text) > 200 or not text or text.endswith((".", ",", ";", ":")):
        return ""
    size = block.lines[0].size
    if size >= 1.15 * stats.body:
        return "size"
    one_line_short = len(block.lines) == 1 and len(text.split()) <= 12
    if one_line_short and all(ln.bold for ln in block.lines) and abs(size - stats.body) <= 0.1 * stats.body:
        return "bold"
    if one_line_short and _NUMBERED.match(text):
        return "number"
    return ""


def _layout_headings(blocks: list[Block], stats: _Stats) -> None:
    """Without an outline: larger fonts rank as levels 2, 3, ... by size; a bold or numbered body-size line is a
    heading one level below the sized ones, or at its numbering depth ("3.2 Consent": 3)."""
    kinds = {id(b): _looks_like_heading(b, stats) if not b.level else "" for b in blocks}
    sizes = sorted({b.lines[0].size for b in blocks if kinds[id(b)] == "size"}, reverse=True)
    for block in blocks:
        kind = kinds[id(block)]
        numbered = _NUMBERED.match(block.text)
        if kind == "size":
            block.level = min(6, 2 + sizes.index(block.lines[0].size))
        elif kind == "number" and numbered:
            block.level = min(6, 2 + numbered.group(1).count("."))
        elif kind == "bold":
            block.level = min(6, 2 + len(sizes))


def _mark_title(pdf: pdfium.PdfDocument, blocks: list[Block]) -> str:
    """The metadata title unless empty or a placeholder; the early block that repeats it becomes the level-1 line."""
    meta = collapse(clean(pdf.get_metadata_value("Title") or ""))
    if meta.casefold() in _NO_TITLE or meta.startswith("Microsoft Word - "):
        return ""
    for block in blocks[:40]:
        if len(block.lines) <= 3 and _norm(block.text) == meta.casefold():
            block.level = 1
            break
    return meta


def _guard_markers(blocks: list[Block]) -> list[Block]:
    """A body paragraph starting "# " joins the paragraph before it; with none before it, its "#" run is dropped
    (as parse_text.TextBuilder does, done here so that page offsets stay exact)."""
    out: list[Block] = []
    for block in blocks:
        marker = re.match(r"#+(?:\s+|$)", block.text) if not block.level else None
        if marker and out and not out[-1].level:
            out[-1].lines += block.lines
            continue
        if marker:
            first = block.lines[0]
            block.lines[0] = Line(**{**first.__dict__, "text": re.sub(r"^\s*#+\s*", "", first.text)})
        out.append(block)
    return out


def _assemble(path: Path, blocks: list[Block], page_count: int, limits: Limits) -> tuple[str, tuple[int, ...]]:
    """Blocks -> text, with the offset where each page's first line lands (an empty page: where the next starts)."""
    builder = TextBuilder(path.name, limits.max_text_chars)
    starts: list[int | None] = [None] * page_count
    for block in blocks:
        offset = builder.next_offset()
        if block.level:
            if starts[block.lines[0].page] is None:
                starts[block.lines[0].page] = offset
            builder.heading(block.level, block.text)
            continue
        text, line_starts = join(block.lines)
        for line, at in zip(block.lines, line_starts):
            if starts[line.page] is None:
                starts[line.page] = offset + at
        builder.paragraph(text)
    end = builder.size
    pages: list[int] = []
    for start in reversed(starts):
        pages.append(start if start is not None else (pages[-1] if pages else end))
    pages.reverse()
    if pages:
        pages[0] = 0
    return builder.text(), tuple(min(p, end) for p in pages)


def parse_pdf(path: Path, limits: Limits) -> Extracted:
    """A PDF's text of record; refused when password-protected, damaged, scanned or longer than the limits."""
    pdf = _open(path, limits)
    try:
        pages: list[list[Line]] = []
        characters = 0
        for index in range(len(pdf)):
            try:
                page = pdf[index]
                textpage = page.get_textpage()
            except pdfium.PdfiumError:
                raise _refuse(path, f"is damaged or incomplete (page {index + 1} cannot be read): "
                                    "download it again") from None
            lines = page_lines(textpage, index)
            characters += sum(len(ln.text.strip()) for ln in lines)
            if characters > limits.max_text_chars:
                raise _refuse(path, f"holds more than {limits.max_text_chars:,} characters of text, more than "
                                    "Sharewise reads from one file: split it into smaller files and ingest each")
            pages.append(lines)
            textpage.close()
            page.close()
        if characters < MIN_CHARS_PER_PAGE * len(pdf):
            raise _refuse(path, "has no text layer (it looks scanned): Sharewise does not offer OCR; ask the "
                                "publisher for a text PDF or the Word version")
        stats = _stats(pages)
        blocks = _blocks(pages, stats)
        if _outline_headings(pdf, blocks):
            title = _mark_title(pdf, blocks)
        else:
            title = _mark_title(pdf, blocks)
            _layout_headings(blocks, stats)
        title = title or next((collapse(b.text) for b in blocks if b.level), "")
        text, starts = _assemble(path, _guard_markers(blocks), len(pdf), limits)
        return Extracted(text=text, kind="pdf", title=title, pages=starts)
    finally:
        pdf.close()
