"""The scope check: what a practitioner would notice is a real question declined (guidance withheld) or an
out-of-scope one answered from sources that do not cover it, and the sentence that says why."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml

from assistant.scope import COVERAGE, UNRELATED, classify, load_table
from assistant.types import Scope

REPO = Path(__file__).resolve().parent.parent
CASES = yaml.safe_load((REPO / "tests" / "fixtures" / "scope_cases.yaml").read_text(encoding="utf-8"))
# The question files the table was tuned on. Named one by one: questions-new-b.jsonl is held out.
TUNED_ON = ("questions-new-a.jsonl", "questions.jsonl", "questions-dev.jsonl", "questions-heldout.jsonl")


def _reason_for(rule_id: str) -> str:
    if rule_id == "unrelated":  # the unrelated rule, or a question naming nothing in the field at all
        return next(r.reason() for r in load_table().rules if r.id == "unrelated")
    return next(r.reason() for r in load_table().rules if r.id == rule_id)


@pytest.mark.parametrize("question", CASES["in_scope"])
def test_a_practitioners_question_is_answered(question):
    assert classify(question) == Scope(in_scope=True, reason="")


@pytest.mark.parametrize("case", CASES["out_of_scope"], ids=lambda c: c["q"])
def test_an_out_of_scope_question_is_declined_with_the_reason_that_fits(case):
    scope = classify(case["q"])
    assert not scope.in_scope
    expected = {_reason_for(case["rule"])} | ({UNRELATED} if case["rule"] == "unrelated" else set())
    assert scope.reason in expected


@pytest.mark.parametrize("case", CASES["follow_ups"], ids=lambda c: c["q"])
def test_a_follow_up_is_judged_with_the_conversation(case):
    assert classify(case["q"], tuple(case["history"])).in_scope is case["in_scope"]


def test_a_follow_up_inherits_an_out_of_scope_conversation_but_not_a_fresh_question():
    history = ("whats the scottish IRD process",)
    assert not classify("who has to be at it", history).in_scope
    assert classify("who has to be at it").in_scope is False  # and alone it names nothing
    assert classify("ok new question - can i share a pupils info with the police without consent", history).in_scope


def test_the_reason_is_one_sentence_naming_what_was_asked_and_what_the_sources_cover():
    for rule in load_table().rules:
        reason = rule.reason()
        assert reason.startswith(f"This asks about {rule.about};") and reason.endswith(COVERAGE)
        assert reason.count(". ") == 0 and reason.endswith("."), reason
    scot = classify("whats the scottish IRD process")
    assert scot.reason == ("This asks about Scotland; Sharewise's sources cover England: children's safeguarding "
                           "information sharing, and extracts of the DPA 2018, UK GDPR and statutory gateways.")
    assert scot.to_json() == {"in_scope": False, "reason": scot.reason}


def test_curly_apostrophes_and_capitals_read_the_same():
    typed = classify("How many days does a Clare’s Law decision take?")
    assert typed == classify("how many days does a clares law decision take") and not typed.in_scope


def test_every_rule_has_a_documented_row_and_declines_at_least_one_case():
    rules = load_table().rules
    assert len({r.id for r in rules}) == len(rules)
    fired = {c["rule"] for c in CASES["out_of_scope"]}
    assert {r.id for r in rules} <= fired, f"rules no case exercises: {sorted({r.id for r in rules} - fired)}"


def test_a_malformed_table_says_which_rule_is_wrong(tmp_path):
    bad = tmp_path / "scope.toml"
    bad.write_text('[cues]\ntopic = ["x"]\n[[rule]]\nid = "r1"\nabout = "a"\ndoc = "d"\nall = [["@nope"]]\n')
    with pytest.raises(ValueError, match="r1 refers to unknown cue '@nope'"):
        load_table(bad)
    bad.write_text('[cues]\ntopic = ["x"]\n[[rule]]\nid = "r2"\nabout = "a"\ndoc = "d"\nall = [["("]]\n')
    with pytest.raises(ValueError, match="r2 has a bad pattern"):
        load_table(bad)


def test_no_danger_example_is_declined():
    """Danger first: a practitioner describing a child in danger is never told the question is off-topic."""
    texts = yaml.safe_load((REPO / "assistant" / "data" / "danger_examples.yaml").read_text(encoding="utf-8"))["texts"]
    declined = [t["text"] for t in texts if t["danger"] and not classify(t["text"]).in_scope]
    assert declined == []


@pytest.mark.parametrize("text", ["", "   ", "?", "x" * 8000, "🙂 " * 50, "\x00\x01"])
def test_odd_input_is_classified_without_an_error(text):
    assert isinstance(classify(text).in_scope, bool)


@pytest.mark.parametrize("name", TUNED_ON)
def test_decline_rates_on_the_question_files(name):
    """Out-of-scope questions (gold_spans == []) declined >= 0.85, in-scope ones declined <= 0.05."""
    rows = [json.loads(line) for line in (REPO / "evals" / name).read_text(encoding="utf-8").splitlines() if line]
    declined = [not classify(r["question"], tuple(r.get("history") or ())).in_scope for r in rows]
    out = [d for d, r in zip(declined, rows) if r["gold_spans"] == []]
    inside = [d for d, r in zip(declined, rows) if r["gold_spans"] != []]
    recall, false_declines = sum(out) / len(out), sum(inside) / len(inside)
    print(f"{name}: out-of-scope declined {sum(out)}/{len(out)} = {recall:.2f}; "
          f"in-scope declined {sum(inside)}/{len(inside)} = {false_declines:.3f}")
    assert recall >= 0.85 and false_declines <= 0.05


def test_it_is_fast_enough_to_run_on_every_answer():
    questions = CASES["in_scope"] + [c["q"] for c in CASES["out_of_scope"]]
    classify(questions[0])  # the table is compiled once, on first use
    best = min(_mean_seconds(questions) for _ in range(3))
    assert best < 0.001, f"{best * 1e3:.2f} ms per question"


def _mean_seconds(questions: list[str]) -> float:
    start = time.perf_counter()
    for q in questions:
        classify(q)
    return (time.perf_counter() - start) / len(questions)
