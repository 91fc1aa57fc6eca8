"""Plain frozen dataclasses passed between stages. No framework type crosses a module border."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Section:
    """A run of body text under one heading path; offsets into the document text."""

    path: tuple[str, ...]
    start: int
    end: int

    @property
    def label(self) -> str:
        return " › ".join(self.path)


@dataclass(frozen=True)
class Source:
    """One registry entry of corpus/sources.toml."""

    id: str
    title: str
    kind: str
    publisher: str
    url: str
    version: str
    licence: str
    attribution: str
    currency: str
    editorial: tuple[str, ...] = ()
    section_urls: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Document:
    source: Source
    text: str
    sections: tuple[Section, ...]
    sha256: str

    @property
    def id(self) -> str:
        return self.source.id

    def section_at(self, offset: int) -> Section | None:
        for s in self.sections:
            if s.start <= offset < s.end:
                return s
        return None


@dataclass(frozen=True)
class Chunk:
    id: str
    doc_id: str
    section: tuple[str, ...]
    start: int
    end: int
    text: str
    sentences: tuple[tuple[int, int], ...] = ()  # (start, end) document offsets of each sentence

    def embed_text(self) -> str:
        """What the embedder and BM25 see: the nearest headings, then the passage."""
        return " › ".join(self.section[-2:]) + "\n" + self.text


@dataclass(frozen=True)
class Passage:
    chunk: Chunk
    score: float
    dense_score: float
    bm25_score: float

    def to_json(self) -> dict:
        c = self.chunk
        return {"chunk_id": c.id, "doc_id": c.doc_id, "section": " › ".join(c.section), "text": c.text,
                "start": c.start, "end": c.end, "score": round(self.score, 6),
                "dense_score": round(self.dense_score, 6), "bm25_score": round(self.bm25_score, 6)}


@dataclass(frozen=True)
class Quote:
    text: str
    doc_id: str
    doc_title: str
    section: str
    start: int
    end: int
    score: float
    url: str = ""

    def to_json(self) -> dict:
        d = asdict(self)
        d["score"] = round(self.score, 6)
        return d


@dataclass(frozen=True)
class Answer:
    question: str
    grounded: bool
    quotes: tuple[Quote, ...]
    passages: tuple[Passage, ...]
    timings_ms: dict[str, float] = field(default_factory=dict)
    message: str = ""
    expansions: tuple[str, ...] = ()
    relevance: float = 0.0  # best sentence similarity: what the grounded/declined decision rests on

    def to_json(self) -> dict:
        return {
            "question": self.question,
            "grounded": self.grounded,
            "message": self.message,
            "quotes": [q.to_json() for q in self.quotes],
            "passages": [p.to_json() for p in self.passages],
            "query_expansions": list(self.expansions),
            "relevance": round(self.relevance, 6),
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }
