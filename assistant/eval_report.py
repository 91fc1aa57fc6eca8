"""Write an evaluation's results.json, report.md and report.html (with SVG charts, no internet)."""

from __future__ import annotations

import copy
import html
import json
from collections.abc import Callable
from pathlib import Path

from .evaluate import TARGETS
from .render import page_html

HEADLINE = ("hit_at_1", "hit_at_5", "recall_at_5", "mrr", "ndcg_at_5", "hit_at_1500c", "recall_at_1500c",
            "quote_verbatim_rate", "quote_support", "out_of_scope_precision", "out_of_scope_recall", "out_of_scope_f1",
            "latency_ms_p50", "latency_ms_p95")


def _fmt(v) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def _met(name: str, value) -> str:
    if name not in TARGETS or value is None:
        return ""
    ok = value <= TARGETS[name] if name == "confident_contradictions" else value >= TARGETS[name]
    return "met" if ok else "**missed**"


def _bars(title: str, series: dict[str, float], width: int = 560) -> str:
    """A horizontal bar chart as inline SVG (values 0..1)."""
    rows = [(k, v) for k, v in series.items() if isinstance(v, (int, float))]
    h = 28 * len(rows) + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h}" role="img" '
             f'aria-label="{html.escape(title)}">',
             f'<text x="4" y="18" font-family="sans-serif" font-size="14" font-weight="bold">'
             f'{html.escape(title)}</text>']
    for i, (k, v) in enumerate(rows):
        y = 30 + 28 * i
        w = max(0.0, min(1.0, float(v))) * (width - 230)
        parts.append(f'<text x="4" y="{y + 15}" font-family="sans-serif" font-size="12">{html.escape(k[:28])}</text>')
        parts.append(f'<rect x="190" y="{y + 3}" width="{w:.1f}" height="16" fill="#3d5a80"/>')
        parts.append(f'<text x="{196 + w:.1f}" y="{y + 15}" font-family="sans-serif" font-size="12">{v:.2f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def charts(results: dict) -> dict[str, str]:
    out = {}
    if "compare" in results:
        for metric in ("hit_at_5", "hit_at_1500c", "mrr"):
            out[f"compare-{metric}.svg"] = _bars(f"{metric} by configuration",
                                                 {k: v.get(metric) for k, v in results["compare"].items()})
    out["kind-hit_at_5.svg"] = _bars("hit_at_5 by kind of question",
                                     {k: v.get("hit_at_5") for k, v in results["by_kind"].items()})
    return out


def markdown(results: dict, command: str = "") -> str:
    m = results["metrics"]
    lines = ["# Sharewise evaluation report", "",
             f"Questions: `{results['questions_file']}` ({m['questions']} questions, {m['scored_in_scope']} in scope "
             f"scored, {m['out_of_scope_questions']} out of scope). Configuration: {results['configuration']}. "
             f"Sharewise {results['sharewise_version']}, {results['generated_at']}.", ""]
    if command:
        lines += [f"Made with: `{command}`", ""]
    lines += ["## Headline", "", "| metric | value | target | |", "|---|---|---|---|"]
    for k in HEADLINE + ("confident_contradictions",):
        if k in m:
            lines.append(f"| {k} | {_fmt(m[k])} | {_fmt(TARGETS.get(k))} | {_met(k, m[k])} |")
    if "rules_agreement" in m:
        for f, v in m["rules_agreement"].items():
            lines.append(f"| rules_agreement: {f} | {_fmt(v)} | | |")
    if "compare" in results:
        keys = ("hit_at_1", "hit_at_5", "mrr", "hit_at_1500c", "recall_at_1500c", "quote_support", "out_of_scope_f1",
                "latency_ms_p50", "latency_ms_p95")
        lines += ["", "## Configurations side by side", "", "| configuration | " + " | ".join(keys) + " |",
                  "|---" * (len(keys) + 1) + "|"]
        for name, cm in results["compare"].items():
            lines.append(f"| {name} | " + " | ".join(_fmt(cm.get(k)) for k in keys) + " |")
        lines += ["", "![hit_at_5 by configuration](compare-hit_at_5.svg)",
                  "![hit_at_1500c by configuration](compare-hit_at_1500c.svg)",
                  "![mrr by configuration](compare-mrr.svg)"]
    lines += ["", "## By kind of question", "",
              "| kind | n | hit_at_1 | hit_at_5 | mrr | hit_at_1500c | quote_support | declined |",
              "|---|---|---|---|---|---|---|---|"]
    for kind, km in results["by_kind"].items():
        lines.append(f"| {kind} | {km['n']} | {_fmt(km['hit_at_1'])} | {_fmt(km['hit_at_5'])} | {_fmt(km['mrr'])} | "
                     f"{_fmt(km['hit_at_1500c'])} | {_fmt(km['quote_support'])} | {km['declined']} |")
    lines += ["", "![hit_at_5 by kind](kind-hit_at_5.svg)"]
    if results.get("scenarios"):
        sc = results["scenarios"]
        lines += ["", "## Rules check on the worked scenarios", "",
                  f"{sc['n']} scenarios. Confident contradictions (applies where does_not_apply was expected, or the "
                  f"reverse): **{sc['confident_contradictions']}**.", ""]
        for f, conf in sc["confusion"].items():
            lines += [f"**{f}** (rows expected, columns got): " +
                      "; ".join(f"{e}→" + ", ".join(f"{g} {n}" for g, n in got.items()) for e, got in conf.items()), ""]
        lines += ["Extraction from the scenario text, per fact:", "", "| fact | precision | recall |", "|---|---|---|"]
        for k, v in sc["extraction"].items():
            lines.append(f"| {k} | {_fmt(v['precision'])} | {_fmt(v['recall'])} |")
    if results["unlocatable_spans"]:
        lines += ["", "## Gold spans not found in the corpus (not scored)", ""]
        lines += [f"- {u['id']}: “{u['span'][:120]}”" for u in results["unlocatable_spans"]]
    lines += ["", "## Failures", ""]
    for q in results["per_question"]:
        if q.get("gold_spans") and q.get("hit_at_5") == 0.0:
            got = "; ".join(f"{r['doc_id']}: “{r['text'][:90]}…”" for r in q["retrieved"][:3])
            lines += [f"- **{q['id']}** ({q['kind']}): {q['question']}", f"  - gold: “{q['gold_spans'][0][:160]}”",
                      f"  - retrieved instead: {got}"]
        elif not q.get("gold_spans") and q.get("grounded"):
            lines += [f"- **{q['id']}** (out of scope, answered): {q['question']}",
                      f"  - quoted: “{(q['quotes'][0]['text'] if q['quotes'] else '')[:160]}”"]
        elif q.get("gold_spans") and not q.get("grounded"):
            lines += [f"- **{q['id']}** ({q['kind']}, declined though in scope): {q['question']}"]
    return "\n".join(lines) + "\n"


def redacted(results: dict, scrub: Callable[[str], str]) -> dict:
    """A copy of `results` with every text that came from the question file passed through `scrub`: its name,
    each question's id, kind, question and history, and the gold spans not found in the corpus (those found
    are corpus text and are kept, as are the passages and quotes, which are corpus text too)."""
    out = copy.deepcopy(results)
    unlocated = {(u["id"], u["span"]) for u in results.get("unlocatable_spans", [])}
    out["questions_file"] = scrub(str(results.get("questions_file", "")))
    for q in out.get("per_question", []):
        q["gold_spans"] = [scrub(g) if (q["id"], g) in unlocated else g for g in q.get("gold_spans", [])]
        q["id"], q["kind"], q["question"] = scrub(str(q["id"])), scrub(q["kind"]), scrub(q["question"])
        q["history"] = [scrub(h) for h in q.get("history", [])]
    out["unlocatable_spans"] = [{"id": scrub(str(u["id"])), "span": scrub(u["span"])}
                                for u in results.get("unlocatable_spans", [])]
    kinds: dict[str, dict] = {}
    for kind, figures in results.get("by_kind", {}).items():
        name = scrub(kind)
        while name in kinds:  # two kinds that read the same once redacted stay apart
            name += "'"
        kinds[name] = copy.deepcopy(figures)
    out["by_kind"] = kinds
    return out


def write(results: dict, out_dir: Path, command: str = "") -> list[Path]:
    """Every file of the report (results.json, report.md, report.html, the charts), exactly as `results` says:
    pass `redacted(results, ...)` when the questions are not the operator's own."""
    out_dir.mkdir(parents=True, exist_ok=True)
    svgs = charts(results)
    md_text = markdown(results, command)
    files = {"results.json": json.dumps(results, ensure_ascii=False, indent=2, default=str),
             "report.md": md_text, "report.html": page_html("Sharewise evaluation report", md_text, svgs),
             **svgs}
    paths = []
    for name, text in files.items():
        (out_dir / name).write_text(text, encoding="utf-8")
        paths.append(out_dir / name)
    return paths
