"""`sharewise eval`: run a question set (and worked scenarios) and measure retrieval, quotes,
declining, the rules check and extraction. The report is written by eval_report.py."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .corpus import Corpus
from .errors import SharewiseError
from .metrics import Question, Span, covers, decline_scores, locate, percentile, score_question
from .pii import redact
from .quotes import verify_quote
from .types import Quote

SCHEMA_VERSION = 1
TARGETS = {"hit_at_5": 0.90, "hit_at_1500c": 0.80, "quote_support": 0.80, "mrr": 0.75, "out_of_scope_f1": 0.80,
           "quote_verbatim_rate": 1.0, "confident_contradictions": 0}
RETRIEVAL = ("hit_at_1", "hit_at_3", "hit_at_5", "recall_at_5", "mrr", "ndcg_at_5", "hit_at_1500c", "recall_at_1500c")
FLAGS = ("consent", "public_interest", "schedule_1")
ABLATIONS = (("without the second embedder", "use_second"), ("without provisions by name", "use_provisions"),
             ("without the glossary", "use_glossary"), ("without the scope check", "use_scope"),
             ("without the quote rules", "use_shapes"))


class EvalFileError(SharewiseError):
    """A question or scenario file cannot be used as it is."""

    exit_code = 2


def read_questions(path: Path) -> list[Question]:
    """Strict JSON Lines: id, question, gold_spans (list of strings), kind; optional notes and history.
    Messages name the file by its base name only, never the folder it is in."""
    name = Path(path).name
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise EvalFileError(f"cannot read {name}: {e.strerror}") from None
    return parse_questions(decode_questions(data, name), name)


def decode_questions(data: bytes, name: str) -> str:
    """The file's bytes as text, or an EvalFileError naming `name` (a base name, or "the uploaded file")."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise EvalFileError(f"{name} is not UTF-8 (bad byte at position {e.start})") from None


def parse_questions(raw: str, name: str) -> list[Question]:
    """The questions in JSON Lines text (see read_questions); `name` is how messages refer to the file."""
    out, seen = [], set()
    for n, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name} line {n}"
        try:
            d = json.loads(line)
        except (ValueError, RecursionError) as e:
            raise EvalFileError(f"{where}: not valid JSON ({getattr(e, 'msg', type(e).__name__)})") from None
        if not isinstance(d, dict):
            raise EvalFileError(f"{where}: expected an object with id, question, gold_spans and kind")
        missing = [k for k in ("id", "question", "gold_spans", "kind") if k not in d]
        if missing:
            raise EvalFileError(f"{where}: missing {', '.join(missing)}")
        if not isinstance(d["question"], str) or not d["question"].strip():
            raise EvalFileError(f"{where}: question must be non-empty text")
        if not isinstance(d["gold_spans"], list) or not all(isinstance(g, str) and g.strip() for g in d["gold_spans"]):
            raise EvalFileError(f"{where}: gold_spans must be a list of non-empty strings ([] = out of scope)")
        if not isinstance(d["kind"], str):
            raise EvalFileError(f"{where}: kind must be text")
        history = d.get("history", [])
        if not isinstance(history, list) or not all(isinstance(h, str) for h in history):
            raise EvalFileError(f"{where}: history must be a list of earlier questions")
        qid = str(d["id"])
        if qid in seen:
            # The id is shown redacted: a message may be logged or shown where the file's text should not be.
            raise EvalFileError(f"{where}: id {redact(qid)!r} is used twice")
        seen.add(qid)
        out.append(Question(qid, d["question"], tuple(d["gold_spans"]), d["kind"], tuple(history)))
    if not out:
        raise EvalFileError(f"{name} holds no questions")
    return out


@dataclass
class Run:
    """What one configuration did with one question."""

    pieces: list[Span]
    quotes: list[Quote]
    grounded: bool
    relevance: float
    latency_ms: float


Runner = Callable[[Question], Run]


