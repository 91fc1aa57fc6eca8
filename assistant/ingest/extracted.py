"""What a parser hands back: the text of record and where its pages start. Crosses the subprocess border as JSON."""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("pdf", "docx", "html", "markdown", "text")


@dataclass(frozen=True)
class Extracted:
    """A document's text of record.

    `text` is Markdown in the corpus's own form: a heading is one line `#`*level + " " + title (level 2 and
    deeper become sections; a level-1 line is the document title), paragraphs are separated by a blank line and
    each paragraph's words are the file's words, in reading order, with the line wraps of the layout joined.
    Quotes are verified against this text, at its offsets.
    `pages`: for a PDF, the offset in `text` where each page starts (pages[0] == 0), so a quote's page is
    the last start at or before it; () for other kinds."""

    text: str
    kind: str
    title: str = ""  # from the file's metadata or its first heading ("" if neither)
    pages: tuple[int, ...] = ()

    def to_json(self) -> dict:
        return {"text": self.text, "kind": self.kind, "title": self.title, "pages": list(self.pages)}

    @classmethod
    def from_json(cls, data: dict) -> Extracted:
        return cls(text=str(data["text"]), kind=str(data["kind"]), title=str(data.get("title", "")),
                   pages=tuple(int(p) for p in data.get("pages", ())))

    def page_at(self, offset: int) -> int | None:
        """The 1-based page a character offset falls on (None when the document has no pages)."""
        if not self.pages:
            return None
        import bisect

        return bisect.bisect_right(self.pages, offset)
