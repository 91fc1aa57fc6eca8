"""Every rule is documented, cited, quoted from the corpus, and exercised by at least one case."""

import pytest
import yaml

from assistant.rules import RULES, check_facts, parse_facts, rule_quotes
from assistant.rules.facts import FactsError

from .conftest import REPO

CASES = yaml.safe_load((REPO / "tests" / "fixtures" / "rule_cases.yaml").read_text(encoding="utf-8"))
SCENARIOS = yaml.safe_load((REPO / "evals" / "scenarios.yaml").read_text(encoding="utf-8"))["scenarios"]


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda c: c["name"][:60])
def test_rule_case(case):
    out = check_facts(parse_facts(case["facts"], CASES["base"]))
    expected = case["expected"]
    missing = set(expected["rules"]) - set(out["rules_fired"])
    assert not missing, f"rules did not fire: {missing}"
    for flag in ("consent", "public_interest", "schedule_1"):
        if flag in expected:
            assert out[flag]["status"] == expected[flag], (flag, out[flag]["reason"])


def test_every_rule_has_an_id_label_docstring_reference_and_a_case():
    exercised = {r for c in CASES["cases"] for r in c["expected"]["rules"]} | \
        {r for s in SCENARIOS for r in s["expected"]["rules"]}
    for rid, r in RULES.items():
        assert r.id == rid and r.label and r.doc, rid
        assert r.refs and all(u.startswith("https://www.legislation.gov.uk/") for u in r.refs), rid
        assert rid in exercised, f"{rid} is exercised by no case"


def test_every_rule_quote_is_verbatim_in_the_corpus():
    quotes = rule_quotes(str(REPO / "corpus"))
    for rid, r in RULES.items():
        assert len(quotes[rid]) == len(r.quotes), f"{rid}: a quote is not in the corpus"


def test_exceptions_name_rules_that_exist():
    for r in RULES.values():
        assert all(o in RULES for o in r.overrides), r.id


@pytest.mark.parametrize("facts, message", [
    ({"colour": "blue"}, "unknown fact 'colour'"),
    ({"consent_status": "maybe"}, "consent_status = 'maybe' is not one of"),
    ({"protected_person_age": "twelve"}, "protected_person_age must be a whole number"),
    ({"emergency": "sometimes"}, "must be yes, no or unknown"),
    ({"data_categories": ["health", "shoe size"]}, "unknown categories"),
    ("not a mapping", "must be a mapping"),
])
def test_bad_facts_are_named(facts, message):
    with pytest.raises(FactsError, match=message):
        parse_facts(facts)


def test_unknown_is_never_false():
    out = check_facts(parse_facts({}))
    for flag in ("consent", "public_interest", "schedule_1"):
        assert out[flag]["status"] == "undetermined" and out[flag]["ask"], flag


def test_trace_says_which_rules_did_not_fire_and_on_which_fact():
    out = check_facts(parse_facts({"consent_status": "not_sought", "protected_person_age": 30,
                                   "data_categories": ["health"]}))
    by_rule = {t["rule"]: t for t in out["trace"]}
    assert by_rule["R-C6"]["fired"] is False and "consent_status" in by_rule["R-C6"]["because"]
    assert by_rule["R-S1-18b"]["fired"] is True
    assert all({"rule", "label", "fired", "because"} <= set(t) for t in out["trace"])