def sharewise_runner(sw, mode: str = "hybrid", parts: dict[str, bool] | None = None) -> Runner:
    """parts: find_guidance's use_* switches (use_glossary, use_second, use_provisions, use_scope, use_shapes)."""
    def run(q: Question) -> Run:
        t0 = time.perf_counter()
        a = sw.find_guidance(q.question, history=q.history, mode=mode, **(parts or {}))
        ms = (time.perf_counter() - t0) * 1000
        pieces = [Span(p.chunk.doc_id, p.chunk.start, p.chunk.end, p.chunk.text) for p in a.passages]
        return Run(pieces, list(a.quotes), a.grounded, a.relevance, ms)

    return run


def llamaindex_runs(questions_path: Path, questions: list[Question]) -> dict[str, Run]:
    """LlamaIndex's default pipeline, in its own process (see baseline.py), per question."""
    out = subprocess.run([sys.executable, "-m", "assistant.baseline", str(questions_path), "--per-question"],
                         capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    data = json.loads(out)
    runs = {}
    for q in questions:
        r = data["per_question"].get(q.id)
        if r:
            runs[q.id] = Run([Span(*p) for p in r["pieces"]], [], True, 1.0, r["latency_ms"])
    return runs


def evaluate_questions(corpus: Corpus, questions: list[Question], runner: Runner | dict[str, Run],
                       progress: Callable[[int, int], None] | None = None) -> dict:
    rows, per_question, unlocatable = [], [], []
    quotes_total = quotes_verified = 0
    decline_pred, decline_gold, latencies, support = [], [], [], []
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for i, q in enumerate(questions):
        if progress:
            progress(i, len(questions))
        run = runner.get(q.id) if isinstance(runner, dict) else runner(q)
        if run is None:
            continue
        latencies.append(run.latency_ms)
        verified = [verify_quote(corpus, x) for x in run.quotes]
        quotes_total += len(verified)
        quotes_verified += sum(verified)
        decline_pred.append(not run.grounded)
        decline_gold.append(not q.gold_spans)
        item = {"id": q.id, "kind": q.kind, "question": q.question, "history": list(q.history),
                "gold_spans": list(q.gold_spans), "grounded": run.grounded, "relevance": round(run.relevance, 4),
                "latency_ms": round(run.latency_ms, 2),
                "retrieved": [{"doc_id": p.doc_id, "start": p.start, "end": p.end, "text": p.text[:300]}
                              for p in run.pieces],
                "quotes": [{"text": x.text, "doc_id": x.doc_id, "section": x.section, "start": x.start, "end": x.end,
                            "verified": v} for x, v in zip(run.quotes, verified)]}
        if q.gold_spans:
            gold = [locate(corpus, g) for g in q.gold_spans]
            missing = [g for g, loc in zip(q.gold_spans, gold) if not loc]
            if missing:
                unlocatable += [{"id": q.id, "span": g} for g in missing]
                item["error"] = "gold span not found in the corpus: not scored"
                per_question.append(item)
                continue
            scores = score_question(q, gold, run.pieces)
            qs = [Span(x.doc_id, x.start, x.end, x.text) for x in run.quotes]
            sup = float(any(covers(x, g) for x in qs for g in gold))
            scores["quote_support"] = sup
            support.append(sup)
            item.update(scores)
            item["gold_covered"] = [any(covers(p, g) for p in run.pieces[:5]) for g in gold]
            rows.append(scores)
            by_kind[q.kind].append(scores)
        per_question.append(item)
    if progress:
        progress(len(questions), len(questions))
    metrics = {m: _mean(rows, m) for m in RETRIEVAL}
    decline = decline_scores(decline_pred, decline_gold)
    metrics.update({
        "quote_verbatim_rate": quotes_verified / quotes_total if quotes_total else 1.0,
        "quote_support": sum(support) / len(support) if support else None,
        "out_of_scope_precision": decline["precision"], "out_of_scope_recall": decline["recall"],
        "out_of_scope_f1": decline["f1"],
        "latency_ms_p50": percentile(latencies, 50), "latency_ms_p95": percentile(latencies, 95),
        "questions": len(per_question), "scored_in_scope": len(rows), "out_of_scope_questions": sum(decline_gold),
        "quotes_shown": quotes_total,
    })
    kinds = {}
    for kind in sorted({q.kind for q in questions}):
        k_rows = by_kind.get(kind, [])
        k_ids = [i for i, q in enumerate(questions) if q.kind == kind]
        k_dec = decline_scores([decline_pred[i] for i in k_ids if i < len(decline_pred)],
                               [decline_gold[i] for i in k_ids if i < len(decline_gold)])
        kinds[kind] = {"n": len(k_ids), **{m: _mean(k_rows, m) for m in ("hit_at_1", "hit_at_5", "mrr", "hit_at_1500c",
                                                                        "quote_support")},
                       "declined": sum(decline_pred[i] for i in k_ids if i < len(decline_pred)),
                       "out_of_scope_recall": k_dec["recall"] if any(decline_gold[i] for i in k_ids) else None}
    return {"metrics": metrics, "by_kind": kinds, "per_question": per_question, "unlocatable_spans": unlocatable}


def _mean(rows: list[dict], key: str):
    vals = [r[key] for r in rows if r.get(key) is not None]
    return sum(vals) / len(vals) if vals else None


def evaluate_scenarios(path: Path) -> dict:
    """Rules agreement per flag, confusion matrices, confident contradictions, and extraction P/R."""
    import yaml

    from .extraction_metrics import score
    from .rules import determine, parse_facts

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        scenarios = data["scenarios"]
        defaults = (data.get("meta") or {}).get("defaults") or {}
    except (OSError, yaml.YAMLError, KeyError, TypeError) as e:
        raise EvalFileError(f"{Path(path).name} is not a scenarios file like evals/scenarios.yaml "
                            f"({type(e).__name__})") from None
    agree: Counter[str] = Counter()
    confusion: dict[str, defaultdict[str, Counter[str]]] = {f: defaultdict(Counter) for f in FLAGS}
    contradictions: list[dict] = []
    per: list[dict] = []
    for s in scenarios:
        facts = parse_facts(s.get("facts"), defaults, where=f"{Path(path).name} scenario {s.get('id')}")
        determination = determine(facts)
        row = {"id": s["id"], "title": s.get("title", "")}
        for f in FLAGS:
            exp, got = s["expected"][f]["status"], getattr(determination, f).status
            agree[f] += exp == got
            confusion[f][exp][got] += 1
            row[f] = {"expected": exp, "got": got}
            if {exp, got} == {"applies", "does_not_apply"}:
                contradictions.append({"id": s["id"], "flag": f, "expected": exp, "got": got})
        per.append(row)
    table, errors = score([Path(path)])
    return {"n": len(scenarios), "rules_agreement": {f: agree[f] / len(scenarios) for f in FLAGS},
            "confusion": {f: {e: dict(g) for e, g in m.items()} for f, m in confusion.items()},
            "confident_contradictions": len(contradictions), "contradictions": contradictions, "per_scenario": per,
            "extraction": {k: v for k, v in table.items()}, "extraction_errors": errors[:200]}


def run_eval(sw, questions_path: Path, scenarios_path: Path | None = None, compare: bool = False,
             limit: int | None = None, progress=None) -> dict:
    questions = read_questions(questions_path)[:limit] if limit else read_questions(questions_path)
    shipped = evaluate_questions(sw.corpus, questions, sharewise_runner(sw), progress)
    results = {"schema_version": SCHEMA_VERSION, "sharewise_version": __version__,
               "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
               "questions_file": str(questions_path), "configuration": "hybrid + glossary (shipped)",
               "targets": TARGETS, **shipped}
    if compare:
        configs = {"hybrid (shipped)": shipped["metrics"]}
        # Each part taken out on its own: what it contributes is the shipped figure minus this one.
        for name, part in ABLATIONS:
            runner = sharewise_runner(sw, parts={part: False})
            configs[name] = evaluate_questions(sw.corpus, questions, runner)["metrics"]
        for name, mode in (("dense only", "dense"), ("BM25 only", "bm25")):
            configs[name] = evaluate_questions(sw.corpus, questions, sharewise_runner(sw, mode=mode))["metrics"]
        li = llamaindex_runs(questions_path, questions)
        configs["LlamaIndex default"] = evaluate_questions(sw.corpus, questions, li)["metrics"]
        results["compare"] = configs
    if scenarios_path:
        sc = evaluate_scenarios(scenarios_path)
        results["scenarios"] = sc
        results["metrics"]["rules_agreement"] = sc["rules_agreement"]
        results["metrics"]["confident_contradictions"] = sc["confident_contradictions"]
    return results
