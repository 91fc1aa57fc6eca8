"""Follow-ups only when they are follow-ups: a new topic inherits neither the previous question's retrieval nor its
facts; "and if shes 17?" still leans on the case before it."""

import json
import time

import pytest
import yaml

from assistant.followup import FULL, FollowUp, read_follow_up

from .conftest import REPO

CASES = yaml.safe_load((REPO / "tests" / "fixtures" / "followup_cases.yaml").read_text(encoding="utf-8"))["cases"]
# The eval files whose follow-ups this was tuned on (never the held-out ones).
EVAL_FILES = ("questions.jsonl", "questions-dev.jsonl", "questions-new-a.jsonl")
CASE = "A 15-year-old told me in confidence her stepdad hits her. Do I need her consent to refer?"


def _rows():
    for name in EVAL_FILES:
        for line in (REPO / "evals" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield json.loads(line)


@pytest.mark.parametrize("case", CASES, ids=[c["question"][:40] for c in CASES])
def test_practitioners_follow_ups_and_new_topics(case):
    got = read_follow_up(case["question"], tuple(case["history"]))
    assert got.is_follow_up is case["follow_up"], got.reason
    assert got.carries_facts is case.get("carries_facts", case["follow_up"]), got.reason
    assert (got.weight > 0) is got.is_follow_up and got.reason


def test_every_follow_up_in_the_eval_files_leans_fully_on_the_turn_before():
    """The follow-ups retrieval was tuned on keep the full weight they were tuned with."""
    follow_ups = [r for r in _rows() if r.get("history")]
    assert len(follow_ups) >= 13
    for r in follow_ups:
        got = read_follow_up(r["question"], tuple(r["history"]))
        assert got.is_follow_up and got.weight == FULL and got.carries_facts, (r["id"], got.reason)


def test_a_self_contained_question_after_an_unrelated_one_starts_fresh():
    """Each standalone eval question asked after the one before it in its file (a different question): almost
    all are read as new topics, so retrieval and the facts come from their own words."""
    pairs, prev = [], None
    for r in _rows():
        if r.get("history"):
            continue
        if prev is not None and prev != r["question"]:
            pairs.append((prev, r["question"]))
        prev = r["question"]
    fresh = [not read_follow_up(q, (p,)).carries_facts and read_follow_up(q, (p,)).weight == 0 for p, q in pairs]
    assert len(pairs) > 100 and sum(fresh) / len(fresh) >= 0.95


def test_the_first_question_is_never_a_follow_up():
    assert read_follow_up("and if shes 17?", ()) == FollowUp(False, 0.0, False, "the first question")
    assert not read_follow_up("and if shes 17?", ("", "   ")).is_follow_up


def test_a_follow_up_carries_the_open_case_and_an_aside_leaves_it_open():
    conversation = [CASE, "what if she refuses", "whats clares law", "who actually gets told tho"]
    assert read_follow_up(conversation[1], (CASE,)).thread == (CASE,)
    aside = read_follow_up(conversation[2], tuple(conversation[:2]))
    assert not aside.is_follow_up and not aside.carries_facts and aside.thread == ()
    back = read_follow_up("and can she use it about him?", tuple(conversation))
    assert back.carries_facts and back.thread == tuple(conversation)


def test_a_new_case_drops_the_earlier_case_for_good():
    new = "a 6 yr old said mummys friend hurt her, do i tell mum?"
    conversation = (CASE, "what if she refuses", new)
    assert not read_follow_up(new, conversation[:2]).carries_facts
    later = read_follow_up("and if she is 7?", conversation)
    assert later.carries_facts and later.thread == (new,)
    assert not read_follow_up("new case - a dad has asked for his sons file", conversation).carries_facts


def test_danger_in_a_follow_up_stays_with_the_case():
    got = read_follow_up("he says he will kill her tonight", (CASE,))
    assert got.is_follow_up and got.carries_facts and got.thread == (CASE,)


@pytest.mark.parametrize("question", [None, 42, b"bytes", "", "?" * 9000, "she " * 2000, "\u202eit\u202c", "’’’"])
def test_odd_input_is_read_without_an_error(question):
    got = read_follow_up(question, (CASE, None, 7))  # type: ignore[arg-type]
    assert isinstance(got, FollowUp) and isinstance(got.reason, str) and got.weight >= 0


def test_it_is_deterministic_and_well_under_a_millisecond():
    history = tuple(r["question"] for r in list(_rows())[:20])
    questions = [f"{c['question']} {n}" for n, c in enumerate(CASES)]  # unseen words: nothing cached
    first = [read_follow_up(q, history) for q in questions]
    again = [read_follow_up(q, history) for q in questions]
    assert again == first
    fresh = [f"{q} again {n}" for n, q in enumerate(questions)]
    start = time.perf_counter()
    for q in fresh:
        read_follow_up(q, history)
    assert (time.perf_counter() - start) / len(fresh) < 0.001


def test_a_follow_up_saying_it_is_not_an_emergency_does_not_switch_off_the_danger_of_the_first(fake_sw):
    """Danger first: 'not an emergency' in a later message once dropped the emergency of the whole thread."""
    first = "She told me her stepdad will kill her when she gets home tonight."
    turn = fake_sw.answer("It's not an emergency really, can I tell mum first?", (first,))
    assert turn.determination.emergency is not None and turn.facts.get("emergency") is True
    alone = fake_sw.answer("It's not an emergency, can I tell mum about the bruise?")
    assert alone.determination.emergency is None  # on its own, a denial is read as it stands
