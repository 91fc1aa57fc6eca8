"""HTML into a text of record with BeautifulSoup (lxml's HTML parser). Nothing is fetched: no images, styles,
scripts or links are followed; the file's own bytes are all that is read.

Dropped: script, style, noscript, template, nav, aside, form, iframe, object, svg and the like; page-level
header and footer (one inside <main> or an <article> is the content's own and kept); landmark roles for
navigation, banner, search and page footer; anything hidden with `hidden`, aria-hidden="true" or an inline
display:none. The text comes from <main> when there is one, else from a lone <article>, else from <body>.
h1..h6 become heading lines at the same level; p, li, dd, dt, blockquote, td, th, pre, figcaption, caption and
text directly in a div (or any other block) become paragraphs, whitespace inside each collapsed to one space.
Entities are decoded by the parser.
Decoding: a byte-order mark, else the charset the document declares, else UTF-8, else cp1252 (a declared latin-1
or ASCII is read as cp1252, as browsers do)."""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag
from bs4.element import CData

from ..errors import DocumentRefused
from .extracted import Extracted
from .parse_text import TextBuilder, clean, collapse

if TYPE_CHECKING:
    from .sandbox import Limits

DROP = ("script", "style", "noscript", "template", "nav", "aside", "form", "iframe", "object", "embed", "svg",
        "math", "canvas", "button", "select", "textarea", "input", "dialog", "head", "link", "meta")
DROP_ROLES = {"navigation", "banner", "search", "contentinfo", "complementary", "menu", "menubar", "dialog"}
BLOCKS = {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "div", "dl",
          "dt", "fieldset", "figcaption", "figure", "footer", "header", "hgroup", "hr", "html", "li", "main", "ol",
          "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
_LATIN = {"iso8859-1", "latin-1", "ascii", "windows-1252", "cp1252"}
_NOT_TEXT = (Comment, Declaration, Doctype, ProcessingInstruction, CData)


def decode_html(data: bytes) -> str:
    """The page's characters: BOM, declared charset (first 4 KB), UTF-8, then cp1252."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    declared = _CHARSET.search(data[:4096]) or _XML_ENCODING.search(data[:200])
    if declared:
        try:
            name = codecs.lookup(declared.group(1).decode("ascii")).name
        except LookupError:
            name = ""
        name = "cp1252" if name in _LATIN else name
        if name and not name.startswith("utf-16"):  # bytes that declare UTF-16 in ASCII cannot be UTF-16
            try:
                return data.decode(name)
            except UnicodeDecodeError:
                pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="ignore")


def _hidden(tag: Tag) -> bool:
    if tag.has_attr("hidden") or str(tag.get("aria-hidden", "")).strip().lower() == "true":
        return True
    style = re.sub(r"\s+", "", str(tag.get("style", ""))).lower()
    return "display:none" in style or "visibility:hidden" in style


def _strip_noise(root: Tag) -> None:
    for tag in root.find_all(DROP):
        tag.decompose()
    for tag in root.find_all(True):
        if tag.decomposed:
            continue
        role = str(tag.get("role", "")).strip().lower()
        chrome = tag.name in ("header", "footer") and tag.find_parent(("article", "main")) is None
        if _hidden(tag) or role in DROP_ROLES or chrome:
            tag.decompose()


def _content_root(soup: BeautifulSoup) -> Tag:
    main = soup.find("main") or soup.find(role="main")
    if isinstance(main, Tag):
        return main
    articles = soup.find_all("article")
    if len(articles) == 1 and isinstance(articles[0], Tag):
        return articles[0]
    body = soup.find("body")
    return body if isinstance(body, Tag) else soup


class _Walker:
    """Document order: inline text gathers into the paragraph open at the moment; every block boundary closes it."""

    def __init__(self, builder: TextBuilder):
        self.builder = builder
        self.buffer: list[str] = []
        self.headings: list[tuple[int, str]] = []

    def flush(self) -> None:
        if self.buffer:
            self.builder.paragraph("".join(self.buffer))
            self.buffer = []

    def walk(self, node: Any) -> None:
        for child in node.children:
            if isinstance(child, _NOT_TEXT):
                continue
            if isinstance(child, NavigableString):
                self.buffer.append(str(child))
            elif isinstance(child, Tag):
                if child.name in HEADINGS:
                    self.flush()
                    title = collapse(clean(child.get_text(" ")))
                    if title:
                        self.builder.heading(HEADINGS[child.name], title)
                        self.headings.append((HEADINGS[child.name], title))
                elif child.name == "br":
                    self.buffer.append(" ")
                elif child.name in BLOCKS:
                    self.flush()
                    self.walk(child)
                    self.flush()
                else:
                    self.walk(child)


def parse_html(path: Path, limits: Limits) -> Extracted:
    """An HTML page's text of record. Title: <title>, else the first h1, else the first heading."""
    try:
        soup = BeautifulSoup(decode_html(path.read_bytes()), "lxml")
    except (ValueError, RecursionError) as e:
        raise DocumentRefused(f"{path.name} could not be parsed as HTML ({type(e).__name__}): save the page again "
                              "from the browser and ingest that") from None
    title_tag = soup.find("title")
    title = collapse(clean(title_tag.get_text(" "))) if isinstance(title_tag, Tag) else ""
    root = _content_root(soup)
    _strip_noise(root)
    walker = _Walker(TextBuilder(path.name, limits.max_text_chars))
    walker.walk(root)
    walker.flush()
    heads = walker.headings
    title = title or next((t for lv, t in heads if lv == 1), "") or next((t for _, t in heads), "")
    return Extracted(text=walker.builder.text(), kind="html", title=title)
