"""Properties of the rules check over any combination of facts (hypothesis)."""

import datetime as dt
import json

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.rules import Facts, determine, parse_facts
from assistant.rules.facts import CATEGORIES, FACTS, QUALITY_ITEMS
from assistant.types import STATUSES

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
        by = st.sampled_from(["data_subject", "person_with_parental_responsibility", "other", "unknown"])
        return st.fixed_dictionaries({k: st.sampled_from([True, False, "unknown"]) for k in QUALITY_ITEMS} |
                                     {"consented_by": by})
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
    first = determine(facts)
    assert first == determine(facts)
    assert json.dumps(first.to_json(), sort_keys=True) == json.dumps(determine(facts).to_json(), sort_keys=True)
    for flag in first.flags:
        assert flag.status in STATUSES
        assert flag.rule_ids or flag.status == "undetermined"
        assert all(ref.url.startswith("https://www.legislation.gov.uk/") for ref in flag.references), flag.name
        if flag.status == "undetermined":
            assert flag.ask or flag.judgements or flag.uncertainty or flag.reason, flag.name
    assert first.trace and first.disclaimer
    assert {t.rule for t in first.trace if t.fired} == set(first.rules_fired)


@FAST
@given(st.one_of(FACT_MAPS, NEAR_COMPLETE))
def test_valid_explicit_consent_makes_consent_apply(raw):
    raw = {k: v for k, v in raw.items() if k not in ("personal_data", "consent_quality",
                                                      "consenter_is_alleged_source_of_harm", "capacity_or_competence")}
    raw.update(consent_status="given_explicit", capacity_or_competence="has_capacity",
               consenter_is_alleged_source_of_harm=False,
               consent_quality={k: True for k in QUALITY_ITEMS} | {"consented_by": "data_subject"})
    assert determine(parse_facts(raw)).consent.status == "applies"


@FAST
@given(st.one_of(FACT_MAPS, NEAR_COMPLETE))
def test_evidence_of_significant_harm_never_makes_sharing_less_available(raw):
    before = determine(parse_facts(raw))
    after = determine(Facts({**parse_facts(raw).values, "child_harm_level": "evidence_significant_harm"}))
    for b, a in ((before.public_interest, after.public_interest), (before.schedule_1, after.schedule_1)):
        assert RANK[a.status] >= RANK[b.status], (b.name, b.reason, a.reason)
