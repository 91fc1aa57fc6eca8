"""Local documents, measured end to end: the four fictional documents of evals/local rendered as the files a
partnership holds (PDF in two columns, PDF, Word, web page), ingested through the sandbox into a fresh local folder
and index, then a question set asked of the result.

Prints: for each document its format, pages, ingest time and how many of the question set's gold sentences from it
stand verbatim in its text of record; the index build for all documents (cold: nothing cached) against the update
for one added document; and the retrieval figures by kind, with how often the current Northmoor procedure ranks
ahead of the 2019 one it supersedes when both are shown, how often both the local and the national passage are
shown for a "both" question, and whether every quote's citation names its publisher.

Run: .venv/bin/python scripts/local_docs_eval.py evals/local/questions-dev.jsonl [--formats md] [--json-out F]
(evals/local/questions-heldout.jsonl is for the closing figure only: never tune on it)."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assistant.corpus import load_corpus_for  # noqa: E402
from assistant.embedding import load_embedder  # noqa: E402
from assistant.evaluate import evaluate_questions, read_questions, sharewise_runner  # noqa: E402
from assistant.index import build_index, load_index  # noqa: E402
from assistant.ingest.library import Provenance, ingest  # noqa: E402
from assistant.pipeline import Sharewise, load_second  # noqa: E402
from assistant.render.wording import short_citation, short_publisher  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from tests.ingest import render_docs  # noqa: E402

DOCS = ROOT / "evals" / "local" / "docs"
NORTHMOOR = "Northmoor Safeguarding Children Partnership"
# (file, id, publisher, date, format, supersedes): the older Northmoor first, so the current one can supersede it.
PLAN = [
    ("northmoor-scp-info-sharing-procedure-2019.md", "northmoor-procedure-2019", NORTHMOOR, "2019-10-01", "docx", ()),
    ("northmoor-scp-info-sharing-procedure.md", "northmoor-procedure-2025", NORTHMOOR, "2025-09-01", "pdf2",
     ("northmoor-procedure-2019",)),
    ("eastvale-health-safeguarding-policy.md", "eastvale-policy", "Eastvale Community and Hospitals NHS Foundation "
     "Trust", "2025-04-01", "pdf", ()),
    ("hartley-schools-dsl-protocol.md", "hartley-dsl-protocol", "Hartley Borough Council", "2025-01-01", "html", ()),
]


def render(src: Path, fmt: str, folder: Path) -> Path:
    text = src.read_text(encoding="utf-8")
    stem = folder / src.stem
    if fmt == "pdf2":
        return render_docs.to_pdf(text, stem.with_suffix(".pdf"), columns=2)
    if fmt == "pdf":
        return render_docs.to_pdf(text, stem.with_suffix(".pdf"))
    if fmt == "docx":
        return render_docs.to_docx(text, stem.with_suffix(".docx"))
    if fmt == "html":
        return render_docs.to_html(text, stem.with_suffix(".html"))
    out = stem.with_suffix(".md")
    out.write_text(text, encoding="utf-8")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("questions", type=Path)
    ap.add_argument("--formats", choices=["mixed", "md"], default="mixed",
                    help="mixed: Word, two-column PDF, PDF and HTML as in PLAN; md: every document as Markdown")
    ap.add_argument("--json-out", type=Path)
    args = ap.parse_args()
    questions = read_questions(args.questions)
    report: dict = {"questions": str(args.questions), "formats": args.formats}
    with tempfile.TemporaryDirectory(prefix="sharewise-local-eval-") as tmp:
        t = Path(tmp)
        (t / "files").mkdir()
        settings = Settings.from_env(index_dir=t / "index", local_dir=t / "local", data_dir=t / "data")
        embedder = load_embedder(settings.model_dir, settings.torch_threads)
        second = load_second(settings)
        docs = []
        for name, doc_id, publisher, when, fmt, supersedes in PLAN:
            fmt = fmt if args.formats == "mixed" else "md"
            path = render(DOCS / name, fmt, t / "files")
            t0 = time.perf_counter()
            [added] = ingest([path], Provenance(publisher=publisher, id=doc_id, date=when, supersedes=supersedes),
                             settings)
            seconds = time.perf_counter() - t0
            docs.append({"id": doc_id, "format": fmt, "pages": added.pages, "ingest_seconds": round(seconds, 2),
                         "seconds_per_page": round(seconds / added.pages, 3) if added.pages else None,
                         "source_file": name})
        corpus = load_corpus_for(settings)
        # Verbatim: each gold sentence the questions take from a local document, found in its text of record.
        for d in docs:
            golds = {g for q in questions for g in q.gold_spans if g in (DOCS / d["source_file"]).read_text("utf-8")}
            text = corpus.documents[d["id"]].text
            d["gold_sentences"] = len(golds)
            d["gold_verbatim"] = sum(g in text for g in golds)
            d["missing"] = sorted(g for g in golds if g not in text)[:3]
        report["documents"] = docs
        # Index: everything embedded from nothing, then one document added to a built index.
        last = corpus.documents[PLAN[-1][1]]
        without = replace(corpus, documents={k: v for k, v in corpus.documents.items() if k != last.id})
        cold = build_index(without, embedder, settings, settings.index_dir, progress=False, second=second)
        one = build_index(corpus, embedder, settings, settings.index_dir, progress=False, second=second)
        report["index"] = {"cold_seconds": round(cold["seconds"], 1), "cold_documents": cold["documents_embedded"],
                           "one_added_seconds": round(one["seconds"], 1), "one_added_embedded":
                           one["documents_embedded"], "ratio": round(one["seconds"] / cold["seconds"], 3)}
        index = load_index(settings.index_dir, corpus, embedder, settings, second)
        sw = Sharewise(settings, corpus, embedder, index, second=second)
        from assistant.danger_model import DangerModel
        from assistant.scope_model import ScopeModel

        sw.danger = DangerModel.open(embedder)
        if second is not None:
            sw.scope_model = ScopeModel.open(embedder, second, corpus.glossary)
        result = evaluate_questions(corpus, questions, sharewise_runner(sw))
        report["metrics"] = {k: result["metrics"][k] for k in ("hit_at_1", "hit_at_5", "hit_at_1500c", "mrr",
                                                                "quote_support", "quote_verbatim_rate",
                                                                "out_of_scope_f1")}
        report["by_kind"] = result["by_kind"]
        report["unlocatable"] = result["unlocatable_spans"]
        both_docs, current_first, both_shown, labelled, quotes, national_shown = 0, 0, [], 0, 0, 0
        for q, item in zip(questions, result["per_question"], strict=True):
            docs_ranked = [p["doc_id"] for p in item["retrieved"]]
            if "northmoor-procedure-2019" in docs_ranked and "northmoor-procedure-2025" in docs_ranked:
                both_docs += 1
                current_first += docs_ranked.index("northmoor-procedure-2025") < \
                    docs_ranked.index("northmoor-procedure-2019")
            if q.kind == "both" and "gold_covered" in item:
                both_shown.append(all(item["gold_covered"]))
                national_shown += any(not corpus.documents[d].source.local for d in docs_ranked)
        for q in questions:
            for quote in sw.find_guidance(q.question, q.history).quotes:
                quotes += 1
                labelled += short_publisher(quote.publisher) in short_citation(quote)
        report["supersession"] = {"questions_showing_both_versions": both_docs, "current_ranked_first": current_first}
        report["both"] = {"questions": len(both_shown), "gold_local_and_national_shown": sum(both_shown),
                          "some_national_passage_shown": national_shown}
        report["publisher_labelled"] = {"quotes": quotes, "labelled": labelled}
    print(json.dumps(report, indent=2, default=str))
    if args.json_out:
        args.json_out.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
