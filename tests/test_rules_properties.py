"""Properties of the rules check over any combination of facts (hypothesis)."""

import datetime as dt
import json

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.rules import check_facts
from assistant.rules.engine import STATUSES
from assistant.rules.facts import CATEGORIES, FACTS, QUALITY_ITEMS, Facts, parse_facts

from .conftest import REPO


def _value(spec):
    if spec.kind == "bool":
        return st.sampled_from([True, False])
    if spec.kind == "enum":
        return st.sampled_from(spec.values)
    if spec.kind == "age":
        return st.one_of(st.integers(0, 100), st.sampled_from(["unborn", "disputed"]))
    if spec.kind == "set":
        return st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=4, unique=True)
    if spec.kind == "text_or_bool":
        return st.sampled_from(["yes", False, "Children Act 1989 s.47"])
    if spec.kind == "quality":
        return st.fixed_dictionaries({k: st.sampled_from([True, False, "unknown"]) for k in QUALITY_ITEMS} |
                                     {"consented_by": st.sampled_from(["data_subject", "person_with_parental_responsibility",
                                                                       "other", "unknown"])})
    return st.sampled_from([dt.date(2025, 6, 1), dt.date(2026, 6, 15)])


FACT_MAPS = st.fixed_dictionaries({}, optional={name: _value(spec) for name, spec in FACTS.items()})
BASE = yaml.safe_load((REPO / "tests" / "fixtures" / "rule_cases.yaml").read_text(encoding="utf-8"))["base"]
# Complete, realistic fact sets with a few facts changed or removed: where the interesting transitions are.
NEAR_COMPLETE = st.builds(lambda changes, drop: {k: v for k, v in {**BASE, **changes}.items() if k not in drop},
                          st.fixed_dictionaries({}, optional={name: _value(spec) for name, spec in FACTS.items()})
                          .filter(lambda d: len(d) <= 6),
                          st.sets(st.sampled_from(sorted(BASE)), max_size=3))
RANK = {"does_not_apply": 0, "undetermined": 1, "applies": 2, "not_needed": 2}
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.one_of(FACT_MAPS, NEAR_COMPLETE))
def test_any_facts_give_a_valid_answer_and_the_same_answer_twice(raw):
    facts = parse_facts(raw)
    first = check_facts(facts)
    assert json.dumps(first, sort_keys=True, default=str) == json.dumps(check_facts(facts), sort_keys=True, default=str)
    for flag in ("consent", "public_interest", "schedule_1"):
        out = first[flag]
        assert out["status"] in STATUSES
        assert out["rule_ids"] or out["status"] == "undetermined"
        if out["status"] == "undetermined":
            assert out["ask"] or out["judgement_required"] or out["uncertainty"] or out["reason"], flag
    assert first["trace"] and first["disclaimer"]


@FAST
@given(st.one_of(FACT_MAPS, NEAR_COMPLETE))
def test_valid_explicit_consent_makes_consent_apply(raw):
    raw = {k: v for k, v in raw.items() if k not in ("personal_data", "consent_quality", "consenter_is_alleged_source_of_harm",
                                                      "capacity_or_competence")}
    raw.update(consent_status="given_explicit",
               consent_quality={k: True for k in QUALITY_ITEMS} | {"consented_by": "data_subject"})
    assert check_facts(parse_facts(raw))["consent"]["status"] == "applies"


@FAST
@given(st.one_of(FACT_MAPS, NEAR_COMPLETE))
def test_evidence_of_significant_harm_never_makes_sharing_less_available(raw):
    before = check_facts(parse_facts(raw))
    after = check_facts(Facts({**parse_facts(raw).values, "child_harm_level": "evidence_significant_harm"}))
    for flag in ("public_interest", "schedule_1"):
        assert RANK[after[flag]["status"]] >= RANK[before[flag]["status"]], (flag, before[flag]["reason"],
                                                                                after[flag]["reason"])
