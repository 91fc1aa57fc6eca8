"""The 20 worked scenarios of rules-spec §8 (evals/scenarios.yaml, copied from shared/design)."""

import re

import pytest
import yaml

from assistant.rule_quotes import bind_rule_quotes
from assistant.rules import determine, parse_facts

from .conftest import REPO

DATA = yaml.safe_load((REPO / "evals" / "scenarios.yaml").read_text(encoding="utf-8"))
DEFAULTS = DATA["meta"]["defaults"]
SCENARIOS = DATA["scenarios"]


@pytest.fixture(scope="module")
def determinations(corpus):
    quotes = bind_rule_quotes(corpus)
    return {s["id"]: determine(parse_facts(s["facts"], DEFAULTS), quotes) for s in SCENARIOS}


@pytest.fixture(scope="module")
def results(determinations):
    """The `sharewise check --json` objects."""
    return {sid: d.to_json() for sid, d in determinations.items()}


def test_there_are_twenty_scenarios():
    assert len(SCENARIOS) == 20


@pytest.mark.parametrize("s", SCENARIOS, ids=lambda s: s["id"])
def test_primary_flags(determinations, s):
    got = {f.name: f.status for f in determinations[s["id"]].flags}
    assert got == {k: s["expected"][k]["status"] for k in got}


@pytest.mark.parametrize("s", SCENARIOS, ids=lambda s: s["id"])
def test_expected_rules_fire_and_judgements_are_listed(results, s):
    out = results[s["id"]]
    assert set(s["expected"]["rules"]) <= set(out["rules_fired"])
    assert set(s["expected"]["judgement_required"]) <= {j["id"] for j in out["judgement_required"]}


@pytest.mark.parametrize("s", SCENARIOS, ids=lambda s: s["id"])
def test_uncertainty_and_asks(results, s):
    out = results[s["id"]]
    for flag in ("consent", "public_interest", "schedule_1"):
        exp = s["expected"][flag]
        assert set(exp.get("uncertainty", [])) <= {u["id"] for u in out[flag]["uncertainty"]}
        if out[flag]["status"] == "undetermined":
            assert out[flag]["ask"] or out[flag]["judgement_required"], f"{flag}: undetermined without a question"
    if s["expected"].get("ask"):
        assert out["ask"]


CODES = re.compile(r"\((ea|[a-f])\)")


@pytest.mark.parametrize("s", [s for s in SCENARIOS if "article_6" in s["expected"]], ids=lambda s: s["id"])
def test_article_6_suggestions(results, s):
    expected = {m for item in s["expected"]["article_6"] for m in CODES.findall(item.split("—")[0].split(" if ")[0])}
    got = {CODES.search(a["code"]).group(1) for a in results[s["id"]]["article_6"]}
    assert expected <= got, (expected, got)


TOKENS = re.compile(r"9\(2\)\([acgh]\)|para \d+|none")


@pytest.mark.parametrize("s", [s for s in SCENARIOS if "article_9" in s["expected"]], ids=lambda s: s["id"])
def test_article_9(results, s):
    expected = set(TOKENS.findall(s["expected"]["article_9"]))
    assert expected <= set(TOKENS.findall(results[s["id"]]["article_9"]["text"])), results[s["id"]]["article_9"]


@pytest.mark.parametrize("s", [s for s in SCENARIOS if "article_10" in s["expected"]], ids=lambda s: s["id"])
def test_article_10(results, s):
    expected = set(TOKENS.findall(s["expected"]["article_10"]))
    assert expected <= set(TOKENS.findall(results[s["id"]]["article_10"]["text"])), results[s["id"]]["article_10"]


@pytest.mark.parametrize("s", [s for s in SCENARIOS if "gateways" in s["expected"]], ids=lambda s: s["id"])
def test_gateways(results, s):
    for key, text in s["expected"]["gateways"].items():
        status = text.split()[0].strip("—")
        assert results[s["id"]]["gateways"][key]["status"] == status


@pytest.mark.parametrize("s", SCENARIOS, ids=lambda s: s["id"])
def test_every_flag_cites_law_and_quotes_the_corpus(determinations, results, s):
    out = determinations[s["id"]]
    for flag in out.flags:
        assert flag.rule_ids and flag.references
        assert all(r.url.startswith("https://www.legislation.gov.uk/") and r.label for r in flag.references)
        assert [r["url"] for r in results[s["id"]][flag.name]["references"]] == [r.url for r in flag.references]
    assert any(flag.quotes for flag in out.flags)
