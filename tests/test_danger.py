"""The danger detector: immediate risk of death or serious injury, read from words, with the words it came from."""

import pytest

from assistant.extraction_metrics import danger_score
from assistant.rules.danger import detect_danger
from assistant.rules.extract import extract_facts

from .conftest import REPO

DANGER = [
    "She told me she's thinking about ending her life",
    "pupil is in the toilets cutting her arm and won't stop",
    "he overdosed this morning and is still at home",
    "she took a load of pills about an hour ago",
    "lad is on the bridge threatening to jump",
    "she said goodbye to everyone on snapchat and her phone is off",
    "Dad said he will kill her when she gets home",
    "he's going to kill himself after school",
    "her ex said he'd do her in tonight",
    "a boy is waiting outside the gates with a knife",
    "year 11 boy has a blade in his bag",
    "hasn't been seen since 7am and she's 6",
    "6 week old baby with a bruise on her cheek and no explanation",
    "a 2 year old is alone in the flat, mum's gone out",
    "her uncle is coming tonight to take her abroad, bags are packed",
]
SAFE = [
    "She used to self-harm but has been fine for a year",
    "We're running a knife crime awareness assembly next week",
    "What should our suicide prevention policy say?",
    "Mum will kill me if I'm late, she said, laughing",
    "The kids were killing time before the bus",
    "I'm dying to know how the referral went",
    "He seems tired and his uniform is dirty",
    "She isn't suicidal and has no plans to hurt herself",
    "No concerns about harm to the baby",
    "Boy was stabbed last summer, he's recovered and doing well",
]


@pytest.mark.parametrize("text", DANGER)
def test_danger_is_seen_with_its_words(text):
    words = detect_danger(text)
    assert words and words in text
    facts = extract_facts(text)
    assert facts.get("emergency") is True and facts.sources["emergency"] == words


@pytest.mark.parametrize("text", SAFE)
def test_no_danger_in_past_policy_idiom_or_ordinary_worry(text):
    assert detect_danger(text) is None
    assert extract_facts(text).get("emergency") is not True


@pytest.mark.parametrize("name", ["danger-dev.yaml", "danger-heldout.yaml"])
def test_danger_on_the_sets_tuned_on_stays_within_target(name):
    """A regression guard on the two halves the detector was developed against (the second half was first
    measured untouched at recall 0.37, then tuned on); the untouched figure comes from evals/danger-fresh.yaml."""
    d = danger_score(REPO / "evals" / name)
    assert d["recall"] >= 0.95, d["misses"]
    assert d["false_alarm_rate"] <= 0.05, d["alarms"]
