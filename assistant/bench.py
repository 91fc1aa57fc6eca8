"""`sharewise bench`: speed, memory and retrieval quality on this machine, printed as tables.

Figures, not pass/fail: the closing notes of issues quote them. Everything runs on a temporary
copy of the index so the real index/ is never touched.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from .corpus import load_corpus
from .embedding import load_embedder
from .evaluate import read_questions
from .index import build_index, load_index
from .metrics import Question, decline_scores, percentile
from .pipeline import Sharewise, load_second
from .settings import Settings

_REPO = Path(__file__).resolve().parent.parent
_METRICS = ("hit_at_1", "hit_at_3", "hit_at_5", "recall_at_5", "mrr", "ndcg_at_5", "hit_at_1500c", "recall_at_1500c")

_COLD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
import torch, sentence_transformers, faiss, llama_index.core
from assistant.pipeline import Sharewise
from assistant.settings import Settings
from assistant.corpus import load_corpus
from assistant.embedding import load_embedder
from assistant.index import load_index
from assistant.pipeline import load_second
t1 = time.perf_counter()
s = Settings.from_env()
e = load_embedder(s.model_dir, s.torch_threads)
t2 = time.perf_counter()
c = load_corpus(s.corpus_dir)
e2 = load_second(s)
i = load_index(s.index_dir, c, e, s, e2)
sw = Sharewise(s, c, e, i, second=e2)
t3 = time.perf_counter()
sw.find_guidance("Can I share information without consent?")
t4 = time.perf_counter()
print(json.dumps({"imports_s": t1 - t0, "model_load_s": t2 - t1, "index_load_s": t3 - t2,
                  "first_answer_s": t4 - t3, "total_s": t4 - t0,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def evaluate(sw: Sharewise, questions: list[Question], **ask_kwargs) -> dict:
    """The evaluation harness's own measures (sharewise eval), reshaped for the bench tables."""
    from .evaluate import evaluate_questions, sharewise_runner

    mode = ask_kwargs.pop("mode", "hybrid")
    res = evaluate_questions(sw.corpus, questions, sharewise_runner(sw, mode=mode, parts=ask_kwargs))
    out = {m: res["metrics"][m] for m in _METRICS}
    out["quote_support"] = res["metrics"]["quote_support"]
    out["by_kind_hit_at_5"] = {k: v["hit_at_5"] for k, v in res["by_kind"].items() if v["hit_at_5"] is not None}
    out["relevance"] = [(q["relevance"], not q["gold_spans"]) for q in res["per_question"]]
    out["n"] = res["metrics"]["scored_in_scope"]
    return out


def sweep(relevance: list[tuple[float, bool]], thresholds: list[float]) -> list[tuple[float, dict]]:
    oos = [o for _, o in relevance]
    return [(t, decline_scores([r < t for r, _ in relevance], oos)) for t in thresholds]


def _table(headers: list[str], rows: list[list]) -> str:
    cells = [[f"{c:.3f}" if isinstance(c, float) else str(c) for c in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths))  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in cells])


