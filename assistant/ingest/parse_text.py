"""Markdown and plain text into a text of record, and the few rules every parser shares for building one.

The shared rules (used by the PDF, Word and HTML parsers too) are the only changes a parser may make to a file's
words: line wraps inside a paragraph joined (`join_lines`), whitespace runs in a paragraph made one space, control
characters, NULs and soft hyphens dropped (`clean`), paragraphs separated by one blank line and heading lines added
(`TextBuilder`). A body paragraph that starts with "#" and a space would read as a heading in the corpus's Markdown:
`TextBuilder` joins it to the paragraph before it with a space instead; with no paragraph before it, the "#" run
alone is dropped (the one case where a character of the file is lost, and only a markup-like one)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DocumentRefused
from .extracted import Extracted

if TYPE_CHECKING:
    from .sandbox import Limits

_DROP: dict[int, int | None] = {cp: None for cp in range(0x20) if cp not in (0x09, 0x0A)}
_DROP.update({0x7F: None, 0xAD: None, 0xFEFF: None, 0xFFFE: None, 0xFFFF: None, 0x09: 0x20})
_DROP.update({cp: None for cp in range(0x80, 0xA0)})  # C1 controls
_DROP.update({cp: None for cp in range(0xD800, 0xE000)})  # lone surrogates: no character to keep
_SPACES = re.compile(r"[ \t\n\r\f\v\u2028\u2029]+")
_MARKER = re.compile(r"^#+(?:[ \t]+|$)")
_LOWER_START = re.compile(r"^[^\W\d_]", re.UNICODE)


def clean(text: str) -> str:
    """Control characters (tab becomes a space), NULs, byte-order marks, lone surrogates and soft hyphens removed;
    newlines kept."""
    return text.translate(_DROP)


def collapse(text: str) -> str:
    """Whitespace runs as one space, ends stripped (a paragraph's own spacing means nothing to a reader)."""
    return _SPACES.sub(" ", text).strip()


def join_lines(lines: list[str]) -> str:
    """One paragraph from its layout lines: a single space at each wrap; a line ending in a hyphen after a letter,
    followed by a lowercase letter, keeps the hyphen and joins without a space ("well-" + "founded")."""
    out = ""
    for raw in lines:
        line = collapse(raw)
        if not line:
            continue
        if not out:
            out = line
        elif out.endswith("-") and len(out) > 1 and out[-2].isalpha() and line[0].islower():
            out += line
        else:
            out += " " + line
    return out


def decode(data: bytes) -> str:
    """UTF-8 (a byte-order mark dropped) or UTF-16 with its mark, else cp1252 (bytes cp1252 leaves undefined are
    dropped: there is no character to keep); line endings made \\n."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="ignore")
    return text.replace("\r\n", "\n").replace("\r", "\n")


class TextBuilder:
    """Blocks in reading order -> the text of record: headings as `#`*level + " " + title, paragraphs apart by one
    blank line, page starts recorded as offsets. Refuses once the text passes the limit."""

    def __init__(self, name: str, max_chars: int):
        self.name, self.max_chars = name, max_chars
        self.parts: list[str] = []
        self.size = 0
        self.last = ""  # "heading", "paragraph" or "" before the first block
        self.pages: list[int] = []

    def _add(self, part: str) -> None:
        sep = "\n\n" if self.parts else ""
        self.parts.append(sep + part)
        self.size += len(sep) + len(part)
        if self.size > self.max_chars:
            raise DocumentRefused(f"{self.name} holds more than {self.max_chars:,} characters of text, more than "
                                  "Sharewise reads from one file: split it into smaller files and ingest each")

    def heading(self, level: int, title: str) -> None:
        title = collapse(clean(title))
        if title:
            self._add("#" * max(1, min(6, level)) + " " + title)
            self.last = "heading"

    def paragraph(self, text: str) -> None:
        text = collapse(clean(text))
        if not text:
            return
        if _MARKER.match(text):
            if self.last == "paragraph":
                self.parts[-1] += " " + text
                self.size += 1 + len(text)
                return
            text = _MARKER.sub("", text)
            if not text:
                return
        self._add(text)
        self.last = "paragraph"

    def next_offset(self) -> int:
        """Where the next block's first character will be."""
        return self.size + (2 if self.parts else 0)

    def start_page(self) -> None:
        """The page that starts now begins at the next block (PDF pages that end with a paragraph)."""
        self.pages.append(self.next_offset())

    def text(self) -> str:
        return "".join(self.parts)

    def page_starts(self) -> tuple[int, ...]:
        """Recorded page starts, each clamped to the text (an empty last page starts at its end); pages[0] == 0."""
        end = self.size
        starts = [min(p, end) for p in self.pages]
        if starts:
            starts[0] = 0
        return tuple(starts)


# ---------------------------------------------------------------------------------------------------- Markdown

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")


def _front_matter(lines: list[str]) -> tuple[list[str], str]:
    """A YAML front-matter block (--- ... --- at the top) is metadata, not text: removed, its title kept."""
    if not lines or lines[0].strip() != "---":
        return lines, ""
    for i, line in enumerate(lines[1:60], start=1):
        if line.strip() in ("---", "..."):
            title = next((ln.split(":", 1)[1].strip().strip("\"'") for ln in lines[1:i]
                          if ln.lower().startswith("title:")), "")
            return lines[i + 1:], title
    return lines, ""


def markdown_blocks(text: str) -> tuple[list[tuple[int, str]], str]:
    """Markdown -> (level, text) blocks in order (level 0 = a paragraph) and the front matter's title.

    ATX and setext headings are headings; a list item, a table row and each fenced code block are paragraphs of
    their own; other lines join into the paragraph they wrap in until a blank line. A thematic break (---) has no
    words and is dropped."""
    lines, title = _front_matter(text.split("\n"))
    blocks: list[tuple[int, str]] = []
    para: list[str] = []
    fence = ""

    def flush() -> None:
        if para:
            blocks.append((0, join_lines(para)))
            para.clear()

    for line in lines:
        if fence:
            para.append(line)
            if line.strip().startswith(fence):
                fence = ""
                flush()
            continue
        if not line.strip():
            flush()
            continue
        opening = _FENCE.match(line)
        if opening:
            flush()
            fence = opening.group(1)
            para.append(line)
            continue
        heading = _ATX.match(line)
        if heading:
            flush()
            blocks.append((len(heading.group(1)), heading.group(2) or ""))
            continue
        setext = _SETEXT.match(line)
        if setext and len(para) == 1 and not _ITEM.match(para[0]):
            blocks.append((1 if setext.group(1)[0] == "=" else 2, para[0]))
            para.clear()
            continue
        if _RULE.match(line):  # a thematic break: markup, no words
            flush()
            continue
        if _ITEM.match(line) or line.lstrip().startswith("|"):
            flush()
        para.append(line)
        if line.lstrip().startswith("|"):
            flush()
    flush()
    return blocks, title


# ---------------------------------------------------------------------------------------------------- plain text

_NUMBERED = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)\.?[ \t]+(\S.*)$")
_BULLET = re.compile(r"^\s*(?:[-*\u2022\u25aa\u2013]|\(?(?:\d{1,3}|[a-z])[.)])\s+\S")
_END_PUNCT = (".", ",", ";", ":", "!", "?")


