"""Every rule is documented, cited, quoted from the corpus, and exercised by at least one case; exceptions run
before the rules they override, and the declared order really drives the outcome."""

import ast
from pathlib import Path

import pytest
import yaml

from assistant.rule_quotes import bind_rule_quotes
from assistant.rules import RULES, FactsError, determine, parse_facts
from assistant.rules.engine import ORDERS, PHASES, Evaluation
from assistant.rules.facts import Derived, Facts
from assistant.rules.registry import FALLBACKS, Hit, Miss, Rule, evaluation_order
from assistant.types import FLAG_NAMES, LegalRef

from .conftest import REPO

CASES = yaml.safe_load((REPO / "tests" / "fixtures" / "rule_cases.yaml").read_text(encoding="utf-8"))
SCENARIOS = yaml.safe_load((REPO / "evals" / "scenarios.yaml").read_text(encoding="utf-8"))["scenarios"]
RULES_DIR = REPO / "assistant" / "rules"
GLOBAL_ORDER = [r.id for name, _ in PHASES for r in ORDERS[name]]


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda c: c["name"][:60])
def test_rule_case(case):
    # A case states its facts over a complete base; one about what an unknown fact does says `assume: false`.
    out = determine(parse_facts(case["facts"], CASES["base"]), assume=case.get("assume", True))
    expected = case["expected"]
    missing = set(expected["rules"]) - set(out.rules_fired)
    assert not missing, f"rules did not fire: {missing}"
    for flag in out.flags:
        if flag.name in expected:
            assert flag.status == expected[flag.name], (flag.name, flag.reason)
        if flag.name in expected.get("rests_on", {}):
            assert set(expected["rests_on"][flag.name]) <= set(flag.rests_on), (flag.name, flag.rests_on)


def test_every_rule_has_an_id_label_docstring_reference_and_a_case():
    exercised = {r for c in CASES["cases"] for r in c["expected"]["rules"]} | \
        {r for s in SCENARIOS for r in s["expected"]["rules"]}
    for rid, r in RULES.items():
        assert r.id == rid and r.label and r.doc, rid
        assert r.refs and all(isinstance(ref, LegalRef) and ref.label for ref in r.refs), rid
        assert all(ref.url.startswith("https://www.legislation.gov.uk/") for ref in r.refs), rid
        assert rid in exercised, f"{rid} is exercised by no case"


def test_every_rule_quote_is_verbatim_in_the_corpus(corpus):
    quotes = bind_rule_quotes(corpus)
    for rid, r in RULES.items():
        assert len(quotes[rid]) == len(r.quotes), f"{rid}: a quote is not in the corpus"


def test_quotes_given_go_into_the_flags_that_rest_on_their_rules(corpus):
    quotes = bind_rule_quotes(corpus)
    facts = parse_facts({}, CASES["base"])
    out = determine(facts, quotes)
    for flag in out.flags:
        assert flag.quotes == tuple(q for rid in flag.rule_ids for q in quotes[rid]), flag.name
    assert determine(facts).to_json() | {f: None for f in FLAG_NAMES} == out.to_json() | {f: None for f in FLAG_NAMES}


def test_every_rule_is_evaluated_and_every_need_and_override_names_a_rule_or_flag():
    assert sorted(GLOBAL_ORDER) == sorted(RULES)
    for r in RULES.values():
        assert all(o in RULES for o in r.overrides), r.id
        assert all(n in RULES or n in FLAG_NAMES for n in r.needs), r.id
        assert all(j in RULES and RULES[j].flag == r.flag for j in r.joins), r.id
    for fb in FALLBACKS.values():
        assert all(n in RULES for n in fb.needs), fb.flag
    assert set(FALLBACKS) == {name for name, mode in PHASES if mode == "first"}


def test_every_exception_runs_before_the_rules_it_overrides_and_every_need_before_its_user():
    position = {rid: i for i, rid in enumerate(GLOBAL_ORDER)}
    flag_done = {name: max(position[r.id] for r in ORDERS[name]) for name, _ in PHASES}
    for r in RULES.values():
        for target in r.overrides:
            assert position[r.id] < position[target], f"{r.id} runs after {target}, which it overrides"
        for need in r.needs:
            if need in FLAG_NAMES:
                assert flag_done[need] < position[r.id], f"{r.id} needs {need}, decided after it"
            elif need not in r.joins:
                assert position[need] < position[r.id], f"{r.id} needs {need}, evaluated after it"


def test_a_public_authority_gets_no_ea_or_f_suggestion_and_the_trace_says_why():
    out = determine(parse_facts({"sharer_type": "public_authority", "crime_purpose": "serious_crime",
                                 "decision_date": "2026-06-15"}))
    assert not {s.code for s in out.article_6} & {"(ea)", "(f)"}
    by_rule = {t.rule: t for t in out.trace}
    assert by_rule["R-A6-block"].fired
    assert by_rule["R-A6-ea"].because == by_rule["R-A6-f"].because == "overridden by R-A6-block"