def run_bench(settings: Settings, args) -> int:
    questions_path = Path(args.questions or _REPO / "evals" / "questions-heldout.jsonl")
    tune_path = Path(args.tune_questions or _REPO / "evals" / "questions-dev.jsonl")
    questions, tune = read_questions(questions_path), read_questions(tune_path)
    report: dict = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
                    "questions": str(questions_path), "tune_questions": str(tune_path)}
    print(f"Sharewise bench: {len(questions)} questions from {questions_path.name}, "
          f"threshold sweep on {tune_path.name}; {os.cpu_count()} CPUs\n", flush=True)

    with tempfile.TemporaryDirectory(prefix="sharewise-bench-") as tmp:
        s = replace(settings, index_dir=Path(tmp))
        corpus = load_corpus(s.corpus_dir)
        embedder = load_embedder(s.model_dir, s.torch_threads)
        second = load_second(s)
        build = build_index(corpus, embedder, s, s.index_dir, progress=False, second=second)
        report["build"] = build
        print(f"Index build: {build['seconds']:.1f} s for {build['chunks']} chunks and {build['sentences']} "
              f"sentences ({build['chunks_per_second']:.1f} chunks/s embedding)", flush=True)

        env = {**os.environ, "SHAREWISE_INDEX_DIR": tmp}
        cold = json.loads(subprocess.run([sys.executable, "-c", _COLD], env=env, capture_output=True, text=True,
                                         check=True).stdout.strip().splitlines()[-1])
        report["cold_start"] = cold
        print(f"Cold start: imports {cold['imports_s']:.2f} s, model load {cold['model_load_s']:.2f} s, "
              f"index load {cold['index_load_s'] * 1000:.0f} ms, first answer {cold['first_answer_s'] * 1000:.0f} ms; "
              f"total {cold['total_s']:.2f} s; peak RSS {cold['peak_rss_mb']:.0f} MB", flush=True)

        sw = Sharewise(s, corpus, embedder, load_index(s.index_dir, corpus, embedder, s, second), second=second)
        for q in questions[:5]:
            sw.find_guidance(q.question)
        latencies, floor, floor2 = [], [], []
        for _ in range(3):
            for q in questions:
                # The floor, measured beside each answer (same machine, same moment): one query embedding.
                t0 = time.perf_counter()
                embedder.encode([q.question])
                floor.append((time.perf_counter() - t0) * 1000)
                if second is not None:
                    t0 = time.perf_counter()
                    second.query(q.question)
                    floor2.append((time.perf_counter() - t0) * 1000)
                latencies.append(sw.find_guidance(q.question, history=q.history).timings_ms["total"])
        report["warm_ask_ms"] = {"p50": percentile(latencies, 50), "p95": percentile(latencies, 95),
                                 "max": max(latencies), "n": len(latencies)}
        report["warm_ask_p95_ms"] = percentile(latencies, 95)
        report["embed_floor_p95_ms"] = percentile(floor, 95)
        report["second_embed_p95_ms"] = percentile(floor2, 95) if floor2 else None
        report["warm_ask_over_floor"] = report["warm_ask_p95_ms"] / report["embed_floor_p95_ms"]
        print(f"Warm ask (retrieval + quote selection), {len(latencies)} runs: p50 "
              f"{report['warm_ask_ms']['p50']:.1f} ms, p95 {report['warm_ask_ms']['p95']:.1f} ms", flush=True)
        print(f"Floor, one query embedding (MiniLM) p95 {report['embed_floor_p95_ms']:.1f} ms"
              + (f", the second embedder's p95 {report['second_embed_p95_ms']:.1f} ms" if floor2 else "")
              + f"; warm ask p95 / floor = {report['warm_ask_over_floor']:.2f}", flush=True)

        configs: dict[str, dict] = {"hybrid + glossary (shipped)": {}, "dense only": {"mode": "dense"},
                   "BM25 only": {"mode": "bm25"}, "hybrid, no glossary": {"use_glossary": False}}
        quality = {name: evaluate(sw, questions, **kw) for name, kw in configs.items()}
        report["quality"] = {k: {m: v for m, v in q.items() if m != "relevance"} for k, q in quality.items()}
        print(f"\nRetrieval on {questions_path.name} ({quality['dense only']['n']} in-scope questions):")
        print(_table(["configuration", *_METRICS, "quote_support"],
                     [[name, *(q[m] for m in _METRICS), q["quote_support"]] for name, q in quality.items()]))
        kinds = sorted(quality["dense only"]["by_kind_hit_at_5"])
        print("\nhit@5 by kind:")
        print(_table(["configuration", *kinds],
                     [[name, *(q["by_kind_hit_at_5"].get(k, float("nan")) for k in kinds)]
                      for name, q in quality.items()]))

        tuned = evaluate(sw, tune)
        grid = [round(0.30 + 0.02 * i, 2) for i in range(16)]
        swept = sweep(tuned["relevance"], grid)
        best = max(swept, key=lambda t: (round(t[1]["f0_5"], 6), t[1]["recall"]))
        shipped = quality["hybrid + glossary (shipped)"]["relevance"]
        held = decline_scores([r < settings.min_relevance for r, _ in shipped],
                              [o for _, o in quality["hybrid + glossary (shipped)"]["relevance"]])
        report["decline"] = {"threshold": settings.min_relevance, "heldout": held,
                             "sweep_on_tune_set": [{"threshold": t, **m} for t, m in swept],
                             "best_on_tune_set": {"threshold": best[0], **best[1]}}
        print(f"\n'No grounded answer' threshold sweep on {tune_path.name} (best sentence similarity < t):")
        print(_table(["t", "precision", "recall", "f1", "f0_5"],
                     [[t, m["precision"], m["recall"], m["f1"], m["f0_5"]] for t, m in swept]))
        print(f"Best F0.5 on the tuning set (ties: higher recall): t={best[0]} (F0.5 {best[1]['f0_5']:.3f}); "
              f"shipped t={settings.min_relevance}; on {questions_path.name}: precision {held['precision']:.3f}, "
              f"recall {held['recall']:.3f}, F1 {held['f1']:.3f}")
        report["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"\nPeak memory of this process (build + queries): {report['peak_rss_mb']:.0f} MB")

    if not args.skip_baseline:
        print("\nLlamaIndex default pipeline (same corpus, same model, same questions):", flush=True)
        base = []
        for size in (None, 256):
            cmd = [sys.executable, "-m", "assistant.baseline", str(questions_path)]
            cmd += ["--chunk-size", str(size)] if size else []
            out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
            base.append(json.loads(out))
        shipped = quality["hybrid + glossary (shipped)"]
        rows = [["Sharewise (hybrid, quotes)", build["seconds"], build["chunks"], report["warm_ask_ms"]["p50"],
                 report["warm_ask_ms"]["p95"], shipped["hit_at_5"], shipped["hit_at_1500c"], cold["peak_rss_mb"]]]
        rows += [[b["pipeline"], b["build_seconds"], b["chunks"], b["latency_ms_p50"], b["latency_ms_p95"],
                  b["hit_at_5"], b["hit_at_1500c"], b["peak_rss_mb"]] for b in base]
        print(_table(["pipeline", "build_s", "chunks", "query_p50_ms", "query_p95_ms", "hit_at_5", "hit_at_1500c",
                      "peak_rss_mb"], rows))
        report["baseline"] = base
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(report, indent=2, default=float), encoding="utf-8")
        print(f"\nWrote {args.json_out}")
    return 0
