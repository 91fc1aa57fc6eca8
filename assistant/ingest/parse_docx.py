"""Word (.docx) into a text of record with python-docx, after the zip itself has been checked.

Before python-docx opens it, the package is inspected with zipfile: it must be a zip with word/document.xml; its
members may not unpack to more than Limits.max_unpacked_bytes nor inflate absurdly (a zip bomb); a VBA project or
the macro-enabled content type refuses it. External relationships (linked images, hyperlinks, attached templates)
are never followed: python-docx does not fetch them and nothing here reads their targets.

Headings from paragraph styles (a style based on one counts as it): "Title" is level 1 (the document title) and
"Heading N" is level N+1, so "Heading 1" is a level-2 section, as the corpus's own Markdown has it; a paragraph
with an outline level and no heading style is a heading at that level + 2. Body paragraphs, table cells'
paragraphs (each non-empty one its own paragraph, row by row) and list items come in document order; text boxes
follow the paragraph that anchors them. Tracked deletions, field codes and the fallback copy of a drawing are not
text. List numbers and bullets are drawn by Word, not written in the file, so they are not in the text.
Headers, footers, footnotes and comments are left out."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DocumentRefused
from .extracted import Extracted
from .parse_text import TextBuilder, collapse, join_lines

if TYPE_CHECKING:
    from .sandbox import Limits

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
BOMB_RATIO = 300  # deflate can reach ~1000:1; Word's XML compresses 5-20:1
BOMB_MIN_BYTES = 5 * 1024 * 1024
MAX_MEMBERS = 10_000
_SKIP = {W + "del", W + "moveFrom", W + "instrText", W + "delText", W + "delInstrText", MC_FALLBACK,
         W + "footnoteReference", W + "endnoteReference", W + "commentReference"}
_CONTAINERS = {W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag", W + "ins", W + "moveTo"}
_HEADING = re.compile(r"heading ([1-9])")


def _refuse(path: Path, problem: str) -> DocumentRefused:
    return DocumentRefused(f"{path.name} {problem}")


def inspect_package(path: Path, limits: Limits) -> None:
    """Refuse what is not a plain, honest .docx before anything parses its XML."""
    from .sandbox import human_size

    with path.open("rb") as f:
        if f.read(8) == OLE_MAGIC:
            raise _refuse(path, "is an old binary Word (.doc) file, which Sharewise does not read: open it in Word or "
                                "LibreOffice, save it as .docx and ingest that")
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
            names = {i.filename for i in infos}
            if "word/document.xml" not in names:
                raise _refuse(path, "is a zip archive but not a Word document (it has no word/document.xml): "
                                    "Sharewise reads PDF, Word .docx, HTML, Markdown and plain text files")
            if len(infos) > MAX_MEMBERS:
                raise _refuse(path, f"has {len(infos):,} parts, far more than a Word document (it looks like a zip "
                                    "bomb): save it again from Word, or do not use it")
            total = sum(i.file_size for i in infos)
            if total > limits.max_unpacked_bytes:
                raise _refuse(path, f"unpacks to {human_size(total)}, more than the "
                                    f"{human_size(limits.max_unpacked_bytes)} Sharewise allows (it looks like a zip "
                                    "bomb): if it is a genuine document, split it into smaller files")
            for info in infos:
                if info.file_size > BOMB_MIN_BYTES and info.file_size > BOMB_RATIO * max(1, info.compress_size):
                    ratio = info.file_size // max(1, info.compress_size)
                    raise _refuse(path, f"looks like a zip bomb (its part {info.filename} inflates {ratio:,} times): "
                                        "save it again from Word, or do not use it")
            types = package.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
            macros = any(n.lower().endswith(("vbaproject.bin", "vbadata.xml")) for n in names)
            if macros or b"macroenabled" in types.lower():
                raise _refuse(path, "contains macros (a macro-enabled Word file): save it as a plain .docx "
                                    "(without macros) and ingest that")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, KeyError, NotImplementedError):
        raise _refuse(path, "is damaged or not a Word file (not a readable .docx package): download it again or "
                            "save it again from Word") from None


def _runs_text(element: Any, boxes: list[Any]) -> str:
    """The visible text of a paragraph: runs in order, hyperlinks, fields' results and insertions included;
    text boxes set aside in `boxes` (they are their own paragraphs)."""
    out: list[str] = []

    def walk(node: Any) -> None:
        for child in node:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == W + "txbxContent":
                boxes.append(child)
            elif tag == W + "t":
                out.append(child.text or "")
            elif tag in (W + "tab", W + "ptab"):
                out.append(" ")
            elif tag in (W + "br", W + "cr"):
                out.append("\n")
            elif tag == W + "noBreakHyphen":
                out.append("-")
            elif tag != W + "pPr":
                walk(child)

    walk(element)
    return "".join(out)


class _Styles:
    """Paragraph style id -> heading level (0: body), through each style's base styles."""

    def __init__(self, document: Any):
        self.by_id = {s.style_id: s for s in document.styles if getattr(s, "style_id", None)}
        self.cache: dict[str, int] = {}

    def level(self, style_id: str) -> int:
        if style_id not in self.cache:
            self.cache[style_id] = self._resolve(self.by_id.get(style_id))
        return self.cache[style_id]

    @staticmethod
    def _resolve(style: Any) -> int:
        for _ in range(10):
            if style is None:
                return 0
            name = (style.name or "").strip().lower()
            if name == "title":
                return 1
            heading = _HEADING.fullmatch(name)
            if heading:
                return min(6, int(heading.group(1)) + 1)
            outline = style.element.find(f"{W}pPr/{W}outlineLvl")
            if outline is not None and (outline.get(W + "val") or "").isdigit() and int(outline.get(W + "val")) < 9:
                return min(6, int(outline.get(W + "val")) + 2)
            style = style.base_style
        return 0


