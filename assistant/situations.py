"""`sharewise rules-eval`: how far the flags can be trusted on situations written in practitioners' words.

A situations file (evals/situations-*.yaml) holds free text, the gold facts a careful colleague would
establish, and the flags the spec gives on them. Measured per file: agreement on the gold facts
(structured), agreement from the free text alone, confident contradictions (one side says sharing is
barred, the other that it is open), agreement after answering only the questions the tool asks (answered
from the gold, one at a time, the top question first), and how many questions that took. Nothing is
recorded; this is measurement.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from .checking import RulesCheck
from .corpus import load_corpus
from .errors import SharewiseError
from .rules import FactsError, determine, parse_facts
from .rules.facts import Edits, Facts
from .settings import Settings
from .types import FLAG_NAMES, Determination

BARS = "does_not_apply"
OPEN = ("applies", "not_needed")
MAX_ASKED = 12


@dataclass(frozen=True)
class Situation:
    id: str
    role: str
    text: str
    gold: Facts
    expected: dict[str, str]


class SituationsError(SharewiseError):
    exit_code = 2


def read_situations(path: Path) -> list[Situation]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rows = data["situations"]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as e:
        raise SituationsError(f"{path} is not a situations file like evals/situations-a.yaml "
                              f"({type(e).__name__})") from None
    out = []
    for r in rows:
        try:
            gold = parse_facts(r["facts"], where=f"{path} {r.get('id')}")
        except FactsError as e:
            raise SituationsError(str(e)) from None
        out.append(Situation(str(r["id"]), str(r.get("role", "")), str(r["text"]), gold,
                             {f: r["expected"][f]["status"] for f in FLAG_NAMES}))
    return out


def _statuses(d: Determination) -> dict[str, str]:
    return {f.name: f.status for f in d.flags}


def _contradictions(got: dict[str, str], expected: dict[str, str]) -> list[str]:
    """Confident contradictions: the tool bars sharing where the gold opens it, or opens it where it is barred.
    For consent, "does not apply" bars nothing (consent is simply not the route): there, a contradiction is valid
    consent on one side and none on the other."""
    out = []
    for f in FLAG_NAMES:
        if f == "consent":
            if {got[f], expected[f]} == {"applies", BARS}:
                out.append(f"consent: tool {got[f]}, gold {expected[f]}")
        elif got[f] == BARS and expected[f] in OPEN:
            out.append(f"{f}: tool bars sharing ({got[f]}), gold {expected[f]}")
        elif got[f] in OPEN and expected[f] == BARS:
            out.append(f"{f}: tool opens sharing ({got[f]}), gold {expected[f]}")
    return out


def answer_questions(extracted: Facts, gold: Facts) -> tuple[Determination, int, list[str]]:
    """Answer the tool's questions from the gold, top question first, until every flag is settled and no question
    shows a wrong value, or nothing more is asked. Counted are the answers given (taps): a value already shown
    (assumed, or read from the words) is changed only when the gold differs from it; a fact the gold does not
    hold is "don't know", not asked again."""
    edits = Edits()
    asked: list[str] = []
    passed: set[str] = set()
    while True:
        d = determine(edits.apply(extracted))
        settled = all(f.status != "undetermined" for f in d.flags)
        todo = [q for q in d.questions if q.fact not in passed and q.fact not in edits.as_dict()]
        if settled:  # only a shown value that is wrong is still worth a tap
            todo = [q for q in todo if q.current is not None and gold.known(q.fact) and gold.get(q.fact) != q.current]
        if not todo or len(asked) >= MAX_ASKED:
            return d, len(asked), asked
        q = todo[0]
        if q.current is not None and (not gold.known(q.fact) or gold.get(q.fact) == q.current):
            passed.add(q.fact)  # an assumption or a fact read from the words that is right: nothing to tap
            continue
        asked.append(q.fact)
        if gold.known(q.fact):
            edits = Edits(tuple(sorted({**edits.as_dict(), q.fact: gold.get(q.fact)}.items())))
        else:
            passed.add(q.fact)


def evaluate(path: Path, rules: RulesCheck | None = None) -> dict:
    situations = read_situations(path)
    per, asked_counts = [], []
    agree = {k: {f: 0 for f in FLAG_NAMES} for k in ("structured", "free_text", "after_questions")}
    contra = {k: 0 for k in ("structured", "free_text", "after_questions")}
    for s in situations:
        extracted = rules.read((s.text,)) if rules else _read(s.text)
        results = {"structured": determine(s.gold), "free_text": determine(extracted)}
        after, n, asked = answer_questions(extracted, s.gold)
        results["after_questions"] = after
        asked_counts.append(n)
        row: dict = {"id": s.id, "role": s.role, "expected": s.expected, "asked": asked}
        for k, d in results.items():
            got = _statuses(d)
            for f in FLAG_NAMES:
                agree[k][f] += got[f] == s.expected[f]
            c = _contradictions(got, s.expected)
            contra[k] += len(c)
            row[k] = {"got": got, "contradictions": c}
        row["questions_first_asked"] = [q.fact for q in results["free_text"].questions]
        per.append(row)
    n = len(situations)
    summary = {k: {"agreement": sum(v.values()) / (3 * n) if n else 0.0,
                   "by_flag": {f: c / n if n else 0.0 for f, c in v.items()},
                   "confident_contradictions": contra[k]} for k, v in agree.items()}
    return {"file": str(path), "situations": n, **summary,
            "questions_asked": {"median": statistics.median(asked_counts) if asked_counts else 0,
                                "max": max(asked_counts, default=0), "mean": statistics.mean(asked_counts or [0])},
            "per_situation": per}


def _read(text: str) -> Facts:
    from .rules.extract import extract_facts

    return extract_facts(text)


def render(result: dict) -> str:
    lines = [f"{result['file']}: {result['situations']} situations"]
    for k in ("structured", "free_text", "after_questions"):
        r = result[k]
        flags = ", ".join(f"{f} {v:.2f}" for f, v in r["by_flag"].items())
        lines.append(f"  {k:16} agreement {r['agreement']:.3f} ({flags}); confident contradictions "
                     f"{r['confident_contradictions']}")
    q = result["questions_asked"]
    lines.append(f"  questions asked to settle the flags: median {q['median']}, mean {q['mean']:.1f}, max {q['max']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="sharewise rules-eval", description=__doc__.splitlines()[0])
    p.add_argument("files", nargs="+", help="situations files (YAML, like evals/situations-a.yaml)")
    p.add_argument("--json-out", default=None, metavar="FILE", help="also write every figure and situation as JSON")
    p.add_argument("--failures", action="store_true", help="list the situations where a flag disagrees")
    args = p.parse_args(argv)
    rules = RulesCheck(load_corpus(Settings.from_env().corpus_dir))
    out = []
    for f in args.files:
        r = evaluate(Path(f), rules)
        out.append(r)
        print(render(r))
        if args.failures:
            for row in r["per_situation"]:
                for k in ("free_text", "after_questions"):
                    bad = {f: (row["expected"][f], row[k]["got"][f]) for f in FLAG_NAMES
                           if row[k]["got"][f] != row["expected"][f]}
                    if bad:
                        print(f"    {row['id']} {k}: {bad} asked {row['asked']}")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(out, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

