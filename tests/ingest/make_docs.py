"""Every test document for the ingest tests, generated at test time (nothing binary is kept in git).

Each maker writes one file into the folder it is given and returns its path. The sentences each document holds
are module constants, so a test can check that the words came through verbatim."""

from __future__ import annotations

import zipfile
from pathlib import Path

# The two-column PDF: (section heading, bookmark level, paragraphs), column 1 then column 2 (a frame break between).
TITLE = "Sharing information safely"
SENTENCES = (
    "Practitioners should share information early when a child may be at risk of harm.",
    "Fears about sharing information must not stand in the way of protecting children from abuse.",
    "Every agency keeps its own record of what was shared, with whom and for what purpose.",
    "Consent is not the only lawful basis for sharing personal information about a family.",
    "Where consent is sought, the decision-making should be explained to the parent in plain words.",
    "Information may be shared without consent if seeking it would place a child at greater risk.",
    "A written note of the reasons for each decision helps the next practitioner understand it.",
    "The note should say which information was shared and when it was sent.",
    "Records of sharing decisions are kept for as long as the case file itself.",
    "Managers review a sample of sharing decisions every quarter to check their quality.",
    "Lessons from each review are passed back to the teams that made the decisions.",
    "Families can ask to see what was recorded about them and why it was shared.",
)
S = SENTENCES
# The fifth sentence is broken by the layout right after "decision-": the text of record must keep "decision-making".
_S5 = S[4].replace("decision-making", "decision-<br/>making")
COLUMN_1 = (
    ("1 Why sharing matters", 0, (f"{S[0]} {S[1]}", S[2])),
    ("2 Consent", 0, (f"{S[3]} {_S5}",)),
    ("2.1 When consent is not needed", 1, (S[5],)),
)
COLUMN_2 = (
    ("3 Recording what was shared", 0, (f"{S[6]} {S[7]}", S[8])),
    ("4 Reviewing decisions", 0, (f"{S[9]} {S[10]}", S[11])),
)
HEADINGS = tuple(h for h, _, _ in COLUMN_1 + COLUMN_2)


def two_column_pdf(folder: Path, name: str = "two-column.pdf", repeat: int = 1) -> Path:
    """A4, two frames side by side; the title and headings in larger fonts, each heading a PDF bookmark.
    `repeat` > 1 repeats the content (each copy from a new page) to make a long document for timing."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageBreak, PageTemplate, Paragraph

    class Doc(BaseDocTemplate):
        def afterFlowable(self, flowable):  # noqa: N802 (reportlab's hook name)
            level = getattr(flowable, "outline_level", None)
            if level is not None:
                key = f"h{id(flowable)}"
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level)

    path = folder / name
    width, height = A4
    margin, gap = 50, 24
    col = (width - 2 * margin - gap) / 2
    frames = [Frame(margin, margin, col, height - 2 * margin, id="left"),
              Frame(margin + col + gap, margin, col, height - 2 * margin, id="right")]
    doc = Doc(str(path), pagesize=A4, title=TITLE, author="Sharewise tests")
    doc.addPageTemplates([PageTemplate(id="two", frames=frames)])
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=12.5, spaceAfter=7)
    h1 = ParagraphStyle("h1", fontName="Helvetica-Bold", fontSize=20, leading=24, spaceAfter=12)
    h2 = ParagraphStyle("h2", fontName="Helvetica-Bold", fontSize=14, leading=17, spaceBefore=8, spaceAfter=6)
    h3 = ParagraphStyle("h3", fontName="Helvetica-Bold", fontSize=12, leading=15, spaceBefore=6, spaceAfter=5)
    story: list = []
    for copy in range(repeat):
        if copy:
            story.append(PageBreak())
        story.append(Paragraph(TITLE, h1))
        for column in (COLUMN_1, COLUMN_2):
            for heading, level, paragraphs in column:
                head = Paragraph(heading, h2 if level == 0 else h3)
                head.outline_level = level  # type: ignore[attr-defined]
                story.append(head)
                story += [Paragraph(p, body) for p in paragraphs]
            if column is COLUMN_1:
                story.append(FrameBreak())
    doc.build(story)
    return path


def flowing_pdf(folder: Path, name: str = "flowing.pdf") -> Path:
    """Two short columns a page; one long paragraph of all the sentences, three times over, so that it runs on
    from column to column and page to page, breaking mid-sentence."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

    path = folder / name
    doc = BaseDocTemplate(str(path), pagesize=A4, title="Flowing text")
    doc.addPageTemplates([PageTemplate(frames=[Frame(50, 50, 240, 300, id="l"), Frame(310, 50, 240, 300, id="r")])])
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=12.5)
    doc.build([Paragraph(" ".join(SENTENCES * 3), body)])
    return path


