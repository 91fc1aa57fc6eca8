"""Rules as code: what a rule is and how one is declared. Each rule is a function with a stable id, a label,
the provisions of the law it rests on (`LegalRef`s from `law.py`) and the verbatim guidance passages it
quotes. A rule reads the facts and the derived facts; if it depends on other rules' results or another
flag's outcome it declares them (`needs=`) and receives exactly those, read-only. An exception is a
separate rule that names the rules it overrides (`overrides=`): it is evaluated before them and, when it
fires, they are not applied. The evaluation order of a flag is derived from these declarations here."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from ..types import FLAG_NAMES, LegalRef
from .facts import Derived, Facts
from .law import JUDGEMENTS, UNCERTAINTIES

__all__ = ["JUDGEMENTS", "UNCERTAINTIES", "FALLBACKS", "RULES", "Fallback", "Got", "Hit", "Miss", "Outcome",
           "Rule", "evaluation_order", "fallback", "rule"]


@dataclass(frozen=True)
class Hit:
    """A rule fired. A non-None status decides its flag; otherwise it informs (advice, elements, candidates)."""

    status: str | None = None
    reason: str = ""
    ask: tuple[str, ...] = ()
    judgement: tuple[str, ...] = ()  # ids of JUDGEMENTS
    uncertainty: tuple[str, ...] = ()  # ids of UNCERTAINTIES
    element: str = ""  # one element of a condition: "met", "not_met" or "open"
    condition: str = ""  # the Schedule 1 condition this decision rests on
    code: str = ""  # the Article 6(1) basis suggested, e.g. "(e)"
    text: str = ""  # the Article 6 suggestion, or the Article 9 / Article 10 route, in words
    candidate: str = ""  # an alternative Schedule 1 condition (never chosen for the practitioner)
    para_18_2: str = ""  # the para 18(2) reason the facts are read as, where the consent facts give none


@dataclass(frozen=True)
class Miss:
    """A rule did not fire; `why` names the fact or condition that stopped it (for the trace)."""

    why: str


Outcome = Hit | Miss


@dataclass(frozen=True)
class Got:
    """What a rule declared it needs, read-only: other rules' outcomes (None: not evaluated, because its flag
    was decided before it) and flags' statuses. Asking for anything undeclared is an error."""

    rule: str
    outcomes: Mapping[str, Outcome | None] = field(default_factory=dict)
    statuses: Mapping[str, str | None] = field(default_factory=dict)

    def outcome(self, rule_id: str) -> Outcome | None:
        if rule_id not in self.outcomes:
            raise KeyError(f"{self.rule} did not declare needs={rule_id!r}")
        return self.outcomes[rule_id]

    def hit(self, rule_id: str) -> Hit | None:
        out = self.outcome(rule_id)
        return out if isinstance(out, Hit) else None

    def hits(self, rule_ids: Sequence[str]) -> list[tuple[str, Hit]]:
        return [(rid, h) for rid in rule_ids for h in [self.hit(rid)] if h is not None]

    def evaluated(self, rule_id: str) -> bool:
        return self.outcome(rule_id) is not None

    def status(self, flag: str) -> str | None:
        if flag not in self.statuses:
            raise KeyError(f"{self.rule} did not declare needs={flag!r}")
        return self.statuses[flag]

    @classmethod
    def of(cls, rule_id: str, needs: Sequence[str], outcomes: Mapping[str, Outcome],
           statuses: Mapping[str, str]) -> Got:
        return cls(rule_id, MappingProxyType({n: outcomes.get(n) for n in needs if n not in FLAG_NAMES}),
                   MappingProxyType({n: statuses.get(n) for n in needs if n in FLAG_NAMES}))


@dataclass(frozen=True)
class Rule:
    id: str
    label: str
    flag: str
    refs: tuple[LegalRef, ...]
    quotes: tuple[str, ...]
    overrides: tuple[str, ...]
    needs: tuple[str, ...]
    joins: tuple[str, ...]
    also: tuple[str, ...]
    doc: str
    fn: Callable[..., Outcome]

    def evaluate(self, f: Facts, d: Derived, got: Got) -> Outcome:
        """Run the rule: `fn(facts, derived)`, or `fn(facts, derived, got)` when it declares needs."""
        return self.fn(f, d, got) if self.needs else self.fn(f, d)


RULES: dict[str, Rule] = {}


def rule(rule_id: str, label: str, flag: str, refs: Sequence[LegalRef], quotes: Sequence[str] = (),
         overrides: Sequence[str] = (), needs: Sequence[str] = (), joins: Sequence[str] = (),
         also: Sequence[str] = ()) -> Callable[[Callable[..., Outcome]], Callable[..., Outcome]]:
    """Register a rule.

    refs: the provisions it rests on. quotes: verbatim corpus passages, checked by the same verification that
    answers use. overrides: the rules this exception sets aside (it runs first; when it fires they are not
    applied). needs: rule ids and flag names whose results it reads. joins: when one of these rules decides
    its flag, this rule is evaluated next and, if it fires, is part of that decision. also: other outputs
    (e.g. "article_9") its hit counts for."""

    def deco(fn: Callable[..., Outcome]) -> Callable[..., Outcome]:
        if rule_id in RULES:
            raise ValueError(f"duplicate rule id {rule_id}")
        if not refs or not all(isinstance(r, LegalRef) for r in refs):
            raise TypeError(f"{rule_id}: refs must be LegalRef constants (see law.py)")
        RULES[rule_id] = Rule(rule_id, label, flag, tuple(refs), tuple(quotes), tuple(overrides), tuple(needs),
                              tuple(joins), tuple(also), (fn.__doc__ or "").strip(), fn)
        return fn

    return deco


@dataclass(frozen=True)
class Fallback:
    """What a flag says when no rule decides it (always `undetermined`)."""

    flag: str
    reason: Callable[[Got], str]
    needs: tuple[str, ...] = ()


FALLBACKS: dict[str, Fallback] = {}


def fallback(flag: str, reason: str | Callable[[Got], str], needs: Sequence[str] = ()) -> None:
    """Declare the reason a flag gives when no rule decides it; a function of `needs` or a fixed text."""
    if isinstance(reason, str):
        text = reason

        def fixed(got: Got) -> str:
            return text

        FALLBACKS[flag] = Fallback(flag, fixed, tuple(needs))
    else:
        FALLBACKS[flag] = Fallback(flag, reason, tuple(needs))


def evaluation_order(rules: Sequence[Rule]) -> list[Rule]:
    """The rules of one flag in the order they are evaluated: declaration order, except that an exception is
    evaluated before every rule it overrides and a rule after every rule it needs (a stable topological
    order). A cycle is a declaration error."""
    ids = {r.id for r in rules}
    before: dict[str, set[str]] = {r.id: set() for r in rules}
    for r in rules:
        for target in r.overrides:
            if target in ids:
                before[target].add(r.id)
        for need in r.needs:
            if need in ids:
                before[r.id].add(need)
    placed: list[Rule] = []
    done: set[str] = set()
    pending = list(rules)
    while pending:
        ready = next((r for r in pending if before[r.id] <= done), None)
        if ready is None:
            raise ValueError(f"overrides/needs form a cycle among {[r.id for r in pending]}")
        placed.append(ready)
        done.add(ready.id)
        pending.remove(ready)
    return placed
