"""Per-fact precision and recall of free-text extraction, and the danger detector's recall and false alarms.

    python -m assistant.extraction_metrics evals/scenarios.yaml [more.yaml ...] [-v]
    python -m assistant.extraction_metrics --danger evals/danger-dev.yaml [-v]
    python -m assistant.extraction_metrics --danger-first-line evals/danger-fresh.yaml   (loads the model)

A file with `scenarios:` is scored against each scenario's own `facts:` (not the file's defaults: a default is
not something the text says); a fact proposed where the gold has none counts against precision. A file with
`situations:` (text in `text` or `situation`) has complete gold in `facts` and the names the words state in
`stated`: recall is scored only over the stated names, precision over every extracted fact against `facts`.
A danger file lists `texts:` labelled `danger: true/false`; the detector's answer is the `emergency` fact.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from .rules.extract import extract_facts
from .rules.facts import Facts, parse_facts

# The facts the three primary flags depend on.
PRIMARY = ("protected_person_age", "data_subject_role", "protected_person", "data_categories", "sensitive",
           "already_public_or_readily_available", "given_in_confidence", "sharing_within_confider_understanding",
           "consent_status", "capacity_or_competence", "child_harm_level", "adult_harm_level", "crime_purpose",
           "emergency", "purpose", "sharer_type", "recipient", "request_basis", "adult_care_support_needs",
           "adult_experiencing_or_at_risk_of_harm", "adult_unable_to_protect_self_due_to_needs")

Extractor = Callable[[str], Facts]


def _items(path: Path) -> list[tuple[str, str, dict, set[str] | None]]:
    """(id, text, gold facts, names scored for recall or None for all) for each case in a file."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    out: list[tuple[str, str, dict, set[str] | None]] = []
    for s in data.get("scenarios") or []:
        out.append((str(s["id"]), s["scenario"], s.get("facts") or {}, None))
    for s in data.get("situations") or []:
        text = s.get("text") or s.get("situation") or s.get("scenario") or ""
        stated = s.get("stated") or []
        names = set(stated) if not isinstance(stated, dict) else set(stated)
        out.append((str(s["id"]), text, s.get("facts") or {}, names))
    return out


def score(paths: list[Path], extract: Extractor = extract_facts) -> tuple[dict, list[str]]:
    tp: defaultdict[str, int] = defaultdict(int)
    fp: defaultdict[str, int] = defaultdict(int)
    fn: defaultdict[str, int] = defaultdict(int)
    errors: list[str] = []
    for path in paths:
        for sid, text, raw, stated in _items(path):
            gold = parse_facts(raw).values
            got = extract(text).values
            for k in set(gold) | set(got):
                g, x = gold.get(k), got.get(k)
                recall_counts = stated is None or k in stated
                if k == "sharer_statutory_function":
                    g, x = (None if v is None else bool(v) for v in (g, x))
                if k == "data_categories":
                    g, x = set(g or ()), set(x or ())
                    tp[k] += len(g & x)
                    fp[k] += len(x - g)
                    fn[k] += len(g - x) if recall_counts else 0
                    if g != x and (x - g or recall_counts):
                        errors.append(f"{sid} {k}: got {sorted(x)} gold {sorted(g)}")
                    continue
                if x is None:
                    if recall_counts:
                        fn[k] += 1
                        errors.append(f"{sid} {k}: missed (gold {g})")
                elif g is None:
                    fp[k] += 1
                    errors.append(f"{sid} {k}: proposed {x}, gold has none")
                elif g == x:
                    tp[k] += 1
                else:
                    fp[k] += 1
                    fn[k] += 1 if recall_counts else 0
                    errors.append(f"{sid} {k}: got {x} gold {g}")
    table: dict[str, dict[str, Any]] = {}
    for k in sorted(set(tp) | set(fp) | set(fn)):
        p = tp[k] / (tp[k] + fp[k]) if tp[k] + fp[k] else None
        r = tp[k] / (tp[k] + fn[k]) if tp[k] + fn[k] else None
        table[k] = {"precision": p, "recall": r, "tp": tp[k], "fp": fp[k], "fn": fn[k]}
    for name, keys in (("primary", [k for k in table if k in PRIMARY]), ("all", list(table))):
        t, f, n = (sum(table[k][m] for k in keys) for m in ("tp", "fp", "fn"))
        table[f"_{name}_micro"] = {"precision": t / (t + f) if t + f else None,
                                   "recall": t / (t + n) if t + n else None, "tp": t, "fp": f, "fn": n}
    return table, errors


