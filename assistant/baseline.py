"""LlamaIndex's default pipeline on the same corpus and model, for `sharewise bench` to compare.

Run as a separate process (python -m assistant.baseline) so its memory is measured on its own.
VectorStoreIndex with its default SentenceSplitter (1,024 tokens, overlap 200, tiktoken), the same
local embedding model through llama-index-embeddings-huggingface, top 5 by vector similarity.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from .evaluate import read_questions
from .metrics import Span, locate, mean, percentile, score_question
from .settings import Settings


def run(questions_path: Path, chunk_size: int | None, per_question: bool = False) -> dict:
    t0 = time.perf_counter()
    from llama_index.core import Document, VectorStoreIndex
    from llama_index.core import Settings as LlamaSettings
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    from .corpus import load_corpus_for

    settings = Settings.from_env()
    corpus = load_corpus_for(settings)
    embed = HuggingFaceEmbedding(model_name=str(settings.model_dir), device="cpu")
    LlamaSettings.llm = None
    t1 = time.perf_counter()
    docs = [Document(text=d.text, id_=d.id, metadata={"doc_id": d.id}) for d in corpus.documents.values()]
    transformations: list | None = ([SentenceSplitter(chunk_size=chunk_size, chunk_overlap=min(200, chunk_size // 5))]
                                    if chunk_size else None)
    index = VectorStoreIndex.from_documents(docs, embed_model=embed, transformations=transformations)
    t2 = time.perf_counter()
    retriever = index.as_retriever(similarity_top_k=5)
    qs = read_questions(questions_path)
    rows, latencies, per = [], [], {}
    for q in qs:
        if not q.gold_spans and not per_question:
            continue
        s = time.perf_counter()
        hits = retriever.retrieve(q.question)
        latencies.append((time.perf_counter() - s) * 1000)
        pieces = []
        for h in hits:
            node = h.node
            doc_id = node.metadata.get("doc_id", "")
            text = node.get_content()
            start = getattr(node, "start_char_idx", None)
            start = start if start is not None else corpus.documents[doc_id].text.find(text)
            pieces.append(Span(doc_id, start, start + len(text), text))
        per[q.id] = {"pieces": [[p.doc_id, p.start, p.end, p.text] for p in pieces], "latency_ms": latencies[-1]}
        if q.gold_spans:
            rows.append(score_question(q, [locate(corpus, g) for g in q.gold_spans], pieces))
    nodes = list(index.docstore.docs.values())
    return {
        "pipeline": f"LlamaIndex VectorStoreIndex, SentenceSplitter({chunk_size or 'default 1024'} tokens)",
        "setup_seconds": t1 - t0,
        "build_seconds": t2 - t1,
        "chunks": len(nodes),
        "chunks_per_second": len(nodes) / max(t2 - t1, 1e-9),
        "latency_ms_p50": percentile(latencies, 50),
        "latency_ms_p95": percentile(latencies, 95),
        "hit_at_5": mean(rows, "hit_at_5"),
        "hit_at_1500c": mean(rows, "hit_at_1500c"),
        "recall_at_1500c": mean(rows, "recall_at_1500c"),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "questions": len(rows),
        **({"per_question": per} if per_question else {}),
    }


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("questions")
    p.add_argument("--chunk-size", type=int, default=None)
    p.add_argument("--per-question", action="store_true")
    args = p.parse_args()
    print(json.dumps(run(Path(args.questions), args.chunk_size, args.per_question)))


if __name__ == "__main__":
    main()
