"""Documents -> chunks: LlamaIndex's SentenceSplitter, run per section, sized in model tokens."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from .corpus import Corpus
from .errors import CorpusError
from .sentences import sentence_spans
from .types import Chunk

Tokenize = Callable[[str], list[int]]


def chunk_id(doc_id: str, start: int, end: int, text: str) -> str:
    """Deterministic: the same corpus gives the same ids; an edited passage gets a new one."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return f"{doc_id}@{start}-{end}:{digest}"


def chunk_corpus(corpus: Corpus, count_tokens: Tokenize, chunk_tokens: int, chunk_overlap: int,
                 window: int) -> list[Chunk]:
    """Split each section separately so no chunk straddles a heading; every chunk keeps its
    document id, section path and character offsets into its document."""
    from llama_index.core import Document as LlamaDocument
    from llama_index.core.node_parser import SentenceSplitter

    chunks: list[Chunk] = []
    for doc in corpus.documents.values():
        for section in doc.sections:
            heading = " › ".join(section.path[-2:]) + "\n"
            # Invariant: heading + chunk + [CLS]/[SEP] fits the budget, and the budget the window.
            budget = min(chunk_tokens, window) - len(count_tokens(heading)) - 2 - 4
            if budget < 32:
                raise CorpusError(f"{doc.id}: heading {heading.strip()!r} leaves under 32 tokens per chunk; shorten it")
            splitter = SentenceSplitter(chunk_size=budget, chunk_overlap=min(chunk_overlap, budget // 4),
                                        tokenizer=count_tokens, include_metadata=False,
                                        include_prev_next_rel=False)
            body = doc.text[section.start:section.end]
            section_sentences = sentence_spans(doc.text, section.start, section.end)
            nodes = splitter.get_nodes_from_documents([LlamaDocument(text=body)])
            for node in nodes:
                text = node.get_content()
                rel = getattr(node, "start_char_idx", None)
                if rel is None or body[rel:rel + len(text)] != text:
                    rel = body.find(text)
                if rel < 0:
                    raise CorpusError(f"{doc.id}: the splitter changed the text of a chunk in {section.label!r}")
                start = section.start + rel
                end = start + len(text)
                # A chunk's sentences: every whole sentence it touches, so a quote is never cut
                # at a chunk boundary.
                sents = tuple((s, e) for s, e in section_sentences if s < end and e > start)
                chunks.append(Chunk(id=chunk_id(doc.id, start, end, text), doc_id=doc.id,
                                    section=section.path, start=start, end=end, text=text,
                                    sentences=sents))
    return chunks