def _paragraph_level(p: Any, styles: _Styles) -> int:
    ppr = p.find(W + "pPr")
    style = ppr.find(W + "pStyle") if ppr is not None else None
    level = styles.level(style.get(W + "val") or "") if style is not None else 0
    if not level and ppr is not None:
        outline = ppr.find(W + "outlineLvl")
        value = outline.get(W + "val") if outline is not None else None
        if value and value.isdigit() and int(value) < 9:
            level = min(6, int(value) + 2)
    return level


def _blocks(container: Any, styles: _Styles) -> Iterator[tuple[int, str]]:
    """(level, text) for each paragraph under a body, cell or text box, in document order; tables row by row."""
    for child in container:
        tag = child.tag
        if tag == W + "p":
            boxes: list[Any] = []
            text = join_lines(_runs_text(child, boxes).split("\n"))
            yield _paragraph_level(child, styles), text
            for box in boxes:
                yield from _blocks(box, styles)
        elif tag in (W + "tbl", W + "tr", W + "tc") or tag in _CONTAINERS:
            yield from _blocks(child, styles)


def parse_docx(path: Path, limits: Limits) -> Extracted:
    """A .docx's text of record. Title: the core properties' title, else the Title-style paragraph, else the
    first heading."""
    inspect_package(path, limits)
    import docx

    try:
        document = docx.Document(str(path))
        body = document.element.body
        styles = _Styles(document)
        core_title = collapse(document.core_properties.title or "")
    except Exception as e:  # noqa: BLE001 - python-docx raises KeyError, ValueError, lxml errors, BadZipFile ...
        raise _refuse(path, f"could not be opened as a Word document ({type(e).__name__}): download it again or "
                            "save it again from Word") from None
    builder = TextBuilder(path.name, limits.max_text_chars)
    headings: list[tuple[int, str]] = []
    for level, text in _blocks(body, styles):
        if level:
            builder.heading(level, text)
            if collapse(text):
                headings.append((level, collapse(text)))
        else:
            builder.paragraph(text)
    title = core_title or next((t for lv, t in headings if lv == 1), "") or next((t for _, t in headings), "")
    return Extracted(text=builder.text(), kind="docx", title=title)