PAGE_SENTENCE = "This sentence is printed on page {n} of the handbook."
EMPTY_PAGE = 4


def multi_page_pdf(folder: Path, name: str = "pages.pdf", pages: int = 6) -> Path:
    """One heading and one known sentence per page, except page EMPTY_PAGE, which has no text at all."""
    from reportlab.pdfgen.canvas import Canvas

    path = folder / name
    canvas = Canvas(str(path))
    canvas.setTitle("Handbook")
    for n in range(1, pages + 1):
        if n != EMPTY_PAGE:
            canvas.setFont("Helvetica-Bold", 16)
            canvas.drawString(72, 760, f"Part {n} of the handbook")
            canvas.setFont("Helvetica", 10)
            canvas.drawString(72, 720, PAGE_SENTENCE.format(n=n))
            canvas.drawString(72, 706, "Each page carries one sentence that names the page it is on.")
        canvas.showPage()
    canvas.save()
    return path


def scanned_pdf(folder: Path, name: str = "scanned.pdf") -> Path:
    """Text drawn into a picture and the picture placed on the pages: what a scanner makes (no text layer)."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    image = Image.new("L", (1200, 400), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(SENTENCES[:6]):
        draw.text((20, 20 + 60 * i), line, fill=0)
    path = folder / name
    canvas = Canvas(str(path))
    for _ in range(2):
        canvas.drawImage(ImageReader(image), 40, 400, width=520, height=173)
        canvas.showPage()
    canvas.save()
    return path


def encrypted_pdf(folder: Path, name: str = "locked.pdf") -> Path:
    """Opening needs the password 'secret'."""
    from reportlab.pdfgen.canvas import Canvas

    path = folder / name
    canvas = Canvas(str(path), encrypt="secret")
    canvas.drawString(72, 720, SENTENCES[0])
    canvas.showPage()
    canvas.save()
    return path


def truncated_pdf(folder: Path, name: str = "truncated.pdf") -> Path:
    """The first half of the multi-page PDF's bytes: an interrupted download."""
    whole = multi_page_pdf(folder, "whole-for-truncation.pdf").read_bytes()
    path = folder / name
    path.write_bytes(whole[: len(whole) // 2])
    return path


DOCX_TITLE = "Working with families"
DOCX_PARAGRAPHS = (
    "This guide explains how the team shares information with partner agencies.",
    "Ask for consent unless doing so would put the child at risk.",
    "Record each decision on the case file on the day it is made.",
)
DOCX_CELLS = ("Police", "Shared for a section 47 enquiry.", "School", "Shared with the designated lead.")
DOCX_LIST = ("Check the identity of the person asking.", "Share only what is needed.",
             "Send it securely.")


def word_docx(folder: Path, name: str = "guide.docx") -> Path:
    """Title, Heading 1 and Heading 2 styles, body text, a two-by-two table and a bulleted and a numbered list."""
    import docx

    document = docx.Document()
    document.core_properties.title = DOCX_TITLE
    document.add_heading(DOCX_TITLE, level=0)
    document.add_heading("Purpose", level=1)
    document.add_paragraph(DOCX_PARAGRAPHS[0])
    document.add_heading("Consent", level=1)
    document.add_paragraph(DOCX_PARAGRAPHS[1])
    document.add_heading("When to record", level=2)
    document.add_paragraph(DOCX_PARAGRAPHS[2])
    document.add_heading("Who we share with", level=1)
    table = document.add_table(rows=2, cols=2)
    for i, text in enumerate(DOCX_CELLS):
        table.cell(i // 2, i % 2).text = text
    document.add_heading("Steps", level=1)
    document.add_paragraph(DOCX_LIST[0], style="List Bullet")
    document.add_paragraph(DOCX_LIST[1], style="List Bullet")
    document.add_paragraph(DOCX_LIST[2], style="List Number")
    path = folder / name
    document.save(str(path))
    return path


def _rewrite_zip(source: Path, target: Path, extra: dict[str, bytes], replace: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, replace.get(item.filename, zin.read(item.filename)))
        for member, data in extra.items():
            zout.writestr(member, data)
    return target


ZIP_BOMB_BYTES = 50 * 1024 * 1024


def zip_bomb_docx(folder: Path, name: str = "bomb.docx") -> Path:
    """A valid Word file with an extra member of 50 MB of spaces (about 50 KB compressed)."""
    plain = word_docx(folder, "plain-for-bomb.docx")
    return _rewrite_zip(plain, folder / name, {"word/media/padding.xml": b" " * ZIP_BOMB_BYTES}, {})


def macro_docx(folder: Path, name: str = "macros.docm") -> Path:
    """A Word file with a VBA project and the macro-enabled content type, as Word saves a .docm."""
    plain = word_docx(folder, "plain-for-macros.docx")
    with zipfile.ZipFile(plain) as z:
        types = z.read("[Content_Types].xml")
    types = types.replace(b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                          b"application/vnd.ms-word.document.macroEnabled.main+xml")
    return _rewrite_zip(plain, folder / name, {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 512},
                        {"[Content_Types].xml": types})


def old_doc(folder: Path, name: str = "old.doc") -> Path:
    """The first bytes of an OLE compound file, as Word 97-2003 wrote."""
    path = folder / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4088)
    return path


def unknown_binary(folder: Path, name: str = "data.bin") -> Path:
    path = folder / name
    path.write_bytes(bytes(range(256)) * 8)
    return path


def oversized_text(folder: Path, name: str = "big.txt", size: int = 4000) -> Path:
    """A plain text file of `size` bytes: tested with a Limits.max_file_bytes smaller than it."""
    path = folder / name
    line = "Share information when it is necessary and proportionate.\n"
    path.write_text((line * (size // len(line) + 1))[:size], encoding="utf-8")
    return path


HTML_MAIN = (
    "The local partnership publishes this guidance for everyone who works with children.",
    "Share information with the police if a crime against a child is suspected.",
    "Tell the family what you shared unless that would increase the risk.",
    "Designated leads keep the school's records of every concern.",
)
HTML_NOISE = ("Skip to content", "Home", "Cookie settings", "All rights reserved", "trackVisitor",
              "Related pages", "Search this site", "Hidden promotion", "Screen reader trap")


def html_page(folder: Path, name: str = "page.html") -> Path:
    """A page whose <main> holds the guidance, surrounded by navigation, header, footer, script and hidden text."""
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Safeguarding guidance &amp; advice</title>
<style>body {{ font-family: sans-serif; }}</style>
<script>function trackVisitor() {{ fetch("https://example.com/beacon"); }}</script></head>
<body>
<a href="#main">Skip to content</a>
<header><nav><ul><li><a href="/">Home</a></li><li>Cookie settings</li></ul></nav></header>
<aside>Related pages</aside>
<form><label>Search this site</label><input name="q"></form>
<main id="main">
  <h1>Safeguarding guidance</h1>
  <p>{HTML_MAIN[0]}</p>
  <h2>When to share</h2>
  <p>Share information with
     the police if a crime against a child is
     suspected.</p>
  <ul><li>{HTML_MAIN[2]}</li></ul>
  <div hidden>Hidden promotion</div>
  <div aria-hidden="true">Screen reader trap</div>
  <h3>Schools</h3>
  <div>{HTML_MAIN[3]}</div>
  <table><tr><th>Who</th><td>Designated safeguarding lead</td></tr></table>
  <img src="https://example.com/tracker.png" alt="">
</main>
<footer>All rights reserved</footer>
<script>trackVisitor();</script>
</body></html>
"""
    path = folder / name
    path.write_text(page, encoding="utf-8")
    return path


MARKDOWN = """# Information sharing handbook

## Sharing without consent

Practitioners may share information without consent when
it is necessary to protect a child from significant harm.

- Record who was told.
- Record why it was
  necessary.

### Records

Keep the record for as long as the case file.

```
# not a heading: a comment in a code block
```
"""


def markdown_file(folder: Path, name: str = "handbook.md") -> Path:
    path = folder / name
    path.write_bytes(MARKDOWN.replace("\n", "\r\n").encode("utf-8"))
    return path


PLAIN_TEXT = """INFORMATION SHARING PROTOCOL

1. Introduction

This protocol sets out how partner agencies share
information about children and families. It applies to
all staff.

4.2 Consent and information sharing

Staff should seek consent where it is safe to do so,
but the absence of consent does not prevent a well-
founded decision to share.

RECORDING DECISIONS

Every decision to share, or not to share, is recorded
with its reasons.
"""
PLAIN_SENTENCES = (
    "This protocol sets out how partner agencies share information about children and families.",
    "Staff should seek consent where it is safe to do so, but the absence of consent does not prevent a "
    "well-founded decision to share.",
    "Every decision to share, or not to share, is recorded with its reasons.",
)


def plain_text(folder: Path, name: str = "protocol.txt") -> Path:
    path = folder / name
    path.write_text(PLAIN_TEXT, encoding="utf-8")
    return path