def heading_level(line: str) -> int:
    """2 or deeper for a short line that reads as a heading: "1. Introduction" (2), "4.2 Consent" (3), "4.2.1 ..."
    (4), or a short ALL-CAPS line (2); 0 for anything else (sentences end in punctuation and headings do not)."""
    line = line.strip()
    if not line or len(line) > 90 or len(line.split()) > 12 or line.endswith(_END_PUNCT):
        return 0
    numbered = _NUMBERED.match(line)
    if numbered:
        rest = numbered.group(2)
        return 2 + numbered.group(1).count(".") if rest[:1].isupper() else 0
    letters = [c for c in line if c.isalpha()]
    if len(letters) >= 3 and all(c.isupper() for c in letters):
        return 2
    return 0


def _stands_apart(first: str, second: str) -> bool:
    """A heading-like first line directly above text: a heading if the text starts a sentence and the first line
    stops well short of the wrap width (a wrapped sentence's first line runs near it)."""
    return second.strip()[:1].isupper() and len(first.strip()) < 0.7 * len(second.strip())


def text_blocks(text: str) -> list[tuple[int, str]]:
    """Plain text -> (level, text) blocks: paragraphs at blank lines, wraps joined, a bullet or numbered item line
    starts a new paragraph, and a block's first line that reads as a heading (see `heading_level`) is a heading
    when it stands alone or is followed by a line that continues in a new sentence."""
    blocks: list[tuple[int, str]] = []
    for chunk in re.split(r"\n[ \t]*\n", text):
        lines = [ln for ln in chunk.split("\n") if ln.strip()]
        if not lines:
            continue
        level = heading_level(lines[0])
        if level and (len(lines) == 1 or _stands_apart(lines[0], lines[1])):
            blocks.append((level, lines[0].strip()))
            lines = lines[1:]
        para: list[str] = []
        for line in lines:
            if para and _BULLET.match(line):
                blocks.append((0, join_lines(para)))
                para = []
            para.append(line)
        if para:
            blocks.append((0, join_lines(para)))
    return blocks


def parse_text(path: Path, limits: Limits, markdown: bool | None = None) -> Extracted:
    """A Markdown (.md, .markdown) or plain text file into its text of record. Title: the front matter's or the
    first level-1 heading's, else the first heading's."""
    if markdown is None:
        markdown = path.suffix.lower() in (".md", ".markdown")
    source = clean(decode(path.read_bytes()))
    blocks, title = markdown_blocks(source) if markdown else (text_blocks(source), "")
    builder = TextBuilder(path.name, limits.max_text_chars)
    for level, body in blocks:
        if level:
            builder.heading(level, body)
        else:
            builder.paragraph(body)
    headings = [(lv, collapse(t)) for lv, t in blocks if lv and collapse(t)]
    title = title or next((t for lv, t in headings if lv == 1), "") or next((t for _, t in headings), "")
    return Extracted(text=builder.text(), kind="markdown" if markdown else "text", title=title)