def danger_score(path: Path, extract: Extractor = extract_facts) -> dict[str, Any]:
    """Recall over texts labelled danger, false-alarm rate over the rest, and the misses and false alarms."""
    texts = yaml.safe_load(Path(path).read_text(encoding="utf-8"))["texts"]
    misses: list[str] = []
    alarms: list[str] = []
    pos = neg = hit = false = 0
    for t in texts:
        facts = extract(t["text"])
        said = facts.get("emergency") is True
        if t["danger"]:
            pos += 1
            hit += said
            if not said:
                misses.append(f"{t['id']} [{t.get('kind', '')}] {t['text']}")
        else:
            neg += 1
            false += said
            if said:
                alarms.append(f"{t['id']} [{t.get('kind', '')}] {t['text']}  <- {facts.sources.get('emergency')}")
    return {"recall": hit / pos if pos else None, "false_alarm_rate": false / neg if neg else None,
            "positives": pos, "negatives": neg, "hits": hit, "false_alarms": false, "misses": misses,
            "alarms": alarms}


def _fmt(v: float | None) -> str:
    return "  -  " if v is None else f"{v:.2f}"


def danger_first_line(path: Path) -> dict[str, Any]:
    """How often the answer opens with the 999 line: the banner (the words settle danger) or, when the words do
    not, the second check's "could someone be in immediate danger?" (`assistant/danger_model.py`). Loads the
    model."""
    import yaml

    from .danger_model import DangerModel
    from .embedding import load_embedder
    from .rules.danger import detect_danger
    from .settings import Settings

    settings = Settings.from_env()
    embedder = load_embedder(settings.model_dir, settings.torch_threads)
    model = DangerModel.learn(embedder)
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))["texts"]
    vectors = embedder.encode([r["text"] for r in rows])
    banner = [detect_danger(r["text"]) is not None for r in rows]
    first = [b or model.probability(v) >= model.threshold for b, v in zip(banner, vectors, strict=True)]
    pos = [bool(r["danger"]) for r in rows]

    def rates(pred: list[bool]) -> tuple[float, float]:
        tp = sum(p and g for p, g in zip(pred, pos, strict=True))
        fp = sum(p and not g for p, g in zip(pred, pos, strict=True))
        return tp / max(1, sum(pos)), fp / max(1, len(pos) - sum(pos))

    return {"banner": rates(banner), "first_line_999": rates(first), "n": len(rows)}


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv if not a.startswith("-")]
    if "--danger-first-line" in argv:
        for f in files:
            d = danger_first_line(f)
            print(f"{f}: banner recall {_fmt(d['banner'][0])}, false alarms {_fmt(d['banner'][1])}; 999 line first "
                  f"(banner or the second check asking) recall {_fmt(d['first_line_999'][0])}, on other texts "
                  f"{_fmt(d['first_line_999'][1])}")
        return 0
    if "--danger" in argv:
        for f in files:
            d = danger_score(f)
            print(f"{f}: danger recall {_fmt(d['recall'])} ({d['hits']}/{d['positives']}), false alarms "
                  f"{_fmt(d['false_alarm_rate'])} ({d['false_alarms']}/{d['negatives']})")
            print("misses:" if d["misses"] else "misses: none")
            for m in d["misses"]:
                print(f"  {m}")
            if "-v" in argv:
                print("false alarms:" if d["alarms"] else "false alarms: none")
                for a in d["alarms"]:
                    print(f"  {a}")
        return 0
    table, errors = score(files)
    print(f"{'fact':58} {'P':>5} {'R':>5}   tp  fp  fn")
    for k, m in table.items():
        print(f"{k:58} {_fmt(m['precision']):>5} {_fmt(m['recall']):>5}  {m['tp']:3} {m['fp']:3} {m['fn']:3}")
    if "-v" in argv:
        print("\n".join(errors))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
