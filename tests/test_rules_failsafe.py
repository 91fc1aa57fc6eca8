"""Fail safe by construction: a definite flag (applies, does_not_apply, not_needed) never rests on an unknown
fact. Whenever one is returned while facts are unknown, every value those facts could take gives the same
status (assumed facts are not unknown: they are shown, and a flag resting on one says so)."""

from __future__ import annotations

import itertools

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.rules import determine, parse_facts
from assistant.rules.assumptions import with_values
from assistant.rules.engine import PROBER
from assistant.rules.facts import FACTS
from assistant.rules.failsafe import COMPANIONS, domain
from assistant.types import FLAG_NAMES

from .conftest import REPO
from .test_rules_properties import FACT_MAPS

DEFINITE = ("applies", "does_not_apply", "not_needed")
SCENARIOS = yaml.safe_load((REPO / "evals" / "scenarios.yaml").read_text(encoding="utf-8"))
COMPLETE = [{**SCENARIOS["meta"]["defaults"], **s["facts"]} for s in SCENARIOS["scenarios"]]
CASES = yaml.safe_load((REPO / "tests" / "fixtures" / "rule_cases.yaml").read_text(encoding="utf-8"))
COMPLETE.append(CASES["base"])
CHECKED = settings(max_examples=150, deadline=None, derandomize=True,  # the same examples in every run
                   suppress_health_check=[HealthCheck.too_slow])
ASKABLE = sorted(n for n, s in FACTS.items() if s.kind != "date")
pytestmark = pytest.mark.slow  # hundreds of full rule checks per example; CI runs it


def _statuses(facts) -> tuple[str, ...]:
    d = determine(facts, assume=False)
    return tuple(f.status for f in d.flags)


def violations(raw: dict, removed: list[str]) -> list[str]:
    """Flags that were definite although some value of the removed (and not assumed) facts changes them."""
    facts = parse_facts(raw)
    d = determine(facts)
    assumed = {a.fact: a.value for a in d.assumptions}
    working = with_values(facts, assumed)
    unknown = [r for r in removed if r not in assumed and not facts.known(r)]
    out = []
    for combo in itertools.product(*(domain(r) for r in unknown)):
        after = _statuses(with_values(working, dict(zip(unknown, combo, strict=True))))
        for name, before, now in zip(FLAG_NAMES, (f.status for f in d.flags), after, strict=True):
            if before in DEFINITE and now != before:
                out.append(f"{name} {before} but {dict(zip(unknown, combo, strict=True))} gives {now}")
    return out


@CHECKED
@given(st.sampled_from(range(len(COMPLETE))), st.sets(st.sampled_from(ASKABLE), min_size=1, max_size=3))
def test_near_complete_facts_never_give_a_definite_flag_an_unknown_could_change(which, removed):
    raw = {k: v for k, v in COMPLETE[which].items() if k not in removed}
    assert violations(raw, sorted(removed)) == []


@CHECKED
@given(FACT_MAPS, st.data())
def test_random_facts_never_give_a_definite_flag_an_unknown_could_change(raw, data):
    facts = parse_facts(raw)
    unknown = [n for n in ASKABLE if not facts.known(n)]
    picked = data.draw(st.lists(st.sampled_from(unknown), min_size=1, max_size=2, unique=True)) if unknown else []
    assert violations(raw, picked) == []


@CHECKED
@given(st.sampled_from(range(len(COMPLETE))), st.sets(st.sampled_from(ASKABLE), min_size=1, max_size=2))
def test_questions_are_only_about_what_could_change_a_flag(which, removed):
    """At most five; each could change a flag it names: some value of it (with at most one other open fact)
    changes that flag's status."""
    raw = {k: v for k, v in COMPLETE[which].items() if k not in removed}
    facts = parse_facts(raw)
    d = determine(facts)
    assert len(d.questions) <= 5
    working = with_values(facts, {a.fact: a.value for a in d.assumptions})

    def rules_alone(f):  # what the rules say before the guard withdraws anything unproved
        return PROBER.probe(f)[0]

    base = dict(zip(FLAG_NAMES, rules_alone(working), strict=True))
    for q in d.questions:
        if q.fact == "emergency" and facts.get("danger_suspected") is True:
            continue  # danger first: asked whenever danger is suspected, whatever it could change
        others = sorted({n for n in (*removed, *COMPANIONS.get(q.fact, ())) if not working.known(n)})
        assert q.could_change and set(q.could_change) <= set(FLAG_NAMES), q
        variants = [{q.fact: v} for v in domain(q.fact)]
        variants += [{q.fact: v, o: w} for v in domain(q.fact) for o in others if o != q.fact for w in domain(o)]
        changed = {n for change in variants
                   for n, s in zip(FLAG_NAMES, rules_alone(with_values(working, change)), strict=True) if s != base[n]}
        # or: an open fact asked for flags left undetermined (the proof could not clear them of it)
        withdrawn = {f.name for f in d.flags if f.status == "undetermined"} if not working.known(q.fact) else set()
        assert changed & set(q.could_change) or set(q.could_change) <= withdrawn, (q.fact, q.could_change)


def test_the_checker_catches_a_definite_flag_that_rests_on_an_unknown(monkeypatch):
    """With the guard switched off, the rules alone call the public interest definite while consent is unknown
    (valid explicit consent would make it "not needed"): the checker must report exactly that."""
    from assistant.rules import engine

    raw = {k: v for k, v in CASES["base"].items() if k != "consent_status"}
    both = ["consent_quality", "consent_status"]
    assert violations(raw, both) == []  # the guard holds
    monkeypatch.setattr(engine, "_settled", lambda flag, decision, sens: decision)
    found = violations(raw, both)
    assert any(v.startswith("public_interest applies") for v in found), found




@CHECKED
@given(st.one_of(FACT_MAPS, st.sampled_from(COMPLETE)))
def test_the_proof_runs_the_same_rules_as_the_answer(raw):
    """What the proof runs for one flag (its rules and what they need) decides it as the full run does."""
    from assistant.rules.engine import _runner

    facts = parse_facts(raw)
    full = tuple(f.status for f in determine(facts, assume=False).flags)
    for i, name in enumerate(FLAG_NAMES):
        if full[i] != "undetermined":  # a definite status is the rules' own (the guard only ever withdraws one)
            assert _runner(facts, name)[0][i] == full[i], name
