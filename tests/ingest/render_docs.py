"""Render a Markdown test document (evals/local/docs) as the files a partnership really holds: a PDF (one or two
columns, headings in a larger font, an outline), a Word file with heading styles, or a web page with menus and a
footer around it. Used by scripts/local_docs_eval.py and the slow ingest tests, so the same questions are asked of
the same words arriving in each format."""

from __future__ import annotations

import html
import re
from pathlib import Path

Block = tuple[int, str]  # (heading level, text) or (0, paragraph text)


def blocks(markdown: str) -> list[Block]:
    """Headings and paragraphs (a list item is a paragraph; hard wraps joined)."""
    out: list[Block] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            out.append((0, " ".join(para)))
            para.clear()

    for line in markdown.splitlines():
        m = re.match(r"^(#{1,6}) (.+)$", line)
        if m:
            flush()
            out.append((len(m.group(1)), m.group(2).strip()))
        elif not line.strip():
            flush()
        elif re.match(r"^\s*([-*]|\d+[.)]) ", line) and para:
            flush()
            para.append(line.strip())
        else:
            para.append(line.strip())
    flush()
    return out


def to_pdf(markdown: str, path: Path, columns: int = 1) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

    styles = getSampleStyleSheet()
    heading = {1: styles["Title"], 2: styles["Heading2"], 3: styles["Heading3"], 4: styles["Heading4"]}

    class Doc(BaseDocTemplate):
        def afterFlowable(self, flowable):  # noqa: N802 - reportlab's hook
            level = getattr(flowable, "_sw_level", 0)
            if level >= 2:
                key = f"h{id(flowable)}"
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(flowable.getPlainText(), key, level=min(level - 2, 2), closed=False)

    doc = Doc(str(path), pagesize=A4, title=blocks(markdown)[0][1])
    width, height = A4
    margin, gap = 50, 20
    w = (width - 2 * margin - (columns - 1) * gap) / columns
    frames = [Frame(margin + i * (w + gap), margin, w, height - 2 * margin, id=f"c{i}") for i in range(columns)]
    doc.addPageTemplates([PageTemplate(id="page", frames=frames)])
    story = []
    for level, text in blocks(markdown):
        p = Paragraph(html.escape(text), heading.get(level, styles["Heading4"]) if level else styles["BodyText"])
        p._sw_level = level  # type: ignore[attr-defined]
        story.append(p)
    doc.build(story)
    return path


def to_docx(markdown: str, path: Path) -> Path:
    import docx

    d = docx.Document()
    for level, text in blocks(markdown):
        if level == 1:
            d.add_heading(text, 0)
            d.core_properties.title = text
        elif level:
            d.add_heading(text, min(level - 1, 9))
        else:
            d.add_paragraph(text)
    d.save(str(path))
    return path


def to_html(markdown: str, path: Path) -> Path:
    body = []
    for level, text in blocks(markdown):
        body.append(f"<h{level}>{html.escape(text)}</h{level}>" if level else f"<p>{html.escape(text)}</p>")
    title = html.escape(blocks(markdown)[0][1])
    page = (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
            "<script>var tracking = 'never shown';</script><style>body{font:14px sans-serif}</style></head><body>"
            "<header><a href='/'>Home</a> <a href='/search'>Search</a></header>"
            "<nav><ul><li><a href='/a'>Procedures A to Z</a></li><li><a href='/contact'>Contact us</a></li></ul></nav>"
            f"<main>{''.join(body)}</main>"
            "<footer><p>Cookie settings. Accessibility statement. Copyright the partnership.</p></footer>"
            "</body></html>")
    path.write_text(page, encoding="utf-8")
    return path
