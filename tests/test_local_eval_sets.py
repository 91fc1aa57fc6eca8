"""The local-documents question sets (evals/local) stay usable: every gold sentence stands, word for word, in
exactly one document, so a figure computed from them measures retrieval, not a broken span."""

import json
from collections import Counter

import pytest

from .conftest import REPO

LOCAL = REPO / "evals" / "local"
FILES = sorted((LOCAL / "docs").glob("*.md")) + sorted((REPO / "corpus" / "docs").glob("*.md"))
SETS = {"questions-dev.jsonl": {"local": 20, "both": 5, "superseded": 3, "out-of-scope": 2},
        "questions-heldout.jsonl": {"local": 20, "both": 5, "superseded": 3, "out-of-scope": 2},
        "questions-fresh.jsonl": {"local": 8, "both": 12, "superseded": 4}}


@pytest.mark.parametrize("name", sorted(SETS))
def test_each_gold_sentence_stands_in_exactly_one_document_and_the_mix_is_as_documented(name):
    texts = {p: p.read_text(encoding="utf-8") for p in FILES}
    rows = [json.loads(line) for line in (LOCAL / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len({r["id"] for r in rows}) == len(rows)
    assert Counter(r["kind"] for r in rows) == SETS[name]
    for r in rows:
        homes = [[p for p, t in texts.items() if span in t] for span in r["gold_spans"]]
        assert all(len(h) == 1 for h in homes), (r["id"], homes)
        if r["kind"] == "out-of-scope":
            assert not r["gold_spans"]
            continue
        assert homes[0][0].name == r["doc"], r["id"]
        sides = {"local" if h[0].is_relative_to(LOCAL) else "bundled" for h in homes}
        assert sides == ({"local", "bundled"} if r["kind"] == "both" else {"local"}), r["id"]
        if r["kind"] == "superseded":  # the current procedure's words, never the 2019 one's
            assert all(h[0].name == "northmoor-scp-info-sharing-procedure.md" for h in homes), r["id"]