def test_no_exception_is_coded_twice():
    """An exception's condition is not re-checked inside its target: when the exception is switched off, the
    target fires on the very facts the exception was written for."""
    pa = parse_facts({"sharer_type": "public_authority", "crime_purpose": "serious_crime", "purpose": "marac_da",
                      "protected_person_age": 12, "decision_date": "2026-06-15"})
    run = Evaluation(pa, Derived.of(pa))
    hits = run.collect([r for r in ORDERS["article_6"] if r.id != "R-A6-block"])
    assert {"R-A6-ea", "R-A6-f"} <= {rid for rid, _ in hits}


def _rule(rid, status, overrides=()):
    return Rule(rid, rid, "consent", (LegalRef("x", "https://www.legislation.gov.uk/x"),), (), tuple(overrides), (),
                (), (), "", lambda f, d: Hit(status, rid))


def test_overrides_drive_the_order_and_so_the_outcome():
    """A tiny registry: the general rule is declared first; only `overrides=` puts the exception before it."""
    f = Facts({})
    general = _rule("general", "applies")
    for exception, expected in ((_rule("exception", "does_not_apply", overrides=["general"]), "does_not_apply"),
                                (_rule("exception", "does_not_apply"), "applies")):
        order = evaluation_order([general, exception])
        rules = {r.id: r for r in order}
        decision = Evaluation(f, Derived.of(f)).decide("consent", order, rules)
        assert decision.status == expected, [r.id for r in order]
    with pytest.raises(ValueError, match="cycle"):
        evaluation_order([_rule("a", None, ["b"]), _rule("b", None, ["a"])])


def test_an_overridden_rule_is_not_applied_even_where_order_alone_would_not_stop_it():
    f = Facts({})
    exception = _rule("exception", None, overrides=["general"])  # informs, does not decide
    general = _rule("general", "applies")
    run = Evaluation(f, Derived.of(f))
    decision = run.decide("consent", evaluation_order([general, exception]), {"general": general,
                                                                           "exception": exception})
    assert decision.status == "undetermined" and run.outcomes["general"] == Miss("overridden by exception")


def test_a_rule_reads_only_what_it_declared():
    f = Facts({})
    nosy = Rule("nosy", "nosy", "consent", (), (), (), ("other",), (), (), "",
                lambda f, d, got: Hit("applies", str(got.status("consent"))))
    run = Evaluation(f, Derived.of(f))
    with pytest.raises(KeyError, match="did not declare"):
        run.decide("consent", [nosy], {"nosy": nosy})


def test_the_rules_package_is_pure():
    """It imports nothing outside itself but assistant.types and assistant.errors, and reads no file,
    environment or clock."""
    for path in sorted(Path(RULES_DIR).glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{path.name} has no module docstring"
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level >= 2:
                assert node.module in ("types", "errors"), f"{path.name} imports ..{node.module}"
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                assert node.module in ("__future__", "dataclasses", "collections.abc", "types", "typing"), \
                    f"{path.name} imports {node.module}"
            if isinstance(node, ast.Import):
                names = {a.name for a in node.names}
                assert names <= {"re", "datetime", "itertools", "math"}, f"{path.name} imports {names}"
            if isinstance(node, ast.Attribute):
                assert node.attr not in ("environ", "getenv", "today", "now", "read_text", "lru_cache"), \
                    f"{path.name} uses .{node.attr}"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("open", "lru_cache", "input"), f"{path.name} calls {node.func.id}"


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
    out = determine(parse_facts({}))
    for flag in out.flags:
        assert flag.status == "undetermined" and flag.ask, flag.name


def test_trace_says_which_rules_did_not_fire_and_on_which_fact():
    out = determine(parse_facts({"consent_status": "not_sought", "protected_person_age": 30,
                                 "data_categories": ["health"]}))
    by_rule = {t.rule: t for t in out.trace}
    assert by_rule["R-C6"].fired is False and "consent_status" in by_rule["R-C6"].because
    assert by_rule["R-S1-18b"].fired is True
    assert all({"rule", "label", "fired", "because"} <= set(t) for t in out.to_json()["trace"])


def test_the_record_is_prefilled_from_the_facts_and_leaves_the_decision_to_the_practitioner():
    out = determine(parse_facts({}, CASES["base"]))
    record = out.to_json()["record"]
    assert record["decision"] == record["reasons"] == record["consulted"] == record["date"] == ""
    assert record["with_whom"] == "la childrens social care" and record["purpose"] == "child protection referral"
    assert record["what"] == "health" and "(e) public task" in record["article_6"]
    assert "para 18" in record["condition"] and "(2)(c)" in record["consent"]
    assert all(isinstance(v, str) for v in record.values())
