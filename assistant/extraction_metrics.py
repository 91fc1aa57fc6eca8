"""Per-fact precision and recall of free-text extraction against scenarios with gold facts.

    python -m assistant.extraction_metrics evals/scenarios.yaml [more.yaml ...]

Gold is each scenario's own `facts:` (not the file's defaults: a default is not something the text
says). A fact proposed where the gold has none counts against precision.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from .rules.extract import extract_facts
from .rules.facts import parse_facts

# The facts the three primary flags depend on.
PRIMARY = ("protected_person_age", "data_subject_role", "protected_person", "data_categories", "sensitive",
           "already_public_or_readily_available", "given_in_confidence", "sharing_within_confider_understanding",
           "consent_status", "capacity_or_competence", "child_harm_level", "adult_harm_level", "crime_purpose",
           "emergency", "purpose", "sharer_type", "recipient", "request_basis", "adult_care_support_needs",
           "adult_experiencing_or_at_risk_of_harm", "adult_unable_to_protect_self_due_to_needs")


def score(paths: list[Path]) -> tuple[dict, list[str]]:
    tp: defaultdict[str, int] = defaultdict(int)
    fp: defaultdict[str, int] = defaultdict(int)
    fn: defaultdict[str, int] = defaultdict(int)
    errors: list[str] = []
    for path in paths:
        for s in yaml.safe_load(Path(path).read_text(encoding="utf-8"))["scenarios"]:
            gold = parse_facts(s["facts"]).values
            got = extract_facts(s["scenario"]).values
            for k in set(gold) | set(got):
                g, x = gold.get(k), got.get(k)
                if k == "sharer_statutory_function":
                    g, x = (None if v is None else bool(v) for v in (g, x))
                if k == "data_categories":
                    g, x = set(g or ()), set(x or ())
                    tp[k] += len(g & x)
                    fp[k] += len(x - g)
                    fn[k] += len(g - x)
                    if g != x:
                        errors.append(f"{s['id']} {k}: got {sorted(x)} gold {sorted(g)}")
                    continue
                if x is None:
                    fn[k] += 1
                    errors.append(f"{s['id']} {k}: missed (gold {g})")
                elif g is None:
                    fp[k] += 1
                    errors.append(f"{s['id']} {k}: proposed {x}, gold has none")
                elif g == x:
                    tp[k] += 1
                else:
                    fp[k] += 1
                    fn[k] += 1
                    errors.append(f"{s['id']} {k}: got {x} gold {g}")
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


def _fmt(v: float | None) -> str:
    return "  -  " if v is None else f"{v:.2f}"


def main(argv: list[str]) -> int:
    table, errors = score([Path(a) for a in argv if not a.startswith("-")])
    print(f"{'fact':58} {'P':>5} {'R':>5}   tp  fp  fn")
    for k, m in table.items():
        print(f"{k:58} {_fmt(m['precision']):>5} {_fmt(m['recall']):>5}  {m['tp']:3} {m['fp']:3} {m['fn']:3}")
    if "-v" in argv:
        print("\n".join(errors))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
