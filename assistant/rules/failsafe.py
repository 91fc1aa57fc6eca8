"""Fail safe by construction: the proof that a definite flag rests on no unknown fact, and the measure of which
open facts could change which flag (what the questions ask).

A flag the rules call `applies`, `does_not_apply` or `not_needed` is kept only if every value the open facts
it read could take gives the same status; that is checked here by running the rules (through the engine's
`runner`) over every combination of those facts' values, following the facts each combination makes
relevant in turn. If the combinations are too many to check, the flag is not called definite (fail safe).
Facts the law does not ask about on the facts given are never varied, and the rules do not see them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..types import FLAG_NAMES
from .assumptions import with_values
from .facts import FACTS, Facts, child_harm_relevant

# (facts, the flag to run up to) -> (the statuses of the flags decided so far, the facts read)
Runner = Callable[[Facts, str], tuple[tuple[str, ...], frozenset[str]]]
BUDGET = 2400  # rule runs a proof may take for one flag; beyond it the flag is not called definite

_AGES: tuple[object, ...] = (0, 8, 15, 17, 18, 40, "unborn", "disputed")
_SETS = (frozenset({"ordinary"}), frozenset({"health"}), frozenset({"criminal_offence"}),
         frozenset({"health", "criminal_offence"}))
_QUALITY_ALL = {"informed": True, "freely_given": True, "specific": True, "unambiguous": True, "explicit": True,
                "consented_by": "data_subject"}

# The facts a value makes relevant that were open before it: once consent is given, its quality and who gave
# it; once the person is an adult, the three limbs of "at risk"; once a gateway is named, its conditions.
COMPANIONS: dict[str, tuple[str, ...]] = {
    "consent_status": ("consent_quality", "capacity_or_competence", "consenter_is_alleged_source_of_harm"),
    "consent_quality": ("capacity_or_competence", "consenter_is_alleged_source_of_harm"),
    "protected_person_age": ("adult_care_support_needs", "adult_experiencing_or_at_risk_of_harm",
                             "adult_unable_to_protect_self_due_to_needs", "adult_harm_level", "child_harm_level"),
    "protected_person": ("protected_person_age", "child_harm_level", "adult_harm_level"),
    "request_basis": ("patient_information", "sharer_is_health_or_social_care_authority", "recipient"),
    "purpose": ("patient_information", "sharer_is_health_or_social_care_authority", "crime_purpose"),
    "sharer_type": ("sharer_statutory_function", "sharer_is_health_or_social_care_authority"),
    "data_categories": ("consent_quality", "crime_purpose"),
    "given_in_confidence": ("sharing_within_confider_understanding", "consent_quality"),
    "sharing_within_confider_understanding": ("consent_quality",),
    "economic_wellbeing_at_risk": ("protected_person_age", "adult_care_support_needs", "capacity_or_competence"),
}


def domain(fact: str) -> tuple[object, ...]:
    """Every value a fact could take, as far as the rules can tell them apart (ages at the boundaries that
    matter, data categories by special category and crime)."""
    spec = FACTS[fact]
    if spec.kind == "bool":
        return (True, False)
    if spec.kind == "enum":
        return spec.values
    if spec.kind == "age":
        return _AGES
    if spec.kind == "set":
        return _SETS
    if spec.kind == "quality":
        return (_QUALITY_ALL, {**_QUALITY_ALL, "freely_given": False}, {**_QUALITY_ALL, "explicit": False},
                {**_QUALITY_ALL, "consented_by": "person_with_parental_responsibility"})
    if spec.kind == "text_or_bool":
        return ("yes", False)
    return ()


def irrelevant(facts: Facts) -> set[str]:
    """Facts the law does not ask about on these facts: the level of concern about a child when the only person
    to protect is a known adult."""
    return set() if child_harm_relevant(facts) else {"child_harm_level"}


def relevant(facts: Facts) -> Facts:
    """The facts the rules see: without those the law does not ask about here."""
    gone = irrelevant(facts) & set(facts.values)
    return with_values(facts, dict.fromkeys(gone)) if gone else facts


class Watched(Facts):
    """Facts that note every name a rule or a derived fact reads: a fact never read cannot change the result."""

    def __init__(self, facts: Facts):
        super().__init__(facts.values, facts.sources)
        object.__setattr__(self, "seen", set())

    def get(self, name: str) -> Any:
        self.seen.add(name)  # type: ignore[attr-defined]
        return super().get(name)

    def known(self, name: str) -> bool:
        self.seen.add(name)  # type: ignore[attr-defined]
        return super().known(name)


def key(facts: Facts) -> tuple:
    def freeze(v: object) -> object:
        if isinstance(v, dict):
            return tuple(sorted(v.items()))
        if isinstance(v, (set, frozenset)):
            return tuple(sorted(v))
        return v

    return tuple(sorted((k, freeze(v)) for k, v in facts.values.items()))


class Prober:
    """Runs the rules for statuses alone, memoised (same facts, same result)."""

    def __init__(self, runner: Runner, limit: int = 100_000):
        self.runner, self.limit = runner, limit
        self.cache: dict[tuple, tuple[tuple[str, ...], frozenset[str]]] = {}

    def probe(self, facts: Facts, upto: str = "schedule_1") -> tuple[tuple[str, ...], frozenset[str]]:
        k = (upto, key(facts))
        if k not in self.cache:
            if len(self.cache) > self.limit:
                self.cache.clear()
            self.cache[k] = self.runner(facts, upto)
        return self.cache[k]


@dataclass(frozen=True)
class Sensitivity:
    """Which flags each open fact could change (an unknown one by taking any value, an assumed one by being
    otherwise), and the flags whose definite status could not be proved to rest on no unknown."""

    changes: Mapping[str, tuple[str, ...]]
    unknown: frozenset[str]
    assumed: frozenset[str]
    unproved: Mapping[str, tuple[str, ...]]  # flag -> the open facts that could change it


def _open(facts: Facts, names: Iterable[str]) -> set[str]:
    return {n for n in names if n in FACTS and not facts.known(n) and domain(n)} - irrelevant(facts)


def _closure(facts: Facts, names: set[str]) -> set[str]:
    """The open facts among `names`, with the open companions of each, in turn."""
    out = _open(facts, names)
    todo = sorted(out)
    while todo:
        for c in COMPANIONS.get(todo.pop(), ()):
            if c not in out and c in _open(facts, (c,)):
                out.add(c)
                todo.append(c)
    return out


def prove(prober: Prober, working: Facts, flag: str, budget: int = BUDGET) -> tuple[str, ...]:
    """Empty if every combination of values of the open facts the flag rests on gives its status; otherwise the
    open facts (most decisive first) that could change it, or that are too many to check."""
    i = FLAG_NAMES.index(flag)
    status = prober.probe(working, flag)[0][i]
    # Exact: a fact no run reads cannot change any run, so the open facts read on some path are all that matter;
    # any combination that reads a new open fact brings it into the next round.
    facts_open = _open(working, prober.probe(working, flag)[1])
    runs = 0
    while True:
        names = sorted(facts_open)
        size = math.prod(len(domain(n)) for n in names)
        if runs + size > budget:
            return tuple(names)  # too many to check: fail safe
        newly: set[str] = set()
        for combo in itertools.product(*(domain(n) for n in names)):
            runs += 1
            statuses, reads = prober.probe(with_values(working, dict(zip(names, combo, strict=True))), flag)
            if statuses[i] != status:
                return tuple(names)
            newly |= _open(working, reads) - facts_open
        if not newly:
            return ()
        facts_open |= newly


def sensitivity(prober: Prober, working: Facts, read: set[str], assumed: set[str],
                definite: Iterable[str], worded: Iterable[str] = ()) -> Sensitivity:
    """For each open fact the rules read (and each assumed one): which flags some value of it could change,
    alone or with the facts that value makes relevant; and, for each definite flag, whether it is proved."""
    base = prober.probe(working)[0]
    changes: dict[str, tuple[str, ...]] = {}
    unknown = _open(working, read)
    # worded: facts read from the practitioner's words (not confirmed by them), which a question may confirm
    for fact in sorted(unknown | (assumed & read) | (set(worded) & read)):
        current = working.get(fact)
        changed: set[str] = set()
        for value in domain(fact):
            if value == current:
                continue
            variant = with_values(working, {fact: value})
            changed |= {n for n, a, b in zip(FLAG_NAMES, base, prober.probe(variant)[0], strict=True) if a != b}
            for other in sorted(_closure(variant, set(COMPANIONS.get(fact, ()))) - {fact}):
                for v2 in domain(other):
                    after = prober.probe(with_values(variant, {other: v2}))[0]
                    changed |= {n for n, a, b in zip(FLAG_NAMES, base, after, strict=True) if a != b}
            if len(changed) == len(FLAG_NAMES):
                break
        if changed:
            changes[fact] = tuple(n for n in FLAG_NAMES if n in changed)
    unproved = {}
    for flag in definite:
        open_facts = prove(prober, working, flag)
        if open_facts:
            unproved[flag] = open_facts
    return Sensitivity(changes, frozenset(unknown), frozenset(assumed), unproved)
